"""The rule tables of the trials classifier: words, patterns and reviewed names.

Only data lives here: the phrases that mask diseases and populations, each cell family's pattern
and its literal stems, the contexts that make a mention the population rather than the product,
the in vivo CAR, acellular, transplant and lymphodepletion patterns, the origin words and the
reviewed list of named cell products. How they are applied is :mod:`ctatlas.trials.classify`.

Every regex pattern here contains one of the literal stems in ``ANCHORS``, ``ACELL_ANCHORS``,
``HSCT_ANCHORS``, ``VIVO_ANCHORS``, ``LD_ANCHORS`` or ``MASK_ANCHORS`` (the engine only runs a
pattern where a stem occurs): add the stem with the pattern. ``tests/trials/test_rule_stems.py``
reads every such pattern's parse and fails on a branch that can match without one.
"""

from __future__ import annotations

import re

from .fastre import Folded as _folded

# --------------------------------------------------------------------------- masks
# Disease and population phrases that contain cell words but are not products.
MASK = _folded(
    r"\b(?:non[- ]?)?small[- ]cell\b|\b(?:renal|squamous|basal|clear|transitional|merkel|"
    r"hairy|mantle|germ|giant|sickle|plasma|hepatocellular|islet|beta|b|t|nk|nk/t|t/nk|"
    r"natural killer|t-lymphoblastic|large b|large)[- ]?cells?[- ]"
    r"(?:lymphoma|leuka?emia|neoplasm|malignanc\w*|carcinoma|cancer|tumou?r|disease|anemia|"
    r"anaemia|myeloma|dyscrasia|deficien\w*|lymphoproliferative|depletion|aplasia|"
    r"histiocytosis|prolymphocytic|acute|chronic|precursor|non[- ]hodgkin|acute lymphoblastic|"
    r"mediated|inflamed|receptor|maturation|function|count|activation|engager|redirect\w*|"
    r"exhaustion|fitness|immunity|response|epitope|lines?)"
    r"|\bsickle[- ]cell\b|\bcell[- ]lines?\b|\bcell[- ]free dna\b|\bctdna\b|\bcirculat"
    r"ing tumou?r cells?\b"
    r"|\bt[- ]cell[- ](?:engag|redirect|bispecific)\w*|\bbispecific t[- ]cell\w*"
    r"|\bnk[- ]cell[- ](?:engag)\w*|\bb[- ]cell[- ]maturation|\bcar[- ]?t[- ]?bp\b"
    r"|\bstem[- ]cell (?:mobili[sz]\w*|collection|harvest|apheresis|mobili\w*)"
    r"|\bmobili[sz]\w* (?:of )?(?:[\w-]+ ){0,3}(?:stem|progenitor|stromal) cells?"
    # cytokines and growth factors named after the cells they act on: not cells
    r"|\b(?:stem[- ]cells?|fibroblasts?|epidermal|keratinocytes?|hepatocytes?|nerve|neurotroph"
    r"ic|platelet[- ]derived|granulocytes?(?:[- ]macrophages?)?|macrophages?|b[- ]cells?|t[- ]ce"
    r"lls?|mast[- ]cells?|(?:vascular )?endothelial(?: cells?)?)[- ](?:growth[- ]|colony[- ]stim"
    r"ulating[- ]|activating[- ]|inhibitory[- ]|derived[- ]|stimulating[- ])?factors?"
    r"|\bcolony[- ]stimulating factors?"
    # production cell lines ("vaccine made in Sf9 cells") and proteins named after cells
    r"|\b(?:sf9|sf21|hek[- ]?293t?|vero|cho|per\.?c6|mdck|hela) cells?"
    r"|\b(?:mesenchymal )?(?:stem|stromal) cells? antigen"
    r"|\beto-?cell\b|lymphocyte stimulator|\bcells? dysfunction|endothelial cells?"
    # cells worked on in a laboratory ("intervention on primary cultured cells")
    r"|\bprimary (?:cultured |cell )?cells?\b|\bcultured primary cells?\b"
    # what is counted in or done to a transplant's graft: "impact of CD34+ cell dose on
    # progression-free survival following ... autologous stem cell transplantation",
    # "CD34+ cell selection" (graft engineering)
    r"|\bcd34\+?[- ]?(?:positive )?cells? (?:dose|selection|count|content|yield|enumeration)s?\b",
)

MASK_ANCHORS = frozenset({"cell", "mobili", "stimulator", "car", "ctdna", "eto", "factor"})
# how far a masked phrase reaches beyond the stem it contains ("mobilization of peripheral
# blood stem cells" is the longest: ~45 characters)
MASK_REACH = 80

# --------------------------------------------------------------------------- cell products
# family -> pattern; the first family in FAMILY_ORDER that matches wins.
FAMILY_PATTERNS: dict[str, str] = {
    "iPSC_derived": r"\bi?psc[- ]?derived\b|\bipscs?\b|\bips[- ]cells?\b|induced pluripotent"
    r"|\bip?sc[- ]\w*(?:nk|car)\b|\bft(?:500|516|519|522|536|538|576|596|819|825)\b"
    r"|\bcnty-?101\b|\bips細胞|유도만능",
    "ESC_derived": r"embryonic stem|\bh?esc[- ]?derived\b|\bhescs?\b|\bes[- ]nk\b|배아줄기",
    "CAR_NK": r"\bu?car[- ]?(?:p?nk|nkt)\b|\bcar[- ]?engineered nk|\bcar[- ]nk\b|chimeric antigen "
        r"receptor"
    r"[- ](?:\w+[- ]){0,3}(?:natural killer|nk)\b|\bnk[- ]?cells? (?:expressing|engineered)"
    r"(?: with)? (?:a )?(?:car|chimeric)|\bab-?201\b"
    # NK T cells carrying a CAR ("NK T-Cells Expressing CD19 Specific CAR")
    r"|\bnk[- ]?t[- ]?cells? (?:expressing|engineered)(?: with)?(?: [\w-]+){0,3}? "
    r"(?:car|chimeric)\b"
    # (the token CAR, not a word that starts with it: "Carmustine | ... Natural Killer Cells")
    r"|\bcar(?![a-z])[.\w-]*(?:[\s-]+[\w-]+){0,6}?[\s-]+(?:nk|natural killer) cells?",
    "CAR_T": r"\bu?car[- ]?t\b(?![- ]device)|\bu?car[- ]?t[- ]?cells?"
    r"|\bcart(?![- ]device)(?:[- ]?\d+|[- ]cells?|[- ][a-z]+\d*)?\b"
    r"|\bcar\d+[a-z.]*\b|chimeric antigen[- ]receptor|\bcar[- ](?:γδ|gd|gamma[- ]delta|treg|m)\b"
    r"|\b\w+(?:leucel|lecleucel|ucel)\b|\bstar[- ]t\b|\bcar[- ]modified|\bcar[- ]engineered"
    r"|\bcar[- ]transduced|\bunicar\d*|\bcar[- ]expressing|\bcar\s?(?:19|20|22|123|30|33|38|70)"
    r"|\bnkr-2\b|\bcarcik\b|\bcar\.[a-z0-9]+|\b(?:cd\d+\w*|bcma) car[- ]therap\w*"
    r"|expressing (?:[\w-]+ ){0,3}?(?:car\b|chimeric)"
    r"|\b[a-z]+cart\d+[a-z0-9]*\b|\b[a-z]+car\.[a-z0-9]+|\bcar-\d{3}\b|\b[a-z]+car-t\b"
    # codes built on "car" ("JCAR017", "SYNCAR-001"), and fourth-generation "4SCAR" constructs
    # ("4SCAR19/22 T cells")
    r"|\b[a-z]{1,4}car-?\d{3}\b|\b\dscar[\d-]\w*"
    # ... and codes with digits before "CAR" and the target after it ("TT52CAR19", "PBLTT52CAR19")
    r"|\b[a-z0-9]*\dcar\d+[a-z0-9]*\b"
    r"|\bcar[- ](?:cd\d+\w*|bcma|gprc5d|gpc3|cld18\w*|claudin\w*|her2|egfr\w*|meso\w*|psma|psca|gd2"
    r"|b7-?h3|muc1|cea|dll3|nkg2d|ror[12]|epcam|lewis\w*|kappa|flt3|cs1|slamf7|taci|april)\b",
    "TIL": r"tumou?r[- ]infiltrating lymphocytes?|\btils?\b|lifileucel",
    "NK": r"natural killer(?: \(nk\))? cells?|\bnk[- ]?cells?\b|\bnk\d{3}\b|\bnk cell injection"
    r"|\b(?:allogeneic |autologous )?nk (?:cell )?(?:transfer|infusion)s?\b"
    r"|\bnkt[- ]?cells?\b|\bcord blood[- ]derived nk|\bnk세포|자연살해",
    "T_cell_other": r"cytotoxic t[- ](?:lymphocytes?|cells?)|\bctls?\b|virus[- ]specific t"
    r"|\bvsts?\b"
    r"|\btcr[- ]?t\b|tcr[- ](?:engineered|transduced|modified)|t[- ]cell receptor"
    r"[- ](?:engineered|transduced|gene therapy)"
    r"|cytokine[- ]induced killer|\bciks?\b|γδ[- ]?t|gamma[- ]delta t|\bgd[- ]?t[- ]cells?"
    r"|regulatory t[- ]cells?|\btregs?\b|donor lymphocyte infusion|\bdli\b"
    r"|(?:antigen|tumou?r|virus|ebv|cmv|hpv|neoantigen|lung cancer|sars-cov-2|covid-19|"
    r"adenovirus|bk virus|multi-?virus)[- ]specific t[- ]?cells?"
    r"|\bt[- ]cells? (?:injection|infusion|therapy)|\bt[- ]lymphocytes?\b(?! stimulator)"
    r"|\bautologous t[- ]cells?|\ballogeneic t[- ]cells?|\bactivated t[- ]cells?"
    r"|expanded t[- ]cells?|\bt[- ]cell injection"
    r"|\bcd[48]\+?(?: memory)? t[- ]cells?|\bmemory t[- ]cells?"
    r"|\blymphocytes? (?:infusion|injection|therapy)"
    r"|\bzeushield|\bnkr\b|\bdc[- ]?cik\b",
    "dendritic": r"dendritic cells?|\bdc[- ]?(?:vaccine|based)|\bdcvax|antigen[- ]presenting cells?"
    r"|\bcar[- ]?dcs?\b|\bdcs?/(?:mm|aml|tumou?r|myeloma)\b"
    r"|pulsed (?:cd14|monocyte|dendritic)|(?:cd14|monocyte)[- ]?(?:positive |\+ )?cells?"
    r"|수지상",
    "MSC": r"mesenchymal|\bmesenchyme (?:stem|stromal) cells?|\bstromal-cells?\b"
    r"|\b[\w-]+[- ]derived (?:mesenchymal |stromal )?stem "
    r"cells?|\bmscs?\b|\b\w*-?mscs?\b|\b(?:ad|uc|bm|wj|hb)-?(?:ad)?mscs?\b|stroma"
        r"l cells?"
    r"|\badscs?\b|adipose[- ](?:tissue[- ])?derived (?:adult )?(?:stem|stromal|regenerative|mesen"
    r"chymal)|stem cells from (?:human )?exfoliated (?:deciduous )?teeth|dental pulp stem cells?"
    # Wharton's jelly with its cells named: the jelly alone ("Umbilical cord-derived Wharton's
    # Jelly" beside a device) is a tissue product, not cells
    r"|wharton\S{0,3}(?:\s+jelly)?[\s-]+(?:[\w-]+[\s-]+){0,3}?(?:mesenchymal|stromal|stem|"
    r"mscs?\b|cells?\b)|\bmsc\b|multipotent adult progenitor|\bmapcs?\b|stem cell product"
    r"|cartistem|pneumostem|neuronata|cellgram|jointstem|astrostem|smup-ia|hcr040"
    r"|darvadstrocel|remestemcel|\bcx601\b|alofisel|temcell|stempeucel|rexlemestrocel"
    r"|\b\w+strocel\b|\b\w+stemcel\b|중간엽|간엽|줄기세포 치료"
    # development codes built on MSC / ASC (adipose stem cells): MSC11FCD, ALLO-ASC-DFU
    r"|\bmsc[\d_]\w*|\b\w+-ascs?\b|\bascs\b|\basc (?:therapy|injection|transplant\w*|implant\w*)"
    r"|\b\w+chymal\b"
    # stem cells of teeth and the mouth by their abbreviations: DPSCs (dental pulp), PDLSCs
    # (periodontal ligament), BFPSCs (buccal fat pad), SCAPs (apical papilla)
    r"|\b(?:h?dp|pdl|bfp|dfp|gm)scs?\b|\bscaps?\b",
    "SVF_or_BMMNC": r"stromal vascular fraction|\bsvf\b|bone marrow[- ](?:derived )?mononuclear"
    r"|\bbm-?mncs?\b|\bmncs?\b|mononuclear cells?|bone marrow aspirate concentrate"
    r"|\bbmac\b|bone marrow cells?|bone marrow (?:aspirate )?concentrat\w*|bone[- ]marrow grafting"
    r"|(?:injections?|infusions?) of (?:autologous )?bone marrow aspirate"
    r"|간질 혈관 분획",
    "HSC": r"\bcd34\+?(?:[- ]selected| positive)? (?:cells?|stem)|haematopoietic stem (?:and "
        r"progenitor )?cells? "
    r"(?:gene|product|therapy|infusion|expan)|hematopoietic stem (?:and progenitor )?cells? "
    r"(?:gene|product|therapy|infusion|expan)|expanded (?:umbilical )?cord blood|omidubicel"
    r"|\bhspcs?\b|ha?ematopoietic (?:stem and )?progenitor cells?|myeloid progenitor cells?"
    # a graft changed by a gene before it is given: "genetically modified peripheral blood stem
    # cell transplant"
    r"|\b(?:genetically|gene)[- ]modified (?:[\w-]+ ){0,3}?(?:stem|progenitor) cells?",
    "chondrocyte": r"chondrocytes?|\bmaci\b|\baci\b|chondrosphere|연골세포",
    "keratinocyte_or_epithelial": r"keratinocytes?|epiderm\w* (?:cells?|sheet|graft)|limbal"
    r"(?: epithelial| stem)? cells?|epithelial cells?|\bcultured epiderm"
    r"|cell sheets?|retinal pigment epitheli\w* (?:cells?|patch)"
    r"|\brpe (?:cells?|patch)|\bholoclar",
    "islet": r"islet (?:cells? )?(?:transplant\w*|infusion|allotransplant\w*)|islets of langerhans"
    r"|\bislets?\b(?! cell (?:tumou?r|carcinoma))(?! (?:function|autoantibod|antibod|dysfunction"
    r"|failure|autoimmun|cell function|beta))|lantidra",
    "other": r"\b[a-z]+-?stem\b(?<!system)(?<!brainstem)(?<!brain-stem)(?<!mainstem)"
    r"|\bseeded cells?"
    r"|\b(?:autologous|allogene?ic|autologic) (?:[\w-]+ ){0,3}?cells?\b|\bregenerative cells?"
    r"|\b(?:autologous|allogene?ic|donor|adoptive) (?:[\w-]+ ){0,2}?cellular (?:immuno)?therap\w*"
    r"|\b[a-z0-9-]*\d[a-z0-9-]* cells?\b|\bcell[- ]based (?:therap\w*|products?|treatments?)"
    r"|\bstem cells?\b|\bprogenitor cells?\b|\bcell[- ]?therapy\b|\bcell(?:ular)? ("
        r"?:injection|"
    r"infusion|product|suspension|transplant\w*|implant\w*|sheet|therapeutic)s?\b"
    r"|\bcells? suspension|\bcell dose|\bcellular kinetics|lymphodeplet\w*|preconditio"
    r"ning with fludarabine"
    r"|\bcells?/kg\b|\bx ?10\^?\d+ cells\b|\bcells? (?:injection|infusion)\b"
    r"|fibroblasts?|myoblasts?|hepatocytes?|cardiomyocytes?|macrophages?|\bneural (?:stem|"
    r"progenitor) cells?|\bdopaminergic (?:neurons?|progenitors?)|\bneurons?\b"
    # cells named by the tissue they come from ("Injection of adipose derived cells into
    # penis", "placenta-derived cells")
    r"|\b(?:adipose|fat|lipoaspirate|marrow|placentas?|placental|amnion|amniotic|muscle|skin|"
    r"dermis|dermal|tissue|cord)[- ](?:tissue[- ])?derived (?:[\w-]+ )?cells?\b"
    # living cells in a capsule that release a factor ("Encapsulated Cell Biodelivery of Nerve
    # Growth Factor", "encapsulated cell technology")
    r"|\bencapsulated (?:[\w-]+ )?cells?\b"
    # a donor graft made as a product ("Engineered Donor Graft (Orca Q)", "a centrally
    # manufactured engineered donor graft"), not a graft only selected or depleted
    r"|\bengineered (?:donor |allogeneic |ha?ematopoietic )?grafts?\b"
    r"|\blymphocytes?\b|\bt[- ]?cells?\b|cord blood|\bmegakaryocytes?|red blood cells? "
    r"(?:derived|cultured)|세포치료|세포 치료|줄기세포|세포 주사|세포주사|세포$",
}
FAMILY_ORDER = [
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
# "car" as a token of a construct's name ("cd123car-cd28", "il13ra2-specific car tcm",
# "gd2-car-vzv"), in lowercased text: not inside a word ("scar", "oscar")
CAR_TOKEN = re.compile(r"(?<![a-z])car\b")
# families that a CAR token makes a CAR family: T cells and unnamed cells carry a CAR-T, NK cells
# a CAR-NK
CAR_CARRIERS = {"T_cell_other": "CAR_T", "other": "CAR_T", "NK": "CAR_NK"}
FAMILY_RE = {k: _folded(v) for k, v in FAMILY_PATTERNS.items()}
FAMILY_ANCHORS: dict[str, tuple[str, ...]] = {
    "iPSC_derived": ("ipsc", "ips cell", "ips-", "psc-derived", "psc derived", "pluripotent",
                     "ft5", "ft8", "cnty", "유도만능", "pscderived", " isc-", " isc ", "ips細胞"),
    "ESC_derived": ("embryonic", "hesc", "esc-derived", "esc derived", "es-nk", "es nk", "배아",
                    "escderived"),
    "CAR_NK": ("car-", "car ", "car.", "carnk", "chimeric", "ab-2", "ab2", "carpnk",
               "carengineered", "nk cell", "nk-cell", "nkcell", "natural killer"),
    "CAR_T": ("car-", "car ", "cart", "car)", "car.", "car0", "car1", "car2", "car3", "car4",
              "car5", "car6", "car7", "car8", "car9",
              "carcik", "unicar", "chimeric", "leucel", "ucel", "star-t", "star t", "nkr-2"),
    "TIL": ("infiltrating", " til", "(til", "tils", "lifileucel"),
    "NK": ("nk ", "nk-", "nk cell", "nkt", "nk0", "nk1", "nk2", "nk3", "nk4", "nk5", "nk6", "nk7",
           "nk8", "nk9", "natural killer", "(nk)", "nk세포", "자연살해", "nkcell", "derived nk"),
    "T_cell_other": ("ctl", "cytotoxic", "vst", "tcr", "t cell", "t-cell", "cik", "killer", "γδ",
                     "gamma", "gd-t", "gd t", "treg", " dli", "t lymph", "t-lymph", "lymphocyte",
                     "zeushield", "nkr", "t receptor", "virus-specific", "virus specific",
                     "tcell"),
    "dendritic": ("dendritic", "dc-", "dc ", "dcvax", "antigen-present", "antigen present",
                  "pulsed", "cd14", "monocyte", "수지상", "car-dc", "car dc", "cardc", "dc/",
                  "dcs/", "dcvaccine", "dcbased"),
    "MSC": ("mesenchym", "msc", "asc", "chymal", "stromal", "derived stem", "adsc", "adipose",
            "wharton", "exfoliated", "dental pulp",
            "multipotent", "mapc",
            "stem cell product", "cartistem", "pneumostem", "neuronata", "cellgram", "jointstem",
            "astrostem", "smup", "hcr040", "strocel", "stemcel", "cx601", "alofisel", "temcell",
            "stempeucel", "중간엽", "간엽", "줄기세포", "dpsc", "pdlsc", "bfpsc", "dfpsc", "scap"),
    "SVF_or_BMMNC": ("stromal vascular", "svf", "mononuclear", "mnc", "aspirate concentrate",
                     "marrow concentrat", "marrow graft", "marrow aspirate",
                     "bmac", "bone marrow cell", "간질"),
    "HSC": ("cd34", "haematopoietic stem", "hematopoietic stem", "cord blood", "omidubicel",
            "hspc", "genetically modified", "genetically-modified", "gene-modified",
            "gene modified", "hematopoietic progenitor", "haematopoietic progenitor",
            "myeloid progenitor"),
    "chondrocyte": ("chondro", "maci", " aci", "(aci", "연골세포"),
    "keratinocyte_or_epithelial": ("keratin", "epiderm", "limbal", "epitheli", "cell sheet",
                                   "retinal pigment", "rpe", "holoclar"),
    "islet": ("islet", "langerhans", "lantidra"),
    "other": ("stem", "progenitor", "cell", "fibroblast", "myoblast", "hepatocyte",
              "cardiomyocyte", "macrophag", "neural", "dopaminergic", "neuron", "lymphocyte",
              "cord blood", "megakaryocyte", "lymphodeplet", "precondition", "세포", "줄기",
              "engineered"),
}

# "-cel" INN stem (cell therapies): tisagenlecleucel, darvadstrocel, lifileucel, omidubicel…
INN_CEL = _folded(r"\b[a-z]{4,}(?:leucel|cel)\b|\b[a-z]{3,5}-cel\b")
NOT_INN = {"excel", "cancel", "parcel", "marcel", "hotel", "novel", "panel", "channel"}

# Context in front of a mention that makes it the population, not the product.
NEG_BEFORE = _folded(
    r"(?:sampling(?: of)?|(?:impact|effects?|influence) of (?:[\w-]+ ){1,3}on|"
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

# Acellular products derived from cells.
ACELLULAR = _folded(
    r"exosomes?|extracellular vesicles?|\bevs?\b(?= (?:derived|from|therapy|product))|secretome|"
    r"conditioned (?:culture )?medi(?:um|a)|cell[- ]free|(?:cell|platelet|stem cell) lysates?|"
    r"platelet[- ]rich (?:plasma|fibrin)|\bprp\b|\bprf\b|platelet lysate|엑소좀|혈소판 ?풍부"
    r"|(?:trophic|pleiotropic|paracrine) factors?|cytokines derived from",
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

# A laboratory or observational study of cells (isolation, characterisation, differentiation,
# assays, models): said in the title of a record whose interventions give no cells.
LAB_CONTEXT = _folded(
    r"isolation|authenticat\w*|characteri[sz]ation of|(?<!cluster of )differentiation|"
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
    r"^\W*(?:[\w-]+\s+){0,3}(?:biops(?:y|ies)|specimens?|samples?|sampling|blood draws?|"
    r"aspirates?|swabs?|donations?)\b",
    re.I,
)
# ... in the strict sense: samples, specimens, biopsies, blood draws (not a marrow aspirate or
# a donation, which may be the source of cells given back)
SAMPLES_TAKEN = re.compile(
    r"^\W*(?:[\w-]+\s+){0,3}(?:biops(?:y|ies)|specimens?|samples?|sampling|blood draws?|"
    r"swabs?)\b",
    re.I,
)
# Words that say a product is given to people
GIVEN_WORDS = re.compile(r"infus|inject|administ|transfus|implant|transplant|\bgiv(?:e|en|ing)\b",
                         re.I)
# A title that opens with the disease and says it is treated with what follows ("Brain Stem
# Gliomas Treated With Adoptive Cellular Therapy ...", "Perinatal Arterial Stroke Treated With
# Stromal Cells"): a few words, none of them the people treated ("patients treated with" are
# the population) nor a preposition that names something before them ("X for lymphoma
# treated with ..."). Matched from the title's start up to the mention.
DISEASE_TREATED = re.compile(
    r"\W*(?:(?!(?:patients?|people|participants?|subjects?|persons?|individuals?|children|"
    r"adults?|women|men|infants?|survivors?|recipients?|cases?|those|who|in|with|after|for|"
    r"following|post|previously|prior)\b)[\w'’-]+\W+){1,6}"
    r"treated (?:with|by)\W+(?:[\w-]+\W+){0,4}$",
    re.I,
)
# A title about follow-up of patients given a cell product: the product stays the object
# even when the title says "treated with" or "after".
FOLLOW_UP = _folded(r"follow[- ]?up|\bltfu\b|long[- ]term (?:safety|outcome|effect)")
# An intervention entry that gives nothing ("No Intervention", "Observational").
NO_INTERVENTION = re.compile(
    r"^\W*(?:no\b|none\b|observational\b|not applicable|long[- ]term follow)", re.I
)
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
OWN_BEFORE = re.compile(r"\bown\s+$", re.I)
GIVEN_BACK = _folded(
    r"^[^.]{0,100}?\b(?:modified|engineered|transduced|expanded|given back|returned|re-?infused)"
)
# A cell therapy named in a title as such (even where a mask hides it as "CAR-T cell
# mediated"): with SETTING_STUDY and no positive mention, it is the setting.
CELL_THERAPY_NAMED = _folded(
    r"\bcar[- ]?t\b|chimeric antigen[- ]receptor|immune effector cells?|\bcell(?:ular)? therap\w*"
    r"|\b\w+leucel\b",
)
# An intervention whose whole name is a few words and "cells" ("BOOST cells", "CD19 CAR-T
# cells"): a cell product, whatever the words (production cell lines and disease phrases are
# masked before this is asked); also with what the cells are made into ("LCAR-AMDR Cells
# Product", "XYZ cells injection").
INTERVENTION_CELLS = re.compile(
    r"^(?:[\w.+/®™-]+\s+){1,4}cells?(?:\s+(?:products?|injections?|infusions?|suspensions?))?$",
    re.I,
)

# A cell therapy the record calls standard of care, commercial or approved: not the
# investigational product of this study.
STANDARD_CARE = _folded(
    r"(?:standard[- ]of[- ]care|\bsoc\b|commercial(?:ly available)?|(?:fda[- ])?approved|licensed)"
    r"\W+(?:[\w-]+\W+){0,2}?(?:car[- ]?t\b|chimeric antigen|cell therap\w*|\w+leucel\b|\w+cel\b)",
)
# Interventions that only accompany an approved cell therapy (its collection, lymphodepletion,
# monitoring, a placebo): never what a study of something given with it is about.
ROUTINE_WORDS = frozenset(
    """
    biopsy biospecimen specimen collection bone marrow aspiration computed tomography
    echocardiography positron emission imaging x-ray lumbar puncture scan multigated
    acquisition magnetic resonance cyclophosphamide fludarabine bendamustine chemotherapy
    lymphodepleting lymphodepletion leukapheresis apheresis placebo administration
    questionnaire survey quality life assessment laboratory procedure therapy treatment
    standard care electrocardiography blood sample sampling test testing
    """.split()
)
# A bridging therapy given before the cell therapy is part of its treatment (the development
# set's convention), not a study of something else.
BRIDGING = _folded(r"\bbridg\w*")
# ... nor is an induction "followed by" the cell therapy, or given "then" or in sequence with it
SEQUENCE_BEFORE = _folded(r"(?:followed by|\bthen|sequential\w*|\bsequence\w*)\W*(?:\w+\W+){0,3}$")
# What a title studies when it names a cell therapy only as the setting: preventing or
# treating its toxicities, imaging or vaccinating its recipients, irradiating or
# lymphodepleting them before it, priming them before collection.
SETTING_STUDY = _folded(
    r"prevent\w*|prophyla\w*|toxicit\w*|cytokine release|\bcrs\b|\bicans\b|encephalopathy|"
    r"radiation|radiotherapy|irradiation|lymphodeplet\w*|vaccin\w*|priming|imaging|"
    r"magnetic resonance|\bmri\b|infections?\b|microbiota|f[a]?ecal|"
    # what an assessment study measures in the recipients of a cell therapy
    r"cognit\w*|neuropsych\w*|quality of life|patient[- ]reported|costs?\b|resource use|\bhru\b|"
    r"care pathway|treatment patterns?|biological samples?|samples? collection|"
    r"circulating tumou?r dna|\bctdna\b|sequencing|\bngs\b|monitoring|predictab\w*|"
    r"prognostic|biomarkers?|voice|virtual reality|exercise|coaching|geriatric",
)
# An assessment study (tests, samples, costs, cognition, monitoring) of people who received a
# cell therapy: what it studies is the assessment, even when the cell therapy is its only
# intervention ("neurocognitive assessment in adults undergoing CAR-T cell therapy").
ASSESSMENT_STUDY = _folded(
    r"cognit\w*|neuropsych\w*|quality of life|patient[- ]reported|costs?\b|resource use|\bhru\b|"
    r"care pathway|treatment patterns?|biological samples?|samples? collection|"
    r"circulating tumou?r dna|\bctdna\b|sequencing|\bngs\b|monitoring|predictab\w*|prognostic"
    r"|voice|virtual reality|exercise|coaching|geriatric",
)
# Words that, before the cell therapy in a title whose interventions give no cells, say the
# study is of something given around it ("radiotherapy priming for CAR-T", "bendamustine
# versus Flu/Cy for lymphodepletion in CAR-T", "bridging bispecific antibody treatment with
# BCMA CAR-T", "combination of CLS-015 with CAR-T cells").
OTHER_AGENT = _folded(
    r"radiation|radiotherapy|irradiation|priming|lymphodeplet\w*|bispecific|antibod\w*|"
    r"inhibitors?\b|maintenance|vaccin\w*|prophyla\w*|prevent\w*|combination of|steroids?\b|"
    r"microbiota|imaging",
)
# ... named right before a cell therapy that the title names only generically ("for CAR-T",
# "with anti-CD19 CAR-T cells"), not an engineered product described at length
GENERIC_AFTER_AGENT = re.compile(r"\b(?:for|with|in|before|and)\s+(?:[\w-]+\s+){0,2}$", re.I)
# A summary sentence that states what the study gives ("this phase I trial studies the side
# effects and best dose of modified immune cells")
STUDY_PURPOSE = _folded(
    r"(?:trial|study) (?:studies|tests|evaluates|investigates|assesses|"
    r"will (?:evaluate|assess|test))"
    r"|investigational|purpose of|(?:aims?|designed) to|to (?:evaluate|assess|determine|test|inve"
    r"stigate)|(?:best )?dose of"
    # what the study is on ("a clinical study on the safety and effectiveness of CD19/BCMA CAR T
    # cells", "evaluate the safety and efficacy of CD70-targeting UCAR-T cells", "CLDN 18.2 CAR
    # T cells clinical research plan", "dose escalation and safety CART")
    r"|(?:study|trial|research) (?:on|of) the (?:safety|efficacy|effectiveness)"
    r"|(?:safety|efficacy|effectiveness|tolerability) (?:and (?:safety|efficacy|effectiveness|"
    r"tolerability) )?of\b|research plan|dose[- ]escalation"
    # the study gives the cells: "T-cells will be engineered", "cells will be injected"
    r"|\bwill be (?:engineered|transduced|genetically modified|injected|infused|administered|"
    r"given back|returned)"
    # a product the study made: "a new and optimized anti-BCMA CAR-T has been developed, with
    # the aim of using it in patients ..."
    r"|(?:has|have) been developed|aim of using",
)

# A summary sentence in which the study gives something else around the cell therapy: "to
# give people radiation treatment before they receive a CAR T-cell treatment", "to use
# radiation therapy with vancomycin prior to CAR T-cell therapy", "evaluates chidamide ... as
# maintenance therapy following CAR-T cell immunotherapy". ``obj`` is what the study gives
# (the engine checks it names no cells and names an agent); the cells are only the time
# anchor. A sentence that gives the cells ("infuse CAR-T cells after lymphodepletion") has
# them in ``obj`` or not after the preposition.
# The cell therapy that ends such a sentence: every match of AROUND_CELLS holds a match of
# this, so a summary without one is not searched (the engine's cheap first check, with the
# literals every match holds).
AROUND_CELLS_END = (
    r"(?:car[- )]*t\b|chimeric antigen|cell therap\w*|\w+leucel\b|\w+-cel\b|\bcart\b)"
)
AROUND_CELLS = re.compile(
    r"\b(?:to (?:give|use|add|administer|deliver)|giv(?:e|ing)|us(?:e|ing)|add(?:ing)?|"
    r"administer(?:s|ing)?|incorporat(?:e|es|ing)|evaluat(?:e|es|ing)|assess(?:es|ing)?|"
    r"investigat(?:e|es|ing)|tests?|testing)\b"
    r"(?P<obj>[^.;:?!|\n]{3,160}?)"
    r"\b(?:before|prior to|following|after|ahead of)\s+"
    r"(?:(?:they|patients?|participants?|people|subjects?|the patients?)\s+)?"
    r"(?:(?:receive|receiving|get|getting|undergo|undergoing|start|starting)\s+)?"
    r"(?:[\w()/-]+\s+){0,5}?" + AROUND_CELLS_END,
    re.I,
)
# A summary sentence that names a thing other than cells as what is under investigation
# ("68Ga-NOTA-BCMA is a novel, targeted PET tracer under clinical investigation"); the
# engine checks the sentence up to it names no cells.
INVESTIGATED_OTHER = re.compile(
    r"\b(?:is|as) an? (?:[\w,-]+ ){0,4}?(?:tracer|radiotracer|agent|drug|compound|"
    r"radiopharmaceutical|probe|device|vaccine|antibody|inhibitor)\b[^.]{0,40}?"
    r"\bunder (?:clinical )?(?:investigation|development|evaluation)",
    re.I,
)
# A cell word in what the study gives: then the sentence gives cells. A bridging therapy or a
# lymphodepleting regimen given before the cells is part of the cell therapy (the development
# set's convention: "talquetamab as bridging therapy prior to cilta-cel", "fludarabine and
# cyclophosphamide with or without rituximab before CD19 CAR T cells").
CELL_WORD = _folded(
    r"\bcar\b|car[- ]?t|cells?\b|chimeric|leucel|\w-cel\b|\bcart\b|lymphocyte|\bbridg\w*|"
    r"lymphodeplet\w*|fludarabine|cyclophosphamide|bendamustine|conditioning"
)
# A summary that says the study itself gives no treatment ("participating in the study does
# not involve receiving any treatment, other than the standard treatment"): a cell therapy it
# names is what its participants receive as standard care.
NO_TREATMENT_GIVEN = _folded(
    r"(?:does|do|will) not (?:involve|include|require) (?:receiving |the administration of |"
    r"giving )?any (?:\w+ )?(?:treatment|therapy|intervention|drug)"
    r"|no (?:study |investigational |experimental )?(?:treatment|therapy|intervention|drug)s? "
    r"(?:will be|is|are) (?:given|administered|provided)"
    r"|(?:participants|patients|subjects) will not receive any (?:study |investigational )?"
    r"(?:treatment|therapy|intervention|drug)"
)

# "cART": combination antiretroviral therapy, not a CAR-T ("R-EPOCH and cART" for AIDS-related
# lymphoma): the token written so, or in a record that speaks of antiretroviral therapy.
ANTIRETROVIRAL_CART = "cART"
ANTIRETROVIRAL = "antiretroviral"

# A haematopoietic transplant as the object of study.
HSCT = _folded(
    r"(?:ha?ematopoietic|blood|peripheral blood|bone marrow|cord blood|stem)[- ](?:stem[- ])?"
    r"(?:and progenitor )?cells? transplant\w*|\bhsct\b|\ballo-?hsct\b|\bauto-?hsct\b|\bhct\b"
    r"|\ballo-?hct\b|\bsct\b|\ballo-?sct\b|\basct\b|bone marrow transplant\w*|\bbmt\b"
    r"|\b(?:allo-?)?pbsct\b"
    r"|(?:haplo-?identical|haplo|allogeneic|autologous|cord blood|unrelated donor|"
    r"matched (?:sibling|unrelated)) (?:stem cell |bone marrow |ha?ematopoietic (?:stem )?cell |)"
    r"transplant\w*|\ballogeneic cell transplant\w*|\b[ds]?ucbt\b|\b[ds]?ucb transplant\w*|"
    r"조혈모세포 ?이식|자가 ?조혈모|haplo-hsct"
    # a transplant named by what it does after high-dose therapy: "bone marrow ablation with
    # stem cell support", "peripheral blood stem cells (PBSC) support", "reinfusion of one's own
    # stem cell"
    r"|(?:peripheral blood |autologous |ha?ematopoietic )?stem cells?(?: \(pbscs?\))? "
    r"(?:support|rescue)|\bpbscs? (?:support|rescue)"
    r"|re-?infusion of (?:the patient'?s |patients'? |one'?s |their )?own (?:ha?ematopoietic |"
    r"peripheral blood )?stem cells?"
    # ... or with the support named first: "high-dose chemoimmunotherapy with support of
    # peripheral autologous stem cell"
    r"|\bsupport of (?:peripheral (?:blood )?)?(?:autologous |allogeneic )?(?:ha?ematopoietic )?"
    r"(?:stem|progenitor) cells?"
    # a cord-blood transplant with its abbreviation or a second source between the words:
    # "umbilical cord blood (UCB) transplant", "umbilical cord blood and placental blood
    # transplantation"
    r"|cord blood (?:\(\w+\) |and placental blood )(?:stem cell )?transplant\w*"
    # a transplant of a CD34+-selected graft: "CD34+ Selected ASCT"
    r"|\bcd34\+?[- ]selected (?:autologous |allogeneic )?(?:a|h|pb)?sct"
    r"|\bcd34\+?[- ]selected (?:autologous |allogeneic )?transplant\w*"
    # the graft by its abbreviation or by "graft": "PBSC Transplantation", "TCRαβ-depleted
    # Progenitor Cell Graft", "haematopoietic stem cell graft" (not a limbal or neural one)
    r"|\bpbscs? transplant\w*|(?:ha?ematopoietic (?:stem (?:and progenitor )?)?|(?:peripheral )?"
    r"blood stem |(?<!limbal )(?<!neural )progenitor )cells? transplant\w*"
    r"|(?:ha?ematopoietic (?:stem (?:and progenitor )?)?|(?:peripheral )?blood stem |(?<!limbal )"
    r"(?<!neural )progenitor )cells? grafts?\b"
    # ... or as the graft's labelling name has it: "HPC(A) stem cell allograft"
    r"|(?<!limbal )(?<!neural )(?<!mesenchymal )stem cells? allografts?\b",
)
HSCT_REGIMEN = _folded(
    r"conditioning|myeloablative|reduced[- ]intensity|\bric\b|\bmac\b|total[- ]body irrad"
    r"iation|\btbi\b"
    r"|gvhd prophylaxis|graft[- ]versus[- ]host disease prophylaxis|prophyla\w*|post[- ]transplant"
    r" cyclophosphamide|\bptcy\b|\batg\b|anti-?thymocyte|graft (?:manipulation|engineering|source)"
    r"|t[- ]cell deplet\w*|cd34\+? selection|cd34\+?[- ]selected|new model|timing of|"
    r"second transplant|tandem|"
    r"graft failure|engraftment|high[- ]dose|myeloablat\w*|non-?ablative"
    # cells taken out of the graft ("T Cell Receptor Alpha/Beta Depletion PBSC Transplantation",
    # "α/β+ T-lymphocyte Depleted Grafts"), not a patient's lymphodepletion
    r"|(?<!lympho)deplet(?:ed|ion)\b",
)
HSCT_STUDY = _folded(
    r"(?:efficacy|safety|outcomes?|role|feasibility|benefit) of (?:upfront |early |salvage |)"
    r"(?:autologous|allogeneic|haplo\w*|ha?ematopoietic|stem|bone marrow|cord blood)|"
    r"(?:versus|vs\.?|compared (?:to|with)|or) (?:\w+ ){0,2}(?:autologous|allogeneic) (?:stem|"
    r"ha?ematopoietic)|^\W*(?:\w+ ){0,3}(?:transplant\w*|hsct|bmt)"
    r"|^\W*(?:(?:pilot|feasibility|phase [\w/]+|randomi[sz]ed|prospective) )*(?:study|trial) of "
    r"(?:[\w-]+ ){0,4}(?:transplant\w*|hsct|bmt)",
)

# A tissue to repair: a marrow or stem-cell transplant for it is a cell therapy ("autologous
# bone marrow stem cell transplantation in spinal cord injury", "core decompression with
# autologous bone marrow implantation" for osteonecrosis) ...
REGEN_TARGET = re.compile(
    r"spinal cord injur\w*|osteonecrosis|avascular necrosis|myocardial infarction|heart failure|"
    r"cardiomyopath\w*|cirrhosis|limb isch\w*|peripheral arter\w* disease|stroke|cerebral palsy|"
    r"non-?union|bone defects?|osteoarthritis|cartilage|diabetic foot|brain injur\w*|"
    r"(?:liver|hepatic) (?:failure|insufficiency)|decompensated liver",
    re.I,
)
# ... unless the record names a blood, immune or cancer disease, which a transplant treats as
# a haematopoietic transplant
HAEM_OR_IMMUNE = re.compile(
    r"leuk\w*|lymphom\w*|myelom\w*|myelodysplas\w*|an(?:a)?emi\w*|thalass\w*|sickle|aplastic|"
    r"immunodeficien\w*|sclerosis|crohn|lupus|autoimmun\w*|cancer|tumou?r|carcinom\w*|"
    r"amyloidosis|neuroblastom\w*|sarcom\w*|graft[- ]versus",
    re.I,
)
# marrow cells implanted or injected, in an intervention or title of such a record
REGEN_CELLS = re.compile(
    r"(?:autologous |autogenous )?bone marrow (?:\w+ )?(?:implant\w*|injection|transplant\w*|"
    r"concentrate|cells?)",
    re.I,
)

# An intervention that is only the graft of a standard transplant ("Umbilical cord blood",
# "peripheral blood stem cells", "donor bone marrow"): not a product of its own when the title
# studies the transplant's regimen. Expanded or engineered grafts have other words.
GRAFT_ONLY = re.compile(
    r"^\W*(?:(?:umbilical|unrelated|double|single|dual|allogeneic|autologous|donor|related|"
    r"haplo-?identical|peripheral blood|mobili[sz]ed|unmanipulated|ha?ematopoietic|"
    r"matched|sibling|cord|or|and|\d+|hpc(?:\(\w\))?)\W+){0,5}"
    r"(?:cord blood|(?:stem|progenitor) cells?|bone marrow(?: cells?)?|pbs?cs?|pbpcs?|grafts?"
    # the graft as the registry's cancer vocabulary (PDQ) lists it in a transplant record:
    # "therapeutic allogeneic lymphocytes" (described as the CD34+ cell dose infused on day 0),
    # and the donor lymphocytes the transplant's protocol gives after it
    r"|(?:therapeutic )?(?:allogeneic|donor) lymphocytes)"
    r"(?:\W+cells?)?(?:\W+(?:units?|(?:allo)?grafts?|transplant\w*|infusions?|transfusion))?\W*$",
    re.I,
)
# Donor lymphocytes given within a standard transplant's protocol (to convert chimerism, on
# relapse): "followed by donor lymphocyte infusion", "donor white blood cell infusions",
# "Donor Lymphocyte Infusion (DLI)", the cancer vocabulary's "therapeutic allogeneic
# lymphocytes"
DONOR_LYMPHOCYTES = re.compile(
    r"\bdonor (?:lymphocytes?|white blood cells?|leukocytes?)(?: infusions?)?\b"
    r"|\bdlis?\b|\b(?:therapeutic )?allogeneic lymphocytes\b"
    # the registry's cancer vocabulary (PDQ) for lymphocytes given within a transplant's protocol
    r"|\bperipheral blood lymphocyte therapy\b",
    re.I,
)
# A transplant whose graft is changed by a gene before it is given is an ex vivo gene therapy:
# the cells given are the product ("Genetically Modified Peripheral Blood Stem Cell
# Transplant"); read on the words the transplant mask hides
ENGINEERED_GRAFT = re.compile(
    r"\b(?:genetically|gene)[- ](?:modified|engineered|transduced)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:stem|progenitor) cells?",
    re.I,
)
# A title that names the conditioning agents given before the transplant it studies
# ("Fludarabine and Cyclophosphamide Followed by Peripheral Stem Cell Transplant")
CONDITIONING_AGENT = re.compile(
    r"\b(?:busulf\w*|fludarabine|melphalan|treosulfan|thiotepa|carmustine|bcnu|beam|"
    r"cyclophosphamide|etoposide|cytarabine|(?:total[- ]body |total[- ]marrow )?irradiation|"
    r"\btbi|alemtuzumab|anti-?thymocyte|\batg)\b",
    re.I,
)

LYMPHODEPLETION = _folded(
    r"lymphodeplet\w*(?: chemotherapy| regimens?)?|preconditioning with fludarabine|\bld regimens?",
)

GENERIC_FAMILIES = {"other", "dendritic", "NK", "T_cell_other"}
PRODUCT_CONTEXT = _folded(
    r"infus|inject|administ|transfus|implant|\bdoses?\b|expanded|engineered|modified|autologous|"
    r"allogeneic|product|therapy|adoptive|manufactur|cells/kg|10\^|x ?10|suspension|transplant"
    r"|\binj\b|microbeads?|encapsulat\w*|\bfor (?:the )?treatment of\b",
)
CODE = re.compile(r"^[a-z]{1,6}[- ]?\d{2,6}[a-z]?\b|^[a-z]+-[a-z]*\d", re.I)

#: The version of these rules. Raise it with any change that can change a label; the atlas's
#: cell-therapy names and codes add their own fingerprint (``atlas_terms.rule_version``).
RULES_VERSION = "16.14"

# A drug trial for a complication of transplant (GvHD treatment, infections…): not the procedure.
HSCT_COMPLICATION = _folded(
    r"(?:treatment|therapy) (?:of|for) (?:\w+ ){0,3}(?:gvhd|graft[- ]versus[- ]host)"
    r"|steroid[- ]refractory|(?:cmv|ebv|infection|mucositis|oral care|nutrition|exercise|quality of"
    r" life|vaccin)",
)

ORIGIN_AUTO = _folded(
    r"\bautologous|\bautologic|patient'?s own|patient[- ]derived|\bauto[- ]|\bauto-?bm\b|"
    r"\bauto-?bm-?mscs?|자가",
)
ORIGIN_ALLO = _folded(
    r"\ballogen(?:e)?ic|\ballo[- ]|donor[- ]derived|off[- ]the[- ]shelf|universal car|\bucart|"
    r"healthy donors?|haplo-?identical|third[- ]party|cord blood|umbilical|wharton|placenta|"
    r"동종|\bipsc|induced pluripotent|embryonic"
    # a donor named with the cells, or a donor tissue named in an abbreviation
    r"|\bdonor\s+(?:[\w-]+\s+){0,5}?(?:cells?|mscs?|lymphocytes?|nk|t[- ]cells?)\b"
    r"(?!\s*transplant)"
    r"|\bamni(?:on|otic)(?:[- ]derived)? (?:epithelial |mesenchymal |stem )*cells?"
    r"|\bh?ucb?-?mscs?\b|\bhucmscs?\b|\bh?umscs?\b|\bwj-?mscs?\b|\bpmd-?mscs?\b",
)

DRUGLIKE_TYPES = {
    "DRUG",
    "DEVICE",
    "BEHAVIORAL",
    "DIETARY_SUPPLEMENT",
    "RADIATION",
    "DIAGNOSTIC_TEST",
    "PROCEDURE",
}

# "ASC" alone (adipose-derived stem/stromal cells): not a stem of its own, since the letters
# are common in other senses (ASC-US, antibody-secreting cells, ascorbate). It names cells in
# an intervention of a record that speaks of fat (ASC_CONTEXT: "ASC enriched lipofilling" in a
# fat-grafting study), or as the whole name of a biological intervention ("ASC" beside fibrin
# glue).
ASC_WORD = re.compile(r"\bascs?\b(?![-/ ]?us\b|-h\b)", re.I)
ASC_CONTEXT = re.compile(
    r"adipose|\bfat\b|lipo(?:filling|aspirat\w*|suction|graft\w*|injection|transfer)|"
    r"\bstromal\b|\bsvf\b",
    re.I,
)
ASC_ALONE = re.compile(r"^\W*ascs?\W*$", re.I)

# Intervention types that never give a product: cells an intervention of this type names are
# measured ("progenitor potential of gingival mesenchymal cells" as a diagnostic test).
MEASURED_TYPES = {"DIAGNOSTIC_TEST"}

STEM_FAMILIES = {
    "MSC": "MSC",
    "HSC": "HSC",
    "iPSC_derived": "iPSC_derived",
    "ESC_derived": "ESC_derived",
    "SVF_or_BMMNC": "tissue_stem",
}




# Literal stems: every cell-product, acellular, transplant and lymphodepletion pattern
# contains one of them. Text without any is not a cell therapy; text with some is only
# searched in windows around them (the regexes are far too slow over whole records).
ANCHORS = frozenset({a for anchors in FAMILY_ANCHORS.values() for a in anchors} | {"cel"})
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
HSCT_ANCHORS = frozenset(
    {"transplant", "graft", "hsct", "hct", "sct", "bmt", "ucbt", "이식", "support", "rescue",
     "reinfusion", "re-infusion", "조혈모"}
)
VIVO_ANCHORS = frozenset(
    {"vivo", "nanopart", "lnp", "gene therapy", "directly into", "mrna encod", "mrna coding",
     "generate car", "generate functional car"}
)
LD_ANCHORS = frozenset({"lymphodeplet", "precondition", "ld regimen"})
WINDOW = 110
