{#
    One row per piece of evidence about a table of a document (docs/staging/disclosure_tables.md): an entry of
    its index of tables, a table it holds, a 注 under a table or a sentence saying a table is empty. table_key
    names the expected table (seed ref_expected_tables) the row is about, NULL for any other table.
#}

with

source as (

    select * from {{ source('staging', 'disclosure_tables') }}

),

renamed as (

    select

        ----------  ids
        cast(document_id as varchar) as document_id,
        cast(item_index as integer) as item_index,
        cast(table_key as varchar) as table_key,

        ----------  what the document says
        cast(evidence as varchar) as evidence,
        cast(printed_number as varchar) as printed_number,
        cast(printed_title as varchar) as printed_title,
        cast(matched_on as varchar) as matched_on,
        cast(is_empty as boolean) as is_empty,
        cast(empty_reason as varchar) as empty_reason,

        ----------  where it was printed
        cast(sha256 as varchar) as sha256,
        cast(source_kind as varchar) as source_kind,
        cast(table_index as integer) as table_index,
        cast(table_number as varchar) as table_number,
        cast(table_title as varchar) as table_title,
        cast(page as integer) as page,
        cast(sheet_name as varchar) as sheet_name,
        cast("row_number" as integer) as row_number,
        cast(cell_ref as varchar) as cell_ref,
        cast(line_number as integer) as line_number,
        cast(extraction as varchar) as extraction

    from source

)

select * from renamed
