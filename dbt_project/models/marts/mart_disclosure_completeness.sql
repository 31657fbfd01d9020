{#
    Which of the tables a disclosure is expected to publish (seed ref_expected_tables, by stage and year) each
    document holds, publishes empty, lists without holding, or leaves out: one row per document × expected table.

      present           the document holds the table and it prints figures;
      published_empty   it holds the table without figures, or says the table is published empty / has nothing to
                        show (是否空表 = 是 in its index, a 注 under the table, a sentence: 本部门无政府性基金预算收支，
                        并已公开空表); table_found tells whether the empty table itself is in the document;
      listed_not_found  its index lists the table, but the document neither holds it nor says it is empty;
      missing           none of these.

    completeness_score = (present + published_empty) / expected tables, for scored documents (document_kind
    `tables` or `narrative`). A stand-alone performance-target form (document_kind `performance_form`: its title
    names a 绩效…表 and it neither lists, holds nor mentions an expected table, e.g. hengdong's 部门整体支出绩效目标
    申报表) and a document that could not be read (`unread`) keep their rows (all `missing`) but no score: they are
    not disclosures of tables, and a 0 would compare them with documents that are. Superseded documents and
    documents whose stage or year was not recognised have no rows.
#}

with

documents as (

    select * from {{ ref('dim_document') }}
    where superseded_by is null
      and stage is not null
      and fiscal_year is not null

),

expected as (

    select * from {{ ref('ref_expected_tables') }}

),

evidence as (

    select * from {{ ref('stg_disclosure_tables') }}
    where table_key is not null

),

----------  every table each document is expected to publish

document_tables as (

    select
        documents.document_id,
        expected.table_key,
        expected.table_order,
        expected.title as expected_title
    from documents
    inner join expected
        on expected.stage = documents.stage
        and expected.applies_from_year <= documents.fiscal_year
        and (expected.applies_to_year is null or documents.fiscal_year <= expected.applies_to_year)

),

----------  what the document says of each: the evidence, best first

ranked as (

    select
        *,
        case
            when evidence = 'table' and not is_empty then 1
            when evidence = 'table' then 2
            when evidence = 'index' and is_empty then 3
            when evidence = 'note' then 4
            when evidence = 'sentence' then 5
            else 6
        end as evidence_rank,
        -- the reason for an empty table: a note under it, else its index's 公开空表理由, else a sentence
        case evidence when 'note' then 1 when 'index' then 2 when 'sentence' then 3 else 4 end as reason_rank
    from evidence

),

per_table as (

    select
        document_id,
        table_key,
        count(*) as n_evidence,
        string_agg(distinct evidence, ', ' order by evidence) as evidence_kinds,
        bool_or(evidence = 'table') as table_found,
        bool_or(evidence = 'table' and not is_empty) as has_figures,
        bool_or(evidence = 'index') as listed,
        bool_or(evidence <> 'table' and is_empty) as said_empty,
        arg_min(empty_reason, reason_rank * 1000000 + item_index)
            filter (where empty_reason is not null) as stated_reason,
        arg_min(item_index, evidence_rank * 1000000 + item_index) as deciding_item_index
    from ranked
    group by document_id, table_key

),

statuses as (

    select
        document_tables.*,
        case
            when per_table.has_figures then 'present'
            when per_table.table_found or per_table.said_empty then 'published_empty'
            when per_table.listed then 'listed_not_found'
            else 'missing'
        end as status,
        coalesce(per_table.table_found, false) as table_found,
        coalesce(per_table.listed, false) as listed,
        coalesce(per_table.has_figures and per_table.said_empty, false) as empty_claim_contradicted,
        per_table.stated_reason,
        per_table.evidence_kinds,
        coalesce(per_table.n_evidence, 0) as n_evidence,
        per_table.deciding_item_index
    from document_tables
    left join per_table
        on per_table.document_id = document_tables.document_id
        and per_table.table_key = document_tables.table_key

),

----------  the document's score

counts as (

    select
        document_id,
        {{ completeness_status_counts() }},
        count(*) filter (where table_found) as n_found
    from statuses
    group by document_id

),

kinds as (

    select
        documents.document_id,
        case
            when documents.parse_status in ('failed', 'needs_ocr') then 'unread'
            when counts.n_found > 0 then 'tables'
            when counts.n_missing < counts.n_expected then 'narrative'
            when regexp_matches(coalesce(documents.title, ''), '绩效.*表') then 'performance_form'
            else 'narrative'
        end as document_kind
    from documents
    inner join counts
        on counts.document_id = documents.document_id

),

final as (

    select

        ----------  ids
        statuses.document_id,
        documents.disclosure_id,
        statuses.table_key,

        ----------  dimensions
        documents.region_code,
        documents.region_name,
        documents.department_name,
        documents.fiscal_year,
        documents.stage,
        kinds.document_kind,
        statuses.table_order,
        statuses.expected_title,

        ----------  what the document does with the table
        statuses.status,
        statuses.table_found,
        statuses.listed,
        case when statuses.status = 'published_empty' then statuses.stated_reason end as empty_reason,
        statuses.empty_claim_contradicted,
        statuses.evidence_kinds,
        statuses.n_evidence,

        ----------  the document's score
        kinds.document_kind in ('tables', 'narrative') as is_scored,
        {{ completeness_score("kinds.document_kind in ('tables', 'narrative')", 'counts') }} as completeness_score,
        counts.n_expected as n_expected_tables,
        counts.n_present,
        counts.n_published_empty,
        counts.n_listed_not_found,
        counts.n_missing,

        ----------  lineage of the deciding evidence (NULL when missing)
        ranked.item_index,
        ranked.evidence,
        ranked.printed_number,
        ranked.printed_title,
        ranked.matched_on,
        documents.sha256,
        ranked.source_kind,
        ranked.table_index,
        ranked.table_number,
        ranked.table_title,
        ranked.page,
        ranked.sheet_name,
        ranked.row_number,
        ranked.cell_ref,
        ranked.line_number,
        ranked.extraction

    from statuses
    inner join documents
        on documents.document_id = statuses.document_id
    inner join counts
        on counts.document_id = statuses.document_id
    inner join kinds
        on kinds.document_id = statuses.document_id
    left join ranked
        on ranked.document_id = statuses.document_id
        and ranked.item_index = statuses.deciding_item_index

)

select * from final
