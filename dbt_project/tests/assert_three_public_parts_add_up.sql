{{ config(severity = 'warn') }}

{#
    Document consistency (warn): where a document states a 三公 whole and all its parts for the same figure kind,
    the parts add up: total = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费, and 公务用车购置及运行维护费 =
    购置费 + 运行维护费. A failure is a fact about the document (or about what ingestion read in it).
#}

with

figures as (

    select document_id, figure_kind, category, amount_yuan
    from {{ ref('fct_three_public') }}
    where amount_yuan is not null

),

pivoted as (

    select
        document_id,
        figure_kind,
        max(amount_yuan) filter (where category = 'total') as total,
        max(amount_yuan) filter (where category = 'outbound_travel') as outbound_travel,
        max(amount_yuan) filter (where category = 'vehicles') as vehicles,
        max(amount_yuan) filter (where category = 'vehicle_purchase') as vehicle_purchase,
        max(amount_yuan) filter (where category = 'vehicle_operation') as vehicle_operation,
        max(amount_yuan) filter (where category = 'reception') as reception
    from figures
    group by document_id, figure_kind

)

select *
from pivoted
where total != outbound_travel + vehicles + reception
    or vehicles != vehicle_purchase + vehicle_operation
