{{ config(meta = {'dagster': {'ref': {'name': 'dq_results'}}}) }}

{#
    Reconciliation (error): every row of dq_results belongs to a rule of seeds/dq_rules.csv that is marked
    evaluated, and carries that rule's name and severity. A rule listed as not evaluated must have no rows;
    a rule a model evaluates must be listed. meta.dagster.ref attaches it to dq_results as a Dagster asset check.
#}

select results.check_id, results.rule_id, results.rule_name, results.severity,
       rules.name as seed_name, rules.severity as seed_severity, rules.evaluated
from {{ ref('dq_results') }} as results
left join {{ ref('dq_rules') }} as rules
    on rules.rule_id = results.rule_id
where rules.rule_id is null
   or not rules.evaluated
   or results.rule_name is distinct from rules.name
   or results.severity is distinct from rules.severity
