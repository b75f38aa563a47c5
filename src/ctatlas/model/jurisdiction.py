"""A jurisdiction's rules as data: regulators, laws, definitions, categories, tiers."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import (
    Field,
    model_validator,
)

from ctatlas.model.base import PartialDate, Source, Strict, Text, Url
from ctatlas.vocab import (
    Designation,
    Provider,
    TierEventKind,
)


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


class DesignationTotal(Strict):
    """A published count for one designation (e.g. RMAT granted in a fiscal year): the
    regulator's own where it publishes one, otherwise a sourced tally of its lists (the source's
    kind says which), to set beside the atlas's count of the designated products it names."""

    designation: Designation = Field(description="The designation counted.")
    measure: Text = Field(description="What is counted, in plain words.")
    period_start: PartialDate | None = Field(
        default=None, description="The first day counted (null: since the designation began)."
    )
    as_of: PartialDate = Field(description="The last day counted (the data's cut-off).")
    value: int = Field(ge=0, description="The count.")
    scope: Text | None = Field(
        default=None,
        description="What the count covers beyond cell therapy (e.g. gene therapies, tissues).",
    )
    cumulative: bool = Field(
        default=False, description="True for a running total since the designation began."
    )
    sources: list[Source] = Field(min_length=1, description="Where the count is published.")
    note: Text | None = Field(default=None, description="Caveats.")


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


class CoveragePart(Strict):
    """A part of a jurisdiction's programs whose completeness is said on its own (issue 15):
    company programs swept until every route gave nothing new may be complete while academic
    clinical research, whose lists are not public, is not."""

    scope: Text = Field(description="Which programs this part holds, in plain words.")
    complete_as_of: dt.date | None = Field(
        description="Every program of this part is believed recorded, at its stage and status, "
        "through this day; null: not yet complete."
    )
    basis: Text = Field(
        description="Why: the routes swept until they gave nothing new, or what keeps the part "
        "from being complete, with the figures (details in data/notes/PIPELINE.md)."
    )


class ProgramCoverage(Strict):
    """How complete the development programs recorded for a jurisdiction are (issue 15): the
    programs whose trials run or whose filing is there (``programs[].jurisdiction``)."""

    complete_as_of: dt.date | None = Field(
        description="Every program in this jurisdiction is believed recorded, at its stage and "
        "status, through this day; null: not yet complete."
    )
    sources_through: PartialDate | None = Field(
        default=None, description="The newest source found for the jurisdiction's programs."
    )
    coverage: Text = Field(description="What the recorded programs cover, in plain words.")
    method: Text = Field(
        description="How the programs were searched (queries, registries, company pipelines), "
        "with where the notes are (data/notes/PIPELINE.md)."
    )
    excludes: list[Text] = Field(
        default_factory=list,
        description="What is known not to be covered (kinds of programs, sources not searched).",
    )
    parts: list[CoveragePart] = Field(
        default_factory=list,
        description="Parts of the programs whose completeness differs from the whole "
        "jurisdiction's, each with its own complete_as_of and basis.",
    )


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
    pipeline: ProgramCoverage | None = Field(
        default=None,
        description="How complete the development programs recorded here are (null: not said).",
    )
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
    designation_totals: list[DesignationTotal] = Field(
        default_factory=list,
        description="Published counts of designations (the regulator's own where it publishes "
        "one; sourced), shown beside the atlas's count of the designated products it names.",
    )
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
