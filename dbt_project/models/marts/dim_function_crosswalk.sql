{#
    Cross-year 支出功能分类 crosswalk: one row per code and name as catalogued (with the years the name is
    evidenced), plus one row per moved code the catalog does not list, each mapped to the one code and name
    its figures compare with today.

    relation:
      moved    the code retired and its spending is reported under another code (ref_function_code_moves,
               chains followed): current_function_code is that code;
      retired  every catalog row of the code ends (valid_to_year) and no move is known: no successor, the code
               stays its own current code with its last name (inferred from the catalog, so at most medium);
      renamed  the code is in use and this is an earlier catalog name (210 医疗卫生与计划生育支出 → 卫生健康支出);
      same     the code's current name, or a variant documents print of it.
#}

with

catalog as (

    select * from {{ ref('int_code_catalog') }}
    where classification = 'function'

),

moves as (

    select * from {{ ref('int_function_code_moves') }}

),

latest_names as (

    select * from catalog
    where name_rank = 1

),

----------  the catalogued rows, and the moved codes the catalog does not list (their name until the move)

raw_rows as (

    select
        code,
        name,
        level,
        valid_from_year,
        valid_to_year,
        is_name_variant,
        true as in_catalog,
        source,
        confidence_rank,
        note
    from catalog

    union all

    select
        moves.old_code,
        moves.old_name,
        case length(moves.old_code) when 3 then 'class' when 5 then 'section' when 7 then 'item' end,
        cast(null as integer),
        moves.from_year - 1,
        false,
        false,
        moves.source,
        case moves.confidence when 'high' then 1 when 'medium' then 2 when 'low' then 3 else 4 end,
        moves.note
    from moves
    where moves.old_code not in (select code from catalog)

),

classified as (

    select

        raw_rows.*,

        moves.old_code is not null
            and (moves.applies_before_year is null
                 or coalesce(raw_rows.valid_from_year, 0) < moves.applies_before_year) as is_moved,

        moves.target_code,
        moves.target_name,
        moves.move_path,
        moves.confidence as move_confidence,
        moves.source as move_source,
        moves.note as move_note,

        own_latest.valid_to_year is not null as every_name_ends,
        own_latest.name as own_latest_name,
        own_latest.confidence_rank as own_latest_confidence_rank,
        own_latest.source as own_latest_source

    from raw_rows
    left join moves
        on moves.old_code = raw_rows.code
    left join latest_names as own_latest
        on own_latest.code = raw_rows.code

),

related as (

    select

        classified.*,

        case
            when is_moved then 'moved'
            when every_name_ends then 'retired'
            when not is_name_variant and name <> own_latest_name then 'renamed'
            else 'same'
        end as relation,

        case when is_moved then target_code else code end as current_code

    from classified

),

final as (

    select

        ----------  ids
        related.code as function_code,
        related.name,

        ----------  the raw code as catalogued
        related.level as function_level,
        related.valid_from_year,
        related.valid_to_year,
        related.is_name_variant,
        related.in_catalog,

        ----------  the code and name it compares with today
        related.current_code as current_function_code,
        case
            when related.relation = 'moved' then coalesce(current_names.name, related.target_name)
            else related.own_latest_name
        end as current_name,
        left(related.current_code, 3) as current_class_code,
        related.relation,
        related.move_path,

        ----------  evidence
        case
            when related.relation = 'moved' then related.move_confidence
            else
                case greatest(
                    related.confidence_rank,
                    case related.relation
                        when 'renamed' then related.own_latest_confidence_rank
                        when 'retired' then 2
                        else 1
                    end
                )
                    when 1 then 'high' when 2 then 'medium' when 3 then 'low' else 'unknown'
                end
        end as confidence,
        case related.relation
            when 'moved' then related.move_source
            when 'renamed' then related.source || ' → current name: ' || related.own_latest_source
            else related.source
        end as source,
        case related.relation
            when 'moved' then related.move_note
            else related.note
        end as note

    from related
    left join latest_names as current_names
        on current_names.code = related.current_code

)

select * from final
