{#
    Generic test: every row satisfies a SQL boolean expression (rows where it is false or NULL fail).
    The expression is complete in itself; when the test is attached to a column, the column only says where
    the test is documented.

    data_tests:
      - expression_is_true:
          arguments:
            expression: "(classification = 'total') = (code is null)"
#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce({{ expression }}, false)
{% endtest %}
