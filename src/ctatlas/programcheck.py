"""Dataset checks for development programs (``programs:`` in a product file).

Kept apart from :mod:`ctatlas.dataset`, which calls :func:`check_programs` for every product.
A program must be sourced, name a known jurisdiction and known diseases, give trial ids in a
registry's canonical form, keep its dates in order, and, when approved, point at an
authorization of the same record.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ctatlas.vocab import ProgramStatus, Stage

if TYPE_CHECKING:
    from ctatlas.dataset import _Checker, _Loaded
    from ctatlas.model import Jurisdiction, Product, Program

__all__ = ["check_program_coverage", "check_programs", "trial_id_problem"]

#: Dates that must lie in the past (an expected decision may lie ahead).
PAST_DATES = ("first_trial_start", "filed", "discontinued")
#: Pairs (earlier, later) that must be in order when both are given.
DATE_ORDER = (
    ("first_trial_start", "filed"),
    ("first_trial_start", "discontinued"),
    ("filed", "expected_decision"),
)


def trial_id_problem(trial_id: str) -> str | None:
    """Why ``trial_id`` is not a registry id in canonical form (None when it is)."""
    from ctatlas.trials.record import canonical_id

    found = canonical_id(trial_id)
    if found is None:
        return (
            f"'{trial_id}' is not a trial registry id "
            "(NCT, jRCT, UMIN, JapicCTI, KCT, ChiCTR, EUCTR, ISRCTN, ACTRN ...)"
        )
    if found[1] != trial_id:
        return f"write '{trial_id}' as '{found[1]}' (the registry's canonical form)"
    return None


def check_program_coverage(chk: _Checker, loaded: _Loaded) -> None:
    """A jurisdiction file's ``pipeline:`` block: its dates (its parts' too) lie in the past, a
    sweep said complete as of a day read no source newer than that day, and a jurisdiction
    said complete has no part said incomplete."""
    jur: Jurisdiction = loaded.model
    block = jur.pipeline
    if block is None:
        return
    from ctatlas.dataset import ProblemCode
    from ctatlas.model import date_start

    chk.future(loaded, ["pipeline", "complete_as_of"], block.complete_as_of)
    chk.future(loaded, ["pipeline", "sources_through"], block.sources_through)
    for i, part in enumerate(block.parts):
        chk.future(loaded, ["pipeline", "parts", i, "complete_as_of"], part.complete_as_of)
        if block.complete_as_of is not None and part.complete_as_of is None:
            chk.add(
                loaded,
                ["pipeline", "parts", i, "complete_as_of"],
                ProblemCode.inconsistent,
                f"the part '{part.scope}' is not complete, but the jurisdiction is complete as of "
                f"{block.complete_as_of.isoformat()}",
                "a jurisdiction is complete only when each of its parts is",
            )
    if block.complete_as_of is not None and block.sources_through is not None:
        if date_start(block.sources_through) > block.complete_as_of:
            chk.add(
                loaded,
                ["pipeline", "sources_through"],
                ProblemCode.inconsistent,
                f"sources_through {block.sources_through} is later than complete_as_of "
                f"{block.complete_as_of.isoformat()}",
                "a sweep is complete as of a day no earlier than the newest source it read",
            )


def check_programs(
    chk: _Checker,
    loaded: _Loaded,
    jurisdictions: dict[str, Jurisdiction],
    disease_ids: set[str],
    record_urls: set[str],
) -> None:
    """Add a problem for everything wrong with the product's programs."""
    from ctatlas.dataset import ProblemCode

    product: Product = loaded.model
    if not product.authorizations and not product.programs:
        chk.add(
            loaded,
            ["authorizations"],
            ProblemCode.schema,
            "a therapy needs at least one authorization or one development program",
            "add `authorizations:` or `programs:`",
        )
    authorized = {a.jurisdiction for a in product.authorizations}
    seen: dict[tuple[str, str, tuple[str, ...]], int] = {}
    for p, program in enumerate(product.programs):
        _check_program(chk, loaded, p, program, jurisdictions, disease_ids, record_urls, authorized)
        key = (
            program.jurisdiction,
            program.stage.value,
            tuple(sorted(i.text.casefold() for i in program.indications)),
        )
        if key in seen:
            chk.add(
                loaded,
                ["programs", p],
                ProblemCode.duplicate,
                f"program {p} repeats program {seen[key]} (same jurisdiction, stage and "
                "indications)",
                "merge the two programs",
            )
        seen.setdefault(key, p)


def _check_program(
    chk: _Checker,
    loaded: _Loaded,
    p: int,
    program: Program,
    jurisdictions: dict[str, Jurisdiction],
    disease_ids: set[str],
    record_urls: set[str],
    authorized: set[str],
) -> None:
    from ctatlas.dataset import (
        ProblemCode,
        _check_designations,
        _check_sources_and_conflicts,
        _known_jurisdiction,
    )

    base: list[Any] = ["programs", p]
    jur = _known_jurisdiction(chk, loaded, base, program.jurisdiction, jurisdictions)
    if jur is not None:
        _check_designations(chk, loaded, base, program.designations, jur)
    # stage and the authorization it points at
    if program.stage is Stage.approved:
        if program.authorization is None:
            chk.add(
                loaded,
                [*base, "authorization"],
                ProblemCode.inconsistent,
                "an approved program names its authorization",
                "set `authorization:` to the jurisdiction code of an authorization in this file"
                + (f" ({', '.join(sorted(authorized))})" if authorized else ""),
            )
        elif program.authorization not in authorized:
            chk.add(
                loaded,
                [*base, "authorization"],
                ProblemCode.unknown_reference,
                f"no authorization in {program.authorization} in this record",
                "add the authorization under `authorizations:`, or name one of: "
                + (", ".join(sorted(authorized)) or "(none recorded)"),
            )
    elif program.authorization is not None:
        chk.add(
            loaded,
            [*base, "authorization"],
            ProblemCode.inconsistent,
            f"a program at stage '{program.stage.value}' names an authorization",
            "set stage: approved, or authorization: null",
        )
    # status and discontinuation
    if program.status is not ProgramStatus.discontinued:
        for name in ("discontinued", "discontinuation_reason"):
            if getattr(program, name) is not None:
                chk.add(
                    loaded,
                    [*base, name],
                    ProblemCode.inconsistent,
                    f"{name} is given but the status is '{program.status.value}'",
                    "set status: discontinued, or remove it",
                )
    else:
        for name in ("discontinued", "discontinuation_reason"):
            if getattr(program, name) is None and name not in program.unknown:
                chk.add(
                    loaded,
                    [*base, name],
                    ProblemCode.unexplained_null,
                    f"a discontinued program without {name} and no reason why",
                    f"fill it in, or add `unknown: {{{name}: <why it is not known>}}`",
                    severity="warning",
                )
    if program.developer is None and "developer" not in program.unknown:
        chk.add(
            loaded,
            [*base, "developer"],
            ProblemCode.unexplained_null,
            "developer is null without a reason",
            "add `unknown: {developer: <why it is not known>}` or fill it in",
        )
    # sources
    if not program.sources:
        chk.add(
            loaded,
            [*base, "sources"],
            ProblemCode.missing_source,
            "a program needs at least one source",
            "add a source you opened: url, title, publisher, kind, accessed",
        )
    for s, source in enumerate(program.sources):
        chk.future(loaded, [*base, "sources", s, "accessed"], source.accessed)
        chk.future(loaded, [*base, "sources", s, "published"], source.published)
    _check_sources_and_conflicts(
        chk, loaded, base, program.sources, program.conflicts, record_urls
    )
    # indications
    for i, ind in enumerate(program.indications):
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
    # trial ids
    seen_ids: set[str] = set()
    for t, trial_id in enumerate(program.trial_ids):
        why = trial_id_problem(trial_id)
        if why:
            chk.add(loaded, [*base, "trial_ids", t], ProblemCode.schema, why)
        if trial_id in seen_ids:
            chk.add(loaded, [*base, "trial_ids", t], ProblemCode.duplicate, f"{trial_id} twice")
        seen_ids.add(trial_id)
    # dates
    for name in PAST_DATES:
        chk.future(loaded, [*base, name], getattr(program, name))
    _check_order(chk, loaded, base, program, DATE_ORDER)


def _check_order(
    chk: _Checker,
    loaded: _Loaded,
    base: list[Any],
    program: Program,
    pairs: Sequence[tuple[str, str]],
) -> None:
    from ctatlas.dataset import ProblemCode

    for earlier, later in pairs:
        a, b = getattr(program, earlier), getattr(program, later)
        if a is None or b is None:
            continue
        # compare at the coarser precision: 2019 is not after 2019-03
        k = min(len(a), len(b))
        if a[:k] > b[:k]:
            chk.add(
                loaded,
                [*base, later],
                ProblemCode.history,
                f"{later} {b} is before {earlier} {a}",
                "check both dates against the sources",
            )
