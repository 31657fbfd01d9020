{#
    The reconciliation checks (docs/reconciliation.md): one row per rule, document, fund scope and check subject,
    passing checks included. The rules are listed in seeds/dq_rules.csv (name, severity, tolerance); each rule is
    evaluated by an intermediate model int_dq_rule_* that returns one row per check and figure involved
    (dq_check_columns), each figure named by its fact_id in int_dq_figures (a spending or a revenue fact); here they
    are grouped into one row per check with the tolerance, the status, a sentence and the lineage of every figure
    involved.
      tolerance_yuan  exact: 0; half_coarser_unit: half the printed resolution of the coarsest statement involved,
                      rounded down to the fen (amounts are whole fen, so 0.005 and 0.00 test the same)
      status          pass when |actual - expected| <= tolerance; otherwise fail (severity error) or warn (severity warn)
#}

with

rules as (

    select * from {{ ref('dq_rules') }}

),

involved as (

    {%- for rule_model in ['int_dq_rule_hierarchy', 'int_dq_rule_measure_sums', 'int_dq_rule_classifications',
                           'int_dq_rule_statements', 'int_dq_rule_scopes', 'int_dq_rule_income'] %}
    select {{ dq_check_columns() }}, '{{ rule_model }}' as source_model from {{ ref(rule_model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

----------  every figure a check can involve: spending facts and revenue facts (int_dq_figures)

facts as (

    select * from {{ ref('int_dq_figures') }}

),

statements as (

    select * from {{ ref('int_dq_statements') }}

),

documents as (

    select * from {{ ref('stg_documents') }}

),

----------  every figure involved: where it stands (one statement, or the fact and what it rests on)

involved_refs as (

    select

        involved.*,
        involved.rule_id || '|' || involved.document_id || '|' || involved.fund_scope || '|' || involved.subject
            as check_id,
        case
            when involved.statement_id is not null then facts.fact_label || ' ' || statements.statement_ref
            else facts.lineage_text
        end as ref_text,
        case
            when involved.statement_id is not null then statements.resolution_yuan
            else facts.resolution_yuan
        end as resolution_yuan,
        list_distinct([involved.fact_id] || facts.basis_fact_ids) as involved_fact_ids

    from involved
    inner join facts
        on facts.fact_id = involved.fact_id
    left join statements
        on statements.statement_id = involved.statement_id

),

----------  one group per check, rule by rule (a check belongs to one rule): the lists of a single rule's
----------  checks are held at a time, so the memory this takes does not grow with the number of rules

checks as (

    {%- for rule_model in ['int_dq_rule_hierarchy', 'int_dq_rule_measure_sums', 'int_dq_rule_classifications',
                           'int_dq_rule_statements', 'int_dq_rule_scopes', 'int_dq_rule_income'] %}

    select

        check_id,
        any_value(rule_id) as rule_id,
        any_value(document_id) as document_id,
        any_value(fund_scope) as fund_scope,
        any_value(classification) as classification,
        any_value(code) as code,
        any_value(measure) as measure,
        any_value(subject) as subject,
        any_value(actual_yuan) as actual_yuan,
        any_value(expected_yuan) as expected_yuan,
        any_value(actual_label) as actual_label,
        any_value(expected_label) as expected_label,
        any_value(note) as note,
        max(resolution_yuan) as resolution_yuan,
        list_sort(list_distinct(flatten(list(involved_fact_ids)))) as fact_ids,
        array_to_string(list_sort(list_distinct(list(ref_text) filter (where side = 'actual'))), '; ')
            as actual_refs,
        array_to_string(list_sort(list_distinct(list(ref_text) filter (where side = 'expected'))), '; ')
            as expected_refs

    from involved_refs
    where source_model = '{{ rule_model }}'
    group by check_id
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

evaluated as (

    select

        checks.*,
        rules.name as rule_name,
        rules.severity,
        cast(checks.actual_yuan - checks.expected_yuan as decimal(20, 2)) as difference_yuan,
        cast(
            case rules.tolerance
                when 'exact' then 0
                when 'half_coarser_unit' then floor(coalesce(checks.resolution_yuan, 0.01) * 100 / 2) / 100
            end
            as decimal(20, 2)
        ) as tolerance_yuan

    from checks
    left join rules
        on rules.rule_id = checks.rule_id

),

final as (

    select

        ----------  ids
        evaluated.check_id,
        evaluated.rule_id,
        evaluated.rule_name,
        evaluated.severity,
        case
            when abs(evaluated.difference_yuan) <= evaluated.tolerance_yuan then 'pass'
            when evaluated.severity = 'warn' then 'warn'
            else 'fail'
        end as status,

        ----------  what was checked
        evaluated.document_id,
        documents.region_code,
        documents.fiscal_year,
        documents.stage,
        evaluated.fund_scope,
        evaluated.classification,
        evaluated.code,
        evaluated.measure,
        evaluated.subject,

        ----------  the figures
        cast(evaluated.expected_yuan as decimal(20, 2)) as expected_yuan,
        cast(evaluated.actual_yuan as decimal(20, 2)) as actual_yuan,
        evaluated.difference_yuan,
        evaluated.tolerance_yuan,
        evaluated.actual_label || ' = ' || {{ dq_fmt_yuan('evaluated.actual_yuan') }} || ' yuan; '
            || evaluated.expected_label || ' = ' || {{ dq_fmt_yuan('evaluated.expected_yuan') }} || ' yuan: '
            || case
                when evaluated.difference_yuan = 0
                    then 'they agree'
                when abs(evaluated.difference_yuan) <= evaluated.tolerance_yuan
                    then 'they differ by ' || {{ dq_fmt_yuan('evaluated.difference_yuan') }}
                         || ' yuan, within the tolerance of ' || {{ dq_fmt_yuan('evaluated.tolerance_yuan') }}
                         || ' yuan (the figures are printed at different precision)'
                else 'they differ by ' || {{ dq_fmt_yuan('evaluated.difference_yuan') }}
                     || ' yuan (tolerance ' || {{ dq_fmt_yuan('evaluated.tolerance_yuan') }} || ' yuan)'
            end || '.' || coalesce(' ' || evaluated.note, '') as detail,

        ----------  lineage of the figures involved
        len(evaluated.fact_ids) as n_facts,
        evaluated.fact_ids,
        'checked: ' || evaluated.actual_refs || ' | against: ' || evaluated.expected_refs as lineage

    from evaluated
    left join documents
        on documents.document_id = evaluated.document_id

)

select * from final
