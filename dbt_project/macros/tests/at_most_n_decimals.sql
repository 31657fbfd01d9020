{#
    Generic test: a decimal column has no more than `places` digits after the point
    (amount_yuan is exact yuan and fen: at most 2).
#}
{% test at_most_n_decimals(model, column_name, places=2) %}
    select *
    from {{ model }}
    where {{ column_name }} is not null
      and cast({{ column_name }} as decimal(38, 10)) <> round(cast({{ column_name }} as decimal(38, 10)), {{ places }})
{% endtest %}
