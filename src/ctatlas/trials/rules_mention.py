"""The trials classifier's rules, part two: what a mention's context makes of it.

The words around a cell mention that make it the population rather than the product (before
and after it), the in vivo CAR and ex vivo patterns, acellular products made from cells (with
their literal stems, ``ACELL_ANCHORS``; ``VIVO_ANCHORS`` for the in vivo CAR), laboratory and
sampling studies of cells, the words that say a product is given, and the intervention types
that never give one. Read through :mod:`ctatlas.trials.rules`.
"""

from __future__ import annotations

import re

from .fastre import Folded as _folded

# Context in front of a mention that makes it the population, not the product.
NEG_BEFORE = _folded(
    r"(?:sampling(?: of)?|(?:patients|pts|participants|people|subjects) under|"
    # what a device is said to do to the body's own cells: "recruitment and activation of stem
    # cell progenitor cells" (a shockwave device's mechanism)
    r"recruitment (?:and \w+ )?of|"
    r"(?:impact|effects?|influence) of (?:[\w-]+ ){1,3}on|"
    r"treated (?:with|by)|(?:patients|pts) with|receiv(?:ed|ing)|(?:scheduled|planned) to receive|"
    r"(?:recipients|survivors) of|(?:scheduled|planned|referred|considered|indicated) for|"
    r"(?:intended|expected|about|going) to receive|awaiting|"
    r"(?:did not |not )?ha(?:ve|d|s)(?: (?:a|an|the|p"
    r"rior|previous))?|eligibility(?: determination)? for|including|who (?:have |will )?(?:r"
    r"eceived|receive|underwent|undergo|had|failed)|"
    r"undergo(?:ing)?|underwent|after|following|post[- ]?|prior(?: to)?|before|previous(?:ly)?|"
    r"bridging(?: therapy)?(?: to| before| prior to)?|eligible for|candidates? for|ineligible for|"
    r"unsuitable for|not (?:eligible|candidates?) for|refractory to|relapsed? after|failure of|"
    r"failed|exposed to|in (?:the )?setting of|relapse (?:after|following|post)|"
    r"toxicit(?:y|ies) (?:of|after|from|associated with)|associated with|related to|induced by|"
    r"(?:cytokine release syndrome|crs|icans|neurotoxicity)\b.{0,40}?(?:of|after|follo"
    r"wing|from|in)|"
    r"ex vivo (?:expansion|culture) of|counts? of|levels? of|(?:number|frequenc(?:y|ies)|"
    r"percentages?|proportions?) of(?: circulating)?|circulating|"
    r"function of|monitoring of|(?<!safety )(?<!efficacy )assessment of|imaging of|"
    r"phenotyp\w* of|"
    r"(?<!pharmaco)kinetics of|"
    r"persistence of|\bon (?:the )?(?:clinical )?outcomes? (?:of|after|following)|"
    r"in vivo(?: generated| prepared| produced)?|in[- ]?vivo|invivo|directly into|"
    # cells taken out of a graft: "modified in a laboratory to remove the type of T cells"
    r"\bremov(?:e|ed|es|ing|al of)|\bdeplet(?:e|es|ing|ion of))\W+"
    r"(?:\w+\W+){0,4}$"
    # what a drug is studied for its effect on: "Impact of Semaglutide on CD34+ EPC and Fat
    # Derived MSC" (cells measured in the people given the drug, several words on)
    r"|(?:impact|effects?|influence) of (?:[\w-]+ ){1,3}on\W+(?:[\w+-]+\W+){0,7}$"
    # the disease state the cells came before: "DLBCL Relapsed/Refractory Stem Cell
    # Transfusion (ASCT)"
    r"|\b(?:relapsed|refractory)\s*/\s*(?:relapsed|refractory)\W+$",
)

# Context right after a mention: the mention is the population ("CAR-T recipients").
NEG_AFTER = _folded(
    r"^\W*(?:\(\w+\)\W*)?"
    r"(?:(?:therapy|treatment|infusion|stem|stromal|cells?|products?|t)\W+){0,3}"
    r"(?:(?:or|and) (?:not )?(?:in)?eligible|recipients?|patients?|survivors?|candidates?|"
    r"(?:in)?eligible|failure|relapse|related|"
    r"associated|mediated|"
    r"toxicit|induced|era\b|outcomes? (?:registry|study)|-?treated|mobili[sz]|[- ]?na["
    r"iï]ve|exposure|experienced|"
    r"trials?\b|studies\b|programs?\b|(?:-?specific )?(?:endothelial )?complications?|counts?\b|"
    r"exposed\b|setting\b|"
    r"yields?\b|subsets?\b|reconstitution|recovery\b|deplet\w*)"
    # cells removed from a graft: "T-lymphocyte Depleted Grafts", "T Cell Receptor Alpha/Beta
    # Depletion", "TCRαβ-depleted" (the graft is given, the cells named are taken out of it)
    r"|^[\s-]*(?:(?:receptors?|alpha|beta|gamma|delta|[αβγδ]+|tcr)[\s/+-]*){1,4}"
    r"(?:\([^)]{1,12}\)\s*)?deplet\w*"
    r"|^\W*(?:세포\s*)?(?:치료\s*)?(?:전|후|이후|이전)\b"
    # a toxicity named right after the cell therapy, in the same phrase ("CAR-T neurotoxicity",
    # "CAR T-cell therapy cytokine release syndrome")
    r"|^[\s-]*(?:(?:t|cells?|therapy|treatment|infusion)[\s-]+){0,3}"
    r"(?:(?:neuro|cardio|hepato|nephro|ha?emato)toxicit|encephalopath|cytokine release|crs\b|"
    r"icans\b)",
)

# In vivo CAR: a vector, LNP or mRNA that makes CAR cells inside the patient.
IN_VIVO_CAR = _folded(
    r"in[- ]?vivo[- ]?(?:\w+[- ]){0,3}(?:car|chimeric)|invivo ?car|"
    # a product described as "an in vivo <target>-targeted CAR-T", or an mRNA that encodes a CAR
    r"\ban in[- ]?vivo\b[^.]{0,60}?\b(?:car[- ]?t|chimeric antigen)|"
    r"mrna (?:encoding|coding for)[^.]{0,40}?(?:\bcar\b|car[- ]t|chimeric antigen)|"
    r"(?:lnp|lipid nanoparticle|nanoparticle)[^.]{0,80}(?:car\b|car[- ]t|chimeric anti"
    r"gen receptor)|"
    r"gene therapy (?:deliver|encod)\w*[^.]{0,60}(?:car\b|chimeric antigen[- ]receptor)|"
    r"(?:car\b|car[- ]t|chimeric antigen[- ]receptor)[^.]{0,60}"
    r"(?:mrna[- ]lnp|lnp|lipid nanoparticle)"
    r"|generate (?:functional )?car[- ]?t cells (?:with)?in (?:the )?(?:patient|body|vivo)"
    r"|without (?:the need for )?ex vivo|directly into (?:the )?patients?",
)

EX_VIVO = _folded(
    r"leukapheresis|apheresis product|ex vivo (?:expan|manufactur|engineer|transduc|activat)"
    r"|manufactured from|autologous (?:car[- ]?)?t[- ]cells|cells? (?:were|are|will be) "
    r"(?:collected|harvested|manufactured|transduced)|transduced|genetically (?:engine"
    r"ered|modified)"
    r" (?:autologous |allogeneic )?(?:t|pbmc|lymph|nk)|cell therapy product|"
    r"mrna[- ](?:engineered|electroporated|transfected) (?:car[- ]?)?t[- ]?cells|car[-"
    r" ]?t[- ]?cells? injection",
)

# Literal stems of IN_VIVO_CAR: every match holds one (the engine runs it only near one)
VIVO_ANCHORS = frozenset(
    {"vivo", "nanopart", "lnp", "gene therapy", "directly into", "mrna encod", "mrna coding",
     "generate car", "generate functional car"}
)

# Acellular products derived from cells.
ACELLULAR = _folded(
    r"exosomes?|extracellular vesicles?|\bevs?\b(?= (?:derived|from|therapy|product))|secretome|"
    r"conditioned (?:culture )?medi(?:um|a)|cell[- ]free|(?:cell|platelet|stem cell) lysates?|"
    r"platelet[- ]rich (?:plasma|fibrin)|\bprp\b|\bprf\b|platelet lysate|엑소좀|혈소판 ?풍부"
    # (a whole word: "glial cell line-derived neurotrophic factor" and "brain-derived
    # neurotrophic factor" are proteins of their own, not what a cell product secretes)
    r"|\b(?:trophic|pleiotropic|paracrine) factors?|cytokines derived from",
)

# A cell mention that names the source of an acellular product ("MSC-derived exosomes",
# "secretome of hypoxic mesenchymal stem cells"), not cells given alongside it ("MSCs plus
# PRP", "MSCs and conditioned medium"): the text right after the mention, and right before.
# Cells "enriched by / loaded with / supplemented with" vesicles are the product, the vesicles
# added to them: those words end the reach.
ACELL_SOURCE_AFTER = _folded(
    r"^[\s-]*(?:\(\w+\)\s*)?"
    r"(?:(?!and\b|or\b|plus\b|with\b|vs\b|versus\b|in\b|for\b|enriched\b|loaded\b|"
    r"supplemented\b|combined\b|together\b|along\b)[\w-]+[\s-]+){0,3}?"
    r"(?:(?:derived|conditioned|culture[- ]derived|secreted|isolated)\W+){0,2}"
    r"(?:(?!and\b|or\b|plus\b|with\b|vs\b|versus\b|in\b|for\b|enriched\b|loaded\b|"
    r"supplemented\b|combined\b|together\b|along\b)[\w-]+ ){0,2}?"
    r"(?:exo\w*|secretomes?|extracellular vesicles?|(?:micro)?vesicles?|s?evs?\b|cm\b|"
    r"conditioned (?:cul"
    r"ture )?medi\w*|lysates?|(?:trophic |pleiotropic |growth )?factors?\b|signal\w* molecules?|"
    r"mitochondria|cytokines?\b)"
    r"|^\s*(?:유래\s*)?(?:엑소좀|배양액)",
)

ACELL_SOURCE_BEFORE = _folded(
    r"(?:exo\w*|secretomes?|vesicles?|\bevs?|conditioned (?:culture )?medi\w*|lysates?|factors?|"
    r"molecules?|mitochondria|cytokines?)(?:\W+(?:(?:derived|isolated|secreted|produced|obtained|"
    r"purified)\W+)?(?:from|of|by)\W+|\s*[-:–]\s*)(?:[\w'-]+\W+){0,4}$"
    # a second source of the same product: "cytokines derived from human amniotic membrane
    # (HAM) and mesenchymal stem cells derived from Wharton's jelly"
    r"|(?:exo\w*|secretomes?|vesicles?|\bevs?|conditioned (?:culture )?medi\w*|lysates?|factors?|"
    r"cytokines?) (?:derived|isolated|obtained|produced) from\b[^.|]{0,80}?\band\W+"
    r"(?:[\w'-]+\W+){0,8}$",
)

# An acellular word glued to the cell word it came from, which a family pattern reads as one
# name ("Secretome-MSCs", "Exosome-MSC", "EV-MSC"): the lowercased mention starts with it.
ACELL_GLUED = re.compile(
    r"^(?:exo(?:some)?s?|secretomes?|s?evs?|extracellular[- ]vesicles?|vesicles?|lysates?|cm)[-–]"
)

# Literal stems of ACELLULAR: every match holds one (the engine runs it only near one)
ACELL_ANCHORS = frozenset(
    {
        "exosom",
        "vesicle",
        "secretome",
        "conditioned",
        "cell-free",
        "cell free",
        "lysate",
        "platelet",
        "prp",
        "prf",
        "엑소좀",
        "trophic",
        "pleiotropic",
        "paracrine",
        "혈소판",
        "cytokines derived",
        # "EV(s)" only before these words (ACELLULAR)
        "ev derived", "evs derived", "ev from", "evs from", "ev therapy", "evs therapy",
        "ev product", "evs product",
    }
)

# A laboratory or observational study of cells (isolation, characterisation, differentiation,
# assays, models): said in the title of a record whose interventions give no cells.
LAB_CONTEXT = _folded(
    r"isolation|authenticat\w*|characteri[sz]ation of|(?<!cluster of )differentiation|"
    # what is studied about cells, none given: "NK Lymphocyte Biology", "The Mechanism of
    # Enhancing the Anti-tumor Effects of CAR-T ... by Gut Microbiota Regulation"
    r"\bbiology\b|\bmechanisms?\b|"
    r"(?:osteogenic|chondrogenic|adipogenic) (?:differentiation|potential|effects?|capacity)|"
    r"proliferat\w*|senescen\w*|in[- ]vitro|pre-?clinical|\bmodels? (?:for|of)\b|"
    r"production and expansion|process development|properties|biomarkers?|"
    r"in the (?:synovial fluid|peripheral blood|bone marrow|blood)|damage (?:on|to)|"
    # a genome studied, not cells whose genome was edited ("Genome-edited Hematopoietic Stem
    # and Progenitor Cells")
    r"genome(?![- ]?(?:edit|engineer|modif))|"
    r"alterations?|culture passage|clonogenic|colonogenic|cologenicity|assays?|mobili[sz]\w*|"
    r"xenograft|humani[sz]ed mice|animal models?|production method|characteristics"
    # collection studies and tests of cells taken from people: "collection of bone marrow from
    # healthy volunteers ... for the production of", "progenitor potential of mesenchymal stem
    # cells in palatal tissue harvested from molar sites"
    r"|\b(?:collection|procurement|harvest(?:ing)?) of (?:[\w-]+ ){0,2}(?:bone marrow|blood|"
    r"tissues?|cells?|samples?|fat|adipose)\b|\bharvested from\b"
    r"|\b(?:progenitor|stem|regenerative|differentiation) potential\b|for (?:the )?production of"
    r"|transcriptom\w*|proteom\w*|methylation|gene expression|immunophenotyp\w*"
    # what is measured on cells: "Vista Protein Expression of Monocyte and T Cell Subsets"
    r"|\b(?:protein|surface|receptor) expression\b|\bsubsets?\b",
)

# An intervention that only takes samples from the participants
SAMPLING_ONLY = re.compile(
    r"^\W*(?:[\w-]+\s+){0,4}(?:biops(?:y|ies)|specimens?|samples?|sampling|blood draws?|"
    r"aspirates?|swabs?|donations?)\b",
    re.I,
)

# ... in the strict sense: samples, specimens, biopsies, blood draws (not a marrow aspirate or
# a donation, which may be the source of cells given back)
SAMPLES_TAKEN = re.compile(
    r"^\W*(?:[\w-]+\s+){0,4}(?:biops(?:y|ies)|specimens?|samples?|sampling|blood draws?|"
    r"swabs?)\b",
    re.I,
)

# Words that say a product is given to people
GIVEN_WORDS = re.compile(r"infus|inject|administ|transfus|implant|transplant|\bgiv(?:e|en|ing)\b",
                         re.I)

# "Regeneration after JOINTSTEM administration", "therapeutic effects … after autologous MSC
# transplantation": a cell product given before the outcome studied is the object, not the
# setting. The words before the mention, and right after it.
EFFECT_BEFORE = _folded(
    r"(?:effects?|efficacy|outcomes?|results?|regeneration|changes?|improvement)\b[^.|]{0,80}"
    r"\b(?:after|following)\s+(?:[\w-]+\s+){0,3}$",
)

GIVEN_AFTER = _folded(
    r"^\W*(?:(?:cells?|mscs?)\W+)?(?:transplant\w*|administration|injection|infusion|implantation)",
)

# "Participants will have their own T cells modified in a laboratory and given back to them":
# the patient's own cells, made into the product and given back, are the product (not the
# population "have" would make them). The words before the mention, and after it.
# The participants' cells sent to a laboratory to be made into the product are the product
# too ("A sample of participants' T cells will be sent to a laboratory, where the cells will be
# made into the study therapy").
OWN_BEFORE = re.compile(r"\b(?:own|(?:participant|patient|subject)s?['’]s?)\s+$", re.I)

GIVEN_BACK = _folded(
    r"^[^.]{0,100}?\b(?:modified|engineered|transduced|expanded|given back|returned|re-?infused"
    r"|made into|manufactured into)"
)

PRODUCT_CONTEXT = _folded(
    r"infus|inject|administ|transfus|implant|\bdoses?\b|expanded|engineered|modified|autologous|"
    r"allogeneic|product|therapy|adoptive|manufactur|cells/kg|10\^|x ?10|suspension|transplant"
    r"|\binj\b|microbeads?|encapsulat\w*|\bfor (?:the )?treatment of\b"
    # only cells given are measured for their kinetics in the people who receive them ("to
    # evaluate SC262 safety ..., cellular kinetics"), and cells seeded on a scaffold are
    # implanted ("Seeded Cells on Matrix Plug")
    r"|\bcellular kinetics\b|\bseeded\b"
    # cells named by what they secrete are given to deliver it ("Neural Progenitor Cells
    # Secreting Glial Cell Line-Derived Neurotrophic Factor")
    r"|\bsecreting\b"
    # cells a title gives to the people it names ("Antiminor Histocompatibility Complex (MiHA) T
    # Cells for Patients With Relapsed Hematologic Malignancies", rules 16.19)
    r"|\bcells? for (?:patients|participants|people|children|adults|subjects)\b",
)

# An intervention whose whole name is a few words and "cells" ("BOOST cells", "CD19 CAR-T
# cells"): a cell product, whatever the words (production cell lines and disease phrases are
# masked before this is asked); also with what the cells are made into ("LCAR-AMDR Cells
# Product", "XYZ cells injection").
INTERVENTION_CELLS = re.compile(
    r"^(?:[\w.+/®™-]+\s+){1,4}cells?(?:\s+(?:products?|injections?|infusions?|suspensions?))?$",
    re.I,
)

# A listed product named by a coined word glued to "Cell" ("CardioCell"; not "CellCept", a drug,
# whose "Cell" opens the word): read from the name as written (rules 16.24)
GLUED_CELL = re.compile(r"^[A-Z][a-z]{3,}Cells?$")

DRUGLIKE_TYPES = {
    "DRUG",
    "DEVICE",
    "BEHAVIORAL",
    "DIETARY_SUPPLEMENT",
    "RADIATION",
    "DIAGNOSTIC_TEST",
    "PROCEDURE",
}

# Intervention types that never give a product: cells an intervention of this type names are
# measured ("progenitor potential of gingival mesenchymal cells" as a diagnostic test).
MEASURED_TYPES = {"DIAGNOSTIC_TEST"}
