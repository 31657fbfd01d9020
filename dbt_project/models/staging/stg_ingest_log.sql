{#
    One row per file the last run looked at: what became of it (loaded, duplicate, superseded, failed,
    needs_ocr, unsupported) and why.
#}

with

source as (

    select * from {{ source('staging', 'ingest_log') }}

),

renamed as (

    select

        ----------  ids
        cast(source_path as varchar) as source_path,
        cast(document_id as varchar) as document_id,
        cast(sha256 as varchar) as sha256,

        ----------  the file
        cast(file_name as varchar) as file_name,
        cast(size_bytes as bigint) as size_bytes,

        ----------  what became of it
        cast(status as varchar) as status,
        cast(error_code as varchar) as error_code,
        cast(message as varchar) as message

    from source

)

select * from renamed
