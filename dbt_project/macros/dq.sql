{#
    Helpers of the reconciliation models (docs/reconciliation.md, seeds/dq_rules.csv).
#}

{#- An exact decimal amount as text with thousands separators and 2 decimals: 17039500 -> '17,039,500.00'. -#}
{% macro dq_fmt_yuan(expr) -%}
    (case when ({{ expr }}) < 0 then '-' else '' end
     || format('{:,}', cast(floor(abs({{ expr }})) as hugeint))
     || '.'
     || lpad(cast(cast(abs({{ expr }}) * 100 as hugeint) % 100 as varchar), 2, '0'))
{%- endmacro %}

{#-
    Where a statement stands in its document, as text a person can follow back to the file:
      table 表5 «2020年…» row 3 line 317 item 12: 1,199 百元
      prose paragraph 12 line 94 item 378: 1703.95 万元
    `relation` has the lineage columns of lineage_columns.sql plus n_rows.
-#}
{% macro dq_statement_ref(relation) -%}
    ({{ relation }}.source_kind
     || coalesce(' ' || {{ relation }}.table_number, '')
     || case when {{ relation }}.source_kind = 'table' then coalesce(' «' || {{ relation }}.table_title || '»', '') else '' end
     || coalesce(' page ' || {{ relation }}.page, '')
     || coalesce(' sheet ' || {{ relation }}.sheet_name, '')
     || coalesce(' cell ' || {{ relation }}.cell_ref, '')
     || coalesce(case when {{ relation }}.source_kind = 'prose' then ' paragraph ' else ' row ' end || {{ relation }}.row_number, '')
     || coalesce(' line ' || {{ relation }}.line_number, '')
     || coalesce(' item ' || {{ relation }}.item_index, '')
     || ': ' || coalesce({{ relation }}.raw_amount, '?') || coalesce(' ' || {{ relation }}.unit, '')
     || case when {{ relation }}.n_rows > 1 then ' (first of ' || {{ relation }}.n_rows || ' rows summed)' else '' end)
{%- endmacro %}

{#-
    The key of a figure as text: `function 210 total`, `econ_gov 505 basic`, `total personnel` (document totals).
-#}
{% macro dq_key_text(classification, code, measure) -%}
    ({{ classification }} || coalesce(' ' || {{ code }}, '') || ' ' || {{ measure }})
{%- endmacro %}

{#-
    The columns every rule model (int_dq_rule_*) returns, one row per check and figure involved; dq_results
    groups them into one row per check. Kept here so that the rule models and dq_results cannot drift apart.
      rule_id, document_id, fund_scope, classification, code, measure, subject  the check
      actual_yuan, expected_yuan                 the two sides (difference = actual - expected)
      actual_label, expected_label               what each side is, in words (dq_results.detail)
      note                                       a further sentence for dq_results.detail, or NULL
      side                                       'actual' or 'expected': which side the figure is on
      fact_id                                    the figure involved (int_dq_facts)
      statement_id                               set when one statement of the figure is meant (R08, R09)
-#}
{% macro dq_check_columns() -%}
    rule_id, document_id, fund_scope, classification, code, measure, subject,
    actual_yuan, expected_yuan, actual_label, expected_label, note,
    side, fact_id, statement_id
{%- endmacro %}
