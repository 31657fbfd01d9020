{#
    Helpers of the completeness marts (mart_disclosure_completeness, …_by_disclosure): one definition of the
    status counts and of the score, so that the document and the disclosure figures cannot drift apart.
#}

{#- The counts of a group of rows with a `status` column (one row per expected table). -#}
{% macro completeness_status_counts() -%}
    count(*) as n_expected,
    count(*) filter (where status = 'present') as n_present,
    count(*) filter (where status = 'published_empty') as n_published_empty,
    count(*) filter (where status = 'listed_not_found') as n_listed_not_found,
    count(*) filter (where status = 'missing') as n_missing
{%- endmacro %}

{#- completeness_score: the share of the expected tables published with figures or published empty, DECIMAL(5,4);
    NULL when `is_scored` is false. `counts` is the relation holding the counts above. -#}
{% macro completeness_score(is_scored, counts) -%}
    case
        when {{ is_scored }}
            then cast(round(({{ counts }}.n_present + {{ counts }}.n_published_empty) / {{ counts }}.n_expected, 4)
                      as decimal(5, 4))
    end
{%- endmacro %}
