{#
    mart_disclosure_completeness_by_disclosure: a disclosure's status of a table is the best status any of its
    documents gives it (present > published_empty > listed_not_found > missing), and its counts are those of
    its documents' best statuses. Rows returned are disclosure × table pairs where the rollup says otherwise.
#}

with

per_document as (

    select
        disclosure_id,
        table_key,
        min(case status
                when 'present' then 1 when 'published_empty' then 2 when 'listed_not_found' then 3 else 4
            end) as best_rank
    from {{ ref('mart_disclosure_completeness') }}
    where disclosure_id is not null
    group by disclosure_id, table_key

),

disclosures as (

    select
        *,
        case status
            when 'present' then 1 when 'published_empty' then 2 when 'listed_not_found' then 3 else 4
        end as status_rank
    from {{ ref('mart_disclosure_completeness_by_disclosure') }}

)

select
    coalesce(disclosures.disclosure_id, per_document.disclosure_id) as disclosure_id,
    coalesce(disclosures.table_key, per_document.table_key) as table_key,
    disclosures.status_rank,
    per_document.best_rank
from disclosures
full outer join per_document
    on per_document.disclosure_id = disclosures.disclosure_id
    and per_document.table_key = disclosures.table_key
where disclosures.status_rank is distinct from per_document.best_rank
