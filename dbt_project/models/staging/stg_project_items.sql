{#
    One row per project statement a document makes (docs/staging/project_items.md), typed: a project table's row
    and amount column, a project form's figure, a task of a department's performance targets, a sentence.
#}

with

source as (

    select * from {{ source('staging', 'project_items') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,

        ----------  the project
        cast(row_kind as varchar) as row_kind,
        cast(project_name as varchar) as project_name,
        cast(project_key as varchar) as project_key,
        cast(unit_code as varchar) as unit_code,
        cast(unit_name as varchar) as unit_name,
        cast(function_code as varchar) as function_code,
        cast(description as varchar) as description,

        ----------  key of the figure
        cast(fund_scope as varchar) as fund_scope,
        cast(measure as varchar) as measure,

        ----------  what was printed
        cast(column_label as varchar) as column_label,
        cast(raw_amount as varchar) as raw_amount,
        cast(unit as varchar) as unit,

        ----------  where it was printed
        {{ statement_frame_lineage() }},

        ----------  amounts
        cast(amount as decimal(20, 4)) as amount,
        cast(amount_yuan as decimal(20, 2)) as amount_yuan

    from source

)

select * from renamed
