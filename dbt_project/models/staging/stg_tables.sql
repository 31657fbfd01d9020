with

source as (

    select * from {{ source('staging', 'tables') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(table_index as integer) as table_index,

        ----------  what the table is
        cast(table_number as varchar) as table_number,
        cast(title as varchar) as table_title,
        cast(kind as varchar) as table_kind,
        cast(fund_scope as varchar) as default_fund_scope,
        cast(unit as varchar) as unit,
        cast(is_empty as boolean) as is_empty,

        ----------  where it is
        cast(page as integer) as page,
        cast(line_start as integer) as line_start,

        ----------  numbers
        cast(unit_factor as decimal(18, 0)) as unit_factor,
        cast(n_rows as integer) as n_body_rows,
        cast(n_line_items as integer) as n_line_items

    from source

)

select * from renamed
