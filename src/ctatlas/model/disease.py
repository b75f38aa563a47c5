"""data/diseases.yaml: disease areas and diseases."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
)

from ctatlas.model.base import Source, Strict, Text


class Area(Strict):
    """A disease area used to group indications."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] = Field(description="Area id.")
    name: Text = Field(description="English name.")
    names: dict[str, Text] = Field(
        default_factory=dict,
        description="The heading in other languages, by language code (the atlas's own "
        "grouping, translated, not a term of a source).",
    )
    named_in_founding_analysis: bool = Field(
        default=False, description="One of the areas the founding analysis named."
    )


class Disease(Strict):
    """A disease or condition products are indicated for."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] = Field(description="Disease id.")
    name: Text = Field(description="English name.")
    area: Text = Field(description="An area id.")
    names: dict[str, Text] = Field(
        default_factory=dict, description="Names in other languages, by language code."
    )
    synonyms: list[Text] = Field(default_factory=list, description="Other English names.")
    mesh_id: Annotated[str, Field(pattern=r"^[CDF]\d{6,9}$")] | None = Field(
        default=None, description="MeSH descriptor id, where known."
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="Where the names in other languages come from; supports names.<lang>.",
    )
    notes: Text | None = Field(
        default=None, description="Conflicts between sources, and names still to find."
    )


class DiseaseFile(Strict):
    """data/diseases.yaml."""

    areas: list[Area] = Field(min_length=1, description="Disease areas.")
    diseases: list[Disease] = Field(min_length=1, description="Diseases.")
