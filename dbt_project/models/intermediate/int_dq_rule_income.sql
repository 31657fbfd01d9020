{#
    R10 income_total_equals_expenditure_total (seeds/dq_rules.csv): what a document says comes in equals what it says
    goes out, per document and fund scope, from the revenue facts (int_revenue_facts, document level: no function
    code; the first statement of each figure).
      - 收入总计 = 支出总计: income_total against expenditure_total, where the document states both;
      - otherwise 本年收入合计 (+ 上年结转, + 用事业基金弥补收支差额, where stated) = 本年支出合计 (+ 结转下年, where
        stated): current_income_total and current_expenditure_total, where it states both. A carry item the document
        does not state counts as 0 (a blank 上年结转 row is no money carried).
    The expenditure side is read with the income (the right side of the 收支总表, the 支出总计 of the same sentence),
    not from fct_document_totals: a document total there is 本年支出合计 and may come from another table.
    One row per check and figure involved (dq_check_columns): the income figures on side `actual`, the expenditure
    figures on side `expected`; classification `total`, measure `total`, no code.
#}

with

facts as (

    select * from {{ ref('int_revenue_facts') }}
    where function_code is null

),

scopes as (

    select
        document_id,
        fund_scope,
        bool_or(source_key = 'income_total') and bool_or(source_key = 'expenditure_total') as has_grand,
        bool_or(source_key = 'current_income_total') and bool_or(source_key = 'current_expenditure_total')
            as has_current
    from facts
    group by all

),

involved as (

    select
        facts.*,
        case when scopes.has_grand then 'grand' else 'current' end as level,
        case facts.side when 'income' then 'actual' else 'expected' end as check_side
    from facts
    inner join scopes
        on  scopes.document_id = facts.document_id
        and scopes.fund_scope = facts.fund_scope
    where (scopes.has_grand and facts.source_key in ('income_total', 'expenditure_total'))
       or (not scopes.has_grand and scopes.has_current
           and facts.source_key in ('current_income_total', 'prior_year_carryover', 'institution_fund_offset',
                                    'current_expenditure_total', 'carry_forward'))

),

checks as (

    select
        document_id,
        fund_scope,
        level,
        sum(case when check_side = 'actual' then amount_yuan else 0 end) as actual_yuan,
        sum(case when check_side = 'expected' then amount_yuan else 0 end) as expected_yuan,
        string_agg(case when check_side = 'actual' then source_name end, ' + ' order by source_key desc)
            as actual_names,
        string_agg(case when check_side = 'expected' then source_name end, ' + ' order by source_key)
            as expected_names
    from involved
    group by all

),

final as (

    select
        'R10' as rule_id,
        involved.document_id,
        involved.fund_scope,
        'total' as classification,
        cast(null as varchar) as code,
        'total' as measure,
        case checks.level
            when 'grand' then 'income total = expenditure total'
            else 'current income (+ carry-over) = current expenditure (+ carry-forward)'
        end as subject,
        checks.actual_yuan,
        checks.expected_yuan,
        'income «' || checks.actual_names || '»' as actual_label,
        'expenditure «' || checks.expected_names || '»' as expected_label,
        case
            when checks.level = 'current'
                then 'The document states no 收入总计 / 支出总计 pair in this scope; its current-year totals are compared, with the carry items it states.'
        end as note,
        involved.check_side as side,
        involved.fact_id,
        cast(null as varchar) as statement_id
    from involved
    inner join checks
        on  checks.document_id = involved.document_id
        and checks.fund_scope = involved.fund_scope

)

select {{ dq_check_columns() }} from final
