"""The findings' words in the reader's language: titles, claims, the computed sentence, the
counted labels and the breakdown's headings and row labels.

A :class:`~ctatlas.analysis.findings.Finding` is computed in English (the JSON and the
English pages keep it as it is). The wording here is the same English, written once more as
message-catalogue templates with named placeholders (``%(num)d of %(den)d ...``), so pages
and documents can show it in Japanese or Korean through the catalogues
(``ctatlas/locale``). A test renders every finding in English through these templates and
compares with the computed text, so the two never drift apart.

    >>> from ctatlas.report.texts import local_finding  # doctest: +SKIP
    >>> local_finding(finding, "ja").statement  # doctest: +SKIP
    '市販されている細胞製品 40 件のうち 21 件(53%)が自家 ...'
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ctatlas import labels
from ctatlas.i18n import translations

__all__ = [
    "REPORT_WORDS",
    "LocalBreakdown",
    "LocalFinding",
    "local_finding",
    "local_findings",
    "exclusion_reason",
    "table_description",
    "table_note",
    "translate",
]


def N_(message: str) -> str:
    """Marks a string for the message catalogues (translated where it is shown)."""
    return message


#: The computed sentence of each finding, without its verdict: ``%(num)d``, ``%(den)d``,
#: ``%(pct)s`` (a share such as 53%, or "n/a").
FACTS: dict[str, str] = {
    "autologous_share": N_("%(num)d of %(den)d marketed cell products (%(pct)s) are autologous"),
    "mesenchymal_share@asia": N_(
        "%(num)d of %(den)d marketed stem-cell products in Asia (%(pct)s) are mesenchymal"
    ),
    "mesenchymal_share@all": N_(
        "%(num)d of %(den)d marketed stem-cell products in all selected jurisdictions "
        "(%(pct)s) are mesenchymal"
    ),
    "allogeneic_over_time": N_(
        "%(num)d of %(den)d cell products ever approved (%(pct)s) are allogeneic; the "
        "breakdown shows the cumulative share by year of first approval."
    ),
    "conditional_vs_standard": N_(
        "%(num)d of %(den)d authorizations of cell products (%(pct)s) were conditional "
        "approvals."
    ),
    "withdrawals_and_lapses": N_(
        "%(num)d of %(den)d authorizations of cell products (%(pct)s) are no longer in force "
        "(withdrawn, expired, not renewed, revoked or suspended)."
    ),
    "pipeline_autologous_share": N_(
        "%(num)d of %(den)d therapies in the pipeline with a known origin (%(pct)s) are "
        "autologous"
    ),
    "pipeline_mesenchymal_share": N_(
        "%(num)d of %(den)d stem-cell therapies in the pipeline (%(pct)s) are mesenchymal"
    ),
}

#: The verdict that follows the fact of a finding that tests a claim (data or pipeline).
VERDICTS: dict[tuple[str, bool | None], str] = {
    ("data", True): N_("the data supports the claim."),
    ("data", False): N_("the data does not support the claim."),
    ("data", None): N_("the data cannot test the claim."),
    ("pipeline", True): N_("the pipeline supports the claim."),
    ("pipeline", False): N_("the pipeline does not support the claim."),
    ("pipeline", None): N_("the pipeline cannot test the claim."),
}

#: How a fact and its verdict join ("; " in English; a new sentence in Japanese or Korean).
JOIN = N_("%(fact)s; %(verdict)s")

#: Every fixed wording of the findings (titles, claims, counted labels, breakdown headings and
#: row labels, counting rules), as :mod:`ctatlas.analysis.findings` and
#: :mod:`ctatlas.analysis.pipeline` write them: each is a catalogue message.
WORDS = [
    N_("Most marketed cell products are autologous"),
    N_("Most marketed cell therapy products are autologous."),
    N_("autologous products"),
    N_("marketed cell products with a known origin (distinct products, all selected "
       "jurisdictions)"),
    N_("Stem-cell products are mostly mesenchymal"),
    N_("Marketed stem-cell products in Asia are mostly mesenchymal (MSC)."),
    N_("mesenchymal (MSC) products"),
    N_("marketed stem-cell products with a known stem type in Asia (distinct products)"),
    N_("marketed stem-cell products with a known stem type in all selected jurisdictions "
       "(distinct products)"),
    N_("Allogeneic share over time"),
    N_("allogeneic products"),
    N_("cell products approved in any selected jurisdiction, marketed or not, with a known "
       "origin (cumulative to each year; the year is the first approval anywhere)"),
    N_("Conditional vs standard approvals"),
    N_("conditional authorizations (conditional and time-limited, conditional, accelerated)"),
    N_("authorizations of cell products granted by a standard or conditional pathway, "
       "marketed or not"),
    N_("Withdrawals and lapses"),
    N_("authorizations withdrawn, expired, not renewed, revoked or suspended"),
    N_("authorizations of cell products ever granted"),
    N_("Is the pipeline still mostly autologous?"),
    N_("Most cell therapy products are autologous (the founding analysis, of marketed "
       "products)."),
    N_("autologous therapies"),
    N_("therapies with at least one pipeline program and a known origin"),
    N_("Are stem-cell therapies in the pipeline still mostly mesenchymal?"),
    N_("Stem-cell products in Asia are mostly mesenchymal (MSC) (the founding analysis, of "
       "marketed products)."),
    N_("mesenchymal (MSC) therapies"),
    N_("stem-cell therapies with at least one pipeline program and a known stem type"),
    N_("Jurisdiction"),
    N_("Year (cumulative)"),
    N_("Asia"),
    N_("All selected"),
    N_("n/a"),
]


def translate(text: str | None, lang: str) -> str | None:
    """``text`` from the catalogue of ``lang`` (as it is when the catalogue lacks it)."""
    if not text:
        return text
    return translations(lang).gettext(text)


def _pct(value: float | None, lang: str) -> str:
    return translate("n/a", lang) or "n/a" if value is None else f"{value:.0%}"


@dataclasses.dataclass
class LocalBreakdown:
    """One breakdown row, its label in the reader's words."""

    label: str
    numerator: int
    denominator: int
    share: float | None
    items: list[str]


@dataclasses.dataclass
class LocalFinding:
    """A finding's words in one language; the numbers as computed."""

    id: str
    title: str
    claim: str | None
    statement: str
    numerator: int
    denominator: int
    share: float | None
    supports_claim: bool | None
    numerator_label: str
    denominator_label: str
    breakdown_label: str
    breakdown: list[LocalBreakdown]
    rules: list[str]
    excluded: list[Any]
    #: ``en`` when some words had no template and stayed English as computed, else ``lang``
    lang: str


def _fact_key(finding: Any) -> str:
    if finding.id == "mesenchymal_share":
        scope = "asia" if " in Asia " in f" {finding.denominator_label} " else "all"
        return f"mesenchymal_share@{scope}"
    return str(finding.id)


def statement(finding: Any, lang: str) -> str | None:
    """The computed sentence of ``finding`` in ``lang``, or None when it has no template."""
    template = FACTS.get(_fact_key(finding))
    if template is None:
        return None
    values = {"num": finding.numerator, "den": finding.denominator,
              "pct": _pct(finding.share, lang)}
    fact = (translate(template, lang) or template) % values
    if finding.claim is None:
        return fact
    source = "pipeline" if finding.id.startswith("pipeline_") else "data"
    verdict = translate(VERDICTS[(source, finding.supports_claim)], lang) or ""
    return (translate(JOIN, lang) or JOIN) % {"fact": fact, "verdict": verdict}


def _row_label(label: str, lang: str) -> str:
    """A breakdown row's label: a jurisdiction's name for its code, a year as it is, else the
    catalogue's words ("Asia", "All selected")."""
    if len(label) == 2 and label.isupper():
        return labels.jurisdiction_name(label, lang)
    return translate(label, lang) or label


def local_finding(finding: Any, lang: str) -> LocalFinding:
    """``finding``'s words in ``lang`` (English: the computed words, codes as names)."""
    text = statement(finding, lang)
    return LocalFinding(
        id=finding.id,
        title=translate(finding.title, lang) or "",
        claim=translate(finding.claim, lang),
        statement=text if text is not None else finding.statement,
        numerator=finding.numerator,
        denominator=finding.denominator,
        share=finding.share,
        supports_claim=finding.supports_claim,
        numerator_label=translate(finding.numerator_label, lang) or "",
        denominator_label=translate(finding.denominator_label, lang) or "",
        breakdown_label=translate(finding.breakdown_label, lang) or "",
        breakdown=[
            LocalBreakdown(_row_label(b.label, lang), b.numerator, b.denominator, b.share,
                           list(b.items))
            for b in finding.breakdown
        ],
        rules=[translate(r, lang) or r for r in finding.rules],
        excluded=list(finding.excluded),
        lang=lang if text is not None else "en",
    )


def local_findings(findings: Any, lang: str) -> list[LocalFinding]:
    """Every finding's words in ``lang``."""
    return [local_finding(f, lang) for f in findings]


#: Table descriptions with computed parts: table id -> (how to read the English, template).
#: Every other title, description and column heading is a catalogue message as it is.
DESCRIPTIONS: dict[str, tuple[re.Pattern[str], str]] = {
    "conditional_approvals": (
        re.compile(r"^Every conditional, .* as of (?P<day>\S+)\.$", re.S),
        N_("Every conditional, time-limited or accelerated approval (and every indication "
           "approved that way inside another authorization), with its deadline and outcome as "
           "of %(day)s."),
    ),
    "tier_routes": (
        re.compile(r"^Each way a patient .* per jurisdiction: (?P<counts>.*) \(product approval "
                   r"comes on top of these everywhere\)\.$", re.S),
        N_("Each way a patient can receive cells outside (or before) product approval, as the "
           "law sets it up: who may give them, who reviews and decides, what evidence the route "
           "demands and its risk classes. Routes still running, per jurisdiction: %(counts)s "
           "(product approval comes on top of these everywhere)."),
    ),
}
N_("none recorded")
_NAME_COUNT = re.compile(r"^(?P<name>.+) (?P<count>\d+)$")


def _counts(text: str, lang: str) -> str:
    """"Japan 1, Republic of Korea 2" with each jurisdiction named in ``lang``."""
    if text == "none recorded":
        return translate(text, lang) or text
    by_name = {entry[0]: code for code, entry in labels.JURISDICTION_NAMES.items()}
    parts = []
    for part in text.split(", "):
        match = _NAME_COUNT.match(part)
        code = by_name.get(match["name"]) if match else None
        if match is None or code is None:
            parts.append(part)
        else:
            parts.append(f"{labels.jurisdiction_name(code, lang)} {match['count']}")
    return ", ".join(parts)


def table_description(table: Any, lang: str) -> str:
    """A table's description in ``lang``: through its template when it has computed parts,
    else the catalogue's message (the English as it is when the catalogue lacks it)."""
    known = DESCRIPTIONS.get(table.id)
    if known is not None:
        pattern, template = known
        match = pattern.match(table.description)
        if match is not None:
            values = dict(match.groupdict())
            if "counts" in values:
                values["counts"] = _counts(values["counts"], lang)
            return (translate(template, lang) or template) % values
    return translate(table.description, lang) or ""


#: Table notes with computed parts: (how to read the English, template); other notes are
#: catalogue messages as they are.
NOTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Without an approval date: (?P<items>.*)\.$", re.S),
     N_("Without an approval date: %(items)s.")),
    (re.compile(r"^No comparison entries recorded for (?P<codes>.*)\.$", re.S),
     N_("No comparison entries recorded for %(codes)s.")),
]
_NAME_CODE = re.compile(r"\((?P<code>[A-Z]{2})\)")
_CODE_LIST = re.compile(r"\b(?P<code>[A-Z]{2})\b")


def table_note(note: str, lang: str) -> str:
    """A table's note in ``lang``: through its template when it has computed parts (with
    jurisdictions named, not coded), else the catalogue's message (the English as it is when
    the catalogue lacks it)."""
    for pattern, template in NOTES:
        match = pattern.match(note)
        if match is None:
            continue
        values = dict(match.groupdict())
        if "items" in values:
            values["items"] = _NAME_CODE.sub(
                lambda m: f"({labels.jurisdiction_name(m['code'], lang)})", values["items"])
        if "codes" in values:
            values["codes"] = _CODE_LIST.sub(
                lambda m: labels.jurisdiction_name(m["code"], lang), values["codes"])
        return (translate(template, lang) or template) % values
    return translate(note, lang) or note


#: The report's words outside the findings and tables: its title and its chapters' headings
#: (ctatlas.report.common.SECTIONS, after their numbers).
REPORT_WORDS = [
    N_("Cell therapy products: the landscape"),
    N_("Cell therapy products: the landscape as of %(date)s"),
    N_("Definitions side by side"),
    N_("Japan's marketed somatic (adult) cell products"),
    N_("Asia's marketed stem-cell products"),
    N_("Findings"),
    N_("Approvals over time"),
    N_("Approval lag"),
    N_("Disease areas"),
    N_("Pipeline: curated development programs"),
    N_("Conditional approvals followed to their outcome"),
    N_("Routes to patients beside product approval"),
    N_("Designations and what became of them"),
    N_("Sources and completeness"),
]

#: Why a product is left out of a finding (ctatlas.analysis.findings and .pipeline).
REASONS = [
    N_("non-cell gene therapy (always excluded)"),
    N_("non-cell gene therapy"),
    N_("origin unknown"),
    N_("origin not applicable"),
    N_("stem type unknown"),
    N_("no approval date"),
]
_PATHWAY = N_("pathway: %(name)s")


def exclusion_reason(reason: str, lang: str) -> str:
    """Why a product was left out, in ``lang`` ("pathway other" names the pathway)."""
    if reason.startswith("pathway "):
        name = labels.label("pathway", reason.removeprefix("pathway "), lang)
        return (translate(_PATHWAY, lang) or _PATHWAY) % {"name": name}
    return translate(reason, lang) or reason
