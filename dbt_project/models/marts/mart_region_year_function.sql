{#
    Spending by function class and section for comparison across regions and years: one row per region × fiscal
    year × stage × fund scope × current function code (class or section, dim_function_crosswalk), summed over
    the disclosures (departments) of the region that state it.

    Each disclosure counts once. A department often publishes one disclosure as a narrative and a tables file
    (dim_document.disclosure_id) that state the same figures; per (disclosure, fund_scope, current code,
    measure) the figures of ONE document are taken, chosen in this order:
      1. a document that states the figure over one that only derives it from its children (is_derived);
      2. a document that states it in a table over one that states it in a sentence (the table statement over
         the narrative);
      3. the document with more tables, then the first by source_path (deterministic).
    Within the chosen document every raw code that maps to the current code is summed (a document printing a
    moved code and its successor states two parts of one current code). The other documents' figures are not
    added: where they state a different amount, n_figures_documents_disagree counts it.
    Superseded documents are left out (fct_function_spending already excludes them; the filter here says so).
#}

with

documents as (

    select * from {{ ref('dim_document') }}
    where superseded_by is null

),

spending as (

    select * from {{ ref('fct_function_spending') }}
    where function_level in ('class', 'section')
      and measure in ('total', 'basic', 'project')

),

regions as (

    select * from {{ ref('dim_region') }}

),

function_codes as (

    select * from {{ ref('dim_function_code') }}

),

----------  the class and section figures with the disclosure they belong to

figures as (

    select
        spending.*,
        coalesce(documents.disclosure_id, documents.document_id) as disclosure_id,
        documents.department_key,
        documents.region_name as document_region_name,
        documents.admin_level as document_admin_level,
        documents.source_path,
        documents.n_tables
    from spending
    inner join documents
        on documents.document_id = spending.document_id

),

----------  what each document of a disclosure says of a current code and measure

document_candidates as (

    select
        disclosure_id,
        document_id,
        fund_scope,
        current_function_code,
        measure,
        any_value(source_path) as source_path,
        any_value(n_tables) as n_tables,
        sum(amount_yuan) as amount_yuan,
        bool_or(not is_derived) as states_it,
        bool_or(source_kind = 'table') as states_it_in_a_table
    from figures
    group by disclosure_id, document_id, fund_scope, current_function_code, measure

),

ranked_documents as (

    select

        *,

        row_number() over (
            partition by disclosure_id, fund_scope, current_function_code, measure
            order by states_it desc, states_it_in_a_table desc, n_tables desc, source_path, document_id
        ) as document_rank,

        coalesce(
            min(case when states_it then amount_yuan end) over same_figure
                = max(case when states_it then amount_yuan end) over same_figure,
            true
        ) as documents_agree

    from document_candidates

    window same_figure as (partition by disclosure_id, fund_scope, current_function_code, measure)

),

----------  the figures of the chosen document only: one per disclosure, fund scope, current code and measure

chosen_figures as (

    select
        figures.*,
        ranked_documents.documents_agree
    from figures
    inner join ranked_documents
        on  ranked_documents.document_id = figures.document_id
        and ranked_documents.fund_scope = figures.fund_scope
        and ranked_documents.current_function_code = figures.current_function_code
        and ranked_documents.measure = figures.measure
    where ranked_documents.document_rank = 1

),

summed as (

    select

        region_code,
        fiscal_year,
        stage,
        fund_scope,
        current_function_code,

        any_value(function_level) as function_level,
        any_value(current_function_name) as current_function_name,
        any_value(document_region_name) as document_region_name,
        any_value(document_admin_level) as document_admin_level,
        string_agg(distinct function_code, ' | ' order by function_code) as raw_function_codes,
        string_agg(distinct function_name, ' | ' order by function_name) as raw_function_names,

        cast(sum(amount_yuan) filter (where measure = 'total') as decimal(20, 2)) as amount_yuan,
        cast(sum(amount_yuan) filter (where measure = 'basic') as decimal(20, 2)) as basic_yuan,
        cast(sum(amount_yuan) filter (where measure = 'project') as decimal(20, 2)) as project_yuan,

        count(distinct disclosure_id) filter (where measure = 'total') as n_disclosures,
        count(distinct department_key) filter (where measure = 'total') as n_departments,
        count(distinct disclosure_id) filter (where measure = 'basic') as n_disclosures_basic,
        count(distinct disclosure_id) filter (where measure = 'project') as n_disclosures_project,
        count(distinct document_id) as n_documents,

        count(*) as n_figures,
        count(*) filter (where is_derived) as n_derived_figures,
        count(*) filter (where not reconciled) as n_unreconciled_figures,
        bool_and(reconciled) as all_reconciled,
        count(*) filter (where not documents_agree) as n_figures_documents_disagree,
        string_agg(distinct document_id, ', ' order by document_id) as document_ids

    from chosen_figures
    group by region_code, fiscal_year, stage, fund_scope, current_function_code

),

final as (

    select

        ----------  ids
        summed.region_code,
        summed.fiscal_year,
        summed.stage,
        summed.fund_scope,
        summed.current_function_code,

        ----------  dimensions
        coalesce(regions.region_name, summed.document_region_name) as region_name,
        coalesce(regions.admin_level, summed.document_admin_level) as admin_level,
        regions.province_code,
        summed.function_level,
        summed.current_function_name,
        left(summed.current_function_code, 3) as current_class_code,
        current_classes.name as current_class_name,
        summed.raw_function_codes,
        summed.raw_function_names,

        ----------  measures
        summed.amount_yuan,
        summed.basic_yuan,
        summed.project_yuan,
        summed.n_disclosures,
        summed.n_departments,
        summed.n_disclosures_basic,
        summed.n_disclosures_project,
        summed.n_documents,

        ----------  how far the sums can be trusted
        summed.all_reconciled,
        summed.n_unreconciled_figures,
        summed.n_figures,
        summed.n_derived_figures,
        summed.n_figures_documents_disagree,
        summed.document_ids

    from summed
    left join regions
        on regions.region_code = summed.region_code
    left join function_codes as current_classes
        on current_classes.function_code = left(summed.current_function_code, 3)

)

select * from final
