{#
    One row per 三公 figure a document states (staging.three_public_items, docs/staging/three_public_items.md), typed,
    with source_kind_rank (tables before prose) for the mart's "first statement wins".
#}

with

source as (

    select * from {{ source('staging', 'three_public_items') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,

        ----------  key of the figure
        cast(category as varchar) as category,
        cast(figure_kind as varchar) as figure_kind,

        ----------  what was printed
        cast(category_label as varchar) as category_label,
        cast(is_stated_none as boolean) as is_stated_none,
        cast(raw_amount as varchar) as raw_amount,
        cast(unit as varchar) as unit,
        cast(column_label as varchar) as column_label,
        cast(phrase as varchar) as phrase,

        ----------  the previous year's figure, the change and its reason, the execution rate
        cast(previous_year as integer) as previous_year,
        cast(previous_raw_amount as varchar) as previous_raw_amount,
        cast(previous_unit as varchar) as previous_unit,
        cast(previous_amount_yuan as decimal(20, 2)) as previous_amount_yuan,
        cast(change_phrase as varchar) as change_phrase,
        cast(change_direction as varchar) as change_direction,
        cast(change_raw_amount as varchar) as change_raw_amount,
        cast(change_unit as varchar) as change_unit,
        cast(change_amount_yuan as decimal(20, 2)) as change_amount_yuan,
        cast(change_pct as decimal(20, 4)) as change_pct,
        cast(change_reason as varchar) as change_reason,
        cast(execution_rate_pct as decimal(20, 4)) as execution_rate_pct,

        ----------  where it was printed
        {{ statement_lineage_casts() }},

        ----------  amounts
        cast(amount as decimal(20, 4)) as amount,
        cast(amount_yuan as decimal(20, 2)) as amount_yuan

    from source

)

select * from renamed
