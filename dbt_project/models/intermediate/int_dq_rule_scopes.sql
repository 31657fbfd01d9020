{#
    R09 coinciding_fund_scopes_agree (seeds/dq_rules.csv). Fund scopes nest: all ⊇ fiscal_grant ⊇ general_public
    (fiscal_grant = general_public + gov_fund + soe_capital). Where two scopes are the same money in a document, a
    figure stated in both (same classification, code and measure, both stated) must be the same. Two scopes coincide
    in a document when:
      fiscal_grant = general_public   the document states no non-zero gov_fund or soe_capital figure, or it states
                                      equal fiscal_grant and general_public totals (measure total);
      all = fiscal_grant              it states equal all and fiscal_grant totals;
      all = general_public            it states equal all and general_public totals, or all = fiscal_grant and
                                      fiscal_grant = general_public as above.
    When equal totals are the evidence, the totals themselves are not compared again (they agree by construction).
    Every statement of the narrower scope's figure (tables and narrative) is compared with the wider scope's figure
    as the marts keep it (its first statement; R08 compares that scope's statements among themselves): one check
    per statement. One row per check and statement involved (dq_check_columns, statement_id set): the narrower
    scope's statement on side `actual`, the wider scope's on side `expected`; fund_scope is the narrower scope.
#}

with

facts as (

    select * from {{ ref('int_dq_facts') }}
    where not is_derived

),

statements as (

    select * from {{ ref('int_dq_statements') }}

),

documents as (

    select
        document_id,
        max(case when classification = 'total' and measure = 'total' and fund_scope = 'all' then amount_yuan end)
            as all_total_yuan,
        max(case when classification = 'total' and measure = 'total' and fund_scope = 'fiscal_grant' then amount_yuan end)
            as fiscal_grant_total_yuan,
        max(case when classification = 'total' and measure = 'total' and fund_scope = 'general_public' then amount_yuan end)
            as general_public_total_yuan,
        coalesce(bool_or(fund_scope in ('gov_fund', 'soe_capital') and amount_yuan <> 0), false) as has_other_fiscal_funds
    from facts
    group by document_id

),

fiscal_grant_general_public as (

    select
        document_id,
        'fiscal_grant' as wide_scope,
        'general_public' as narrow_scope,
        coalesce(fiscal_grant_total_yuan = general_public_total_yuan, false) as by_totals,
        not has_other_fiscal_funds as by_no_other_funds
    from documents

),

pairs as (

    select
        document_id, wide_scope, narrow_scope, by_totals,
        case
            when by_totals and by_no_other_funds
                then 'the document states equal fiscal_grant and general_public totals and no gov_fund or soe_capital figure'
            when by_totals
                then 'the document states equal fiscal_grant and general_public totals'
            when by_no_other_funds
                then 'the document states no gov_fund or soe_capital figure, so its fiscal_grant money is general_public money'
        end as evidence
    from fiscal_grant_general_public
    where by_totals or by_no_other_funds

    union all

    select
        document_id, 'all', 'fiscal_grant', true,
        'the document states equal all and fiscal_grant totals'
    from documents
    where all_total_yuan = fiscal_grant_total_yuan

    union all

    select
        documents.document_id, 'all', 'general_public',
        coalesce(documents.all_total_yuan = documents.general_public_total_yuan, false),
        case
            when documents.all_total_yuan = documents.general_public_total_yuan
                then 'the document states equal all and general_public totals'
            else 'the document states equal all and fiscal_grant totals, and no gov_fund or soe_capital figure'
        end
    from documents
    inner join fiscal_grant_general_public as fg_gp
        on fg_gp.document_id = documents.document_id
    where documents.all_total_yuan = documents.general_public_total_yuan
       or (documents.all_total_yuan = documents.fiscal_grant_total_yuan and fg_gp.by_no_other_funds)

),

checks as (

    select

        'R09' as rule_id,
        narrow.document_id,
        narrow.fund_scope,
        narrow.classification,
        narrow.code,
        narrow.measure,
        {{ dq_key_text('narrow.classification', 'narrow.code', 'narrow.measure') }}
            || ': ' || pairs.narrow_scope || ' ' || narrow_statement.source_kind
            || coalesce(' ' || narrow_statement.table_number, '') || ' item ' || narrow_statement.item_index
            || ' vs ' || pairs.wide_scope || ' item ' || wide_statement.item_index as subject,
        narrow_statement.amount_yuan as actual_yuan,
        wide_statement.amount_yuan as expected_yuan,
        narrow.fact_label || ' as stated in ' || narrow_statement.statement_ref as actual_label,
        'the same figure in scope ' || pairs.wide_scope || ', ' || wide.fact_label
            || ' as first stated in ' || wide_statement.statement_ref as expected_label,
        'The scopes ' || pairs.narrow_scope || ' and ' || pairs.wide_scope || ' coincide here: '
            || pairs.evidence || '.' as note,
        narrow.fact_id as narrow_fact_id,
        narrow_statement.statement_id as narrow_statement_id,
        wide.fact_id as wide_fact_id,
        wide_statement.statement_id as wide_statement_id

    from pairs
    inner join facts as narrow
        on  narrow.document_id = pairs.document_id
        and narrow.fund_scope = pairs.narrow_scope
    inner join facts as wide
        on  wide.document_id = pairs.document_id
        and wide.fund_scope = pairs.wide_scope
        and wide.classification = narrow.classification
        and wide.code is not distinct from narrow.code
        and wide.measure = narrow.measure
    inner join statements as narrow_statement
        on narrow_statement.fact_id = narrow.fact_id
    inner join statements as wide_statement
        on wide_statement.statement_id = wide.statement_id
    where not (pairs.by_totals and narrow.classification = 'total' and narrow.measure = 'total')

),

final as (

    select checks.* exclude (narrow_fact_id, narrow_statement_id, wide_fact_id, wide_statement_id),
           'actual' as side, checks.narrow_fact_id as fact_id, checks.narrow_statement_id as statement_id
    from checks

    union all

    select checks.* exclude (narrow_fact_id, narrow_statement_id, wide_fact_id, wide_statement_id),
           'expected' as side, checks.wide_fact_id as fact_id, checks.wide_statement_id as statement_id
    from checks

)

select {{ dq_check_columns() }} from final
