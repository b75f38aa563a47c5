"""What a study gives the people who receive a cell therapy, and whether it gives anything
(rules 16.22, written against held-out set 6's errors under the lead's two conventions of
session 14, ``tests/fixtures/trials/README.md``, "Conventions settled in session 14").

One concern: the checks :mod:`ctatlas.trials.classify` asks once its mention loop has read a
record, to tell a study *of* a cell therapy from a study of something given *to* its
recipients:

- :func:`randomised_agent`: the cells in every arm and an agent randomised beside them, the
  agent named first in the title (convention 1: ``not_cell``);
- :func:`given_beside_generic`: a cell therapy the title names only generically and listed
  interventions that are all something else given (a drug, a supplement, an app) (convention 1);
- :func:`bridging_before`: a bridging or maintenance therapy the title names before a cell
  therapy it names only generically (convention 1);
- :func:`product_in_regimen`: a recognised product the title names beside another agent, with
  nothing saying the agent is the question (a single-arm combination: the product is studied);
- :func:`effects_observed`: an observational study of a cell therapy's effects in the people
  who received it, nothing given, not its costs nor its samples (convention 2:
  ``cell_therapy``); the wording model may not take such a study away
  (:mod:`ctatlas.trials.wording_rule`);

and two the mention loop asks of one mention: :func:`abbreviation_listed` (cells a title names
and a listed intervention gives by their abbreviation) and :func:`spelled_otherwise` (an acronym
of something else that holds a cell family's letters).

Rules 16.24 (held-out set 7's errors, read in session 15 after its final figure; ``benchmarks/
TRIALS.md`` (z10)) add, by the same conventions:

- :func:`drugs_or_samples_listed`: every listed intervention shows itself a drug by its form or
  class ("Tazemetostat Pill", "BTK inhibitor") or takes samples, beside a cell therapy the title
  names generically (convention 1: ``not_cell``); an unexplained name ("SBT777101") never counts;
- :func:`agent_question`: what makes an agent beside a recognised product the question, now a
  randomised design too (and "works by preventing the action of" no longer reads as one);
- :func:`bridging_studied`: a summary that states its question as a bridging therapy before a
  product named by its own name (convention 1);
- :func:`regimen_studied`: a title that joins a listed agent to a listed cell therapy as one
  regimen, nothing saying the agent is the question (convention 1's exception: the wording model
  may not take it away);

and :func:`effects_observed` no longer reads a study that only takes samples as one of the
product's effects (the lead's convention 3 of session 15: answered in the laboratory).
"""

from __future__ import annotations

import re

from .classify_text import _masked, _snippet
from .record import Trial
from .rules import (
    AGENT_QUESTION,
    ANTIRETROVIRAL,
    BRIDGE_BEFORE,
    BRIDGING,
    BRIDGING_STUDIED,
    CELL_THERAPY_NAMED,
    CELL_WORD,
    CODE,
    COST_STUDY,
    DRUG_NAMED,
    EFFECTS_STUDIED,
    FAMILY_ORDER,
    FAMILY_RE,
    GIVEN_THING,
    GIVEN_TYPES,
    HSCT,
    IN_VIVO_CAR,
    INN_CEL,
    JOINED_BEFORE,
    LD_AGENT,
    MEASURED_TYPES,
    NAMED_PRODUCT,
    NO_INTERVENTION,
    NO_TREATMENT_GIVEN,
    NOTHING_GIVEN,
    OTHER_AGENT,
    RANDOMISED,
    SAMPLE_STUDY,
    SAMPLES_TAKEN,
    STANDARD_CARE,
    WITH_OR_WITHOUT,
)

__all__ = [
    "abbreviation_listed", "agent_question", "bridging_before", "bridging_studied",
    "coded_cells", "drugs_or_samples_listed", "effects_observed", "given_beside_generic",
    "given_to_recipients", "observed_positive", "product_in_regimen", "randomised_agent",
    "regimen_studied", "spelled_otherwise",
]


def _names_cells(name: str) -> bool:
    """Whether an intervention's name names cells (a cell therapy or a cell family)."""
    masked = _masked(name)
    return bool(CELL_THERAPY_NAMED.search(masked)) or any(
        FAMILY_RE[f].search(masked) for f in FAMILY_ORDER
    )


def randomised_agent(trial: Trial, title: str, title_first: int | None) -> str | None:
    """The agent of a study that gives the cells in every arm and randomises an agent beside
    them, named in the title before the cells ("Rimegepant Plus Glofitamab and CD19 CAR-T
    Therapy", "randomized to receive glofitamab plus CD19 CAR-T cell therapy with or without
    rimegepant"); None otherwise. A comparison the title names after the cells ("BCMA CAR T
    Cells With or Without Lenalidomide") studies the cells."""
    if not title_first:
        return None
    head = title[:title_first].lower()
    for text in (title, trial.summary or ""):
        for m in WITH_OR_WITHOUT.finditer(text):
            agent = m.group(1).lower()
            if len(agent) >= 4 and not CELL_WORD.search(agent) and agent in head:
                return m.group(0)
    return None


#: The registry types no cell product is listed under
_NEVER_CELLS = frozenset({"DIETARY_SUPPLEMENT", "DEVICE", "BEHAVIORAL", "RADIATION"})


def bridging_before(title: str, title_first: int | None) -> bool:
    """Whether the title names a bridging or maintenance therapy before the cell therapy it names
    first ("Chidamide Bridging for CAR-T Therapy", "Mitoxantrone ... Bridging Regimen and CD19-
    targeting CAR-T Therapies"): what is given to the recipients is studied (the lead's
    convention 1). Not where the cells are a product of their own ("Talquetamab Bridging
    Therapy Followed by Ciltacabtagene Autoleucel") nor where a transplant is bridged to or from
    ("Haploidentical Transplantation Bridging With CAR-T", "CAR-T Bridging to HSCT")."""
    if not title_first:
        return False
    head = title[:title_first]
    if NAMED_PRODUCT.search(title) or INN_CEL.search(title) or HSCT.search(head):
        return False
    return bool(BRIDGE_BEFORE.search(head))


# a target antigen before a cell word, not a development code ("anti-CD19 CAR-T cells")
_TARGET = re.compile(r"^(?:anti[- ]?)?(?:cd|il|her|gd|car|bcma)[- ]?\d*\b", re.I)


def coded_cells(names: list[str]) -> bool:
    """Whether one of the listed cell interventions ``names`` is a development code of its
    own ("ALLO-501A", "PCAR-119"), not a target antigen ("Anti-CD19 CAR-T cells")."""
    return any(CODE.search(n) and not _TARGET.match(n) for n in names)


def given_beside_generic(trial: Trial, title: str, coded: list[str], observational: bool) -> bool:
    """Whether an interventional study whose title names a cell therapy only generically ("BHB &
    CAR-T for Lymphomas", "CAR T-cell Therapy in Patients With Renal Dysfunction") lists only
    interventions that are something else given: a supplement, a device, a behaviour or
    radiation by their registry type, an app, a programme or a diet by name ("Web Application"),
    or the lymphodepleting drugs alone (fludarabine, cyclophosphamide, bendamustine). Any other
    drug may be given with the cells as one regimen whose cells the registry did not list
    ("Epcoritamab-CAR T Cells", lenalidomide listed), which the lead's convention makes a study
    of the cells. Never where a listed name is a development code (``coded``) of a type cells
    may be listed under (it may be the cells: "CYAD-02" beside fludarabine; a supplement's
    "R-1,3-Butanediol" is not) or names cells, nor where the title names a product of its own
    ("liso-cel")."""
    if observational or not trial.interventions or not CELL_THERAPY_NAMED.search(_masked(title)):
        return False
    drugs = [
        iv for iv in trial.interventions if (iv.get("type") or "").strip().upper() == "DRUG"
    ]
    if drugs and not all(LD_AGENT.search(iv.get("name") or "") for iv in drugs):
        return False  # a drug named beside the cells may be given with them as one regimen
    if any(
        (iv.get("type") or "").strip().upper() not in _NEVER_CELLS
        for iv in trial.interventions
        if (iv.get("name") or "").strip().lower() in coded
    ):
        return False
    if NAMED_PRODUCT.search(title) or INN_CEL.search(title):
        return False
    for iv in trial.interventions:
        name = iv.get("name") or ""
        kind = (iv.get("type") or "").strip().upper()
        if _names_cells(name):
            return False
        if kind not in GIVEN_TYPES and not GIVEN_THING.search(name):
            return False
    return True


def product_in_regimen(trial: Trial, title: str, products: list[str]) -> bool:
    """Whether the title names a listed recognised product by its own name (``products``: the
    atlas's names and codes found in both, or a "-cel" international name) beside another
    agent, and the record gives no sign that the agent is the question (its dose, a placebo, a
    comparison, a toxicity it prevents: :data:`~ctatlas.trials.rules.AGENT_QUESTION`; nor a
    title that names an agent placed around the cells, steroids or radiotherapy
    (:data:`~ctatlas.trials.rules.OTHER_AGENT`), or a bridging or maintenance therapy:
    "Talquetamab Bridging Therapy Followed by Ciltacabtagene Autoleucel"):
    "Acalabrutinib + Liso-Cel", a single-arm combination, studies the product in a new
    regimen; "Study of Lenzilumab and Axicabtagene Ciloleucel" whose summary seeks "the most
    appropriate dose of lenzilumab" studies the agent."""
    named = bool(products) or bool(NAMED_PRODUCT.search(title) or INN_CEL.search(title))
    if not named or OTHER_AGENT.search(title) or BRIDGE_BEFORE.search(title):
        return False
    return not agent_question(trial, title)


def effects_observed(trial: Trial, title: str) -> bool:
    """Whether an observational study follows a cell therapy its title names into the people who
    received it and gives nothing: its listed interventions (if any) only assess, test, ask or
    read records, or are the cell therapy itself (a record without a study type, as the
    flattened API rows are, must list at least one, all of these kinds), or its summary says it
    gives no treatment ("Fatigue assessment", "Electronic Health Record Review"), and its title
    counts no costs, takes no samples, markers or images (those are ``other`` and ``lab``),
    names an effect it studies (:data:`~ctatlas.trials.rules. EFFECTS_STUDIED`: outcomes,
    toxicity, quality of life, cognition...) and names nothing given around the cells (a
    vaccine, radiotherapy, a prophylaxis, a bridging therapy:
    :data:`~ctatlas.trials.rules.OTHER_AGENT`). Sarcopenia and geriatric assessment in patients
    undergoing CAR-T, cardiovascular events after it, prognostic models of its response and
    toxicity: the product's effects are what is studied."""
    kind = (trial.study_type or "").lower()
    if kind and not kind.startswith("observ"):
        return False
    if not kind and not trial.interventions:
        return False  # (a record that says neither: its listed interventions must tell)
    if not CELL_THERAPY_NAMED.search(title) or not (
        EFFECTS_STUDIED.search(title) or EFFECTS_STUDIED.search(trial.summary or "")
    ):
        return False
    head = " ".join([title, *(iv.get("name") or "" for iv in trial.interventions)])
    told = (title + " " + (trial.summary or "")).lower()
    if IN_VIVO_CAR.search(head) or _IN_VIVO.search(head) or ANTIRETROVIRAL in told:
        return False  # CAR cells made in the body; "cART", antiretroviral therapy
    if (
        COST_STUDY.search(title) or SAMPLE_STUDY.search(title) or BRIDGING.search(title)
        # (an image of the recipients' own organs is of the product's effects: "Magnetic
        # Resonance Imaging in Immune Effector Cell-Associated Neurotoxicity Syndrome")
        or any(m.group(0).lower() != "imaging" for m in OTHER_AGENT.finditer(title))
    ):
        return False
    if trial.interventions and all(
        SAMPLES_TAKEN.match(iv.get("name") or "") for iv in trial.interventions
    ):
        return False  # only samples taken: answered in the laboratory (convention 3, 16.24)
    if NO_TREATMENT_GIVEN.search(trial.summary or ""):
        return True  # "participating in the study does not involve receiving any treatment"
    for iv in trial.interventions:
        name = iv.get("name") or ""
        if NO_INTERVENTION.match(name) or NOTHING_GIVEN.search(name):
            continue
        if _names_cells(name) and not CODE.search(name.strip()):
            continue
        return False
    return True


def given_to_recipients(
    trial: Trial,
    title: str,
    title_first: int,
    coded: list[str],
    observational: bool,
    title_positive: bool,
    has_cell_intervention: bool,
    cell_ivs: list[str],
) -> tuple[str, str] | None:
    """Where the record says that what a study gives the recipients of a cell therapy is what
    it studies (the lead's convention 1), the evidence to show for it (field, words); None
    otherwise. In order: an agent randomised beside the cells the title names after it
    (:func:`randomised_agent`; not where a listed name is a development code, ``coded``), a
    bridging or maintenance therapy before them (:func:`bridging_before`; not where a listed
    cell intervention, ``cell_ivs``, is a code of its own), and listed interventions that are
    all something else given beside a cell therapy the title names only generically
    (:func:`given_beside_generic`; only where no intervention names cells)."""
    if title_positive and not coded and (agent := randomised_agent(trial, title, title_first)):
        return ("record", agent)
    head = ("title", _snippet(title, 0, min(len(title), 60)))
    if bridging_before(title, title_first) and not coded_cells(cell_ivs):
        return head
    if title_positive and not has_cell_intervention and given_beside_generic(
        trial, title, coded, observational
    ):
        return head
    return None


def observed_positive(trial: Trial, title: str) -> tuple[str, str, str] | None:
    """The title's mention of the cell therapy (field, snippet, words) of an observational
    study of its effects (:func:`effects_observed`), to count as the rules' positive; None
    otherwise."""
    if not effects_observed(trial, title):
        return None
    named = CELL_THERAPY_NAMED.search(title)
    return ("title", _snippet(title, named.start(), named.end()), named.group(0))


# "In Vivo ... CAR-T": the cells made inside the body (the rules' fuller check is IN_VIVO_CAR)
_IN_VIVO = re.compile(r"\bin[- ]vivo\b", re.I)

# "Endometrial Regenerative Cells (ERC)": the abbreviation a title gives its cells
_ABBREVIATION = re.compile(r"\s*\(([A-Za-z][A-Za-z0-9-]{1,9})\)")


def abbreviation_listed(text: str, end: int, iv_named: list[tuple[str, str]]) -> bool:
    """Whether the cells a title names up to ``end`` are followed by their abbreviation in
    brackets and a listed intervention's name (``iv_named``: lower-cased names with their
    registry types) holds that abbreviation as a word, in an intervention not of a type that
    measures ("Endometrial Regenerative Cells (ERC)", "Administration of ERC" listed): the
    listed intervention gives the cells the title names."""
    m = _ABBREVIATION.match(text, end)
    if not m:
        return False
    word = re.compile(rf"\b{re.escape(m.group(1).lower())}\b")
    return any(word.search(n) for n, kind in iv_named if kind not in MEASURED_TYPES)


_WORDS = re.compile(r"[A-Za-z][\w'’]*")
# an acronym that ends in the letters of mesenchymal stem cells after one to five capitals
_GLUED_MSC = re.compile(r"[A-Z]{1,5}MSCs?")


def spelled_otherwise(token: str, text: str) -> bool:
    """Whether ``token``, an acronym of capitals glued to "MSC" matched as a cell product
    ("SMSC"), is spelled out in ``text`` by words whose initials it is and which name no cell
    product ("the Swiss Multiple Sclerosis Cohort"): an acronym of something else that holds
    a cell family's letters. "BMSC" spelled "bone marrow stromal cells" stays the cells."""
    if not _GLUED_MSC.fullmatch(token):
        return False
    n = len(token)
    words = _WORDS.findall(text)
    for i in range(len(words) - n + 1):
        run = words[i : i + n]
        if "".join(w[0] for w in run).upper() == token and not all(w.isupper() for w in run):
            spelled = " ".join(run)
            if not any(FAMILY_RE[f].search(spelled) for f in FAMILY_ORDER):
                return True
    return False


# Rules 16.24 (held-out set 7's errors, read in session 15 after its final figure at rules
# 16.23; ``benchmarks/TRIALS.md`` (z10)).


def drugs_or_samples_listed(trial: Trial) -> bool:
    """Whether the record lists interventions and each one shows itself a drug by its dosage
    form or class ("Tazemetostat Pill", "Diammonium glycyrrhizinate Capsules", "BTK inhibitor":
    :data:`~ctatlas.trials.rules.DRUG_NAMED`) or only takes samples ("Bone marrow and blood
    sampling"), at least one of them a drug, none naming cells and none of a type a cell
    product is listed under (biological, genetic). A name that shows neither ("SBT777101",
    "lenalidomide" in a flattened row that carries no types) is never counted a drug: it may be
    the cells, or a drug given with them as one regimen."""
    if not trial.interventions:
        return False
    drug = False
    for iv in trial.interventions:
        name = iv.get("name") or ""
        if (iv.get("type") or "").strip().upper() in ("BIOLOGICAL", "GENETIC") or _names_cells(
            name
        ):
            return False
        if DRUG_NAMED.search(name):
            drug = True
        elif not SAMPLES_TAKEN.match(name):
            return False
    return drug


def agent_question(trial: Trial, title: str) -> bool:
    """Whether the record says that an agent named beside a recognised product is the study's
    question: its dose, a placebo, a comparison or a toxicity it prevents
    (:data:`~ctatlas.trials.rules.AGENT_QUESTION`, in the title or summary; "works by preventing
    the action of" describes a drug, not a question), or a randomised design (the product given
    in every arm: :data:`~ctatlas.trials.rules.RANDOMISED`; rules 16.24)."""
    told = " ".join([title, trial.summary or ""])
    return bool(AGENT_QUESTION.search(told) or RANDOMISED.search(told))


def regimen_studied(trial: Trial, title: str) -> bool:
    """Whether the title joins a listed agent to a cell therapy as one regimen ("Zanubrutinib
    and CAR T-cell Therapy for ...", "Chimeric Antigen Receptor T-Cell Therapy" and
    "Zanubrutinib" listed), a listed intervention names the cells, and nothing says the agent is
    the question (:func:`agent_question`; no bridging, maintenance or agent placed around the
    cells in the title, no cell therapy the record calls standard of care): a single-arm
    combination studied as a whole (convention 1's exception), which the wording model may not
    take away."""
    masked = _masked(title)
    m = CELL_THERAPY_NAMED.search(masked)
    if not m or not JOINED_BEFORE.search(masked[: m.start()]):
        return False
    head = title[: m.start()].lower()
    if OTHER_AGENT.search(title) or BRIDGE_BEFORE.search(title) or agent_question(trial, title):
        return False
    if STANDARD_CARE.search(" ".join([title, trial.summary or ""])):
        return False
    names = [(iv.get("name") or "").strip() for iv in trial.interventions]
    agent = any(len(n) >= 4 and not _names_cells(n) and n.lower() in head for n in names)
    return agent and any(_names_cells(n) for n in names)


def bridging_studied(trial: Trial, cell_names: list[str]) -> tuple[str, str] | None:
    """The summary's words, where it states its question as a bridging therapy given before a
    recognised product ("to assess the clinical efficacy of bridging therapy with glofitamab/
    gemcitabine/oxaliplatin (Glofit-GemOx) followed by lisocabtagene maraleucel":
    :data:`~ctatlas.trials.rules.BRIDGING_STUDIED`) and every listed cell intervention
    (``cell_names``, the lymphodepletion left out) is a product by its own name ("-cel",
    "-leucel"): what is given to the product's recipients is studied (convention 1); None
    otherwise, and never beside cells of the study's own."""
    if not cell_names or not all(
        NAMED_PRODUCT.search(n) or INN_CEL.search(n) for n in cell_names
    ):
        return None
    summary = trial.summary or ""
    m = BRIDGING_STUDIED.search(summary)
    return ("summary", _snippet(summary, m.start(), m.end())) if m else None
