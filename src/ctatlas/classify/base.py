"""The classifier's building blocks: profiles, facts, rules, decisions, citations.

A jurisdiction module reads the profile through :class:`Facts`, which records every attribute a
decision needed but did not get, and fires named :class:`Rule` objects whose citations come from
that jurisdiction's data file (``data/jurisdictions/<CODE>.yaml``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ctatlas.errors import BadInput
from ctatlas.model import (
    DonorRelation,
    IntendedFunction,
    Jurisdiction,
    Manipulation,
    ProcessingStep,
    ProfileOrigin,
    RegulatoryProfile,
)

__all__ = [
    "Alternative",
    "Decision",
    "Facts",
    "ProfileError",
    "Rule",
    "RuleHit",
    "Undecided",
    "load_jurisdictions",
    "parse_profile",
]


class ProfileError(BadInput):
    """A profile that cannot be classified: unknown attribute, wrong value, contradiction."""


# --------------------------------------------------------------------------- profile parsing


def _allowed(name: str) -> str | None:
    enums: dict[str, type[Enum]] = {
        "origin": ProfileOrigin,
        "manipulation": Manipulation,
        "intended_function": IntendedFunction,
        "donor_relation": DonorRelation,
        "processing_steps": ProcessingStep,
    }
    if name in enums:
        return ", ".join(m.value for m in enums[name])
    if name in RegulatoryProfile.model_fields:
        return "true, false (or null for unknown)"
    return None


def _contradictions(p: RegulatoryProfile) -> list[str]:
    """Contradictions the model does not reject itself."""
    problems = []
    steps = set(p.processing_steps or [])
    cell_free = p.origin is ProfileOrigin.none
    if cell_free and (p.stem_cell or p.pluripotent):
        problems.append("origin 'none' (cell-free) contradicts stem_cell/pluripotent: true")
    if p.manipulation is Manipulation.minimal and p.genetically_modified and not cell_free:
        problems.append("manipulation 'minimal' contradicts genetically_modified: true")
    substantial = steps & {
        ProcessingStep.culture_expansion,
        ProcessingStep.genetic_modification,
        ProcessingStep.differentiation,
    }
    if p.manipulation is Manipulation.minimal and substantial:
        names = ", ".join(sorted(s.value for s in substantial))
        problems.append(f"manipulation 'minimal' contradicts processing_steps: {names}")
    if p.integral_medical_device and p.combined_with_device_or_drug is False:
        problems.append(
            "integral_medical_device: true contradicts combined_with_device_or_drug: false"
        )
    if p.origin is ProfileOrigin.allogeneic and p.donor_relation is DonorRelation.self:
        problems.append("origin 'allogeneic' contradicts donor_relation 'self'")
    if p.origin is ProfileOrigin.xenogeneic and p.donor_relation in (
        DonorRelation.self,
        DonorRelation.first_or_second_degree_relative,
    ):
        problems.append("origin 'xenogeneic' contradicts a human donor_relation")
    return problems


def parse_profile(data: RegulatoryProfile | Mapping[str, Any]) -> RegulatoryProfile:
    """A validated profile; :class:`ProfileError` names the attribute and the allowed values."""
    if isinstance(data, RegulatoryProfile):
        profile = data
    else:
        if not isinstance(data, Mapping):
            raise ProfileError(
                "a profile must be a mapping of attribute: value; known attributes: "
                + ", ".join(RegulatoryProfile.model_fields)
            )
        try:
            profile = RegulatoryProfile.model_validate(dict(data))
        except ValidationError as exc:
            raise ProfileError(_explain(exc)) from None
    problems = _contradictions(profile)
    if problems:
        raise ProfileError("contradictory profile: " + "; ".join(problems))
    return profile


def _explain(exc: ValidationError) -> str:
    messages = []
    for error in exc.errors():
        loc = [str(x) for x in error["loc"]]
        name = loc[0] if loc else ""
        if error["type"] == "extra_forbidden":
            messages.append(
                f"unknown attribute '{name}'; known attributes: "
                + ", ".join(RegulatoryProfile.model_fields)
            )
        elif not loc:  # the model's own consistency check
            text = str(error.get("msg", "")).removeprefix("Value error, ")
            messages.append(f"contradictory profile: {text}")
        else:
            allowed = _allowed(name)
            where = name if len(loc) == 1 else f"{name}[{loc[1]}]"
            value = error.get("input")
            message = f"attribute '{where}': {value!r} is not allowed"
            if allowed:
                message += f"; allowed values: {allowed}"
            messages.append(message)
    return "; ".join(messages)


# --------------------------------------------------------------------------- jurisdiction data


#: The jurisdictions the classifier has rules for.
RULE_CODES = ("JP", "KR", "US", "EU", "TW")


@functools.lru_cache(maxsize=8)
def _load_cached(folder: str, stamp: tuple[tuple[str, float], ...]) -> dict[str, Jurisdiction]:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="safe")
    result = {}
    for name, _ in stamp:
        path = Path(folder) / name
        try:
            with path.open(encoding="utf-8") as fh:
                jur = Jurisdiction.model_validate(yaml.load(fh))
        except (YAMLError, ValidationError) as exc:
            first = str(exc).splitlines()[0]
            raise BadInput(
                f"jurisdictions/{name} is invalid ({first}); run `ctatlas validate`"
            ) from None
        result[jur.code] = jur
    return result


def load_jurisdictions(root: Path | str | None = None) -> dict[str, Jurisdiction]:
    """The JP, KR, US, EU and TW files of the data folder (``ctatlas.config.data_dir``), by code."""
    from ctatlas.config import data_dir

    folder = data_dir(root) / "jurisdictions"
    if not folder.is_dir():
        raise BadInput(f"no jurisdictions folder at {folder}")
    paths = [folder / f"{code}.yaml" for code in RULE_CODES]
    stamp = tuple((p.name, p.stat().st_mtime) for p in paths if p.is_file())
    return _load_cached(str(folder), stamp)


# --------------------------------------------------------------------------- rules and decisions


@dataclass(frozen=True)
class Rule:
    """A named rule: what it says, and the law and article it rests on (a law id of the file)."""

    id: str
    text: str
    law: str
    article: str

    def citation(self, jur: Jurisdiction) -> dict[str, Any]:
        for law in jur.laws:
            if law.id == self.law:
                return {"law": law.id, "article": self.article, "url": law.url, "title": law.title}
        raise LookupError(f"rule {self.id} cites law '{self.law}', not in {jur.code}.yaml")


@dataclass
class RuleHit:
    """A rule that fired, with the one-line explanation for this profile."""

    id: str
    text: str
    citation: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "citation": self.citation}


@dataclass
class Alternative:
    """Another reading where the law is genuinely ambiguous."""

    category: str
    reading: str
    would_settle: str
    field: str = "category"

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "category": self.category,
            "reading": self.reading,
            "would_settle": self.would_settle,
        }


class Undecided(Exception):
    """Raised when a decision needs an attribute the profile leaves unknown."""


@dataclass
class Decision:
    """One jurisdiction's classification of a profile."""

    jurisdiction: str
    jur: Jurisdiction = field(repr=False)
    category: str | None = None
    extra: dict[str, str | None] = field(default_factory=dict)
    rules: list[RuleHit] = field(default_factory=list)
    pathways: list[str] = field(default_factory=list)
    alternatives: list[Alternative] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: How it reaches patients: product approval and the tier routes beside it.
    routes: list[dict[str, Any]] = field(default_factory=list)
    #: "Regulated instead as ...": what governs it when it is not (only) a cell product.
    regulated_as: dict[str, Any] | None = None

    def fire(self, rule: Rule, text: str | None = None) -> None:
        """Record that ``rule`` fired (``text`` specialises its explanation)."""
        self.rules.append(RuleHit(rule.id, text or rule.text, rule.citation(self.jur)))

    def alternative(self, category: str, reading: str, would_settle: str, field: str = "category"):
        self.alternatives.append(Alternative(category, reading, would_settle, field))

    def open_pathways(self, ids: Iterable[str]) -> None:
        known = {p.id for p in self.jur.pathways}
        self.pathways = [i for i in ids if i in known]

    @property
    def decided(self) -> bool:
        return self.category is not None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"category": self.category}
        out.update(self.extra)
        out["rules"] = [r.as_dict() for r in self.rules]
        out["pathways"] = list(self.pathways)
        out["alternatives"] = [a.as_dict() for a in self.alternatives]
        out["missing"] = list(self.missing)
        out["routes"] = [dict(r) for r in self.routes]
        out["regulated_as"] = dict(self.regulated_as) if self.regulated_as else None
        if self.notes:
            out["notes"] = list(self.notes)
        return out


class Facts:
    """Reads a profile for one decision; records what the decision needed and did not get."""

    def __init__(
        self, profile: RegulatoryProfile, decision: Decision, as_of: dt.date | None = None
    ) -> None:
        self.profile = profile
        self.decision = decision
        #: The day the law is read as of (None: today); only dated practice changes use it.
        self.as_of = as_of or dt.date.today()

    def get(self, name: str) -> Any:
        """The attribute's value, or None when unknown (nothing recorded)."""
        value = getattr(self.profile, name)
        return value

    def record(self, name: str, question: str) -> None:
        if not any(m["attribute"] == name for m in self.decision.missing):
            self.decision.missing.append({"attribute": name, "question": question})

    def need(self, name: str, question: str) -> Any:
        """The attribute's value; if unknown, record it and stop the decision."""
        value = getattr(self.profile, name)
        if value is None:
            self.record(name, question)
            raise Undecided(name)
        return value

    def want(self, name: str, question: str) -> Any:
        """Like :meth:`need`, but records and returns None so several can be collected."""
        value = getattr(self.profile, name)
        if value is None:
            self.record(name, question)
        return value

    def stop_if_missing(self) -> None:
        if self.decision.missing:
            raise Undecided(self.decision.missing[0]["attribute"])


# --------------------------------------------------------------------------- manipulation


@dataclass(frozen=True)
class StepTest:
    """A jurisdiction's reading of processing steps: what is beyond its minimal threshold."""

    substantial: frozenset[ProcessingStep]
    minimal: frozenset[ProcessingStep]

    def judge(self, steps: Iterable[ProcessingStep]) -> tuple[Manipulation | None, list[str]]:
        """(more_than_minimal | minimal | None when a step is not settled, the deciding steps)."""
        steps = list(steps)
        beyond = [s.value for s in steps if s in self.substantial]
        if beyond:
            return Manipulation.more_than_minimal, beyond
        unsettled = [s.value for s in steps if s not in self.minimal]
        if unsettled:
            return None, unsettled
        return Manipulation.minimal, [s.value for s in steps]


def steps(*names: str) -> frozenset[ProcessingStep]:
    return frozenset(ProcessingStep(n) for n in names)


def judge_manipulation(
    facts: Facts, test: StepTest, rule: Rule, threshold: str
) -> Manipulation | None:
    """The profile's degree of manipulation under one jurisdiction's test.

    The profile's own ``manipulation`` wins; otherwise the ``processing_steps`` are read with the
    jurisdiction's lists (``rule`` cites them). ``None`` means unknown, and ``manipulation`` is
    recorded as missing with the steps that left it open.
    """
    p = facts.profile
    d = facts.decision
    if p.manipulation is not None and p.manipulation is not Manipulation.not_applicable:
        return p.manipulation
    if p.processing_steps is not None:
        value, which = test.judge(p.processing_steps)
        if value is None:
            facts.record(
                "manipulation",
                f"processing step(s) {', '.join(which)} are not settled by the {threshold} "
                "lists; give manipulation explicitly",
            )
            return None
        if value is Manipulation.more_than_minimal:
            d.fire(rule, f"processing step(s) {', '.join(which)} go beyond the {threshold}")
        else:
            d.fire(
                rule,
                f"every processing step ({', '.join(which) or 'none'}) is within the {threshold}",
            )
        return value
    facts.record(
        "manipulation", f"is the processing within the {threshold}? (or list processing_steps)"
    )
    return None
