"""Validation: one bad-record fixture per rule, each asserting the exact problem reported.

Each case takes a real record from the fixture dataset, breaks one thing, writes it back and
validates: the problem must name the file, the line of the offending key, the field path, the
reason and the hint.
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

BASE = "maci"  # a real US record in tests/fixtures/data/products


def _load(root: Path, slug: str) -> dict[str, Any]:
    return yamlio.load_text((root / "products" / f"{slug}.yaml").read_text(encoding="utf-8"))


def _write(root: Path, slug: str, doc: dict[str, Any]) -> None:
    (root / "products" / f"{slug}.yaml").write_text(yamlio.dump_canonical(doc), encoding="utf-8")


def test_fixture_dataset_is_valid(data_copy: Path) -> None:
    dataset, problems = validate_dataset(data_copy)
    assert problems == []
    assert dataset is not None
    assert {p.slug for p in dataset.products} >= {BASE}


def auth0(doc: dict[str, Any]) -> dict[str, Any]:
    return doc["authorizations"][0]


Mutation = Callable[[dict[str, Any]], None]

CASES: list[tuple[str, Mutation, str, ProblemCode, str, str]] = [
    (
        "unknown key",
        lambda d: d.update(colour="red"),
        "colour",
        ProblemCode.unknown_key,
        "unknown key 'colour'",
        "allowed keys: aliases, authorizations, cell_class, cell_type, codes, combined_with, "
        "conflicts, description, developer, genetically_modified, manipulation, modality, name, "
        "notes, origin, programs, regulatory_profile, slug, sources, stem_type, tissue_source, "
        "unknown",
    ),
    (
        "misspelt key gets a suggestion",
        lambda d: auth0(d).update(holdr="X"),
        "authorizations[0].holdr",
        ProblemCode.unknown_key,
        "unknown key 'holdr'",
        "did you mean 'holder'? allowed keys: advisory_date, approval_date, approval_number, "
        "brand_name, category, category_history, category_note, conditional_expiry, "
        "confirmatory_obligation, conflicts, designation_dates, designations, "
        "holder, holder_local, indications, jurisdiction, launched, local_name, notes, pathway, "
        "regulator, sources, status, status_history, unknown",
    ),
    (
        "wrong enum value",
        lambda d: auth0(d).update(status="approved"),
        "authorizations[0].status",
        ProblemCode.schema,
        "Input should be 'authorized', 'expired', 'withdrawn', 'revoked', 'suspended' or "
        "'not_renewed'",
        "allowed values: 'authorized', 'expired', 'withdrawn', 'revoked', 'suspended' or "
        "'not_renewed'",
    ),
    (
        "missing source",
        lambda d: auth0(d).update(sources=[]),
        "authorizations[0].sources",
        ProblemCode.missing_source,
        "an authorization needs at least one source",
        "add a source you opened: url, title, publisher, kind, accessed",
    ),
    (
        "source without accessed date",
        lambda d: auth0(d)["sources"][0].pop("accessed"),
        "authorizations[0].sources[0].accessed",
        ProblemCode.schema,
        "required field is missing",
        "add it (use null plus a reason under `unknown:` when it is not known)",
    ),
    (
        "source URL not http(s)",
        lambda d: auth0(d)["sources"][0].update(url="ftp://example.org/x"),
        "authorizations[0].sources[0].url",
        ProblemCode.schema,
        "Value error, must be an http(s) URL",
        "",
    ),
    (
        "malformed partial date",
        lambda d: auth0(d).update(approval_date="2016-13"),
        "authorizations[0].approval_date",
        ProblemCode.schema,
        "Value error, must be a date written YYYY, YYYY-MM or YYYY-MM-DD",
        "",
    ),
    (
        "slug differs from file name",
        lambda d: d.update(slug="maci-two"),
        "slug",
        ProblemCode.slug_mismatch,
        "slug 'maci-two' does not match the file name 'maci.yaml'",
        "rename the file to maci-two.yaml or fix the slug",
    ),
    (
        "category not in the jurisdiction file",
        lambda d: auth0(d).update(category="medicine"),
        "authorizations[0].category",
        ProblemCode.unknown_reference,
        "category 'medicine' is not defined in jurisdictions/US.yaml",
        "allowed values: biologic_351, hct_p_361, device, exempt_1271_15b, not_hct_p",
    ),
    (
        "pathway not in the jurisdiction file",
        lambda d: auth0(d).update(pathway="conditional_time_limited"),
        "authorizations[0].pathway",
        ProblemCode.unknown_reference,
        "pathway 'conditional_time_limited' is not defined in jurisdictions/US.yaml",
        "allowed values: standard, accelerated, device_approval",
    ),
    (
        "unknown jurisdiction",
        lambda d: auth0(d).update(jurisdiction="XX"),
        "authorizations[0].jurisdiction",
        ProblemCode.unknown_reference,
        "unknown jurisdiction 'XX'",
        None,  # lists the known codes, which grow with the fixture
    ),
    (
        "unknown disease id",
        lambda d: auth0(d)["indications"][0].update(disease_ids=["knee_cartilage_defekt"]),
        "authorizations[0].indications[0].disease_ids[0]",
        ProblemCode.unknown_reference,
        "disease id 'knee_cartilage_defekt' is not in diseases.yaml",
        "close: knee_cartilage_defect",
    ),
    (
        "future date",
        lambda d: (
            auth0(d)["status_history"].append({"date": "2999-01-01", "event": "withdrawn"})
            or auth0(d).update(status="withdrawn")
        ),
        "authorizations[0].status_history[1].date",
        ProblemCode.future_date,
        f"date 2999-01-01 is in the future (today is {dt.date.today().isoformat()})",
        "record only what has happened",
    ),
    (
        "status history out of order",
        lambda d: auth0(d)["status_history"].append(
            {"date": "2001-05", "event": "indication_added"}
        ),
        "authorizations[0].status_history[1].date",
        ProblemCode.history,
        "status history is out of date order at 2001-05",
        "list events oldest first",
    ),
    (
        "status disagrees with history",
        lambda d: auth0(d).update(status="withdrawn"),
        "authorizations[0].status",
        ProblemCode.history,
        "status 'withdrawn' disagrees with the status history, which ends in 'authorized'",
        "add the dated event that led to the current status",
    ),
    (
        "history that does not start with an approval",
        lambda d: auth0(d)["status_history"][0].update(event="indication_added"),
        "authorizations[0].status_history[0].event",
        ProblemCode.history,
        "status history starts with 'indication_added'",
        "the first event is 'approved' or 'conditionally_approved'",
    ),
    (
        "undated approval event while approval_date is set",
        lambda d: auth0(d)["status_history"][0].update(
            date=None, not_after="2017", note="licence date not found"
        ),
        "authorizations[0].status_history[0].date",
        ProblemCode.history,
        "the approval event has no date but approval_date is 2016-12-13",
        "date the approval event with approval_date",
    ),
    (
        "holder change that does not name the new holder",
        lambda d: auth0(d)["status_history"].append({"date": "2017-01", "event": "holder_changed"}),
        "authorizations[0].status_history[1].event",
        ProblemCode.history,
        "a holder change does not name the new holder",
        "add `holder: <the new holder>` to the event",
    ),
    (
        "new holder on an event that is not a holder change",
        lambda d: auth0(d)["status_history"].append(
            {"date": "2017-01", "event": "marketing_stopped", "holder": "Vericel"}
        ),
        "authorizations[0].status_history[1]",
        ProblemCode.schema,
        "Value error, 'holder' (the new holder) belongs only on holder_changed events, "
        "not on 'marketing_stopped'",
        "",
    ),
    (
        "stem-cell product without stem type",
        lambda d: d.update(cell_class="stem"),
        "stem_type",
        ProblemCode.inconsistent,
        "a stem-cell product needs a stem_type",
        "allowed values: MSC, HSC, iPSC_derived, ESC_derived, tissue_stem",
    ),
    (
        "non-cell gene therapy with a cell origin",
        lambda d: d.update(modality="gene_therapy", cell_class="not_applicable"),
        "origin",
        ProblemCode.inconsistent,
        "a non-cell gene therapy has no cell origin",
        "set origin: not_applicable",
    ),
    (
        "null key field without a reason",
        lambda d: auth0(d).update(holder=None),
        "authorizations[0].holder",
        ProblemCode.unexplained_null,
        "holder is null without a reason",
        "add `unknown: {holder: <why it is not known>}` or fill it in",
    ),
    (
        "conflict citing a source not listed",
        lambda d: auth0(d).update(
            conflicts=[
                {
                    "field": "approval_date",
                    "values": [
                        {"value": "2016-12-13", "source": auth0(d)["sources"][0]["url"]},
                        {"value": "2016-12", "source": "https://example.org/not-listed"},
                    ],
                    "chosen": "2016-12-13",
                    "reason": "the regulator gives the day",
                }
            ]
        ),
        "authorizations[0].conflicts[0].values[1].source",
        ProblemCode.unknown_reference,
        "conflict source https://example.org/not-listed is not among the record's sources",
        "add the source under `sources:` or cite one that is listed",
    ),
]


@pytest.mark.parametrize(
    ("case", "mutate", "field", "code", "message", "hint"), CASES, ids=[c[0] for c in CASES]
)
def test_each_rule_reports_file_line_field_reason_hint(
    data_copy: Path,
    case: str,
    mutate: Mutation,
    field: str,
    code: ProblemCode,
    message: str,
    hint: str | None,
) -> None:
    doc = copy.deepcopy(_load(data_copy, BASE))
    mutate(doc)
    _write(data_copy, BASE, doc)
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    mine = [p for p in problems if p.field == field and p.code is code]
    assert len(mine) == 1, [p.format() for p in problems]
    problem = mine[0]
    assert problem.file == f"products/{BASE}.yaml"
    assert problem.message == message
    if hint is not None:
        assert problem.hint == hint
    # the line points at the offending key (or its nearest parent that exists)
    text = (data_copy / "products" / f"{BASE}.yaml").read_text(encoding="utf-8")
    assert problem.line is not None
    leaf = field.rsplit(".", 1)[-1].split("[", 1)[0]
    line = text.splitlines()[problem.line - 1]
    if problem.message == "required field is missing":
        assert line.lstrip().startswith("- ")  # the mapping that lacks the key
    else:
        assert leaf in line or field.endswith("]")


def test_an_approval_known_only_by_a_bound_is_accepted(data_copy: Path) -> None:
    """A licence whose date no source gives (e.g. known only to predate a reimbursement
    listing) is recorded with approval_date null, its reason, and an approval event bounded
    by not_after; the as-of views order it by that bound."""
    doc = copy.deepcopy(_load(data_copy, BASE))
    auth = auth0(doc)
    auth["approval_date"] = None
    auth["unknown"] = {"approval_date": "no source gives the licence date"}
    auth["status_history"][0].update(
        date=None, not_after="2017-01", note="licensed before this listing; day not found"
    )
    _write(data_copy, BASE, doc)
    dataset, problems = validate_dataset(data_copy)
    assert problems == [], [p.format() for p in problems]
    assert dataset is not None
    maci = next(p for p in dataset.products if p.slug == BASE)
    first = maci.authorizations[0].status_history[0]
    assert (first.date, first.not_after, first.effective_date) == (None, "2017-01", "2017-01")

    # without the bound the event is refused, naming the field
    auth["status_history"][0]["not_after"] = None
    _write(data_copy, BASE, doc)
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    assert any("status_history" in p.field and "not_after" in p.message for p in problems), [
        p.format() for p in problems
    ]


def test_holder_and_market_events_leave_the_status_alone(data_copy: Path) -> None:
    """A sale carries the new holder; a company that stops selling a product whose licence
    stands records marketing_stopped: neither changes the legal status."""
    doc = copy.deepcopy(_load(data_copy, BASE))
    auth = auth0(doc)
    auth["status_history"] += [
        {"date": "2018-03", "event": "holder_changed", "holder": "Vericel Corporation"},
        {"date": "2019-06", "event": "marketing_stopped", "note": "no longer sold; licence kept"},
        {"date": "2020-02", "event": "marketing_resumed"},
    ]
    _write(data_copy, BASE, doc)
    dataset, problems = validate_dataset(data_copy)
    assert problems == [], [p.format() for p in problems]
    assert dataset is not None
    maci = next(p for p in dataset.products if p.slug == BASE).authorizations[0]
    assert maci.status.value == "authorized"
    assert [(e.event.value, e.holder) for e in maci.status_history[1:]] == [
        ("holder_changed", "Vericel Corporation"),
        ("marketing_stopped", None),
        ("marketing_resumed", None),
    ]

    # a status that followed a market event would be a licence event: refused
    auth["status"] = "withdrawn"
    _write(data_copy, BASE, doc)
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    assert [p.message for p in problems if p.field == "authorizations[0].status"] == [
        "status 'withdrawn' disagrees with the status history, which ends in 'authorized'"
    ]


def test_yaml_syntax_error_names_the_line(data_copy: Path) -> None:
    path = data_copy / "products" / f"{BASE}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "name: [unclosed")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    (problem,) = problems
    assert problem.code is ProblemCode.yaml_syntax
    assert problem.file == f"products/{BASE}.yaml"
    assert problem.line is not None and 4 <= problem.line <= 6
    assert problem.message.startswith("YAML syntax error:")


def test_every_problem_is_reported_at_once(data_copy: Path) -> None:
    doc = _load(data_copy, BASE)
    doc["colour"] = "red"
    _write(data_copy, BASE, doc)
    other = sorted((data_copy / "products").glob("*.yaml"))
    victim = next(p for p in other if p.stem != BASE)
    second = yamlio.load_text(victim.read_text(encoding="utf-8"))
    second["authorizations"][0]["status"] = "approved"
    victim.write_text(yamlio.dump_canonical(second), encoding="utf-8")
    _, problems = validate_dataset(data_copy)
    files = {p.file for p in problems}
    assert files == {f"products/{BASE}.yaml", f"products/{victim.name}"}


def test_duplicate_slug_and_brand_across_files(data_copy: Path) -> None:
    doc = _load(data_copy, BASE)
    (data_copy / "products" / "maci-copy.yaml").write_text(
        yamlio.dump_canonical({**doc, "slug": "maci-copy"}), encoding="utf-8"
    )
    _, problems = validate_dataset(data_copy)
    messages = [p.message for p in problems if p.code is ProblemCode.duplicate]
    assert messages == [
        f"brand '{auth0(doc)['brand_name']}' in US is also in products/maci-copy.yaml"
    ]


def test_jurisdiction_file_code_must_match_name(data_copy: Path) -> None:
    path = data_copy / "jurisdictions" / "US.yaml"
    path.rename(data_copy / "jurisdictions" / "UK.yaml")
    _, problems = validate_dataset(data_copy)
    codes = {p.code for p in problems}
    assert ProblemCode.code_mismatch in codes
    mismatch = next(p for p in problems if p.code is ProblemCode.code_mismatch)
    assert mismatch.message == "code 'US' does not match the file name 'UK.yaml'"


def test_a_published_total_must_count_a_designation_the_file_defines(data_copy: Path) -> None:
    path = data_copy / "jurisdictions" / "US.yaml"
    doc = yamlio.load_text(path.read_text(encoding="utf-8"))
    assert doc["designation_totals"][0]["designation"] == "rmat"
    doc["designation_totals"][0]["designation"] = "sakigake"  # a Japanese designation
    path.write_text(yamlio.dump_canonical(doc), encoding="utf-8")
    _, problems = validate_dataset(data_copy)
    (problem,) = [p for p in problems if p.field.startswith("designation_totals")]
    assert problem.file.endswith("US.yaml") and problem.code is ProblemCode.unknown_reference
    assert problem.field == "designation_totals[0].designation"
    assert "designation 'sakigake' is not defined in this file's designations" in problem.message
