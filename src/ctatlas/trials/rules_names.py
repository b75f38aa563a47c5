"""The trials classifier's rules, part one: what names a cell product.

The phrases that mask diseases and populations containing cell words, each cell family's
pattern with its literal stems (``FAMILY_ANCHORS``; ``ANCHORS`` is their union), the "-cel"
international name stem, the words of a product's origin and the "ASC" abbreviation. What a
mention's context makes of it is :mod:`ctatlas.trials.rules_mention`; all the tables are read
through :mod:`ctatlas.trials.rules`.
"""

from __future__ import annotations

import re

from .fastre import Folded as _folded

# T cells grown as lines against a virus or a tumour ("EBV Specific T-cell Lines", "cytotoxic
# T cell lines") are cells given, not a laboratory's cell lines: the masks of "cell lines" stop
# short of them
_GIVEN_LINES = "".join(
    f"(?<!{who}{sep}t{gap}cell{s} line)(?<!{who}{sep}t{gap}cell{s} lines)"
    for who in ("specific", "cytotoxic") for sep in (" ", "-") for gap in (" ", "-", "")
    for s in ("", "s")
)

# Disease and population phrases that contain cell words but are not products.
MASK = _folded(
    r"\b(?:non[- ]?)?small[- ]cell\b|\b(?:renal|squamous|basal|clear|transitional|merkel|"
    r"hairy|mantle|germ|giant|sickle|plasma|hepatocellular|islet|beta|b|t|nk|nk/t|t/nk|"
    r"natural killer|t-lymphoblastic|large b|large)[- ]?cells?[- ]"
    r"(?:lymphoma|leuka?emia|neoplasm|malignanc\w*|carcinoma|cancer|tumou?r|disease|anemia|"
    r"anaemia|myeloma|dyscrasia|deficien\w*|lymphoproliferative|depletion|aplasia|"
    r"histiocytosis|prolymphocytic|acute|chronic|precursor|non[- ]hodgkin|acute lymphoblastic|"
    r"mediated|inflamed|receptor|maturation|function|count|activation|engager|redirect\w*|"
    r"exhaustion|fitness|immunity|response|epitope|lines?|all\b|lymphoblastic)" + _GIVEN_LINES +
    # cells taken out of a graft, two kinds named together: "T-cell and B-cell Depletion in
    # Allogeneic Peripheral Blood Stem Cell Transplantation"
    r"|\b(?:t|b|nk)[- ]?cells? (?:and|or|/) (?:t|b|nk)[- ]?cells?[- ]deplet\w*"
    # a blood index the cells are counted in: "Lymphocyte to Monocyte Ratio", "Neutrophil/
    # Lymphocyte Ratio"
    r"|\b(?:neutrophil|lymphocyte|monocyte|platelet)s?[- ]?(?:to[- ]|/)(?:neutrophil|lymphocyte|"
    r"monocyte|platelet|high[- ]density)\w*(?: lipoprotein)?[- ]ratios?\b"
    # anti-thymocyte globulin by its other name: "Anti-human T-lymphocyte immunoglobulin"
    r"|\banti-?(?:human )?t[- ]?lymphocyte (?:immuno)?globulin\b"
    r"|\bsickle[- ]cell\b|\bcell[- ]lines?\b" + _GIVEN_LINES +
    r"|\bcell[- ]free dna\b|\bctdna\b|\bcirculat"
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
    # ... a receptor named after the lymphocytes that carry it ("B- and T-Lymphocyte Attenuator
    # (BTLA)", "cytotoxic T-lymphocyte-associated antigen 4")
    r"|\b(?:cytotoxic )?t[- ]lymphocytes?[- ](?:attenuator|associated[- ](?:antigen|protein|"
    r"molecule))"
    # a lymphoma or leukaemia of lymphocytes with the cells glossed or abbreviated inside its
    # name ("T-Cell (a Type of Immune Cell) Lymphoma", "Natural Killer (NK) Cell Lymphoma"),
    # alone or after another cell named with it ("T Cell or Natural Killer (NK) Cell Lymphoma")
    r"|\b(?:(?:t|b|nk)[- ]?cells? (?:or|and|/) )?(?:t|b|nk|natural killer)(?: \(nk\))?[- ]?cells?"
    r"(?: \((?:an? )?(?:type|kind) of [^()]{0,40}\))?[- ](?:lymphoma|leuka?emia|neoplasm|"
    r"malignanc\w*|lymphoproliferative)\w*"
    # cells a drug protects rather than cells given ("protects bone marrow by protecting
    # hematopoietic stem cells and progenitor cells (HSPCs)"; not "HIV-Protected Hematopoietic
    # Stem Cells", which are given)
    r"|(?<![\w-])protect(?:s|ing)?\s+(?:[\w-]+\s+){0,6}?(?:ha?ematopoietic\s+)?"
    r"(?:stem|progenitor)(?:\s+and\s+progenitor)?\s+cells?"
    r"(?:\s+(?:and|or)\s+progenitor\s+cells?)?(?:\s+\(hspcs?\))?"
    # diseases of dendritic cells ("Blastic Plasmacytoid Dendritic Cell Neoplasm", "follicular
    # dendritic cell sarcoma")
    r"|\bdendritic[- ]cells?[- ](?:neoplasm|sarcoma|tumou?r|leuka?emia|malignanc)\w*"
    # cells worked on in a laboratory ("intervention on primary cultured cells")
    r"|\bprimary (?:cultured |cell )?cells?\b|\bcultured primary cells?\b"
    # what is counted in or done to a transplant's graft: "impact of CD34+ cell dose on
    # progression-free survival following ... autologous stem cell transplantation",
    # "CD34+ cell selection" (graft engineering)
    r"|\bcd34\+?[- ]?(?:positive )?cells? (?:dose|selection|count|content|yield|enumeration)s?\b"
    # ... and the device that selects the graft's stem cells ("Isolex 300i Stem Cell Selection"
    # in a marrow transplant protocol)
    r"|\bstem cells? selection\b",
)

MASK_ANCHORS = frozenset(
    {"cell", "mobili", "stimulator", "car", "ctdna", "eto", "factor", "ratio", "globulin",
     "attenuator", "lymphocyte-associated", "lymphocyte associated", "lymphocytes-associated",
     "lymphocytes associated"}
)

# how far a masked phrase reaches beyond the stem it contains ("mobilization of peripheral
# blood stem cells" is the longest: ~45 characters)
MASK_REACH = 80

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
    # "NK Immunotherapy" listed as a biological, a "Natural Killer Mixture": NK cells given
    r"|\bnk[- ](?:cells?[- ])?immunotherap\w*"
    r"|natural killer (?:mixture|immunotherap\w*|infusion)s?\b"
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
    r"mscs?\b|cells?\b)|\bmsc\b|multipotent adult progenitor|\bmapcs?\b"
    # (a donor's stem cell product is a transplant's graft, not an MSC: rules 16.23)
    r"|(?<!donor )stem cell product"
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
    # marrow implanted in a tissue it repairs ("core decompression with autologous bone marrow
    # implantation" for osteonecrosis of the femoral head)
    r"|bone marrow implant\w*"
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
    r"|\brpe (?:cells?|patch)|\bholoclar"
    # cells of the mouth's lining grown for a graft ("Tissue-engineered Construct Based on
    # Buccal Mucosa Cells", "oral mucosal epithelial cells")
    r"|\b(?:buccal|oral)[- ]mucos(?:a|al)[- ](?:epithelial[- ])?cells?",
    "islet": r"islet (?:cells? )?(?:transplant\w*|infusion|allotransplant\w*)|islets of langerhans"
    r"|\bislets?\b(?! cell (?:tumou?r|carcinoma))(?! (?:function|autoantibod|antibod|dysfunction"
    r"|failure|autoimmun|cell function|beta))|lantidra",
    "other": r"\b[a-z]+-?stem\b(?<!system)(?<!brainstem)(?<!brain-stem)(?<!mainstem)"
    r"|\bseeded cells?"
    r"|\b(?:autologous|allogene?ic|autologic) (?:[\w-]+ ){0,3}?cells?\b|\bregenerative cells?"
    r"|\b(?:autologous|allogene?ic|donor|adoptive) (?:[\w-]+ ){0,2}?cellular (?:immuno)?therap\w*"
    # a cell therapy the title names by the development code that follows ("the Investigational
    # Cellular Therapy GCAR1"; rules 16.22)
    r"|\bcell(?:ular)? therap(?:y|ies)(?= [a-z]{1,6}-?\d)"
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
    r"dermis|dermal|tissue|cord|ucb)(?: \((?:adipose|fat|tissue)\))?[- ](?:tissue[- ])?derived "
    r"(?:[\w-]+ )?cells?\b"
    # cells released by a listed product or prepared before they are given ("Cytokine-treated
    # Veto Cells", "veto cells")
    r"|\bveto cells?\b|\b(?:cytokine|ex[- ]vivo)[- ](?:treated|primed|activated|expanded) "
    r"(?:[\w-]+ ){0,2}?cells?\b"
    # living cells in a capsule that release a factor ("Encapsulated Cell Biodelivery of Nerve
    # Growth Factor", "encapsulated cell technology")
    r"|\bencapsulated (?:[\w-]+ )?cells?\b"
    # a donor graft made as a product ("Engineered Donor Graft (Orca Q)", "a centrally
    # manufactured engineered donor graft"), not a graft only selected or depleted
    r"|\bengineered (?:donor |allogeneic |ha?ematopoietic )?grafts?\b"
    # ... its cells named before the donor graft ("Partially Engineered T-regulatory Cell Donor
    # Graft TRGFT-201", Orca-T; rules 16.23)
    r"|\bengineered (?:[\w-]+ ){0,2}?cells? (?:donor )?grafts?\b"
    # a product the record calls tissue-engineered, an advanced therapy class made of cells or
    # tissues ("MesoCellA-Ortho Tissue-Engineered Advanced Therapy Product"; rules 16.24)
    r"|\btissue[- ]engineered (?:[\w-]+ ){0,2}?products?\b"
    # monocytes or macrophages that carry a chimeric antigen receptor ("CAR-monocytes",
    # CT-0525; rules 16.23): cells of their own, not a CAR-T (:data:`CAR_MYELOID`)
    r"|\bcar[- ]?(?:engineered |modified )?(?:monocytes?|macrophages?)\b"
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

# a CAR carried by monocytes or macrophages ("CAR-monocytes", "CAR macrophages"): the family
# stays ``other`` (no family of the atlas's is theirs; rules 16.23), never a CAR-T
CAR_MYELOID = _folded(r"\bcar[- ]?(?:engineered |modified )?(?:monocytes?|macrophages?)\b")

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
                     "marrow concentrat", "marrow graft", "marrow aspirate", "marrow implant",
                     "bmac", "bone marrow cell", "간질"),
    "HSC": ("cd34", "haematopoietic stem", "hematopoietic stem", "cord blood", "omidubicel",
            "hspc", "genetically modified", "genetically-modified", "gene-modified",
            "gene modified", "hematopoietic progenitor", "haematopoietic progenitor",
            "myeloid progenitor"),
    "chondrocyte": ("chondro", "maci", " aci", "(aci", "연골세포"),
    "keratinocyte_or_epithelial": ("keratin", "epiderm", "limbal", "epitheli", "cell sheet",
                                   "retinal pigment", "rpe", "holoclar", "mucos"),
    "islet": ("islet", "langerhans", "lantidra"),
    "other": ("stem", "progenitor", "cell", "fibroblast", "myoblast", "hepatocyte",
              "cardiomyocyte", "macrophag", "neural", "dopaminergic", "neuron", "lymphocyte",
              "cord blood", "megakaryocyte", "lymphodeplet", "precondition", "세포", "줄기",
              "engineered", "monocyte"),
}

# Literal stems: every cell-product, acellular, transplant and lymphodepletion pattern
# contains one of them. Text without any is not a cell therapy; text with some is only
# searched in windows around them (the regexes are far too slow over whole records).
ANCHORS = frozenset({a for anchors in FAMILY_ANCHORS.values() for a in anchors} | {"cel"})

# "-cel" INN stem (cell therapies): tisagenlecleucel, darvadstrocel, lifileucel, omidubicel…
INN_CEL = _folded(r"\b[a-z]{4,}(?:leucel|cel)\b|\b[a-z]{3,5}-cel\b")

# (and brand names of drugs that end so: "SPRYCEL", dasatinib)
NOT_INN = {"excel", "cancel", "parcel", "marcel", "hotel", "novel", "panel", "channel", "sprycel"}

GENERIC_FAMILIES = {"other", "dendritic", "NK", "T_cell_other"}

CODE = re.compile(r"^[a-z]{1,6}[- ]?\d{2,6}[a-z]?\b|^[a-z]+-[a-z]*\d", re.I)

STEM_FAMILIES = {
    "MSC": "MSC",
    "HSC": "HSC",
    "iPSC_derived": "iPSC_derived",
    "ESC_derived": "ESC_derived",
    "SVF_or_BMMNC": "tissue_stem",
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
