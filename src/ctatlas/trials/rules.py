"""The rule tables of the trials classifier: words, patterns and reviewed names.

Only data lives in the rules modules, one concern each, and every table is imported from here:

- :mod:`~ctatlas.trials.rules_names`: what names a cell product (masks, cell families and their
  literal stems, the "-cel" stem, origin words);
- :mod:`~ctatlas.trials.rules_mention`: what a mention's context makes of it (population or
  product, in vivo CAR, acellular products, laboratory and sampling studies);
- :mod:`~ctatlas.trials.rules_study`: what a study is about, from its title and summary (a cell
  therapy as the setting, standard of care, what the study gives);
- :mod:`~ctatlas.trials.rules_transplant`: haematopoietic transplants and lymphodepletion.

How they are applied is :mod:`ctatlas.trials.classify`. This module keeps the rules' version
and the window the engine reads around a literal stem.

Every regex pattern contains one of the literal stems in ``ANCHORS``, ``ACELL_ANCHORS``,
``HSCT_ANCHORS``, ``VIVO_ANCHORS``, ``LD_ANCHORS`` or ``MASK_ANCHORS`` (the engine only runs a
pattern where a stem occurs): add the stem with the pattern. ``tests/trials/test_rule_stems.py``
reads every such pattern's parse and fails on a branch that can match without one.
"""

from __future__ import annotations

from .rules_mention import (
    ACELL_ANCHORS,
    ACELL_GLUED,
    ACELL_SOURCE_AFTER,
    ACELL_SOURCE_BEFORE,
    ACELLULAR,
    DRUGLIKE_TYPES,
    EFFECT_BEFORE,
    EX_VIVO,
    GIVEN_AFTER,
    GIVEN_BACK,
    GIVEN_WORDS,
    IN_VIVO_CAR,
    INTERVENTION_CELLS,
    LAB_CONTEXT,
    MEASURED_TYPES,
    NEG_AFTER,
    NEG_BEFORE,
    OWN_BEFORE,
    PRODUCT_CONTEXT,
    SAMPLES_TAKEN,
    SAMPLING_ONLY,
    VIVO_ANCHORS,
)
from .rules_names import (
    ANCHORS,
    ASC_ALONE,
    ASC_CONTEXT,
    ASC_WORD,
    CAR_CARRIERS,
    CAR_TOKEN,
    CODE,
    FAMILY_ANCHORS,
    FAMILY_ORDER,
    FAMILY_PATTERNS,
    FAMILY_RE,
    GENERIC_FAMILIES,
    INN_CEL,
    MASK,
    MASK_ANCHORS,
    MASK_REACH,
    NOT_INN,
    ORIGIN_ALLO,
    ORIGIN_AUTO,
    STEM_FAMILIES,
)
from .rules_study import (
    ANTIRETROVIRAL,
    ANTIRETROVIRAL_CART,
    AROUND_AGENT,
    AROUND_CELLS,
    AROUND_CELLS_END,
    AROUND_PLACE,
    ASSESSMENT_STUDY,
    BRIDGING,
    CELL_THERAPY_NAMED,
    CELL_WORD,
    DISEASE_TREATED,
    ECONOMIC_OF,
    FOLLOW_UP,
    GENERIC_AFTER_AGENT,
    INVESTIGATED_OTHER,
    NAMED_PRODUCT,
    NO_INTERVENTION,
    NO_TREATMENT_GIVEN,
    OTHER_AGENT,
    ROUTINE_WORDS,
    SEQUENCE_BEFORE,
    SETTING_STUDY,
    STANDARD_CARE,
    STUDY_PURPOSE,
)
from .rules_transplant import (
    CONDITIONING_AGENT,
    DONOR_LYMPHOCYTES,
    ENGINEERED_GRAFT,
    GRAFT_ONLY,
    HAEM_OR_IMMUNE,
    HSCT,
    HSCT_ANCHORS,
    HSCT_COMPLICATION,
    HSCT_REGIMEN,
    HSCT_STUDY,
    LD_ANCHORS,
    LYMPHODEPLETION,
    REGEN_CELLS,
    REGEN_TARGET,
)

#: The version of these rules. Raise it with any change that can change a label; the atlas's
#: cell-therapy names and codes add their own fingerprint (``atlas_terms.rule_version``).
RULES_VERSION = "16.21"

#: How far around a literal stem the engine searches (the regexes are far too slow over whole
#: records)
WINDOW = 110

__all__ = [
    "ACELLULAR",
    "ACELL_ANCHORS",
    "ACELL_GLUED",
    "ACELL_SOURCE_AFTER",
    "ACELL_SOURCE_BEFORE",
    "ANCHORS",
    "ANTIRETROVIRAL",
    "ANTIRETROVIRAL_CART",
    "AROUND_AGENT",
    "AROUND_CELLS",
    "AROUND_CELLS_END",
    "AROUND_PLACE",
    "ASC_ALONE",
    "ASC_CONTEXT",
    "ASC_WORD",
    "ASSESSMENT_STUDY",
    "BRIDGING",
    "CAR_CARRIERS",
    "CAR_TOKEN",
    "CELL_THERAPY_NAMED",
    "CELL_WORD",
    "CODE",
    "CONDITIONING_AGENT",
    "DISEASE_TREATED",
    "DONOR_LYMPHOCYTES",
    "ECONOMIC_OF",
    "DRUGLIKE_TYPES",
    "EFFECT_BEFORE",
    "ENGINEERED_GRAFT",
    "EX_VIVO",
    "FAMILY_ANCHORS",
    "FAMILY_ORDER",
    "FAMILY_PATTERNS",
    "FAMILY_RE",
    "FOLLOW_UP",
    "GENERIC_AFTER_AGENT",
    "GENERIC_FAMILIES",
    "GIVEN_AFTER",
    "GIVEN_BACK",
    "GIVEN_WORDS",
    "GRAFT_ONLY",
    "HAEM_OR_IMMUNE",
    "HSCT",
    "HSCT_ANCHORS",
    "HSCT_COMPLICATION",
    "HSCT_REGIMEN",
    "HSCT_STUDY",
    "INN_CEL",
    "INTERVENTION_CELLS",
    "INVESTIGATED_OTHER",
    "IN_VIVO_CAR",
    "LAB_CONTEXT",
    "LD_ANCHORS",
    "LYMPHODEPLETION",
    "MASK",
    "MASK_ANCHORS",
    "MASK_REACH",
    "MEASURED_TYPES",
    "NEG_AFTER",
    "NEG_BEFORE",
    "NOT_INN",
    "NAMED_PRODUCT",
    "NO_INTERVENTION",
    "NO_TREATMENT_GIVEN",
    "ORIGIN_ALLO",
    "ORIGIN_AUTO",
    "OTHER_AGENT",
    "OWN_BEFORE",
    "PRODUCT_CONTEXT",
    "REGEN_CELLS",
    "REGEN_TARGET",
    "ROUTINE_WORDS",
    "RULES_VERSION",
    "SAMPLES_TAKEN",
    "SAMPLING_ONLY",
    "SEQUENCE_BEFORE",
    "SETTING_STUDY",
    "STANDARD_CARE",
    "STEM_FAMILIES",
    "STUDY_PURPOSE",
    "VIVO_ANCHORS",
    "WINDOW",
]
