"""Exports of the atlas: CSV, XLSX, JSON and a Frictionless Data Package.

One module for ``ctatlas export`` and ``GET /api/v1/export/{format}``, so both write the same
bytes. The tables are the store's, flattened for spreadsheets: ``products``,
``authorizations``, ``status_events``, ``indications``, ``sources``, ``jurisdictions``,
``diseases`` and ``programs`` (development programs, of authorized therapies and of therapies
only in development), joined by ``slug`` and ``authorization_id``.

Made for spreadsheets as well as for programs: the single-file CSV downloads (``csv``,
``programs_csv``) start with a UTF-8 byte-order mark, so Excel reads their Japanese and Korean
names as UTF-8 (Python reads them with ``encoding="utf-8-sig"``); the Data Package's CSVs stay
plain UTF-8, as its descriptor declares. The XLSX sheets have a frozen header row and a filter
on every column. Written files get the permissions of any new file (0644 under umask 022).

* ``csv``: one file, one row per authorization with its product's attributes (what
  ``ctatlas products --format csv`` prints, with every column).
* ``programs_csv``: one file, one row per development program with its therapy's attributes
  (the ``programs`` table; what ``ctatlas pipeline --format csv`` prints).
* ``xlsx``: one sheet per table, and an ``about`` sheet.
* ``json``: the product documents (the API's contract), jurisdictions, diseases and metadata.
* ``datapackage``: a zip holding ``datapackage.json`` (Frictionless Data Package, a Table
  Schema for every table, primary and foreign keys) and one CSV per table.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import secrets
import zipfile
from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from ctatlas import __version__

__all__ = [
    "ExportFormat",
    "ExportResult",
    "TABLES",
    "atomic_write",
    "export_bytes",
    "export_tables",
    "write_export",
]


class ExportFormat(str, Enum):
    """The formats the atlas exports to."""

    csv = "csv"
    programs_csv = "programs_csv"
    xlsx = "xlsx"
    json = "json"
    datapackage = "datapackage"


MEDIA_TYPES = {
    ExportFormat.csv: "text/csv; charset=utf-8",
    ExportFormat.programs_csv: "text/csv; charset=utf-8",
    ExportFormat.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.json: "application/json",
    ExportFormat.datapackage: "application/zip",
}
EXTENSIONS = {
    ExportFormat.csv: "csv",
    ExportFormat.programs_csv: "csv",
    ExportFormat.xlsx: "xlsx",
    ExportFormat.json: "json",
    ExportFormat.datapackage: "zip",
}


@dataclasses.dataclass(frozen=True)
class Field:
    """A column: its name, Table Schema type and description."""

    name: str
    type: str = "string"
    description: str = ""


PARTIAL = "YYYY, YYYY-MM or YYYY-MM-DD (partial dates are kept as given)"

#: table -> (fields, primary key, foreign keys as (fields, table, fields)).
TABLES: dict[str, tuple[list[Field], list[str], list[tuple[list[str], str, list[str]]]]] = {
    "products": (
        [
            Field("slug", description="Product id."),
            Field("name", description="INN or common name."),
            Field("aliases", description="Other names, '; '-separated."),
            Field("codes", description="Development codes, '; '-separated."),
            Field("developer"),
            Field("modality"),
            Field("cell_class", description="somatic (adult cell) or stem."),
            Field("stem_type"),
            Field("origin", description="autologous, allogeneic or xenogeneic."),
            Field("tissue_source"),
            Field("cell_type"),
            Field("manipulation"),
            Field("genetically_modified", "boolean"),
            Field("combined_with", description="'; '-separated."),
        ],
        ["slug"],
        [],
    ),
    "authorizations": (
        [
            Field("authorization_id", description="slug:jurisdiction:n"),
            Field("slug"),
            Field("jurisdiction"),
            Field("regulator"),
            Field("brand_name"),
            Field("local_name", description="Name in the local script."),
            Field("holder"),
            Field("approval_date", description=PARTIAL),
            Field("pathway"),
            Field("designations", description="'; '-separated."),
            Field("category", description="In the jurisdiction's own vocabulary."),
            Field("status"),
            Field("conditional_expiry", description=PARTIAL),
        ],
        ["authorization_id"],
        [(["slug"], "products", ["slug"]), (["jurisdiction"], "jurisdictions", ["code"])],
    ),
    "status_events": (
        [
            Field("authorization_id"),
            Field("seq", "integer", "Order within the authorization's history."),
            Field("date", description=PARTIAL + "; empty if undated"),
            Field(
                "not_after",
                description=PARTIAL + "; for an undated event, the latest date a source "
                "shows it had happened",
            ),
            Field("event"),
            Field("holder", description="For holder_changed: the new holder."),
            Field("note"),
        ],
        ["authorization_id", "seq"],
        [(["authorization_id"], "authorizations", ["authorization_id"])],
    ),
    "indications": (
        [
            Field("authorization_id"),
            Field("seq", "integer", "Order within the authorization."),
            Field("text"),
            Field("disease_ids", description="'; '-separated ids of diseases.csv."),
            Field("added", description=PARTIAL),
            Field("removed", description=PARTIAL),
        ],
        ["authorization_id", "seq"],
        [(["authorization_id"], "authorizations", ["authorization_id"])],
    ),
    "sources": (
        [
            Field("slug"),
            Field("authorization_id", description="Empty for a product-level source."),
            Field("url"),
            Field("title"),
            Field("publisher"),
            Field("kind"),
            Field("accessed", "date"),
            Field("published", description=PARTIAL),
            Field("supports", description="Fields it supports, '; '-separated."),
            Field(
                "read_via",
                description="The copy actually read when only a copy of the original was "
                "readable (url then names the original); empty otherwise.",
            ),
        ],
        [],
        [(["slug"], "products", ["slug"])],
    ),
    "jurisdictions": (
        [
            Field("code"),
            Field("name"),
            Field("local_name"),
            Field("complete_as_of", "date"),
            Field("coverage"),
            Field("regulators", description="'; '-separated ids."),
        ],
        ["code"],
        [],
    ),
    "diseases": (
        [
            Field("id"),
            Field("name"),
            Field("area"),
            Field("mesh_id"),
            Field("synonyms", description="'; '-separated."),
        ],
        ["id"],
        [],
    ),
    "programs": (
        [
            Field("program_id", description="slug:n (n: the program's place in its record)."),
            Field("slug", description="The therapy (a product, or a therapy in development)."),
            Field("name"),
            Field("brand_names", description="Its authorizations' brands, '; '-separated."),
            Field("codes", description="Development codes, '; '-separated."),
            Field("developer"),
            Field("home_jurisdiction", description="The developer's country."),
            Field("jurisdiction", description="Where the trials run or it is filed."),
            Field("stage", description="phase1, phase1_2, phase2, phase3, filed, approved."),
            Field("stage_note"),
            Field("status", description="active, discontinued, on_hold, unknown."),
            Field("authorization", description="Approved: the authorization's jurisdiction."),
            Field("modality"),
            Field("cell_class"),
            Field("stem_type"),
            Field("cell_family", description="The trial classifier's cell family."),
            Field("origin"),
            Field("indications", description="'; '-separated."),
            Field("disease_ids", description="'; '-separated ids of diseases.csv."),
            Field("partners", description="name (role, territories), '; '-separated."),
            Field("trial_ids", description="Registry ids, '; '-separated."),
            Field("first_trial_start", description=PARTIAL),
            Field("filed", description=PARTIAL),
            Field("expected_decision", description=PARTIAL),
            Field("discontinued", description=PARTIAL),
            Field("discontinuation_reason"),
            Field("designations", description="'; '-separated."),
            Field("sources", description="URLs, '; '-separated."),
        ],
        ["program_id"],
        [(["jurisdiction"], "jurisdictions", ["code"])],
    ),
}

#: Columns of the one-file CSV (one row per authorization).
FLAT_FIELDS = [
    "slug",
    "name",
    "modality",
    "cell_class",
    "stem_type",
    "origin",
    "tissue_source",
    "cell_type",
    "genetically_modified",
    "jurisdiction",
    "regulator",
    "brand_name",
    "local_name",
    "holder",
    "approval_date",
    "pathway",
    "designations",
    "category",
    "status",
    "indications",
    "disease_ids",
    "sources",
]


@dataclasses.dataclass
class ExportResult:
    """The exported bytes, with their media type and a file name."""

    content: bytes
    media_type: str
    filename: str


def _join(values: Sequence[Any] | None) -> str:
    return "; ".join(str(v) for v in values or [])


def export_tables(
    products: Sequence[dict[str, Any]],
    jurisdictions: Mapping[str, dict[str, Any]],
    diseases: Sequence[dict[str, Any]],
    programs: Sequence[dict[str, Any]] = (),
) -> dict[str, list[dict[str, Any]]]:
    """The tables of the export, as rows (plain values: str, int, bool or None).
    ``programs``: program rows (:func:`ctatlas.pipeline.program_rows`)."""
    out: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    out["programs"] = _program_rows(programs)
    for doc in products:
        out["products"].append(
            {
                "slug": doc["slug"],
                "name": doc["name"],
                "aliases": _join(doc.get("aliases")),
                "codes": _join(doc.get("codes")),
                "developer": doc.get("developer"),
                "modality": doc["modality"],
                "cell_class": doc["cell_class"],
                "stem_type": doc.get("stem_type"),
                "origin": doc.get("origin"),
                "tissue_source": doc.get("tissue_source"),
                "cell_type": doc.get("cell_type"),
                "manipulation": doc.get("manipulation"),
                "genetically_modified": doc.get("genetically_modified"),
                "combined_with": _join(doc.get("combined_with")),
            }
        )
        for source in doc.get("sources", []):
            out["sources"].append(_source(source, doc["slug"], None))
        per_jur: dict[str, int] = {}
        for auth in doc["authorizations"]:
            code = auth["jurisdiction"]
            per_jur[code] = per_jur.get(code, 0) + 1
            auth_id = f"{doc['slug']}:{code}:{per_jur[code]}"
            out["authorizations"].append(
                {
                    "authorization_id": auth_id,
                    "slug": doc["slug"],
                    "jurisdiction": code,
                    "regulator": auth["regulator"],
                    "brand_name": auth["brand_name"],
                    "local_name": auth.get("local_name"),
                    "holder": auth.get("holder"),
                    "approval_date": auth.get("approval_date"),
                    "pathway": auth["pathway"],
                    "designations": _join(auth.get("designations")),
                    "category": auth["category"],
                    "status": auth["status"],
                    "conditional_expiry": auth.get("conditional_expiry"),
                }
            )
            for seq, event in enumerate(auth.get("status_history", []), 1):
                out["status_events"].append(
                    {
                        "authorization_id": auth_id,
                        "seq": seq,
                        "date": event.get("date"),
                        "not_after": event.get("not_after"),
                        "event": event["event"],
                        "holder": event.get("holder"),
                        "note": event.get("note"),
                    }
                )
            for seq, ind in enumerate(auth["indications"], 1):
                out["indications"].append(
                    {
                        "authorization_id": auth_id,
                        "seq": seq,
                        "text": ind["text"],
                        "disease_ids": _join(ind.get("disease_ids")),
                        "added": ind.get("added"),
                        "removed": ind.get("removed"),
                    }
                )
            for source in auth.get("sources", []):
                out["sources"].append(_source(source, doc["slug"], auth_id))
    for code, jur in jurisdictions.items():
        out["jurisdictions"].append(
            {
                "code": code,
                "name": jur["name"],
                "local_name": jur.get("local_name"),
                "complete_as_of": jur.get("complete_as_of"),
                "coverage": jur.get("coverage"),
                "regulators": _join([r["id"] for r in jur.get("regulators", [])]),
            }
        )
    for disease in diseases:
        out["diseases"].append(
            {
                "id": disease["id"],
                "name": disease["name"],
                "area": disease["area"],
                "mesh_id": disease.get("mesh_id"),
                "synonyms": _join(disease.get("synonyms")),
            }
        )
    return out


def _program_rows(programs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    from ctatlas.pipeline import flat_row

    return [{"program_id": f"{r['slug']}:{r['program']}", **flat_row(r)} for r in programs]


def _source(source: dict[str, Any], slug: str, auth_id: str | None) -> dict[str, Any]:
    return {
        "slug": slug,
        "authorization_id": auth_id,
        "url": source["url"],
        "title": source["title"],
        "publisher": source["publisher"],
        "kind": source["kind"],
        "accessed": source["accessed"],
        "published": source.get("published"),
        "supports": _join(source.get("supports")),
        "read_via": source.get("read_via"),
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


#: The UTF-8 byte-order mark: tells Excel a CSV file is UTF-8 (it guesses a legacy code page
#: otherwise, and Japanese and Korean names turn into mojibake).
BOM = "\ufeff".encode()


def _csv(rows: Sequence[Mapping[str, Any]], fields: Sequence[str], *, bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow([_cell(row.get(f)) for f in fields])
    return (BOM if bom else b"") + buffer.getvalue().encode("utf-8")


def _flat_rows(products: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    from ctatlas.query import authorization_rows

    rows = authorization_rows(products)
    for row in rows:
        for key in ("designations", "disease_ids", "sources"):
            row[key] = _join(row[key])
    return rows


def _descriptor(meta: Mapping[str, str], counts: Mapping[str, int]) -> dict[str, Any]:
    resources = []
    for name, (fields, primary, foreign) in TABLES.items():
        schema: dict[str, Any] = {
            "fields": [
                {"name": f.name, "type": f.type}
                | ({"description": f.description} if f.description else {})
                for f in fields
            ],
            "missingValues": [""],
        }
        if primary:
            schema["primaryKey"] = primary
        if foreign:
            schema["foreignKeys"] = [
                {"fields": fk, "reference": {"resource": table, "fields": ref}}
                for fk, table, ref in foreign
            ]
        resources.append(
            {
                "name": name,
                "path": f"data/{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": schema,
                "stats": {"rows": counts.get(name, 0)},
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "cell-therapy-atlas",
        "title": "Cell Therapy Atlas: cell therapy products, their authorizations and sources",
        "version": __version__,
        "created": meta.get("built_at") or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
        "keywords": ["cell therapy", "regenerative medicine", "regulation", "ATMP"],
        "ctatlas": {"data_hash": meta.get("data_hash"), "ctatlas_version": __version__},
        "resources": resources,
    }


def _xlsx(tables: Mapping[str, list[dict[str, Any]]], meta: Mapping[str, str]) -> bytes:
    try:
        from openpyxl import Workbook
    except ImportError:  # pragma: no cover - a declared dependency
        from ctatlas.errors import BadInput

        raise BadInput("XLSX export needs openpyxl: pip install openpyxl") from None
    book = Workbook(write_only=True)
    about = book.create_sheet("about")
    about.append(["Cell Therapy Atlas export"])
    about.append(["ctatlas version", __version__])
    about.append(["data hash", meta.get("data_hash", "")])
    about.append(["built at", meta.get("built_at", "")])
    for name, rows in tables.items():
        about.append([f"sheet {name}", f"{len(rows)} rows"])
    from openpyxl.utils import get_column_letter

    for name, (fields, _, _) in TABLES.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"  # the header row stays in view while scrolling
        last = f"{get_column_letter(len(fields))}{len(tables[name]) + 1}"
        sheet.auto_filter.ref = f"A1:{last}"  # a filter button on every column
        sheet.append([f.name for f in fields])
        for row in tables[name]:
            sheet.append([row.get(f.name) for f in fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _zip(files: Mapping[str, bytes], stamp: tuple[int, int, int, int, int, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def export_bytes(
    fmt: ExportFormat | str,
    products: Sequence[dict[str, Any]],
    jurisdictions: Mapping[str, dict[str, Any]],
    diseases: Sequence[dict[str, Any]],
    meta: Mapping[str, str] | None = None,
    programs: Sequence[dict[str, Any]] = (),
) -> ExportResult:
    """The export in ``fmt`` of these products (all, or a filtered selection) and these
    development programs (rows of :func:`ctatlas.pipeline.program_rows`)."""
    fmt = ExportFormat(fmt)
    meta = dict(meta or {})
    filename = f"ctatlas.{EXTENSIONS[fmt]}"
    if fmt is ExportFormat.csv:
        content = _csv(_flat_rows(products), FLAT_FIELDS, bom=True)
        return ExportResult(content, MEDIA_TYPES[fmt], filename)
    if fmt is ExportFormat.programs_csv:
        fields = [f.name for f in TABLES["programs"][0]]
        content = _csv(_program_rows(programs), fields, bom=True)
        return ExportResult(content, MEDIA_TYPES[fmt], "ctatlas-programs.csv")
    if fmt is ExportFormat.json:
        document = {
            "ctatlas_version": __version__,
            "data_hash": meta.get("data_hash"),
            "built_at": meta.get("built_at"),
            "products": list(products),
            "jurisdictions": dict(jurisdictions),
            "diseases": list(diseases),
            "programs": list(programs),
        }
        content = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        return ExportResult(content, MEDIA_TYPES[fmt], filename)
    tables = export_tables(products, jurisdictions, diseases, programs)
    if fmt is ExportFormat.xlsx:
        return ExportResult(_xlsx(tables, meta), MEDIA_TYPES[fmt], filename)
    built = meta.get("built_at")
    try:
        when = dt.datetime.fromisoformat(built) if built else dt.datetime(2000, 1, 1)
    except ValueError:
        when = dt.datetime(2000, 1, 1)
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    files = {"datapackage.json": b""}
    for name, (fields, _, _) in TABLES.items():
        files[f"data/{name}.csv"] = _csv(tables[name], [f.name for f in fields])
    descriptor = _descriptor(meta, {k: len(v) for k, v in tables.items()})
    files["datapackage.json"] = json.dumps(descriptor, ensure_ascii=False, indent=2).encode()
    return ExportResult(_zip(files, stamp), MEDIA_TYPES[fmt], "ctatlas-datapackage.zip")


def write_export(
    fmt: ExportFormat | str,
    out: Path | str,
    products: Sequence[dict[str, Any]],
    jurisdictions: Mapping[str, dict[str, Any]],
    diseases: Sequence[dict[str, Any]],
    meta: Mapping[str, str] | None = None,
    programs: Sequence[dict[str, Any]] = (),
) -> Path:
    """Write the export to ``out`` atomically (a temporary file moved into place), with the
    permissions of any new file."""
    result = export_bytes(fmt, products, jurisdictions, diseases, meta, programs)
    path = Path(out)
    atomic_write(path, result.content)
    return path


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, moved into
    place when complete. The file is created with mode 0666 less the umask (0644 under umask
    022), as any new file is; ``tempfile.mkstemp`` would make it owner-only (0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
