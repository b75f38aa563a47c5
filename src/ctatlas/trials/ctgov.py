"""ClinicalTrials.gov: API v2 study JSON (and the flattened / legacy CSV forms) -> Trial."""

from __future__ import annotations

import re
from typing import Any

from .record import (
    Trial,
    canonical_id,
    countries_from,
    country_code,
    iso_date,
    normalise_phase,
    normalise_status,
    sponsor_class_from_name,
)

__all__ = ["normalise_flat_row", "normalise_legacy_row", "normalise_study", "study_id"]


def study_id(study: dict[str, Any]) -> str | None:
    """The NCT id of an API v2 study object, or None when it is not one."""
    try:
        return study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        return None


def normalise_study(study: dict[str, Any]) -> Trial:
    """One API v2 study (bulk-zip member, export-array entry, JSONL line, API page item)."""
    ps = study.get("protocolSection") or {}
    ident = ps.get("identificationModule") or {}
    status = ps.get("statusModule") or {}
    sponsor = (ps.get("sponsorCollaboratorsModule") or {}).get("leadSponsor") or {}
    design = ps.get("designModule") or {}
    desc = ps.get("descriptionModule") or {}
    cond = ps.get("conditionsModule") or {}
    arms = ps.get("armsInterventionsModule") or {}
    locs = (ps.get("contactsLocationsModule") or {}).get("locations") or []

    nct = ident.get("nctId") or ""
    secondary: list[str] = []
    for info in ident.get("secondaryIdInfos") or []:
        found = canonical_id(info.get("id"))
        if found and found[1] != nct and found[1] not in secondary:
            secondary.append(found[1])
    org_id = canonical_id((ident.get("orgStudyIdInfo") or {}).get("id"))
    if org_id and org_id[1] != nct and org_id[1] not in secondary:
        secondary.append(org_id[1])

    phases: list[str] = []
    for p in design.get("phases") or []:
        for q in normalise_phase(p):
            if q not in phases:
                phases.append(q)
    if not phases and design.get("studyType") == "OBSERVATIONAL":
        phases = []

    interventions = []
    for iv in arms.get("interventions") or []:
        interventions.append(
            {
                "type": iv.get("type") or "",
                "name": iv.get("name") or "",
                "description": iv.get("description") or "",
                "other_names": list(iv.get("otherNames") or []),
            }
        )
    arm_desc = [
        f"{a.get('label', '')}: {a.get('description', '')}"
        for a in arms.get("armGroups") or []
        if a.get("description")
    ]
    countries = countries_from([loc.get("country", "") for loc in locs])
    last = (status.get("lastUpdatePostDateStruct") or {}).get("date") or status.get(
        "lastUpdateSubmitDate"
    )
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id=nct,
        secondary_ids=secondary,
        title=ident.get("briefTitle") or ident.get("officialTitle") or "",
        official_title=ident.get("officialTitle") or "",
        summary=desc.get("briefSummary") or "",
        phases=phases,
        status=normalise_status(status.get("overallStatus")),
        study_type=(design.get("studyType") or "").lower() or None,
        start_date=iso_date((status.get("startDateStruct") or {}).get("date")),
        countries=countries,
        sponsor=sponsor.get("name"),
        sponsor_class=sponsor_class_from_name(sponsor.get("name"), sponsor.get("class")),
        conditions=list(cond.get("conditions") or []),
        keywords=list(cond.get("keywords") or []),
        interventions=interventions,
        arm_descriptions=arm_desc,
        last_updated=iso_date(last),
        url=f"https://clinicaltrials.gov/study/{nct}" if nct else None,
    )


_LEGACY_TYPES = re.compile(r"^\s*([A-Za-z /]+?):\s*(.*)$")

_FLAT_CLASS = {
    "NIH": "NIH",
    "FED": "FED",
    "INDUSTRY": "INDUSTRY",
    "OTHER": "OTHER",
    "OTHER_GOV": "OTHER_GOV",
    "NETWORK": "NETWORK",
    "INDIV": "INDIV",
}


def normalise_flat_row(row: dict[str, str]) -> Trial:
    """A row of a flattened API v2 CSV (NCTId, BriefTitle, Interventions "a|b", …)."""
    nct = row.get("NCTId", "").strip()
    interventions = [
        {"type": "", "name": n.strip(), "description": "", "other_names": []}
        for n in (row.get("Interventions") or "").split("|")
        if n.strip()
    ]
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id=nct,
        title=row.get("BriefTitle", ""),
        summary=row.get("BriefSummary", ""),
        phases=normalise_phase(row.get("Phase", "").replace("|", "/")),
        status=normalise_status(row.get("OverallStatus")),
        start_date=iso_date(row.get("StartDate")),
        countries=countries_from(row.get("Countries", ""), sep="|"),
        sponsor=row.get("LeadSponsor") or None,
        sponsor_class=sponsor_class_from_name(
            row.get("LeadSponsor"), _FLAT_CLASS.get((row.get("LeadSponsorClass") or "").upper())
        ),
        conditions=[c for c in (row.get("Conditions") or "").split("|") if c],
        interventions=interventions,
        url=f"https://clinicaltrials.gov/study/{nct}",
    )


def normalise_legacy_row(row: dict[str, str]) -> Trial:
    """A row of the legacy (pre-2023) website CSV ("NCT Number", "Interventions" …)."""
    nct = row.get("NCT Number", "").strip()
    interventions = []
    for part in (row.get("Interventions") or "").split("|"):
        m = _LEGACY_TYPES.match(part)
        if m:
            interventions.append(
                {
                    "type": m.group(1).upper().replace(" ", "_"),
                    "name": m.group(2).strip(),
                    "description": "",
                    "other_names": [],
                }
            )
        elif part.strip():
            interventions.append(
                {"type": "", "name": part.strip(), "description": "", "other_names": []}
            )
    locations = row.get("Locations") or ""
    countries = countries_from([_location_country(loc) for loc in locations.split("|")])
    funded = (row.get("Funded Bys") or "").split("|")[0]
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id=nct,
        title=row.get("Title", ""),
        phases=normalise_phase(row.get("Phases", "")),
        status=normalise_status(row.get("Status")),
        study_type=(row.get("Study Type") or "").strip().lower() or None,
        start_date=iso_date(row.get("Start Date")),
        countries=countries,
        sponsor=(row.get("Sponsor/Collaborators") or "").split("|")[0] or None,
        sponsor_class=sponsor_class_from_name(
            (row.get("Sponsor/Collaborators") or "").split("|")[0],
            {"Industry": "INDUSTRY", "NIH": "NIH", "U.S. Fed": "FED"}.get(funded),
        ),
        conditions=[c for c in (row.get("Conditions") or "").split("|") if c],
        interventions=interventions,
        url=row.get("URL") or None,
    )


def _location_country(location: str) -> str:
    """The country of a legacy CSV location ("Site, City, Country"): its last part, or its
    last two when the country's name holds a comma ("Seoul, Korea, Republic of")."""
    parts = location.rsplit(",", 2)
    if len(parts) >= 2 and country_code(",".join(parts[-2:])):
        return ",".join(parts[-2:])
    return parts[-1]
