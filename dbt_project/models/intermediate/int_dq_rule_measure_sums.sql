{#
    R03 total_equals_basic_plus_project, R04 basic_equals_personnel_plus_public, R11 basic_equals_its_economic_parts,
    R12 project_equals_general_plus_special (seeds/dq_rules.csv): a measure against the sum of its parts, for each
    subject the document states it for (a document total, or a code), per document and fund scope. Stated figures
    only (is_derived = false).

    A check is made where the whole and at least one part are stated. A part not stated for the subject counts as 0
    when the document states that measure for another subject of the same fund scope and classification (its
    column exists; a blank cell is no spending, as in the row arithmetic of docs/conventions.md); a core part
    missing altogether (no such column anywhere) means the check is not made. Optional parts count only where stated.
    One row per check and figure involved (dq_check_columns): the whole on side `actual`, each stated part on side
    `expected`.
#}

{%- set rules = [
    ('R03', 'total', [('basic', true), ('project', true), ('operating', false), ('remit_upper', false),
                      ('subsidiary_grants', false), ('unit_reserve', false), ('carry_forward', false)]),
    ('R04', 'basic', [('personnel', true), ('public', true)]),
    ('R11', 'basic', [('basic_wages_welfare', true), ('basic_goods_services', true),
                      ('basic_household_transfers', false)]),
    ('R12', 'project', [('project_general', true), ('project_special', true)]),
] %}

with

rule_parts as (

    select * from (
        values
        {%- for rule_id, whole, parts in rules %}
            {%- set outer_last = loop.last %}
            {%- for part, is_core in parts %}
            ('{{ rule_id }}', '{{ whole }}', '{{ part }}', {{ is_core }}, {{ loop.index }}){{ ',' if not (outer_last and loop.last) }}
            {%- endfor %}
        {%- endfor %}
    ) as t (rule_id, whole_measure, part_measure, is_core, part_order)

),

stated as (

    select * from {{ ref('int_dq_facts') }}
    where not is_derived

),

columns_present as (

    select distinct document_id, fund_scope, classification, measure
    from stated

),

wholes as (

    select rules.rule_id, stated.*
    from (select distinct rule_id, whole_measure from rule_parts) as rules
    inner join stated
        on stated.measure = rules.whole_measure

),

parts as (

    select
        wholes.rule_id,
        wholes.fact_id as whole_fact_id,
        rule_parts.part_measure,
        rule_parts.is_core,
        rule_parts.part_order,
        part.fact_id as part_fact_id,
        part.amount_yuan as part_yuan,
        columns_present.measure is not null as column_present
    from wholes
    inner join rule_parts
        on rule_parts.rule_id = wholes.rule_id
    left join stated as part
        on  part.document_id = wholes.document_id
        and part.fund_scope = wholes.fund_scope
        and part.classification = wholes.classification
        and part.code is not distinct from wholes.code
        and part.measure = rule_parts.part_measure
    left join columns_present
        on  columns_present.document_id = wholes.document_id
        and columns_present.fund_scope = wholes.fund_scope
        and columns_present.classification = wholes.classification
        and columns_present.measure = rule_parts.part_measure

),

sums as (

    select
        rule_id,
        whole_fact_id,
        sum(coalesce(part_yuan, 0)) as parts_yuan,
        count(part_fact_id) as n_parts_stated,
        bool_and(part_fact_id is not null or column_present or not is_core) as core_parts_known,
        string_agg(
            case
                when part_fact_id is not null then part_measure || ' ' || {{ dq_fmt_yuan('part_yuan') }}
                when is_core then part_measure || ' (blank for this subject: 0)'
            end,
            ' + ' order by part_order
        ) as parts_text,
        string_agg(
            case when part_fact_id is not null or is_core then part_measure end,
            ' + ' order by part_order
        ) as equation_parts
    from parts
    group by rule_id, whole_fact_id

),

checks as (

    select

        wholes.rule_id,
        wholes.document_id,
        wholes.fund_scope,
        wholes.classification,
        wholes.code,
        wholes.measure,
        case when wholes.classification = 'total' then 'document total' else wholes.classification || ' ' || wholes.code end
            || ': ' || wholes.measure || ' = '
            || sums.equation_parts as subject,
        wholes.amount_yuan as actual_yuan,
        sums.parts_yuan as expected_yuan,
        'stated ' || wholes.fact_label as actual_label,
        'the sum of its parts ' || sums.parts_text as expected_label,
        cast(null as varchar) as note,
        wholes.fact_id as whole_fact_id

    from wholes
    inner join sums
        on  sums.rule_id = wholes.rule_id
        and sums.whole_fact_id = wholes.fact_id
    where sums.n_parts_stated >= 1
      and sums.core_parts_known

),

final as (

    select checks.* exclude (whole_fact_id), 'actual' as side, checks.whole_fact_id as fact_id,
           cast(null as varchar) as statement_id
    from checks

    union all

    select checks.* exclude (whole_fact_id), 'expected' as side, parts.part_fact_id,
           cast(null as varchar) as statement_id
    from checks
    inner join parts
        on  parts.rule_id = checks.rule_id
        and parts.whole_fact_id = checks.whole_fact_id
        and parts.part_fact_id is not null

)

select {{ dq_check_columns() }} from final
