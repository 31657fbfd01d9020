{#
    支出功能分类 spending: one row per (document_id, fund_scope, function_code, measure).
    reconciled: false when a failing check of marts.dq_results involves the row (docs/reconciliation.md).
    Stated figures (first statement wins) plus derived parents (is_derived) where the document states children only.
    current_function_code / current_function_name: the code and name the figure compares with across years
    (int_function_code_moves: a moved code counts under the code its spending is reported under today; renamed
    codes keep their code and take their latest catalog name), as dim_function_crosswalk maps them.
#}

with

facts as (

    select * from {{ ref('int_facts_with_parents') }}
    where classification = 'function'

),

documents as (

    select * from {{ ref('stg_documents') }}

),

----------  moved codes and the latest catalog names (dim_function_crosswalk's mapping, per figure)

moves as (

    select * from {{ ref('int_function_code_moves') }}

),

latest_names as (

    select code, name from {{ ref('int_code_catalog') }}
    where classification = 'function' and name_rank = 1

),

----------  facts involved in a failing reconciliation check (dq_results, status fail)

unreconciled as (

    select * from {{ ref('int_unreconciled_facts') }}

),

final as (

    select

        ----------  ids
        facts.document_id,

        ----------  dimensions
        documents.region_code,
        documents.fiscal_year,
        documents.stage,
        facts.fund_scope,
        facts.code as function_code,
        facts.code_level as function_level,
        facts.parent_code as parent_function_code,
        coalesce(facts.name, facts.catalog_name) as function_name,
        facts.catalog_name as function_catalog_name,
        coalesce(moves.target_code, facts.code) as current_function_code,
        case
            when moves.old_code is not null then coalesce(current_names.name, moves.target_name)
            else current_names.name
        end as current_function_name,
        facts.measure,

        ----------  measures
        facts.amount_yuan,
        facts.is_derived,
        facts.n_children,
        facts.n_statements,
        facts.statements_agree,
        facts.other_statements,
        unreconciled.fact_id is null as reconciled,
        facts.n_rows,

        ----------  lineage of the winning statement's first row (NULL for derived rows)
        {{ lineage_columns('facts') }}

    from facts
    inner join documents
        on documents.document_id = facts.document_id
    left join moves
        on  moves.old_code = facts.code
        and (moves.applies_before_year is null or documents.fiscal_year < moves.applies_before_year)
    left join latest_names as current_names
        on current_names.code = coalesce(moves.target_code, facts.code)
    left join unreconciled
        on unreconciled.fact_id = facts.fact_id

)

select * from final
