{#
    What a document says comes in, by source of money, and the expenditure totals it balances the income against:
    one row per (document_id, fund_scope, side, source_key, function_code); function_code NULL = document level.
    The first statement wins (tables before prose); statements_agree compares the others (int_revenue_facts).
    reconciled: false when a failing check of marts.dq_results (R10) involves the row (docs/reconciliation.md).
#}

with

facts as (

    select * from {{ ref('int_revenue_facts') }}

),

documents as (

    select * from {{ ref('stg_documents') }}

),

----------  facts involved in a failing reconciliation check (dq_results, status fail)

unreconciled as (

    select * from {{ ref('int_unreconciled_facts') }}

),

final as (

    select

        ----------  ids
        facts.document_id,
        facts.fact_id,

        ----------  dimensions
        documents.region_code,
        documents.fiscal_year,
        documents.stage,
        facts.fund_scope,
        facts.side,
        facts.source_key,
        facts.source_name,
        facts.function_code,
        facts.function_name,

        ----------  measures
        facts.amount_yuan,
        facts.amount,
        facts.n_statements,
        facts.statements_agree,
        facts.other_statements,
        unreconciled.fact_id is null as reconciled,

        ----------  lineage of the winning statement
        {{ lineage_columns('facts', with_code=false) }}

    from facts
    inner join documents
        on documents.document_id = facts.document_id
    left join unreconciled
        on unreconciled.fact_id = facts.fact_id

)

select * from final
