{#
    One row per fact key (document_id, fund_scope, classification, code, measure): the first statement wins
    (tables before prose, then the lowest item_index, i.e. tables in document order and prose in reading order).
    The other statements are kept as evidence: n_statements, statements_agree (every statement gives the same
    amount in yuan) and other_statements (their amounts and places, in order).
#}

with

statements as (

    select * from {{ ref('int_statements') }}

),

ranked as (

    select

        *,

        row_number() over (
            partition by fact_id
            order by source_kind_rank, item_index
        ) as statement_rank,

        count(*) over (partition by fact_id) as n_statements,

        min(amount_yuan) over (partition by fact_id)
            = max(amount_yuan) over (partition by fact_id) as statements_agree

    from statements

),

with_evidence as (

    select

        *,

        {{ other_statements('fact_id') }} as other_statements

    from ranked

),

final as (

    select

        ----------  ids
        fact_id,
        statement_id,
        document_id,

        ----------  key
        fund_scope,
        classification,
        code,
        measure,

        ----------  dimensions
        code_level,
        parent_code,
        name,

        ----------  measures
        amount_yuan,
        amount,
        n_rows,
        n_statements,
        statements_agree,
        other_statements,

        ----------  lineage of the winning statement's first row
        {{ lineage_columns(with_rank=true) }}

    from with_evidence
    where statement_rank = 1

)

select * from final
