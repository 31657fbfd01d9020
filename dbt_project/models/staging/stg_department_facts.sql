{#
    One row per fact a document states about the department (staging.department_facts,
    docs/staging/department_facts.md), typed: as_of_date becomes a DATE; source_kind_rank orders tables before prose.
#}

with

source as (

    select * from {{ source('staging', 'department_facts') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,

        ----------  key of the fact
        cast(fact_key as varchar) as fact_key,
        cast(fact_group as varchar) as fact_group,
        cast(value_kind as varchar) as value_kind,

        ----------  what was printed
        cast(label as varchar) as label,
        cast(raw_value as varchar) as raw_value,
        cast(unit as varchar) as unit,
        cast(is_stated_none as boolean) as is_stated_none,
        cast(as_of_date as date) as as_of_date,
        cast(as_of_text as varchar) as as_of_text,
        cast(column_label as varchar) as column_label,
        cast(phrase as varchar) as phrase,

        ----------  the change against the previous year and its reason
        cast(change_phrase as varchar) as change_phrase,
        cast(change_direction as varchar) as change_direction,
        cast(change_raw_amount as varchar) as change_raw_amount,
        cast(change_unit as varchar) as change_unit,
        cast(change_amount_yuan as decimal(20, 2)) as change_amount_yuan,
        cast(change_pct as decimal(20, 4)) as change_pct,
        cast(change_reason as varchar) as change_reason,

        ----------  where it was printed
        {{ statement_lineage_casts() }},

        ----------  values
        cast(value as decimal(20, 4)) as value,
        cast(amount_yuan as decimal(20, 2)) as amount_yuan

    from source

)

select * from renamed
