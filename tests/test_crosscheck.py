"""Cross-checks against the regulators' own lists: the readers on the real exports (as they are:
banner rows, CRLF, an unclosed parenthesis, dd/mm/yyyy dates) and the comparison on a small atlas.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from ctatlas.cli import app
from ctatlas.crosscheck import (
    Explanation,
    compare,
    load_explained,
    looks_cell_based,
    read_ema,
    read_fda,
    split_fda_product,
)
from ctatlas.errors import BadInput
from ctatlas.store import ensure_store

OFFICIAL = Path(__file__).parent / "fixtures" / "official"
FDA_CSV = OFFICIAL / "fda" / "fda_cber_approved_cgt_products.csv"
FDA_HTML = OFFICIAL / "fda" / "fda_approved_cgt_products_page_reconstructed.html"
EMA_XLSX = OFFICIAL / "ema" / "medicines-output-medicines-report_en_2026-01-29.xlsx"
EMA_CSV = OFFICIAL / "ema" / "ema_atmp_rows_derived.csv"
ATLAS_EU = OFFICIAL / "atlas_eu"


# --------------------------------------------------------------------------- helpers


def with_eu(data: Path) -> Path:
    """Add the EU jurisdiction and three EU authorizations to a copy of the fixture data."""
    (data / "jurisdictions" / "EU.yaml").write_bytes((ATLAS_EU / "EU.yaml").read_bytes())
    extra = yaml.safe_load((ATLAS_EU / "eu_authorizations.yaml").read_text(encoding="utf-8"))
    for slug, auth in extra.items():
        path = data / "products" / f"{slug}.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["authorizations"].append(auth)
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    return data


def products(data: Path, db: str) -> list[dict[str, Any]]:
    return copy.deepcopy(ensure_store(db, data).products())


def fda_csv(tmp_path: Path, keep: set[str], extra: str = "") -> Path:
    """The real CSV cut down to the rows whose brand is in ``keep`` (CRLF kept)."""
    lines = FDA_CSV.read_bytes().decode("utf-8").split("\r\n")
    rows = [lines[0]] + [line for line in lines[1:] if line.split(" (")[0].strip('"') in keep]
    path = tmp_path / "fda.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n" + extra).encode("utf-8"))
    return path


def ema_xlsx(tmp_path: Path, keep: set[str], banner_rows: int = 8, name: str = "ema.xlsx") -> Path:
    """The real workbook cut down to the banner, the header and the rows named in ``keep``."""
    source = openpyxl.load_workbook(EMA_XLSX, read_only=True)
    rows = [list(r) for r in source.active.iter_rows(values_only=True)]
    source.close()
    header_at = next(i for i, r in enumerate(rows) if r[1] == "Name of medicine")
    out = openpyxl.Workbook()
    sheet = out.active
    sheet.title = "Medicine"
    sheet.append(rows[0])
    for _ in range(banner_rows - 1):
        sheet.append([])
    sheet.append(rows[header_at])
    for row in rows[header_at + 1 :]:
        if row[1] in keep:
            sheet.append(row)
    path = tmp_path / name
    out.save(path)
    return path


def run(runner: CliRunner, data: Path, db: str, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["--db", db, "--data", str(data), *args])


# --------------------------------------------------------------------------- FDA reader


def test_fda_csv_as_published() -> None:
    assert b"\r\n" in FDA_CSV.read_bytes()  # the fixture keeps its CRLF
    listfile = read_fda(FDA_CSV)
    assert listfile.format == "csv" and listfile.has_dates
    assert len(listfile.entries) == 53
    by_brand = {e.brand: e for e in listfile.entries}
    assert len(by_brand) == 53
    assert not any("\r" in e.key or (e.url and "\r" in e.url) for e in listfile.entries)
    kymriah = by_brand["KYMRIAH"]
    assert (kymriah.inn, kymriah.approval_date) == ("tisagenlecleucel", "2017-08-30")
    assert (
        kymriah.url
        == "https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/kymriah"
    )
    # the unclosed parenthesis
    tudriqev = by_brand["TUDRIQEV"]
    assert tudriqev.inn == "vusolimogene oderparepvec-wtpg"
    assert tudriqev.approval_date == "2026-08-06"
    # cord blood: dates empty, flag kept, cell-based
    cord = [e for e in listfile.entries if e.flag == "cord_blood"]
    assert len(cord) == 9
    assert all(e.cell_based and e.approval_date is None for e in cord)
    assert {"HPC, Cord Blood - LifeSouth", "Ducord", "ALLOCORD", "HPC, Cord Blood"} <= set(by_brand)
    assert "exa-cel" in by_brand["CASGEVY"].names
    assert by_brand["OTARMENI™"].approval_date == "2026-04-23"


def test_fda_cell_based_judgement() -> None:
    entries = read_fda(FDA_CSV).entries
    cell = {e.brand for e in entries if e.cell_based}
    assert {"KYMRIAH", "PROVENGE", "LAVIV", "MACI", "RETHYMIC", "LANTIDRA", "ENCELTO"} <= cell
    assert {"ZEVASKYN", "RYONCIL", "OMISIRGE", "GINTUIT", "STRATAGRAFT", "TREGZI"} <= cell
    assert not {"ZOLGENSMA", "LUXTURNA", "IMLYGIC", "TUDRIQEV", "SYMVESS", "OTARMENI™"} & cell
    assert len(cell) == 37 and len(entries) - len(cell) == 16
    assert looks_cell_based("acellular tissue engineered vessel-tyod") is False


@pytest.mark.parametrize(
    ("text", "brand", "inn"),
    [
        ("ABECMA (idecabtagene vicleucel)", "ABECMA", "idecabtagene vicleucel"),
        ("HPC, Cord Blood - Clinimmune Labs", "HPC, Cord Blood - Clinimmune Labs", None),
        ("Ducord, HPC Cord Blood", "Ducord", "HPC Cord Blood"),
        ("CASGEVY (exagamglogene autotemcel [exa-cel])", "CASGEVY", "exagamglogene autotemcel"),
        ("TUDRIQEV (vusolimogene oderparepvec-wtpg", "TUDRIQEV", "vusolimogene oderparepvec-wtpg"),
    ],
)
def test_split_fda_product(text: str, brand: str, inn: str | None) -> None:
    assert split_fda_product(text)[:2] == (brand, inn)


def test_fda_html_table_matches_the_csv() -> None:
    html, csv_ = read_fda(FDA_HTML), read_fda(FDA_CSV)
    assert html.format == "html" and html.has_dates
    pick = [(e.brand, e.inn, e.approval_date, e.url, e.cell_based) for e in csv_.entries]
    assert [(e.brand, e.inn, e.approval_date, e.url, e.cell_based) for e in html.entries] == pick


def test_fda_html_without_dates(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><table><tr><th>Product Name</th><th>Manufacturer</th></tr>"
        '<tr><td><a href="/vaccines-blood-biologics/kymriah">KYMRIAH&trade; '
        "(tisagenlecleucel)</a></td><td>Novartis</td></tr></table></body></html>",
        encoding="utf-8",
    )
    listfile = read_fda(page)
    assert not listfile.has_dates
    [entry] = listfile.entries
    assert (entry.brand, entry.approval_date) == ("KYMRIAH™", None)
    assert entry.url == "https://www.fda.gov/vaccines-blood-biologics/kymriah"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,date\r\nKYMRIAH,2017-08-30\r\n", r"unknown columns \(name, date\)"),
        ("<html><body><p>no table</p></body></html>", "without a table"),
        ("product,approval_date,url,excluded\r\nKYMRIAH (x),30/08/2017,,\r\n", "line 2"),
        ("", "is empty"),
    ],
)
def test_fda_malformed(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInput, match=message) as info:
        read_fda(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        read_fda(tmp_path / "nope.csv")


# --------------------------------------------------------------------------- EMA reader


def test_ema_workbook_as_published() -> None:
    listfile = read_ema(EMA_XLSX)
    assert listfile.format == "xlsx" and listfile.generated and "29/01/2026" in listfile.generated
    entries = {e.brand: e for e in listfile.entries}
    assert len(entries) == 28
    statuses = [e.status for e in listfile.entries]
    assert (statuses.count("Authorised"), statuses.count("Withdrawn")) == (19, 7)
    assert statuses.count("Expired") == 2
    # refusals and withdrawn applications are not authorizations
    excluded = {row["key"]: row["status"] for row in listfile.excluded}
    assert excluded == {
        "Jelrix": "Application withdrawn",
        "Fanskya": "Application withdrawn",
        "Amtagvi": "Application withdrawn",
        "Elevidys": "Refused",
    }
    # dd/mm/yyyy strings -> ISO dates; the MA date, not the latest EC decision
    assert entries["Kymriah"].approval_date == "2018-08-23"
    assert entries["Maci"].end_date == "2018-07-01"
    assert entries["Beqvez"].former_brands == ["Durveqtix"]
    assert entries["Beqvez"].end_date == "2025-05-15"
    assert entries["Kymriah"].cell_based and not entries["Luxturna"].cell_based
    assert sum(e.cell_based for e in listfile.entries) == 19
    # rows outside the flag are kept only as context
    assert any(e.brand == "Aucatzyl" for e in listfile.others)


def test_ema_csv_matches_the_workbook() -> None:
    csv_, xlsx = read_ema(EMA_CSV), read_ema(EMA_XLSX)
    assert csv_.format == "csv"

    def pick(lf: Any) -> list[tuple[Any, ...]]:
        return [(e.brand, e.status, e.approval_date, e.end_date) for e in lf.entries]

    assert pick(csv_) == pick(xlsx)
    assert [r["key"] for r in csv_.excluded] == [r["key"] for r in xlsx.excluded]


def test_ema_header_found_by_name(tmp_path: Path) -> None:
    """Any number of banner rows; header cells with line breaks."""
    path = ema_xlsx(tmp_path, {"Kymriah", "Elevidys"}, banner_rows=3)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    assert sheet.cell(4, 2).value == "Name of medicine"
    sheet.cell(4, 2).value = "Name of\nmedicine"
    book.save(path)
    listfile = read_ema(path)
    assert [e.brand for e in listfile.entries] == ["Kymriah"]
    assert [r["key"] for r in listfile.excluded] == ["Elevidys"]


def test_ema_malformed(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["Product", "Status"])
    book.active.append(["Kymriah", "Authorised"])
    book.save(wrong)
    with pytest.raises(BadInput, match="Advanced therapy") as info:
        read_ema(wrong)
    assert str(wrong) in str(info.value)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(BadInput, match="not a readable XLSX"):
        read_ema(broken)
    with pytest.raises(BadInput, match="no header row"):
        read_ema(FDA_CSV)


def test_ema_bad_date_in_an_atmp_row(tmp_path: Path) -> None:
    path = ema_xlsx(tmp_path, {"Kymriah"})
    book = openpyxl.load_workbook(path)
    sheet = book.active
    column = [c.value for c in sheet[9]].index("Marketing authorisation date") + 1
    sheet.cell(10, column).value = "2018-23-08"
    book.save(path)
    with pytest.raises(BadInput, match=r"row 10 \(Kymriah\).*Marketing authorisation date"):
        read_ema(path)


# --------------------------------------------------------------------------- comparison


def test_compare_fda_on_the_small_atlas(data_copy: Path, sqlite_url: str, tmp_path: Path) -> None:
    docs = products(data_copy, sqlite_url)
    report = compare(read_fda(FDA_CSV), docs)
    # the fixture atlas has 4 US authorizations, two of them one product's (ZOLGENSMA, ITVISMA)
    assert report.atlas_authorizations == 4
    assert {(m.brand, m.slug) for m in report.matched} == {
        ("MACI", "maci"),
        ("KYMRIAH", "tisagenlecleucel"),
        ("ZOLGENSMA", "onasemnogene-abeparvovec"),
        ("ITVISMA", "onasemnogene-abeparvovec"),
    }
    missing = [d for d in report.differences if d.kind == "not_in_atlas"]
    assert len(missing) == 49 and len(report.differences) == 49
    assert sum(d.cell_based for d in missing) == 35  # 37 cell-based entries, 2 matched
    symvess = next(d for d in missing if d.brand == "SYMVESS")
    assert not symvess.cell_based

    # a date that differs, an atlas record the list lacks, an authorization the atlas lacks
    kymriah = next(d for d in docs if d["slug"] == "tisagenlecleucel")
    us = next(a for a in kymriah["authorizations"] if a["jurisdiction"] == "US")
    us["approval_date"] = "2017-08"
    maci = next(d for d in docs if d["slug"] == "maci")
    maci["authorizations"][0]["brand_name"] = "CARTICEL"
    maci["aliases"], maci["name"] = [], "autologous chondrocytes"
    small = fda_csv(tmp_path, {"KYMRIAH", "ZOLGENSMA", "ITVISMA", "ABECMA"})
    report = compare(read_fda(small), docs)
    kinds = sorted((d.kind, d.key) for d in report.differences)
    assert kinds == [
        ("date", "tisagenlecleucel"),
        ("not_in_atlas", "ABECMA (idecabtagene vicleucel)"),
        ("not_in_list", "maci"),
    ]
    date = next(d for d in report.differences if d.kind == "date")
    assert (date.list_value, date.atlas_value) == ("2017-08-30", "2017-08")
    assert "only 2017-08" in date.message


def test_compare_fda_matches_by_inn(data_copy: Path, sqlite_url: str, tmp_path: Path) -> None:
    docs = products(data_copy, sqlite_url)
    small = fda_csv(
        tmp_path,
        {"ZOLGENSMA", "ITVISMA", "MACI"},
        extra="NEWNAME (tisagenlecleucel-abcd),2017-08-30,,\r\n"
        "CARVIKA (relmacabtagene autoleucel),2026-01-02,,\r\n",
    )
    report = compare(read_fda(small), docs)
    got = [(d.kind, d.key, d.slug) for d in report.differences]
    assert got == [
        ("name", "tisagenlecleucel", "tisagenlecleucel"),
        ("not_in_atlas", "CARVIKA (relmacabtagene autoleucel)", "relmacabtagene-autoleucel"),
    ]
    assert report.differences[0].list_value == "NEWNAME"
    assert "has the product 'relmacabtagene-autoleucel' but no US" in report.differences[1].message
    assert report.differences[1].cell_based


def test_compare_ema_on_the_small_atlas(data_copy: Path, sqlite_url: str, tmp_path: Path) -> None:
    docs = products(with_eu(data_copy), sqlite_url)
    path = ema_xlsx(tmp_path, {"Kymriah", "Zolgensma", "Maci", "Elevidys", "Amtagvi"})
    report = compare(read_ema(path), docs)
    assert report.ok, [d.message for d in report.differences]
    assert {m.slug for m in report.matched} == {
        "tisagenlecleucel",
        "onasemnogene-abeparvovec",
        "maci",
    }
    # MACI: EMA 'Expired' agrees with the atlas's not_renewed, and the end dates agree
    assert len(report.excluded) == 2

    kymriah = next(d for d in docs if d["slug"] == "tisagenlecleucel")
    eu = next(a for a in kymriah["authorizations"] if a["jurisdiction"] == "EU")
    eu["status"] = "withdrawn"
    eu["approval_date"] = "2018-08-22"
    maci = next(d for d in docs if d["slug"] == "maci")
    maci_eu = next(a for a in maci["authorizations"] if a["jurisdiction"] == "EU")
    maci_eu["status_history"][-1]["date"] = "2018-06-30"
    report = compare(read_ema(path), docs)
    got = sorted((d.kind, d.key, d.list_value, d.atlas_value) for d in report.differences)
    assert got == [
        ("date", "tisagenlecleucel", "2018-08-23", "2018-08-22"),
        ("end_date", "maci", "2018-07-01", "2018-06-30"),
        ("status", "tisagenlecleucel", "Authorised", "withdrawn"),
    ]


def test_compare_ema_lists_what_each_side_lacks(
    data_copy: Path, sqlite_url: str, tmp_path: Path
) -> None:
    docs = products(with_eu(data_copy), sqlite_url)
    # Amtagvi in the atlas's EU records, but EMA has only a withdrawn application
    maci = next(d for d in docs if d["slug"] == "maci")
    eu = next(a for a in maci["authorizations"] if a["jurisdiction"] == "EU")
    eu["brand_name"] = "Amtagvi"
    path = ema_xlsx(tmp_path, {"Kymriah", "Zolgensma", "Amtagvi", "Holoclar", "Aucatzyl"})
    report = compare(read_ema(path), docs)
    got = {(d.kind, d.key) for d in report.differences}
    assert got == {("not_in_list", "maci"), ("not_in_atlas", "Holoclar")}
    lacking = next(d for d in report.differences if d.kind == "not_in_list")
    assert "Application withdrawn" in lacking.message
    holoclar = next(d for d in report.differences if d.kind == "not_in_atlas")
    assert holoclar.cell_based


def test_explanations(data_copy: Path, sqlite_url: str, tmp_path: Path) -> None:
    docs = products(data_copy, sqlite_url)
    small = fda_csv(tmp_path, {"KYMRIAH", "ZOLGENSMA", "ITVISMA", "MACI", "SYMVESS"})
    explained = [
        Explanation("fda", "symvess", "acellular: out of scope"),
        Explanation("fda", "tisagenlecleucel", "not used", kind="date"),
        Explanation("ema", "SYMVESS", "another list"),
    ]
    report = compare(read_fda(small), docs, explained)
    assert report.ok
    assert [(d.kind, d.explained) for d in report.explained] == [
        ("not_in_atlas", "acellular: out of scope")
    ]
    assert [e.key for e in report.unused_explanations] == ["tisagenlecleucel"]


def test_load_explained(tmp_path: Path) -> None:
    path = tmp_path / "explained.yaml"
    path.write_text(
        "explained:\n- list: fda\n  key: SYMVESS\n  reason: >-\n    acellular,\n    out of scope\n",
        encoding="utf-8",
    )
    [entry] = load_explained(path)
    assert (entry.list, entry.key, entry.reason) == ("fda", "SYMVESS", "acellular, out of scope")
    path.write_text("- list: pmda\n  key: x\n  reason: y\n", encoding="utf-8")
    with pytest.raises(BadInput, match="list must be one of"):
        load_explained(path)
    path.write_text("- list: fda\n  key: x\n", encoding="utf-8")
    with pytest.raises(BadInput, match="reason"):
        load_explained(path)


# --------------------------------------------------------------------------- CLI


def test_cli_exit_codes(
    runner: CliRunner, data_copy: Path, sqlite_url: str, tmp_path: Path
) -> None:
    clean = fda_csv(tmp_path, {"KYMRIAH", "ZOLGENSMA", "ITVISMA", "MACI"})
    result = run(runner, data_copy, sqlite_url, "crosscheck", "fda", str(clean))
    assert result.exit_code == 0, result.output
    assert "No differences." in result.stdout

    result = run(runner, data_copy, sqlite_url, "crosscheck", "fda", str(FDA_CSV), "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"]["matched"] == 4 and doc["summary"]["differences"] == 49
    assert doc["jurisdiction"] == "US"

    explained = tmp_path / "explained.yaml"
    explained.write_text("- list: fda\n  key: SYMVESS\n  reason: acellular\n", encoding="utf-8")
    with_symvess = fda_csv(tmp_path, {"KYMRIAH", "ZOLGENSMA", "ITVISMA", "MACI", "SYMVESS"})
    result = run(runner, data_copy, sqlite_url, "crosscheck", "fda", str(with_symvess))
    assert result.exit_code == 1
    assert "On the list, not in the atlas (1)" in result.stdout
    assert "[not cell-based]" in result.stdout
    result = run(
        runner, data_copy, sqlite_url, "crosscheck", "fda", str(with_symvess),
        "--explained", str(explained),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Explained (1)" in result.stdout


def test_cli_ema(runner: CliRunner, data_copy: Path, sqlite_url: str, tmp_path: Path) -> None:
    with_eu(data_copy)
    path = ema_xlsx(tmp_path, {"Kymriah", "Zolgensma", "Maci", "Elevidys"})
    result = run(runner, data_copy, sqlite_url, "crosscheck", "ema", str(path))
    assert result.exit_code == 0, result.output
    assert "Elevidys" in result.stdout and "Refused" in result.stdout
    result = run(runner, data_copy, sqlite_url, "crosscheck", "ema", str(EMA_XLSX), "-f", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["summary"]["list_entries"] == 28 and doc["summary"]["matched"] == 3
    assert doc["summary"]["excluded_rows"] == 4


@pytest.mark.parametrize("which", ["fda", "ema"])
def test_cli_bad_input(
    runner: CliRunner, data_copy: Path, sqlite_url: str, tmp_path: Path, which: str
) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello,world\r\n1,2\r\n", encoding="utf-8")
    result = run(runner, data_copy, sqlite_url, "crosscheck", which, str(junk))
    assert result.exit_code == 2
    assert str(junk) in result.stderr and "expected" in result.stderr
    result = run(runner, data_copy, sqlite_url, "crosscheck", which, str(tmp_path / "none.csv"))
    assert result.exit_code == 2 and "no such file" in result.stderr
    bad = tmp_path / "explained.yaml"
    bad.write_text("- list: fda\n  key: x\n  reason: y\n  why: z\n", encoding="utf-8")
    source = FDA_CSV if which == "fda" else EMA_CSV
    result = run(
        runner, data_copy, sqlite_url, "crosscheck", which, str(source), "--explained", str(bad)
    )
    assert result.exit_code == 2 and "unknown keys why" in result.stderr


def test_recorded_conflicts_explain(
    runner: CliRunner, data_copy: Path, sqlite_url: str, tmp_path: Path
) -> None:
    """A difference the atlas records as a conflict between sources is explained, not open."""
    path = data_copy / "products" / "tisagenlecleucel.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    us = next(a for a in doc["authorizations"] if a["jurisdiction"] == "US")
    us["approval_date"] = us["status_history"][0]["date"] = "2017-08-31"
    # FDA's product page, which the record cites (read via the scrape of FDA's list)
    scrape = "https://www.fda.gov/vaccines-blood-biologics/cellular-gene-therapy-products/kymriah"
    assert scrape in {s["url"] for s in us["sources"]}
    us["conflicts"] = [
        {
            "field": "approval_date",
            "values": [
                {"value": "2017-08-30", "source": scrape},
                {"value": "2017-08-31", "source": us["sources"][0]["url"]},
            ],
            "chosen": "2017-08-31",
            "reason": "test: the letter is dated the next day",
        }
    ]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    clean = fda_csv(tmp_path, {"KYMRIAH", "ZOLGENSMA", "ITVISMA", "MACI"})
    result = run(runner, data_copy, sqlite_url, "crosscheck", "fda", str(clean))
    assert result.exit_code == 0, result.output
    assert "the letter is dated the next day" in result.stdout
    result = run(runner, data_copy, sqlite_url, "crosscheck", "fda", str(clean), "--strict")
    assert result.exit_code == 1
    assert "Approval dates differ (1)" in result.stdout


def test_each_list_refuses_the_other(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="an XLSX workbook; expected FDA's list"):
        read_fda(EMA_XLSX)
    with pytest.raises(BadInput, match="an HTML page; expected EMA's medicines report"):
        read_ema(FDA_HTML)
    binary = tmp_path / "list.bin"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(BadInput, match="a binary file; expected FDA's list"):
        read_fda(binary)


def test_default_explanations_in_the_data_folder(
    runner: CliRunner, data_copy: Path, sqlite_url: str, tmp_path: Path
) -> None:
    with_symvess = fda_csv(tmp_path, {"KYMRIAH", "ZOLGENSMA", "ITVISMA", "MACI", "SYMVESS"})
    (data_copy / "crosscheck_explained.yaml").write_text(
        "- list: fda\n  key: SYMVESS\n  kind: not_in_atlas\n  reason: acellular\n",
        encoding="utf-8",
    )
    result = run(runner, data_copy, sqlite_url, "crosscheck", "fda", str(with_symvess))
    assert result.exit_code == 0, result.output
    assert "crosscheck_explained.yaml" in result.stdout and "Explained (1)" in result.stdout
    other = tmp_path / "none.yaml"
    other.write_text("[]\n", encoding="utf-8")
    result = run(
        runner, data_copy, sqlite_url, "crosscheck", "fda", str(with_symvess),
        "--explained", str(other),
    )  # fmt: skip
    assert result.exit_code == 1
