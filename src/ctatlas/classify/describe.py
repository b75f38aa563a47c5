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

Round 2 (68 more decisions, measured before the change): tissues named without the word
"cell" (cord, amnion, fat ...), secretions without cells (exosomes), acellular fluids, homologous
use read from the source tissue's basic function and the stated use, platelets by injection
site, immune cells against tumours, the route (systemic or local), the same surgical procedure,
and the kind of cells (`cell_kind`) where a rule turns on it.
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
#: Human tissues named without a word for cells: birth tissues and fluids, fat, skin layers
#: (FDA's letters name products by them: "umbilical cord derived", "amniotic fluid").
_TISSUE = (
    r"amnio|amnion|chorion|placent|umbilical|(?<!spinal )\bcord\b|wharton|adipose|\bfat\b|"
    r"lipoaspirate|dermis|dermal"
)
#: What cells secrete or shed, without the cells (exosomes, vesicles, conditioned medium).
_SECRETED = (
    r"exosome|extracellular vesicle|secretome|conditioned medi|culture supernatant|"
    r"secreted by"
)
#: Fluids without tissue structure: with the cells removed they are no longer cells or tissue.
_FLUID = r"\bfluid\b|\bplasma\b"
_BLOOD_FORMING = r"cord blood|ha?ematopoietic (stem|progenitor)|\bhpc\b"
_ANUCLEATE = r"no nucleus|without a nucleus|lack a nucleus|anucleate"
_TISSUE_MEMBRANE = r"(amniotic|amnion|chorionic|chorion|placental|amnion and chorion) membrane"
_STRUCTURE = r"membrane|dermis|tissue|matrix|graft"
#: Cells or cell-bearing material (INN names ending in -cel are cell products).
_CELLS = (
    r"cell|tissue|organoid|chondrocyte|keratinocyte|fibroblast|lymphocyte|islet|platelet|"
    r"\bblood\b|marrow|spheroid|epidermis|\b\w+cel\b|" + _TISSUE
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
    r"dendritic|killer|antigen-specific|specific t cells|pulsed|spheroid|"
    # progenitors of another tissue than the one they come from were made so in the dish
    r"(cartilage|chondro\w*|bone|osteo\w*|neural|cardiac|hepat\w*|muscle) progenitor cells "
    r"derived from"
)
_MINIMAL = (
    r"mononuclear|concentrat|separated|stromal vascular fraction|platelet-rich|washed|"
    r"centrifug|selected|not cultured|dehydrat|decellulari|acellular"
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


#: The source tissue's basic function, as FDA's 2017 guidance reads homologous use (the same
#: basic function in the recipient as in the donor), and the words of a use that is that
#: function. Sources are tried in order: cord blood before the cord itself.
_SOURCE_FUNCTIONS = (
    (
        r"cord blood|peripheral blood|bone[- ]marrow|\bmarrow\b|ha?ematopoietic stem",
        r"ha?ematopoietic|blood[- ]forming|reconstitut|"
        r"transplanted after (high-dose )?chemotherapy",
    ),
    (r"amnio|amnion|chorion|placent", r"\bcover|barrier|surface of the eye|ocular surface"),
    (r"umbilical|\bcord\b|wharton", r"\bconduit"),
    (
        r"adipose|\bfat\b|lipoaspirate|stromal vascular",
        r"\bfill|volume|contour|depression|augment|breast reconstruction|reconstruct the breast",
    ),
    (r"dermis|dermal", r"\bcover|\bsupport"),
)
#: A use stated as treating something: not the tissue's basic function.
_CLAIMS = (
    r"\btreat|disease|condition|injur|arthritis|orthop|musculoskeletal|inflammat|\bpain\b|"
    r"heal|repair|replac|regenerat|reconstruct|scar|ulcer|regrow|grow new|thicken|rejuvenat|"
    r"\bageing|\baging|covid|lupus|sclerosis|parkinson|autism|palsy|\bals\b|copd|cirrhosis|"
    r"sports|tendon|ligament|cartilage|\bbone\b|joint|cushion"
)
#: Platelets act where blood reaches. A joint cavity or an intervertebral disc has no blood
#: supply of its own, so platelets put there do not do what platelets do at that site: Japan's
#: homologous use is cells with the same function as the cells of the site treated (MHLW,
#: 医政研発1031第1号), and knee-osteoarthritis injections go into the joint.
_PLATELETS = r"platelet|concentrated growth factor|\bcgf\b|\bprp\b"
_AVASCULAR_SITE = (
    r"into the (knee )?joint|intra-?articular|joint cavity|intervertebral disc|\bdisc\b|"
    r"nucleus pulposus|osteoarthritis"
)
#: Immune cells, whose own function is fighting tumours and infections.
_IMMUNE = (
    r"lymphocyte|\bt cells?\b|t-cell|\bnk\b|natural killer|dendritic|killer|\bcar[- ]?t\b|"
    r"monocyte|cd14|macrophage|immune cells"
)
_IMMUNE_USE = (
    r"cancer|tumou?r|carcinoma|lymphoma|leuka?emia|melanoma|myeloma|infect|virus|viral|"
    r"retinitis"
)
_PERIARTICULAR = r"outside the (knee )?joint|around the"
#: Routes that carry a product through the body, and routes that keep it where it is put.
_SYSTEMIC_ROUTE = r"intravenous|\binfus|intrathecal|inhal|nebuli|into a vein|\bdrip\b"
_LOCAL_ROUTE = r"\bcover|applied|topical|eye drops|into the (knee )?joint|intra-?articular|implant"
_SAME_PROCEDURE = r"same (operation|surgical procedure)"


def _cell_kind(product: str) -> str | None:
    if _has(_PLATELETS, product) and not _has(r"stromal|stem|adipose|marrow", product):
        return "platelets"
    if _has(_IMMUNE, product):
        return "immune_cells"
    return None


def _homologous(text: str, product: str) -> bool | None:
    """Whether the stated use is the source tissue's basic function (None: not stated)."""
    if _cell_kind(product) == "immune_cells" and _has(_IMMUNE_USE, text):
        return True
    if _cell_kind(product) == "platelets":
        if _has(_PERIARTICULAR, text):
            return True
        return not _has(_AVASCULAR_SITE, text)
    for source, uses in _SOURCE_FUNCTIONS:
        if _has(source, product):
            if _has(uses, text):
                return True
            if _has(_CLAIMS, re.sub(source, " ", text)):
                return False
            return None
    return None


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
    if _has(_SECRETED, product):
        out.update(
            origin="none", genetically_modified=False, viable_cells=False, cell_derived=True
        )
        return out
    if _has(_ANUCLEATE, product):
        # cells without a nucleus (platelets made in vitro, red cells) are not cells in the
        # sense of the cell-product definitions
        out.update(origin="none", genetically_modified=False, viable_cells=False)
        return out
    fluid = _has(_FLUID, product) and not _has(r"platelet", product)
    if fluid and (_has(_ACELLULAR, product) or not cells) and not _has(_STRUCTURE, product):
        out.update(origin="none", genetically_modified=False, viable_cells=False)
        if _has(r"\bplasma\b|\bblood\b", product):
            out["blood_product"] = True
        return out
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
    # a membrane that is itself the human tissue (amniotic, chorionic, placental) is the product,
    # not another article it is combined with, unless other cells sit on or in it
    carrier = product if _has(_DEVICE, product) else re.sub(_TISSUE_MEMBRANE, " ", product)
    combined = _has(_COMBINED, carrier)
    out["combined_with_device_or_drug"] = combined
    out["integral_medical_device"] = combined and _has(_DEVICE, carrier)
    out["viable_cells"] = not _has(_ACELLULAR, product)
    out["cosmetic_purpose"] = _has(_COSMETIC, text)
    kind = _cell_kind(product)
    if kind is not None:
        out["cell_kind"] = kind
    homologous = _homologous(text, product)
    if homologous is not None:
        out["homologous_use"] = homologous
    if _has(_MANY_USES, text):
        out["homologous_use"] = False
    if _has(_SYSTEMIC_ROUTE, text):
        out["systemic_effect"] = True
    elif _has(_LOCAL_ROUTE, text):
        out["systemic_effect"] = False
    if out["viable_cells"] is False:
        out["depends_on_living_cell_metabolism"] = False
    elif _has(_BLOOD_FORMING, product):
        # blood-forming cells work only as living, dividing cells (why FDA licenses cord blood)
        out["depends_on_living_cell_metabolism"] = True
    if "unrelated" in text:
        out["donor_relation"] = "unrelated"
    if _has(_SAME_PROCEDURE, text):
        out["same_surgical_procedure"] = True
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
