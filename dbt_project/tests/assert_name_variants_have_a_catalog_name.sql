{#
    Seed convention: a row marked "name variant:" adds a printed name to a code that has a catalog name;
    it must never be the code's only row (it would otherwise become the code's name).
#}

select classification, code, name
from {{ ref('int_code_catalog') }} as variants
where is_name_variant
  and not exists (
      select 1
      from {{ ref('int_code_catalog') }} as catalog_names
      where catalog_names.classification = variants.classification
        and catalog_names.code = variants.code
        and not catalog_names.is_name_variant
  )
