{#
    Generic test: every combination of `columns` in the model exists in `to` (same column names).
    Rows with a NULL in any of the columns are not checked (as in dbt's relationships test).

    data_tests:
      - relationships_composite:
          arguments:
            to: ref('stg_tables')
            columns: [document_id, table_index]
#}
{% test relationships_composite(model, to, columns) %}
    with

    child as (

        select distinct {{ columns | join(', ') }}
        from {{ model }}
        where {% for c in columns %}{{ c }} is not null{% if not loop.last %} and {% endif %}{% endfor %}

    ),

    parent as (

        select distinct {{ columns | join(', ') }}
        from {{ to }}

    )

    select child.*
    from child
    left join parent
        on {% for c in columns %}child.{{ c }} = parent.{{ c }}{% if not loop.last %} and {% endif %}{% endfor %}
    where parent.{{ columns[0] }} is null
{% endtest %}
