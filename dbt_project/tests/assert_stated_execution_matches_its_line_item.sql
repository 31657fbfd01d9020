{#
    A stated rate linked to a spending figure (stg_stated_execution.line_item_index) names the figure of the same
    sentence: the line item exists, stands on the same line and has the same code and amount. Rows returned break it.
#}

with

rates as (

    select * from {{ ref('stg_stated_execution') }}
    where line_item_index is not null

),

line_items as (

    select * from {{ ref('stg_line_items') }}

)

select
    rates.document_id,
    rates.item_index,
    rates.line_item_index,
    rates.code,
    rates.final_amount_yuan,
    line_items.code as line_item_code,
    line_items.amount_yuan as line_item_amount_yuan
from rates
left join line_items
    on  line_items.document_id = rates.document_id
    and line_items.item_index = rates.line_item_index
where line_items.item_index is null
   or line_items.code is distinct from rates.code
   or line_items.amount_yuan <> rates.final_amount_yuan
   or line_items.line_number is distinct from rates.line_number
