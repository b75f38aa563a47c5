"""Development programs as rows, and their filters: one semantics for the CLI, the API and the
web (``ctatlas pipeline``, ``GET /api/v1/pipeline``, exports).

A row is one program of one therapy, with the therapy's attributes beside it (name, codes,
cell class, origin ...) and ``cell_family``, the trial classifier's family for the therapy, so
programs and registry trials are counted in the same families. Rows are plain JSON-ready dicts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from ctatlas.query import normalise
from ctatlas.trials.record import CELL_FAMILIES as _TRIAL_FAMILIES

__all__ = [
    "CELL_FAMILIES",
    "PIPELINE_FIELDS",
    "PipelineFilter",
    "cell_family",
    "check_filter",
    "completeness",
    "completeness_line",
    "filter_programs",
    "flat_row",
    "part_line",
    "program_rows",
    "programs_for_export",
    "stage_counts",
]

#: The trial classifier's cell families (the trials store's vocabulary).
CELL_FAMILIES: tuple[str, ...] = _TRIAL_FAMILIES

#: Stem types that are a family of their own in the trial classifier.
_STEM_FAMILY = {
    "MSC": "MSC",
    "HSC": "HSC",
    "iPSC_derived": "iPSC_derived",
    "ESC_derived": "ESC_derived",
}

#: The columns of a flat (CSV, XLSX, export) program row, in order.
PIPELINE_FIELDS = (
    "slug",
    "name",
    "brand_names",
    "codes",
    "developer",
    "home_jurisdiction",
    "jurisdiction",
    "stage",
    "stage_note",
    "status",
    "authorization",
    "modality",
    "cell_class",
    "stem_type",
    "cell_family",
    "origin",
    "indications",
    "disease_ids",
    "partners",
    "trial_ids",
    "first_trial_start",
    "filed",
    "expected_decision",
    "discontinued",
    "discontinuation_reason",
    "designations",
    "sources",
)


def cell_family(doc: dict[str, Any]) -> str | None:
    """The trial classifier's cell family of a therapy (None for a non-cell gene therapy).

    A stem type that is a family of its own (MSC, HSC, iPSC- or ESC-derived) decides; otherwise
    the classifier's family patterns read the cell type (the name when the cell type is not
    known). Brand and INN stems ("-leucel") are not read: they say little about the cells.
    """
    if doc.get("modality") == "gene_therapy":
        return None
    family = _STEM_FAMILY.get(doc.get("stem_type") or "")
    if family:
        return family
    from ctatlas.trials.classify import _family_of

    text = doc.get("cell_type") or doc.get("name") or ""
    family = _family_of(normalise(text))
    if family in ("CAR_T", "CAR_NK") and not doc.get("genetically_modified"):
        family = "T_cell_other" if family == "CAR_T" else "NK"
    return family


def program_rows(therapies: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One JSON-ready row per program, therapies in the given order, programs in file order."""
    rows = []
    for doc in therapies:
        family = cell_family(doc)
        for index, program in enumerate(doc.get("programs") or ()):
            rows.append(
                {
                    "slug": doc["slug"],
                    "program": index,
                    "name": doc["name"],
                    "brand_names": list(
                        dict.fromkeys(a["brand_name"] for a in doc.get("authorizations") or ())
                    ),
                    "codes": list(doc.get("codes") or ()),
                    "developer": program.get("developer") or doc.get("developer"),
                    "home_jurisdiction": program["home_jurisdiction"],
                    "jurisdiction": program["jurisdiction"],
                    "stage": program["stage"],
                    "stage_note": program.get("stage_note"),
                    "status": program["status"],
                    "authorization": program.get("authorization"),
                    "modality": doc["modality"],
                    "cell_class": doc["cell_class"],
                    "stem_type": doc.get("stem_type"),
                    "cell_family": family,
                    "origin": doc.get("origin"),
                    "indications": [
                        {"text": i["text"], "disease_ids": list(i.get("disease_ids") or ())}
                        for i in program["indications"]
                    ],
                    "partners": list(program.get("partners") or ()),
                    "trial_ids": list(program.get("trial_ids") or ()),
                    "first_trial_start": program.get("first_trial_start"),
                    "filed": program.get("filed"),
                    "expected_decision": program.get("expected_decision"),
                    "discontinued": program.get("discontinued"),
                    "discontinuation_reason": program.get("discontinuation_reason"),
                    "designations": list(program.get("designations") or ()),
                    "sources": list(program.get("sources") or ()),
                    "conflicts": list(program.get("conflicts") or ()),
                    "unknown": dict(program.get("unknown") or {}),
                    "notes": program.get("notes"),
                }
            )
    return rows


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """A program row for a table cell each (CSV, XLSX): lists joined with '; '."""
    out: dict[str, Any] = {}
    for name in PIPELINE_FIELDS:
        if name == "disease_ids":
            value: Any = "; ".join(
                sorted({d for i in row["indications"] for d in i["disease_ids"]})
            )
        elif name == "indications":
            value = "; ".join(i["text"] for i in row["indications"])
        elif name == "partners":
            value = "; ".join(
                f"{p['name']} ({p['role']}"
                + (f", {', '.join(p['territories'])}" if p.get("territories") else "")
                + ")"
                for p in row["partners"]
            )
        elif name == "sources":
            value = "; ".join(s["url"] for s in row["sources"])
        elif name in ("brand_names", "codes", "trial_ids", "designations"):
            value = "; ".join(row[name])
        else:
            value = row[name]
        out[name] = value
    return out


@dataclasses.dataclass
class PipelineFilter:
    """Every filter of ``ctatlas pipeline`` and ``GET /api/v1/pipeline``; empty means any."""

    jurisdictions: list[str] = dataclasses.field(default_factory=list)
    stage: list[str] = dataclasses.field(default_factory=list)
    status: list[str] = dataclasses.field(default_factory=list)
    family: list[str] = dataclasses.field(default_factory=list)
    origin: list[str] = dataclasses.field(default_factory=list)
    disease: list[str] = dataclasses.field(default_factory=list)
    developer: str | None = None

    def matches(self, row: dict[str, Any], diseases: set[str] | None = None) -> bool:
        """Whether a program row passes. ``diseases``: the disease ids ``disease`` stands for
        (areas expanded), from :func:`check_filter`."""
        for name, key in (
            ("jurisdictions", "jurisdiction"),
            ("stage", "stage"),
            ("status", "status"),
            ("family", "cell_family"),
            ("origin", "origin"),
        ):
            wanted = getattr(self, name)
            if wanted and row[key] not in wanted:
                return False
        if self.disease:
            wanted_ids = diseases if diseases is not None else set(self.disease)
            ids = {d for i in row["indications"] for d in i["disease_ids"]}
            if ids.isdisjoint(wanted_ids):
                return False
        if self.developer:
            needle = normalise(self.developer.strip())
            names = [row.get("developer") or "", *(p["name"] for p in row["partners"])]
            if not any(needle in normalise(n) for n in names):
                return False
        return True


def check_filter(
    flt: PipelineFilter,
    jurisdictions: Iterable[str],
    diseases: Sequence[dict[str, Any]],
) -> tuple[list[tuple[str, str]], set[str]]:
    """The filter's problems as ``(flag, message)`` pairs, and the disease ids ``--disease``
    stands for (an area id stands for every disease in it)."""
    import difflib

    from ctatlas.vocab import Origin, ProgramStatus, Stage

    problems: list[tuple[str, str]] = []
    known_jurisdictions = sorted(set(jurisdictions))
    for value in flt.jurisdictions:
        if value not in known_jurisdictions:
            problems.append(
                (
                    "jurisdiction",
                    f"unknown jurisdiction '{value}'; known: {', '.join(known_jurisdictions)}",
                )
            )
    for flag, values, allowed in (
        ("stage", flt.stage, [m.value for m in Stage]),
        ("status", flt.status, [m.value for m in ProgramStatus]),
        ("family", flt.family, list(CELL_FAMILIES)),
        ("origin", flt.origin, [m.value for m in Origin]),
    ):
        for value in values:
            if value not in allowed:
                problems.append(
                    (flag, f"'{value}' is not allowed; allowed: {', '.join(allowed)}")
                )
    by_area: dict[str, set[str]] = {}
    for disease in diseases:
        by_area.setdefault(disease["area"], set()).add(disease["id"])
    disease_ids = {d["id"] for d in diseases}
    wanted: set[str] = set()
    for value in flt.disease:
        if value in disease_ids:
            wanted.add(value)
        elif value in by_area:
            wanted |= by_area[value]
        else:
            close = difflib.get_close_matches(value, sorted(disease_ids | set(by_area)), n=3)
            problems.append(
                (
                    "disease",
                    f"unknown disease or area '{value}'"
                    + (f"; did you mean {', '.join(close)}?" if close else ""),
                )
            )
    return problems, wanted


def filter_programs(
    rows: Sequence[dict[str, Any]], flt: PipelineFilter, diseases: set[str] | None = None
) -> list[dict[str, Any]]:
    """The rows that pass ``flt``."""
    return [row for row in rows if flt.matches(row, diseases)]


def completeness(
    jurisdictions: dict[str, dict[str, Any]], codes: Iterable[str]
) -> list[dict[str, Any]]:
    """How complete the programs recorded for each jurisdiction in ``codes`` are, from its
    file's ``pipeline:`` block: one JSON-ready entry per code, in code order.
    ``complete_as_of`` is None while the jurisdiction is not yet complete (or says nothing)."""
    out = []
    for code in sorted(set(codes)):
        doc = jurisdictions.get(code) or {}
        block = doc.get("pipeline") or {}
        out.append(
            {
                "jurisdiction": code,
                "name": doc.get("name") or code,
                "complete": block.get("complete_as_of") is not None,
                "complete_as_of": block.get("complete_as_of"),
                "sources_through": block.get("sources_through"),
                "coverage": block.get("coverage"),
                "method": block.get("method"),
                "excludes": list(block.get("excludes") or ()),
                "parts": [
                    {
                        "scope": part.get("scope"),
                        "complete_as_of": part.get("complete_as_of"),
                        "basis": part.get("basis"),
                    }
                    for part in block.get("parts") or ()
                ],
            }
        )
    return out


def completeness_line(entry: dict[str, Any]) -> str:
    """One entry of :func:`completeness` in plain English: "Japan (JP): complete as of
    2026-12-06" or "... not yet complete (newest source 2026-02)"."""
    head = f"{entry['name']} ({entry['jurisdiction']}): "
    if entry["complete_as_of"]:
        return head + f"complete as of {entry['complete_as_of']}"
    text = head + "not yet complete"
    if entry["sources_through"]:
        text += f" (newest source {entry['sources_through']})"
    elif entry["coverage"] is None:
        text += " (coverage not stated)"
    return text


def part_line(part: dict[str, Any]) -> str:
    """One part of a :func:`completeness` entry in plain English: "company programs ...:
    complete as of 2026-08-19" or "...: not yet complete"."""
    if part["complete_as_of"]:
        return f"{part['scope']}: complete as of {part['complete_as_of']}"
    return f"{part['scope']}: not yet complete"


def stage_counts(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """jurisdiction -> stage -> number of programs (every stage present, in stage order)."""
    from ctatlas.vocab import STAGE_ORDER

    out: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = out.setdefault(row["jurisdiction"], {s.value: 0 for s in STAGE_ORDER})
        counts[row["stage"]] += 1
    return dict(sorted(out.items()))


def programs_for_export(
    therapies: Sequence[dict[str, Any]],
    flt: Any,
    search_texts: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The program rows an export of products filtered by ``flt`` (a
    :class:`ctatlas.query.ProductFilter`) carries: programs in the filter's jurisdictions (any,
    when none is given) of therapies whose own attributes pass its product-level filters
    (modality, cell class, origin, search). Authorization-level filters (status, pathway,
    approval dates) say nothing about programs and are not applied to them."""
    chosen = [
        doc
        for doc in therapies
        if doc.get("programs")
        and flt.product_matches(doc, search_texts.get(doc["slug"]) if search_texts else None)
    ]
    rows = program_rows(chosen)
    if flt.jurisdictions:
        rows = [r for r in rows if r["jurisdiction"] in flt.jurisdictions]
    return rows
