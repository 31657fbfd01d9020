{#
    One row per disclosure: a region's department, a fiscal year and a stage. A department often publishes it
    as several files (the narrative 部门预算公开 and the tables 公开表): they are one disclosure here.
#}

with

documents as (

    select * from {{ ref('dim_document') }}
    where disclosure_id is not null

),

final as (

    select

        ----------  ids
        disclosure_id,

        ----------  dimensions
        any_value(region_code) as region_code,
        any_value(region_name) as region_name,
        any_value(admin_level) as admin_level,
        department_key,
        any_value(fiscal_year) as fiscal_year,
        any_value(stage) as stage,
        string_agg(distinct department_name, ' / ' order by department_name) as department_names,

        ----------  measures
        count(*) as n_documents,
        count(*) filter (where n_tables > 0) as n_documents_with_tables,
        sum(n_line_items) as n_line_items,
        string_agg(document_id, ', ' order by source_path) as document_ids,
        string_agg(file_name, ' | ' order by source_path) as file_names

    from documents
    group by disclosure_id, department_key

)

select * from final
