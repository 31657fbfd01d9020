{{ config(severity = 'warn') }}

{#
    Staging contract (warn): the counts ingestion reports agree with the rows it wrote.
      documents.n_line_items = rows in line_items, documents.n_tables = rows in tables,
      tables.n_line_items = line_items rows of that table.
#}

with

documents as (

    select * from {{ ref('stg_documents') }}

),

line_items_per_document as (

    select document_id, count(*) as n from {{ ref('stg_line_items') }} group by document_id

),

tables_per_document as (

    select document_id, count(*) as n from {{ ref('stg_tables') }} group by document_id

),

line_items_per_table as (

    select document_id, table_index, count(*) as n
    from {{ ref('stg_line_items') }}
    where source_kind = 'table'
    group by all

),

document_mismatches as (

    select
        documents.document_id,
        cast(null as integer) as table_index,
        'documents.n_line_items' as counter,
        documents.n_line_items as reported,
        coalesce(line_items_per_document.n, 0) as found
    from documents
    left join line_items_per_document on line_items_per_document.document_id = documents.document_id
    where documents.n_line_items is distinct from coalesce(line_items_per_document.n, 0)

    union all

    select
        documents.document_id,
        null,
        'documents.n_tables',
        documents.n_tables,
        coalesce(tables_per_document.n, 0)
    from documents
    left join tables_per_document on tables_per_document.document_id = documents.document_id
    where documents.n_tables is distinct from coalesce(tables_per_document.n, 0)

),

table_mismatches as (

    select
        tables.document_id,
        tables.table_index,
        'tables.n_line_items' as counter,
        tables.n_line_items as reported,
        coalesce(line_items_per_table.n, 0) as found
    from {{ ref('stg_tables') }} as tables
    left join line_items_per_table
        on  line_items_per_table.document_id = tables.document_id
        and line_items_per_table.table_index = tables.table_index
    where tables.n_line_items is distinct from coalesce(line_items_per_table.n, 0)

)

select * from document_mismatches
union all
select * from table_mismatches
