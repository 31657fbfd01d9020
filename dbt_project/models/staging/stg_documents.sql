with

source as (

    select * from {{ source('staging', 'documents') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(sha256 as varchar) as sha256,

        ----------  file
        cast(source_path as varchar) as source_path,
        cast(file_name as varchar) as file_name,
        cast(file_format as varchar) as file_format,
        cast(encoding as varchar) as encoding,

        ----------  what the document is
        cast(title as varchar) as title,
        cast(region_code as varchar) as region_code,
        cast(region_name as varchar) as region_name,
        cast(admin_level as varchar) as admin_level,
        cast(department_name as varchar) as department_name,
        cast(department_key as varchar) as department_key,
        cast(fiscal_year as integer) as fiscal_year,
        cast(stage as varchar) as stage,

        ----------  parsing
        cast(parse_status as varchar) as parse_status,
        cast(error_code as varchar) as error_code,
        cast(error_message as varchar) as error_message,
        cast(parser_version as varchar) as parser_version,

        ----------  counts
        cast(size_bytes as bigint) as size_bytes,
        cast(n_tables as integer) as n_tables,
        cast(n_line_items as integer) as n_line_items,
        cast(n_pages as integer) as n_pages,
        cast(superseded_by as varchar) as superseded_by

    from source

)

select * from renamed
