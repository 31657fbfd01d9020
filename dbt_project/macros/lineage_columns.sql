{#
    The lineage columns every fact carries: where the winning statement's first row stands in its document
    (docs/staging.md). One list, so the marts and the intermediate models cannot drift apart.
      relation   prefix the columns with this relation name (e.g. 'facts'), or none
      with_code  include raw_code and code_source (not for totals, which have no code)
      with_rank  include source_kind_rank (intermediate models only)
#}
{% macro lineage_columns(relation=none, with_code=true, with_rank=false) -%}
    {%- set columns = ['sha256', 'source_kind'] -%}
    {%- if with_rank -%}{%- do columns.append('source_kind_rank') -%}{%- endif -%}
    {%- do columns.extend(['item_index', 'table_index', 'table_number', 'table_title', 'page', 'row_number',
                           'line_number', 'column_label']) -%}
    {%- if with_code -%}{%- do columns.append('raw_code') -%}{%- endif -%}
    {%- do columns.extend(['raw_amount', 'unit']) -%}
    {%- if with_code -%}{%- do columns.append('code_source') -%}{%- endif -%}
    {%- for column in columns %}
        {% if relation %}{{ relation }}.{% endif %}{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
