with

source as (

    select * from {{ source('staging', 'parse_issues') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,

        ----------  the issue
        cast(severity as varchar) as severity,
        cast(issue_code as varchar) as issue_code,
        cast(message as varchar) as message,

        ----------  where
        cast(table_index as integer) as table_index,
        cast("row_number" as integer) as row_number,
        cast(line_number as integer) as line_number

    from source

)

select * from renamed
