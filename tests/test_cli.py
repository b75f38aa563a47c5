"""The CLI through Typer's runner, against a real SQLite file built from the fixture data."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from ctatlas.cli import app

CONTRACT_PRODUCT = {
    "slug",
    "name",
    "modality",
    "cell_class",
    "stem_type",
    "origin",
    "tissue_source",
    "cell_type",
    "genetically_modified",
    "codes",
    "aliases",
    "authorizations",
}
CONTRACT_AUTH = {
    "jurisdiction",
    "regulator",
    "brand_name",
    "local_name",
    "holder",
    "approval_date",
    "pathway",
    "designations",
    "category",
    "status",
    "status_history",
    "indications",
    "sources",
    "conflicts",
}


def run(runner: CliRunner, data: Path, db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", db, "--data", str(data), *args])


def test_products_json_contract(runner: CliRunner, data_copy: Path, sqlite_url: str) -> None:
    result = run(runner, data_copy, sqlite_url, "products", "--format", "json")
    assert result.exit_code == 0, result.stderr
    docs = json.loads(result.stdout)
    assert docs and all(CONTRACT_PRODUCT <= set(d) for d in docs)
    assert all(CONTRACT_AUTH <= set(a) for d in docs for a in d["authorizations"])
    # the store was built on first use, as a real SQLite file
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        (count,) = conn.execute("SELECT count(*) FROM products").fetchone()
        (authorized,) = conn.execute(
            "SELECT count(DISTINCT product_slug) FROM authorizations"
        ).fetchone()
    # the store keeps every therapy; the product listing only the authorized ones
    assert authorized == len(docs) and count == len(docs) + 1
    assert "hs-001" not in {d["slug"] for d in docs}


def test_jurisdiction_filter_keeps_only_that_jurisdictions_authorizations(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    all_docs = json.loads(run(runner, data_copy, sqlite_url, "products", "-f", "json").stdout)
    for code in ("JP", "US"):
        result = run(
            runner, data_copy, sqlite_url, "products", "--jurisdiction", code, "-f", "json"
        )
        assert result.exit_code == 0
        docs = json.loads(result.stdout)
        expected = {
            d["slug"]
            for d in all_docs
            if any(a["jurisdiction"] == code for a in d["authorizations"])
        }
        assert {d["slug"] for d in docs} == expected
        assert all(a["jurisdiction"] == code for d in docs for a in d["authorizations"])
    both = json.loads(
        run(runner, data_copy, sqlite_url, "products", "-j", "JP,US", "-f", "json").stdout
    )
    repeated = json.loads(
        run(runner, data_copy, sqlite_url, "products", "-j", "JP", "-j", "US", "-f", "json").stdout
    )
    assert both == repeated


@pytest.mark.parametrize("field", ["brand_name", "local_name"])
def test_search_finds_any_script(
    runner: CliRunner, data_copy: Path, sqlite_url: str, field: str
) -> None:
    docs = json.loads(run(runner, data_copy, sqlite_url, "products", "-f", "json").stdout)
    auth = next(a for d in docs for a in d["authorizations"] if a.get("local_name"))
    # a CJK name is found by any part of it; a Latin one by a prefix of four letters or more
    name = auth[field]
    needle = name[1:4] if any(ord(ch) > 0x2E80 for ch in name) else name.split()[0][:5]
    result = run(runner, data_copy, sqlite_url, "products", "--search", needle, "-f", "json")
    found = json.loads(result.stdout)
    assert auth["brand_name"] in {a["brand_name"] for d in found for a in d["authorizations"]}


def test_search_finds_the_holder_in_the_local_script(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    docs = json.loads(run(runner, data_copy, sqlite_url, "products", "-f", "json").stdout)
    auth = next(a for d in docs for a in d["authorizations"] if a.get("holder_local"))
    assert auth["holder_local"] != auth["holder"]
    result = run(
        runner, data_copy, sqlite_url, "products", "--search", auth["holder_local"], "-f", "json"
    )
    found = [a for d in json.loads(result.stdout) for a in d["authorizations"]]
    assert auth["brand_name"] in {a["brand_name"] for a in found}
    absent = run(runner, data_copy, sqlite_url, "products", "-s", "메디포스트없음", "-f", "json")
    assert json.loads(absent.stdout) == []


def test_search_is_nfkc_and_case_insensitive(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    plain = json.loads(
        run(runner, data_copy, sqlite_url, "products", "-s", "maci", "-f", "json").stdout
    )
    wide = json.loads(
        run(runner, data_copy, sqlite_url, "products", "-s", "ＭＡＣＩ", "-f", "json").stdout
    )
    assert plain and plain == wide


def test_filters_combine(runner: CliRunner, data_copy: Path, sqlite_url: str) -> None:
    docs = json.loads(run(runner, data_copy, sqlite_url, "products", "-f", "json").stdout)
    result = run(
        runner,
        data_copy,
        sqlite_url,
        "products",
        "--status",
        "authorized",
        "--approved-from",
        "2010",
        "--approved-to",
        "2019-12-31",
        "--origin",
        "autologous",
        "-f",
        "json",
    )
    assert result.exit_code == 0
    got = {
        (d["slug"], a["jurisdiction"])
        for d in json.loads(result.stdout)
        for a in d["authorizations"]
    }
    expected = {
        (d["slug"], a["jurisdiction"])
        for d in docs
        for a in d["authorizations"]
        if a["status"] == "authorized"
        and d["origin"] == "autologous"
        and a["approval_date"]
        and "2010" <= a["approval_date"][:4] <= "2019"
    }
    assert got == expected


def test_csv_has_one_row_per_authorization(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    docs = json.loads(run(runner, data_copy, sqlite_url, "products", "-f", "json").stdout)
    rows = list(
        csv.DictReader(
            io.StringIO(run(runner, data_copy, sqlite_url, "products", "-f", "csv").stdout)
        )
    )
    assert len(rows) == sum(len(d["authorizations"]) for d in docs)


def test_table_fits_80_columns(runner: CliRunner, data_copy: Path, sqlite_url: str) -> None:
    result = run(runner, data_copy, sqlite_url, "products")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) > 2
    assert max(cell_len(line) for line in lines) <= 80


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--status", "approved"],
            "Error: --status 'approved' is not allowed; allowed: authorized, "
            "expired, withdrawn, revoked, suspended, not_renewed",
        ),
        (
            ["--approved-from", "2019/01"],
            "Error: --approved-from '2019/01' is not a date written YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (["-j", "XX"], "Error: unknown jurisdiction XX; known: "),
    ],
)
def test_bad_filters_exit_2_with_a_clear_message(
    runner: CliRunner, data_copy: Path, sqlite_url: str, args: list[str], message: str
) -> None:
    result = run(runner, data_copy, sqlite_url, "products", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_show_and_unknown_slug(runner: CliRunner, data_copy: Path, sqlite_url: str) -> None:
    result = run(runner, data_copy, sqlite_url, "show", "maci", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["slug"] == "maci"
    text = run(runner, data_copy, sqlite_url, "show", "maci")
    assert "MACI" in text.stdout and "source:" in text.stdout
    # words, not codes (the JSON keeps the codes)
    assert "Tissue-engineered product" in text.stdout and "tissue_engineered" not in text.stdout
    missing = run(runner, data_copy, sqlite_url, "show", "macci")
    assert missing.exit_code == 3
    assert missing.stderr.strip() == "Error: no product 'macci'. Did you mean: MACI (maci)?"


def test_show_gives_an_undated_approval_by_its_bound_and_a_new_holder(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    from ctatlas import yamlio

    path = data_copy / "products" / "maci.yaml"
    doc = yamlio.load_text(path.read_text(encoding="utf-8"))
    auth = doc["authorizations"][0]
    auth["approval_date"] = None
    auth["unknown"] = {"approval_date": "licence date not found"}
    auth["status_history"][0].update(date=None, not_after="2017-01", note="listed January 2017")
    path.write_text(yamlio.dump_canonical(doc), encoding="utf-8")
    auth["status_history"].append(
        {"date": "2018-03", "event": "holder_changed", "holder": "Vericel Corporation"}
    )
    path.write_text(yamlio.dump_canonical(doc), encoding="utf-8")
    text = run(runner, data_copy, sqlite_url, "show", "maci")
    assert text.exit_code == 0, text.stderr
    assert "by 2017-01  Approved (listed January 2017)" in text.stdout
    assert "2018-03  Holder changed: Vericel Corporation" in text.stdout
    assert "None" not in text.stdout


def test_validate_exit_codes(runner: CliRunner, data_copy: Path) -> None:
    ok = runner.invoke(app, ["validate", str(data_copy)])
    assert ok.exit_code == 0 and ok.stdout.startswith("ok: ")
    path = data_copy / "products" / "maci.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: authorized", "status: live"),
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["validate", str(data_copy)])
    assert bad.exit_code == 1
    first = bad.stderr.splitlines()[0]
    assert first.startswith("products/maci.yaml:")
    assert ": authorizations[0].status: Input should be 'authorized'" in first
    as_json = runner.invoke(app, ["validate", str(data_copy), "--json"])
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)[0]["field"] == "authorizations[0].status"


def test_reading_commands_refuse_invalid_data(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    path = data_copy / "products" / "maci.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    result = run(runner, data_copy, sqlite_url, "products")
    assert result.exit_code == 1
    assert "unknown key 'colour'" in result.stderr
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_build_command(runner: CliRunner, data_copy: Path, sqlite_url: str) -> None:
    result = run(runner, data_copy, sqlite_url, "build")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"built {sqlite_url}: ")


def test_fmt_check_and_fix(runner: CliRunner, data_copy: Path) -> None:
    assert runner.invoke(app, ["--data", str(data_copy), "fmt", "--check"]).exit_code == 0
    path = data_copy / "products" / "maci.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    # move the slug line below the name line: same data, not canonical
    lines[1], lines[2] = lines[2], lines[1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    check = runner.invoke(app, ["--data", str(data_copy), "fmt", "--check"])
    assert check.exit_code == 1
    assert "would reformat products/maci.yaml" in check.stdout
    assert "run `ctatlas fmt` to fix" in check.stderr
    assert runner.invoke(app, ["--data", str(data_copy), "fmt"]).exit_code == 0
    assert runner.invoke(app, ["--data", str(data_copy), "fmt", "--check"]).exit_code == 0


def test_usage_error_exits_2(runner: CliRunner) -> None:
    assert runner.invoke(app, ["products", "--no-such-flag"]).exit_code == 2


def test_date_bounds_compare_at_the_coarser_precision() -> None:
    from ctatlas.query import ProductFilter

    auth = {"jurisdiction": "KR", "status": "authorized", "pathway": "standard"}
    day = {**auth, "approval_date": "2017-07-12"}
    year = {**auth, "approval_date": "2017"}
    assert ProductFilter(approved_to="2017-07").authorization_matches(day)
    assert ProductFilter(approved_from="2017-07").authorization_matches(day)
    assert not ProductFilter(approved_to="2017-06").authorization_matches(day)
    assert not ProductFilter(approved_from="2017-08").authorization_matches(day)
    assert ProductFilter(approved_from="2017-06-01").authorization_matches(year)
    assert not ProductFilter(approved_from="2018").authorization_matches(year)
    assert not ProductFilter(approved_to="2016-12-31").authorization_matches(year)
    assert not ProductFilter(approved_from="2000").authorization_matches(
        {**auth, "approval_date": None}
    )


def test_products_table_never_cuts_the_slug_at_80_columns(
    runner: CliRunner, data_copy: Path, sqlite_url: str
) -> None:
    """The slug is what `ctatlas show` takes next: whole in the table, even at 80 columns."""
    docs = json.loads(run(runner, data_copy, sqlite_url, "products", "-f", "json").stdout)
    slugs = {d["slug"] for d in docs}
    assert max(len(s) for s in slugs) > 14  # longer than the column the old layout gave it
    result = runner.invoke(
        app, ["--db", sqlite_url, "--data", str(data_copy), "products"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[-1] == "Slug"
    shown = {line.split()[-1] for line in lines[1:-1]}
    assert shown == slugs
    assert max(len(line) for line in lines) <= 80
