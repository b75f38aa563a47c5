"""Korea's CRIS (data.go.kr list API JSON) and WHO ICTRP CSV exports -> Trial."""

from __future__ import annotations

import re
from typing import Any

from .record import (
    Trial,
    canonical_id,
    countries_from,
    iso_date,
    normalise_phase,
    normalise_status,
    split_ids,
    sponsor_class_from_name,
)

__all__ = ["normalise_cris", "normalise_ictrp", "ictrp_trial_id"]

_NULL = {"", "null", "na", "n/a", "nil", "nil known", "none"}


def _clean(value: Any) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text.lower() in _NULL else text


def _split(text: str) -> list[str]:
    parts = re.split(r"<br\s*/?>|;|\n", text)
    out: list[str] = []
    for p in parts:
        p = p.strip(" ;,")
        if p and p not in out:
            out.append(p)
    return out


# --------------------------------------------------------------------------- CRIS

_CRIS_STUDY_TYPE = {"중재연구": "interventional", "관찰연구": "observational"}


def normalise_cris(rec: dict[str, Any]) -> Trial:
    """One record of the data.go.kr ``crisinfodataview/list`` API (CRIS, Korea)."""
    tid = _clean(rec.get("trial_id"))
    title_en = _clean(rec.get("scientific_title_en"))
    title_kr = _clean(rec.get("scientific_title_kr"))
    category = _clean(rec.get("i_freetext_kr"))
    completed = _clean(rec.get("results_type_date_completed_kr")) == "실제등록" and _clean(
        rec.get("results_date_completed")
    )
    sponsor = _clean(rec.get("primary_sponsor_kr")) or _clean(rec.get("source_name_kr"))
    return Trial(
        source="cris",
        registry="cris",
        trial_id=tid,
        title=title_en or title_kr,
        official_title=title_kr if title_en else "",
        phases=normalise_phase(_clean(rec.get("phase_kr"))),
        status="completed" if completed else "unknown",
        study_type=_CRIS_STUDY_TYPE.get(_clean(rec.get("study_type_kr"))),
        start_date=iso_date(_clean(rec.get("date_enrolment"))),
        # CRIS is Korea's registry and the list API carries no country field.
        countries=["KR"],
        sponsor=sponsor or None,
        sponsor_class=sponsor_class_from_name(sponsor),
        interventions=[{"type": category, "name": "", "description": "", "other_names": []}]
        if category
        else [],
        last_updated=iso_date(_clean(rec.get("date_updated"))),
        url=f"https://cris.nih.go.kr/cris/search/listDetail.do?searchWord={tid}" if tid else None,
    )


# --------------------------------------------------------------------------- ICTRP

_ICTRP_REGISTRY = {
    "JPRN": "jprn",
    "CTRI": "ctri",
    "CHICTR": "chictr",
    "KCT": "cris",
    "EUCTR": "euctr",
    "IRCT": "irct",
    "ISRCTN": "isrctn",
    "ACTRN": "anzctr",
    "DRKS": "drks",
    "NTR": "ntr",
    "PACTR": "pactr",
    "TCTR": "tctr",
    "RBR": "rebec",
    "SLCTR": "slctr",
    "LBCTR": "lbctr",
    "PER": "repec",
    "RPCEC": "rpcec",
    "ITMCTR": "itmctr",
    "NL": "ntr",
}


def ictrp_trial_id(raw_id: str) -> tuple[str, str]:
    """(issuing registry, canonical id) of an ICTRP ``TrialID``."""
    found = canonical_id(raw_id)
    if found:
        return found
    prefix = re.match(r"[A-Za-z]+", raw_id or "")
    return _ICTRP_REGISTRY.get(prefix.group(0).upper(), "other") if prefix else "other", raw_id


def normalise_ictrp(row: dict[str, Any]) -> Trial:
    """One row of a WHO ICTRP CSV export. Column names are matched case-insensitively and
    extra columns are ignored."""
    r = {str(k).strip().lower(): v for k, v in row.items() if k is not None}

    def g(*names: str) -> str:
        for n in names:
            v = _clean(r.get(n))
            if v:
                return v
        return ""

    raw_id = g("trialid", "trial_id")
    registry, tid = ictrp_trial_id(raw_id)
    secondary = [s for s in split_ids(g("secondaryids", "secondary_ids")) if s != tid]
    interventions = [
        {
            "type": "",
            "name": part[:300],
            "description": part if len(part) > 300 else "",
            "other_names": [],
        }
        for part in _split(g("interventions"))
    ]
    sponsor = g("primary_sponsor")
    return Trial(
        source="ictrp",
        registry=registry,
        trial_id=tid,
        secondary_ids=secondary,
        title=g("public_title", "scientific_title"),
        official_title=g("scientific_title"),
        phases=normalise_phase(g("phase")),
        status=normalise_status(g("recruitment_status")),
        study_type=(g("study_type").lower() or None),
        start_date=iso_date(g("date_enrollment", "date_enrollement", "date_enrolment")),
        countries=countries_from(g("countries")),
        sponsor=sponsor or None,
        sponsor_class=sponsor_class_from_name(sponsor),
        conditions=_split(g("conditions")),
        interventions=interventions,
        last_updated=iso_date(g("last_refreshed_on", "date_registration")),
        url=g("url", "web_address") or None,
    )
