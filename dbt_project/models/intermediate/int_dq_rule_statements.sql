{#
    R08 statements_of_a_figure_agree (seeds/dq_rules.csv): a figure the document states more than once (same document,
    fund scope, classification, code and measure: several tables, or tables and the narrative) gives the same amount
    in every statement. Each statement that did not win is checked against the first statement (the one the marts
    keep, int_facts_stated): one check per such statement, so a figure stated three times gives two checks.
    One row per check and statement involved (dq_check_columns, statement_id set): the later statement on side
    `actual`, the first on side `expected`.
#}

with

facts as (

    select * from {{ ref('int_dq_facts') }}
    where not is_derived and n_statements > 1

),

statements as (

    select * from {{ ref('int_dq_statements') }}

),

checks as (

    select

        'R08' as rule_id,
        facts.document_id,
        facts.fund_scope,
        facts.classification,
        facts.code,
        facts.measure,
        {{ dq_key_text('facts.classification', 'facts.code', 'facts.measure') }}
            || ': ' || later.source_kind || coalesce(' ' || later.table_number, '')
            || ' item ' || later.item_index || ' vs first statement item ' || first.item_index as subject,
        later.amount_yuan as actual_yuan,
        first.amount_yuan as expected_yuan,
        facts.fact_label || ' as stated in ' || later.statement_ref as actual_label,
        'as first stated (the figure the marts keep) in ' || first.statement_ref as expected_label,
        cast(null as varchar) as note,
        facts.fact_id,
        later.statement_id as later_statement_id,
        first.statement_id as first_statement_id

    from facts
    inner join statements as first
        on first.statement_id = facts.statement_id
    inner join statements as later
        on  later.fact_id = facts.fact_id
        and later.statement_id <> facts.statement_id

),

final as (

    select checks.* exclude (later_statement_id, first_statement_id), 'actual' as side,
           checks.later_statement_id as statement_id
    from checks

    union all

    select checks.* exclude (later_statement_id, first_statement_id), 'expected' as side,
           checks.first_statement_id as statement_id
    from checks

)

select {{ dq_check_columns() }} from final
