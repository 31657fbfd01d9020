{#
    Totals across classifications (seeds/dq_rules.csv), per document, fund scope and measure; class sums include
    derived classes (a class the document does not print but whose sections or items it does):
      R05 document_total_equals_function_classes       a document total = Σ function classes
      R06 function_total_equals_economic_total         Σ function classes = Σ econ_dept classes
                                                       (Σ econ_gov classes where the document has no econ_dept class
                                                       for that scope and measure)
      R07 dept_economic_total_equals_gov_economic_total  Σ econ_gov classes = Σ econ_dept classes
    One row per check and figure involved (dq_check_columns).
#}

with

facts as (

    select * from {{ ref('int_dq_facts') }}

),

classes as (

    select * from facts
    where classification in ('function', 'econ_dept', 'econ_gov')
      and code_level = 'class'

),

class_sums as (

    select
        document_id,
        fund_scope,
        classification,
        measure,
        sum(amount_yuan) as classes_yuan,
        count(*) as n_classes,
        string_agg(code || case when is_derived then ' derived' else '' end, ', ' order by code) as class_codes
    from classes
    group by all

),

totals as (

    select * from facts
    where classification = 'total'

),

----------  R05: a document total against its function classes

r05 as (

    select
        'R05' as rule_id,
        totals.document_id,
        totals.fund_scope,
        'total' as classification,
        cast(null as varchar) as code,
        totals.measure,
        'document total = Σ function classes, ' || totals.measure as subject,
        totals.amount_yuan as actual_yuan,
        function_sums.classes_yuan as expected_yuan,
        'stated ' || totals.fact_label as actual_label,
        'the sum of its ' || function_sums.n_classes || ' function class'
            || case when function_sums.n_classes > 1 then 'es' else '' end
            || ' (' || function_sums.class_codes || ')' as expected_label,
        cast(null as varchar) as note,
        'total' as actual_classification,
        'function' as expected_classification,
        totals.fact_id as actual_fact_id
    from totals
    inner join class_sums as function_sums
        on  function_sums.document_id = totals.document_id
        and function_sums.fund_scope = totals.fund_scope
        and function_sums.measure = totals.measure
        and function_sums.classification = 'function'

),

----------  R06: function classes against economic classes (econ_dept, else econ_gov)

economic_sums as (

    select *
    from class_sums
    where classification = 'econ_dept'
       or (
            classification = 'econ_gov'
            and not exists (
                select 1 from class_sums as dept
                where dept.document_id = class_sums.document_id
                  and dept.fund_scope = class_sums.fund_scope
                  and dept.measure = class_sums.measure
                  and dept.classification = 'econ_dept'
            )
       )

),

r06 as (

    select
        'R06' as rule_id,
        function_sums.document_id,
        function_sums.fund_scope,
        'function' as classification,
        cast(null as varchar) as code,
        function_sums.measure,
        'Σ function classes = Σ ' || economic_sums.classification || ' classes, ' || function_sums.measure as subject,
        function_sums.classes_yuan as actual_yuan,
        economic_sums.classes_yuan as expected_yuan,
        'the sum of the ' || function_sums.n_classes || ' function class'
            || case when function_sums.n_classes > 1 then 'es' else '' end
            || ' (' || function_sums.class_codes || ') [' || function_sums.fund_scope || ', ' || function_sums.measure || ']'
            as actual_label,
        'the sum of the ' || economic_sums.n_classes || ' ' || economic_sums.classification || ' class'
            || case when economic_sums.n_classes > 1 then 'es' else '' end
            || ' (' || economic_sums.class_codes || ')' as expected_label,
        cast(null as varchar) as note,
        'function' as actual_classification,
        economic_sums.classification as expected_classification,
        cast(null as varchar) as actual_fact_id
    from class_sums as function_sums
    inner join economic_sums
        on  economic_sums.document_id = function_sums.document_id
        and economic_sums.fund_scope = function_sums.fund_scope
        and economic_sums.measure = function_sums.measure
    where function_sums.classification = 'function'

),

----------  R07: government-economic classes against department-economic classes

r07 as (

    select
        'R07' as rule_id,
        gov_sums.document_id,
        gov_sums.fund_scope,
        'econ_gov' as classification,
        cast(null as varchar) as code,
        gov_sums.measure,
        'Σ econ_gov classes = Σ econ_dept classes, ' || gov_sums.measure as subject,
        gov_sums.classes_yuan as actual_yuan,
        dept_sums.classes_yuan as expected_yuan,
        'the sum of the ' || gov_sums.n_classes || ' econ_gov class'
            || case when gov_sums.n_classes > 1 then 'es' else '' end
            || ' (' || gov_sums.class_codes || ') [' || gov_sums.fund_scope || ', ' || gov_sums.measure || ']'
            as actual_label,
        'the sum of the ' || dept_sums.n_classes || ' econ_dept class'
            || case when dept_sums.n_classes > 1 then 'es' else '' end
            || ' (' || dept_sums.class_codes || ')' as expected_label,
        cast(null as varchar) as note,
        'econ_gov' as actual_classification,
        'econ_dept' as expected_classification,
        cast(null as varchar) as actual_fact_id
    from class_sums as gov_sums
    inner join class_sums as dept_sums
        on  dept_sums.document_id = gov_sums.document_id
        and dept_sums.fund_scope = gov_sums.fund_scope
        and dept_sums.measure = gov_sums.measure
        and dept_sums.classification = 'econ_dept'
    where gov_sums.classification = 'econ_gov'

),

checks as (

    select * from r05
    union all
    select * from r06
    union all
    select * from r07

),

final as (

    -- R05's actual side is the total itself
    select checks.*, 'actual' as side, checks.actual_fact_id as fact_id,
           cast(null as varchar) as statement_id
    from checks
    where checks.actual_fact_id is not null

    union all

    -- R06 and R07's actual side is a set of classes
    select checks.*, 'actual' as side, classes.fact_id, cast(null as varchar) as statement_id
    from checks
    inner join classes
        on  classes.document_id = checks.document_id
        and classes.fund_scope = checks.fund_scope
        and classes.measure = checks.measure
        and classes.classification = checks.actual_classification
    where checks.actual_fact_id is null

    union all

    select checks.*, 'expected' as side, classes.fact_id, cast(null as varchar) as statement_id
    from checks
    inner join classes
        on  classes.document_id = checks.document_id
        and classes.fund_scope = checks.fund_scope
        and classes.measure = checks.measure
        and classes.classification = checks.expected_classification

)

select {{ dq_check_columns() }} from final
