"""Conditional approvals followed to their outcome, computed as of a day.

An authorization whose ``pathway`` is ``conditional``, ``conditional_time_limited`` or
``accelerated`` (or an indication approved on such a pathway inside another authorization)
has a term or a confirmatory obligation, and an outcome: converted to full approval, renewed,
a full application pending, expired, not renewed, withdrawn, revoked, or still within its
term. ``status`` keeps the legal vocabulary; the outcome is computed here from the dated
``status_history`` and the term (``conditional_expiry``, moved by the ``until`` of an extension
or renewal), never typed into the data, and always for a stated day:

1. the last ending event on or before the day decides: ``converted_to_full`` (converted),
   ``withdrawn`` (withdrawn; for an indication also its removal), ``revoked``, ``expired``,
   ``not_renewed``; a later ``reinstated`` undoes a withdrawal, revocation or expiry;
2. else a ``full_application_filed`` on or before the day: the full application is pending
   (a Japanese approval past its term with an application pending is still authorized);
3. else a term that ended before the day: expired, dated the last day of the term;
4. else an extension or renewal: renewed, dated the renewal;
5. else within its term, dated the grant.

The deadline is the end of the current term (a partial date means its last day); days left
are counted from the day (negative: overdue). An accelerated approval with no fixed term has
no deadline.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ctatlas.labels import label
from ctatlas.vocab import TERM_EVENTS, ConditionalOutcome, date_start

__all__ = [
    "CONDITIONAL_PATHWAYS",
    "CONVERSION_DENOMINATOR",
    "OUTCOME_LABELS",
    "annotate_authorization",
    "annotate_product",
    "assess",
    "conversion_rates",
    "date_end",
    "outcome_text",
    "today",
    "tracker_rows",
]

#: Pathways whose approvals have a term or a confirmatory obligation.
CONDITIONAL_PATHWAYS = frozenset({"conditional", "conditional_time_limited", "accelerated"})

#: Plain words for each outcome (pages, tables, the CLI's table), from the label catalogue.
OUTCOME_LABELS: dict[str, str] = {
    o.value: label("conditional_outcome", o.value) for o in ConditionalOutcome
}

#: Outcomes that count in a conversion rate's denominator (in-term and pending are open).
CONVERSION_DENOMINATOR = ("converted", "expired", "not_renewed", "withdrawn", "revoked")

_ENDING = {
    "converted_to_full": ConditionalOutcome.converted,
    "withdrawn": ConditionalOutcome.withdrawn,
    "revoked": ConditionalOutcome.revoked,
    "expired": ConditionalOutcome.expired,
    "not_renewed": ConditionalOutcome.not_renewed,
}
_TERM_EVENTS = frozenset(e.value for e in TERM_EVENTS)


def today() -> dt.date:
    """The day values computed 'now' are computed for (UTC)."""
    return dt.datetime.now(dt.UTC).date()


def date_end(value: str) -> dt.date:
    """The last day a partial date can mean (2025-12 -> 2025-12-31, 2025 -> 2025-12-31)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return dt.date(parts[0], 12, 31)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], parts[1], parts[2])


def _effective(event: dict[str, Any]) -> str | None:
    return event.get("date") or event.get("not_after")


def assess(
    granted: str | None,
    expiry: str | None,
    events: Iterable[dict[str, Any]],
    day: dt.date,
    removed: str | None = None,
) -> dict[str, Any]:
    """The outcome of one conditional approval on ``day``.

    ``granted``: the grant (partial date); ``expiry``: the term as first granted;
    ``events``: its status events (any order is sorted; those after ``day`` are ignored);
    ``removed``: for an indication, when it was removed. Returns ``conditional_outcome``,
    ``conditional_outcome_date``, ``conditional_deadline`` (end of the current term, or None)
    and ``conditional_days_left`` (None without a deadline, negative when overdue).
    """
    dated = [e for e in events if _effective(e) and date_start(_effective(e)) <= day]  # type: ignore[arg-type]
    dated.sort(key=lambda e: date_start(_effective(e)))  # type: ignore[arg-type]
    term_end = expiry
    term_start = granted
    renewed = False
    filed: str | None = None
    ending: tuple[ConditionalOutcome, str | None] | None = None
    for event in dated:
        kind = event["event"]
        when = _effective(event)
        if kind in _ENDING:
            ending = (_ENDING[kind], when)
        elif kind == "reinstated":
            ending = None
        elif kind in _TERM_EVENTS:
            renewed, term_start, filed = True, when, None
            if event.get("until"):
                term_end = event["until"]
        elif kind == "full_application_filed":
            filed = when
    if ending is None and removed and date_start(removed) <= day:
        ending = (ConditionalOutcome.withdrawn, removed)
    days_left = (date_end(term_end) - day).days if term_end else None
    if ending is not None:
        outcome, when = ending
    elif filed is not None:
        outcome, when = ConditionalOutcome.full_application_pending, filed
    elif term_end is not None and days_left is not None and days_left < 0:
        outcome, when = ConditionalOutcome.expired, term_end
    elif renewed:
        outcome, when = ConditionalOutcome.renewed, term_start
    else:
        outcome, when = ConditionalOutcome.in_term, term_start
    open_ = outcome in (
        ConditionalOutcome.in_term,
        ConditionalOutcome.renewed,
        ConditionalOutcome.full_application_pending,
    )
    return {
        "conditional_outcome": outcome.value,
        "conditional_outcome_date": when,
        "conditional_deadline": term_end,
        # a closed approval has no time left to count
        "conditional_days_left": days_left if open_ else None,
        "conditional_as_of": day.isoformat(),
    }


def _granted(auth: dict[str, Any]) -> str | None:
    if auth.get("approval_date"):
        return str(auth["approval_date"])
    firsts = [
        _effective(e)
        for e in auth.get("status_history", [])
        if e["event"] in ("approved", "conditionally_approved")
    ]
    return next((f for f in firsts if f), None)


def annotate_authorization(auth: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """Add the computed outcome to ``auth`` (in place) and to each of its indications approved
    on a conditional pathway of their own; return it."""
    if auth.get("pathway") in CONDITIONAL_PATHWAYS:
        auth.update(
            assess(
                _granted(auth), auth.get("conditional_expiry"), auth.get("status_history", []), day
            )
        )
    else:
        for key in ("conditional_outcome", "conditional_outcome_date", "conditional_deadline",
                    "conditional_days_left", "conditional_as_of"):  # fmt: skip
            auth.pop(key, None)
    for ind in auth.get("indications", []):
        if ind.get("pathway") in CONDITIONAL_PATHWAYS:
            ind.update(
                assess(
                    ind.get("added") or _granted(auth),
                    ind.get("conditional_expiry"),
                    ind.get("status_history", []),
                    day,
                    removed=ind.get("removed"),
                )
            )
    return auth


def annotate_product(doc: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """A copy of a product document with every conditional outcome computed for ``day``."""
    if not any(_is_conditional(a) for a in doc.get("authorizations", [])):
        return doc
    out = copy.deepcopy(doc)
    for auth in out["authorizations"]:
        annotate_authorization(auth, day)
    return out


def _is_conditional(auth: dict[str, Any]) -> bool:
    return auth.get("pathway") in CONDITIONAL_PATHWAYS or any(
        i.get("pathway") in CONDITIONAL_PATHWAYS for i in auth.get("indications", [])
    )


def outcome_text(item: dict[str, Any]) -> str | None:
    """'expired on 2024-03', 'within its term (until 2033-03)' ... for an annotated
    authorization or indication; None when it has no conditional outcome."""
    outcome = item.get("conditional_outcome")
    if not outcome:
        return None
    label = OUTCOME_LABELS[outcome]
    when = item.get("conditional_outcome_date")
    if outcome in ("in_term", "renewed"):
        deadline = item.get("conditional_deadline")
        if outcome == "renewed" and when:
            label += f" {when}"
        return label + (f", until {deadline}" if deadline else ", no fixed term")
    if outcome == "full_application_pending":
        return label + (f" (filed {when})" if when else "")
    return label + (f" {when}" if when else "")


def tracker_rows(
    products: Sequence[dict[str, Any]],
    day: dt.date,
    jurisdictions: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """One row per conditional approval (an authorization, or an indication on a conditional
    pathway of its own) granted on or before ``day``, outcomes computed for ``day``; sorted by
    jurisdiction, then deadline, then brand name."""
    from ctatlas.analysis.landscape import authorization_as_of

    wanted = set(jurisdictions) if jurisdictions else None
    rows: list[dict[str, Any]] = []
    for doc in products:
        for raw in doc.get("authorizations", []):
            if wanted is not None and raw["jurisdiction"] not in wanted:
                continue
            if not _is_conditional(raw):
                continue
            auth = authorization_as_of(raw, day)
            if auth is None:
                continue
            base = {
                "slug": doc["slug"],
                "name": doc["name"],
                "jurisdiction": auth["jurisdiction"],
                "brand_name": auth["brand_name"],
                "holder": auth.get("holder"),
                "status": auth["status"],
            }
            if auth["pathway"] in CONDITIONAL_PATHWAYS:
                rows.append(_row(base, auth, None, _granted(auth)))
            for ind in raw.get("indications", []):  # removed ones too: their outcome is known
                if ind.get("pathway") not in CONDITIONAL_PATHWAYS:
                    continue
                granted = ind.get("added") or _granted(auth)
                if granted is None or date_start(granted) > day:
                    continue
                scored = {
                    **ind,
                    **assess(
                        granted,
                        ind.get("conditional_expiry"),
                        ind.get("status_history", []),
                        day,
                        removed=ind.get("removed"),
                    ),
                }
                rows.append(_row(base, scored, ind["text"], granted))
    rows.sort(
        key=lambda r: (
            r["jurisdiction"],
            date_end(r["deadline"]) if r["deadline"] else dt.date.max,
            r["brand_name"].casefold(),
        )
    )
    return rows


def _row(
    base: dict[str, Any], item: dict[str, Any], indication: str | None, granted: str | None
) -> dict[str, Any]:
    return {
        **base,
        "indication": indication,
        "pathway": item.get("pathway"),
        "granted": granted,
        "deadline": item.get("conditional_deadline"),
        "days_left": item.get("conditional_days_left"),
        "outcome": item["conditional_outcome"],
        "outcome_label": OUTCOME_LABELS[item["conditional_outcome"]],
        "outcome_date": item.get("conditional_outcome_date"),
        "confirmatory_obligation": item.get("confirmatory_obligation"),
        "as_of": item["conditional_as_of"],
    }


def conversion_rates(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per jurisdiction: counts of each outcome and the conversion rate, converted /
    (converted + expired + not_renewed + withdrawn + revoked); None when nothing has closed."""
    per: dict[str, Counter[str]] = {}
    for row in rows:
        per.setdefault(row["jurisdiction"], Counter())[row["outcome"]] += 1
    out = []
    for code in sorted(per):
        counts = per[code]
        closed = sum(counts[o] for o in CONVERSION_DENOMINATOR)
        out.append(
            {
                "jurisdiction": code,
                "total": sum(counts.values()),
                **{o.value: counts[o.value] for o in ConditionalOutcome},
                "closed": closed,
                "conversion_rate": counts["converted"] / closed if closed else None,
            }
        )
    return out
