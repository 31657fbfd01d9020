{#
    Generic test (reconciliation, docs/reconciliation.md): the checks of one rule in marts.dq_results all pass.
    Returns the rule's checks whose status is not `pass` (fail for a rule of severity error, warn for a rule of
    severity warn), so that every rule shows as a Dagster asset check on dq_results with its failing checks counted.

    The test's own severity is set in the yml (warn for every rule): a violation is a fact about a document that the
    warehouse records, not an error of the build. The rule's severity (seeds/dq_rules.csv) decides the status of
    its rows and whether the facts involved are reconciled.

    data_tests:
      - dq_rule_has_no_failures:
          name: dq_R01_function_parent_equals_sum_of_children
          arguments:
            rule_id: R01
          config:
            severity: warn
#}
{% test dq_rule_has_no_failures(model, rule_id) %}
    select rule_id, status, document_id, fund_scope, subject, expected_yuan, actual_yuan, difference_yuan,
           tolerance_yuan, detail
    from {{ model }}
    where rule_id = '{{ rule_id }}'
      and status <> 'pass'
{% endtest %}
