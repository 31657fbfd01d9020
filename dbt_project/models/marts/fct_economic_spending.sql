{#
    支出经济分类 spending, department (econ_dept, 3xx) and government (econ_gov, 5xx) sets:
    one row per (document_id, fund_scope, classification, econ_code, measure).
    reconciled: false when a failing check of marts.dq_results involves the row (docs/reconciliation.md).
    Stated figures (first statement wins) plus derived classes (is_derived) where the document states items only.
#}

with

facts as (

    select * from {{ ref('int_facts_with_parents') }}
    where classification in ('econ_dept', 'econ_gov')

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
        facts.classification,
        facts.code as econ_code,
        facts.code_level as econ_level,
        facts.parent_code as parent_econ_code,
        coalesce(facts.name, facts.catalog_name) as econ_name,
        facts.catalog_name as econ_catalog_name,
        facts.measure,

        ----------  measures
        facts.amount_yuan,
        facts.is_derived,
        facts.n_children,
        facts.n_statements,
        facts.statements_agree,
        facts.other_statements,
        unreconciled.fact_id is null as reconciled,
        facts.n_rows,

        ----------  lineage of the winning statement's first row (NULL for derived rows)
        {{ lineage_columns('facts') }}

    from facts
    inner join documents
        on documents.document_id = facts.document_id
    left join unreconciled
        on unreconciled.fact_id = facts.fact_id

)

select * from final
