with

documents as (

    select * from {{ ref('stg_documents') }}

),

issues as (

    select
        document_id,
        count(*) as n_parse_issues,
        count(*) filter (where severity = 'error') as n_parse_errors,
        count(*) filter (where severity = 'warn') as n_parse_warnings
    from {{ ref('stg_parse_issues') }}
    group by document_id

),

final as (

    select

        ----------  ids
        documents.document_id,
        documents.sha256,

        ----------  file
        documents.source_path,
        documents.file_name,
        documents.file_format,
        documents.encoding,

        ----------  what the document is
        documents.title,
        documents.region_code,
        documents.region_name,
        documents.admin_level,
        documents.department_name,
        documents.department_key,
        documents.region_code
            || ':' || documents.department_key
            || ':' || documents.fiscal_year
            || ':' || documents.stage as disclosure_id,
        documents.fiscal_year,
        documents.stage,

        ----------  parsing
        documents.parse_status,
        documents.error_code,
        documents.error_message,
        documents.parser_version,
        documents.superseded_by,

        ----------  counts
        documents.size_bytes,
        documents.n_tables,
        documents.n_line_items,
        documents.n_pages,
        coalesce(issues.n_parse_issues, 0) as n_parse_issues,
        coalesce(issues.n_parse_errors, 0) as n_parse_errors,
        coalesce(issues.n_parse_warnings, 0) as n_parse_warnings

    from documents
    left join issues
        on issues.document_id = documents.document_id

)

select * from final
