{#
    mart_disclosure_completeness rolled up to the disclosure (dim_disclosure: a region's department, year and
    stage, however many files it was published as): one row per disclosure × expected table. A table's status is
    the best any of the disclosure's documents gives it (present > published_empty > listed_not_found > missing):
    the narrative file of a Jiangsu disclosure lists the tables that its table file holds.
    completeness_score as per document, over the disclosure; NULL when none of its documents is scored.
#}

with

per_document as (

    select * from {{ ref('mart_disclosure_completeness') }}
    where disclosure_id is not null

),

ranked as (

    select
        *,
        row_number() over (
            partition by disclosure_id, table_key
            order by
                case status
                    when 'present' then 1 when 'published_empty' then 2 when 'listed_not_found' then 3 else 4
                end,
                case when is_scored then 0 else 1 end,
                document_id
        ) as rank_in_disclosure
    from per_document

),

per_table as (

    select
        disclosure_id,
        table_key,
        count(*) as n_documents,
        count(*) filter (where status in ('present', 'published_empty')) as n_documents_with_table,
        bool_or(is_scored) as is_scored
    from per_document
    group by disclosure_id, table_key

),

best as (

    select
        ranked.*,
        per_table.n_documents,
        per_table.n_documents_with_table,
        per_table.is_scored as disclosure_is_scored
    from ranked
    inner join per_table
        on per_table.disclosure_id = ranked.disclosure_id
        and per_table.table_key = ranked.table_key
    where ranked.rank_in_disclosure = 1

),

counts as (

    select
        disclosure_id,
        {{ completeness_status_counts() }}
    from best
    group by disclosure_id

),

final as (

    select

        ----------  ids
        best.disclosure_id,
        best.table_key,

        ----------  dimensions
        best.region_code,
        best.region_name,
        best.fiscal_year,
        best.stage,
        best.table_order,
        best.expected_title,

        ----------  what the disclosure does with the table
        best.status,
        case when best.status <> 'missing' then best.document_id end as document_id,
        best.document_kind,
        best.table_found,
        best.empty_reason,
        best.n_documents,
        best.n_documents_with_table,

        ----------  the disclosure's score
        best.disclosure_is_scored as is_scored,
        {{ completeness_score('best.disclosure_is_scored', 'counts') }} as completeness_score,
        counts.n_expected as n_expected_tables,
        counts.n_present,
        counts.n_published_empty,
        counts.n_listed_not_found,
        counts.n_missing,

        ----------  lineage of the deciding evidence (NULL when missing)
        best.item_index,
        best.evidence,
        best.printed_number,
        best.printed_title,
        case when best.status <> 'missing' then best.sha256 end as sha256,
        best.source_kind,
        best.table_index,
        best.page,
        best.line_number

    from best
    inner join counts
        on counts.disclosure_id = best.disclosure_id

)

select * from final
