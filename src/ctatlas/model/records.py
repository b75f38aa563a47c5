"""A therapy's record: sources, conflicts, indications, authorizations, programs."""

from __future__ import annotations

from typing import Annotated

from pydantic import (
    Field,
    model_validator,
)

from ctatlas.model.base import SLUG_RE, PartialDate, Source, Strict, Text, Url
from ctatlas.model.profile import RegulatoryProfile
from ctatlas.vocab import (
    TERM_EVENTS,
    CellClass,
    Designation,
    Manipulation,
    Modality,
    Origin,
    PartnerRole,
    Pathway,
    ProgramStatus,
    Stage,
    Status,
    StatusEventType,
    StemType,
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
    holder: Text | None = Field(
        default=None,
        description="For holder_changed: the new holder, as the regulator or the parties name it.",
    )
    note: Text | None = Field(default=None, description="Details (e.g. which indication).")

    @model_validator(mode="after")
    def _holder_only_on_holder_changes(self) -> StatusEvent:
        if self.holder is not None and self.event is not StatusEventType.holder_changed:
            raise ValueError(
                f"'holder' (the new holder) belongs only on holder_changed events, "
                f"not on '{self.event.value}'"
            )
        return self

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


class DesignationGrant(Strict):
    """When a designation was granted, as the regulator's list or the holder's release says."""

    id: Designation = Field(description="The designation (one of the record's designations).")
    date: PartialDate = Field(description="The day it was granted, as precise as known.")
    indication: Text | None = Field(
        default=None, description="What it was granted for, where the source says."
    )
    sources: list[Source] = Field(min_length=1, description="Where the date is published.")
    note: Text | None = Field(default=None, description="Caveats (e.g. only the month given).")


def _dated_designations_listed(
    designations: list[Designation], dated: list[DesignationGrant]
) -> None:
    """A dated designation must be one the record lists, each dated once."""
    seen: set[str] = set()
    for grant in dated:
        if grant.id not in designations:
            raise ValueError(
                f"designation_dates names '{grant.id.value}', which is not in designations "
                f"({', '.join(d.value for d in designations) or 'none'})"
            )
        if grant.id.value in seen:
            raise ValueError(f"designation_dates gives '{grant.id.value}' twice")
        seen.add(grant.id.value)


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
    designation_dates: list[DesignationGrant] = Field(
        default_factory=list,
        description="When listed designations were granted, where a source gives the day.",
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

    @model_validator(mode="after")
    def _designation_dates_listed(self) -> Authorization:
        _dated_designations_listed(self.designations, self.designation_dates)
        return self


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
    designation_dates: list[DesignationGrant] = Field(
        default_factory=list,
        description="When listed designations were granted, where a source gives the day.",
    )
    sources: list[Source] = Field(description="Sources opened for this program (at least one).")
    conflicts: list[Conflict] = Field(
        default_factory=list, description="Where sources disagree and what was chosen."
    )
    unknown: dict[str, Text] = Field(
        default_factory=dict, description="Field name -> why its value is unknown (null)."
    )
    notes: Text | None = Field(default=None, description="Anything else a reader should know.")

    @model_validator(mode="after")
    def _designation_dates_listed(self) -> Program:
        _dated_designations_listed(self.designations, self.designation_dates)
        return self


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
