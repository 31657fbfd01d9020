{#
    支出功能分类: one row per function code, with its latest catalog name and every name it has had
    (renames over the years and variants printed in documents).
#}

with

catalog as (

    select * from {{ ref('int_code_catalog') }}
    where classification = 'function'

),

latest as (

    select * from catalog where name_rank = 1

),

names as (

    select
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
    group by code

),

final as (

    select

        ----------  ids
        latest.code as function_code,

        ----------  dimensions
        latest.level as function_level,
        latest.parent_code as parent_function_code,
        left(latest.code, 3) as class_code,
        case when length(latest.code) = 7 then left(latest.code, 5) end as section_code,
        latest.name,
        names.all_names,
        names.name_history,
        names.printed_variants,
        names.n_names,
        latest.confidence,
        latest.source,
        latest.note

    from latest
    inner join names
        on names.code = latest.code

)

select * from final
