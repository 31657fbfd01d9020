{#
    The lineage columns every fact carries: where the winning statement's first row stands in its document
    (docs/staging.md). One list, so the marts and the intermediate models cannot drift apart.
      relation   prefix the columns with this relation name (e.g. 'facts'), or none
      with_code  include raw_code and code_source (not for totals, which have no code)
      with_rank  include source_kind_rank (intermediate models only)
#}
{% macro _lineage_spec(with_code=true, with_rank=false) -%}
    {%- set spec = [('sha256', 'varchar'), ('source_kind', 'varchar')] -%}
    {%- if with_rank -%}{%- do spec.append(('source_kind_rank', 'integer')) -%}{%- endif -%}
    {%- do spec.extend([('item_index', 'integer'), ('table_index', 'integer'), ('table_number', 'varchar'),
                        ('table_title', 'varchar'), ('page', 'integer'), ('sheet_name', 'varchar'),
                        ('row_number', 'integer'), ('cell_ref', 'varchar'), ('line_number', 'integer'),
                        ('column_label', 'varchar')]) -%}
    {%- if with_code -%}{%- do spec.append(('raw_code', 'varchar')) -%}{%- endif -%}
    {%- do spec.extend([('raw_amount', 'varchar'), ('unit', 'varchar')]) -%}
    {%- if with_code -%}{%- do spec.append(('code_source', 'varchar')) -%}{%- endif -%}
    {%- do spec.extend([('extraction', 'varchar'), ('ocr_verified', 'boolean')]) -%}
    {{- return(spec) -}}
{%- endmacro %}

{% macro lineage_columns(relation=none, with_code=true, with_rank=false) -%}
    {%- for column, _ in _lineage_spec(with_code, with_rank) %}
        {% if relation %}{{ relation }}.{% endif %}{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- The same columns, all NULL (for derived rows, which no printed row stands behind). -#}
{% macro null_lineage_columns(with_code=true, with_rank=false) -%}
    {%- for column, type in _lineage_spec(with_code, with_rank) %}
        cast(null as {{ type }}) as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
