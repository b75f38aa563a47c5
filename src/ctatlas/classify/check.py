"""``classify --check-dataset``: do the rules agree with the categories the data records?

Each product's ``regulatory_profile`` (or, where a product has none, a profile derived from its
own attributes) is classified; the result is compared with the category of each authorization in
JP, KR, US and EU. A difference is *explained* when the recorded category is an alternative
reading the rules give, a historical category of an older law, or a category the authorization
moved from or to (``category_history``), or one the authorization's ``category_note`` explains;
anything else is unexplained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ctatlas.classify import MODULES, classify, recorded_category
from ctatlas.model import (
    CellClass,
    IntendedFunction,
    Modality,
    Origin,
    Product,
    ProfileOrigin,
    RegulatoryProfile,
    StemType,
)

__all__ = ["CheckRow", "CheckReport", "check_dataset", "profile_for"]


@dataclass
class CheckRow:
    """One authorization compared."""

    slug: str
    jurisdiction: str
    brand_name: str
    recorded: str
    predicted: str | None
    outcome: str  # agree | explained | unexplained | undecided
    reason: str = ""
    profile_source: str = "regulatory_profile"
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "jurisdiction": self.jurisdiction,
            "brand_name": self.brand_name,
            "recorded": self.recorded,
            "predicted": self.predicted,
            "outcome": self.outcome,
            "reason": self.reason,
            "profile_source": self.profile_source,
            "missing": self.missing,
        }


@dataclass
class CheckReport:
    """Every comparison, and the counts by outcome."""

    rows: list[CheckRow] = field(default_factory=list)
    skipped: int = 0  # authorizations in jurisdictions without rules

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    @property
    def ok(self) -> bool:
        return self.count("unexplained") == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "compared": len(self.rows),
            "agree": self.count("agree"),
            "explained": self.count("explained"),
            "undecided": self.count("undecided"),
            "unexplained": self.count("unexplained"),
            "skipped_other_jurisdictions": self.skipped,
            "rows": [r.as_dict() for r in self.rows if r.outcome != "agree"],
        }


def profile_for(product: Product) -> tuple[RegulatoryProfile, str]:
    """The product's curated profile, or one derived from its attributes (and which it is)."""
    if product.regulatory_profile is not None:
        return product.regulatory_profile, "regulatory_profile"
    cell_free = product.modality is Modality.gene_therapy or product.origin is Origin.not_applicable
    values: dict[str, Any] = {}
    if cell_free:
        values.update(
            origin=ProfileOrigin.none,
            viable_cells=False,
            stem_cell=False,
            pluripotent=False,
            manipulation="not_applicable",
        )
    else:
        if product.origin is not None:
            values["origin"] = ProfileOrigin(product.origin.value)
        if product.manipulation is not None:
            values["manipulation"] = product.manipulation
        if product.cell_class is CellClass.stem:
            values["stem_cell"] = True
            if product.stem_type is not None:
                values["pluripotent"] = product.stem_type in (
                    StemType.iPSC_derived,
                    StemType.ESC_derived,
                )
        elif product.cell_class is CellClass.somatic:
            values.update(stem_cell=False, pluripotent=False)
        if product.modality is Modality.tissue_engineered:
            values["intended_function"] = IntendedFunction.structural_repair
        # An empty combined_with list is read as "not combined" for derived profiles.
        values["combined_with_device_or_drug"] = bool(product.combined_with)
    if product.genetically_modified is not None:
        values["genetically_modified"] = product.genetically_modified
    if product.modality is Modality.gene_modified_cell:
        values["genetically_modified"] = True
    return RegulatoryProfile.model_validate(values), "derived from product attributes"


def check_dataset(dataset: Any) -> CheckReport:
    """Compare every JP/KR/US/EU authorization's category with the rules' decision."""
    report = CheckReport()
    for product in dataset.products:
        codes = [a.jurisdiction for a in product.authorizations if a.jurisdiction in MODULES]
        report.skipped += sum(1 for a in product.authorizations if a.jurisdiction not in MODULES)
        if not codes:
            continue
        profile, source = profile_for(product)
        result = classify(profile, codes, data=dataset.jurisdictions)
        for auth in product.authorizations:
            if auth.jurisdiction not in MODULES:
                continue
            decision = result.decisions[auth.jurisdiction]
            predicted = recorded_category(decision)
            row = CheckRow(
                product.slug,
                auth.jurisdiction,
                auth.brand_name,
                auth.category,
                predicted,
                "agree",
                profile_source=source,
                missing=[m["attribute"] for m in decision.missing],
            )
            jur = dataset.jurisdictions.get(auth.jurisdiction)
            historical = {c.id for c in jur.categories if c.historical} if jur else set()
            moved = {c.to_category for c in auth.category_history} | {
                c.from_category for c in auth.category_history if c.from_category
            }
            alternatives = {a.category for a in decision.alternatives if a.field == "category"}
            if predicted is None:
                row.outcome = "undecided"
                row.reason = "the profile leaves unknown: " + ", ".join(row.missing)
            elif predicted == auth.category:
                pass
            elif auth.category in alternatives:
                row.outcome = "explained"
                row.reason = "the recorded category is an alternative reading the rules give"
            elif auth.category in historical:
                row.outcome = "explained"
                row.reason = f"'{auth.category}' is a category of an older law"
            elif getattr(auth, "category_note", None):
                row.outcome = "explained"
                row.reason = f"category_note: {auth.category_note}"
            elif predicted in moved:
                row.outcome = "explained"
                row.reason = "the authorization's category_history moves it from/to the rules' one"
            else:
                row.outcome = "unexplained"
                rules = ", ".join(r.id for r in decision.rules)
                row.reason = f"rules fired: {rules}"
            report.rows.append(row)
    return report
