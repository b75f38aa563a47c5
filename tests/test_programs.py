"""Development programs in the data: the shape, and every rule `validate` enforces on them.

The cases break one thing in a real record of the fixture dataset (``hs-001``, a therapy only in
development, and ``cartistem``, an authorized product) and assert the exact problem: file,
field path, reason code and message.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ctatlas import yamlio
from ctatlas.dataset import ProblemCode, validate_dataset
from ctatlas.programcheck import trial_id_problem

SLUG = "hs-001"  # a real program-only record in tests/fixtures/data/products


def _load(root: Path, slug: str) -> dict[str, Any]:
    return yamlio.load_text((root / "products" / f"{slug}.yaml").read_text(encoding="utf-8"))


def _write(root: Path, slug: str, doc: dict[str, Any]) -> None:
    (root / "products" / f"{slug}.yaml").write_text(yamlio.dump_canonical(doc), encoding="utf-8")


def prog0(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["programs"][0]


Mutation = Callable[[dict[str, Any]], None]

CASES: list[tuple[str, Mutation, str, ProblemCode, str]] = [
    (
        "unsourced program",
        lambda d: prog0(d).update(sources=[]),
        "programs[0].sources",
        ProblemCode.missing_source,
        "a program needs at least one source",
    ),
    (
        "unknown jurisdiction",
        lambda d: prog0(d).update(jurisdiction="XX"),
        "programs[0].jurisdiction",
        ProblemCode.unknown_reference,
        "unknown jurisdiction 'XX'",
    ),
    (
        "approved without its authorization",
        lambda d: prog0(d).update(stage="approved"),
        "programs[0].authorization",
        ProblemCode.inconsistent,
        "an approved program names its authorization",
    ),
    (
        "approved, naming an authorization the record lacks",
        lambda d: prog0(d).update(stage="approved", authorization="JP"),
        "programs[0].authorization",
        ProblemCode.unknown_reference,
        "no authorization in JP in this record",
    ),
    (
        "an authorization on a program not approved",
        lambda d: prog0(d).update(authorization="JP"),
        "programs[0].authorization",
        ProblemCode.inconsistent,
        "a program at stage 'phase1_2' names an authorization",
    ),
    (
        "trial id in lower case",
        lambda d: prog0(d).update(trial_ids=["nct04945018"]),
        "programs[0].trial_ids[0]",
        ProblemCode.schema,
        "write 'nct04945018' as 'NCT04945018' (the registry's canonical form)",
    ),
    (
        "trial id with ICTRP's prefix",
        lambda d: prog0(d).update(trial_ids=["JPRN-jRCT2090220384"]),
        "programs[0].trial_ids[0]",
        ProblemCode.schema,
        "write 'JPRN-jRCT2090220384' as 'jRCT2090220384' (the registry's canonical form)",
    ),
    (
        "not a trial id",
        lambda d: prog0(d).update(trial_ids=["LAPiS"]),
        "programs[0].trial_ids[0]",
        ProblemCode.schema,
        "'LAPiS' is not a trial registry id (NCT, jRCT, UMIN, JapicCTI, KCT, ChiCTR, EUCTR, "
        "ISRCTN, ACTRN ...)",
    ),
    (
        "unknown disease",
        lambda d: prog0(d)["indications"][0].update(disease_ids=["heart_failur"]),
        "programs[0].indications[0].disease_ids[0]",
        ProblemCode.unknown_reference,
        "disease id 'heart_failur' is not in diseases.yaml",
    ),
    (
        "filed before the first trial",
        lambda d: prog0(d).update(filed="2022-11"),
        "programs[0].filed",
        ProblemCode.history,
        "filed 2022-11 is before first_trial_start 2023-02",
    ),
    (
        "first trial in the future",
        lambda d: prog0(d).update(first_trial_start="2999-01"),
        "programs[0].first_trial_start",
        ProblemCode.future_date,
        f"date 2999-01 is in the future (today is {dt.date.today().isoformat()})",
    ),
    (
        "a discontinuation on an active program",
        lambda d: prog0(d).update(status="active", discontinued="2024-05"),
        "programs[0].discontinued",
        ProblemCode.inconsistent,
        "discontinued is given but the status is 'active'",
    ),
    (
        "developer null without a reason",
        lambda d: prog0(d).update(developer=None),
        "programs[0].developer",
        ProblemCode.unexplained_null,
        "developer is null without a reason",
    ),
    (
        "a designation the jurisdiction does not define",
        lambda d: prog0(d).update(designations=["rmat"]),
        "programs[0].designations[0]",
        ProblemCode.unknown_reference,
        "designation 'rmat' is not defined in jurisdictions/JP.yaml",
    ),
    (
        "the same program twice",
        lambda d: d["programs"].append(copy.deepcopy(prog0(d))),
        "programs[1]",
        ProblemCode.duplicate,
        "program 1 repeats program 0 (same jurisdiction, stage and indications)",
    ),
    (
        "neither authorization nor program",
        lambda d: d.update(programs=[]),
        "authorizations",
        ProblemCode.schema,
        "a therapy needs at least one authorization or one development program",
    ),
]


def test_the_fixture_program_is_valid(data_copy: Path) -> None:
    dataset, problems = validate_dataset(data_copy)
    assert problems == [] and dataset is not None
    therapy = dataset.product(SLUG)
    assert therapy.authorizations == []
    (program,) = therapy.programs
    assert (program.jurisdiction, program.stage.value, program.trial_ids) == (
        "JP",
        "phase1_2",
        ["NCT04945018"],
    )
    assert program.partners[0].role.value == "licensee"


@pytest.mark.parametrize(
    ("case", "mutate", "field", "code", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_each_program_rule_names_file_field_and_reason(
    data_copy: Path, case: str, mutate: Mutation, field: str, code: ProblemCode, message: str
) -> None:
    doc = copy.deepcopy(_load(data_copy, SLUG))
    mutate(doc)
    _write(data_copy, SLUG, doc)
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    mine = [p for p in problems if p.field == field and p.code is code]
    assert len(mine) == 1, [p.format() for p in problems]
    problem = mine[0]
    assert problem.file == f"products/{SLUG}.yaml"
    assert problem.message == message
    assert problem.line is not None
    assert problem.format().startswith(f"products/{SLUG}.yaml:{problem.line}: {field}: ")


def test_a_program_without_sources_key_is_a_shape_error(data_copy: Path) -> None:
    doc = _load(data_copy, SLUG)
    del prog0(doc)["sources"]
    _write(data_copy, SLUG, doc)
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    (problem,) = problems
    assert (problem.file, problem.field, problem.message) == (
        f"products/{SLUG}.yaml",
        "programs[0].sources",
        "required field is missing",
    )


def test_an_approved_program_points_at_the_records_authorization(data_copy: Path) -> None:
    """Cartistem (a real KR authorization) gains its approved KR program: valid; pointing at a
    jurisdiction it has no authorization in is not."""
    doc = _load(data_copy, "cartistem")
    program = copy.deepcopy(prog0(_load(data_copy, SLUG)))
    program.update(
        jurisdiction="KR",
        home_jurisdiction="KR",
        stage="approved",
        status="active",
        authorization="KR",
        developer="Medipost Co., Ltd.",
        partners=[],
        trial_ids=[],
        first_trial_start=None,
        indications=doc["authorizations"][0]["indications"],
        sources=doc["authorizations"][0]["sources"][:1],
    )
    program.pop("unknown", None)
    doc["programs"] = [program]
    _write(data_copy, "cartistem", doc)
    dataset, problems = validate_dataset(data_copy)
    assert problems == [] and dataset is not None
    assert dataset.product("cartistem").programs[0].authorization == "KR"
    program["authorization"] = "US"
    _write(data_copy, "cartistem", doc)
    _, problems = validate_dataset(data_copy)
    assert [(p.field, p.message) for p in problems] == [
        ("programs[0].authorization", "no authorization in US in this record")
    ]


def test_a_discontinued_program_without_date_or_reason_is_a_warning(data_copy: Path) -> None:
    doc = _load(data_copy, SLUG)
    prog0(doc)["status"] = "discontinued"
    _write(data_copy, SLUG, doc)
    dataset, problems = validate_dataset(data_copy)
    assert dataset is not None  # warnings do not reject the data
    assert sorted((p.field, p.severity) for p in problems) == [
        ("programs[0].discontinuation_reason", "warning"),
        ("programs[0].discontinued", "warning"),
    ]


@pytest.mark.parametrize(
    ("trial_id", "ok"),
    [
        ("NCT04945018", True),
        ("jRCT2090220384", True),
        ("jRCTs031180001", True),
        ("UMIN000012345", True),
        ("KCT0001234", True),
        ("JapicCTI-153040", True),
        ("KCT001234", False),
        ("NCT0494501", False),
    ],
)
def test_trial_id_formats(trial_id: str, ok: bool) -> None:
    assert (trial_id_problem(trial_id) is None) is ok
