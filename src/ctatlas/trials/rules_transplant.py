"""The trials classifier's rules, part four: haematopoietic transplants and lymphodepletion.

A transplant as the object of a study (with its literal stems, ``HSCT_ANCHORS``), its
regimen, a transplant of marrow to repair a tissue, a graft given only as part of a standard
transplant, donor lymphocytes given within one, an engineered graft, conditioning agents,
complications, and lymphodepletion (its stems, ``LD_ANCHORS``). Read through
:mod:`ctatlas.trials.rules`.
"""

from __future__ import annotations

import re

from .fastre import Folded as _folded

# A haematopoietic transplant as the object of study.
HSCT = _folded(
    r"(?:ha?ematopoietic|blood|peripheral blood|bone marrow|cord blood|stem)[- ](?:stem[- ])?"
    r"(?:and progenitor )?cells? transplant\w*|\bhsct\b|\ballo-?hsct\b|\bauto-?hsct\b|\bhct\b(?!/p)"
    r"|\ballo-?hct\b|\bsct\b|\ballo-?sct\b|\basct\b|bone marrow transplant\w*|\bbmt\b"
    r"|\b(?:allo-?)?pbsct\b"
    r"|(?:haplo-?identical|haplo|allogene?ic|autologous|cord blood|unrelated donor|"
    r"matched (?:sibling|unrelated)) (?:stem cell |bone marrow |ha?ematopoietic (?:stem )?cell |)"
    r"transplant\w*|\ballogeneic cell transplant\w*|\b[ds]?ucbt\b|\b[ds]?ucb transplant\w*|"
    r"조혈모세포 ?이식|자가 ?조혈모|haplo-hsct"
    # a transplant named by what it does after high-dose therapy: "bone marrow ablation with
    # stem cell support", "peripheral blood stem cells (PBSC) support", "reinfusion of one's own
    # stem cell"; a stored graft given back for poor blood counts: "Autologous Hematopoietic
    # Stem Cell Boost" (rules 16.19)
    r"|(?:peripheral blood |autologous |ha?ematopoietic )?stem cells?(?: \(pbscs?\))? "
    r"(?:support|rescue|boost)|\bpbscs? (?:support|rescue)"
    r"|(?:re-?)?infusion of (?:the )?(?:patient'?s'? |patients'? |one'?s |their )?own "
    r"(?:ha?ematopoietic |"
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
    # ... or by its donor: "HLA Haploidentical Related Donor Stem Cell Grafts"
    r"|\bdonor (?:ha?ematopoietic )?stem cells? grafts?\b"
    # ... or as the graft's labelling name has it: "HPC(A) stem cell allograft"
    r"|(?<!limbal )(?<!neural )(?<!mesenchymal )stem cells? allografts?\b"
    # two graft sources joined: "Autologous Stem Cell or Bone Marrow Transplant"
    # the graft's source before the transplant: "Umbilical Cord Blood Allogeneic Stem Cell
    # Transplantation" (with a haploidentical one, in a graft-source study)
    r"|(?:umbilical )?cord blood (?:allogeneic |autologous )?(?:ha?ematopoietic )?stem cells? "
    r"transplant\w*"
    r"|(?:(?:autologous|allogeneic) )?(?:peripheral blood )?stem cells? (?:or|and) bone marrow "
    r"transplant\w*"
    # a graft named by how it was made, given for a transplant: "Megadose CD34 Selected
    # Progenitor Cells for Transplantation", "T-cell Depleted Haplo-Identical Stem Cells for
    # Patients Receiving ... Cord Blood Transplants"
    r"|(?:t[- ]cell[- ]depleted|cd34\+?[- ]selected)\s+(?:[\w-]+\s+){0,3}?(?:stem|progenitor) "
    r"cells? for (?:[\w-]+ ){0,8}?transplant\w*",
)

# Literal stems of HSCT: every match holds one (the engine runs it only near one)
HSCT_ANCHORS = frozenset(
    {"transplant", "graft", "hsct", "hct", "sct", "bmt", "ucbt", "이식", "support", "rescue",
     "reinfusion", "re-infusion", "조혈모", "own stem", "own hematopoietic", "own haematopoietic",
     "own peripheral", "boost"}
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

# A drug trial for a complication of transplant (GvHD treatment, infections…): not the procedure.
HSCT_COMPLICATION = _folded(
    r"(?:treatment|therapy) (?:of|for) (?:\w+ ){0,3}(?:gvhd|graft[- ]versus[- ]host)"
    r"|steroid[- ]refractory|(?:cmv|ebv|infection|mucositis|oral care|nutrition|exercise|quality of"
    r" life|vaccin)",
)

# A tissue to repair: a marrow or stem-cell transplant for it is a cell therapy ("autologous
# bone marrow stem cell transplantation in spinal cord injury", "core decompression with
# autologous bone marrow implantation" for osteonecrosis) ...
REGEN_TARGET = re.compile(
    r"spinal cord injur\w*|osteonecrosis|avascular necrosis|myocardial infarction|heart failure|"
    r"cardiomyopath\w*|cirrhosis|limb isch\w*|peripheral arter\w* disease|stroke|cerebral palsy|"
    r"non-?union|bone defects?|osteoarthritis|cartilage|diabetic foot|brain injur\w*|"
    r"(?:liver|hepatic) (?:failure|insufficiency)|decompensated liver"
    # the inner ear ("Autologous Bone Marrow Harvest and Transplant for Sensorineural Hearing
    # Loss")
    r"|hearing loss|deafness",
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
    r"(?:autologous |autogenous )?bone marrow (?:\w+ )?(?:implant\w*|injection|infusion|"
    r"transplant\w*|concentrate|cells?)",
    re.I,
)

# An intervention that is only the graft of a standard transplant ("Umbilical cord blood",
# "peripheral blood stem cells", "donor bone marrow"): not a product of its own when the title
# studies the transplant's regimen. Expanded or engineered grafts have other words.
GRAFT_ONLY = re.compile(
    r"^\W*(?:(?:umbilical|unrelated|double|single|dual|allogeneic|autologous|donor|related|"
    r"haplo-?identical|peripheral blood|mobili[sz]ed|unmanipulated|ha?ematopoietic|"
    r"matched|sibling|cord|or|and|\d+|hpc(?:\(\w\))?|megadose|of|cd34\+?|selected)\W+){0,5}"
    r"(?:cord blood|(?:stem|progenitor) cells?|bone marrow(?: cells?)?|pbs?cs?|pbpcs?|grafts?"
    # the graft as the registry's cancer vocabulary (PDQ) lists it in a transplant record:
    # "therapeutic allogeneic lymphocytes" (described as the CD34+ cell dose infused on day 0),
    # and the donor lymphocytes the transplant's protocol gives after it
    r"|(?:therapeutic )?(?:allogeneic|donor) lymphocytes"
    # ... and a graft named by the cells it was selected for ("Haploidentical donor CD34+
    # cells" beside the device that selects them)
    r"|cd34\+?(?:[- ]selected)? cells?)"
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

# ... and of LYMPHODEPLETION
# (and "fludara", the agent by itself or as its brand "Fludara": a record that lists a code with
# fludarabine and cyclophosphamide, "KITE-222", may hold no other stem, and the classifier's first
# check would pass it over)
LD_ANCHORS = frozenset({"lymphodeplet", "precondition", "ld regimen", "fludara"})
