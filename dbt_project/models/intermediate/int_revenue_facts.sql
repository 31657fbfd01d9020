{#
    One row per revenue fact: (document_id, fund_scope, side, source_key, function_code), from stg_revenue_items
    without superseded documents. Every printing is a statement (a 收支总表 prints 本年支出合计 once per panel; the
    narrative restates the totals): the first statement wins (tables before prose, then document order), the others
    are evidence (n_statements, statements_agree, other_statements), as in int_facts_stated.
    For the reconciliation rules (R10) each fact also carries, like int_dq_facts:
      fact_id          document_id|fund_scope|<side>|<function_code>|<source_key>
      resolution_yuan  one unit of the last printed digit of the winning statement, in yuan (for a table, the most
                       decimals any revenue figure of that table prints; for a sentence, the figure's own)
      fact_label       e.g. `income income_total 收入总计 [fiscal_grant]`
      lineage_text     the label, where the winning statement stands (dq_statement_ref) and the other statements
#}

with

superseded as (

    -- a document a revised version replaces keeps its place in dim_document, not in the facts
    select document_id from {{ ref('stg_documents') }}
    where superseded_by is not null

),

items as (

    select
        *,
        coalesce(length(regexp_extract(raw_amount, '\.([0-9]+)', 1)), 0) as decimals,
        1 as n_rows
    from {{ ref('stg_revenue_items') }}
    where document_id not in (select document_id from superseded)

),

table_decimals as (

    select document_id, table_index, max(decimals) as decimals
    from items
    where source_kind = 'table'
    group by all

),

statements as (

    select

        items.*,
        items.document_id
            || '|' || items.fund_scope
            || '|' || items.side
            || '|' || coalesce(items.function_code, '')
            || '|' || items.source_key as fact_id,
        items.document_id || ':r' || items.item_index as statement_id,
        cast(
            items.unit_factor * pow(10, -case
                when items.source_kind = 'table' then coalesce(table_decimals.decimals, items.decimals)
                else items.decimals
            end)
            as decimal(20, 4)
        ) as resolution_yuan,
        {{ dq_statement_ref('items') }} as statement_ref

    from items
    left join table_decimals
        on  table_decimals.document_id = items.document_id
        and table_decimals.table_index = items.table_index

),

ranked as (

    select

        *,

        row_number() over (partition by fact_id order by source_kind_rank, item_index) as statement_rank,
        count(*) over (partition by fact_id) as n_statements,
        min(amount_yuan) over (partition by fact_id) = max(amount_yuan) over (partition by fact_id)
            as statements_agree

    from statements

),

with_evidence as (

    select

        *,

        string_agg(
            case
                when statement_rank > 1
                    then source_kind
                        || coalesce(' ' || table_number, '')
                        || ' item ' || item_index
                        || coalesce(' line ' || line_number, '')
                        || ': ' || cast(amount_yuan as varchar)
            end,
            '; '
        ) over facts as other_statements,

        string_agg(case when statement_rank > 1 then statement_ref end, '; ') over facts as other_statement_refs

    from ranked

    window facts as (
        partition by fact_id
        order by statement_rank
        rows between unbounded preceding and unbounded following
    )

),

final as (

    select

        ----------  ids
        fact_id,
        statement_id,
        document_id,

        ----------  key
        fund_scope,
        side,
        source_key,
        function_code,

        ----------  dimensions
        source_name,
        function_name,

        ----------  measures
        amount_yuan,
        amount,
        n_rows,
        n_statements,
        statements_agree,
        other_statements,
        resolution_yuan,

        ----------  text for the reconciliation checks
        side || ' ' || source_key || coalesce(' ' || function_code, '') || ' ' || source_name
            || ' [' || fund_scope || ']' as fact_label,
        side || ' ' || source_key || coalesce(' ' || function_code, '') || ' ' || source_name
            || ' [' || fund_scope || '] ' || statement_ref
            || coalesce(' (also stated: ' || other_statement_refs || ')', '') as lineage_text,

        ----------  lineage of the winning statement
        {{ lineage_columns(with_code=false, with_rank=true) }}

    from with_evidence
    where statement_rank = 1

)

select * from final
