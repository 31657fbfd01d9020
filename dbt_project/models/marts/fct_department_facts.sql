{#
    What documents state about their departments: one row per (document_id, fact_key). The first statement wins
    (tables before prose, then document order) and gives the value and the lineage; the others are evidence
    (n_statements, statements_agree, other_statements). The date a count stands at and a stated change with its
    reason come from the first statement that gives each. Documents a revised version supersedes are left out.
#}

with

superseded as (

    select document_id from {{ ref('stg_documents') }}
    where superseded_by is not null

),

current_facts as (

    select
        *,
        -- what statements_agree compares: money in yuan, counts, areas and shares as stated
        coalesce(amount_yuan, value) as compared_value
    from {{ ref('stg_department_facts') }}
    where document_id not in (select document_id from superseded)

),

statements as (

    select * from {{ first_statements(
        'current_facts', ['fact_key'], 'compared_value',
        "case when is_stated_none then 'none' else coalesce(raw_value, '?') || coalesce(' ' || unit, '') end") }}

),

----------  what the statements add to the winning one, each from the first statement that states it

stated as (

    select

        document_id,
        fact_key,

        arg_min(as_of_date, statement_rank) filter (where as_of_date is not null) as as_of_date,
        arg_min(as_of_text, statement_rank) filter (where as_of_date is not null) as as_of_text,

        {{ first_stated_change() }}

    from statements
    group by document_id, fact_key

),

documents as (

    select * from {{ ref('stg_documents') }}

),

final as (

    select

        ----------  ids
        statements.document_id,

        ----------  dimensions
        documents.region_code,
        documents.fiscal_year,
        documents.stage,
        statements.fact_group,
        statements.fact_key,
        statements.label,
        statements.value_kind,
        stated.as_of_date,

        ----------  measures
        statements.value,
        statements.unit,
        statements.amount_yuan,
        statements.is_stated_none,
        stated.change_direction,
        stated.change_amount_yuan,
        stated.change_pct,
        stated.change_reason,
        statements.n_statements,
        statements.statements_agree,
        statements.other_statements,

        ----------  lineage of the winning statement
        {{ statement_lineage('statements') }},
        statements.raw_value,
        stated.as_of_text,
        stated.change_phrase

    from statements
    inner join documents
        on documents.document_id = statements.document_id
    inner join stated
        on stated.document_id = statements.document_id
        and stated.fact_key = statements.fact_key
    where statements.statement_rank = 1

)

select * from final
