{#
    Every statement (int_statements) with what the reconciliation rules need: its printed resolution and its
    place in the document as text.
      decimals         digits after the point in the printed figure; for a table, the most any figure of that
                       table prints (a column printed as 1,176.0 / 4.0 has 1 even where a cell prints 4), for a
                       sentence, the figure's own
      resolution_yuan  one unit of the last printed digit, in yuan: unit factor / 10^decimals (百元 integers 100,
                       万元 with 2 decimals 100, 万元 with 1 decimal 1 000, 万元 integers 10 000, 元 with 2 decimals 0.01)
      statement_ref    e.g. `table 表5 «…» row 3 line 317 item 12: 1,199 百元` (dq_statement_ref)
#}

with

statements as (

    select * from {{ ref('int_statements') }}

),

line_items as (

    select
        document_id,
        item_index,
        table_index,
        source_kind,
        unit_factor,
        coalesce(length(regexp_extract(raw_amount, '\.([0-9]+)', 1)), 0) as decimals
    from {{ ref('stg_line_items') }}

),

table_decimals as (

    select document_id, table_index, max(decimals) as decimals
    from line_items
    where source_kind = 'table'
    group by all

),

final as (

    select

        ----------  ids
        statements.statement_id,
        statements.fact_id,
        statements.document_id,

        ----------  key
        statements.fund_scope,
        statements.classification,
        statements.code,
        statements.measure,

        ----------  the figure
        statements.amount_yuan,
        statements.source_kind,
        statements.source_kind_rank,
        statements.item_index,
        statements.table_index,
        statements.table_number,
        statements.n_rows,
        first_row.unit_factor,
        case
            when statements.source_kind = 'table' then coalesce(table_decimals.decimals, first_row.decimals)
            else first_row.decimals
        end as decimals,
        cast(
            first_row.unit_factor * pow(10, -case
                when statements.source_kind = 'table' then coalesce(table_decimals.decimals, first_row.decimals)
                else first_row.decimals
            end)
            as decimal(20, 4)
        ) as resolution_yuan,

        ----------  where it stands
        {{ dq_statement_ref('statements') }} as statement_ref

    from statements
    left join line_items as first_row
        on  first_row.document_id = statements.document_id
        and first_row.item_index = statements.item_index
    left join table_decimals
        on  table_decimals.document_id = statements.document_id
        and table_decimals.table_index = statements.table_index

)

select * from final
