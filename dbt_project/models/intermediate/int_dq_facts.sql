{#
    Every fact the reconciliation rules look at, in one list: the coded facts with their derived parents
    (int_facts_with_parents: function, econ_dept, econ_gov) and the document totals (int_facts_stated,
    classification `total`, no code). Per fact:
      fact_label      what the figure is, e.g. `function 210 卫生健康支出 [general_public, total]`
      fact_ref        the label and where the document states it (the winning statement), or `derived: Σ …`
      resolution_yuan the printed resolution of the winning statement (int_dq_statements); for a derived parent
                      the coarsest of the stated facts it rests on
      other_statement_refs  the statements that did not win (int_dq_statements.statement_ref), in order
      lineage_text    fact_ref with the other statements of the figure; for a derived parent, fact_ref and the fact_ref
                      of every stated fact it rests on
      basis_fact_ids  the stated facts the figure rests on: itself when stated; for a derived parent, the stated
                      facts its amount is the sum of (its stated children, and the stated children of its derived
                      children: a class derived from derived sections rests on their items)
#}

with

coded as (

    select
        fact_id, statement_id, document_id, fund_scope, classification, code, measure, code_level, parent_code,
        coalesce(catalog_name, name) as name,
        amount_yuan, is_derived, n_children, n_statements, statements_agree, other_statements
    from {{ ref('int_facts_with_parents') }}

),

totals as (

    select
        fact_id, statement_id, document_id, fund_scope, classification, code, measure, code_level, parent_code,
        name,
        amount_yuan, false as is_derived, cast(null as integer) as n_children, n_statements, statements_agree,
        other_statements
    from {{ ref('int_facts_stated') }}
    where classification = 'total'

),

facts as (

    select * from coded
    union all by name
    select * from totals

),

----------  the stated facts a derived parent rests on (two levels: a class derived from derived sections)

basis_pairs as (

    select derived.fact_id, child.fact_id as basis_fact_id, child.code as basis_code
    from facts as derived
    inner join facts as child
        on  child.document_id = derived.document_id
        and child.fund_scope = derived.fund_scope
        and child.classification = derived.classification
        and child.measure = derived.measure
        and child.parent_code = derived.code
    where derived.is_derived and not child.is_derived

    union all

    select derived.fact_id, grandchild.fact_id, grandchild.code
    from facts as derived
    inner join facts as child
        on  child.document_id = derived.document_id
        and child.fund_scope = derived.fund_scope
        and child.classification = derived.classification
        and child.measure = derived.measure
        and child.parent_code = derived.code
        and child.is_derived
    inner join facts as grandchild
        on  grandchild.document_id = child.document_id
        and grandchild.fund_scope = child.fund_scope
        and grandchild.classification = child.classification
        and grandchild.measure = child.measure
        and grandchild.parent_code = child.code
        and not grandchild.is_derived
    where derived.is_derived

),

basis as (

    select fact_id, list(basis_fact_id order by basis_code) as basis_fact_ids
    from basis_pairs
    group by fact_id

),

----------  the statements that did not win, as text

other_statements as (

    select
        statements.fact_id,
        string_agg(statements.statement_ref, '; ' order by statements.source_kind_rank, statements.item_index)
            as other_statement_refs
    from {{ ref('int_dq_statements') }} as statements
    inner join facts
        on  facts.fact_id = statements.fact_id
        and facts.statement_id <> statements.statement_id
    group by statements.fact_id

),

labelled as (

    select

        ----------  ids
        facts.fact_id,
        facts.statement_id,
        facts.document_id,

        ----------  key
        facts.fund_scope,
        facts.classification,
        facts.code,
        facts.measure,

        ----------  dimensions
        facts.code_level,
        facts.parent_code,
        facts.name,

        ----------  measures
        facts.amount_yuan,
        facts.is_derived,
        facts.n_children,
        facts.n_statements,
        facts.statements_agree,
        facts.other_statements,
        statements.resolution_yuan,

        ----------  text
        other_statements.other_statement_refs,
        case
            when facts.classification = 'total'
                then 'document total' || coalesce(' «' || facts.name || '»', '')
            else facts.classification || ' ' || facts.code || coalesce(' ' || facts.name, '')
        end || ' [' || facts.fund_scope || ', ' || facts.measure || ']' as fact_label,

        case
            when facts.classification = 'total'
                then 'document total' || coalesce(' «' || facts.name || '»', '')
            else facts.classification || ' ' || facts.code || coalesce(' ' || facts.name, '')
        end || ' [' || facts.fund_scope || ', ' || facts.measure || '] '
        || case
            when facts.is_derived
                then 'derived (not printed): Σ of ' || facts.n_children
                     || case when facts.n_children = 1 then ' child = ' else ' children = ' end
                     || {{ dq_fmt_yuan('facts.amount_yuan') }} || ' yuan'
            else statements.statement_ref
        end as fact_ref,

        ----------  what the figure rests on
        case
            when facts.is_derived then coalesce(basis.basis_fact_ids, [])
            else [facts.fact_id]
        end as basis_fact_ids

    from facts
    left join {{ ref('int_dq_statements') }} as statements
        on statements.statement_id = facts.statement_id
    left join basis
        on basis.fact_id = facts.fact_id
    left join other_statements
        on other_statements.fact_id = facts.fact_id

),

----------  a derived fact's lineage is that of the stated facts it rests on

basis_lineage as (

    select
        basis_pairs.fact_id,
        string_agg(stated.fact_ref, '; ' order by basis_pairs.basis_code) as basis_refs,
        max(stated.resolution_yuan) as basis_resolution_yuan
    from basis_pairs
    inner join labelled as stated
        on stated.fact_id = basis_pairs.basis_fact_id
    group by basis_pairs.fact_id

),

final as (

    select
        labelled.* exclude (resolution_yuan),
        case
            when labelled.is_derived then basis_lineage.basis_resolution_yuan
            else labelled.resolution_yuan
        end as resolution_yuan,
        case
            when labelled.is_derived then labelled.fact_ref || coalesce(', from: ' || basis_lineage.basis_refs, '')
            else labelled.fact_ref || coalesce(' (also stated: ' || labelled.other_statement_refs || ')', '')
        end as lineage_text
    from labelled
    left join basis_lineage
        on basis_lineage.fact_id = labelled.fact_id

)

select * from final
