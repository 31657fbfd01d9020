{#
    The 三公 expenses: one row per (document_id, category, figure_kind). The first statement wins (tables before
    prose, then document order) and gives amount_yuan and the lineage; the others are evidence (n_statements,
    statements_agree, other_statements). The previous year's figure, the stated change and its reason and the
    execution rate come from the first statement that gives each (a sentence may state the figure, the next one
    its change). Documents a revised version supersedes are left out.
#}

with

superseded as (

    select document_id from {{ ref('stg_documents') }}
    where superseded_by is not null

),

current_items as (

    select * from {{ ref('stg_three_public_items') }}
    where document_id not in (select document_id from superseded)

),

statements as (

    select * from {{ first_statements(
        'current_items', ['category', 'figure_kind'], 'amount_yuan',
        "case when is_stated_none then 'none' else coalesce(cast(amount_yuan as varchar), 'no figure') end") }}

),

----------  what the statements add to the winning one, each from the first statement that states it

stated as (

    select

        document_id,
        category,
        figure_kind,

        arg_min(previous_year, statement_rank) filter (where previous_amount_yuan is not null) as previous_year,
        arg_min(previous_amount_yuan, statement_rank) filter (where previous_amount_yuan is not null)
            as previous_amount_yuan,

        {{ first_stated_change() }},

        arg_min(execution_rate_pct, statement_rank) filter (where execution_rate_pct is not null)
            as execution_rate_pct

    from statements
    group by document_id, category, figure_kind

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
        statements.category,
        statements.category_label,
        statements.figure_kind,

        ----------  measures
        statements.amount_yuan,
        statements.is_stated_none,
        stated.previous_year,
        stated.previous_amount_yuan,
        stated.change_direction,
        stated.change_amount_yuan,
        stated.change_pct,
        stated.change_reason,
        stated.execution_rate_pct,
        statements.n_statements,
        statements.statements_agree,
        statements.other_statements,

        ----------  lineage of the winning statement
        {{ statement_lineage('statements') }},
        statements.raw_amount,
        statements.unit,
        stated.change_phrase

    from statements
    inner join documents
        on documents.document_id = statements.document_id
    inner join stated
        on stated.document_id = statements.document_id
        and stated.category = statements.category
        and stated.figure_kind = statements.figure_kind
    where statements.statement_rank = 1

)

select * from final
