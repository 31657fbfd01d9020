{{ config(severity = 'warn') }}

{#
    Document consistency (warn): for each document, fund scope and measure with both a stated total and function
    classes (stated or derived), the classes add up to the total. A failure is a fact about the document or about
    what ingestion found in it (e.g. a class row missing from a summary table), not a warehouse error.
#}

with

classes as (

    select document_id, fund_scope, measure, sum(amount_yuan) as classes_amount_yuan, count(*) as n_classes
    from {{ ref('fct_function_spending') }}
    where function_level = 'class'
    group by all

),

totals as (

    select document_id, fund_scope, measure, amount_yuan as total_amount_yuan
    from {{ ref('fct_document_totals') }}

)

select
    totals.*,
    classes.classes_amount_yuan,
    classes.n_classes,
    totals.total_amount_yuan - classes.classes_amount_yuan as difference_yuan
from totals
inner join classes
    on  classes.document_id = totals.document_id
    and classes.fund_scope = totals.fund_scope
    and classes.measure = totals.measure
where totals.total_amount_yuan <> classes.classes_amount_yuan
