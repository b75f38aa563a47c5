"""The Pipeline chapter's registries part: what the trial registries say, from the trials store.

Counted over the cell-therapy trials of the store (label ``cell_therapy``, the best record of
each real trial): starts per year by cell family and by country (Japan, Korea and every
country), the phase mix, the sponsors, and the founding analysis's disease topics, with the
trials' conditions mapped through ``diseases.yaml``; and what the store holds (its last ingest,
its registries, its record and trial counts). The charts are the ones ``/trials`` draws.

A trial sited in Japan and Korea counts under each (and under "All countries" once); a phase
1/2 trial counts under each phase. A condition names a disease when the disease's name or one
of its synonyms appears in it as whole words, compared without case, punctuation, possessives
or British/American spelling differences ("Graft vs Host Disease" names graft-versus-host
disease); conditions are free text, so a topic's count is a floor.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ctatlas import labels
from ctatlas.analysis.charts import Chart, _alt, _spec
from ctatlas.analysis.tables import FOUNDING_TOPICS, Column, Table
from ctatlas.trials.record import CELL_FAMILIES, PHASES
from ctatlas.trials.stats import pipeline_stats

__all__ = [
    "FACET_COLUMNS",
    "condition_diseases",
    "registries_part",
    "trial_charts",
]

Gettext = Callable[[str], str]
FACET_COLUMNS = (
    "start_date",
    "cell_family",
    "countries",
    "phases",
    "sponsor",
    "sponsor_class",
    "conditions",
)
REGIONS = ("JP", "KR", "world")
REGION_WORDS = {"JP": "Japan", "KR": "South Korea", "world": "All countries"}
TOP_SPONSORS = 15


def _same(text: str) -> str:
    return text


def _regions(trial: dict[str, Any]) -> list[str]:
    countries = trial.get("countries") or []
    return [c for c in ("JP", "KR") if c in countries] + ["world"]


# --------------------------------------------------------------------------- conditions


def _norm(text: str) -> str:
    t = text.lower().replace("’", "'")
    t = re.sub(r"'s\b", "", t)
    t = re.sub(r"\bvs\.?(?=\s)", "versus", t)
    t = t.replace("ae", "e").replace("oe", "e")  # leukaemia/leukemia, oedema/edema
    t = re.sub(r"[^\w]+", " ", t)
    return f" {t.strip()} "


def _names(text: str, key: str) -> bool:
    """Whether normalized ``text`` holds ``key`` other than as the tail of a "non" name
    ("non small cell lung cancer" does not name small cell lung cancer)."""
    at = text.find(key)
    while at >= 0:
        if not text[: at + 1].endswith(" non "):
            return True
        at = text.find(key, at + 1)
    return False


def condition_diseases(
    diseases: Sequence[dict[str, Any]], areas: Sequence[dict[str, Any]] = ()
) -> Callable[[str], set[str]]:
    """A matcher: condition text -> the ids of the diseases it names, and ``area:<id>`` for
    the disease areas it names by the area's name (see the module doc)."""
    keys: list[tuple[str, str]] = []
    for d in diseases:
        for name in [d["name"], *(d.get("synonyms") or [])]:
            n = _norm(str(name))
            if len(n.strip()) >= 4:
                keys.append((n, d["id"]))
    for a in areas:
        n = _norm(str(a["name"]))
        if len(n.strip()) >= 4:
            keys.append((n, f"area:{a['id']}"))

    def match(condition: str) -> set[str]:
        text = _norm(condition)
        return {did for n, did in keys if _names(text, n)}

    return match


def _topics(
    trials: Iterable[dict[str, Any]],
    diseases: Sequence[dict[str, Any]],
    areas: Sequence[dict[str, Any]],
) -> list[dict[str, Any]]:
    area_of = {d["id"]: d["area"] for d in diseases}
    area_of.update({f"area:{a['id']}": a["id"] for a in areas})
    match = condition_diseases(diseases, areas)
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for t in trials:
        named: set[str] = set()
        for c in t.get("conditions") or []:
            named |= match(str(c))
        if not named:
            continue
        named_areas = {area_of.get(d) for d in named}
        for topic, (areas, ids) in FOUNDING_TOPICS.items():
            if named & ids or named_areas & areas:
                for r in _regions(t):
                    counts[topic][r] += 1
    return [{"topic": topic, **{r: counts[topic][r] for r in REGIONS}} for topic in FOUNDING_TOPICS]


# --------------------------------------------------------------------------- tables


def _region_columns() -> list[Column]:
    return [Column(r, REGION_WORDS[r], "int") for r in REGIONS]


def registries_part(
    store: Any, diseases: Sequence[dict[str, Any]], areas: Sequence[dict[str, Any]] = ()
) -> tuple[list[Table], list[Chart]]:
    """The registries part's tables and charts from a trials store (read, never written)."""
    overview = store.overview()
    trials = list(store.facets(FACET_COLUMNS, label="cell_therapy"))
    registries = ", ".join(
        f"{_registry_name(r)} ({n:,})" for r, n in sorted(overview["registries"].items())
    )
    tables = [
        Table(
            "pipeline_trials_store",
            "The trial registries read",
            "What the trials store holds: when it was last filled, from which registries "
            "(records from each), and how many real trials (a trial registered in several "
            "registries counts once) and cell-therapy trials it holds.",
            [
                Column("last_ingest", "Last ingest"),
                Column("registries", "Registries (records)"),
                Column("records", "Records", "int"),
                Column("trials", "Trials", "int"),
                Column("cell_trials", "Cell-therapy trials", "int"),
            ],
            [
                {
                    "last_ingest": overview["last_ingest"] or "—",
                    "registries": registries or "—",
                    "records": overview["records"],
                    "trials": overview["trials"],
                    "cell_trials": len(trials),
                }
            ],
        )
    ]
    if not trials:
        return tables, []
    starts: dict[tuple[int, str], Counter[str]] = defaultdict(Counter)
    for row in pipeline_stats(trials, by=("year", "family", "region")):
        if row["year"] != "unknown":
            starts[(row["year"], row["family"])][row["region"]] += row["trials"]
    tables.append(
        Table(
            "pipeline_trials_starts",
            "Cell-therapy trial starts per year, by cell family and country",
            "Trials by the year they started and the cell family the classifier found, in "
            "Japan, in Korea and in every country (trials without a start date left out).",
            [Column("year", "Year", "int"), Column("family", "Cell family"), *_region_columns()],
            [
                {
                    "year": year,
                    "family": _family(fam),
                    **{r: by[r] for r in REGIONS},
                }
                for (year, fam), by in sorted(starts.items(), key=lambda kv: (kv[0][0], kv[0][1]))
            ],
        )
    )
    phases: dict[str, Counter[str]] = defaultdict(Counter)
    for t in trials:
        for p in t.get("phases") or ["unknown"]:
            for r in _regions(t):
                phases[p][r] += 1
    tables.append(
        Table(
            "pipeline_trials_phases",
            "Phase mix of cell-therapy trials",
            "Trials per phase in Japan, in Korea and in every country (a phase 1/2 trial "
            "counts under both phases).",
            [Column("phase", "Phase"), *_region_columns()],
            [
                {"phase": _phase(p), **{r: phases[p][r] for r in REGIONS}}
                for p in (*PHASES, "unknown")
                if p in phases
            ],
        )
    )
    by_class: dict[str, Counter[str]] = defaultdict(Counter)
    sponsors: Counter[tuple[str, str]] = Counter()
    for t in trials:
        cls = t.get("sponsor_class") or "unknown"
        for r in _regions(t):
            by_class[cls][r] += 1
        if t.get("sponsor"):
            sponsors[(str(t["sponsor"]), cls)] += 1
    tables.append(
        Table(
            "pipeline_trials_sponsors",
            "Who sponsors cell-therapy trials",
            f"Trials per kind of sponsor in Japan, in Korea and in every country; then the "
            f"{TOP_SPONSORS} sponsors with the most trials (sponsor names as registered).",
            [Column("sponsor", "Sponsor"), Column("kind", "Kind"), *_region_columns()],
            [
                {
                    "sponsor": "All sponsors of this kind",
                    "kind": labels.label("sponsor_class", cls),
                    **{r: by[r] for r in REGIONS},
                }
                for cls, by in sorted(by_class.items(), key=lambda kv: -kv[1]["world"])
            ]
            + [
                {
                    "sponsor": name,
                    "kind": labels.label("sponsor_class", cls),
                    "JP": None,
                    "KR": None,
                    "world": n,
                }
                for (name, cls), n in sorted(sponsors.items(), key=lambda kv: (-kv[1], kv[0]))[
                    :TOP_SPONSORS
                ]
            ],
        )
    )
    tables.append(
        Table(
            "pipeline_trials_topics",
            "The founding disease topics in the registries",
            "Cell-therapy trials whose conditions name a disease of the founding analysis's six "
            "topics (conditions mapped through diseases.yaml by name and synonym; free-text "
            "conditions that name none are not counted, so each count is a floor).",
            [Column("topic", "Topic"), *_region_columns()],
            _topics(trials, diseases, areas),
        )
    )
    return tables, trial_charts(trials)


def _registry_name(code: str) -> str:
    from ctatlas.trials.names import REGISTRY_NAMES

    return REGISTRY_NAMES.get(code, code)


def _family(code: str, lang: str = "en") -> str:
    return labels.label("cell_family", code, lang) if code != "unknown" else "Not given"


def _phase(code: str, lang: str = "en") -> str:
    return labels.label("trial_phase", code, lang) if code != "unknown" else "Phase not given"


# --------------------------------------------------------------------------- charts


def trial_charts(
    facets: Sequence[dict[str, Any]], _: Gettext = _same, lang: str = "en",
    region_names: dict[str, str] | None = None, width: Any = 520,
) -> list[Chart]:
    """Charts over trials (rows with start_date, cell_family, countries, phases): starts per
    year by cell family; starts per year in Japan, Korea and every country; the phase mix.
    Titles and axes through ``_``, codes as labels in ``lang``; none without trials."""
    alt = _alt()

    if not facets:
        return []
    charts = []
    unknown = _("Not given")
    by_family = [
        r for r in pipeline_stats(facets, by=("family", "year")) if r["year"] != "unknown"
    ]
    if by_family:
        fam_order = [labels.label("cell_family", f, lang) for f in CELL_FAMILIES]
        values = [
            {
                "year": r["year"],
                "family": labels.label("cell_family", r["family"], lang)
                if r["family"] != "unknown"
                else unknown,
                "trials": r["trials"],
            }
            for r in by_family
        ]
        chart = (
            alt.Chart(alt.Data(values=values))
            .mark_bar()
            .encode(
                x=alt.X("year:O", title=_("Year the trial started")),
                y=alt.Y("sum(trials):Q", title=_("Trials")),
                color=alt.Color("family:N", title=_("Cell family"), sort=fam_order),
                tooltip=[
                    alt.Tooltip("year:O", title=_("Year")),
                    alt.Tooltip("family:N", title=_("Cell family")),
                    alt.Tooltip("trials:Q", title=_("Trials")),
                ],
            )
            .properties(width=width, height=260)
        )
        title = _("Trial starts per year by cell family")
        charts.append(Chart("trial_starts_by_family", title, _spec(chart)))
    by_region = [
        r for r in pipeline_stats(facets, by=("region", "year")) if r["year"] != "unknown"
    ]
    if by_region:
        names = region_names or {
            "JP": REGION_WORDS["JP"],
            "KR": REGION_WORDS["KR"],
            "world": _("All countries"),
        }
        values = [
            {"year": r["year"], "region": names[r["region"]], "trials": r["trials"]}
            for r in by_region
        ]
        chart = (
            alt.Chart(alt.Data(values=values))
            .mark_line(point=True)
            .encode(
                x=alt.X("year:O", title=_("Year the trial started")),
                y=alt.Y("trials:Q", title=_("Trials")),
                color=alt.Color(
                    "region:N", title=_("Where"), sort=[names[r] for r in REGIONS]
                ),
                tooltip=[
                    alt.Tooltip("year:O", title=_("Year")),
                    alt.Tooltip("region:N", title=_("Where")),
                    alt.Tooltip("trials:Q", title=_("Trials")),
                ],
            )
            .properties(width=width, height=260)
        )
        title = _("Trial starts per year: Japan, Korea and all countries")
        charts.append(Chart("trial_starts_by_region", title, _spec(chart)))
    phases: Counter[str] = Counter()
    for row in facets:
        for p in row.get("phases") or ["unknown"]:
            phases[p] += row.get("weight", 1)
    order = [p for p in (*PHASES, "unknown") if phases.get(p)]
    values = [
        {
            "phase": labels.label("trial_phase", p, lang)
            if p != "unknown"
            else _("Phase not given"),
            "trials": phases[p],
        }
        for p in order
    ]
    chart = (
        alt.Chart(alt.Data(values=values))
        .mark_bar()
        .encode(
            y=alt.Y("phase:N", title=None, sort=[v["phase"] for v in values]),
            x=alt.X("trials:Q", title=_("Trials")),
            tooltip=[
                alt.Tooltip("phase:N", title=_("Phase")),
                alt.Tooltip("trials:Q", title=_("Trials")),
            ],
        )
        .properties(width=width, height=max(60, 28 * len(values)))
    )
    charts.append(Chart("trial_phase_mix", _("Phase mix"), _spec(chart)))
    return charts
