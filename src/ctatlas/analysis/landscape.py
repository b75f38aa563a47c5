"""The landscape the analysis runs on: product documents as they stood on a date.

Every analysis function takes a :class:`Landscape`. It is built from the store (what the web
and the CLI read) or from a :class:`~ctatlas.dataset.Dataset`, optionally restricted to some
jurisdictions and rebuilt ``as_of`` a past date from each authorization's dated history:

- an authorization whose first approval is after ``as_of`` disappears (and a product with no
  authorization left disappears with it);
- its status is the one its last status-changing event on or before ``as_of`` left it in, so
  one withdrawn later is authorized again;
- indications added later, or removed on or before ``as_of``, are dropped; indications removed
  later are restored;
- its legal category is the one in force then (``category_history``).

Partial dates (``2017``, ``2017-05``) count from their first day, as
:func:`ctatlas.model.date_start` reads them.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ctatlas.conditional import annotate_authorization
from ctatlas.vocab import EVENT_STATUS, StatusEventType, date_precision, date_start

if TYPE_CHECKING:
    from ctatlas.dataset import Dataset
    from ctatlas.store import Store

__all__ = [
    "ASIA",
    "APPROVING_EVENTS",
    "CORE_JURISDICTIONS",
    "ENDED_STATUSES",
    "Landscape",
    "approval_date",
    "approval_day",
    "authorization_as_of",
    "is_cell_product",
    "is_marketed",
    "jurisdiction_order",
    "landscape_from_dataset",
    "landscape_from_store",
    "parse_as_of",
]

#: Asia as the founding analysis's Table 3 reads it, with the Gulf states.
ASIA: tuple[str, ...] = (
    "JP", "KR", "CN", "IN", "TW", "SG", "MY", "IR", "AE", "SA", "QA", "BH", "KW", "OM",
)  # fmt: skip

#: The four jurisdictions of the definitions table, in the order the analysis uses.
CORE_JURISDICTIONS: tuple[str, ...] = ("JP", "US", "EU", "KR")

#: Events that grant an authorization.
APPROVING_EVENTS = frozenset(
    {StatusEventType.approved.value, StatusEventType.conditionally_approved.value}
)

#: Statuses that mean the product is no longer marketed under that authorization.
ENDED_STATUSES: tuple[str, ...] = ("withdrawn", "expired", "revoked", "not_renewed", "suspended")

_EVENT_STATUS = {event.value: (s.value if s else None) for event, s in EVENT_STATUS.items()}


def jurisdiction_order(codes: Iterable[str]) -> list[str]:
    """JP, KR, US, EU first (the analysis's focus), then the rest alphabetically."""
    first = ("JP", "KR", "US", "EU")
    codes = set(codes)
    return [c for c in first if c in codes] + sorted(codes - set(first))


def parse_as_of(value: str | dt.date | None) -> dt.date | None:
    """``YYYY-MM-DD`` (or a date) -> date; ValueError for anything else."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a date written YYYY-MM-DD") from None


def approval_date(auth: dict[str, Any]) -> str | None:
    """The authorization's first approval as a partial date: ``approval_date``, else the
    earliest dated approving event of its history (some regulators publish only the event; an
    undated one, bounded only by ``not_after``, gives no date)."""
    if auth.get("approval_date"):
        return str(auth["approval_date"])
    dates = [
        e["date"]
        for e in auth.get("status_history", [])
        if e["event"] in APPROVING_EVENTS and e.get("date")
    ]
    return min(dates, key=date_start) if dates else None


def approval_day(auth: dict[str, Any]) -> dt.date | None:
    """:func:`approval_date` as a date (its first possible day)."""
    value = approval_date(auth)
    return date_start(value) if value else None


def is_cell_product(doc: dict[str, Any]) -> bool:
    """Everything but non-cell gene therapies (vectors, oncolytic viruses, plasmids)."""
    return bool(doc["modality"] != "gene_therapy")


def is_marketed(auth: dict[str, Any]) -> bool:
    """Authorized (not suspended, withdrawn, expired ...)."""
    return bool(auth["status"] == "authorized")


def _on_or_before(value: str | None, day: dt.date) -> bool:
    return value is not None and date_start(value) <= day


def authorization_as_of(auth: dict[str, Any], day: dt.date) -> dict[str, Any] | None:
    """The authorization as it stood on ``day``, or None if it was not yet granted."""
    first = approval_day(auth)
    if first is None or first > day:
        return None
    out = copy.deepcopy(auth)
    events = [
        e
        for e in auth.get("status_history", [])
        if _on_or_before(e["date"] or e.get("not_after"), day)  # undated: by its not_after
    ]
    status = "authorized"
    for event in events:
        status = _EVENT_STATUS.get(event["event"]) or status
    out["status"] = status
    out["status_history"] = events
    out["indications"] = [
        ind
        for ind in auth["indications"]
        if (ind.get("added") is None or date_start(ind["added"]) <= day)
        and (ind.get("removed") is None or date_start(ind["removed"]) > day)
    ]
    if not out["indications"]:  # a history that names no indication then: keep the first ones
        out["indications"] = [i for i in auth["indications"] if i.get("added") is None]
    changes = sorted(auth.get("category_history", []), key=lambda c: date_start(c["date"]))
    later = [c for c in changes if date_start(c["date"]) > day]
    if later and later[0].get("from_category"):
        out["category"] = later[0]["from_category"]
    out["category_history"] = [c for c in changes if date_start(c["date"]) <= day]
    return annotate_authorization(out, day)


@dataclasses.dataclass
class Landscape:
    """Products (JSON documents) and reference data, restricted and dated.

    ``products`` hold only authorizations in ``jurisdictions`` that existed on ``as_of``
    (all of them when ``as_of`` is None), each with its status then.
    """

    products: list[dict[str, Any]]
    jurisdictions: dict[str, dict[str, Any]]
    diseases: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    selected: list[str]
    as_of: dt.date | None = None
    data_hash: str | None = None
    #: Development programs in the selected jurisdictions, as rows of
    #: :func:`ctatlas.pipeline.program_rows` (as curated today: none when ``as_of`` is set).
    programs: list[dict[str, Any]] = dataclasses.field(default_factory=list)

    @property
    def reference_day(self) -> dt.date:
        """``as_of``, or today."""
        return self.as_of or dt.date.today()

    def authorizations(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Every (product, authorization) pair."""
        return [(doc, auth) for doc in self.products for auth in doc["authorizations"]]

    def disease_area(self) -> dict[str, str]:
        """disease id -> area id."""
        return {d["id"]: d["area"] for d in self.diseases}

    def area_names(self) -> dict[str, str]:
        """area id -> name."""
        return {a["id"]: a["name"] for a in self.areas}


def _restrict(
    products: Sequence[dict[str, Any]], selected: Sequence[str], as_of: dt.date | None
) -> list[dict[str, Any]]:
    wanted = set(selected)
    out = []
    for doc in products:
        auths = []
        for auth in doc["authorizations"]:
            if auth["jurisdiction"] not in wanted:
                continue
            dated = authorization_as_of(auth, as_of) if as_of else auth
            if dated is not None:
                auths.append(dated)
        if auths:
            out.append({**doc, "authorizations": auths})
    return out


def _build(
    products: Sequence[dict[str, Any]],
    jurisdictions: dict[str, dict[str, Any]],
    diseases: list[dict[str, Any]],
    areas: list[dict[str, Any]],
    only: Sequence[str] | None,
    as_of: str | dt.date | None,
    data_hash: str | None,
) -> Landscape:
    from ctatlas.errors import BadInput

    try:
        day = parse_as_of(as_of)
    except ValueError as exc:
        raise BadInput(f"--as-of {exc}") from None
    present = set(jurisdictions)
    present |= {a["jurisdiction"] for d in products for a in d["authorizations"]}
    if only:
        wanted = [c.strip().upper() for c in only if c.strip()]
        unknown = [c for c in wanted if c not in present]
        if unknown:
            raise BadInput(
                f"unknown jurisdiction {', '.join(unknown)}; "
                f"known: {', '.join(jurisdiction_order(present))}"
            )
        selected = jurisdiction_order(wanted)
    else:
        selected = jurisdiction_order(present)
    return Landscape(
        products=_restrict(products, selected, day),
        jurisdictions={c: jurisdictions[c] for c in selected if c in jurisdictions},
        diseases=diseases,
        areas=areas,
        selected=selected,
        as_of=day,
        data_hash=data_hash,
    )


def landscape_from_store(
    store: Store,
    jurisdictions: Sequence[str] | None = None,
    as_of: str | dt.date | None = None,
) -> Landscape:
    """The landscape from a built store (what the CLI and the web read)."""
    land = _build(
        store.products(),
        store.jurisdictions(),
        store.diseases(),
        store.areas(),
        jurisdictions,
        as_of,
        store.meta().get("data_hash"),
    )
    return _with_programs(land, store.therapies())


def landscape_from_dataset(
    dataset: Dataset,
    jurisdictions: Sequence[str] | None = None,
    as_of: str | dt.date | None = None,
) -> Landscape:
    """The landscape from a loaded dataset (no store needed)."""
    from ctatlas.store import product_document

    docs = [product_document(p) for p in sorted(dataset.products, key=lambda p: p.slug)]
    land = _build(
        # a therapy only in development is not an approved product
        [doc for doc in docs if doc["authorizations"]],
        {c: j.model_dump(mode="json") for c, j in sorted(dataset.jurisdictions.items())},
        [d.model_dump(mode="json") for d in dataset.diseases.diseases],
        [a.model_dump(mode="json") for a in dataset.diseases.areas],
        jurisdictions,
        as_of,
        dataset.data_hash,
    )
    return _with_programs(land, docs)


def _with_programs(land: Landscape, therapies: Sequence[dict[str, Any]]) -> Landscape:
    """The landscape with the programs of its jurisdictions (none for a past ``as_of``)."""
    if land.as_of is None:
        from ctatlas.pipeline import program_rows

        wanted = set(land.selected)
        land.programs = [r for r in program_rows(therapies) if r["jurisdiction"] in wanted]
    return land


def precision_of(value: str | None) -> str | None:
    """``day`` / ``month`` / ``year`` of a partial date (None for None)."""
    return date_precision(value) if value else None
