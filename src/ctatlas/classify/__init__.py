"""How would a product be classified in Japan, Korea, the US, the EU and Taiwan, and why.

``classify(profile)`` takes a :class:`ctatlas.model.RegulatoryProfile` (or a mapping of its
attributes) and returns a :class:`Classification` with one :class:`Decision` per jurisdiction:
the category, the rules that fired (each cited to a law and article of
``data/jurisdictions/<CODE>.yaml``), the pathways open, alternative readings where the law is
ambiguous, and the attributes the decision needed but the profile left unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctatlas.classify import eu, jp, kr, tiers, tw, us
from ctatlas.classify.base import (
    Alternative,
    Decision,
    Facts,
    ProfileError,
    RuleHit,
    Undecided,
    load_jurisdictions,
    parse_profile,
)
from ctatlas.model import Jurisdiction, RegulatoryProfile

__all__ = [
    "JURISDICTIONS",
    "Alternative",
    "Classification",
    "Decision",
    "ProfileError",
    "RuleHit",
    "classify",
    "parse_jurisdictions",
    "parse_profile",
    "recorded_category",
]

#: Jurisdiction code -> module with ``classify(facts)``, in display order.
MODULES = {m.CODE: m for m in (jp, kr, us, eu, tw)}
JURISDICTIONS = tuple(MODULES)


@dataclass
class Classification:
    """A profile and its decision in each jurisdiction asked for."""

    profile: RegulatoryProfile
    decisions: dict[str, Decision] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile.model_dump(mode="json"),
            "decisions": {code: d.as_dict() for code, d in self.decisions.items()},
        }


def parse_jurisdictions(values: Iterable[str] | None) -> list[str]:
    """Codes from repeated and comma-separated values; :class:`ProfileError` for unknown ones."""
    if not values:
        return list(JURISDICTIONS)
    codes: list[str] = []
    for value in values:
        for part in str(value).split(","):
            code = part.strip().upper()
            if not code:
                continue
            if code not in MODULES:
                raise ProfileError(
                    f"unknown jurisdiction '{part.strip()}'; allowed values: "
                    + ", ".join(JURISDICTIONS)
                )
            if code not in codes:
                codes.append(code)
    return codes or list(JURISDICTIONS)


def classify(
    profile: RegulatoryProfile | Mapping[str, Any],
    jurisdictions: Iterable[str] | None = None,
    *,
    data: Mapping[str, Jurisdiction] | Path | str | None = None,
    as_of: dt.date | None = None,
) -> Classification:
    """Classify ``profile`` in each jurisdiction (all five by default), with the tier routes.

    ``data`` is the jurisdiction files already loaded (code -> Jurisdiction) or a data folder;
    by default the folder ``ctatlas.config.data_dir()`` resolves. ``as_of`` reads dated changes
    of practice as they stood that day (default: today), e.g. to check a decision of 2025.
    """
    parsed = parse_profile(profile)
    codes = parse_jurisdictions(jurisdictions)
    files = data if isinstance(data, Mapping) else load_jurisdictions(data)
    result = Classification(parsed)
    for code in codes:
        if code not in files:
            raise ProfileError(f"no data/jurisdictions/{code}.yaml to cite from")
        decision = Decision(code, files[code])
        facts = Facts(parsed, decision, as_of)
        try:
            if not tiers.exclude(code, facts):
                MODULES[code].classify(facts)
        except Undecided:
            decision.category = None
            decision.pathways = []
        tiers.answer(code, facts)
        result.decisions[code] = decision
    return result


def recorded_category(decision: Decision) -> str | None:
    """The id an authorization records for this decision (Japan records the product class)."""
    if decision.jurisdiction == "JP":
        if decision.category in (jp.CELL_PROCESSED, jp.GENE_THERAPY):
            return decision.extra.get("product_class")
        return decision.category
    return decision.category
