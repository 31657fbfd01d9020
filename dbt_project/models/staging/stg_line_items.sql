{#
    One row per figure stated in a document, typed, with the code's level and parent derived from its length
    (docs/conventions.md: function 3 = class, 5 = section, 7 = item; economic 3 = class, 5 = item).
    A code of any other length keeps code_level NULL: it is kept, and shows up in the code-dimension tests.
#}

with

source as (

    select * from {{ source('staging', 'line_items') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,

        ----------  key of the figure
        cast(fund_scope as varchar) as fund_scope,
        cast(classification as varchar) as classification,
        cast(code as varchar) as code,
        cast(measure as varchar) as measure,

        ----------  what was printed
        cast(name as varchar) as name,
        cast(code_source as varchar) as code_source,
        cast(raw_code as varchar) as raw_code,
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
        cast(ocr_verified as boolean) as ocr_verified,

        ----------  amounts
        cast(amount as decimal(20, 4)) as amount,
        cast(amount_yuan as decimal(20, 2)) as amount_yuan

    from source

),

derived as (

    select

        *,

        case source_kind when 'table' then 0 when 'prose' then 1 end as source_kind_rank,

        case
            when classification = 'function' and length(code) = 3 then 'class'
            when classification = 'function' and length(code) = 5 then 'section'
            when classification = 'function' and length(code) = 7 then 'item'
            when classification in ('econ_dept', 'econ_gov') and length(code) = 3 then 'class'
            when classification in ('econ_dept', 'econ_gov') and length(code) = 5 then 'item'
        end as code_level,

        case
            when classification = 'function' and length(code) = 7 then left(code, 5)
            when classification = 'function' and length(code) = 5 then left(code, 3)
            when classification in ('econ_dept', 'econ_gov') and length(code) = 5 then left(code, 3)
        end as parent_code,

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
