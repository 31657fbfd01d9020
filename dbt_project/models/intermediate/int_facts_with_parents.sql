{#
    Coded facts (function, econ_dept, econ_gov) plus the parents the document implies but does not state.
    Per (document_id, fund_scope, classification, measure):
      pass 1: function items (7 digits) -> sections (5); economic items (5) -> classes (3);
      pass 2: function sections, stated or derived in pass 1 -> classes (3).
    A derived parent has is_derived = true, amount_yuan = the sum of its children, n_children, and no lineage.
    A stated parent is never replaced, even when its children add up to something else.
    Every row gets catalog_name: the catalog name of the code in force in the document's fiscal year.
#}

with

stated as (

    select
        *,
        false as is_derived,
        cast(null as integer) as n_children
    from {{ ref('int_facts_stated') }}
    where classification in ('function', 'econ_dept', 'econ_gov')

),

documents as (

    select document_id, fiscal_year from {{ ref('stg_documents') }}

),

catalog as (

    select * from {{ ref('int_code_catalog') }}

),

----------  pass 1: items -> sections (function) or classes (economic)

pass_1_sums as (

    select
        document_id,
        fund_scope,
        classification,
        parent_code as code,
        measure,
        case when classification = 'function' then 'section' else 'class' end as code_level,
        sum(amount_yuan) as amount_yuan,
        count(*) as n_children
    from stated
    where code_level = 'item'
    group by all

),

pass_1 as (

    select pass_1_sums.*
    from pass_1_sums
    left join stated
        on  stated.document_id = pass_1_sums.document_id
        and stated.fund_scope = pass_1_sums.fund_scope
        and stated.classification = pass_1_sums.classification
        and stated.code = pass_1_sums.code
        and stated.measure = pass_1_sums.measure
    where stated.fact_id is null

),

----------  pass 2: function sections (stated or derived) -> classes

sections as (

    select document_id, fund_scope, classification, code, measure, amount_yuan
    from stated
    where classification = 'function' and code_level = 'section'

    union all

    select document_id, fund_scope, classification, code, measure, amount_yuan
    from pass_1
    where classification = 'function'

),

pass_2_sums as (

    select
        document_id,
        fund_scope,
        classification,
        left(code, 3) as code,
        measure,
        'class' as code_level,
        sum(amount_yuan) as amount_yuan,
        count(*) as n_children
    from sections
    group by all

),

pass_2 as (

    select pass_2_sums.*
    from pass_2_sums
    left join stated
        on  stated.document_id = pass_2_sums.document_id
        and stated.fund_scope = pass_2_sums.fund_scope
        and stated.classification = pass_2_sums.classification
        and stated.code = pass_2_sums.code
        and stated.measure = pass_2_sums.measure
    where stated.fact_id is null

),

derived as (

    select * from pass_1
    union all
    select * from pass_2

),

derived_facts as (

    select

        document_id
            || '|' || fund_scope
            || '|' || classification
            || '|' || code
            || '|' || measure as fact_id,
        cast(null as varchar) as statement_id,
        document_id,
        fund_scope,
        classification,
        code,
        measure,
        code_level,
        case when code_level = 'section' then left(code, 3) end as parent_code,
        cast(null as varchar) as name,
        cast(amount_yuan as decimal(20, 2)) as amount_yuan,
        cast(null as decimal(20, 4)) as amount,
        cast(null as bigint) as n_rows,
        cast(0 as bigint) as n_statements,
        cast(null as boolean) as statements_agree,
        cast(null as varchar) as other_statements,
        {{ null_lineage_columns(with_rank=true) }},
        true as is_derived,
        cast(n_children as integer) as n_children

    from derived

),

all_facts as (

    select * from stated
    union all by name
    select * from derived_facts

),

----------  the catalog name in force in the document's fiscal year

name_candidates as (

    select

        all_facts.fact_id,
        catalog.name,

        row_number() over (
            partition by all_facts.fact_id
            order by
                catalog.is_name_variant,
                case
                    when (catalog.valid_from_year is null or catalog.valid_from_year <= documents.fiscal_year)
                     and (catalog.valid_to_year is null or catalog.valid_to_year >= documents.fiscal_year)
                    then 0 else 1
                end,
                catalog.confidence_rank,
                coalesce(catalog.valid_to_year, 9999) desc,
                coalesce(catalog.valid_from_year, 0) desc,
                catalog.name
        ) as candidate_rank

    from all_facts
    inner join documents
        on documents.document_id = all_facts.document_id
    inner join catalog
        on  catalog.classification = all_facts.classification
        and catalog.code = all_facts.code

),

catalog_names as (

    select fact_id, name as catalog_name
    from name_candidates
    where candidate_rank = 1

),

final as (

    select

        ----------  ids
        all_facts.fact_id,
        all_facts.statement_id,
        all_facts.document_id,

        ----------  key
        all_facts.fund_scope,
        all_facts.classification,
        all_facts.code,
        all_facts.measure,

        ----------  dimensions
        all_facts.code_level,
        all_facts.parent_code,
        all_facts.name,
        catalog_names.catalog_name,

        ----------  measures
        all_facts.amount_yuan,
        all_facts.amount,
        all_facts.is_derived,
        all_facts.n_children,
        all_facts.n_rows,
        all_facts.n_statements,
        all_facts.statements_agree,
        all_facts.other_statements,

        ----------  lineage (NULL for derived parents)
        {{ lineage_columns('all_facts', with_rank=true) }}

    from all_facts
    left join catalog_names
        on catalog_names.fact_id = all_facts.fact_id

)

select * from final
