"""Is a trial's investigational product living cells? Rules with evidence.

Every call returns the label and the evidence that decided it: which field, which words, which
rule. The rules were written after the labelled set in ``tests/fixtures/trials`` was frozen.

Labels: ``cell_therapy`` (an investigational product is living cells), ``hsct_procedure`` (a
standard haematopoietic transplant whose regimen or conduct is studied),
``acellular_cell_derived`` (exosomes, secretome, conditioned medium, lysates, PRP) and
``not_cell``.

How it decides, in order:

1. Text is gathered per field: each intervention (name, other names, description), the title,
   the arm descriptions, the summary. Disease names that contain "cell" ("NK-cell leukaemia",
   "small cell lung cancer", "sickle cell"…) are masked first.
2. A cell-product mention ("CAR-T cells", "mesenchymal stem cells", "…-leucel", "NK cells",
   "SVF"…) counts only when it is not the population or the context ("patients treated with
   CAR-T", "after stem cell transplant", "bridging before CAR-T", "cytokine release syndrome
   after…") and not an in vivo CAR (a vector or LNP that makes CAR cells inside the body).
3. A mention in an intervention or the title decides; one in the summary or an arm decides
   when no intervention is an ordinary drug/device/behaviour or when it names the
   intervention.
4. Without a living-cell product: a transplant that is itself the studied intervention ->
   ``hsct_procedure``; an exosome/secretome/PRP product -> ``acellular_cell_derived``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ahocorasick

from .fastre import Folded as _folded
from .record import Trial

__all__ = ["Classification", "apply", "classify"]

# --------------------------------------------------------------------------- masks
# Disease and population phrases that contain cell words but are not products.
_MASK = _folded(
    r"\b(?:non[- ]?)?small[- ]cell\b|\b(?:renal|squamous|basal|clear|transitional|merkel|"
    r"hairy|mantle|germ|giant|sickle|plasma|hepatocellular|islet|beta|b|t|nk|nk/t|t/nk|"
    r"natural killer|t-lymphoblastic|large b|large)[- ]?cells?[- ]"
    r"(?:lymphoma|leuka?emia|neoplasm|malignanc\w*|carcinoma|cancer|tumou?r|disease|anemia|"
    r"anaemia|myeloma|dyscrasia|deficien\w*|lymphoproliferative|depletion|aplasia|"
    r"histiocytosis|prolymphocytic|acute|chronic|precursor|non[- ]hodgkin|acute lymphoblastic|"
    r"mediated|inflamed|receptor|maturation|function|count|activation|engager|redirect\w*|"
    r"exhaustion|immunity|response|epitope|lines?)"
    r"|\bsickle[- ]cell\b|\bcell[- ]lines?\b|\bcell[- ]free dna\b|\bctdna\b|\bcirculat"
    r"ing tumou?r cells?\b"
    r"|\bt[- ]cell[- ](?:engag|redirect|bispecific)\w*|\bbispecific t[- ]cell\w*"
    r"|\bnk[- ]cell[- ](?:engag)\w*|\bb[- ]cell[- ]maturation|\bcar[- ]?t[- ]?bp\b"
    r"|\bstem[- ]cell (?:mobili[sz]\w*|collection|harvest|apheresis|mobili\w*)"
    r"|\bmobili[sz]\w* (?:of )?(?:haematopoietic |hematopoietic |peripheral blood )?"
    r"(?:stem|progenitor) cells?"
    r"|\beto-?cell\b|lymphocyte stimulator|\bcells? dysfunction|endothelial cells?",
)

_MASK_ANCHORS = frozenset({"cell", "mobili", "stimulator", "car", "ctdna", "eto"})
# how far a masked phrase reaches beyond the stem it contains ("mobilization of peripheral
# blood stem cells" is the longest: ~45 characters)
_MASK_REACH = 80

# --------------------------------------------------------------------------- cell products
# family -> pattern; the first family in _FAMILY_ORDER that matches wins.
_FAMILY_PATTERNS: dict[str, str] = {
    "iPSC_derived": r"\bi?psc[- ]?derived\b|\bipscs?\b|\bips[- ]cells?\b|induced pluripotent"
    r"|\bip?sc[- ]\w*(?:nk|car)\b|\bft(?:500|516|519|522|536|538|576|596|819|825)\b"
    r"|\bcnty-?101\b|\bips細胞|유도만능",
    "ESC_derived": r"embryonic stem|\bh?esc[- ]?derived\b|\bhescs?\b|\bes[- ]nk\b|배아줄기",
    "CAR_NK": r"\bcar[- ]?(?:p?nk|nkt)\b|\bcar[- ]?engineered nk|\bcar[- ]nk\b|chimeric antigen "
        r"receptor"
    r"[- ](?:\w+[- ]){0,3}(?:natural killer|nk)\b|\bnk[- ]?cells? (?:expressing|engineered)"
    r"(?: with)? (?:a )?(?:car|chimeric)|\bab-?201\b",
    "CAR_T": r"\bcar[- ]?t\b|\bcar[- ]?t[- ]?cells?|\bcart(?:[- ]?\d+|[- ]cells?|[- ][a-z]+\d*)?\b"
    r"|\bcar\d+[a-z.]*\b|chimeric antigen receptor|\bcar[- ](?:γδ|gd|gamma[- ]delta|treg|m)\b"
    r"|\b\w+(?:leucel|lecleucel|ucel)\b|\bstar[- ]t\b|\bcar[- ]modified|\bcar[- ]engineered"
    r"|\bcar[- ]transduced|\bunicar\d*|\bcar[- ]expressing|\bcar\s?(?:19|20|22|123|30|33|38|70)"
    r"|\bnkr-2\b|\bcarcik\b|\bcar\.[a-z0-9]+"
    r"|\bcar[- ](?:cd\d+\w*|bcma|gprc5d|gpc3|cld18\w*|claudin\w*|her2|egfr\w*|meso\w*|psma|psca|gd2"
    r"|b7-?h3|muc1|cea|dll3|nkg2d|ror[12]|epcam|lewis\w*|kappa|flt3|cs1|slamf7|taci|april)\b",
    "TIL": r"tumou?r[- ]infiltrating lymphocytes?|\btils?\b|lifileucel",
    "NK": r"natural killer(?: \(nk\))? cells?|\bnk[- ]?cells?\b|\bnk\d{3}\b|\bnk cell injection"
    r"|\bnkt[- ]?cells?\b|\bcord blood[- ]derived nk|\bnk세포|자연살해",
    "T_cell_other": r"cytotoxic t[- ]lymphocytes?|\bctls?\b|virus[- ]specific t|\bvsts?\b"
    r"|\btcr[- ]?t\b|tcr[- ](?:engineered|transduced|modified)|t[- ]cell receptor"
    r"[- ](?:engineered|transduced|gene therapy)"
    r"|cytokine[- ]induced killer|\bciks?\b|γδ[- ]?t|gamma[- ]delta t|\bgd[- ]?t[- ]cells?"
    r"|regulatory t[- ]cells?|\btregs?\b|donor lymphocyte infusion|\bdli\b"
    r"|(?:antigen|tumou?r|virus|ebv|cmv|hpv|neoantigen|lung cancer)[- ]specific t[- ]?cells?"
    r"|\bt[- ]cells? (?:injection|infusion|therapy)|\bt[- ]lymphocytes?\b(?! stimulator)"
    r"|\bautologous t[- ]cells?|\ballogeneic t[- ]cells?|\bactivated t[- ]cells?"
    r"|expanded t[- ]cells?|\bt[- ]cell injection|\blymphocytes? (?:infusion|injection|therapy)"
    r"|\bzeushield|\bnkr\b|\bdc[- ]?cik\b",
    "dendritic": r"dendritic cells?|\bdc[- ]?(?:vaccine|based)|\bdcvax|antigen[- ]presenting cells?"
    r"|pulsed (?:cd14|monocyte|dendritic)|(?:cd14|monocyte)[- ]?(?:positive |\+ )?cells?"
    r"|수지상",
    "MSC": r"mesenchymal|\bmscs?\b|\b\w*-?mscs?\b|\b(?:ad|uc|bm|wj|hb)-?(?:ad)?mscs?\b|stroma"
        r"l cells?"
    r"|\badscs?\b|adipose[- ](?:tissue[- ])?derived (?:stem|stromal|regenerative|mesenchymal)"
    r"|wharton|\bmsc\b|multipotent adult progenitor|\bmapcs?\b|stem cell product"
    r"|cartistem|pneumostem|neuronata|cellgram|jointstem|astrostem|smup-ia|hcr040"
    r"|darvadstrocel|remestemcel|\bcx601\b|alofisel|temcell|stempeucel|rexlemestrocel"
    r"|\b\w+strocel\b|\b\w+stemcel\b|중간엽|간엽|줄기세포 치료",
    "SVF_or_BMMNC": r"stromal vascular fraction|\bsvf\b|bone marrow[- ](?:derived )?mononuclear"
    r"|\bbm-?mncs?\b|\bmncs?\b|mononuclear cells?|bone marrow aspirate concentrate"
    r"|\bbmac\b|bone marrow cells?"
    r"|간질 혈관 분획",
    "HSC": r"\bcd34\+?(?:[- ]selected| positive)? (?:cells?|stem)|haematopoietic stem (?:and "
        r"progenitor )?cells? "
    r"(?:gene|product|therapy|infusion|expan)|hematopoietic stem (?:and progenitor )?cells? "
    r"(?:gene|product|therapy|infusion|expan)|expanded (?:umbilical )?cord blood|omidubicel"
    r"|\bhspcs?\b",
    "chondrocyte": r"chondrocytes?|\bmaci\b|\baci\b|chondrosphere|연골세포",
    "keratinocyte_or_epithelial": r"keratinocytes?|epiderm\w* (?:cells?|sheet|graft)|limbal"
    r"(?: epithelial| stem)? cells?|epithelial cells?|\bcultured epiderm"
    r"|cell sheets?|retinal pigment epitheli\w* (?:cells?|patch)"
    r"|\brpe (?:cells?|patch)|\bholoclar",
    "islet": r"islet (?:cells? )?(?:transplant\w*|infusion|allotransplant\w*)|islets of langerhans"
    r"|\bislets?\b(?! cell (?:tumou?r|carcinoma))|lantidra",
    "other": r"\bstem cells?\b|\bprogenitor cells?\b|\bcell[- ]?therapy\b|\bcell(?:ular)? ("
        r"?:injection|"
    r"infusion|product|suspension|transplant\w*|implant\w*|sheet|therapeutic)s?\b"
    r"|\bcells? suspension|\bcell dose|\bcellular kinetics|lymphodeplet\w*|preconditio"
    r"ning with fludarabine"
    r"|\bcells?/kg\b|\bx ?10\^?\d+ cells\b|\bcells? (?:injection|infusion)\b"
    r"|fibroblasts?|myoblasts?|hepatocytes?|cardiomyocytes?|macrophages?|\bneural (?:stem|"
    r"progenitor) cells?|\bdopaminergic (?:neurons?|progenitors?)|\bneurons?\b"
    r"|\blymphocytes?\b|\bt[- ]?cells?\b|cord blood|\bmegakaryocytes?|red blood cells? "
    r"(?:derived|cultured)|세포치료|세포 치료|줄기세포|세포 주사|세포주사|세포$",
}
_FAMILY_ORDER = [
    "iPSC_derived",
    "ESC_derived",
    "CAR_NK",
    "CAR_T",
    "TIL",
    "dendritic",
    "NK",
    "T_cell_other",
    "SVF_or_BMMNC",
    "MSC",
    "HSC",
    "chondrocyte",
    "keratinocyte_or_epithelial",
    "islet",
    "other",
]
_FAMILY_RE = {k: _folded(v) for k, v in _FAMILY_PATTERNS.items()}
_FAMILY_ANCHORS: dict[str, tuple[str, ...]] = {
    "iPSC_derived": ("ipsc", "ips cell", "ips-", "psc-derived", "psc derived", "pluripotent",
                     "ft5", "ft8", "cnty", "유도만능"),
    "ESC_derived": ("embryonic", "hesc", "esc-derived", "esc derived", "es-nk", "es nk", "배아"),
    "CAR_NK": ("car-", "car ", "carnk", "chimeric", "ab-2", "ab2"),
    "CAR_T": ("car-", "car ", "cart", "car)", "car.", "car1", "car2", "car3", "car7", "car4",
              "carcik", "unicar", "chimeric", "leucel", "ucel", "star-t", "star t", "nkr-2"),
    "TIL": ("infiltrating", " til", "(til", "tils", "lifileucel"),
    "NK": ("nk ", "nk-", "nk cell", "nkt", "nk0", "nk1", "nk2", "nk3", "nk4", "natural killer",
           "(nk)", "nk세포", "자연살해"),
    "T_cell_other": ("ctl", "cytotoxic", "vst", "tcr", "t cell", "t-cell", "cik", "killer", "γδ",
                     "gamma", "gd-t", "gd t", "treg", " dli", "t lymph", "t-lymph", "lymphocyte",
                     "zeushield", "nkr", "t receptor"),
    "dendritic": ("dendritic", "dc-", "dc ", "dcvax", "antigen-present", "antigen present",
                  "pulsed", "cd14", "monocyte", "수지상"),
    "MSC": ("mesenchym", "msc", "stromal", "adsc", "adipose", "wharton", "multipotent", "mapc",
            "stem cell product", "cartistem", "pneumostem", "neuronata", "cellgram", "jointstem",
            "astrostem", "smup", "hcr040", "strocel", "stemcel", "cx601", "alofisel", "temcell",
            "stempeucel", "중간엽", "간엽", "줄기세포"),
    "SVF_or_BMMNC": ("stromal vascular", "svf", "mononuclear", "mnc", "aspirate concentrate",
                     "bmac", "bone marrow cell", "간질"),
    "HSC": ("cd34", "haematopoietic stem", "hematopoietic stem", "cord blood", "omidubicel",
            "hspc"),
    "chondrocyte": ("chondro", "maci", " aci", "(aci", "연골세포"),
    "keratinocyte_or_epithelial": ("keratin", "epiderm", "limbal", "epitheli", "cell sheet",
                                   "retinal pigment", "rpe", "holoclar"),
    "islet": ("islet", "langerhans", "lantidra"),
    "other": ("stem", "progenitor", "cell", "fibroblast", "myoblast", "hepatocyte",
              "cardiomyocyte", "macrophag", "neural", "dopaminergic", "neuron", "lymphocyte",
              "cord blood", "megakaryocyte", "lymphodeplet", "precondition", "세포", "줄기"),
}

# "-cel" INN stem (cell therapies): tisagenlecleucel, darvadstrocel, lifileucel, omidubicel…
_INN_CEL = _folded(r"\b[a-z]{4,}(?:leucel|cel)\b")
_NOT_INN = {"excel", "cancel", "parcel", "marcel", "hotel", "novel", "panel", "channel"}

# Context in front of a mention that makes it the population, not the product.
_NEG_BEFORE = _folded(
    r"(?:treated with|receiv(?:ed|ing)|(?:did not |not )?ha(?:ve|d|s)(?: (?:a|an|the|p"
    r"rior|previous))?|eligibility(?: determination)? for|including|who (?:have )?(?:r"
    r"eceived|underwent|undergo|had|failed)|"
    r"undergo(?:ing)?|underwent|after|following|post[- ]?|prior(?: to)?|before|previous(?:ly)?|"
    r"bridging(?: therapy)?(?: to| before| prior to)?|eligible for|candidates? for|ineligible for|"
    r"unsuitable for|not (?:eligible|candidates?) for|refractory to|relapsed? after|failure of|"
    r"failed|exposed to|in (?:the )?setting of|relapse (?:after|following|post)|"
    r"toxicit(?:y|ies) (?:of|after|from|associated with)|associated with|induced by|"
    r"(?:cytokine release syndrome|crs|icans|neurotoxicity)\b.{0,40}?(?:of|after|follo"
    r"wing|from|in)|"
    r"ex vivo (?:expansion|culture) of|counts? of|levels? of|"
    r"function of|monitoring of|assessment of|imaging of|kinetics of|persistence of|"
    r"in vivo(?: generated| prepared| produced)?|in[- ]?vivo|invivo|directly into)\W+"
    r"(?:\w+\W+){0,4}$",
)
# Context right after a mention: the mention is the population ("CAR-T recipients").
_NEG_AFTER = _folded(
    r"^\W*(?:(?:therapy|treatment|infusion|cells?|products?)\W+){0,2}"
    r"(?:recipients?|patients?|survivors?|candidates?|failure|relapse|related|associated|"
    r"toxicit|induced|era\b|outcomes? (?:registry|study)|-?treated|mobili[sz]|[- ]?na["
    r"iï]ve|exposure|experienced|"
    r"trials?\b|studies\b|programs?\b|(?:-?specific )?(?:endothelial )?complications?)"
    r"|^\W*(?:세포\s*)?(?:치료\s*)?(?:전|후|이후|이전)\b",
)

# In vivo CAR: a vector, LNP or mRNA that makes CAR cells inside the patient.
_IN_VIVO_CAR = _folded(
    r"in[- ]?vivo[- ]?(?:\w+[- ]){0,3}(?:car|chimeric)|invivo ?car|"
    r"(?:lnp|lipid nanoparticle|nanoparticle)[^.]{0,80}(?:car\b|car[- ]t|chimeric anti"
    r"gen receptor)|"
    r"gene therapy (?:deliver|encod)\w*[^.]{0,60}(?:car\b|chimeric antigen receptor)|"
    r"(?:car\b|car[- ]t|chimeric antigen receptor)[^.]{0,60}(?:mrna[- ]lnp|lnp|lipid nanoparticle)"
    r"|generate (?:functional )?car[- ]?t cells (?:with)?in (?:the )?(?:patient|body|vivo)"
    r"|without (?:the need for )?ex vivo|directly into (?:the )?patients?",
)
_EX_VIVO = _folded(
    r"leukapheresis|apheresis product|ex vivo (?:expan|manufactur|engineer|transduc|activat)"
    r"|manufactured from|autologous (?:car[- ]?)?t[- ]cells|cells? (?:were|are|will be) "
    r"(?:collected|harvested|manufactured|transduced)|transduced|genetically (?:engine"
    r"ered|modified)"
    r" (?:autologous |allogeneic )?(?:t|pbmc|lymph|nk)|cell therapy product|"
    r"mrna[- ](?:engineered|electroporated|transfected) (?:car[- ]?)?t[- ]?cells|car[-"
    r" ]?t[- ]?cells? injection",
)

# Acellular products derived from cells.
_ACELLULAR = _folded(
    r"exosomes?|extracellular vesicles?|\bevs?\b(?= (?:derived|from|therapy|product))|secretome|"
    r"conditioned (?:culture )?medi(?:um|a)|cell[- ]free|(?:cell|platelet|stem cell) lysates?|"
    r"platelet[- ]rich (?:plasma|fibrin)|\bprp\b|\bprf\b|platelet lysate|엑소좀|혈소판 ?풍부",
)

# A haematopoietic transplant as the object of study.
_HSCT = _folded(
    r"(?:ha?ematopoietic|blood|peripheral blood|bone marrow|cord blood|stem)[- ](?:stem[- ])?"
    r"(?:and progenitor )?cells? transplant\w*|\bhsct\b|\ballo-?hsct\b|\bauto-?hsct\b|\bhct\b"
    r"|\ballo-?hct\b|\bsct\b|\ballo-?sct\b|\basct\b|bone marrow transplant\w*|\bbmt\b"
    r"|(?:haplo-?identical|haplo|allogeneic|autologous|cord blood|unrelated donor|"
    r"matched (?:sibling|unrelated)) (?:stem cell |bone marrow |ha?ematopoietic (?:stem )?cell |)"
    r"transplant\w*|조혈모세포 ?이식|자가 ?조혈모|haplo-hsct",
)
_HSCT_REGIMEN = _folded(
    r"conditioning|myeloablative|reduced[- ]intensity|\bric\b|\bmac\b|total body irrad"
    r"iation|\btbi\b"
    r"|gvhd prophylaxis|graft[- ]versus[- ]host disease prophylaxis|prophyla\w*|post[- ]transplant"
    r" cyclophosphamide|\bptcy\b|\batg\b|anti-?thymocyte|graft (?:manipulation|engineering|source)"
    r"|t[- ]cell deplet\w*|cd34\+? selection|new model|timing of|second transplant|tandem|"
    r"graft failure|engraftment",
)
_HSCT_STUDY = _folded(
    r"(?:efficacy|safety|outcomes?|role|feasibility|benefit) of (?:upfront |early |salvage |)"
    r"(?:autologous|allogeneic|haplo\w*|ha?ematopoietic|stem|bone marrow|cord blood)|"
    r"(?:versus|vs\.?|compared (?:to|with)|or) (?:\w+ ){0,2}(?:autologous|allogeneic) (?:stem|"
    r"ha?ematopoietic)|^\W*(?:\w+ ){0,3}(?:transplant\w*|hsct|bmt)",
)

_LYMPHODEPLETION = _folded(
    r"lymphodeplet\w*(?: chemotherapy| regimens?)?|preconditioning with fludarabine|\bld regimens?",
)

_GENERIC_FAMILIES = {"other", "dendritic", "NK", "T_cell_other"}
_PRODUCT_CONTEXT = _folded(
    r"infus|inject|administ|transfus|implant|\bdoses?\b|expanded|engineered|modified|autologous|"
    r"allogeneic|product|therapy|adoptive|manufactur|cells/kg|10\^|x ?10|suspension|transplant",
)
_CODE = re.compile(r"^[a-z]{1,6}[- ]?\d{2,6}[a-z]?\b|^[a-z]+-[a-z]*\d", re.I)

# Reviewed names and development codes of well-known cell products (approved in JP, KR, US,
# EU or CN, plus a few prominent investigational ones). Name -> cell family.
KNOWN_CELL_PRODUCTS: dict[str, str] = {
    # CAR-T (approved)
    "kymriah": "CAR_T",
    "ctl019": "CAR_T",
    "tisagenlecleucel": "CAR_T",
    "yescarta": "CAR_T",
    "kte-c19": "CAR_T",
    "axicabtagene": "CAR_T",
    "tecartus": "CAR_T",
    "kte-x19": "CAR_T",
    "brexucabtagene": "CAR_T",
    "breyanzi": "CAR_T",
    "jcar017": "CAR_T",
    "lisocabtagene": "CAR_T",
    "abecma": "CAR_T",
    "bb2121": "CAR_T",
    "idecabtagene": "CAR_T",
    "carvykti": "CAR_T",
    "jnj-68284528": "CAR_T",
    "lcar-b38m": "CAR_T",
    "ciltacabtagene": "CAR_T",
    "aucatzyl": "CAR_T",
    "obecabtagene": "CAR_T",
    "relmacabtagene": "CAR_T",
    "jwcar029": "CAR_T",
    "equecabtagene": "CAR_T",
    "ct103a": "CAR_T",
    "fucaso": "CAR_T",
    "inaticabtagene": "CAR_T",
    "cnct19": "CAR_T",
    "zevorcabtagene": "CAR_T",
    "ct053": "CAR_T",
    "satricabtagene": "CAR_T",
    "ct041": "CAR_T",
    # other T cells, TIL
    "tecelra": "T_cell_other",
    "afamitresgene": "T_cell_other",
    "ebvallo": "T_cell_other",
    "tabelecleucel": "T_cell_other",
    "amtagvi": "TIL",
    "lifileucel": "TIL",
    # iPSC / ESC derived
    "ft500": "iPSC_derived",
    "ft516": "iPSC_derived",
    "ft519": "iPSC_derived",
    "ft522": "iPSC_derived",
    "ft536": "iPSC_derived",
    "ft576": "iPSC_derived",
    "ft596": "iPSC_derived",
    "ft819": "iPSC_derived",
    "ft825": "iPSC_derived",
    "cnty-101": "iPSC_derived",
    # MSC and other stem-cell products (JP / KR / EU / US)
    "cartistem": "MSC",
    "pneumostem": "MSC",
    "neuronata": "MSC",
    "cellgram": "MSC",
    "cupistem": "MSC",
    "queencell": "other",
    "jointstem": "MSC",
    "astrostem": "MSC",
    "smup-ia-01": "MSC",
    "hcr040": "MSC",
    "temcell": "MSC",
    "ryoncil": "MSC",
    "remestemcel": "MSC",
    "prochymal": "MSC",
    "alofisel": "MSC",
    "darvadstrocel": "MSC",
    "cx601": "MSC",
    "stemirac": "MSC",
    "stempeucel": "MSC",
    "rexlemestrocel": "MSC",
    "akuugo": "other",
    "sb623": "other",
    "heartsheet": "other",
    "omisirge": "HSC",
    "omidubicel": "HSC",
    # somatic tissue products
    "jace": "keratinocyte_or_epithelial",
    "holoclar": "keratinocyte_or_epithelial",
    "nepic": "keratinocyte_or_epithelial",
    "ocural": "keratinocyte_or_epithelial",
    "kaloderm": "keratinocyte_or_epithelial",
    "holoderm": "keratinocyte_or_epithelial",
    "keraheal": "keratinocyte_or_epithelial",
    "maci": "chondrocyte",
    "jacc": "chondrocyte",
    "chondron": "chondrocyte",
    "spherox": "chondrocyte",
    "invossa": "chondrocyte",
    "tissuegene-c": "chondrocyte",
    "lantidra": "islet",
    "ab-201": "CAR_NK",
}


def _KNOWN_KEY(text: str) -> str:  # noqa: N802 - reads like the table it indexes
    return re.sub(r"[\s_]+", "-", text.lower().replace("®", "").replace("™", ""))


_KNOWN_RE = _folded(
    r"(?<![\w-])(?:"
    + "|".join(
        re.escape(k).replace(r"\-", r"[- ]?")
        for k in sorted(KNOWN_CELL_PRODUCTS, key=len, reverse=True)
    )
    + r")(?![\w-])",
)

# A drug trial for a complication of transplant (GvHD treatment, infections…): not the procedure.
_HSCT_COMPLICATION = _folded(
    r"(?:treatment|therapy) (?:of|for) (?:\w+ ){0,3}(?:gvhd|graft[- ]versus[- ]host)"
    r"|steroid[- ]refractory|(?:cmv|ebv|infection|mucositis|oral care|nutrition|exercise|quality of"
    r" life|vaccin)",
)

_ORIGIN_AUTO = _folded(
    r"\bautologous|\bautologic|patient'?s own|patient[- ]derived|\bauto[- ]|자가",
)
_ORIGIN_ALLO = _folded(
    r"\ballogen(?:e)?ic|\ballo[- ]|donor[- ]derived|off[- ]the[- ]shelf|universal car|\bucart|"
    r"healthy donors?|haplo-?identical|third[- ]party|cord blood|umbilical|wharton|placenta|"
    r"동종|\bipsc|induced pluripotent|embryonic",
)

_DRUGLIKE_TYPES = {
    "DRUG",
    "DEVICE",
    "BEHAVIORAL",
    "DIETARY_SUPPLEMENT",
    "RADIATION",
    "DIAGNOSTIC_TEST",
    "PROCEDURE",
}

_STEM_FAMILIES = {
    "MSC": "MSC",
    "HSC": "HSC",
    "iPSC_derived": "iPSC_derived",
    "ESC_derived": "ESC_derived",
    "SVF_or_BMMNC": "tissue_stem",
}


@dataclass
class Classification:
    label: str = "not_cell"
    cell_class: str | None = None
    cell_family: str | None = None
    stem_type: str | None = None
    origin: str | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)


def _snippet(text: str, start: int, end: int, pad: int = 40) -> str:
    a = max(0, start - pad)
    b = min(len(text), end + pad)
    return (
        ("…" if a else "") + text[a:b].replace("\n", " ").strip() + ("…" if b < len(text) else "")
    )


def _masked(text: str, hits: list[Hit] | None = None) -> str:
    """Mask disease/population phrases and transplants. ``hits``: the stems found in ``text``
    (by :func:`_scan`), when the caller already has them."""
    if hits is None:
        hits = _scan(text.lower())
    present = {h[2] for h in hits}
    if not _MASK_ANCHORS.isdisjoint(present):
        # every disease/population phrase contains a mask stem ("cell", "mobili"…)
        near = [(h[0], h[1]) for h in hits if h[2] in _MASK_ANCHORS]
        text = _MASK.mask(text, "#", near=near, reach=_MASK_REACH)
    # a haematopoietic transplant is judged by the hsct rule, never as a cell product
    if not _HSCT_ANCHORS.isdisjoint(present):
        text = _HSCT.mask(text, "~")
    return text


def _family_of(text: str) -> str:
    for fam in _FAMILY_ORDER:
        if _FAMILY_RE[fam].search(text):
            return fam
    return "other"


def _mentions(text: str, present: frozenset[str] | set[str]) -> list[tuple[int, int, bool]]:
    """(start, end, negated) for every cell-product mention in already-masked text.

    Each family's pattern only runs when one of its literal stems is ``present`` (the anchors
    found in the text before masking, a superset of those left after it): one big alternation
    over every family is ten times slower in Python's ``re``.
    """
    low = text.lower()
    spans: set[tuple[int, int]] = set()
    for fam, rx in _FAMILY_RE.items():
        if fam == "other" and spans:
            continue  # the generic words only matter where nothing specific was found
        if not _FAMILY_SETS[fam].isdisjoint(present):
            spans.update(m.span() for m in rx.finditer(text))
    if "cel " in low or "cel|" in low or low.endswith("cel") or "cel," in low or "cel)" in low:
        for m in _INN_CEL.finditer(text):
            if m.group(0).lower() not in _NOT_INN:
                spans.add(m.span())
    ordered = sorted(spans, key=lambda sp: (sp[0], -sp[1]))
    out = []
    last_end = -1
    for start, end in ordered:
        if end <= last_end:  # inside a longer mention already kept
            continue
        last_end = end
        before = text[max(0, start - 90) : start]
        after = text[end : end + 40]
        neg = bool(_NEG_BEFORE.search(before) or _NEG_AFTER.search(after))
        out.append((start, end, neg))
    return out


def _fields(trial: Trial) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, iv in enumerate(trial.interventions):
        parts = [iv.get("name") or ""] + list(iv.get("other_names") or [])
        if iv.get("description"):
            parts.append(iv["description"])
        text = " | ".join(p for p in parts if p)
        if text:
            out.append((f"interventions[{i}]", text))
    title = trial.title
    if trial.official_title and trial.official_title != trial.title:
        title = f"{trial.title} | {trial.official_title}"
    out.append(("title", title))
    for i, a in enumerate(trial.arm_descriptions):
        out.append((f"arms[{i}]", a))
    if trial.summary:
        out.append(("summary", trial.summary))
    if trial.keywords:
        out.append(("keywords", " | ".join(trial.keywords)))
    return out


# Literal stems: every cell-product, acellular, transplant and lymphodepletion pattern
# contains one of them. Text without any is not a cell therapy; text with some is only
# searched in windows around them (the regexes are far too slow over whole records).
_ANCHORS = frozenset({a for anchors in _FAMILY_ANCHORS.values() for a in anchors} | {"cel"})
_ACELL_ANCHORS = frozenset(
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
        "혈소판",
    }
)
_HSCT_ANCHORS = frozenset({"transplant", "hsct", "hct", "sct", "bmt", "이식"})
_VIVO_ANCHORS = frozenset({"vivo", "nanopart", "lnp", "gene therapy", "directly into"})
_LD_ANCHORS = frozenset({"lymphodeplet", "precondition", "ld regimen"})
_WINDOW = 110
_TOKEN = re.compile(r"[0-9a-z]+")
_KNOWN_KEYS = {re.sub(r"[^0-9a-z]", "", k): k for k in KNOWN_CELL_PRODUCTS}
_KNOWN_FIRST = frozenset(_TOKEN.findall(k)[0] for k in KNOWN_CELL_PRODUCTS)


def _any(low: str, anchors: frozenset[str]) -> bool:
    return any(a in low for a in anchors)


# One Aho-Corasick automaton finds every occurrence of every literal stem (overlapping ones
# included) in a single pass; the rules below only ever ask which stems occur where. This is
# what ``any(a in low for a in anchors)`` and ``low.find(a)`` loops computed, stem by stem.
_FAMILY_SETS = {fam: frozenset(a) for fam, a in _FAMILY_ANCHORS.items()}
_ANY_PRODUCT = _ANCHORS | _ACELL_ANCHORS  # a record without these is not cell-derived


def _automaton() -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    stems = _ANCHORS | _ACELL_ANCHORS | _HSCT_ANCHORS | _VIVO_ANCHORS | _LD_ANCHORS | _MASK_ANCHORS
    for stem in stems | _KNOWN_FIRST:
        auto.add_word(stem, (len(stem) - 1, stem))
    auto.make_automaton()
    return auto


_AC = _automaton()

Hit = tuple[int, int, str]  # (start, end, stem) in lowercased text


def _scan(low: str) -> list[Hit]:
    """Every occurrence of every stem in ``low``, in order of its end."""
    return [(end - n, end + 1, stem) for end, (n, stem) in _AC.iter(low)]


def _windows(low: str, hits: list[Hit] | None = None) -> list[tuple[int, int]]:
    """Merged [start, end) windows around every anchor hit in lowercased text."""
    if hits is None:
        hits = _scan(low)
    if len(low) <= 2 * _WINDOW:
        return [(0, len(low))] if any(h[2] in _ANCHORS for h in hits) else []
    starts = sorted(h[0] for h in hits if h[2] in _ANCHORS)
    if not starts:
        return []
    out: list[tuple[int, int]] = []
    n = len(low)
    for h in starts:
        a = max(0, h - _WINDOW)
        if a:
            sp = low.rfind(" ", 0, a)
            a = sp + 1 if sp != -1 else 0
        b = min(n, h + _WINDOW)
        if b < n:
            sp = low.find(" ", b)
            b = sp if sp != -1 else n
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _bounded(low: str, hits: list[Hit], stems: frozenset[str]) -> bool:
    """Whether a stem of ``stems`` occurs as a whole [0-9a-z] token."""
    n = len(low)
    for s, e, stem in hits:
        if (
            stem in stems
            and (s == 0 or not _isalnum(low[s - 1]))
            and (e == n or not _isalnum(low[e]))
        ):
            return True
    return False


def _isalnum(ch: str) -> bool:
    return "0" <= ch <= "9" or "a" <= ch <= "z"


def _known_in(low: str) -> bool:
    words = _TOKEN.findall(low)
    if not _KNOWN_FIRST.intersection(words):
        return False
    for i, w in enumerate(words):
        if w in _KNOWN_FIRST:
            for n in (1, 2, 3):
                if "".join(words[i : i + n]) in _KNOWN_KEYS:
                    return True
    return False


def _field_hits(
    fields: list[tuple[str, str]], alltext: str, low_all: str, hits_all: list[Hit]
) -> list[tuple[str, list[Hit]]]:
    """(lowercased text, stem hits) per field, cut from the scan of the joined text."""
    if len(low_all) != len(alltext):  # lowercasing changed a length: scan field by field
        return [(low, _scan(low)) for low in (t.lower() for _, t in fields)]
    out = []
    off = 0
    for _, text in fields:
        end = off + len(text)
        out.append(
            (
                low_all[off:end],
                [(s - off, e - off, stem) for s, e, stem in hits_all if s >= off and e <= end],
            )
        )
        off = end + 1
    return out


def classify(trial: Trial, known_products: bool = True) -> Classification:
    """Label one trial; the evidence says which field, which words and which rule.

    ``known_products=False`` switches off the reviewed list of named cell products, to measure
    what the text rules find on their own.
    """
    known_family: str | None = None
    fields = _fields(trial)
    alltext = " ".join(t for _, t in fields)
    low_all = alltext.lower()
    hits_all = _scan(low_all)
    present_all = {h[2] for h in hits_all}
    has_known = (
        known_products and _bounded(low_all, hits_all, _KNOWN_FIRST) and _known_in(low_all)
    )
    if not has_known and present_all.isdisjoint(_ANY_PRODUCT):
        return Classification()
    field_hits = _field_hits(fields, alltext, low_all, hits_all)

    evidence: list[dict[str, str]] = []
    positives: list[tuple[str, str, str]] = []  # (field, snippet, matched text)
    negated: list[tuple[str, str]] = []
    in_vivo: list[tuple[str, str]] = []
    iv_names = [
        (iv.get("name") or "").strip().lower()
        for iv in trial.interventions
        if len((iv.get("name") or "").strip()) >= 3
    ]
    druglike_only = bool(trial.interventions) and all(
        (iv.get("type") or "").upper() in _DRUGLIKE_TYPES for iv in trial.interventions
    )
    has_cell_intervention = False
    title_positive = False

    for (fname, full), (low, hits) in zip(fields, field_hits, strict=True):
        for wa, wb in _windows(low, hits):
            text = full[wa:wb]
            whits = [(s - wa, e - wa, stem) for s, e, stem in hits if s >= wa and e <= wb]
            present = {h[2] for h in whits}
            masked = _masked(text, whits)
            for start, end, neg in _mentions(masked, present):
                snippet = _snippet(text, start, end)
                matched = text[start:end]
                # in vivo CAR: judge on the sentence around the mention
                sent_a = max(masked.rfind(".", 0, start), masked.rfind("|", 0, start)) + 1
                sent_b = masked.find(".", end)
                sentence = masked[sent_a : sent_b if sent_b != -1 else len(masked)]
                if _IN_VIVO_CAR.search(sentence) and not _EX_VIVO.search(sentence):
                    in_vivo.append((fname, snippet))
                    continue
                if neg:
                    negated.append((fname, snippet))
                    continue
                if _ACELLULAR.search(masked[max(0, start - 50) : end + 50]):
                    # "exosomes derived from MSCs": the cells are the source, not the product
                    negated.append((fname, snippet))
                    continue
                if fname.startswith("interventions"):
                    has_cell_intervention = True
                    positives.append((fname, snippet, matched))
                elif fname == "title":
                    if _family_of(matched) == "other" and not _PRODUCT_CONTEXT.search(
                        masked[max(0, start - 60) : end + 60]
                    ):
                        continue  # "cardiomyocyte energy metabolism": biology, not a product
                    title_positive = True
                    positives.append((fname, snippet, matched))
                else:
                    sentence_low = sentence.lower()
                    names_it = any(n and n in sentence_low for n in iv_names)
                    if _family_of(matched) in _GENERIC_FAMILIES and not _PRODUCT_CONTEXT.search(
                        masked[max(0, start - 60) : end + 60]
                    ):
                        continue
                    if not druglike_only or names_it:
                        positives.append((fname, snippet, matched))

    # known products (reviewed names and codes) count as an intervention mention
    if has_known and not has_cell_intervention:
        for fname, text in fields:
            if not (fname.startswith("interventions") or fname == "title"):
                continue
            m = _KNOWN_RE.search(text)
            if m:
                fam = KNOWN_CELL_PRODUCTS[_KNOWN_KEY(m.group(0))]
                positives.insert(0, (fname, _snippet(text, m.start(), m.end()), m.group(0)))
                known_family = fam
                has_cell_intervention = True
                break
    head = " ".join(t for f, t in fields if f == "title" or f.startswith("interventions"))
    record_in_vivo = not _VIVO_ANCHORS.isdisjoint(present_all) and (
        bool(_IN_VIVO_CAR.search(head))
        or (bool(_IN_VIVO_CAR.search(alltext)) and not _EX_VIVO.search(alltext))
    )
    # lymphodepletion (fludarabine + cyclophosphamide) given with a coded product
    if not has_cell_intervention and not positives and not record_in_vivo:
        names = " ".join(iv_names)
        coded = [n for n in iv_names if _CODE.search(n)]
        ld = (
            _LYMPHODEPLETION.search(alltext) if not _LD_ANCHORS.isdisjoint(present_all) else None
        )
        if coded and (("fludarabine" in names and "cyclophosphamide" in names) or ld):
            text = ld.group(0) if ld else "fludarabine + cyclophosphamide"
            positives.append(("interventions", f"{coded[0]} with {text}", "lymphodepletion"))
            has_cell_intervention = True

    # a whole-record in vivo CAR statement overrides summary-level and title CAR mentions
    strong = has_cell_intervention or title_positive
    if record_in_vivo and not has_cell_intervention:
        positives = []
        strong = False
    elif record_in_vivo:
        positives = [p for p in positives if p[0].startswith("interventions")]
    if in_vivo and not positives:
        for fname, snip in in_vivo[:2]:
            evidence.append({"field": fname, "text": snip, "rule": "negative.in_vivo_car"})

    acellular = [
        (fname, _snippet(text, m.start(), m.end()))
        for fname, text in fields
        if (fname.startswith("interventions") or fname == "title")
        and _any(text.lower(), _ACELL_ANCHORS)
        for m in [_ACELLULAR.search(text)]
        if m
    ]
    if acellular and not has_cell_intervention:
        # "MSC-derived exosomes": the cell words describe the source, not the product
        positives = []
        strong = False

    if positives and (strong or len(positives) >= 1):
        fam_text = " ".join(p[2] for p in positives)
        family = known_family or _family_of(fam_text)
        if family in _GENERIC_FAMILIES or family == "other":
            # a generic mention ("cells suspension"): let the rest of the record be specific
            context = " ".join(
                _masked(t)
                for f, t in fields
                if f == "title" or f.startswith("interventions") or f == "summary"
            )
            better = _family_of(fam_text + " " + context)
            if better != "other" and _FAMILY_ORDER.index(better) < _FAMILY_ORDER.index(family):
                family = better
        # prefer the most specific family seen in the decisive fields
        origin = _origin(trial, positives)
        seen: set[str] = set()
        for fname, snip, _ in positives[:4]:
            if snip in seen:
                continue
            seen.add(snip)
            rule = "cell.known_product" if known_family and fname == positives[0][0] else "cell"
            evidence.append({"field": fname, "text": snip, "rule": f"{rule}.{_family_of(snip)}"})
        if origin != "unknown":
            evidence.append({"field": "record", "text": origin, "rule": f"origin.{origin}"})
        stem_type = _STEM_FAMILIES.get(family)
        if family == "keratinocyte_or_epithelial" and re.search(r"limbal|stem", fam_text, re.I):
            stem_type = "tissue_stem"
        return Classification(
            label="cell_therapy",
            cell_class="stem" if stem_type else "somatic",
            cell_family=family,
            stem_type=stem_type or "not_applicable",
            origin=origin,
            evidence=evidence,
        )

    # no living-cell product
    if acellular:
        fname, snip = acellular[0]
        return Classification(
            label="acellular_cell_derived",
            evidence=[{"field": fname, "text": snip, "rule": "acellular.cell_derived"}],
        )
    hsct = _hsct(trial, fields) if not _HSCT_ANCHORS.isdisjoint(present_all) else None
    if hsct:
        return Classification(label="hsct_procedure", evidence=[hsct])
    for fname, snip in negated[:2]:
        evidence.append({"field": fname, "text": snip, "rule": "negative.context"})
    return Classification(evidence=evidence)


def _hsct(trial: Trial, fields: list[tuple[str, str]]) -> dict[str, str] | None:
    title = next((t for f, t in fields if f == "title"), "")
    if _HSCT_COMPLICATION.search(title):
        return None
    for fname, text in fields:
        if not (fname.startswith("interventions") or fname == "title"):
            continue
        for m in _HSCT.finditer(text):
            before = text[max(0, m.start() - 60) : m.start()]
            after = text[m.end() : m.end() + 40]
            population = re.search(
                r"^\W*(?:patients?|recipients?|survivors?|candidates?|setting)", after, re.I
            )
            if fname.startswith("interventions") and not population:
                return {
                    "field": fname,
                    "text": _snippet(text, m.start(), m.end()),
                    "rule": "hsct.intervention",
                }
            if fname == "title" and not population:
                negated = _NEG_BEFORE.search(before)
                if (negated and _HSCT_REGIMEN.search(text)) or (
                    not negated and (_HSCT_REGIMEN.search(text) or _HSCT_STUDY.search(text))
                ):
                    return {
                        "field": fname,
                        "text": _snippet(text, m.start(), m.end()),
                        "rule": "hsct.title",
                    }
    return None


def _origin(trial: Trial, positives: list[tuple[str, str, str]]) -> str:
    texts = [snip for _, snip, _ in positives]
    # the intervention and title texts carry the product's description
    for iv in trial.interventions:
        texts.append(" ".join([iv.get("name") or "", iv.get("description") or ""]))
    texts.append(trial.title)
    if trial.official_title:
        texts.append(trial.official_title)
    joined = " ".join(texts)
    auto = bool(_ORIGIN_AUTO.search(joined))
    allo = bool(_ORIGIN_ALLO.search(joined))
    if not auto and not allo and trial.summary:
        auto = bool(_ORIGIN_AUTO.search(trial.summary))
        allo = bool(_ORIGIN_ALLO.search(trial.summary))
    if auto and allo:
        return "mixed"
    if auto:
        return "autologous"
    if allo:
        return "allogeneic"
    return "unknown"


def apply(trial: Trial) -> Trial:
    """Classify and write the result onto the trial (returns the same object)."""
    c = classify(trial)
    trial.label = c.label
    trial.cell_class = c.cell_class
    trial.cell_family = c.cell_family
    trial.stem_type = c.stem_type
    trial.origin = c.origin
    trial.evidence = c.evidence
    return trial
