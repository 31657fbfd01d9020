{#
    The ingest log: every file the last run looked at, what became of it and why — so that no file is
    lost silently. A file that failed costs only itself: the others load.
#}

with

log as (

    select * from {{ ref('stg_ingest_log') }}

),

documents as (

    select document_id, superseded_by from {{ ref('stg_documents') }}

),

final as (

    select

        ----------  ids
        log.source_path,
        log.document_id,
        log.sha256,

        ----------  the file
        log.file_name,
        log.size_bytes,

        ----------  what became of it
        log.status,
        log.error_code,
        log.message,
        documents.superseded_by

    from log
    left join documents
        on documents.document_id = log.document_id

)

select * from final
