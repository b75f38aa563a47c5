"""Matching a regulator's list to the atlas's authorizations, and the text report.

See :mod:`ctatlas.crosscheck`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ctatlas.crosscheck.lists import (
    CELL_MODALITIES,
    EMA_STATUS,
    LIST_LABEL,
    LISTS,
    ListEntry,
    ListFile,
    decode_text,
    name_keys,
    norm_name,
    read_bytes,
)
from ctatlas.errors import BadInput

# --------------------------------------------------------------------------- explanations


@dataclasses.dataclass
class Explanation:
    """A known difference: which list, which record (slug, brand or the list's name), why."""

    list: str
    key: str
    reason: str
    kind: str | None = None
    used: bool = False

    def covers(self, diff: Difference) -> bool:
        if self.list != diff.list or (self.kind and self.kind != diff.kind):
            return False
        wanted = norm_name(self.key)
        return wanted in {norm_name(k) for k in diff.keys() if k}


DIFFERENCE_KINDS = ("not_in_atlas", "not_in_list", "name", "date", "status", "end_date")


def load_explained(path: str | Path) -> list[Explanation]:
    """Read an ``--explained`` YAML file: a list (or ``explained:`` list) of {list, key, reason}."""
    import yaml

    path = Path(path)
    text = decode_text(path, read_bytes(path))
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadInput(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    if isinstance(doc, dict) and "explained" in doc:
        doc = doc["explained"]
    if doc is None:
        return []
    expected = "a list of entries {list: fda|ema, key: ..., reason: ..., kind: (optional)}"
    if not isinstance(doc, list):
        raise BadInput(f"{path}: expected {expected}")
    out = []
    for i, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            raise BadInput(f"{path}: entry {i} is not a mapping; expected {expected}")
        unknown = set(item) - {"list", "key", "reason", "kind"}
        if unknown:
            raise BadInput(f"{path}: entry {i} has unknown keys {', '.join(sorted(unknown))}")
        which, key, reason = item.get("list"), item.get("key"), item.get("reason")
        kind = item.get("kind")
        if which not in LISTS:
            raise BadInput(f"{path}: entry {i}: list must be one of {', '.join(LISTS)}")
        if not isinstance(key, str) or not key.strip():
            raise BadInput(f"{path}: entry {i}: key must be a non-empty text")
        if not isinstance(reason, str) or not reason.strip():
            raise BadInput(f"{path}: entry {i} ({key}): reason must be a non-empty text")
        if kind is not None and kind not in DIFFERENCE_KINDS:
            raise BadInput(
                f"{path}: entry {i} ({key}): kind must be one of {', '.join(DIFFERENCE_KINDS)}"
            )
        out.append(Explanation(which, key.strip(), " ".join(reason.split()), kind))
    return out


# --------------------------------------------------------------------------- comparison


@dataclasses.dataclass
class Match:
    """A list entry and the atlas authorization it was matched to."""

    key: str
    slug: str
    brand: str
    atlas_brand: str
    by: str  # brand, inn
    cell_based: bool
    list_date: str | None
    atlas_date: str | None
    list_status: str | None
    atlas_status: str


@dataclasses.dataclass
class Difference:
    """One way the list and the atlas disagree."""

    list: str
    kind: str
    key: str  # the list's name for list-side differences, else the atlas slug
    message: str
    cell_based: bool
    slug: str | None = None
    brand: str | None = None
    list_value: str | None = None
    atlas_value: str | None = None
    explained: str | None = None

    def keys(self) -> list[str]:
        return [self.key, self.slug or "", self.brand or ""]

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Report:
    """The outcome of one cross-check."""

    list: str
    jurisdiction: str
    file: str
    format: str
    entries: int
    atlas_authorizations: int
    matched: list[Match]
    differences: list[Difference]
    explained: list[Difference]
    excluded: list[dict[str, Any]]
    unused_explanations: list[Explanation]
    has_dates: bool
    generated: str | None = None
    explained_file: str | None = None

    @property
    def ok(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "jurisdiction": self.jurisdiction,
            "file": self.file,
            "format": self.format,
            "generated": self.generated,
            "explained_file": self.explained_file,
            "summary": {
                "list_entries": self.entries,
                "atlas_authorizations": self.atlas_authorizations,
                "matched": len(self.matched),
                "differences": len(self.differences),
                "explained": len(self.explained),
                "excluded_rows": len(self.excluded),
                "dates_compared": self.has_dates,
            },
            "differences": [d.as_dict() for d in self.differences],
            "explained": [d.as_dict() for d in self.explained],
            "matched": [dataclasses.asdict(m) for m in self.matched],
            "excluded_rows": [
                {k: row.get(k) for k in ("key", "status", "line", "cell_based", "reason")}
                for row in self.excluded
            ],
            "unused_explanations": [
                {"list": e.list, "key": e.key, "kind": e.kind, "reason": e.reason}
                for e in self.unused_explanations
            ],
        }


@dataclasses.dataclass
class _Auth:
    product: dict[str, Any]
    auth: dict[str, Any]
    index: int

    @property
    def slug(self) -> str:
        return str(self.product["slug"])

    @property
    def cell_based(self) -> bool:
        return self.product.get("modality") in CELL_MODALITIES


def _product_keys(product: dict[str, Any]) -> set[str]:
    keys: set[str] = set()
    for name in [product.get("name"), *product.get("aliases", []), *product.get("codes", [])]:
        keys |= name_keys(name)
    keys.add(norm_name(str(product["slug"]).replace("-", " ")))
    return keys


def _entry_name_keys(entry: ListEntry) -> set[str]:
    keys: set[str] = set()
    for name in [entry.inn, *entry.names]:
        keys |= name_keys(name)
    return keys


def _brand_keys(entry: ListEntry) -> set[str]:
    keys = name_keys(entry.brand)
    for name in entry.former_brands:  # "Beqvez (previously Durveqtix)"
        keys |= name_keys(name)
    return keys


def _atlas_end_date(auth: dict[str, Any]) -> str | None:
    ends = {"withdrawn", "expired", "revoked", "not_renewed"}
    dates = [e.get("date") for e in auth.get("status_history", []) if e.get("event") in ends]
    dates = [d for d in dates if d]
    return dates[-1] if dates else None


def _compare_dates(label: str, list_date: str | None, atlas_date: str | None) -> tuple[bool, str]:
    """(differs, message) for a list date against a partial atlas date."""
    if not list_date:
        return False, ""
    if not atlas_date:
        return True, f"{label}: the list has {list_date}; the atlas has none"
    if list_date == atlas_date:
        return False, ""
    if list_date.startswith(atlas_date):
        return True, f"{label}: the list has {list_date}; the atlas only {atlas_date}"
    return True, f"{label}: the list has {list_date}; the atlas {atlas_date}"


def _find_other(others: Sequence[ListEntry], brand: str, names: set[str]) -> ListEntry | None:
    """The out-of-scope row (EMA: not flagged Advanced therapy) naming this atlas record."""
    brand_keys = name_keys(brand)
    for entry in others:
        if _brand_keys(entry) & brand_keys:
            return entry
    for entry in others:
        if _entry_name_keys(entry) & names:
            return entry
    return None


#: Where each list's values come from, as the atlas's sources cite them.
LIST_SOURCES = {
    "fda": ("github.com/databio/everyday-genomics", "fda.gov/vaccines-blood-biologics"),
    "ema": ("ema.europa.eu/en/medicines",),
}
#: The atlas field a kind of difference is about (for recorded conflicts).
KIND_FIELDS = {
    "date": ("approval_date",),
    "status": ("status",),
    "end_date": ("status", "status_history"),
    "not_in_list": ("status", "approval_date"),
    "name": ("brand_name",),
}


def recorded_conflict(diff: Difference, auth: dict[str, Any]) -> str | None:
    """The atlas's own record of this difference, if it has one.

    An authorization whose ``conflicts`` name the list's value (or cite the list itself as the
    source of a value) on the same field already says why the atlas differs from the list.
    """
    for conflict in auth.get("conflicts") or []:
        field = conflict.get("field")
        if field not in KIND_FIELDS.get(diff.kind, ()):
            continue
        chosen, current = conflict.get("chosen"), auth.get(str(field))
        if diff.list_value is not None and str(chosen) == diff.list_value:
            continue  # the atlas chose the list's value: the conflict is not this difference
        if isinstance(current, str | int | float | bool) and str(chosen) != str(current):
            continue  # the record moved on since the conflict was written
        for value in conflict.get("values", []):
            same = diff.list_value is not None and str(value.get("value")) == diff.list_value
            cited = any(host in str(value.get("source", "")) for host in LIST_SOURCES[diff.list])
            if same or cited:
                return (
                    f"the atlas records this conflict on {conflict['field']} (chose "
                    f"{conflict.get('chosen')!s}): {conflict.get('reason')}"
                )
    return None


def _pair_differences(entry: ListEntry, found: _Auth, by: str) -> list[Difference]:
    """How a list entry and the atlas authorization matched to it differ."""
    auth = found.auth
    atlas_brand = str(auth.get("brand_name"))
    out: list[Difference] = []

    def diff(kind: str, message: str, lv: Any, av: Any) -> None:
        out.append(
            Difference(
                entry.list,
                kind,
                found.slug,
                message,
                found.cell_based,
                slug=found.slug,
                brand=atlas_brand,
                list_value=None if lv is None else str(lv),
                atlas_value=None if av is None else str(av),
            )
        )

    if by == "inn" and not (_brand_keys(entry) & name_keys(atlas_brand)):
        diff(
            "name",
            f"brand: the list has '{entry.brand}'; the atlas '{atlas_brand}' (matched by INN)",
            entry.brand,
            atlas_brand,
        )
    differs, message = _compare_dates(
        "approval date", entry.approval_date, auth.get("approval_date")
    )
    if differs:
        diff("date", message, entry.approval_date, auth.get("approval_date"))
    if entry.status is not None:
        agree = EMA_STATUS.get(entry.status.casefold())
        if agree is None or auth.get("status") not in agree:
            diff(
                "status",
                f"status: the list has '{entry.status}'; the atlas '{auth.get('status')}'",
                entry.status,
                auth.get("status"),
            )
        end = _atlas_end_date(auth)
        differs, message = _compare_dates("end date", entry.end_date, end)
        if differs:
            diff("end_date", message, entry.end_date, end)
    return out


def compare(
    listfile: ListFile,
    products: Iterable[dict[str, Any]],
    explained: Sequence[Explanation] = (),
    use_recorded_conflicts: bool = True,
) -> Report:
    """Match the list's entries to the atlas's authorizations in the list's jurisdiction.

    A difference is *explained* when an entry of ``explained`` covers it, or (unless
    ``use_recorded_conflicts`` is false) when the atlas authorization records it as a
    conflict between sources (see :func:`recorded_conflict`).
    """
    which = listfile.list
    jurisdiction = LISTS[which]
    products = list(products)
    auths = [
        _Auth(p, a, i)
        for p in products
        for i, a in enumerate(p.get("authorizations", []))
        if a.get("jurisdiction") == jurisdiction
    ]
    by_brand: dict[str, list[_Auth]] = {}
    for a in auths:
        for name in (a.auth.get("brand_name"), a.auth.get("local_name")):
            for key in name_keys(name):
                by_brand.setdefault(key, []).append(a)
    product_keys = {p["slug"]: _product_keys(p) for p in products}
    used: set[tuple[str, int]] = set()
    matched: list[Match] = []
    diffs: list[Difference] = []

    def pick(candidates: list[_Auth], entry: ListEntry) -> _Auth | None:
        free = [c for c in candidates if (c.slug, c.index) not in used]
        unique = {(c.slug, c.index): c for c in free}
        if len(unique) == 1:
            return next(iter(unique.values()))
        names = _entry_name_keys(entry)
        narrowed = [c for c in unique.values() if product_keys[c.slug] & names]
        return narrowed[0] if len(narrowed) == 1 else None

    for entry in listfile.entries:
        found: _Auth | None = None
        by = "brand"
        candidates = [a for k in _brand_keys(entry) for a in by_brand.get(k, [])]
        if candidates:
            found = pick(candidates, entry)
        names = _entry_name_keys(entry)
        if found is None and names:
            by = "inn"
            slugs = {slug for slug, keys in product_keys.items() if keys & names}
            if len(slugs) == 1:
                found = pick([a for a in auths if a.slug in slugs], entry)
                if found is None and not any(a.slug in slugs for a in auths):
                    slug = next(iter(slugs))
                    product = next(p for p in products if p["slug"] == slug)
                    diffs.append(
                        Difference(
                            which,
                            "not_in_atlas",
                            entry.key,
                            f"on the list ({entry.approval_date or 'no date'}"
                            f"{', ' + entry.status if entry.status else ''}); the atlas has "
                            f"the product '{slug}' but no {jurisdiction} authorization",
                            product.get("modality") in CELL_MODALITIES,
                            slug=slug,
                            brand=entry.brand,
                            list_value=entry.approval_date,
                        )
                    )
                    continue
        if found is None:
            diffs.append(
                Difference(
                    which,
                    "not_in_atlas",
                    entry.key,
                    f"on the list ({entry.approval_date or 'no date'}"
                    f"{', ' + entry.status if entry.status else ''}), not in the atlas",
                    entry.cell_based,
                    brand=entry.brand,
                    list_value=entry.approval_date,
                )
            )
            continue
        used.add((found.slug, found.index))
        auth = found.auth
        atlas_brand = str(auth.get("brand_name"))
        match = Match(
            entry.key,
            found.slug,
            entry.brand,
            atlas_brand,
            by,
            found.cell_based,
            entry.approval_date,
            auth.get("approval_date"),
            entry.status,
            str(auth.get("status")),
        )
        matched.append(match)

        diffs += _pair_differences(entry, found, by)

    # atlas records the list lacks
    excluded_keys: dict[str, dict[str, Any]] = {}
    for row in listfile.excluded:
        for key in name_keys(row.get("brand")) | name_keys(row.get("inn")):
            excluded_keys[key] = row
    for a in auths:
        if (a.slug, a.index) in used:
            continue
        brand = str(a.auth.get("brand_name"))
        note = ""
        for key in name_keys(brand) | product_keys[a.slug]:
            if key in excluded_keys:
                row = excluded_keys[key]
                note = f"; the list has '{row['key']}' only as {row['reason']}"
                break
        elsewhere = _find_other(listfile.others, brand, product_keys[a.slug])
        if elsewhere is not None and not note:
            note = (
                f"; the report has it outside the list's scope (row {elsewhere.line} "
                f"'{elsewhere.key}': Advanced therapy not 'Yes', status "
                f"'{elsewhere.status or '?'}', marketing authorisation "
                f"{elsewhere.approval_date or 'none'})"
            )
        diffs.append(
            Difference(
                which,
                "not_in_list",
                a.slug,
                f"in the atlas ({jurisdiction} {brand}, {a.auth.get('approval_date') or 'no date'},"
                f" {a.auth.get('status')}), not on the list{note}",
                a.cell_based,
                slug=a.slug,
                brand=brand,
                list_value=elsewhere.key if elsewhere is not None else None,
                atlas_value=a.auth.get("approval_date"),
            )
        )
        if elsewhere is not None and elsewhere.status and elsewhere.status.casefold() in EMA_STATUS:
            # authorised outside the flag: its dates and status can still be compared
            diffs += _pair_differences(elsewhere, a, "brand")

    # explanations
    open_diffs, explained_diffs = [], []
    explanations = [e for e in explained if e.list == which]
    auth_of = {(a.slug, str(a.auth.get("brand_name"))): a.auth for a in auths}
    for d in diffs:
        reason = next((e for e in explanations if e.covers(d)), None)
        if reason is not None:
            reason.used = True
            d.explained = reason.reason
            explained_diffs.append(d)
            continue
        auth = auth_of.get((d.slug or "", d.brand or ""))
        recorded = recorded_conflict(d, auth) if auth and use_recorded_conflicts else None
        if recorded:
            d.explained = recorded
            explained_diffs.append(d)
        else:
            open_diffs.append(d)
    return Report(
        list=which,
        jurisdiction=jurisdiction,
        file=listfile.path,
        format=listfile.format,
        entries=len(listfile.entries),
        atlas_authorizations=len(auths),
        matched=matched,
        differences=open_diffs,
        explained=explained_diffs,
        excluded=listfile.excluded,
        unused_explanations=[e for e in explanations if not e.used],
        has_dates=listfile.has_dates,
        generated=listfile.generated,
    )


# --------------------------------------------------------------------------- text output

KIND_TITLES = {
    "not_in_atlas": "On the list, not in the atlas",
    "not_in_list": "In the atlas, not on the list",
    "name": "Brand names differ",
    "date": "Approval dates differ",
    "status": "Statuses differ",
    "end_date": "Withdrawal / expiry dates differ",
}


def render_report(report: Report) -> str:
    """The report as plain text, grouped by kind of difference."""
    lines = [f"{LIST_LABEL[report.list]} ({report.jurisdiction}): {report.file} [{report.format}]"]
    if report.generated:
        lines.append(f"  export says: {report.generated}")
    if report.explained_file:
        lines.append(f"  explanations: {report.explained_file}")
    lines.append(
        f"  {report.entries} list entries, {report.atlas_authorizations} atlas "
        f"{report.jurisdiction} authorizations, {len(report.matched)} matched, "
        f"{len(report.differences)} difference(s), {len(report.explained)} explained"
        + (f", {len(report.excluded)} row(s) not authorizations" if report.excluded else "")
    )
    if not report.has_dates:
        lines.append("  (the file has no approval dates: dates not compared)")

    def tag(d: Difference) -> str:
        return "cell-based" if d.cell_based else "not cell-based"

    for kind, title in KIND_TITLES.items():
        group = [d for d in report.differences if d.kind == kind]
        if not group:
            continue
        lines.append("")
        lines.append(f"{title} ({len(group)}):")
        for d in group:
            lines.append(f"  {d.key}  [{tag(d)}]")
            lines.append(f"      {d.message}")
    if report.explained:
        lines.append("")
        lines.append(f"Explained ({len(report.explained)}):")
        for d in report.explained:
            lines.append(f"  {d.kind:12} {d.key}  [{tag(d)}]: {d.message}")
            lines.append(f"      explained: {d.explained}")
    if report.excluded:
        lines.append("")
        lines.append(f"Rows set aside, not authorizations ({len(report.excluded)}):")
        for row in report.excluded:
            lines.append(f"  {row['key']}  ({row['reason']})")
    if report.unused_explanations:
        lines.append("")
        lines.append("Explanations that matched no difference (stale?):")
        for e in report.unused_explanations:
            lines.append(f"  {e.list} {e.key}{' ' + e.kind if e.kind else ''}: {e.reason}")
    lines.append("")
    lines.append("No differences." if report.ok else f"{len(report.differences)} difference(s).")
    return "\n".join(lines)
