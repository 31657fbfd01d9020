{#
    支出功能分类 codes that moved (seed ref_function_code_moves), resolved to the code their spending is reported
    under today: one row per old_code. Chains are followed (A → B from 2019, B → C from 2021: A's figures count
    under C). applies_before_year says in which fiscal years a figure printed under old_code moves: NULL = in
    every year (a document printing a retired code after the change is template lag); a year = only before it,
    because the catalog gives old_code a meaning of its own from that year on (a ref_function_codes row of
    old_code with valid_from_year >= the move's from_year).
#}

with recursive

moves as (

    select
        *,
        case confidence when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end as confidence_rank
    from {{ ref('ref_function_code_moves') }}

),

catalog as (

    select * from {{ ref('int_code_catalog') }}
    where classification = 'function'

),

----------  every chain of moves starting at an old code (at most 10 steps: a cycle cannot loop for ever)

chains as (

    select
        old_code,
        old_name,
        from_year,
        new_code as target_code,
        new_name as target_name,
        1 as n_steps,
        old_code || ' → ' || new_code || ' (' || cast(from_year as varchar) || ')' as move_path,
        confidence_rank,
        source,
        note
    from moves

    union all

    select
        chains.old_code,
        chains.old_name,
        chains.from_year,
        moves.new_code,
        moves.new_name,
        chains.n_steps + 1,
        chains.move_path || ' → ' || moves.new_code || ' (' || cast(moves.from_year as varchar) || ')',
        greatest(chains.confidence_rank, moves.confidence_rank),
        chains.source || '; ' || moves.source,
        concat_ws('; ', chains.note, moves.note)
    from chains
    inner join moves
        on moves.old_code = chains.target_code
    where chains.n_steps < 10

),

resolved as (

    select * from chains
    qualify row_number() over (partition by old_code order by n_steps desc) = 1

),

----------  a catalog meaning of old_code from the move's year on limits the move to the years before

reused as (

    select
        resolved.old_code,
        min(catalog.valid_from_year) as reused_from_year
    from resolved
    inner join catalog
        on  catalog.code = resolved.old_code
        and catalog.valid_from_year >= resolved.from_year
    group by resolved.old_code

),

final as (

    select

        ----------  ids
        resolved.old_code,

        ----------  the move
        resolved.old_name,
        resolved.from_year,
        case when reused.old_code is not null then resolved.from_year end as applies_before_year,
        resolved.target_code,
        resolved.target_name,
        resolved.n_steps,
        resolved.move_path,

        ----------  evidence
        case resolved.confidence_rank when 1 then 'high' when 2 then 'medium' when 3 then 'low' end as confidence,
        resolved.source,
        resolved.note

    from resolved
    left join reused
        on reused.old_code = resolved.old_code

)

select * from final
