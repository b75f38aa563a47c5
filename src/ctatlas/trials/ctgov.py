"""ClinicalTrials.gov: API v2 study JSON (and the flattened, legacy and current website CSV
forms) -> Trial."""

from __future__ import annotations

import re
from typing import Any

import msgspec

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

__all__ = [
    "CSV_EXPORT_REQUIRED",
    "decode_study",
    "normalise_csv_export_row",
    "normalise_flat_row",
    "normalise_legacy_row",
    "normalise_study",
    "study_id",
]


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


# --------------------------------------------------------------------------- typed decode
#
# A study is ~30 KB of JSON of which the trial uses a tenth: decoding only those fields into
# typed structs (msgspec skips the rest without building it) costs about a third of decoding
# the whole study. The structs mirror what :func:`normalise_study` reads, with its defaults:
# a field read with ``.get(k, "")`` defaults to "" and keeps an explicit null as None, one
# read with ``.get(k) or …`` defaults to None. A study the structs cannot take (a field of
# an unexpected type) is decoded whole and normalised as before, so the result is the same.


class _Id(msgspec.Struct):
    id: str | None = None


class _Ident(msgspec.Struct):
    nctId: str | None = None  # noqa: N815 - the registry's field names
    briefTitle: str | None = None  # noqa: N815
    officialTitle: str | None = None  # noqa: N815
    secondaryIdInfos: list[_Id] | None = None  # noqa: N815
    orgStudyIdInfo: _Id | None = None  # noqa: N815


class _Date(msgspec.Struct):
    date: str | None = None


class _Status(msgspec.Struct):
    overallStatus: str | None = None  # noqa: N815
    startDateStruct: _Date | None = None  # noqa: N815
    lastUpdatePostDateStruct: _Date | None = None  # noqa: N815
    lastUpdateSubmitDate: str | None = None  # noqa: N815


class _Party(msgspec.Struct):
    name: str | None = None
    class_: str | None = msgspec.field(default=None, name="class")


class _Sponsors(msgspec.Struct):
    leadSponsor: _Party | None = None  # noqa: N815


class _Design(msgspec.Struct):
    phases: list[str] | None = None
    studyType: str | None = None  # noqa: N815


class _Description(msgspec.Struct):
    briefSummary: str | None = None  # noqa: N815


class _Conditions(msgspec.Struct):
    conditions: list[str] | None = None
    keywords: list[str] | None = None


class _Intervention(msgspec.Struct):
    type: str | None = None
    name: str | None = None
    description: str | None = None
    otherNames: list[str] | None = None  # noqa: N815


class _Arm(msgspec.Struct):
    label: str | None = ""
    description: str | None = ""


class _Arms(msgspec.Struct):
    interventions: list[_Intervention] | None = None
    armGroups: list[_Arm] | None = None  # noqa: N815


class _Location(msgspec.Struct):
    country: str | None = ""


class _Locations(msgspec.Struct):
    locations: list[_Location] | None = None


class _Protocol(msgspec.Struct):
    identificationModule: _Ident | None = None  # noqa: N815
    statusModule: _Status | None = None  # noqa: N815
    sponsorCollaboratorsModule: _Sponsors | None = None  # noqa: N815
    designModule: _Design | None = None  # noqa: N815
    descriptionModule: _Description | None = None  # noqa: N815
    conditionsModule: _Conditions | None = None  # noqa: N815
    armsInterventionsModule: _Arms | None = None  # noqa: N815
    contactsLocationsModule: _Locations | None = None  # noqa: N815


class _Study(msgspec.Struct):
    protocolSection: _Protocol | None = None  # noqa: N815


_DECODER = msgspec.json.Decoder(_Study)


def decode_study(data: bytes | memoryview) -> Trial | None:
    """The Trial of an API v2 study's JSON bytes, decoding only the fields it needs; None when
    the bytes are not such a study in the expected shape (decode them whole and call
    :func:`normalise_study`, which gives the same Trial or names what is wrong)."""
    try:
        study = _DECODER.decode(data)
    except msgspec.DecodeError:  # invalid JSON, or a field of another type
        return None
    ps = study.protocolSection
    if ps is None:
        return None
    return _from_protocol(ps)


def _from_protocol(ps: _Protocol) -> Trial:
    """:func:`normalise_study` on the typed structs (the same steps, in the same order)."""
    ident = ps.identificationModule or _Ident()
    status = ps.statusModule or _Status()
    sponsor = (ps.sponsorCollaboratorsModule or _Sponsors()).leadSponsor or _Party()
    design = ps.designModule or _Design()
    desc = ps.descriptionModule or _Description()
    cond = ps.conditionsModule or _Conditions()
    arms = ps.armsInterventionsModule or _Arms()
    locs = (ps.contactsLocationsModule or _Locations()).locations or []

    nct = ident.nctId or ""
    secondary: list[str] = []
    for info in ident.secondaryIdInfos or []:
        found = canonical_id(info.id)
        if found and found[1] != nct and found[1] not in secondary:
            secondary.append(found[1])
    org_id = canonical_id((ident.orgStudyIdInfo or _Id()).id)
    if org_id and org_id[1] != nct and org_id[1] not in secondary:
        secondary.append(org_id[1])

    phases: list[str] = []
    for p in design.phases or []:
        for q in normalise_phase(p):
            if q not in phases:
                phases.append(q)

    interventions = [
        {
            "type": iv.type or "",
            "name": iv.name or "",
            "description": iv.description or "",
            "other_names": list(iv.otherNames or []),
        }
        for iv in arms.interventions or []
    ]
    arm_desc = [f"{a.label}: {a.description}" for a in arms.armGroups or [] if a.description]
    countries = countries_from([loc.country for loc in locs])  # type: ignore[misc]
    last = (status.lastUpdatePostDateStruct or _Date()).date or status.lastUpdateSubmitDate
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id=nct,
        secondary_ids=secondary,
        title=ident.briefTitle or ident.officialTitle or "",
        official_title=ident.officialTitle or "",
        summary=desc.briefSummary or "",
        phases=phases,
        status=normalise_status(status.overallStatus),
        study_type=(design.studyType or "").lower() or None,
        start_date=iso_date((status.startDateStruct or _Date()).date),
        countries=countries,
        sponsor=sponsor.name,
        sponsor_class=sponsor_class_from_name(sponsor.name, sponsor.class_),
        conditions=list(cond.conditions or []),
        keywords=list(cond.keywords or []),
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


# --------------------------------------------------------------------------- current website CSV
#
# What the website's Download -> CSV gives today (``ctg-studies.csv``, since 2023): one row per
# study, columns named for people ("NCT Number", "Study Title", "Study URL", "Brief Summary",
# "Conditions", "Interventions" …), list cells joined with "|", interventions as
# "TYPE: name" with the API's upper-case types, phases, statuses, funder types and study types
# as the API's enum values, ISO dates. A user may leave most columns out: only the two below
# are needed; a missing column reads as empty. The row gives the fields the API v2 record gives
# except the official title, keywords, arm descriptions and intervention descriptions (none is
# in the export); collaborators are in the export but, as for the API v2 form, not kept.

#: the columns a current export must hold (the others may be left out when downloading)
CSV_EXPORT_REQUIRED = ("NCT Number", "Study Title")

#: the API's intervention types, as the export writes them before ": "
_INTERVENTION_TYPES = frozenset(
    {
        "BEHAVIORAL",
        "BIOLOGICAL",
        "COMBINATION_PRODUCT",
        "DEVICE",
        "DIAGNOSTIC_TEST",
        "DIETARY_SUPPLEMENT",
        "DRUG",
        "GENETIC",
        "OTHER",
        "PROCEDURE",
        "RADIATION",
    }
)


def _cells(text: str | None) -> list[str]:
    """A "|"-joined cell as its non-empty parts, stripped."""
    return [p.strip() for p in (text or "").split("|") if p.strip()]


def normalise_csv_export_row(row: dict[str, str]) -> Trial:
    """A row of the current website CSV export ("NCT Number", "Study Title", "Study URL" …),
    filled as :func:`normalise_study` fills the same study's API v2 record."""
    nct = (row.get("NCT Number") or "").strip()
    interventions = []
    for part in _cells(row.get("Interventions")):
        kind, sep, name = part.partition(":")
        if sep and kind.strip() in _INTERVENTION_TYPES:
            kind, name = kind.strip(), name.strip()
        else:
            kind, name = "", part
        interventions.append({"type": kind, "name": name, "description": "", "other_names": []})
    secondary: list[str] = []
    for part in _cells(row.get("Other IDs")):
        found = canonical_id(part)
        if found and found[1] != nct and found[1] not in secondary:
            secondary.append(found[1])
    phases: list[str] = []
    for p in _cells(row.get("Phases")):
        for q in normalise_phase(p):
            if q not in phases:
                phases.append(q)
    sponsor = (row.get("Sponsor") or "").strip() or None
    funder = (row.get("Funder Type") or "").strip().upper() or None
    locations = _cells(row.get("Locations"))
    return Trial(
        source="ctgov",
        registry="ctgov",
        trial_id=nct,
        secondary_ids=secondary,
        title=(row.get("Study Title") or "").strip(),
        summary=row.get("Brief Summary") or "",
        phases=phases,
        status=normalise_status(row.get("Study Status")),
        study_type=(row.get("Study Type") or "").strip().lower() or None,
        start_date=iso_date(row.get("Start Date")),
        countries=countries_from([_location_country(loc) for loc in locations]),
        sponsor=sponsor,
        sponsor_class=sponsor_class_from_name(sponsor, funder),
        conditions=_cells(row.get("Conditions")),
        interventions=interventions,
        last_updated=iso_date(row.get("Last Update Posted")),
        url=f"https://clinicaltrials.gov/study/{nct}" if nct else None,
    )
