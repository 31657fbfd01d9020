{#
    Budget against final account. Rows of two kinds:

    1. Paired figures: where a region's department (stg_documents.department_key) has, for one fiscal year, a budget
       document and a final account (neither superseded), every figure either states (int_dq_facts: function and
       economic codes with their derived parents, and the document totals), matched on (fund_scope,
       classification, code, measure): budget_yuan from the budget, final_yuan from the final account,
       execution_rate = final / budget. A figure only one side states keeps the other side NULL.
    2. Stated rates: every execution rate a final account states (stg_stated_execution; the first statement of a
       subject when it is stated twice). A rate about a coded figure or a total is set on that figure's paired row
       (measure total); the others (三公, projects, finals without a budget document) get a row of their own with
       budget_document_id NULL.

    The stated rate is checked against the computed one (computed_rate_pct = 100 × final / budget) where both
    exist. Tolerance, in percentage points:
        rate_tolerance_pct = 0.5 × 10^-d  +  100 × (hF / B + F × hB / B²)
    d: the digits after the point of the printed rate (99.30% → 2, 100% → 0): the printed rate is rounded to half a
    unit of its last digit; F, B: final and budget in yuan; hF, hB: half their printed resolution (int_dq_facts:
    one unit of the last printed digit, 万元 with 2 decimals = 100 yuan; a derived parent takes the coarsest of the
    figures it sums): the first-order bound of how far F / B can move when both are rounded as printed.
    rate_agrees: |stated_rate_pct - 100 × F / B| <= rate_tolerance_pct.
#}

with

documents as (

    select * from {{ ref('stg_documents') }}
    where superseded_by is null

),

facts as (

    select * from {{ ref('int_dq_facts') }}

),

----------  budget / final pairs of one region, department and year

pairs as (

    select
        budgets.document_id as budget_document_id,
        finals.document_id as final_document_id
    from documents as budgets
    inner join documents as finals
        on  finals.region_code = budgets.region_code
        and finals.department_key = budgets.department_key
        and finals.fiscal_year = budgets.fiscal_year
    where budgets.stage = 'budget'
      and finals.stage = 'final'

),

budget_side as (

    select pairs.*, facts.*
    from pairs
    inner join facts
        on facts.document_id = pairs.budget_document_id

),

final_side as (

    select pairs.*, facts.*
    from pairs
    inner join facts
        on facts.document_id = pairs.final_document_id

),

paired as (

    select
        coalesce(budget_side.budget_document_id, final_side.budget_document_id) as budget_document_id,
        coalesce(budget_side.final_document_id, final_side.final_document_id) as final_document_id,
        coalesce(budget_side.fund_scope, final_side.fund_scope) as fund_scope,
        coalesce(budget_side.classification, final_side.classification) as subject_kind,
        coalesce(budget_side.code, final_side.code) as code,
        coalesce(final_side.name, budget_side.name) as fact_name,
        coalesce(budget_side.measure, final_side.measure) as measure,
        budget_side.amount_yuan as budget_yuan,
        final_side.amount_yuan as final_yuan,
        budget_side.is_derived as budget_is_derived,
        final_side.is_derived as final_is_derived,
        budget_side.resolution_yuan as budget_resolution_yuan,
        final_side.resolution_yuan as final_resolution_yuan,
        final_side.fact_id as final_fact_id
    from budget_side
    full outer join final_side
        on  final_side.budget_document_id = budget_side.budget_document_id
        and final_side.final_document_id = budget_side.final_document_id
        and final_side.fund_scope = budget_side.fund_scope
        and final_side.classification = budget_side.classification
        and final_side.code is not distinct from budget_side.code
        and final_side.measure = budget_side.measure

),

----------  the rates final accounts state (the first statement of each subject)

rates as (

    select

        *,

        row_number() over subject_rates as rate_rank,
        count(*) over subject_rates as n_rate_statements

    from {{ ref('stg_stated_execution') }}
    where document_id in (select document_id from documents)

    window subject_rates as (
        partition by document_id, subject_kind, fund_scope, coalesce(code, subject_name)
        order by item_index
    )

),

first_rates as (

    select * from rates
    where rate_rank = 1

),

----------  the figure a rate is about, where it is one of the final account's facts (a code or a total)

rate_subjects as (

    select
        first_rates.*,
        facts.fact_id as final_fact_id,
        facts.name as fact_name,
        facts.amount_yuan as fact_final_yuan,
        facts.is_derived as fact_is_derived,
        facts.resolution_yuan as fact_resolution_yuan
    from first_rates
    left join facts
        on  facts.document_id = first_rates.document_id
        and facts.fund_scope = first_rates.fund_scope
        and facts.classification = first_rates.subject_kind
        and facts.code is not distinct from first_rates.code
        and facts.measure = 'total'

),

paired_with_rates as (

    select
        paired.* exclude (final_fact_id),
        rate_subjects.item_index as rate_item_index
    from paired
    left join rate_subjects
        on rate_subjects.final_fact_id = paired.final_fact_id

),

----------  rates no paired figure takes: a row of their own (the final figure from the facts where it is one)

unpaired_rates as (

    select
        cast(null as varchar) as budget_document_id,
        document_id as final_document_id,
        fund_scope,
        subject_kind,
        code,
        fact_name,
        'total' as measure,
        cast(null as decimal(20, 2)) as budget_yuan,
        coalesce(fact_final_yuan, final_amount_yuan) as final_yuan,
        cast(null as boolean) as budget_is_derived,
        fact_is_derived as final_is_derived,
        cast(null as decimal(20, 2)) as budget_resolution_yuan,
        fact_resolution_yuan as final_resolution_yuan,
        item_index as rate_item_index
    from rate_subjects
    where final_fact_id is null
       or final_fact_id not in (select final_fact_id from paired where final_fact_id is not null)

),

combined as (

    select * from paired_with_rates
    union all by name
    select * from unpaired_rates

),

computed as (

    select

        combined.*,
        first_rates.subject_name as rate_subject_name,
        first_rates.raw_rate,
        first_rates.rate_pct,
        first_rates.rate_decimals,
        first_rates.budget_amount_yuan as stated_budget_yuan,
        first_rates.n_rate_statements,
        first_rates.line_number as rate_line_number,
        first_rates.page as rate_page,
        case when combined.budget_yuan <> 0
            then cast(combined.final_yuan as double) / cast(combined.budget_yuan as double) end as exact_rate,
        case when combined.budget_yuan <> 0 and first_rates.rate_pct is not null
            then 0.5 * pow(10, -first_rates.rate_decimals)
                 + 100 * (cast(coalesce(combined.final_resolution_yuan, 0.01) as double) / 2
                          / cast(combined.budget_yuan as double)
                          + cast(combined.final_yuan as double)
                            * cast(coalesce(combined.budget_resolution_yuan, 0.01) as double) / 2
                            / pow(cast(combined.budget_yuan as double), 2))
        end as tolerance_pct

    from combined
    left join first_rates
        on  first_rates.document_id = combined.final_document_id
        and first_rates.item_index = combined.rate_item_index

),

final as (

    select

        ----------  ids
        computed.final_document_id,
        computed.budget_document_id,

        ----------  dimensions
        finals.region_code,
        finals.department_key,
        finals.fiscal_year,
        computed.subject_kind,
        computed.fund_scope,
        computed.code,
        coalesce(computed.rate_subject_name, computed.fact_name) as subject_name,
        computed.measure,
        exists (
            select 1 from pairs where pairs.final_document_id = computed.final_document_id
        ) as has_budget_document,

        ----------  budget and final
        computed.budget_yuan,
        computed.final_yuan,
        computed.budget_is_derived,
        computed.final_is_derived,
        cast(round(computed.exact_rate, 6) as decimal(18, 6)) as execution_rate,
        cast(round(100 * computed.exact_rate, 4) as decimal(18, 4)) as computed_rate_pct,

        ----------  the rate the final account states
        computed.raw_rate as stated_rate_raw,
        computed.rate_pct as stated_rate_pct,
        computed.stated_budget_yuan,
        case when computed.rate_pct > 0
            then cast(round(computed.final_yuan * 100 / computed.rate_pct, 2) as decimal(20, 2))
        end as implied_budget_yuan,
        cast(round(computed.tolerance_pct, 6) as decimal(18, 6)) as rate_tolerance_pct,
        case when computed.tolerance_pct is not null
            then abs(cast(computed.rate_pct as double) - 100 * computed.exact_rate) <= computed.tolerance_pct
        end as rate_agrees,
        computed.n_rate_statements,

        ----------  lineage of the stated rate (the figures' own: fct_function_spending, fct_economic_spending, fct_document_totals)
        computed.rate_item_index,
        computed.rate_page,
        computed.rate_line_number

    from computed
    inner join documents as finals
        on finals.document_id = computed.final_document_id

)

select * from final
