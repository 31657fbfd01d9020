{#
    Generic test: the combination of columns is unique in the model.
    NULLs compare equal (GROUP BY semantics), so a key such as (document_id, fund_scope, code)
    with code NULL for totals is still checked.

    data_tests:
      - unique_combination_of_columns:
          arguments:
            combination_of_columns: [document_id, fund_scope, measure]
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {%- set columns_csv = combination_of_columns | join(', ') -%}
    select
        {{ columns_csv }},
        count(*) as n_rows
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1
{% endtest %}
