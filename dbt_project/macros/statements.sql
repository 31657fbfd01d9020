{#
    Helpers shared by the models of statements: the facts (int_facts_stated) and the statement frames of
    ingestion.statements (stg_project_items, stg_stated_execution, fct_project_spending …).
#}

{#-
    The statements of a figure that did not win, in order, as text:
      `<table|prose> [table number] item <item_index> [line <n>]: <amount_yuan>`, separated by `; `
    A window expression over the rows of one figure (partition_by), ranked by statement_rank (1 = the winner).
-#}
{% macro other_statements(partition_by) -%}
    string_agg(
            case
                when statement_rank > 1
                    then source_kind
                        || coalesce(' ' || table_number, '')
                        || ' item ' || item_index
                        || coalesce(' line ' || line_number, '')
                        || ': ' || cast(amount_yuan as varchar)
            end,
            '; '
        ) over (
            partition by {{ partition_by }}
            order by statement_rank
            rows between unbounded preceding and unbounded following
        )
{%- endmacro %}

{#-
    The lineage columns every statement frame shares (ingestion.statements.LINEAGE_COLUMNS), typed: for the
    staging models of the statement frames.
-#}
{% macro statement_frame_lineage() -%}
        cast(sha256 as varchar) as sha256,
        cast(source_kind as varchar) as source_kind,
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
