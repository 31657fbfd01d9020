{#
    The statements of a statement frame (stg_three_public_items, stg_department_facts) ranked within their key:
    the first statement wins (tables before prose, then document order: source_kind_rank, item_index), the others
    are evidence. Returns a parenthesised query with every column of `relation` plus
      statement_rank     1 for the winning statement
      n_statements       statements of the key
      statements_agree   every statement gives the same `compared` value (NULL when none gives one)
      other_statements   the statements that did not win, in order:
                         `<table|prose> [table number] item <item_index> [line <n>]: <described>`, separated by `; `
      relation      the staging model (a ref)
      key_columns   the columns naming the figure, besides document_id
      compared      the expression statements_agree compares (e.g. amount_yuan)
      described     the expression other_statements shows for each statement (varchar)
#}
{% macro first_statements(relation, key_columns, compared, described) -%}
    {%- set key = (['document_id'] + key_columns) | join(', ') -%}
    (

        with

        ranked as (

            select

                *,

                row_number() over (
                    partition by {{ key }}
                    order by source_kind_rank, item_index
                ) as statement_rank,

                count(*) over (partition by {{ key }}) as n_statements,

                min({{ compared }}) over (partition by {{ key }})
                    = max({{ compared }}) over (partition by {{ key }}) as statements_agree

            from {{ relation }}

        )

        select

            *,

            string_agg(
                case
                    when statement_rank > 1
                        then source_kind
                            || coalesce(' ' || table_number, '')
                            || ' item ' || item_index
                            || coalesce(' line ' || line_number, '')
                            || ': ' || ({{ described }})
                end,
                '; '
            ) over (
                partition by {{ key }}
                order by statement_rank
                rows between unbounded preceding and unbounded following
            ) as other_statements

        from ranked

    )
{%- endmacro %}

{#
    The lineage columns every statement frame shares (ingestion.statements.LINEAGE_COLUMNS, docs/staging/*.md),
    typed, for a staging model's select; source_kind_rank orders tables (0) before prose (1).
#}
{% macro statement_lineage_casts() -%}
        cast(sha256 as varchar) as sha256,
        cast(source_kind as varchar) as source_kind,
        case cast(source_kind as varchar) when 'table' then 0 when 'prose' then 1 end as source_kind_rank,
        cast(table_index as integer) as table_index,
        cast(table_number as varchar) as table_number,
        cast(table_title as varchar) as table_title,
        cast(page as integer) as page,
        cast(sheet_name as varchar) as sheet_name,
        cast("row_number" as integer) as row_number,
        cast(cell_ref as varchar) as cell_ref,
        cast(line_number as integer) as line_number,
        cast(extraction as varchar) as extraction
{%- endmacro %}

{#
    The same lineage columns of a relation, for a mart's select: where the winning statement stands.
#}
{% macro statement_lineage(relation) -%}
    {%- for column in ['sha256', 'source_kind', 'item_index', 'table_index', 'table_number', 'table_title', 'page',
                       'sheet_name', 'row_number', 'cell_ref', 'line_number', 'column_label', 'extraction', 'phrase'] %}
        {{ relation }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#
    In a group of ranked statements (first_statements), the change against the previous year of the first
    statement that states one, and the first stated reason (a sentence may give the change, the next its reason).
#}
{% macro first_stated_change() -%}
        arg_min(change_direction, statement_rank) filter (where change_direction is not null) as change_direction,
        arg_min(change_amount_yuan, statement_rank) filter (where change_direction is not null) as change_amount_yuan,
        arg_min(change_pct, statement_rank) filter (where change_direction is not null) as change_pct,
        arg_min(change_phrase, statement_rank) filter (where change_direction is not null) as change_phrase,
        arg_min(change_reason, statement_rank) filter (where change_reason is not null) as change_reason
{%- endmacro %}
