{#
    Every figure a reconciliation check can involve, of any statement, in one list with what marts.dq_results needs
    to describe it: the spending facts (int_dq_facts: coded facts with their derived parents, document totals) and
    the revenue facts (int_revenue_facts: income by source, the expenditure totals the income balances). A rule
    model (int_dq_rule_*) names the figures it involves by fact_id; dq_results finds them here.
#}

with

spending as (

    select
        fact_id, document_id, 'spending' as statement_kind, fact_label, lineage_text, resolution_yuan,
        basis_fact_ids
    from {{ ref('int_dq_facts') }}

),

revenue as (

    select
        fact_id, document_id, 'revenue' as statement_kind, fact_label, lineage_text, resolution_yuan,
        [fact_id] as basis_fact_ids
    from {{ ref('int_revenue_facts') }}

),

final as (

    select * from spending
    union all
    select * from revenue

)

select * from final
