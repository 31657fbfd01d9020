{#
    The three code catalogs (seeds) as one list: one row per catalog row, i.e. per (classification, code, name).
    A code can have several rows: names that changed over the years (valid_from_year / valid_to_year, blank =
    unknown) and name variants printed in documents (rows whose note starts with "name variant:"; they serve
    the ingestion's name look-up and are never chosen as a code's name).
#}

with

function_codes as (

    select
        'function' as classification,
        code, name, level, parent_code, valid_from_year, valid_to_year, source, confidence, note
    from {{ ref('ref_function_codes') }}

),

econ_dept_codes as (

    select
        'econ_dept' as classification,
        code, name, level, parent_code, valid_from_year, valid_to_year, source, confidence, note
    from {{ ref('ref_economic_codes_dept') }}

),

econ_gov_codes as (

    select
        'econ_gov' as classification,
        code, name, level, parent_code,
        cast(null as integer) as valid_from_year,
        cast(null as integer) as valid_to_year,
        source, confidence, note
    from {{ ref('ref_economic_codes_gov') }}

),

unioned as (

    select * from function_codes
    union all
    select * from econ_dept_codes
    union all
    select * from econ_gov_codes

),

final as (

    select

        ----------  ids
        classification,
        code,

        ----------  the row
        name,
        level,
        parent_code,
        valid_from_year,
        valid_to_year,
        coalesce(note, '') like 'name variant:%' as is_name_variant,
        source,
        confidence,
        case confidence when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end as confidence_rank,
        note,

        ----------  the order in which a code's names are preferred as "its latest name":
        ----------  catalog names before printed variants, open-ended or latest valid_to, latest valid_from,
        ----------  best confidence, then the name itself so the choice is deterministic
        row_number() over (
            partition by classification, code
            order by
                coalesce(note, '') like 'name variant:%',
                coalesce(valid_to_year, 9999) desc,
                coalesce(valid_from_year, 0) desc,
                case confidence when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end,
                name
        ) as name_rank

    from unioned

)

select * from final
