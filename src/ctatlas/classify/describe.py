"""A profile from a product's description alone, for checking the rules against real decisions.

The labelled decision sets (regulators' classifications of real products) must not be circular:
the profile a decision is checked with is filled from the description the regulator published,
before anyone looks at the regulator's answer. :func:`profile_from_description` is that step:
it sees only the description text and reads it with fixed word lists, so the same description
always gives the same profile, whatever the answer was. Attributes the words do not settle stay
``None`` (unknown), as in any profile.

The word lists were widened once, after the 152-decision sets were committed and measured
(tests/fixtures/decisions/README.md gives the figures before and after): vector and -vec/-cel
names, platelets and blood, cell types that only exist cultured (mesenchymal stromal cells,
tumour-infiltrating lymphocytes, dendritic and killer cells, antigen-specific T cells), whose
cells they are when a donor's matrix carries the patient's own cells, and reading the product
apart from its indication. None of them looks at an answer.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["profile_from_description"]

_GENE = (
    r"transduc|gene[- ]modified|genetically modified|chimeric antigen receptor|\bcar[- ]?t\b|"
    r"vector|plasmid|encoding|\bcdna\b|\bmrna\b|oligonucleotide|transgene|oncolytic|"
    r"\b\w+vec\b"
)
#: Gene products without cells: vectors (INN names ending in -vec), plasmids, nucleic acids.
_NO_CELLS = (
    r"adeno-associated|\baav\w*|plasmid|viral vector|\bvector\b|\bmrna\b|oligonucleotide|"
    r"oncolytic|\b\w+vec\b"
)
#: Cells or cell-bearing material (INN names ending in -cel are cell products).
_CELLS = (
    r"cell|tissue|organoid|chondrocyte|keratinocyte|fibroblast|lymphocyte|islet|platelet|"
    r"\bblood\b|marrow|spheroid|epidermis|\b\w+cel\b"
)
#: Material said to hold no living (nucleated) cells.
_ACELLULAR = r"acellular|cells removed|with the cells removed|no nucleus|cell-free"
#: Animal material that is only a matrix or support says nothing about whose the cells are.
_ANIMAL_SUPPORT = (
    r"(porcine|bovine)[^,;.]{0,30}(matrix|collagen|membrane|vessel)|"
    r"decellulari[sz]ed (porcine|bovine)[^,;.]{0,20}"
)
_XENO = r"porcine|xenogeneic|animal|murine|bovine"
#: Said outright: another person's cells.
_ALLO_EXPLICIT = r"allogeneic|another person|healthy donor|from a donor|donor'?s|third[- ]party"
_AUTO = r"autologous|patient'?s own|\bown\b|patient'?s (subcutaneous|peripheral|bone)|same patient"
#: Implied: material that normally comes from someone else.
_ALLO_IMPLIED = r"donor|cord blood|umbilical|\bdeceased\b"
#: Cells that exist only after culture or other substantial processing: expanded, activated,
#: differentiated or pulsed cells, and cell types made that way (mesenchymal stromal/stem cells,
#: tumour-infiltrating lymphocytes, dendritic cells, killer cells, antigen-specific T cells).
_MORE = (
    r"expand|cultur|organoid|aggregate|pluripotent|differentiat|activat|cytokine-induced|"
    r"transduc|chimeric antigen|\bcar[- ]?t\b|3d|bio-?printed|engineered|sheet|\bgrown\b|"
    r"substantially manipulated|enzymatic|digest|disrupt|mesenchymal|tumou?r-infiltrating|"
    r"dendritic|killer|antigen-specific|specific t cells|pulsed|spheroid"
)
_MINIMAL = (
    r"mononuclear|concentrat|separated|stromal vascular fraction|platelet-rich|washed|"
    r"centrifug|selected|not cultured"
)
_STEM = r"stem|stromal|\bmscs?\b|progenitor|pluripotent|\bipsc|cd34"
#: Disease names that contain the word "stem" say nothing about the cells.
_STEM_DISEASE = r"stem cell deficiency|stem cell transplant\w*"
_PLURI = r"induced pluripotent|\bips\b|\bipscs?\b|embryonic stem"
_COMBINED = r"matrix|scaffold|membrane|device|hydrogel|biomaterial"
#: A matrix, scaffold or membrane the cells sit on or in, or a device, is a structural part of
#: the product (the EU's combined ATMP, Korea's combination product).
_DEVICE = r"device|\b(on|in|into)( a| an)?( [\w-]+){0,5} (matrix|scaffold|membrane)"
_REPAIR = (
    r"repair|regenerat|defect|cartilage|wound|ulcer|\btear\b|bone|burn|osteoarthritis|fistula|"
    r"reconstruct|microtia|skin|epiderm|vitiligo|corne|hair|graft(?![- ]versus)|meniscus|"
    r"ligament|tendon"
)
#: Adding volume or shape for looks: the body is re-formed, not treated.
_AUGMENT = r"augmentation|enlarg"
_COSMETIC = r"cosmetic|aesthetic|wrinkle"
#: Blood-forming cells given to rebuild the blood and immune system.
_HAEMATOPOIETIC = (
    r"ha?ematopoietic (progenitor|stem) cell transplant|ha?ematopoietic reconstitution"
)
#: FDA: use as an unproven treatment for a myriad of diseases is not homologous use.
_MANY_USES = r"variety of diseases|many conditions|myriad"


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def profile_from_description(description: str) -> dict[str, Any]:
    """The profile attributes a description settles (the rest are left out, i.e. unknown)."""
    text = description.lower()
    # what the product is comes before what it is for ("... cells, for ..."): the indication
    # ("patients with sufficient viable retinal cells") must not be read as the product
    product = re.split(r"\bfor\b", text, maxsplit=1)[0]
    cells = _has(_CELLS, product)
    gene = _has(_GENE, product)
    out: dict[str, Any] = {}
    if not cells and (_has(_NO_CELLS, product) or "genetically modified" in product):
        out.update(origin="none", genetically_modified=True, viable_cells=False)
        return out
    if not cells:
        return out
    whose = re.sub(_ANIMAL_SUPPORT, " ", product)
    if _has(_XENO, whose):
        out["origin"] = "xenogeneic"
    elif _has(_ALLO_EXPLICIT, whose):
        out["origin"] = "allogeneic"
    elif _has(_AUTO, whose):
        out["origin"] = "autologous"
    elif _has(_ALLO_IMPLIED, whose):
        out["origin"] = "allogeneic"
    out["genetically_modified"] = gene
    if gene or _has(_MORE, re.sub(r"\b(not|non-|un)\s?cultured", " ", product)):
        out["manipulation"] = "more_than_minimal"
    elif _has(_MINIMAL, product):
        out["manipulation"] = "minimal"
    pluripotent = _has(_PLURI, product)
    out["pluripotent"] = pluripotent
    out["stem_cell"] = pluripotent or _has(_STEM, re.sub(_STEM_DISEASE, " ", product))
    combined = _has(_COMBINED, product)
    out["combined_with_device_or_drug"] = combined
    out["integral_medical_device"] = combined and _has(_DEVICE, product)
    out["viable_cells"] = not _has(_ACELLULAR, product)
    out["cosmetic_purpose"] = _has(_COSMETIC, text)
    if _has(_MANY_USES, text):
        out["homologous_use"] = False
    if _has(_HAEMATOPOIETIC, text):
        out["intended_function"] = "hematopoietic_reconstitution"
        if "unrelated" in text:
            out["donor_relation"] = "unrelated"
        return out
    # "bone marrow" names where cells come from, not a tissue to repair
    target = re.sub(r"bone[- ]marrow", "marrow", text)
    if _has(_AUGMENT, target):
        out["intended_function"] = "cosmetic_augmentation"
        return out
    repair = _has(_REPAIR, target)
    out["intended_function"] = "structural_repair" if repair else "disease_treatment"
    return out
