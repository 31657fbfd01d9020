{#
    The facts a failing reconciliation check involves (marts.dq_results, status fail): computed once here
    for the three fact marts' `reconciled` flag.
#}

select distinct unnest(fact_ids) as fact_id
from {{ ref('dq_results') }}
where status = 'fail'
