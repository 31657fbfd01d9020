{#
    Generic test (arithmetic): a parent row's amount equals the sum of its children's amounts, where the children
    are the rows of the same model whose `parent_column` is the parent's `code_column` within the same `group_by`
    columns (document, fund scope, classification, measure).

    parents_where selects which parents are checked (e.g. "is_derived" for derived parents, which must add up
    exactly, or "not is_derived" for stated parents, whose disagreement with their children is the document's).
    check_n_children also compares the parent's n_children with the number of children found.
    Parents without any child row are not checked.
#}
{% test parent_equals_sum_of_children(model, column_name, code_column, parent_column, group_by,
                                      parents_where='true', check_n_children=false) %}
    with

    parents as (

        select * from {{ model }}
        where {{ parents_where }}

    ),

    children as (

        select
            {{ group_by | join(', ') }},
            {{ parent_column }} as parent_code,
            sum({{ column_name }}) as children_amount,
            count(*) as n_children_found
        from {{ model }}
        where {{ parent_column }} is not null
        group by all

    )

    select
        {% for c in group_by %}parents.{{ c }}, {% endfor %}
        parents.{{ code_column }},
        parents.{{ column_name }} as parent_amount,
        children.children_amount,
        children.n_children_found
        {%- if check_n_children %}, parents.n_children {%- endif %}
    from parents
    inner join children
        on  {% for c in group_by %}parents.{{ c }} = children.{{ c }} and {% endfor %}
            parents.{{ code_column }} = children.parent_code
    where parents.{{ column_name }} <> children.children_amount
        {%- if check_n_children %}
        or parents.n_children is distinct from children.n_children_found
        {%- endif %}
{% endtest %}
