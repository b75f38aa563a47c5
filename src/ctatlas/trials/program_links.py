"""Which development programs of the atlas a trial belongs to.

A program is one therapy in one jurisdiction (``data/products/*.yaml``, ``programs``). A trial
is linked to a program when

- the program lists one of the trial's registry ids (its own or a secondary id) among its
  ``trial_ids`` (curated), or
- the trial names the program's therapy (a name, brand, alias or development code, matched as
  the product linker matches them) **among its interventions**, and the program's jurisdiction
  is one of the trial's countries (a European program: any EU/EEA country). A trial without
  countries is linked only when the therapy has a single program.

A therapy named only in the title is not enough (a title may name a prior therapy). Links are
computed when read, from the stored record and the atlas, so they follow both without a
relabel. Build a :class:`ProgramLinker` once per atlas version.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .link import Linker, product_specs

__all__ = ["EEA", "ProgramLinker"]

#: Countries where a program of the European Union jurisdiction ("EU") runs its trials.
EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO"
    .split()
)


class ProgramLinker:
    """``ProgramLinker(therapies).links(trial) -> [program, ...]``; ``trial`` is a stored or
    listed record (``trial_id``, ``secondary_ids``, ``countries``, ``interventions``)."""

    def __init__(self, therapies: Iterable[Mapping[str, Any]]) -> None:
        docs = [d for d in therapies if d.get("programs")]
        self.programs: dict[str, list[dict[str, Any]]] = {}
        self.by_trial_id: dict[str, list[tuple[str, int]]] = {}
        for doc in docs:
            rows = []
            for index, p in enumerate(doc["programs"]):
                rows.append(
                    {
                        "slug": doc["slug"],
                        "program": index,
                        "name": doc["name"],
                        "jurisdiction": p["jurisdiction"],
                        "stage": p["stage"],
                        "status": p["status"],
                    }
                )
                for tid in p.get("trial_ids") or ():
                    self.by_trial_id.setdefault(tid.upper(), []).append((doc["slug"], index))
            self.programs[doc["slug"]] = rows
        self.linker = Linker(product_specs(docs))

    def links(self, trial: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The programs ``trial`` belongs to, in (slug, program) order."""
        found: set[tuple[str, int]] = set()
        for tid in [trial.get("trial_id") or "", *(trial.get("secondary_ids") or ())]:
            found.update(self.by_trial_id.get(str(tid).upper(), ()))
        interventions = trial.get("interventions") or ()
        if interventions:
            countries = set(trial.get("countries") or ())
            named = self.linker.link({"title": None, "interventions": interventions})
            for slug in named:
                programs = self.programs.get(slug, ())
                if not countries:
                    if len(programs) == 1:
                        found.add((slug, 0))
                    continue
                for p in programs:
                    where = p["jurisdiction"]
                    if where in countries or (where == "EU" and not EEA.isdisjoint(countries)):
                        found.add((slug, p["program"]))
        return [self.programs[slug][index] for slug, index in sorted(found)]
