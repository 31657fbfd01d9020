{#
    One row per performance indicator a document states (绩效目标表, 项目绩效目标完成情况表, 绩效指标： sentences),
    typed (docs/staging/performance_indicators.md).
#}

with

source as (

    select * from {{ source('staging', 'performance_indicators') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,

        ----------  whose indicator
        cast(subject as varchar) as subject,
        cast(project_name as varchar) as project_name,
        cast(goal_text as varchar) as goal_text,

        ----------  the indicator
        cast(level1 as varchar) as level1,
        cast(level1_printed as varchar) as level1_printed,
        cast(level1_source as varchar) as level1_source,
        cast(level2 as varchar) as level2,
        cast(level3 as varchar) as level3,
        cast(indicator_raw as varchar) as indicator_raw,
        cast(description as varchar) as description,

        ----------  target and achieved value: as printed, then split
        cast(target_raw as varchar) as target_raw,
        cast(target_operator as varchar) as target_operator,
        cast(target_value as decimal(20, 4)) as target_value,
        cast(target_unit as varchar) as target_unit,
        cast(actual_raw as varchar) as actual_raw,
        cast(actual_operator as varchar) as actual_operator,
        cast(actual_value as decimal(20, 4)) as actual_value,
        cast(actual_unit as varchar) as actual_unit,

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
        cast(extraction as varchar) as extraction

    from source

)

select * from renamed
