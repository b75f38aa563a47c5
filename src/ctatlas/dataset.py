"""Load and validate ``data/`` into a :class:`Dataset`.

Two layers, as in the projects we learn from: pydantic checks each file's shape, then the
dataset is checked as a whole (ids that must exist, uniqueness, dates, histories). Every
problem is collected - none stops the others - each with file, line, field path, a reason code,
a message and a hint.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import typing
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ctatlas import yamlio
from ctatlas.datafiles import data_hash
from ctatlas.errors import DatasetInvalid
from ctatlas.model import (
    EVENT_STATUS,
    Authorization,
    CellClass,
    Citation,
    CopyHostFile,
    Designation,
    DiseaseFile,
    Jurisdiction,
    Modality,
    Origin,
    Pathway,
    Product,
    StatusEventType,
    StemType,
    date_start,
)
from ctatlas.sources import HOSTS_FILE, cited, copy_host

__all__ = [
    "Dataset",
    "Problem",
    "ProblemCode",
    "data_hash",
    "load_dataset",
    "validate_dataset",
]


#: The schema hint each kind of data file carries on its first line (relative to the file).
SCHEMAS = {
    "product": "../schema/product.schema.json",
    "jurisdiction": "../schema/jurisdiction.schema.json",
    "diseases": "schema/diseases.schema.json",
    "source_hosts": "schema/source_hosts.schema.json",
}


PRODUCT_KEY_FIELDS = ("origin", "tissue_source", "cell_type", "stem_type", "genetically_modified")
AUTHORIZATION_KEY_FIELDS = ("holder", "approval_date")


class ProblemCode(str, Enum):
    """Why a record is rejected."""

    yaml_syntax = "yaml_syntax"
    encoding = "encoding"
    schema = "schema"
    unknown_key = "unknown_key"
    slug_mismatch = "slug_mismatch"
    code_mismatch = "code_mismatch"
    duplicate = "duplicate"
    unknown_reference = "unknown_reference"
    missing_source = "missing_source"
    future_date = "future_date"
    history = "history"
    inconsistent = "inconsistent"
    unexplained_null = "unexplained_null"
    missing_file = "missing_file"
    copy_source = "copy_source"


@dataclasses.dataclass(frozen=True)
class Problem:
    """One thing wrong with the data."""

    file: str
    line: int | None
    field: str
    code: ProblemCode
    message: str
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        """``file:line: field: message (hint)`` on one line."""
        where = self.file + (f":{self.line}" if self.line else "")
        text = f"{where}: {self.field or '(file)'}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def as_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data."""
        out = dataclasses.asdict(self)
        out["code"] = self.code.value
        return out


@dataclasses.dataclass
class Dataset:
    """The validated curated data."""

    root: Path
    products: list[Product]
    jurisdictions: dict[str, Jurisdiction]
    diseases: DiseaseFile
    data_hash: str
    source_hosts: CopyHostFile | None = None

    def product(self, slug: str) -> Product:
        """The product with that slug (KeyError if none)."""
        for product in self.products:
            if product.slug == slug:
                return product
        raise KeyError(slug)


def fmt_loc(loc: Sequence[str | int]) -> str:
    """``("authorizations", 0, "status")`` -> ``authorizations[0].status``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --------------------------------------------------------------------------- shape


def _model_at(model: type[BaseModel] | None, loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The pydantic model class that holds the value at ``loc`` (for listing allowed keys)."""
    current: Any = model
    for part in loc:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _shape_problems(
    rel: str, text: str | yamlio.LineFinder, model: type[BaseModel], exc: ValidationError
) -> list[Problem]:
    lines = text if isinstance(text, yamlio.LineFinder) else yamlio.LineFinder(text)
    problems = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if isinstance(p, str | int)]
        field = fmt_loc(loc)
        kind = err["type"]
        hint = ""
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            allowed = sorted(parent.model_fields) if parent else []
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            message = f"unknown key '{loc[-1]}'"
            hint = (f"did you mean '{close[0]}'? " if close else "") + (
                "allowed keys: " + ", ".join(allowed) if allowed else ""
            )
            code = ProblemCode.unknown_key
        elif kind == "missing":
            message = "required field is missing"
            hint = "add it (use null plus a reason under `unknown:` when it is not known)"
            code = ProblemCode.schema
        else:
            message = err["msg"]
            if kind == "enum":
                expected = err.get("ctx", {}).get("expected")
                if expected:
                    hint = f"allowed values: {expected}"
            code = ProblemCode.schema
        problems.append(Problem(rel, lines.line(loc), field, code, message, hint))
    return problems


@dataclasses.dataclass
class _Loaded:
    rel: str
    lines: yamlio.LineFinder
    model: Any


def _load_file(
    root: Path, path: Path, model: type[BaseModel], problems: list[Problem]
) -> _Loaded | None:
    rel = path.relative_to(root).as_posix()
    try:
        text = yamlio.read(path)
    except yamlio.NotUtf8Error as exc:
        problems.append(
            Problem(rel, exc.line, "", ProblemCode.encoding, str(exc), "save the file as UTF-8")
        )
        return None
    try:
        raw = yamlio.load_text(text)
    except yamlio.YamlSyntaxError as exc:
        problems.append(
            Problem(rel, exc.line, "", ProblemCode.yaml_syntax, str(exc), "fix the YAML syntax")
        )
        return None
    if not isinstance(raw, dict):
        problems.append(
            Problem(rel, 1, "", ProblemCode.schema, "the file must hold one mapping (key: value)")
        )
        return None
    lines = yamlio.LineFinder(text)
    try:
        return _Loaded(rel, lines, model.model_validate(raw))
    except ValidationError as exc:
        problems.extend(_shape_problems(rel, lines, model, exc))
        return None


# --------------------------------------------------------------------------- integrity


class _Checker:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.problems: list[Problem] = []

    def add(
        self,
        loaded: _Loaded,
        loc: Sequence[str | int],
        code: ProblemCode,
        message: str,
        hint: str = "",
        severity: str = "error",
    ) -> None:
        self.problems.append(
            Problem(
                loaded.rel,
                loaded.lines.line(loc),
                fmt_loc(loc),
                code,
                message,
                hint,
                severity,
            )
        )

    def future(self, loaded: _Loaded, loc: Sequence[str | int], value: Any) -> None:
        if value is None:
            return
        start = value if isinstance(value, dt.date) else date_start(value)
        if start > self.today:
            self.add(
                loaded,
                loc,
                ProblemCode.future_date,
                f"date {value} is in the future (today is {self.today.isoformat()})",
                "record only what has happened",
            )


def _enum_values(enum: type[Enum]) -> set[str]:
    return {member.value for member in enum}


def _check_jurisdiction(chk: _Checker, loaded: _Loaded, stem: str) -> None:
    jur: Jurisdiction = loaded.model
    if jur.code != stem:
        chk.add(
            loaded,
            ["code"],
            ProblemCode.code_mismatch,
            f"code '{jur.code}' does not match the file name '{stem}.yaml'",
            f"rename the file to {jur.code}.yaml or fix the code",
        )
    from ctatlas.programcheck import check_program_coverage

    check_program_coverage(chk, loaded)
    law_ids = {law.id for law in jur.laws}
    for kind, items, allowed in (
        ("pathways", jur.pathways, _enum_values(Pathway)),
        ("designations", jur.designations, _enum_values(Designation)),
    ):
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id not in allowed:
                chk.add(
                    loaded,
                    [kind, i, "id"],
                    ProblemCode.unknown_reference,
                    f"'{item.id}' is not a known {kind[:-1]}",
                    "allowed values: " + ", ".join(sorted(allowed)),
                )
            if item.id in seen:
                chk.add(loaded, [kind, i, "id"], ProblemCode.duplicate, f"duplicate id '{item.id}'")
            seen.add(item.id)
    defined = {d.id for d in jur.designations}
    for i, total in enumerate(jur.designation_totals):
        if total.designation.value not in defined:
            chk.add(
                loaded,
                ["designation_totals", i, "designation"],
                ProblemCode.unknown_reference,
                f"designation '{total.designation.value}' is not defined in this file's "
                "designations",
                "defined: " + (", ".join(sorted(defined)) or "(none)"),
            )
    seen_categories: set[str] = set()
    for i, category in enumerate(jur.categories):
        if category.id in seen_categories:
            chk.add(
                loaded, ["categories", i, "id"], ProblemCode.duplicate, f"duplicate '{category.id}'"
            )
        seen_categories.add(category.id)
    for loc, citation in cited(jur):
        if not isinstance(citation, Citation) or citation.law is None:
            continue
        if citation.law not in law_ids:
            chk.add(
                loaded,
                [*loc, "law"],
                ProblemCode.unknown_reference,
                f"citation names law '{citation.law}', which is not in this file's laws",
                "known laws: " + ", ".join(sorted(law_ids)),
            )


def _check_product(
    chk: _Checker,
    loaded: _Loaded,
    stem: str,
    jurisdictions: dict[str, Jurisdiction],
    disease_ids: set[str],
) -> None:
    product: Product = loaded.model
    if product.slug != stem:
        chk.add(
            loaded,
            ["slug"],
            ProblemCode.slug_mismatch,
            f"slug '{product.slug}' does not match the file name '{stem}.yaml'",
            f"rename the file to {product.slug}.yaml or fix the slug",
        )
    # product attributes
    gene_therapy = product.modality is Modality.gene_therapy
    if product.cell_class is CellClass.stem:
        if product.stem_type in (None, StemType.not_applicable):
            chk.add(
                loaded,
                ["stem_type"],
                ProblemCode.inconsistent,
                "a stem-cell product needs a stem_type",
                "allowed values: "
                + ", ".join(m.value for m in StemType if m is not StemType.not_applicable),
            )
    elif product.stem_type not in (StemType.not_applicable,):
        chk.add(
            loaded,
            ["stem_type"],
            ProblemCode.inconsistent,
            f"stem_type '{product.stem_type.value if product.stem_type else None}' on a "
            f"{product.cell_class.value} product, which has no stem type",
            "set stem_type: not_applicable",
        )
    if gene_therapy:
        if product.cell_class is not CellClass.not_applicable:
            chk.add(
                loaded,
                ["cell_class"],
                ProblemCode.inconsistent,
                "a non-cell gene therapy has cell_class 'not_applicable'",
            )
        if product.origin is not Origin.not_applicable:
            chk.add(
                loaded,
                ["origin"],
                ProblemCode.inconsistent,
                "a non-cell gene therapy has no cell origin",
                "set origin: not_applicable",
            )
    else:
        if product.cell_class is CellClass.not_applicable:
            chk.add(
                loaded,
                ["cell_class"],
                ProblemCode.inconsistent,
                f"a {product.modality.value} product is 'somatic' or 'stem'",
            )
        if product.origin is Origin.not_applicable:
            chk.add(
                loaded,
                ["origin"],
                ProblemCode.inconsistent,
                f"a {product.modality.value} product has a cell origin",
                "allowed values: autologous, allogeneic, xenogeneic",
            )
    if product.modality is Modality.gene_modified_cell and product.genetically_modified is False:
        chk.add(
            loaded,
            ["genetically_modified"],
            ProblemCode.inconsistent,
            "a gene_modified_cell product is genetically_modified: true",
        )
    for name in PRODUCT_KEY_FIELDS:
        if getattr(product, name) is None and name not in product.unknown:
            chk.add(
                loaded,
                [name],
                ProblemCode.unexplained_null,
                f"{name} is null without a reason",
                f"add `unknown: {{{name}: <why it is not known>}}` or fill it in",
            )
    product_urls = {s.url for s in product.sources}
    record_urls = product_urls | {s.url for a in product.authorizations for s in a.sources}
    record_urls |= {s.url for p in product.programs for s in p.sources}
    _check_sources_and_conflicts(chk, loaded, [], product.sources, product.conflicts, record_urls)
    for i, source in enumerate(product.sources):
        chk.future(loaded, ["sources", i, "accessed"], source.accessed)

    for a, auth in enumerate(product.authorizations):
        _check_authorization(chk, loaded, a, auth, jurisdictions, disease_ids, product_urls)
    from ctatlas.programcheck import check_programs

    check_programs(chk, loaded, jurisdictions, disease_ids, record_urls)


def _check_sources_and_conflicts(
    chk: _Checker,
    loaded: _Loaded,
    base: list[Any],
    sources: Sequence[Any],
    conflicts: Sequence[Any],
    extra_urls: set[str],
) -> None:
    urls = {s.url for s in sources} | extra_urls
    for c, conflict in enumerate(conflicts):
        for v, value in enumerate(conflict.values):
            if value.source not in urls:
                chk.add(
                    loaded,
                    [*base, "conflicts", c, "values", v, "source"],
                    ProblemCode.unknown_reference,
                    f"conflict source {value.source} is not among the record's sources",
                    "add the source under `sources:` or cite one that is listed",
                )


def _known_jurisdiction(
    chk: _Checker,
    loaded: _Loaded,
    base: list[Any],
    code: str,
    jurisdictions: dict[str, Jurisdiction],
) -> Jurisdiction | None:
    """The jurisdiction a record names, or None after reporting an unknown code."""
    jur = jurisdictions.get(code)
    if jur is None:
        chk.add(
            loaded,
            [*base, "jurisdiction"],
            ProblemCode.unknown_reference,
            f"unknown jurisdiction '{code}'",
            "known: " + ", ".join(sorted(jurisdictions)),
        )
    return jur


def _check_designations(
    chk: _Checker, loaded: _Loaded, base: list[Any], designations: list[Any], jur: Jurisdiction
) -> None:
    """Every designation must be one the jurisdiction's file defines."""
    defined = [d.id for d in jur.designations]
    for d, designation in enumerate(designations):
        if designation.value not in defined:
            chk.add(
                loaded,
                [*base, "designations", d],
                ProblemCode.unknown_reference,
                f"designation '{designation.value}' is not defined in "
                f"jurisdictions/{jur.code}.yaml",
                "allowed values: " + (", ".join(defined) or "(none defined)"),
            )


def _check_authorization(
    chk: _Checker,
    loaded: _Loaded,
    a: int,
    auth: Authorization,
    jurisdictions: dict[str, Jurisdiction],
    disease_ids: set[str],
    product_urls: set[str],
) -> None:
    base: list[Any] = ["authorizations", a]
    jur = _known_jurisdiction(chk, loaded, base, auth.jurisdiction, jurisdictions)
    if jur is not None:
        categories = [c.id for c in jur.categories]
        if auth.category not in categories:
            chk.add(
                loaded,
                [*base, "category"],
                ProblemCode.unknown_reference,
                f"category '{auth.category}' is not defined in jurisdictions/{jur.code}.yaml",
                "allowed values: " + ", ".join(categories),
            )
        for h, change in enumerate(auth.category_history):
            if change.to_category not in categories:
                chk.add(
                    loaded,
                    [*base, "category_history", h, "to_category"],
                    ProblemCode.unknown_reference,
                    f"category '{change.to_category}' is not defined in "
                    f"jurisdictions/{jur.code}.yaml",
                    "allowed values: " + ", ".join(categories),
                )
        pathways = [p.id for p in jur.pathways]
        if auth.pathway.value not in pathways:
            chk.add(
                loaded,
                [*base, "pathway"],
                ProblemCode.unknown_reference,
                f"pathway '{auth.pathway.value}' is not defined in jurisdictions/{jur.code}.yaml",
                "allowed values: " + ", ".join(pathways),
            )
        _check_designations(chk, loaded, base, auth.designations, jur)
    for name in AUTHORIZATION_KEY_FIELDS:
        if getattr(auth, name) is None and name not in auth.unknown:
            chk.add(
                loaded,
                [*base, name],
                ProblemCode.unexplained_null,
                f"{name} is null without a reason",
                f"add `unknown: {{{name}: <why it is not known>}}` or fill it in",
            )
    # sources
    if not auth.sources:
        chk.add(
            loaded,
            [*base, "sources"],
            ProblemCode.missing_source,
            "an authorization needs at least one source",
            "add a source you opened: url, title, publisher, kind, accessed",
        )
    for s, source in enumerate(auth.sources):
        chk.future(loaded, [*base, "sources", s, "accessed"], source.accessed)
        chk.future(loaded, [*base, "sources", s, "published"], source.published)
    _check_sources_and_conflicts(chk, loaded, base, auth.sources, auth.conflicts, product_urls)
    # dates
    for name in ("approval_date", "advisory_date", "launched"):
        chk.future(loaded, [*base, name], getattr(auth, name))
    for i, ind in enumerate(auth.indications):
        for d, disease in enumerate(ind.disease_ids):
            if disease not in disease_ids:
                close = difflib.get_close_matches(disease, sorted(disease_ids), n=3)
                chk.add(
                    loaded,
                    [*base, "indications", i, "disease_ids", d],
                    ProblemCode.unknown_reference,
                    f"disease id '{disease}' is not in diseases.yaml",
                    ("close: " + ", ".join(close)) if close else "add it to diseases.yaml",
                )
        chk.future(loaded, [*base, "indications", i, "added"], ind.added)
        chk.future(loaded, [*base, "indications", i, "removed"], ind.removed)
    for h, change in enumerate(auth.category_history):
        chk.future(loaded, [*base, "category_history", h, "date"], change.date)
    # status history
    history = auth.status_history
    previous = None
    current = None
    for h, event in enumerate(history):
        chk.future(loaded, [*base, "status_history", h, "date"], event.date)
        chk.future(loaded, [*base, "status_history", h, "not_after"], event.not_after)
        start = date_start(event.effective_date)
        if previous is not None and start < previous:
            chk.add(
                loaded,
                [*base, "status_history", h, "date"],
                ProblemCode.history,
                f"status history is out of date order at {event.effective_date}",
                "list events oldest first",
            )
        previous = start
        if event.event is StatusEventType.holder_changed and event.holder is None:
            chk.add(
                loaded,
                [*base, "status_history", h, "event"],
                ProblemCode.history,
                "a holder change does not name the new holder",
                "add `holder: <the new holder>` to the event",
            )
        new_status = EVENT_STATUS[event.event]
        if new_status is not None:
            current = new_status
    first = history[0]
    if first.event not in (StatusEventType.approved, StatusEventType.conditionally_approved):
        chk.add(
            loaded,
            [*base, "status_history", 0, "event"],
            ProblemCode.history,
            f"status history starts with '{first.event.value}'",
            "the first event is 'approved' or 'conditionally_approved'",
        )
    if first.date is None:
        # An approval whose date no source gives is bounded by not_after (the model demands
        # it, with a note); then approval_date must be null too, with its reason.
        if auth.approval_date is not None:
            chk.add(
                loaded,
                [*base, "status_history", 0, "date"],
                ProblemCode.history,
                f"the approval event has no date but approval_date is {auth.approval_date}",
                "date the approval event with approval_date",
            )
    elif auth.approval_date and not (
        first.date.startswith(auth.approval_date) or auth.approval_date.startswith(first.date)
    ):
        chk.add(
            loaded,
            [*base, "status_history", 0, "date"],
            ProblemCode.history,
            f"first event date {first.date} differs from approval_date {auth.approval_date}",
            "the first status event is the approval",
        )
    if current is not None and current is not auth.status:
        chk.add(
            loaded,
            [*base, "status"],
            ProblemCode.history,
            f"status '{auth.status.value}' disagrees with the status history, "
            f"which ends in '{current.value}'",
            "add the dated event that led to the current status",
        )


def _check_copies(
    chk: _Checker, loaded: _Loaded, hosts: CopyHostFile, severity: str = "error"
) -> None:
    for loc, source in cited(loaded.model):
        entry = copy_host(source.url, hosts.copies)
        if entry is not None:
            chk.add(
                loaded,
                [*loc, "url"],
                ProblemCode.copy_source,
                f"{source.url} is a copy, not a source ({entry.kind.value.replace('_', ' ')}: "
                f"{entry.reason})",
                "cite the original (its URL, title and reference number) and name the copy "
                f"you read in read_via, or find another source; see {HOSTS_FILE}",
                severity,
            )


# --------------------------------------------------------------------------- entry points


def validate_dataset(
    root: Path, today: dt.date | None = None
) -> tuple[Dataset | None, list[Problem]]:
    """Load and check everything under ``root``; return the dataset (None if any error)."""
    root = Path(root)
    chk = _Checker(today or dt.date.today())
    problems = chk.problems
    if not root.is_dir():
        problems.append(
            Problem(str(root), None, "", ProblemCode.missing_file, "data folder not found")
        )
        return None, problems

    diseases_path = root / "diseases.yaml"
    diseases: DiseaseFile | None = None
    disease_ids: set[str] = set()
    if not diseases_path.exists():
        problems.append(
            Problem("diseases.yaml", None, "", ProblemCode.missing_file, "diseases.yaml is missing")
        )
    else:
        loaded = _load_file(root, diseases_path, DiseaseFile, problems)
        if loaded is not None:
            diseases = loaded.model
            area_ids = {area.id for area in diseases.areas}
            for i, disease in enumerate(diseases.diseases):
                if disease.id in disease_ids:
                    chk.add(
                        loaded,
                        ["diseases", i, "id"],
                        ProblemCode.duplicate,
                        f"duplicate disease id '{disease.id}'",
                    )
                disease_ids.add(disease.id)
                if disease.area not in area_ids:
                    chk.add(
                        loaded,
                        ["diseases", i, "area"],
                        ProblemCode.unknown_reference,
                        f"unknown area '{disease.area}'",
                        "allowed values: " + ", ".join(sorted(area_ids)),
                    )

    source_hosts: CopyHostFile | None = None
    hosts_path = root / HOSTS_FILE
    if hosts_path.exists():
        loaded = _load_file(root, hosts_path, CopyHostFile, problems)
        source_hosts = loaded.model if loaded is not None else None

    jurisdictions: dict[str, Jurisdiction] = {}
    for path in sorted((root / "jurisdictions").glob("*.yaml")):
        loaded = _load_file(root, path, Jurisdiction, problems)
        if loaded is not None:
            _check_jurisdiction(chk, loaded, path.stem)
            if source_hosts is not None:
                _check_copies(chk, loaded, source_hosts)
            jurisdictions[loaded.model.code] = loaded.model

    products: list[Product] = []
    slugs: dict[str, str] = {}
    brands: dict[tuple[str, str], str] = {}
    for path in sorted((root / "products").glob("*.yaml")):
        loaded = _load_file(root, path, Product, problems)
        if loaded is None:
            continue
        product: Product = loaded.model
        _check_product(chk, loaded, path.stem, jurisdictions, disease_ids)
        if source_hosts is not None:
            _check_copies(chk, loaded, source_hosts)
        if product.slug in slugs:
            chk.add(
                loaded,
                ["slug"],
                ProblemCode.duplicate,
                f"slug '{product.slug}' is also used by {slugs[product.slug]}",
            )
        slugs.setdefault(product.slug, loaded.rel)
        for a, auth in enumerate(product.authorizations):
            key = (auth.jurisdiction, auth.brand_name.casefold())
            if key in brands and brands[key] != loaded.rel:
                chk.add(
                    loaded,
                    ["authorizations", a, "brand_name"],
                    ProblemCode.duplicate,
                    f"brand '{auth.brand_name}' in {auth.jurisdiction} is also in {brands[key]}",
                    "one therapy, one file: merge the records",
                )
            elif key in brands:
                chk.add(
                    loaded,
                    ["authorizations", a, "brand_name"],
                    ProblemCode.duplicate,
                    f"two {auth.jurisdiction} authorizations with brand '{auth.brand_name}'",
                )
            brands.setdefault(key, loaded.rel)
        products.append(product)

    if any(p.severity == "error" for p in problems) or diseases is None:
        return None, problems
    dataset = Dataset(root, products, jurisdictions, diseases, data_hash(root), source_hosts)
    return dataset, problems


def load_dataset(root: Path | str | None = None) -> Dataset:
    """The validated dataset; raises :class:`DatasetInvalid` listing every problem."""
    from ctatlas.config import data_dir

    dataset, problems = validate_dataset(data_dir(root))
    if dataset is None:
        raise DatasetInvalid(problems)
    return dataset
