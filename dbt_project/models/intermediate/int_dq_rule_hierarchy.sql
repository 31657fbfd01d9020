{#
    R01 function_parent_equals_sum_of_children, R02 economic_class_equals_sum_of_items (seeds/dq_rules.csv).
    A stated parent against the sum of its children (stated, or derived from their own stated children) in the
    same document, fund scope, classification and measure. One row per check and figure involved
    (dq_check_columns): the parent on side `actual`, each child on side `expected`.
#}

with

facts as (

    select * from {{ ref('int_dq_facts') }}
    where classification in ('function', 'econ_dept', 'econ_gov')

),

parents as (

    select * from facts
    where not is_derived
      and (
            (classification = 'function' and code_level in ('class', 'section'))
         or (classification in ('econ_dept', 'econ_gov') and code_level = 'class')
      )

),

children as (

    select
        parents.fact_id as parent_fact_id,
        child.fact_id,
        child.code,
        child.amount_yuan
    from parents
    inner join facts as child
        on  child.document_id = parents.document_id
        and child.fund_scope = parents.fund_scope
        and child.classification = parents.classification
        and child.measure = parents.measure
        and child.parent_code = parents.code

),

sums as (

    select
        parent_fact_id,
        sum(amount_yuan) as children_yuan,
        count(*) as n_children,
        string_agg(code, ', ' order by code) as child_codes
    from children
    group by parent_fact_id

),

checks as (

    select

        case when parents.classification = 'function' then 'R01' else 'R02' end as rule_id,
        parents.document_id,
        parents.fund_scope,
        parents.classification,
        parents.code,
        parents.measure,
        {{ dq_key_text('parents.classification', 'parents.code', 'parents.measure') }}
            || ' = Σ ' || case when parents.code_level = 'class' and parents.classification = 'function'
                               then 'sections' else 'items' end as subject,
        parents.amount_yuan as actual_yuan,
        sums.children_yuan as expected_yuan,
        'stated ' || parents.fact_label as actual_label,
        'the sum of its ' || sums.n_children || ' '
            || case when parents.code_level = 'class' and parents.classification = 'function' then 'section' else 'item' end
            || case when sums.n_children > 1 then 's' else '' end
            || ' (' || sums.child_codes || ')' as expected_label,
        cast(null as varchar) as note,
        parents.fact_id as parent_fact_id

    from parents
    inner join sums
        on sums.parent_fact_id = parents.fact_id

),

final as (

    select checks.* exclude (parent_fact_id), 'actual' as side, checks.parent_fact_id as fact_id,
           cast(null as varchar) as statement_id
    from checks

    union all

    select checks.* exclude (parent_fact_id), 'expected' as side, children.fact_id,
           cast(null as varchar) as statement_id
    from checks
    inner join children
        on children.parent_fact_id = checks.parent_fact_id

)

select {{ dq_check_columns() }} from final
