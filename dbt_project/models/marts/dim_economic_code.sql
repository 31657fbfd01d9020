{#
    支出经济分类, both sets: 部门预算支出经济分类 (econ_dept, 3xx) and 政府预算支出经济分类 (econ_gov, 5xx).
    One row per (classification, code); the two sets use disjoint code ranges, so the code alone is unique too.
    corresponding_codes lists the other set's codes from ref_econ_dept_to_gov, with their condition.
#}

with

catalog as (

    select * from {{ ref('int_code_catalog') }}
    where classification in ('econ_dept', 'econ_gov')

),

correspondence as (

    select * from {{ ref('ref_econ_dept_to_gov') }}

),

latest as (

    select * from catalog where name_rank = 1

),

names as (

    select
        classification,
        code,
        string_agg(distinct name, ' | ' order by name) as all_names,
        string_agg(
            name || ' [' || coalesce(cast(valid_from_year as varchar), '?')
                || '–' || coalesce(cast(valid_to_year as varchar), '?') || ']',
            '; '
            order by coalesce(valid_from_year, 0), coalesce(valid_to_year, 9999), name
        ) filter (where not is_name_variant) as name_history,
        string_agg(distinct name, ' | ' order by name) filter (where is_name_variant) as printed_variants,
        count(distinct name) as n_names
    from catalog
    group by classification, code

),

corresponding as (

    select
        'econ_dept' as classification,
        dept_code as code,
        string_agg(gov_code || ' ' || gov_name || ' [' || condition || '; ' || confidence || ']', '; '
            order by gov_code, condition) as corresponding_codes
    from correspondence
    group by dept_code

    union all

    select
        'econ_gov' as classification,
        gov_code as code,
        string_agg(dept_code || ' ' || dept_name || ' [' || condition || '; ' || confidence || ']', '; '
            order by dept_code, condition) as corresponding_codes
    from correspondence
    group by gov_code

),

final as (

    select

        ----------  ids
        latest.classification,
        latest.code as econ_code,

        ----------  dimensions
        latest.level as econ_level,
        latest.parent_code as parent_econ_code,
        left(latest.code, 3) as class_code,
        latest.name,
        names.all_names,
        names.name_history,
        names.printed_variants,
        names.n_names,
        corresponding.corresponding_codes,
        latest.confidence,
        latest.source,
        latest.note

    from latest
    inner join names
        on  names.classification = latest.classification
        and names.code = latest.code
    left join corresponding
        on  corresponding.classification = latest.classification
        and corresponding.code = latest.code

)

select * from final
