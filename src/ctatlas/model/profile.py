"""The classifier's input: a product's regulatory profile."""

from __future__ import annotations

from pydantic import (
    Field,
    model_validator,
)

from ctatlas.model.base import Strict
from ctatlas.vocab import (
    CellKind,
    DonorRelation,
    IntendedFunction,
    Manipulation,
    ProcessingStep,
    ProfileOrigin,
    Provider,
)


class RegulatoryProfile(Strict):
    """The attributes the classifier decides on. ``null`` means unknown, never false."""

    origin: ProfileOrigin | None = Field(default=None, description="Whose cells, or none.")
    manipulation: Manipulation | None = Field(default=None, description="Degree of processing.")
    homologous_use: bool | None = Field(
        default=None, description="Same basic/essential function in recipient as in donor."
    )
    combined_with_device_or_drug: bool | None = Field(
        default=None, description="Combined with a non-cellular article (scaffold, device...)."
    )
    integral_medical_device: bool | None = Field(
        default=None, description="The non-cellular part is itself an integrated medical device."
    )
    genetically_modified: bool | None = Field(
        default=None, description="Cells carry introduced/edited genetic material, or a vector."
    )
    systemic_effect: bool | None = Field(default=None, description="Acts systemically.")
    depends_on_living_cell_metabolism: bool | None = Field(
        default=None, description="Its effect depends on the metabolic activity of living cells."
    )
    stem_cell: bool | None = Field(
        default=None, description="Is, contains or is derived from stem/progenitor cells."
    )
    pluripotent: bool | None = Field(
        default=None, description="Derived from ES/iPS cells (differentiated derivatives too)."
    )
    viable_cells: bool | None = Field(default=None, description="Contains living cells.")
    intended_function: IntendedFunction | None = Field(default=None, description="What it is for.")
    same_surgical_procedure: bool | None = Field(
        default=None, description="Removed and implanted in the same surgical procedure."
    )
    donor_relation: DonorRelation | None = Field(
        default=None, description="How the donor is related to the recipient."
    )
    cosmetic_purpose: bool | None = Field(default=None, description="An aesthetic use.")
    processing_steps: list[ProcessingStep] | None = Field(
        default=None, description="Processing steps, when manipulation is not given."
    )
    blood_product: bool | None = Field(
        default=None,
        description="Whole blood, a blood component or a blood derivative (transfusion, "
        "plasma products): excluded from the cell-product definitions.",
    )
    cell_kind: CellKind | None = Field(
        default=None,
        description="Platelets (PRP and the like), immune cells (T, NK, dendritic, killer "
        "cells) or other cells, where a rule turns on it.",
    )
    cell_derived: bool | None = Field(
        default=None,
        description="Cell-free, but made of what human cells secrete or shed (exosomes, "
        "extracellular vesicles, conditioned medium): not an HCT/P in the US, a biological "
        "product all the same.",
    )
    provider: Provider | None = Field(
        default=None,
        description="Who gives it to patients: a clinic or hospital (the medical-practice "
        "routes, e.g. Japan's ASRM) or a company (product approval); unknown: both.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> RegulatoryProfile:
        problems = []
        if self.cell_derived and self.viable_cells:
            problems.append("cell_derived: true (cell-free) contradicts viable_cells: true")
        if self.origin is ProfileOrigin.none and self.viable_cells:
            problems.append("origin 'none' (cell-free) contradicts viable_cells: true")
        steps = self.processing_steps or []
        if self.genetically_modified is False and ProcessingStep.genetic_modification in steps:
            problems.append(
                "genetically_modified: false contradicts processing_steps: genetic_modification"
            )
        if self.pluripotent and self.stem_cell is False:
            problems.append("pluripotent: true contradicts stem_cell: false")
        if self.origin is ProfileOrigin.autologous and self.donor_relation not in (
            None,
            DonorRelation.self,
        ):
            problems.append("origin 'autologous' contradicts a donor_relation other than 'self'")
        if problems:
            raise ValueError("; ".join(problems))
        return self
