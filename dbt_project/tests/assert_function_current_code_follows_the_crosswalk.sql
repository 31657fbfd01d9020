{#
    fct_function_spending.current_function_code is what dim_function_crosswalk says for the raw code in the
    figure's fiscal year: no figure may map elsewhere than a crosswalk row of its code whose years cover the year.
#}

select
    spending.document_id,
    spending.fund_scope,
    spending.function_code,
    spending.measure,
    spending.fiscal_year,
    spending.current_function_code,
    crosswalk.name as crosswalk_name,
    crosswalk.current_function_code as crosswalk_current_code
from {{ ref('fct_function_spending') }} as spending
inner join {{ ref('dim_function_crosswalk') }} as crosswalk
    on  crosswalk.function_code = spending.function_code
    and (crosswalk.valid_from_year is null or crosswalk.valid_from_year <= spending.fiscal_year)
    and (crosswalk.valid_to_year is null or crosswalk.valid_to_year >= spending.fiscal_year)
where crosswalk.current_function_code <> spending.current_function_code
