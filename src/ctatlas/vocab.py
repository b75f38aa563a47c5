"""Controlled vocabularies and partial dates: plain enums, no pydantic.

Kept apart from :mod:`ctatlas.model` so that quick commands can check a flag's value without
importing the models.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum

PARTIAL_DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def date_precision(value: str) -> str:
    """``day``, ``month`` or ``year`` for a partial date string."""
    return {4: "year", 7: "month", 10: "day"}[len(value)]


def date_start(value: str) -> dt.date:
    """The first day a partial date can mean (2015 -> 2015-01-01)."""
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(parts[0], parts[1], parts[2])


class Modality(str, Enum):
    """What kind of therapy a product is."""

    cell_therapy = "cell_therapy"
    tissue_engineered = "tissue_engineered"
    gene_modified_cell = "gene_modified_cell"
    gene_therapy = "gene_therapy"


class CellClass(str, Enum):
    """The founding analysis's split: adult (somatic) cells vs stem cells."""

    somatic = "somatic"
    stem = "stem"
    not_applicable = "not_applicable"


class StemType(str, Enum):
    """The kind of stem or progenitor cell a stem-cell product is made from."""

    MSC = "MSC"
    HSC = "HSC"
    iPSC_derived = "iPSC_derived"
    ESC_derived = "ESC_derived"
    tissue_stem = "tissue_stem"
    not_applicable = "not_applicable"


class Origin(str, Enum):
    """Whose cells: the patient's own, a donor's, or an animal's."""

    autologous = "autologous"
    allogeneic = "allogeneic"
    xenogeneic = "xenogeneic"
    not_applicable = "not_applicable"


class Manipulation(str, Enum):
    """How far the cells were processed."""

    minimal = "minimal"
    more_than_minimal = "more_than_minimal"
    not_applicable = "not_applicable"


class Status(str, Enum):
    """The authorization's state now."""

    authorized = "authorized"
    expired = "expired"
    withdrawn = "withdrawn"
    revoked = "revoked"
    suspended = "suspended"
    not_renewed = "not_renewed"


IN_FORCE = frozenset({Status.authorized})


class StatusEventType(str, Enum):
    """A dated event in an authorization's life."""

    approved = "approved"
    conditionally_approved = "conditionally_approved"
    converted_to_full = "converted_to_full"
    conditional_extended = "conditional_extended"
    renewed = "renewed"
    full_application_filed = "full_application_filed"
    indication_added = "indication_added"
    indication_removed = "indication_removed"
    category_changed = "category_changed"
    holder_changed = "holder_changed"
    marketing_stopped = "marketing_stopped"
    marketing_resumed = "marketing_resumed"
    suspended = "suspended"
    reinstated = "reinstated"
    withdrawn = "withdrawn"
    revoked = "revoked"
    expired = "expired"
    not_renewed = "not_renewed"


#: The status an event leaves the authorization in (``None``: the status does not change).
EVENT_STATUS: dict[StatusEventType, Status | None] = {
    StatusEventType.approved: Status.authorized,
    StatusEventType.conditionally_approved: Status.authorized,
    StatusEventType.converted_to_full: Status.authorized,
    StatusEventType.conditional_extended: Status.authorized,
    StatusEventType.renewed: Status.authorized,
    StatusEventType.full_application_filed: None,
    StatusEventType.reinstated: Status.authorized,
    StatusEventType.indication_added: None,
    StatusEventType.indication_removed: None,
    StatusEventType.category_changed: None,
    StatusEventType.holder_changed: None,
    StatusEventType.marketing_stopped: None,
    StatusEventType.marketing_resumed: None,
    StatusEventType.suspended: Status.suspended,
    StatusEventType.withdrawn: Status.withdrawn,
    StatusEventType.revoked: Status.revoked,
    StatusEventType.expired: Status.expired,
    StatusEventType.not_renewed: Status.not_renewed,
}


#: Events that give a conditional or time-limited approval a new term (they may carry ``until``).
TERM_EVENTS = frozenset({StatusEventType.conditional_extended, StatusEventType.renewed})


class ConditionalOutcome(str, Enum):
    """Where a conditional, time-limited or accelerated approval stands on a given day.

    Computed (:mod:`ctatlas.conditional`) from the status history and the term, never
    recorded in the data."""

    converted = "converted"
    renewed = "renewed"
    full_application_pending = "full_application_pending"
    expired = "expired"
    not_renewed = "not_renewed"
    withdrawn = "withdrawn"
    revoked = "revoked"
    in_term = "in_term"


class Pathway(str, Enum):
    """How an authorization was granted (designations are listed separately)."""

    standard = "standard"
    conditional_time_limited = "conditional_time_limited"
    conditional = "conditional"
    accelerated = "accelerated"
    exceptional_circumstances = "exceptional_circumstances"
    device_approval = "device_approval"
    other = "other"


class Designation(str, Enum):
    """An expedited-programme or special-status designation attached to a product."""

    orphan = "orphan"
    sakigake = "sakigake"
    rmat = "rmat"
    breakthrough_therapy = "breakthrough_therapy"
    fast_track = "fast_track"
    priority_review = "priority_review"
    prime = "prime"
    accelerated_assessment = "accelerated_assessment"
    expedited_review = "expedited_review"
    advanced_regenerative_bio = "advanced_regenerative_bio"


class SourceKind(str, Enum):
    """What kind of publisher a source is (regulator first, news last)."""

    regulator = "regulator"
    company = "company"
    peer_reviewed = "peer_reviewed"
    registry = "registry"
    news = "news"
    other = "other"


class CopyKind(str, Enum):
    """Why a host does not count as a source: it serves copies, not the publisher's record."""

    mirror = "mirror"
    proxy = "proxy"
    document_sharing = "document_sharing"
    scrape_repository = "scrape_repository"
    cache = "cache"
    forum = "forum"
    social = "social"
    ai_summary = "ai_summary"
    link_shortener = "link_shortener"
    bare_ip = "bare_ip"


class ProfileOrigin(str, Enum):
    """Where a profiled product's cells come from (``none`` for cell-free products)."""

    autologous = "autologous"
    allogeneic = "allogeneic"
    xenogeneic = "xenogeneic"
    none = "none"


class Provider(str, Enum):
    """Who gives the cells to the patient: it decides which tier route applies."""

    clinic = "clinic"
    hospital = "hospital"
    company = "company"


class TierEventKind(str, Enum):
    """What happened in a tier route (enforcement first: it is what readers look for)."""

    enforcement = "enforcement"
    amendment = "amendment"
    start = "start"
    other = "other"


class IntendedFunction(str, Enum):
    """What a profiled product is for."""

    structural_repair = "structural_repair"
    disease_treatment = "disease_treatment"
    hematopoietic_reconstitution = "hematopoietic_reconstitution"
    cosmetic_augmentation = "cosmetic_augmentation"
    reproductive = "reproductive"


class CellKind(str, Enum):
    """What kind of cells, where a rule turns on it (Japan's platelet preparations, Korea's
    immune cells)."""

    platelets = "platelets"
    immune_cells = "immune_cells"
    other = "other"


class DonorRelation(str, Enum):
    """How the donor is related to the recipient."""

    self = "self"
    first_or_second_degree_relative = "first_or_second_degree_relative"
    unrelated = "unrelated"
    not_applicable = "not_applicable"


class ProcessingStep(str, Enum):
    """A processing step, from which each jurisdiction's manipulation test can decide."""

    culture_expansion = "culture_expansion"
    enzymatic_digestion = "enzymatic_digestion"
    activation = "activation"
    genetic_modification = "genetic_modification"
    selection = "selection"
    cutting = "cutting"
    grinding = "grinding"
    shaping = "shaping"
    centrifugation = "centrifugation"
    concentration = "concentration"
    separation = "separation"
    freezing = "freezing"
    thawing = "thawing"
    lyophilisation = "lyophilisation"
    irradiation = "irradiation"
    washing = "washing"
    filtration = "filtration"
    sterilisation = "sterilisation"
    differentiation = "differentiation"
    soaking_in_antibiotics = "soaking_in_antibiotics"


class Stage(str, Enum):
    """How far a development program has gone in its jurisdiction (its furthest stage)."""

    phase1 = "phase1"
    phase1_2 = "phase1_2"
    phase2 = "phase2"
    phase3 = "phase3"
    filed = "filed"
    approved = "approved"


#: Stages in order, earliest first (pipeline funnels and ``--stage`` lists use this order).
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)


class ProgramStatus(str, Enum):
    """Whether a development program is still pursued."""

    active = "active"
    discontinued = "discontinued"
    on_hold = "on_hold"
    unknown = "unknown"


class PartnerRole(str, Enum):
    """What a partner does for a development program."""

    licensee = "licensee"
    partner = "partner"
    co_developer = "co_developer"
    distributor = "distributor"
