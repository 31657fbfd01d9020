{#
    A document's totals (line items of classification `total`, no code): one row per (document_id, fund_scope, measure).
    reconciled: false when a failing check of marts.dq_results involves the row (docs/reconciliation.md).
#}

with

facts as (

    select * from {{ ref('int_facts_stated') }}
    where classification = 'total'

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

        ----------  dimensions
        documents.region_code,
        documents.fiscal_year,
        documents.stage,
        facts.fund_scope,
        facts.measure,
        facts.name as total_label,

        ----------  measures
        facts.amount_yuan,
        facts.n_statements,
        facts.statements_agree,
        facts.other_statements,
        unreconciled.fact_id is null as reconciled,
        facts.n_rows,

        ----------  lineage of the winning statement's first row
        {{ lineage_columns('facts', with_code=false) }}

    from facts
    inner join documents
        on documents.document_id = facts.document_id
    left join unreconciled
        on unreconciled.fact_id = facts.fact_id

)

select * from final
