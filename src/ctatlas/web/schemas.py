"""The API's public response models: a contract of their own, separate from the curated models.

The curated models (:mod:`ctatlas.model`) forbid extra keys and change when the data does; these
describe what the API promises. Record-level models allow extra keys, so a field added to the
data shows up in the API without breaking a client that validates against the schema.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ctatlas.vocab import (
    CellClass,
    ConditionalOutcome,
    Modality,
    Origin,
    Pathway,
    ProgramStatus,
    Stage,
    Status,
)

__all__ = [
    "AuthorizationPublic",
    "AuthorizationRow",
    "AuthorizationsPublic",
    "ClassificationPublic",
    "ConditionalPublic",
    "ConditionalRow",
    "DecisionPublic",
    "DiseasePublic",
    "DiseasesPublic",
    "ErrorEnvelope",
    "ErrorItem",
    "JurisdictionDetail",
    "JurisdictionSummary",
    "JurisdictionsPublic",
    "ProductPublic",
    "ProductsPublic",
    "ProgramPublic",
    "StatsPublic",
]


class Open(BaseModel):
    """A record: the documented fields, and any others the data carries."""

    model_config = ConfigDict(extra="allow")


class Closed(BaseModel):
    """An envelope or summary the API builds itself: exactly these fields."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- errors


class ErrorItem(Closed):
    """One problem: where (``loc``, e.g. ``["query", "limit"]``) and what."""

    loc: list[str | int] = Field(description="Where the problem is: part of the request, name.")
    msg: str = Field(description="What is wrong, and what is allowed.")


class ErrorEnvelope(Closed):
    """Every error the API returns, whatever its status."""

    ok: Literal[False] = Field(description="Always false for an error.")
    status: int = Field(description="The HTTP status, repeated.")
    error: str = Field(description="One line saying what went wrong.")
    errors: list[ErrorItem] = Field(description="Every problem found (at least one).")
    suggestions: list[str] = Field(
        default_factory=list, description="Close matches, for an unknown slug or code."
    )
    hint: str | None = Field(
        default=None,
        description="What you can do about it, in plain words (only on some errors, e.g. "
        "the 503 of /trials when no trials store is loaded).",
    )


# --------------------------------------------------------------------------- products


class SourcePublic(Open):
    """A source a value rests on."""

    url: str
    title: str
    publisher: str
    kind: str
    accessed: str = Field(description="YYYY-MM-DD the source was opened.")
    read_via: str | None = Field(
        default=None,
        description="The copy actually read when only a copy of the original was readable "
        "(url then names the original).",
    )


class StatusEventPublic(Open):
    """One dated event in an authorization's history."""

    date: str | None = Field(description="YYYY[-MM[-DD]], null if undated.")
    not_after: str | None = Field(
        default=None, description="For an undated event: the latest date it can have happened."
    )
    event: str
    holder: str | None = Field(default=None, description="For holder_changed: the new holder.")
    note: str | None = None


class IndicationPublic(Open):
    """An approved use."""

    text: str
    disease_ids: list[str]
    added: str | None = None
    removed: str | None = None


class AuthorizationPublic(Open):
    """One authorization of a product in one jurisdiction."""

    jurisdiction: str
    regulator: str
    brand_name: str
    local_name: str | None
    holder: str | None
    approval_date: str | None = Field(description="YYYY[-MM[-DD]], null if unknown.")
    pathway: Pathway
    category: str
    status: Status
    conditional_outcome: ConditionalOutcome | None = Field(
        default=None,
        description="Conditional, time-limited and accelerated approvals only: the outcome, "
        "computed for conditional_as_of from the status history and the term.",
    )
    conditional_outcome_date: str | None = Field(
        default=None, description="When the outcome came about (YYYY[-MM[-DD]])."
    )
    conditional_deadline: str | None = Field(
        default=None, description="The end of the current term, if it has one."
    )
    conditional_as_of: str | None = Field(
        default=None, description="The day the outcome is computed for (today, UTC)."
    )
    status_history: list[StatusEventPublic]
    indications: list[IndicationPublic]
    sources: list[SourcePublic]


class ProgramPublic(Open):
    """One development program of a therapy (GET /pipeline lists them flat)."""

    jurisdiction: str = Field(description="Where its trials run or it is filed.")
    home_jurisdiction: str = Field(description="The developer's country.")
    stage: Stage
    status: ProgramStatus
    authorization: str | None = Field(
        default=None, description="Approved: the jurisdiction of its authorization."
    )
    developer: str | None
    indications: list[IndicationPublic]
    trial_ids: list[str]
    sources: list[SourcePublic]


class ProductPublic(Open):
    """A product and (with filters: the matching) authorizations."""

    slug: str
    name: str
    aliases: list[str]
    codes: list[str]
    developer: str | None
    modality: Modality
    cell_class: CellClass
    stem_type: str | None
    origin: Origin | None
    tissue_source: str | None
    cell_type: str | None
    genetically_modified: bool | None
    authorizations: list[AuthorizationPublic] = Field(
        description="Its authorizations (none for a therapy only in development, which "
        "GET /products/{slug} shows but the product lists leave out)."
    )
    programs: list[ProgramPublic] = Field(
        default_factory=list, description="Its development programs."
    )
    sources: list[SourcePublic]


class ListEnvelope(Closed):
    """A page of a list."""

    count: int = Field(description="How many records match (all pages).")
    limit: int = Field(description="Page size asked for.")
    offset: int = Field(description="Records skipped before this page.")


class ProductsPublic(ListEnvelope):
    """A page of products."""

    data: list[ProductPublic]


class AuthorizationRow(Open):
    """One authorization, flat, with its product's attributes."""

    slug: str
    name: str
    modality: Modality
    cell_class: CellClass
    origin: Origin | None
    jurisdiction: str
    brand_name: str
    local_name: str | None
    holder: str | None
    approval_date: str | None
    pathway: Pathway
    category: str
    status: Status
    indications: str = Field(description="The indications, joined with '; '.")
    disease_ids: list[str]
    sources: list[str] = Field(description="Source URLs.")


class AuthorizationsPublic(ListEnvelope):
    """A page of authorizations."""

    data: list[AuthorizationRow]


# --------------------------------------------------------------------------- jurisdictions


class JurisdictionSummary(Closed):
    """A jurisdiction in the list."""

    code: str
    name: str
    local_name: str | None
    complete_as_of: str | None = Field(description="Newest source date checked, if curated.")
    regulators: list[str] = Field(description="Regulator ids.")
    products: int = Field(description="Products with an authorization here.")
    authorizations: int = Field(description="Authorizations here.")
    url: str = Field(description="This jurisdiction in the API.")


class JurisdictionsPublic(ListEnvelope):
    """Every jurisdiction (one page)."""

    data: list[JurisdictionSummary]


class JurisdictionDetail(Open):
    """A jurisdiction's framework: regulators, laws, definitions, categories, pathways ..."""

    code: str
    name: str
    complete_as_of: str | None
    coverage: str
    regulators: list[dict[str, Any]]
    laws: list[dict[str, Any]]
    definitions: list[dict[str, Any]]
    categories: list[dict[str, Any]]
    pathways: list[dict[str, Any]]
    comparison: dict[str, Any] | None
    products: int = Field(description="Products with an authorization here.")
    authorizations: int = Field(description="Authorizations here.")


# --------------------------------------------------------------------------- diseases


class DiseasePublic(Open):
    """A disease of the vocabulary, with how many products are indicated for it."""

    id: str
    name: str
    area: str
    area_name: str | None
    names: dict[str, str]
    synonyms: list[str]
    mesh_id: str | None = None
    products: list[str] = Field(description="Slugs of products indicated for it.")


class DiseasesPublic(ListEnvelope):
    """A page of diseases."""

    data: list[DiseasePublic]


# --------------------------------------------------------------------------- stats


class CountRow(Closed):
    """One count."""

    key: str | None
    count: int


class FindingPublic(Open):
    """A finding of the report, with the counts behind it."""

    id: str
    title: str
    statement: str
    numerator: int
    denominator: int
    share: float | None
    supports_claim: bool | None


class StatsPublic(Closed):
    """The counts behind the report's findings."""

    data_hash: str
    built_at: str
    products: int
    authorizations: int
    by_jurisdiction: list[CountRow]
    by_modality: list[CountRow]
    by_cell_class: list[CountRow]
    by_origin: list[CountRow]
    by_status: list[CountRow]
    by_pathway: list[CountRow]
    by_approval_year: list[CountRow]
    findings: list[FindingPublic]
    complete_as_of: dict[str, str | None]


# --------------------------------------------------------------------------- classify


class RulePublic(Open):
    """A rule that fired, cited to a law and article."""

    id: str
    text: str
    citation: dict[str, Any]


class DecisionPublic(Closed):
    """One jurisdiction's classification of the profile."""

    jurisdiction: str
    jurisdiction_name: str
    category: str | None = Field(description="The category, or null when undecided.")
    extra: dict[str, str | None] = Field(
        description="Further classes the jurisdiction assigns (e.g. JP product_class)."
    )
    rules: list[RulePublic]
    pathways: list[str]
    alternatives: list[dict[str, Any]]
    missing: list[dict[str, str]] = Field(description="Attributes the decision needed.")
    notes: list[str]
    routes: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Routes to patients for the profile's provider: product approval and the "
        "tier routes (e.g. Japan's ASRM), each with its class, reviewer and citations.",
    )
    regulated_as: dict[str, Any] | None = Field(
        default=None, description="What governs it instead, when it is not (only) a cell product."
    )


class ClassificationPublic(Closed):
    """The profile as read, and the decision in each jurisdiction."""

    profile: dict[str, Any]
    decisions: list[DecisionPublic]


# --------------------------------------------------------------------------- conditional


class ConditionalRow(Closed):
    """One conditional approval (an authorization, or an indication approved on a conditional
    pathway inside another authorization) and its outcome on ``as_of``."""

    slug: str
    name: str
    jurisdiction: str
    brand_name: str
    holder: str | None
    status: Status = Field(description="The legal status on as_of.")
    indication: str | None = Field(description="The indication, when the row is one.")
    pathway: Pathway | None
    granted: str | None = Field(description="When the conditional approval was granted.")
    deadline: str | None = Field(description="End of the current term; null: no fixed term.")
    days_left: int | None = Field(
        description="Days from as_of to the deadline (negative: overdue); null when closed or "
        "without a term."
    )
    outcome: ConditionalOutcome
    outcome_label: str = Field(description="The outcome in plain words.")
    outcome_date: str | None
    confirmatory_obligation: str | None
    as_of: str


class ConversionRow(Closed):
    """A jurisdiction's conditional approvals by outcome, and its conversion rate."""

    jurisdiction: str
    total: int
    converted: int
    renewed: int
    full_application_pending: int
    expired: int
    not_renewed: int
    withdrawn: int
    revoked: int
    in_term: int
    closed: int = Field(description="converted + expired + not_renewed + withdrawn + revoked.")
    conversion_rate: float | None = Field(description="converted / closed; null if none closed.")


class DesignationRow(Closed):
    """A therapy with a designation in a jurisdiction, and whether and when it was approved."""

    slug: str
    name: str
    jurisdiction: str
    designation: str = Field(description="Designation code (sakigake, orphan, rmat, prime ...).")
    approved: bool
    approval_date: str | None = Field(description="First approval with the designation.")
    brand_name: str | None
    status: str | None = Field(description="Legal status, or the program's status.")
    stage: str | None = Field(description="approved, a development stage, or discontinued.")
    designation_date: str | None = Field(
        description="When the designation was granted, where a source gives it."
    )
    designation_source: str | None = Field(description="The URL giving that date.")
    days_to_approval: int | None = Field(
        description="Days from designation to approval (both full dates)."
    )


class DesignationStat(Closed):
    """Counts for one designation in one jurisdiction (therapies curated in the atlas)."""

    jurisdiction: str
    designation: str
    designated: int
    approved: int
    in_development: int
    stopped: int
    approved_share: float | None
    first_approval: str | None
    latest_approval: str | None
    dated: int = Field(description="Designated therapies whose designation day is recorded.")
    median_days_to_approval: float | None = Field(
        description="Median days from designation to approval, over timed_approvals."
    )
    timed_approvals: int = Field(description="Approvals with both days known.")


class DesignationTotalRow(Closed):
    """A published count for a designation (the regulator's own where it publishes one),
    beside the atlas's count."""

    jurisdiction: str
    designation: str
    measure: str = Field(description="What the regulator counts.")
    period_start: str | None = Field(description="First day counted (null: from the start).")
    as_of: str = Field(description="Last day counted.")
    value: int
    cumulative: bool = Field(description="A running total since the designation began.")
    scope: str | None = Field(description="What the count covers beyond cell therapy.")
    atlas_names: int | None = Field(
        description="For a running total: designated therapies the atlas names."
    )
    source: str = Field(description="Where the count is published.")
    note: str | None


class DesignationsPublic(ListEnvelope):
    """A page of designated therapies, the counts per designation, and the regulators' own
    published totals beside the atlas's counts."""

    data: list[DesignationRow]
    stats: list[DesignationStat]
    published: list[DesignationTotalRow]


class ConditionalPublic(ListEnvelope):
    """A page of the tracker, the day it is computed for, and the conversion rates."""

    data: list[ConditionalRow]
    as_of: str = Field(description="The day the outcomes are computed for.")
    conversion: list[ConversionRow]
