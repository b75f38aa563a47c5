"""The curated data model: the one source of truth for the dataset's schema.

Every YAML file under ``data/`` is parsed into one of these pydantic models. Unknown keys are
rejected (``extra="forbid"``), every controlled vocabulary is an enum, and every field carries a
description (the JSON Schema written by ``ctatlas schema`` is generated from them).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from ctatlas.vocab import (
    EVENT_STATUS,
    IN_FORCE,
    PARTIAL_DATE_RE,
    TERM_EVENTS,
    CellClass,
    CopyKind,
    Designation,
    DonorRelation,
    IntendedFunction,
    Manipulation,
    Modality,
    Origin,
    PartnerRole,
    Pathway,
    ProcessingStep,
    ProfileOrigin,
    ProgramStatus,
    Provider,
    SourceKind,
    Stage,
    Status,
    StatusEventType,
    StemType,
    TierEventKind,
    date_precision,
    date_start,
)

__all__ = [
    "EVENT_STATUS",
    "IN_FORCE",
    "PARTIAL_DATE_RE",
    "Area",
    "Authorization",
    "CategoryChange",
    "CellClass",
    "Citation",
    "ComparisonBlock",
    "ComparisonEntry",
    "Conflict",
    "ConflictValue",
    "CopyHost",
    "CopyHostFile",
    "CopyKind",
    "Designation",
    "Disease",
    "DiseaseFile",
    "DonorRelation",
    "Indication",
    "IntendedFunction",
    "Jurisdiction",
    "JurisdictionCategory",
    "JurisdictionItem",
    "Law",
    "LegalDefinition",
    "Manipulation",
    "Modality",
    "Origin",
    "Partner",
    "PartnerRole",
    "Pathway",
    "ProcessingStep",
    "Product",
    "ProfileOrigin",
    "Program",
    "ProgramStatus",
    "Regulator",
    "RegulatoryProfile",
    "RiskTier",
    "TierAmendment",
    "TierEvent",
    "TierFigure",
    "TierPlan",
    "TierRoute",
    "Source",
    "SourceKind",
    "Stage",
    "Status",
    "StatusEvent",
    "StatusEventType",
    "StemType",
    "date_precision",
    "date_start",
]

SLUG_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _coerce_partial_date(value: Any) -> Any:
    """YAML loaders turn an unquoted 2015-09-18 into a date; keep partial dates as text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    return value


def _check_partial_date(value: str) -> str:
    if not PARTIAL_DATE_RE.match(value):
        raise ValueError("must be a date written YYYY, YYYY-MM or YYYY-MM-DD")
    if len(value) == 10:
        dt.date.fromisoformat(value)  # rejects 2021-02-30
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_coerce_partial_date),
    AfterValidator(_check_partial_date),
    Field(
        description="A date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD.",
        json_schema_extra={"pattern": PARTIAL_DATE_RE.pattern},
    ),
]


class Strict(BaseModel):
    """Base for every curated model: unknown keys are errors, text is stripped of nothing."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_default=True)


def _no_outer_space(value: str) -> str:
    if value != value.strip():
        raise ValueError("has leading or trailing white space")
    if not value:
        raise ValueError("is empty")
    return value


Text = Annotated[str, AfterValidator(_no_outer_space)]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
        raise ValueError("must be an http(s) URL")
    return value


Url = Annotated[str, AfterValidator(_http_url), Field(description="An http(s) URL.")]


# --------------------------------------------------------------------------- records


class Source(Strict):
    """A document that was opened and that supports some of a record's fields."""

    url: Url = Field(description="Where the source can be read.")
    title: Text = Field(description="The source's title, as published.")
    publisher: Text = Field(description="Who published it (regulator, company, journal, outlet).")
    kind: SourceKind = Field(description="What kind of publisher it is.")
    accessed: dt.date = Field(description="The day the source was opened (YYYY-MM-DD).")
    published: PartialDate | None = Field(
        default=None, description="When the source itself was published, if it says."
    )
    supports: list[Text] = Field(
        default_factory=list,
        description="Field paths this source supports, e.g. approval_date, indications, "
        "product.tissue_source.",
    )
    note: Text | None = Field(default=None, description="Anything a reader should know.")
    read_via: Url | None = Field(
        default=None,
        description="The copy actually read, when only a copy of the original was readable; "
        "url and title then name the original (with its reference number).",
    )


class ConflictValue(Strict):
    """One value for a field, as one source gives it."""

    value: str | int | float | bool | None = Field(description="The value this source gives.")
    source: Url = Field(description="The URL of the source giving it (one of the sources).")


class Conflict(Strict):
    """Sources disagree on a field: what each says, what was chosen and why."""

    field: Text = Field(description="The field path the sources disagree on.")
    values: list[ConflictValue] = Field(
        min_length=2, description="The values the sources give, each with its source URL."
    )
    chosen: str | int | float | bool | None = Field(description="The value recorded.")
    reason: Text = Field(description="Why that value was chosen.")


class StatusEvent(Strict):
    """A dated event in an authorization's history."""

    date: PartialDate | None = Field(
        description="When it happened, as precise as known (null: not found; give not_after)."
    )
    not_after: PartialDate | None = Field(
        default=None,
        description="For an event whose date is unknown: the latest date by which a source "
        "shows it had happened.",
    )
    event: StatusEventType = Field(description="What happened.")
    until: PartialDate | None = Field(
        default=None,
        description="For conditional_extended and renewed: the new end of the term, as the "
        "regulator set it.",
    )
    note: Text | None = Field(default=None, description="Details (e.g. which indication).")

    @model_validator(mode="after")
    def _until_only_on_term_events(self) -> StatusEvent:
        if self.until is not None and self.event not in TERM_EVENTS:
            raise ValueError(
                f"'until' (a new end of term) belongs only on "
                f"{' or '.join(sorted(e.value for e in TERM_EVENTS))} events, "
                f"not on '{self.event.value}'"
            )
        return self

    @model_validator(mode="after")
    def _dated_or_bounded(self) -> StatusEvent:
        if self.date is None and (self.not_after is None or self.note is None):
            raise ValueError(
                "an event without a date needs not_after (the latest date it can have "
                "happened) and a note saying why the date is unknown"
            )
        return self

    @property
    def effective_date(self) -> str:
        """The date used for ordering and as-of views: the date, else not_after."""
        return self.date or self.not_after  # type: ignore[return-value]


class CategoryChange(Strict):
    """A change of legal category, e.g. a device approval moved under a new law."""

    date: PartialDate = Field(description="When the new category took effect.")
    from_category: Text | None = Field(description="The category before (id or free text).")
    to_category: Text = Field(description="The category after (id in the jurisdiction file).")
    note: Text | None = Field(default=None, description="The law or event that moved it.")


class Indication(Strict):
    """One approved use, with the diseases it concerns."""

    text: Text = Field(description="The indication in our own words.")
    disease_ids: list[Text] = Field(
        default_factory=list, description="Ids from data/diseases.yaml."
    )
    added: PartialDate | None = Field(
        default=None, description="When this indication was approved (if after first approval)."
    )
    removed: PartialDate | None = Field(default=None, description="When it was removed, if it was.")
    pathway: Pathway | None = Field(
        default=None,
        description="Only for an indication approved on a different pathway from its "
        "authorization (e.g. an accelerated approval added to a standard one).",
    )
    conditional_expiry: PartialDate | None = Field(
        default=None,
        description="For such an indication: when its conditional term ends, as first granted.",
    )
    confirmatory_obligation: Text | None = Field(
        default=None,
        description="For such an indication: what the holder must show to keep it, in a sentence.",
    )
    status_history: list[StatusEvent] = Field(
        default_factory=list,
        description="For such an indication: its own dated events after it was added "
        "(converted_to_full, full_application_filed, withdrawn ...), oldest first.",
    )
    note: Text | None = Field(default=None, description="Details.")


class Authorization(Strict):
    """One jurisdiction's marketing authorization of a product."""

    jurisdiction: Text = Field(description="Jurisdiction code (a file in data/jurisdictions).")
    regulator: Text = Field(description="The authorizing regulator (e.g. MHLW, MFDS, FDA, EC).")
    brand_name: Text = Field(description="The brand name in Latin script.")
    local_name: Text | None = Field(
        default=None, description="The brand name in the local script (Japanese, Korean...)."
    )
    holder: Text | None = Field(description="The marketing authorization holder there.")
    holder_local: Text | None = Field(
        default=None,
        description="The holder's name in the local script, as the regulator or the holder "
        "writes it (e.g. 株式会社ジャパン・ティッシュエンジニアリング, 메디포스트㈜).",
    )
    approval_date: PartialDate | None = Field(
        description="The date of the (first) marketing authorization, as precise as known."
    )
    advisory_date: PartialDate | None = Field(
        default=None,
        description="The date an advisory body recommended approval (not the approval date).",
    )
    launched: PartialDate | None = Field(
        default=None, description="Commercial launch, where a source gives it."
    )
    approval_number: Text | None = Field(
        default=None, description="The regulator's approval or licence number."
    )
    pathway: Pathway = Field(description="How it was approved.")
    designations: list[Designation] = Field(
        default_factory=list, description="Orphan, SAKIGAKE, RMAT, PRIME ... designations."
    )
    category: Text = Field(description="The legal category, an id from the jurisdiction file.")
    category_history: list[CategoryChange] = Field(
        default_factory=list, description="Changes of legal category, oldest first."
    )
    category_note: Text | None = Field(
        default=None,
        description="Why the recorded category differs from what today's rules would give a "
        "product like this (e.g. approved under an older law, or classified on a point the "
        "profile cannot express); read by `ctatlas classify --check-dataset`.",
    )
    conditional_expiry: PartialDate | None = Field(
        default=None,
        description="When a conditional or time-limited approval's term ends, as first "
        "granted (an extension or renewal carries its new end in its event's 'until'). The "
        "outcome (conditional_outcome in JSON) is computed, never recorded.",
    )
    confirmatory_obligation: Text | None = Field(
        default=None,
        description="For a conditional, time-limited or accelerated approval: what the holder "
        "must show to keep it or convert it, in a sentence.",
    )
    status: Status = Field(description="The authorization's state now.")
    status_history: list[StatusEvent] = Field(
        min_length=1, description="Dated events, oldest first."
    )
    indications: list[Indication] = Field(min_length=1, description="Approved uses.")
    sources: list[Source] = Field(description="Sources opened for this authorization.")
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Where sources disagree and what was chosen."
    )
    unknown: dict[str, Text] = Field(
        default_factory=dict, description="Field name -> why its value is unknown (null)."
    )
    notes: Text | None = Field(default=None, description="Anything else a reader should know.")


class Partner(Strict):
    """A company or institution that licenses, co-develops or distributes a program's therapy."""

    name: Text = Field(description="The partner's name.")
    role: PartnerRole = Field(description="What the partner does.")
    territories: list[Text] = Field(
        default_factory=list,
        description="Where the role applies: jurisdiction codes (e.g. JP, US, EU), or free text "
        "such as 'worldwide' when a source says so.",
    )
    note: Text | None = Field(default=None, description="Details (deal date, scope...).")


class Program(Strict):
    """One therapy in development in one jurisdiction, for one indication or set of indications
    tested together, at its furthest stage there."""

    jurisdiction: Text = Field(
        description="Where its trials run or it is filed (a code of a data/jurisdictions file)."
    )
    home_jurisdiction: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = Field(
        description="The country of the developer (or its parent), ISO 3166 alpha-2."
    )
    stage: Stage = Field(
        description="The furthest stage there: phase1 (phase 0, early phase 1 and clinical "
        "research without a declared phase included), phase1_2, phase2, phase3 (phase 2/3 "
        "included), filed, approved."
    )
    stage_note: Text | None = Field(
        default=None, description="How the stage was read, e.g. 'phase 2/3 counted as phase3'."
    )
    status: ProgramStatus = Field(description="Whether the program is still pursued.")
    authorization: Text | None = Field(
        default=None,
        description="When the stage is approved: the jurisdiction code of the authorization in "
        "this same record.",
    )
    developer: Text | None = Field(description="Who develops it there.")
    partners: list[Partner] = Field(
        default_factory=list, description="Licensees, partners, co-developers, distributors."
    )
    indications: list[Indication] = Field(
        min_length=1, description="What it is developed for (the authorizations' shape)."
    )
    trial_ids: list[Text] = Field(
        default_factory=list,
        description="Registry ids of its trials, in canonical form (NCT01234567, "
        "jRCT2033190001, UMIN000012345, KCT0001234, ...).",
    )
    first_trial_start: PartialDate | None = Field(
        default=None, description="When its first trial there started."
    )
    filed: PartialDate | None = Field(
        default=None, description="When it was filed for marketing authorization there."
    )
    expected_decision: PartialDate | None = Field(
        default=None, description="When a source expects the regulator's decision."
    )
    discontinued: PartialDate | None = Field(
        default=None, description="When it was discontinued (status discontinued)."
    )
    discontinuation_reason: Text | None = Field(
        default=None, description="Why it was discontinued, as a source gives it."
    )
    designations: list[Designation] = Field(
        default_factory=list, description="SAKIGAKE, expedited review, RMAT, orphan ..."
    )
    sources: list[Source] = Field(description="Sources opened for this program (at least one).")
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Where sources disagree and what was chosen."
    )
    unknown: dict[str, Text] = Field(
        default_factory=dict, description="Field name -> why its value is unknown (null)."
    )
    notes: Text | None = Field(default=None, description="Anything else a reader should know.")


class Product(Strict):
    """One therapy, whatever its brand names, with its authorizations and development programs
    everywhere."""

    slug: Annotated[str, Field(pattern=SLUG_RE)] = Field(
        description="Stable id; equals the file name without .yaml."
    )
    name: Text = Field(description="INN or common name.")
    aliases: list[Text] = Field(default_factory=list, description="Other names.")
    codes: list[Text] = Field(default_factory=list, description="Development codes.")
    developer: Text | None = Field(description="The company or institution that developed it.")
    modality: Modality = Field(description="What kind of therapy it is.")
    cell_class: CellClass = Field(description="somatic (adult) cell vs stem cell product.")
    stem_type: StemType | None = Field(description="For stem-cell products: which stem cell.")
    origin: Origin | None = Field(description="autologous, allogeneic or xenogeneic.")
    tissue_source: Text | None = Field(
        description="Where the cells come from (bone marrow, adipose tissue, skin...)."
    )
    cell_type: Text | None = Field(description="The cells in the product.")
    manipulation: Manipulation | None = Field(
        default=None, description="How far the cells are processed."
    )
    genetically_modified: bool | None = Field(
        description="Whether the cells carry introduced genetic material (or it is a vector)."
    )
    combined_with: list[Text] = Field(
        default_factory=list, description="Scaffold, matrix or device the cells come with."
    )
    description: Text | None = Field(default=None, description="A short plain description.")
    regulatory_profile: RegulatoryProfile | None = Field(
        default=None, description="The classifier's attributes for this product."
    )
    authorizations: list[Authorization] = Field(
        default_factory=list,
        description="One per jurisdiction where it is or was authorized (none for a therapy "
        "that is only in development).",
    )
    programs: list[Program] = Field(
        default_factory=list,
        description="Development programs, one per jurisdiction and indication set.",
    )
    sources: list[Source] = Field(
        default_factory=list, description="Sources for product-level attributes."
    )
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Conflicts on product-level attributes."
    )
    unknown: dict[str, Text] = Field(
        default_factory=dict, description="Field name -> why its value is unknown (null)."
    )
    notes: Text | None = Field(default=None, description="Anything else a reader should know.")


# --------------------------------------------------------------------------- classifier profile


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
    provider: Provider | None = Field(
        default=None,
        description="Who gives it to patients: a clinic or hospital (the medical-practice "
        "routes, e.g. Japan's ASRM) or a company (product approval); unknown: both.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> RegulatoryProfile:
        problems = []
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


# --------------------------------------------------------------------------- jurisdictions


class Citation(Strict):
    """Where a statement about the law comes from."""

    law: Text | None = Field(default=None, description="A law id from the same file's laws.")
    article: Text | None = Field(default=None, description="Article, section or annex.")
    url: Url = Field(description="Where the text can be read.")
    title: Text | None = Field(default=None, description="Title of the cited document.")
    accessed: dt.date | None = Field(default=None, description="When it was opened.")
    read_via: Url | None = Field(
        default=None,
        description="The copy actually read when the original (url) could not be opened; "
        "never the source itself.",
    )


class Regulator(Strict):
    """A regulatory body."""

    id: Text = Field(description="Short id, e.g. PMDA.")
    name: Text = Field(description="English name.")
    local_name: Text | None = Field(default=None, description="Name in the local language.")
    role: Text = Field(description="What it does in cell therapy regulation.")
    url: Url = Field(description="Its website.")
    formerly: list[Text] = Field(default_factory=list, description="Earlier names.")


class Law(Strict):
    """A statute, regulation or guidance document."""

    id: Text = Field(description="Short id used by citations, e.g. pmd_act.")
    title: Text = Field(description="English title.")
    local_title: Text | None = Field(default=None, description="Title in the local language.")
    citation: Text | None = Field(default=None, description="Official number (e.g. Act No. 145).")
    enacted: PartialDate | None = Field(default=None, description="Promulgation date.")
    in_force: PartialDate | None = Field(default=None, description="Entry into force.")
    amended: list[PartialDate] = Field(default_factory=list, description="Later amendments.")
    url: Url = Field(description="Where the text can be read.")
    summary: Text = Field(description="What it does for cell therapy, paraphrased.")


class LegalDefinition(Strict):
    """A legal definition, paraphrased, with the operative text where it is short."""

    id: Text = Field(description="Short id.")
    term: Text = Field(description="The defined term in English.")
    local_term: Text | None = Field(default=None, description="The term in the local language.")
    paraphrase: Text = Field(description="The definition in our own words.")
    verbatim: Text | None = Field(default=None, description="Operative text (statutes only).")
    verbatim_en: Text | None = Field(
        default=None, description="Official English translation of the operative text."
    )
    includes: list[Text] = Field(default_factory=list, description="What it covers.")
    excludes: list[Text] = Field(default_factory=list, description="What it excludes.")
    citations: list[Citation] = Field(min_length=1, description="Where it is defined.")


class JurisdictionItem(Strict):
    """A pathway, designation or other named item of a jurisdiction's system."""

    id: Text = Field(description="Id used by the data (e.g. conditional_time_limited).")
    label: Text = Field(description="Name as the regulator uses it.")
    local_label: Text | None = Field(default=None, description="Name in the local language.")
    description: Text = Field(description="What it is, paraphrased.")
    citations: list[Citation] = Field(default_factory=list, description="Where it is set out.")


class JurisdictionCategory(JurisdictionItem):
    """A legal category products are authorized in."""

    parent: Text | None = Field(default=None, description="Id of the broader category.")
    historical: bool = Field(
        default=False, description="A category of an earlier law, kept for old approvals."
    )


class TierAmendment(Strict):
    """A dated change to what falls in a risk tier or how it is reviewed."""

    date: PartialDate = Field(description="When the change took effect.")
    text: Text = Field(description="What changed, paraphrased.")
    citations: list[Citation] = Field(min_length=1, description="Where it is set out.")


class RiskTier(JurisdictionItem):
    """A risk class of the jurisdiction's system, with what falls in it."""

    examples: list[Text] = Field(default_factory=list, description="What falls in this tier.")
    rank: int | None = Field(default=None, description="1 = highest risk.")
    route: Text | None = Field(
        default=None, description="Id of the tier route (tier_routes) this class belongs to."
    )
    reviewer: Text | None = Field(
        default=None, description="Who reviews a plan in this class before it may start."
    )
    amendments: list[TierAmendment] = Field(
        default_factory=list, description="Later changes to this class, dated."
    )


class TierRoute(JurisdictionItem):
    """A route by which patients receive cells outside (or beside) product approval."""

    law: Text = Field(description="Id of the law (laws) that sets the route up.")
    providers: list[Provider] = Field(min_length=1, description="Who may use this route.")
    reviewer: Text = Field(description="Who reviews and who decides, in plain words.")
    evidence: Text | None = Field(default=None, description="What evidence the route demands.")
    duties: list[Text] = Field(
        default_factory=list, description="Reporting and other duties once a plan runs."
    )
    in_force: PartialDate | None = Field(default=None, description="Since when the route runs.")
    until: PartialDate | None = Field(
        default=None, description="When it ended or was replaced (null: still running)."
    )
    replaced_by: Text | None = Field(default=None, description="Id of the route that followed.")


class TierFigure(Strict):
    """A published figure about a tier route, as of a date."""

    route: Text = Field(description="Id of the tier route it counts.")
    as_of: PartialDate = Field(description="The date the figure describes.")
    measure: Text = Field(description="What is counted, in plain words.")
    value: int | float = Field(description="The figure (a count, or a percentage: unit percent).")
    unit: Text = Field(default="count", description="count or percent.")
    tier: Text | None = Field(default=None, description="Risk tier id, if for one class.")
    breakdown: Text | None = Field(
        default=None, description="The part counted (e.g. private practice, PRP)."
    )
    sources: list[Source] = Field(min_length=1, description="Where the figure is published.")
    note: Text | None = Field(default=None, description="Caveats (e.g. a derived date).")


class TierEvent(Strict):
    """A dated event in a tier route: enforcement, amendment, start."""

    date: PartialDate = Field(description="When it happened.")
    kind: TierEventKind = Field(description="enforcement, amendment, start or other.")
    route: Text = Field(description="Id of the tier route it concerns.")
    summary: Text = Field(description="What happened, in plain words.")
    sources: list[Source] = Field(min_length=1, description="Where it is reported.")


class TierPlan(Strict):
    """A plan a review committee found suitable (research or treatment)."""

    route: Text = Field(description="Id of the tier route.")
    decided: dt.date = Field(description="The committee's meeting date.")
    institution: Text | None = Field(default=None, description="Who submitted it (null: unnamed).")
    cells: Text = Field(description="The cells used, paraphrased.")
    indication: Text = Field(description="Who it is for.")
    tier: Text | None = Field(default=None, description="Risk tier id.")
    therapy: Text | None = Field(
        default=None, description="The named therapy tested (then also a development program)."
    )
    sources: list[Source] = Field(min_length=1, description="Where the decision is published.")
    note: Text | None = Field(default=None, description="Anything else.")


class ComparisonEntry(Strict):
    """One cell of the side-by-side definitions table."""

    text: Text = Field(description="The jurisdiction's position, paraphrased.")
    citations: list[Citation] = Field(min_length=1, description="Where it comes from.")


class ComparisonBlock(Strict):
    """The founding analysis's Table 1 row set, for one jurisdiction."""

    scope_term: ComparisonEntry = Field(description="The term that scopes cell products.")
    manipulation_threshold: ComparisonEntry = Field(description="What counts as processing.")
    same_function_concept: ComparisonEntry = Field(description="Homologous use / same function.")
    autologous_treatment: ComparisonEntry = Field(description="How autologous cells are treated.")
    gene_modified_cells: ComparisonEntry = Field(description="Where gene-modified cells fall.")
    expedited_pathways: ComparisonEntry = Field(description="Expedited programmes.")
    conditional_pathways: ComparisonEntry = Field(description="Conditional approvals.")
    risk_tiers: ComparisonEntry = Field(description="Risk-tiered rules.")
    governing_laws: ComparisonEntry = Field(description="The laws that govern.")


class Jurisdiction(Strict):
    """A jurisdiction's regulatory framework for cell therapy products, as data."""

    code: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] = Field(
        description="Code (ISO 3166 alpha-2; EU for the European Union); equals the file name."
    )
    name: Text = Field(description="English name.")
    local_name: Text | None = Field(default=None, description="Name in the local language.")
    complete_as_of: dt.date | None = Field(
        description="The newest source date checked for the product list (null: not curated)."
    )
    coverage: Text = Field(description="What the product list covers and how complete it is.")
    regulators: list[Regulator] = Field(min_length=1, description="Regulatory bodies.")
    laws: list[Law] = Field(default_factory=list, description="Laws and regulations.")
    definitions: list[LegalDefinition] = Field(default_factory=list, description="Definitions.")
    categories: list[JurisdictionCategory] = Field(
        min_length=1, description="Legal categories authorizations are recorded in."
    )
    pathways: list[JurisdictionItem] = Field(
        min_length=1, description="Approval pathways (ids from the Pathway vocabulary)."
    )
    designations: list[JurisdictionItem] = Field(
        default_factory=list, description="Designations (ids from the Designation vocabulary)."
    )
    risk_tiers: list[RiskTier] = Field(default_factory=list, description="Risk tiers.")
    tier_routes: list[TierRoute] = Field(
        default_factory=list,
        description="Routes to patients outside product approval (medical practice, research).",
    )
    tier_figures: list[TierFigure] = Field(
        default_factory=list, description="Published figures on the tier routes, dated."
    )
    tier_events: list[TierEvent] = Field(
        default_factory=list, description="Dated events: enforcement, amendments, starts."
    )
    tier_plans: list[TierPlan] = Field(
        default_factory=list, description="Plans a review committee found suitable."
    )
    comparison: ComparisonBlock | None = Field(
        default=None, description="The side-by-side comparison entries."
    )
    searched: list[Text] = Field(
        default_factory=list, description="What was searched for (esp. where none was found)."
    )
    notes: Text | None = Field(default=None, description="Anything else.")

    @model_validator(mode="after")
    def _tier_references(self) -> Jurisdiction:
        laws = {law.id for law in self.laws}
        routes = {r.id for r in self.tier_routes}
        tiers = {t.id for t in self.risk_tiers}
        problems = []
        for i, r in enumerate(self.tier_routes):
            if r.law not in laws:
                problems.append(f"tier_routes[{i}].law: '{r.law}' is not a law id of this file")
            if r.replaced_by is not None and r.replaced_by not in routes:
                problems.append(f"tier_routes[{i}].replaced_by: unknown route '{r.replaced_by}'")
        listed: list[tuple[str, str | None, str | None]] = [
            (f"risk_tiers[{i}]", t.route, None) for i, t in enumerate(self.risk_tiers)
        ]
        for name, items in (
            ("tier_figures", self.tier_figures),
            ("tier_events", self.tier_events),
            ("tier_plans", self.tier_plans),
        ):
            listed += [
                (f"{name}[{i}]", x.route, getattr(x, "tier", None)) for i, x in enumerate(items)
            ]
        for where, route, tier in listed:
            if route is not None and route not in routes:
                problems.append(f"{where}.route: '{route}' is not a tier_routes id")
            if tier is not None and tier not in tiers:
                problems.append(f"{where}.tier: '{tier}' is not a risk_tiers id")
        if problems:
            raise ValueError("; ".join(problems))
        return self


# --------------------------------------------------------------------------- copy hosts


class CopyHost(Strict):
    """A host (or a host's path) that serves copies of other publishers' documents."""

    host: Text | None = Field(
        default=None,
        description="The host name; it also matches every subdomain (example.org matches "
        "www.example.org).",
    )
    pattern: Text | None = Field(
        default=None, description="A regular expression the whole host name must match."
    )
    path: Text | None = Field(
        default=None, description="Only URLs whose path starts with this (e.g. /databio/)."
    )
    kind: CopyKind = Field(description="What kind of copy it serves.")
    reason: Text = Field(description="Why it is not a source, in a sentence.")

    @model_validator(mode="after")
    def _host_or_pattern(self) -> CopyHost:
        if (self.host is None) == (self.pattern is None):
            raise ValueError("give exactly one of host or pattern")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a regular expression: {exc}") from None
        return self


class CopyHostFile(Strict):
    """data/source_hosts.yaml: hosts that are not sources, and each jurisdiction's regulator."""

    copies: list[CopyHost] = Field(
        min_length=1, description="Hosts whose pages are copies, caches, forums or summaries."
    )
    regulator_hosts: dict[str, list[Text]] = Field(
        default_factory=dict,
        description="Jurisdiction code -> the hosts of its regulators' own websites (a host "
        "also matches its subdomains); used by `ctatlas validate --stats`.",
    )


# --------------------------------------------------------------------------- diseases


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


Product.model_rebuild()
