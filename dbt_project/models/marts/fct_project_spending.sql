{#
    Projects: one row per (document_id, row_kind, unit_code, project_key, fund_scope, measure). A project stated
    in several places (a project form and the narrative, a list sentence) keeps one figure: the first statement
    wins (a statement with an amount before a bare name, tables before prose, then document order); n_statements,
    statements_agree and other_statements keep the evidence. A project the document names without any amount
    (measure NULL) has a row only when no statement gives it a figure.
#}

with

superseded as (

    -- a document a revised version replaces keeps its place in dim_document, not in the facts
    select document_id from {{ ref('stg_documents') }}
    where superseded_by is not null

),

items as (

    select * from {{ ref('stg_project_items') }}
    where document_id not in (select document_id from superseded)

),

documents as (

    select * from {{ ref('stg_documents') }}

),

keyed as (

    select

        *,

        document_id
            || '|' || row_kind
            || '|' || coalesce(unit_code, '')
            || '|' || project_key as project_id,

        case source_kind when 'table' then 0 else 1 end as source_kind_rank

    from items

),

----------  a bare name counts only for a project no statement gives a figure

with_figures as (

    select project_id from keyed
    where amount_yuan is not null
    group by project_id

),

statements as (

    select

        *,
        project_id || '|' || fund_scope || '|' || coalesce(measure, '') as project_fact_id

    from keyed
    where amount_yuan is not null
       or project_id not in (select project_id from with_figures)

),

ranked as (

    select

        *,

        row_number() over (
            partition by project_fact_id
            order by source_kind_rank, item_index
        ) as statement_rank,

        count(*) over (partition by project_fact_id) as n_statements,

        min(amount_yuan) over (partition by project_fact_id)
            = max(amount_yuan) over (partition by project_fact_id) as statements_agree,

        -- what the other statements of the project say about it (its unit, its description), in order
        first(unit_name ignore nulls) over project_in_order as any_unit_name,
        first(description ignore nulls) over project_in_order as any_description,
        first(function_code ignore nulls) over project_in_order as any_function_code

    from statements

    window project_in_order as (
        partition by project_id
        order by source_kind_rank, item_index
        rows between unbounded preceding and unbounded following
    )

),

with_evidence as (

    select

        *,

        {{ other_statements('project_fact_id') }} as other_statements

    from ranked

),

final as (

    select

        ----------  ids
        with_evidence.document_id,
        with_evidence.project_id,

        ----------  dimensions
        documents.region_code,
        documents.department_key,
        documents.fiscal_year,
        documents.stage,
        with_evidence.row_kind,
        with_evidence.project_name,
        with_evidence.project_key,
        with_evidence.unit_code,
        coalesce(with_evidence.unit_name, with_evidence.any_unit_name) as unit_name,
        coalesce(with_evidence.function_code, with_evidence.any_function_code) as function_code,
        coalesce(with_evidence.description, with_evidence.any_description) as description,
        with_evidence.fund_scope,
        with_evidence.measure,

        ----------  measures
        with_evidence.amount_yuan,
        with_evidence.n_statements,
        with_evidence.statements_agree,
        with_evidence.other_statements,

        ----------  lineage of the winning statement
        with_evidence.sha256,
        with_evidence.source_kind,
        with_evidence.item_index,
        with_evidence.table_index,
        with_evidence.table_number,
        with_evidence.table_title,
        with_evidence.page,
        with_evidence.sheet_name,
        with_evidence.row_number,
        with_evidence.cell_ref,
        with_evidence.line_number,
        with_evidence.column_label,
        with_evidence.raw_amount,
        with_evidence.unit,
        with_evidence.extraction

    from with_evidence
    inner join documents
        on documents.document_id = with_evidence.document_id
    where with_evidence.statement_rank = 1

)

select * from final
