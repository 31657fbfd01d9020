{#
    Every GB/T 2260 region code since 1981 (ref_region_history), one row per code, with its latest name and
    every name it has had; is_current marks the codes in force in 2025 (ref_regions).
#}

with

history as (

    select * from {{ ref('ref_region_history') }}

),

current_regions as (

    select * from {{ ref('ref_regions') }}

),

ranked as (

    select

        *,

        row_number() over (
            partition by code
            order by
                case status when 'active' then 0 else 1 end,
                coalesce(valid_to_year, 9999) desc,
                valid_from_year desc,
                name
        ) as name_rank

    from history

),

names as (

    select
        code,
        string_agg(distinct name, ' | ' order by name) as all_names,
        string_agg(
            name || ' [' || coalesce(cast(valid_from_year as varchar), '?')
                || '–' || coalesce(cast(valid_to_year as varchar), '') || ']',
            '; '
            order by valid_from_year, name
        ) as name_history,
        count(distinct name) as n_names,
        min(valid_from_year) as valid_from_year,
        case when bool_or(status = 'active') then null else max(valid_to_year) end as valid_to_year
    from history
    group by code

),

latest as (

    select * from ranked where name_rank = 1

),

final as (

    select

        ----------  ids
        latest.code as region_code,

        ----------  dimensions
        latest.name as region_name,
        latest.level as admin_level,
        latest.parent_code as parent_region_code,
        left(latest.code, 2) || '0000' as province_code,
        case
            when latest.level = 'county' and right(latest.parent_code, 4) <> '0000' then latest.parent_code
            when latest.level = 'prefecture' then latest.code
        end as prefecture_code,
        names.all_names,
        names.name_history,
        names.n_names,
        current_regions.code is not null as is_current,
        latest.status,
        case when latest.status <> 'active' then nullif(latest.new_code, '') end as successor_code,
        names.valid_from_year,
        names.valid_to_year,
        latest.source

    from latest
    inner join names
        on names.code = latest.code
    left join current_regions
        on current_regions.code = latest.code

)

select * from final
