{#
    One row per income figure a document states (收支总表 income side, 收入总表, sentences, forms) and per expenditure
    total it balances them against (side = 'expenditure'), typed (docs/staging/revenue_items.md).
#}

with

source as (

    select * from {{ source('staging', 'revenue_items') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,

        ----------  key of the figure
        cast(fund_scope as varchar) as fund_scope,
        cast(side as varchar) as side,
        cast(source_key as varchar) as source_key,
        cast(function_code as varchar) as function_code,

        ----------  what was printed
        cast(source_name as varchar) as source_name,
        cast(function_name as varchar) as function_name,
        cast(raw_amount as varchar) as raw_amount,
        cast(unit as varchar) as unit,

        ----------  where it was printed
        cast(sha256 as varchar) as sha256,
        cast(source_kind as varchar) as source_kind,
        cast(table_index as integer) as table_index,
        cast(table_number as varchar) as table_number,
        cast(table_title as varchar) as table_title,
        cast(page as integer) as page,
        cast(sheet_name as varchar) as sheet_name,
        cast("row_number" as integer) as row_number,
        cast(cell_ref as varchar) as cell_ref,
        cast(line_number as integer) as line_number,
        cast(column_label as varchar) as column_label,
        cast(extraction as varchar) as extraction,
        -- no arithmetic confirms an income figure read by OCR: it stays unverified
        case when extraction = 'ocr' then false end as ocr_verified,

        ----------  amounts
        cast(amount as decimal(20, 4)) as amount,
        cast(amount_yuan as decimal(20, 2)) as amount_yuan

    from source

),

derived as (

    select

        *,

        case source_kind when 'table' then 0 when 'prose' then 1 end as source_kind_rank,

        case unit
            when '元' then 1
            when '百元' then 100
            when '千元' then 1000
            when '万元' then 10000
            when '亿元' then 100000000
        end as unit_factor

    from renamed

)

select * from derived
