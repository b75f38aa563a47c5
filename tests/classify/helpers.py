"""Small helpers for the classifier tests."""

from __future__ import annotations

from typing import Any

from ctatlas.classify import Classification

BASE: dict[str, Any] = {
    "genetically_modified": False,
    "combined_with_device_or_drug": False,
    "integral_medical_device": False,
    "pluripotent": False,
    "stem_cell": False,
    "viable_cells": True,
    "cosmetic_purpose": False,
    "same_surgical_procedure": False,
}


def profile(**values: Any) -> dict[str, Any]:
    """A fully stated profile: the common facts spelled out, ``values`` on top."""
    out = dict(BASE)
    out.update(values)
    return out


def rule_ids(result: Classification, code: str) -> list[str]:
    return [r.id for r in result.decisions[code].rules]


def alt_values(result: Classification, code: str, field: str = "category") -> set[str]:
    return {a.category for a in result.decisions[code].alternatives if a.field == field}


def expect(result: Classification, code: str, **fields: Any) -> None:
    """Assert the decision's category and extra fields (product_class, hctp_status...)."""
    decision = result.decisions[code].as_dict()
    for name, value in fields.items():
        assert decision[name] == value, (code, name, decision[name], decision)


#: An autologous CAR-T product: gene-modified, cultured, systemic, acting through living cells.
CAR_T = profile(
    origin="autologous",
    genetically_modified=True,
    manipulation="more_than_minimal",
    homologous_use=False,
    systemic_effect=True,
    depends_on_living_cell_metabolism=True,
    intended_function="disease_treatment",
)
