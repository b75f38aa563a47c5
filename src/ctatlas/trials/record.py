"""The normalised trial record and the vocabularies every registry is mapped onto.

A :class:`Trial` is one registry record in the project's own terms: registry, ids, phases,
status, countries (ISO alpha-2), sponsor class… Each registry module (``ctgov``, ``cris``,
``ictrp``) turns its raw form into a ``Trial``; the classifier then adds the label.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .countries import countries_from, country_code  # noqa: F401  (re-exported: their home is countries.py)

__all__ = [
    "LABELS",
    "PHASES",
    "SPONSOR_CLASSES",
    "STATUSES",
    "Trial",
    "canonical_id",
    "countries_from",
    "country_code",
    "iso_date",
    "normalise_phase",
    "normalise_status",
    "sponsor_class_from_name",
    "split_ids",
]

LABELS = ("cell_therapy", "hsct_procedure", "acellular_cell_derived", "not_cell")
PHASES = ("early_1", "1", "2", "3", "4", "na")
STATUSES = (
    "not_yet_recruiting",
    "recruiting",
    "enrolling_by_invitation",
    "active_not_recruiting",
    "suspended",
    "terminated",
    "completed",
    "withdrawn",
    "unknown",
)
SPONSOR_CLASSES = ("industry", "academic", "government", "other", "unknown")
CELL_FAMILIES = (
    "MSC",
    "CAR_T",
    "CAR_NK",
    "NK",
    "TIL",
    "T_cell_other",
    "dendritic",
    "iPSC_derived",
    "ESC_derived",
    "HSC",
    "chondrocyte",
    "keratinocyte_or_epithelial",
    "islet",
    "SVF_or_BMMNC",
    "other",
)
ORIGINS = ("autologous", "allogeneic", "mixed", "unknown")


@dataclass
class Trial:
    """One registry record, normalised. Lists are never None; unknown scalars are None."""

    source: str  # the feed it came from: ctgov | cris | ictrp
    registry: str  # the registry that issued trial_id: ctgov, jrct, umin, japic, cris, euctr…
    trial_id: str
    secondary_ids: list[str] = field(default_factory=list)
    title: str = ""
    official_title: str = ""
    summary: str = ""
    phases: list[str] = field(default_factory=list)
    status: str = "unknown"
    study_type: str | None = None
    start_date: str | None = None  # ISO date, or YYYY-MM when the registry gives only a month
    countries: list[str] = field(default_factory=list)
    sponsor: str | None = None
    sponsor_class: str = "unknown"
    conditions: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    # [{"type": "BIOLOGICAL", "name": "...", "description": "...", "other_names": [...]}]
    interventions: list[dict[str, Any]] = field(default_factory=list)
    arm_descriptions: list[str] = field(default_factory=list)
    last_updated: str | None = None
    url: str | None = None
    # filled by the classifier
    label: str = "not_cell"
    cell_class: str | None = None
    cell_family: str | None = None
    stem_type: str | None = None
    origin: str | None = None
    evidence: list[dict[str, str]] = field(default_factory=list)
    product_slugs: list[str] = field(default_factory=list)

    @property
    def start_year(self) -> int | None:
        if self.start_date and self.start_date[:4].isdigit():
            return int(self.start_date[:4])
        return None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Trial:
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in names})


# --------------------------------------------------------------------------- identifiers

_ID_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    # (registry, pattern, canonical template using the match's groups)
    ("ctgov", re.compile(r"\b(NCT\d{8})\b", re.I), "{0}"),
    ("jrct", re.compile(r"\b(jRCT[a-z]?\d{6,11})\b", re.I), "{0}"),
    ("umin", re.compile(r"\bUMIN[- ]?(?:CTR[- ]?)?(\d{9})\b", re.I), "UMIN{0}"),
    ("japic", re.compile(r"\bJapicCTI[- ]?(\d{6})\b", re.I), "JapicCTI-{0}"),
    ("jma", re.compile(r"\bJMA[- ]?(IIA\d{5})\b", re.I), "JMA-{0}"),
    ("cris", re.compile(r"\b(KCT\d{7})\b", re.I), "{0}"),
    ("chictr", re.compile(r"\b(ChiCTR[-A-Z]*\d{6,12})\b", re.I), "{0}"),
    ("ctri", re.compile(r"\b(CTRI/\d{4}/\d{2,3}/\d{6})\b", re.I), "{0}"),
    ("ctis", re.compile(r"\b(20\d{2}-5\d{5}-\d{2}-\d{2})\b"), "{0}"),
    (
        "euctr",
        re.compile(r"(?:\bEUCTR|\b)((?:19|20)\d{2}-\d{6}-\d{2})(?:-[A-Z]{2,3})?\b"),
        "EUCTR{0}",
    ),
    ("isrctn", re.compile(r"\b(ISRCTN\d{8})\b", re.I), "{0}"),
    ("anzctr", re.compile(r"\b(ACTRN\d{14})\b", re.I), "{0}"),
    ("irct", re.compile(r"\b(IRCT\d{6,}N\d+)\b", re.I), "{0}"),
    ("drks", re.compile(r"\b(DRKS\d{8})\b", re.I), "{0}"),
    ("ntr", re.compile(r"\b(NTR\d{3,5}|NL-?OMON\d+|NL\d{4,5})\b"), "{0}"),
    ("pactr", re.compile(r"\b(PACTR\d{15})\b", re.I), "{0}"),
    ("tctr", re.compile(r"\b(TCTR\d{11})\b", re.I), "{0}"),
    ("rebec", re.compile(r"\b(RBR-\w{6,8})\b"), "{0}"),
    ("slctr", re.compile(r"\b(SLCTR/\d{4}/\d{3})\b", re.I), "{0}"),
    ("lbctr", re.compile(r"\b(LBCTR\d{10})\b", re.I), "{0}"),
    ("itmctr", re.compile(r"\b(ITMCTR\d+)\b", re.I), "{0}"),
    ("rpcec", re.compile(r"\b(RPCEC\d{8})\b", re.I), "{0}"),
]

_CASE = {"ctgov": "NCT", "cris": "KCT", "isrctn": "ISRCTN", "anzctr": "ACTRN", "drks": "DRKS"}


def canonical_id(text: str | None) -> tuple[str, str] | None:
    """The (registry, canonical id) a registry identifier stands for, or None.

    Sponsor protocol codes ("MK-3475-123", "Nil known") are not registry ids and give None.
    ICTRP's prefixes ("JPRN-jRCTs0511…", "JPRN-UMIN0000…") and EU CTR country suffixes
    ("EUCTR2016-005141-23-PT") are dropped, so the same trial has one id everywhere.
    """
    if not text:
        return None
    text = text.strip()
    for registry, pattern, template in _ID_PATTERNS:
        m = pattern.search(text)
        if m:
            value = template.format(*m.groups())
            if registry in _CASE:
                value = _CASE[registry] + value[len(_CASE[registry]) :]
            elif registry == "jrct":
                value = "jRCT" + value[4:]
            elif registry == "chictr":
                value = "ChiCTR" + value[6:]
            return registry, value
    return None


def split_ids(text: str | None) -> list[str]:
    """Every registry id found in a free-text list of ids (ICTRP's ``SecondaryIDs``…)."""
    if not text:
        return []
    out: list[str] = []
    for part in re.split(r"[;,|\n]|<br>|\s{2,}", text):
        found = canonical_id(part)
        if found and found[1] not in out:
            out.append(found[1])
    return out


# --------------------------------------------------------------------------- phases, status

_PHASE_WORDS = {
    "0": "early_1",
    "early1": "early_1",
    "earlyphase1": "early_1",
    "early_phase1": "early_1",
    "i": "1",
    "1": "1",
    "ii": "2",
    "2": "2",
    "iii": "3",
    "3": "3",
    "iv": "4",
    "4": "4",
}


def normalise_phase(text: str | None) -> list[str]:
    """Registry phase text -> sorted list from ``PHASES``; [] when the record does not say."""
    if not text:
        return []
    t = text.strip()
    low = t.lower()
    if "human pharmacology" in low or "therapeutic exploratory" in low:
        # EU CTR: "Human pharmacology (Phase I): yes Therapeutic exploratory (Phase II): no …"
        found = {
            _PHASE_WORDS[m.group(1).lower()]
            for m in re.finditer(r"\(phase (i{1,3}|iv)\):\s*yes", low)
        }
        return _ordered(found)
    if re.search(r"not applicable|\bn/?a\b|해당사항|^none$|not specified", low) or low in {
        "na",
        "nan",
    }:
        return ["na"]
    found: set[str] = set()
    if re.search(r"early[ _-]?phase[ _-]?(1|i)\b|phase[ _-]?0\b|^0$", low):
        found.add("early_1")
        low = re.sub(r"early[ _-]?phase[ _-]?(1|i)\b|phase[ _-]?0\b", " ", low)
    for m in _PHASE_RE.finditer(low):
        for g in m.groups():
            if g:
                found.add(_PHASE_WORDS[g])
    for m in re.finditer(r"([1-4])\s*(?:/\s*([1-4]))?\s*상", t):
        for g in m.groups():
            if g:
                found.add(g)
    return _ordered(found)


_PHASE_RE = re.compile(
    r"phase[ _-]?(iv|iii|ii|i|[1-4])[ab]?\b"
    r"(?:\s*(?:/|-|,|and|&|\+)\s*(?:phase[ _-]?)?(iv|iii|ii|i|[1-4])[ab]?\b)?"
)


def _ordered(found: set[str]) -> list[str]:
    return [p for p in PHASES if p in found]


_STATUS_MAP = {
    "not_yet_recruiting": "not_yet_recruiting",
    "not yet recruiting": "not_yet_recruiting",
    "pending": "not_yet_recruiting",
    "recruiting": "recruiting",
    "authorised-recruitment may be ongoing or finished": "unknown",
    "enrolling_by_invitation": "enrolling_by_invitation",
    "enrolling by invitation": "enrolling_by_invitation",
    "active_not_recruiting": "active_not_recruiting",
    "active, not recruiting": "active_not_recruiting",
    "not recruiting": "active_not_recruiting",
    "ongoing": "active_not_recruiting",
    "suspended": "suspended",
    "temporarily_not_available": "suspended",
    "temporarily halted": "suspended",
    "terminated": "terminated",
    "stopped early": "terminated",
    "completed": "completed",
    "complete": "completed",
    "main results already published": "completed",
    "withdrawn": "withdrawn",
    "no_longer_available": "completed",
    "approved_for_marketing": "completed",
    "available": "recruiting",
    "unknown": "unknown",
    "unknown status": "unknown",
    "withheld": "unknown",
}


def normalise_status(text: str | None) -> str:
    if not text:
        return "unknown"
    key = re.sub(r"\s+", " ", text.strip().lower())
    return _STATUS_MAP.get(key, _STATUS_MAP.get(key.replace(" ", "_"), "unknown"))


# --------------------------------------------------------------------------- sponsors

_INDUSTRY = re.compile(
    r"\b(inc|incorporated|ltd|limited|llc|l\.l\.c|corp|corporation|co\.?|company|gmbh|ag|s\.?a\.?|"
    r"s\.?p\.?a|b\.?v|n\.?v|plc|k\.?k|pty|oy|ab|as|kg|pharma\w*|therapeutics|biotech\w*|"
    r"biosciences?|biologics|biopharma\w*|laboratories|labs?|holdings?|group)\b"
    r"|(주식회사|\(주\)|㈜|제약|바이오|株式会社)",
    re.I,
)
_ACADEMIC = re.compile(
    r"universit|college|hospital|medical (center|centre|school)|school of|institut|clinic\b|"
    r"clinics|academ|faculty|cancer cent|health system|foundation|research cent|"
    r"대학|병원|의료원|연구소|学|病院",
    re.I,
)
_GOVERNMENT = re.compile(
    r"ministry|national (cancer|heart|institute|center|centre)|\bnih\b|\bnci\b|government|"
    r"department of|agency|council|\bcdc\b|veterans affairs|public health|"
    r"보건복지부|질병관리|식품의약품안전|국립|厚生労働|国立",
    re.I,
)

_CTGOV_CLASS = {
    "INDUSTRY": "industry",
    "NIH": "government",
    "FED": "government",
    "OTHER_GOV": "government",
    "NETWORK": "academic",
    "INDIV": "other",
    "UNKNOWN": "unknown",
}


def sponsor_class_from_name(name: str | None, registry_class: str | None = None) -> str:
    """industry | academic | government | other | unknown, from a registry class or the name."""
    if registry_class:
        mapped = _CTGOV_CLASS.get(registry_class.upper())
        if mapped:
            return mapped
    if not name or not name.strip() or name.strip().upper() in {"NULL", "NA", "N/A"}:
        return "unknown"
    if _GOVERNMENT.search(name):
        return "government"
    if _ACADEMIC.search(name):
        return "academic"
    if _INDUSTRY.search(name):
        return "industry"
    if registry_class and registry_class.upper() == "OTHER":
        return "other"
    return "other"


def iso_date(text: str | None) -> str | None:
    """'2019-03-14', '14/03/2019', '2019-03', 'March 2019', 'January 7, 2013' -> ISO."""
    if not text:
        return None
    t = text.strip()
    m = re.match(r"^(\d{4})-(\d{2})(?:-(\d{2}))?", t)
    if m:
        return "-".join(g for g in m.groups() if g)
    m = re.match(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$", t)
    if m:
        d, mo, y = m.groups()
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    m = re.match(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$", t)
    if m:
        y, mo, d = m.groups()
        return f"{y}-{int(mo):02d}-{int(d):02d}"
    months = (
        "january february march april may june july august september october november december"
    ).split()
    m = re.match(r"^([A-Za-z]+)\s+(?:(\d{1,2}),\s*)?(\d{4})$", t)
    if m and m.group(1).lower() in months:
        mo = months.index(m.group(1).lower()) + 1
        return f"{m.group(3)}-{mo:02d}" + (f"-{int(m.group(2)):02d}" if m.group(2) else "")
    m = re.match(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$", t)
    if m and m.group(2).lower() in months:
        mo = months.index(m.group(2).lower()) + 1
        return f"{m.group(3)}-{mo:02d}-{int(m.group(1)):02d}"
    return None
