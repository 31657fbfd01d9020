{#
    Performance indicators (绩效目标表, 项目绩效目标完成情况表, 绩效指标： sentences): one row per indicator a
    document states, (document_id, item_index). Documents a revised version supersedes are left out.
    target_met compares the achieved value with the target where both are numbers in the same unit.
#}

with

indicators as (

    select * from {{ ref('stg_performance_indicators') }}

),

documents as (

    -- a document a revised version replaces keeps its place in dim_document, not in the facts
    select * from {{ ref('stg_documents') }}
    where superseded_by is null

),

final as (

    select

        ----------  ids
        indicators.document_id,
        indicators.item_index,

        ----------  dimensions
        documents.region_code,
        documents.fiscal_year,
        documents.stage,
        indicators.subject,
        indicators.project_name,
        indicators.goal_text,
        indicators.level1,
        indicators.level1_printed,
        indicators.level1_source,
        indicators.level2,
        indicators.level3,
        indicators.indicator_raw,
        indicators.description,

        ----------  measures
        indicators.target_raw,
        indicators.target_operator,
        indicators.target_value,
        indicators.target_unit,
        indicators.actual_raw,
        indicators.actual_operator,
        indicators.actual_value,
        indicators.actual_unit,
        case
            when indicators.target_value is null or indicators.actual_value is null then null
            when indicators.actual_operator <> '=' then null
            when indicators.target_unit is distinct from indicators.actual_unit then null
            when indicators.target_operator = '≥' then indicators.actual_value >= indicators.target_value
            when indicators.target_operator = '≤' then indicators.actual_value <= indicators.target_value
            when indicators.target_operator = '>' then indicators.actual_value > indicators.target_value
            when indicators.target_operator = '<' then indicators.actual_value < indicators.target_value
            when indicators.target_operator = '=' then indicators.actual_value = indicators.target_value
        end as target_met,

        ----------  lineage: where the indicator was printed
        indicators.sha256,
        indicators.source_kind,
        indicators.table_index,
        indicators.table_number,
        indicators.table_title,
        indicators.page,
        indicators.sheet_name,
        indicators.row_number,
        indicators.cell_ref,
        indicators.line_number,
        indicators.extraction

    from indicators
    inner join documents
        on documents.document_id = indicators.document_id

)

select * from final
