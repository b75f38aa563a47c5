"""A profile from a product's description alone, for checking the rules against real decisions.

The labelled decision sets (regulators' classifications of real products) must not be circular:
the profile a decision is checked with is filled from the description the regulator published,
before anyone looks at the regulator's answer. :func:`profile_from_description` is that step:
it sees only the description text and reads it with fixed word lists, so the same description
always gives the same profile, whatever the answer was. Attributes the words do not settle stay
``None`` (unknown), as in any profile.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["profile_from_description"]

_GENE = (
    r"transduc|gene[- ]modified|genetically modified|chimeric antigen receptor|\bcar[- ]?t\b|"
    r"vector|plasmid|encoding|\bcdna\b|\bmrna\b|oligonucleotide|transgene|oncolytic"
)
_NO_CELLS = r"adeno-associated|\baav\b|plasmid|viral vector|\bmrna\b|oligonucleotide|oncolytic"
_CELLS = r"cell|tissue|organoid|chondrocyte|keratinocyte|fibroblast|lymphocyte|islet"
_XENO = r"porcine|xenogeneic|animal|murine|bovine"
_ALLO = r"allogeneic|donor|another person|cord blood|umbilical|third[- ]party"
_AUTO = r"autologous|patient'?s own"
_MORE = (
    r"expand|cultur|organoid|aggregate|pluripotent|differentiat|activat|cytokine-induced|"
    r"transduc|chimeric antigen|\bcar[- ]?t\b|3d|bio-?printed|engineered|sheet"
)
_MINIMAL = r"mononuclear|concentrat|separated|stromal vascular fraction|platelet-rich|washed"
_STEM = r"stem|stromal|\bmscs?\b|progenitor|pluripotent|\bipsc|cd34"
_PLURI = r"induced pluripotent|\bips\b|\bipscs?\b|embryonic stem"
_COMBINED = r"matrix|scaffold|membrane|device|hydrogel|biomaterial"
_DEVICE = r"device"
_REPAIR = (
    r"repair|regenerat|defect|cartilage|wound|ulcer|\btear\b|bone|burn|osteoarthritis|fistula|"
    r"reconstruct|microtia|skin"
)
_COSMETIC = r"cosmetic|aesthetic|wrinkle"


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def profile_from_description(description: str) -> dict[str, Any]:
    """The profile attributes a description settles (the rest are left out, i.e. unknown)."""
    text = description.lower()
    cells = _has(_CELLS, text)
    gene = _has(_GENE, text)
    out: dict[str, Any] = {}
    if not cells and _has(_NO_CELLS, text):
        out.update(origin="none", genetically_modified=True, viable_cells=False)
        return out
    if not cells:
        return out
    if _has(_XENO, text):
        out["origin"] = "xenogeneic"
    elif _has(_ALLO, text):
        out["origin"] = "allogeneic"
    elif _has(_AUTO, text):
        out["origin"] = "autologous"
    out["genetically_modified"] = gene
    if gene or _has(_MORE, text):
        out["manipulation"] = "more_than_minimal"
    elif _has(_MINIMAL, text):
        out["manipulation"] = "minimal"
    pluripotent = _has(_PLURI, text)
    out["pluripotent"] = pluripotent
    out["stem_cell"] = pluripotent or _has(_STEM, text)
    combined = _has(_COMBINED, text)
    out["combined_with_device_or_drug"] = combined
    out["integral_medical_device"] = combined and _has(_DEVICE, text)
    out["viable_cells"] = True
    out["cosmetic_purpose"] = _has(_COSMETIC, text)
    # "bone marrow" names where cells come from, not a tissue to repair
    target = re.sub(r"bone[- ]marrow", "marrow", text)
    repair = _has(_REPAIR, target)
    out["intended_function"] = "structural_repair" if repair else "disease_treatment"
    return out
