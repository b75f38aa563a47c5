"""Copies are not sources; the share of authorizations dated by the regulator's own record.

The host list is the real ``data/source_hosts.yaml`` (the fixture dataset holds a copy); the
records are real fixture records with one thing changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ctatlas import yamlio
from ctatlas.cli import app
from ctatlas.dataset import ProblemCode, validate_dataset
from ctatlas.model import CopyHost, CopyKind
from ctatlas.sources import copy_host, regulator_share

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
REPO_DATA = Path(__file__).resolve().parents[1] / "data"
SCRAPE = (
    "https://github.com/databio/everyday-genomics/blob/82d3ca58627223ca38f1d9238d889c02a7f27332/"
    "data/fda_gene_therapies_products.csv"
)


def _edit(root: Path, slug: str, change: Any) -> None:
    path = root / "products" / f"{slug}.yaml"
    doc = yamlio.load_text(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yamlio.dump_canonical(doc), encoding="utf-8")


def _copies() -> list[CopyHost]:
    from ctatlas.model import CopyHostFile

    text = (REPO_DATA / "source_hosts.yaml").read_text(encoding="utf-8")
    return CopyHostFile.model_validate(yamlio.load_text(text)).copies


def test_fixture_host_list_is_the_real_one() -> None:
    real = (REPO_DATA / "source_hosts.yaml").read_text(encoding="utf-8")
    assert (FIXTURE_DATA / "source_hosts.yaml").read_text(encoding="utf-8") == real


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://docslib.org/doc/123/maci", CopyKind.document_sharing),
        ("https://www.scribd.com/document/1/x", CopyKind.document_sharing),
        ("http://34.80.245.248/content_html/2018-07-05/x.html", CopyKind.bare_ip),
        ("http://[2001:db8::1]/x", CopyKind.bare_ip),
        ("https://old.reddit.com/r/x", CopyKind.forum),
        ("https://m.newspic.kr/summary.html?nid=1", CopyKind.ai_summary),
        ("https://moomoo.com/ja/news/post/41019766/x", CopyKind.mirror),
        ("https://webharvest.gov/peth04/20041108160151/http://www.fda.gov/x", CopyKind.cache),
        ("https://www.city.kobe.lg.jp.cache.yimg.jp/x", CopyKind.cache),
        (
            "https://meilu.jpshuntong.com/url-68747470733a2f2f7777772e706d64612e676f2e6a70",
            CopyKind.proxy,
        ),
        (SCRAPE, CopyKind.scrape_repository),
        ("https://bit.ly/2grlPdB", CopyKind.link_shortener),
        ("https://docplayer.net/4879663-memorandum.html", CopyKind.document_sharing),
        ("https://docplayer.bg/159306080-yescarta.html", CopyKind.document_sharing),
        ("https://webarchive.library.unt.edu/web/2012/http://www.fda.gov/x", CopyKind.cache),
        ("https://substack.com/@someone/note/c-1", CopyKind.social),
    ],
)
def test_copies_are_recognised(url: str, kind: CopyKind) -> None:
    entry = copy_host(url, _copies())
    assert entry is not None and entry.kind is kind
    assert entry.reason


@pytest.mark.parametrize(
    "url",
    [
        "https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/kymriah",
        "https://github.com/kite-pharma/whatever",  # only the scrape's owner is listed
        "https://notreddit.com/x",  # a host is matched whole or as a parent domain
        "https://someone.substack.com/p/an-article",  # articles are not notes
        "https://www.ema.europa.eu/en/medicines/human/EPAR/kymriah",
    ],
)
def test_originals_are_not_copies(url: str) -> None:
    assert copy_host(url, _copies()) is None


def test_copy_source_is_reported_with_file_line_field_reason(data_copy: Path) -> None:
    _edit(
        data_copy,
        "maci",
        lambda d: d["authorizations"][0]["sources"][0].update(url="https://docslib.org/doc/1/x"),
    )
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None  # a copy is an error: nothing is built from such data
    [problem] = [p for p in problems if p.code is ProblemCode.copy_source]
    assert problem.file == "products/maci.yaml"
    assert problem.field == "authorizations[0].sources[0].url"
    assert problem.line is not None and problem.line > 1
    assert problem.message.startswith("https://docslib.org/doc/1/x is a copy, not a source")
    assert "document sharing" in problem.message
    assert "read_via" in problem.hint
    assert problem.severity == "error"


def test_a_copy_in_a_jurisdiction_file_is_an_error(data_copy: Path) -> None:
    path = data_copy / "jurisdictions" / "US.yaml"
    doc = yamlio.load_text(path.read_text(encoding="utf-8"))
    doc["definitions"][0]["citations"][0]["url"] = "https://www.scribd.com/document/1/cfr"
    path.write_text(yamlio.dump_canonical(doc), encoding="utf-8")
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None  # framework files are held to the same rule as products
    [problem] = problems
    assert (problem.file, problem.field) == (
        "jurisdictions/US.yaml",
        "definitions[0].citations[0].url",
    )
    assert problem.code is ProblemCode.copy_source and problem.severity == "error"


def test_the_original_with_the_copy_in_read_via_passes(data_copy: Path) -> None:
    original = "https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/maci"

    def cite_original(doc: dict[str, Any]) -> None:
        doc["authorizations"][0]["sources"][0].update(url=original, read_via=SCRAPE)

    _edit(data_copy, "maci", cite_original)
    dataset, problems = validate_dataset(data_copy)
    assert problems == []
    assert dataset is not None
    source = dataset.product("maci").authorizations[0].sources[0]
    assert (source.url, source.read_via) == (original, SCRAPE)


def test_read_via_must_be_a_url(data_copy: Path) -> None:
    _edit(
        data_copy,
        "maci",
        lambda d: d["authorizations"][0]["sources"][0].update(read_via="the scrape"),
    )
    _, problems = validate_dataset(data_copy)
    assert [(p.field, p.message) for p in problems] == [
        ("authorizations[0].sources[0].read_via", "Value error, must be an http(s) URL")
    ]


def test_a_bad_host_list_entry_names_file_and_field(data_copy: Path) -> None:
    path = data_copy / "source_hosts.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "- host: saludcastillayleon.es\n", "- host: saludcastillayleon.es\n  pattern: x\n"
        ),
        encoding="utf-8",
    )
    dataset, problems = validate_dataset(data_copy)
    assert dataset is None
    [problem] = problems
    assert (problem.file, problem.field) == ("source_hosts.yaml", "copies[0]")
    assert "give exactly one of host or pattern" in problem.message


def _share(root: Path) -> dict[str, tuple[int, int, int, int]]:
    dataset, problems = validate_dataset(root)
    assert dataset is not None, problems
    assert dataset.source_hosts is not None
    return {
        row.jurisdiction: (
            row.authorizations,
            row.regulator_dated,
            row.read_via_copy,
            row.approval_numbers,
        )
        for row in regulator_share(dataset.products, dataset.source_hosts)
    }


def _us_kymriah(doc: dict[str, Any]) -> dict[str, Any]:
    return next(a for a in doc["authorizations"] if a["jurisdiction"] == "US")


def _fda_sources(doc: dict[str, Any]) -> list[dict[str, Any]]:
    found = [s for s in _us_kymriah(doc)["sources"] if "fda.gov" in s["url"]]
    assert found
    return found


@pytest.mark.parametrize(
    "demote",
    [
        pytest.param(lambda s: s.update(kind="company"), id="right host, wrong kind"),
        pytest.param(lambda s: s.update(supports=["indications"]), id="does not date it"),
        pytest.param(
            lambda s: s.update(url=s["url"].replace("www.fda.gov", "www.fda.gov.example.org")),
            id="not the regulator's host",
        ),
    ],
)
def test_only_the_regulators_own_dated_record_counts(data_copy: Path, demote: Any) -> None:
    before = _share(data_copy)

    def change(doc: dict[str, Any]) -> None:
        for source in _fda_sources(doc):
            demote(source)

    _edit(data_copy, "tisagenlecleucel", change)
    after = _share(data_copy)
    assert after["US"][1] == before["US"][1] - 1
    assert {k: v for k, v in after.items() if k != "US"} == {
        k: v for k, v in before.items() if k != "US"
    }


def test_a_date_read_only_through_a_copy_is_counted_apart(data_copy: Path) -> None:
    before = _share(data_copy)

    def read_directly(doc: dict[str, Any]) -> None:
        for source in _fda_sources(doc):
            source.pop("read_via", None)

    _edit(data_copy, "tisagenlecleucel", read_directly)
    after = _share(data_copy)
    assert after["US"][1] == before["US"][1]
    assert after["US"][2] == before["US"][2] - 1


def test_validate_stats_prints_a_row_per_jurisdiction_by_name(data_copy: Path) -> None:
    result = CliRunner().invoke(app, ["validate", str(data_copy), "--stats"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    rows = {line[:24].strip(): line[24:].split() for line in lines if line[:1].isupper()}
    share = _share(data_copy)
    us = share["US"]
    assert rows["United States"] == [
        str(us[0]),
        str(us[1]),
        f"{us[1] / us[0]:.0%}",
        str(us[2]),
        str(us[3]),
    ]
    assert rows["Japan"] == ["0", "0", "-", "0", "0"]  # in the fixture, with no authorization
    assert "US" not in rows


#: The level reached (authorizations with a regulator source supporting approval_date,
#: authorizations with an approval number), per jurisdiction; a fall is a regression.
FLOORS = {
    "EU": (30, 2),
    "JP": (1, 4),
    "US": (48, 10),
    "SA": (1, 0),
}


def test_regulator_share_does_not_fall() -> None:
    share = _share(REPO_DATA)
    reached = {code: (share[code][1], share[code][3]) for code in FLOORS}
    assert all(
        reached[code][0] >= floor[0] and reached[code][1] >= floor[1]
        for code, floor in FLOORS.items()
    ), reached


def _floor_rows(section: str) -> list[list[str]]:
    """The rows of the table under ``section`` in the evidence note's per-authorization pass."""
    text = (REPO_DATA / "notes" / "EVIDENCE.md").read_text(encoding="utf-8")
    part = text.split("# Third pass", 1)[1].split(section, 1)[1].split("\n## ", 1)[0]
    lines = [line for line in part.splitlines() if line.startswith("| ")]  # header first
    return [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[1:]]


@pytest.mark.parametrize(("code", "section"), [("JP", "## Japan ("), ("KR", "## Korea (")])
def test_floor_note_covers_every_authorization(code: str, section: str) -> None:
    """The JP/KR floor is documented per authorization: one row each, and the rows marked as
    dated by the regulator are as many as the share counts."""
    from ctatlas.dataset import load_dataset

    dataset = load_dataset(REPO_DATA)
    auths = [a for p in dataset.products for a in p.authorizations if a.jurisdiction == code]
    table = _floor_rows(section)
    assert len(table) == len(auths), (len(table), len(auths))
    names = [row[0].lower() for row in table]
    missing = [
        a.brand_name for a in auths if not any(a.brand_name.lower().startswith(n) for n in names)
    ]
    assert not missing, missing
    dated = sum(1 for row in table if row[-1].startswith("**yes**"))
    assert dated == _share(REPO_DATA)[code][1]
