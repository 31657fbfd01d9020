{#
    A statement is one figure given by one source:
      - one column of one table: the rows of that table with the same key in the same column are SUMMED
        (seed000 表6 pairs one department code with several government codes, so 30101 appears on two rows and
        50501 on many);
      - the same key in another column of the same table (another panel of a summary table, e.g. seed000 表4
        prints 本年支出合计 once per panel) is another statement, not an addend;
      - a total (classification `total`) is never summed: every total row is its own statement, since a
        summary table restates its total on several rows (seed000 表4: the 一、财政拨款 heading row and the
        本年支出合计 row of each of its panels, all under the same column label);
      - one prose sentence figure: every prose line item is its own statement.
    Key of a statement's figure: (document_id, fund_scope, classification, code, measure); code is NULL for totals.
    The statement keeps the lineage of its first row (lowest item_index) and n_rows.
#}

with

superseded as (

    -- a document a revised version replaces keeps its place in dim_document, not in the facts
    select document_id from {{ ref('stg_documents') }}
    where superseded_by is not null

),

line_items as (

    select * from {{ ref('stg_line_items') }}
    where document_id not in (select document_id from superseded)

),

grouped as (

    select

        *,

        case
            when source_kind = 'prose' then 'prose:' || item_index
            -- a total is one figure: the same total key on several rows of one table (the 一、财政拨款 heading
            -- row and the 本年支出合计 row of each panel of seed000 表4) restates it, it does not add up
            when classification = 'total' then 'table-total:' || item_index
            else 'table:' || coalesce(cast(table_index as varchar), '?') || ':' || coalesce(column_label, '')
        end as statement_source

    from line_items

),

summed as (

    select

        *,

        row_number() over statement_rows as row_in_statement,
        count(*) over statement as n_rows,
        sum(amount_yuan) over statement as statement_amount_yuan,
        sum(amount) over statement as statement_amount,
        min(unit) over statement = max(unit) over statement as has_single_unit

    from grouped

    window
        statement as (
            partition by document_id, fund_scope, classification, code, measure, statement_source
        ),
        statement_rows as (
            partition by document_id, fund_scope, classification, code, measure, statement_source
            order by item_index
        )

),

final as (

    select

        ----------  ids
        document_id || ':' || item_index as statement_id,
        document_id
            || '|' || fund_scope
            || '|' || classification
            || '|' || coalesce(code, '')
            || '|' || measure as fact_id,
        document_id,

        ----------  key of the figure
        fund_scope,
        classification,
        code,
        measure,

        ----------  dimensions
        code_level,
        parent_code,
        name,

        ----------  measures
        cast(statement_amount_yuan as decimal(20, 2)) as amount_yuan,
        case when has_single_unit then cast(statement_amount as decimal(20, 4)) end as amount,
        n_rows,

        ----------  lineage of the first row
        {{ lineage_columns(with_rank=true) }}

    from summed
    where row_in_statement = 1

)

select * from final
