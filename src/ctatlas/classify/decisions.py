"""Check the rules against labelled sets of regulators' real decisions.

A set (YAML) names its jurisdiction, the decision field its answers are compared with
(``category`` or an extra such as ``clinical_research_risk``) and its decisions: a description,
the regulator's answer mapped to our ids, and the source. Each profile comes from
:func:`ctatlas.classify.describe.profile_from_description`, which sees the description only.

``python -m ctatlas.classify.decisions SET.yaml ...`` prints the accuracy per set and per kind
of source, and every decision the rules got wrong or could not decide.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ctatlas.classify import ProfileError, classify
from ctatlas.classify.describe import profile_from_description
from ctatlas.errors import BadInput
from ctatlas.vocab import date_start

__all__ = ["Outcome", "SetResult", "evaluate", "load_set"]

REQUIRED = ("id", "description", "answer", "source")


@dataclass
class Outcome:
    """One decision: the regulator's answer, the rules' answer, and what the rules still needed."""

    id: str
    answer: str
    predicted: str | None
    source_kind: str
    missing: list[str] = field(default_factory=list)

    @property
    def result(self) -> str:
        if self.predicted in (None, "uncertain"):
            return "undecided"
        return "correct" if self.predicted == self.answer else "wrong"


@dataclass
class SetResult:
    """A set's outcomes and its accuracy (undecided counts as not correct)."""

    name: str
    jurisdiction: str
    outcomes: list[Outcome]

    def count(self, result: str, kind: str | None = None) -> int:
        return sum(
            1
            for o in self.outcomes
            if o.result == result and (kind is None or o.source_kind == kind)
        )

    def accuracy(self, kind: str | None = None) -> float:
        total = sum(1 for o in self.outcomes if kind is None or o.source_kind == kind)
        return self.count("correct", kind) / total if total else 0.0

    def kinds(self) -> list[str]:
        return sorted({o.source_kind for o in self.outcomes})


def load_set(path: Path | str) -> dict[str, Any]:
    """The set's document; :class:`BadInput` names the file, the decision and the field."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    path = Path(path)
    try:
        doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    except (OSError, YAMLError) as exc:
        raise BadInput(f"{path.name}: cannot read ({str(exc).splitlines()[0]})") from None
    for key in ("set", "jurisdiction", "answer_field", "decisions"):
        if not isinstance(doc, dict) or key not in doc:
            raise BadInput(f"{path.name}: missing '{key}'")
    for i, d in enumerate(doc["decisions"]):
        for key in REQUIRED:
            if not d.get(key):
                raise BadInput(f"{path.name}: decisions[{i}] ({d.get('id', '?')}): missing '{key}'")
    return doc


def evaluate(path: Path | str) -> SetResult:
    """Classify every decision of the set from its description and compare with the answer."""
    doc = load_set(path)
    code, answer_field = doc["jurisdiction"], doc["answer_field"]
    outcomes = []
    for d in doc["decisions"]:
        profile = profile_from_description(d["description"])
        # the law as it stood when the regulator decided (a dated change of practice since
        # would otherwise count against a decision that was right on its day)
        as_of = date_start(str(d["decided"])) if d.get("decided") else None
        try:
            decision = classify(profile, [code], as_of=as_of).decisions[code].as_dict()
        except ProfileError:
            predicted, missing = None, ["(contradictory profile)"]
        else:
            predicted = decision.get(answer_field)
            missing = [m["attribute"] for m in decision["missing"]]
        outcomes.append(Outcome(d["id"], d["answer"], predicted, d["source"]["kind"], missing))
    return SetResult(doc["set"], code, outcomes)


def report(results: Iterable[SetResult]) -> str:
    lines = []
    for r in results:
        n = len(r.outcomes)
        lines.append(
            f"{r.name} ({r.jurisdiction}): {r.count('correct')}/{n} correct, "
            f"{r.count('wrong')} wrong, {r.count('undecided')} undecided; "
            f"accuracy {r.accuracy():.2f}"
        )
        for kind in r.kinds():
            lines.append(f"  source kind {kind}: accuracy {r.accuracy(kind):.2f}")
        for o in r.outcomes:
            if o.result != "correct":
                needs = f" (needs {', '.join(o.missing)})" if o.missing else ""
                lines.append(
                    f"  {o.result:9} {o.id}: answer {o.answer}, rules {o.predicted}{needs}"
                )
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - a reporting entry point
    sys.stdout.write(report(evaluate(p) for p in sys.argv[1:]) + "\n")
