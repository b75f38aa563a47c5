"""A classified :class:`~ctatlas.trials.record.Trial` as a row of the ``trials`` table."""

from __future__ import annotations

from typing import Any

import orjson

from ..record import Trial
from .schema import JSON_COLS, SOURCE_RANK

__all__ = ["trial_row"]


def trial_row(trial: Trial) -> dict[str, Any]:
    """The ``trials`` table row of a classified Trial (without uid, hash and timestamps).

    List columns hold JSON text (serialised here, in the worker processes, with orjson)."""
    row = _trial_row(trial)
    for k in JSON_COLS:
        row[k] = orjson.dumps(row[k]).decode()
    return row


def _trial_row(trial: Trial) -> dict[str, Any]:
    return {
        "source": trial.source,
        "source_id": trial.trial_id,
        "source_rank": SOURCE_RANK.get(trial.source, 9),
        "registry": trial.registry,
        "trial_id": trial.trial_id,
        "secondary_ids": trial.secondary_ids,
        "title": trial.title,
        "phases": trial.phases,
        "phases_key": "|" + "|".join(trial.phases) + "|",
        "status": trial.status,
        "study_type": trial.study_type,
        "start_date": trial.start_date,
        "start_year": trial.start_year,
        "countries": trial.countries,
        "countries_key": "|" + "|".join(trial.countries) + "|",
        "sponsor": trial.sponsor,
        "sponsor_class": trial.sponsor_class,
        "conditions": trial.conditions,
        "interventions": [_intervention(i) for i in trial.interventions],
        "label": trial.label,
        "cell_class": trial.cell_class,
        "cell_family": trial.cell_family,
        "stem_type": trial.stem_type,
        "origin": trial.origin,
        "evidence": trial.evidence,
        "product_slugs": trial.product_slugs,
        "last_updated": trial.last_updated,
        "url": trial.url,
    }


def _intervention(i: dict[str, Any]) -> dict[str, Any]:
    """An intervention as stored: type and name, and its other names when it has any (the
    product linker reads them, so ``ctatlas trials link`` sees what the ingest saw)."""
    out = {"type": i.get("type", ""), "name": i.get("name", "")}
    others = [o for o in i.get("other_names") or () if o]
    if others:
        out["other_names"] = others
    return out
