{#
    One row per execution rate a final account states (docs/staging/stated_execution.md), typed: the subject, the
    final figure the rate goes with, the rate, and the budget where the sentence states it.
#}

with

source as (

    select * from {{ source('staging', 'stated_execution') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,
        cast(line_item_index as integer) as line_item_index,

        ----------  the subject
        cast(subject_kind as varchar) as subject_kind,
        cast(fund_scope as varchar) as fund_scope,
        cast(code as varchar) as code,
        cast(subject_name as varchar) as subject_name,

        ----------  what was printed
        cast(raw_final as varchar) as raw_final,
        cast(final_unit as varchar) as final_unit,
        cast(raw_rate as varchar) as raw_rate,
        cast(raw_budget as varchar) as raw_budget,
        cast(budget_unit as varchar) as budget_unit,

        ----------  where it was printed
        {{ statement_frame_lineage() }},

        ----------  amounts and the rate
        cast(final_amount as decimal(20, 4)) as final_amount,
        cast(final_amount_yuan as decimal(20, 2)) as final_amount_yuan,
        cast(rate_pct as decimal(12, 4)) as rate_pct,
        -- digits after the point of the printed rate (99.30% → 2, 100% → 0): its rounding is half a unit of the last
        length(coalesce(regexp_extract(raw_rate, '\.([0-9]+)', 1), '')) as rate_decimals,
        cast(budget_amount as decimal(20, 4)) as budget_amount,
        cast(budget_amount_yuan as decimal(20, 2)) as budget_amount_yuan

    from source

)

select * from renamed
