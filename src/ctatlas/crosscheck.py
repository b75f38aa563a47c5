"""Cross-checks of the atlas against the regulators' own lists (FDA, EMA).

Two readers turn an export, as the regulator (or a scraper of its page) publishes it, into
:class:`ListEntry` rows:

* :func:`read_fda` — FDA CBER's "Approved Cellular and Gene Therapy Products": the CSV scrape
  (``product,approval_date,url,excluded``) or the web page's HTML table.
* :func:`read_ema` — EMA's medicines report: the XLSX workbook as downloaded (banner rows
  above the header, which is found by its column names) or the same report saved as CSV.
  Only human medicines with ``Advanced therapy = Yes`` are kept; refusals and withdrawn
  applications are not authorizations and are set aside as excluded rows.

:func:`compare` then matches the entries to the atlas's authorizations in that jurisdiction (by
brand name, then INN / aliases) and reports what the atlas lacks, what the list lacks, and
where dates or statuses differ. Known, explained differences (``--explained FILE``) are
reported as explained rather than as differences.

Nothing here touches the network.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html.parser
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ctatlas.errors import BadInput

__all__ = [
    "Difference",
    "Explanation",
    "ListEntry",
    "ListFile",
    "Match",
    "Report",
    "compare",
    "load_explained",
    "looks_cell_based",
    "norm_name",
    "read_ema",
    "read_fda",
    "read_list",
    "recorded_conflict",
    "render_report",
]

LISTS = {"fda": "US", "ema": "EU"}
LIST_LABEL = {"fda": "FDA CBER approved cellular and gene therapy products", "ema": "EMA medicines"}

#: Atlas modalities that are cell-based (the rest, gene_therapy, is not).
CELL_MODALITIES = frozenset({"cell_therapy", "tissue_engineered", "gene_modified_cell"})


# --------------------------------------------------------------------------- rows


@dataclasses.dataclass
class ListEntry:
    """One authorization as a regulator's list gives it."""

    list: str  # "fda" or "ema"
    key: str  # the row's name exactly as in the file
    brand: str  # the brand name parsed from it
    inn: str | None = None  # INN / common name parsed from it
    names: list[str] = dataclasses.field(default_factory=list)  # other names to match by
    former_brands: list[str] = dataclasses.field(default_factory=list)  # "(previously X)"
    approval_date: str | None = None  # YYYY-MM-DD
    status: str | None = None  # the list's own status text (EMA), None when it has none
    end_date: str | None = None  # withdrawal / expiry / revocation / lapse (EMA)
    suspension_date: str | None = None
    url: str | None = None
    flag: str | None = None  # FDA CSV "excluded" column (e.g. cord_blood)
    line: int = 0  # row number in the file (1-based; the spreadsheet's row for XLSX)
    cell_based: bool = False  # judged from the name; the atlas's modality wins when matched

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class ListFile:
    """A list as read: its authorization entries and the rows set aside (with why)."""

    list: str
    path: str
    format: str  # csv, html, xlsx
    entries: list[ListEntry]
    excluded: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    has_dates: bool = True
    has_status: bool = False
    generated: str | None = None  # the export's own timestamp, when it says
    #: rows outside the list's scope (EMA: human medicines not flagged Advanced therapy),
    #: used only to say where an atlas record the list lacks does appear
    others: list[ListEntry] = dataclasses.field(default_factory=list)


# --------------------------------------------------------------------------- names and dates

_MARKS = str.maketrans({"™": " ", "®": " ", "©": " ", "℠": " "})
_FDA_SUFFIX = re.compile(r"-[a-z]{4}$")


def norm_name(text: str) -> str:
    """Compare names loosely: no ™/®, NFKC, case-folded, punctuation and spacing collapsed."""
    text = unicodedata.normalize("NFKC", text.translate(_MARKS)).casefold()
    text = re.sub(r"[^\w+]+", " ", text)
    return " ".join(text.split())


def _name_keys(text: str | None) -> set[str]:
    """A name's keys: itself normalised, and without FDA's four-letter suffix (-rzyl)."""
    if not text or not text.strip():
        return set()
    raw = unicodedata.normalize("NFKC", text.translate(_MARKS)).casefold().strip()
    keys = {norm_name(raw)}
    stripped = _FDA_SUFFIX.sub("", raw)
    if stripped != raw:
        keys.add(norm_name(stripped))
    # "lunsotogene parvec cwha": the suffix written without its hyphen
    words = raw.split()
    if len(words) >= 3 and re.fullmatch(r"[a-z]{4}", words[-1]):
        keys.add(norm_name(" ".join(words[:-1])))
    keys.discard("")
    return keys


_CELL_WORDS = re.compile(
    r"cell|cyte|fibroblast|thymus tissue|cord blood|\bhpc\b|islet|spheroid|"
    r"[a-z]cel(-[a-z]{1,4})?\b|\b[a-z]+-cel\b",
)


def looks_cell_based(*texts: str | None) -> bool:
    """Whether a list row's names say it is cell-based (INN ending -cel, "cells", cord blood).

    "acellular" products (SYMVESS) and vectors (-vec) are not cell-based.
    """
    text = " ".join(t for t in texts if t).casefold().replace("acellular", "")
    return bool(_CELL_WORDS.search(text))


def _parse_date(value: Any, formats: Sequence[str], where: str, column: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    if not text:
        return None
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    raise BadInput(f"{where}: {column} '{text}' is not a date ({' or '.join(formats)})")


def _norm_header(value: Any) -> str:
    return " ".join(str(value or "").split()).casefold()


# --------------------------------------------------------------------------- files


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None


def _decode(path: Path, data: bytes, expected: str = "a text file") -> str:
    if b"\x00" in data[:4096]:
        raise BadInput(f"{path}: a binary file; expected {expected}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _is_html(text: str) -> bool:
    head = text.lstrip()[:2000].casefold()
    return head.startswith("<") and ("<html" in head or "<table" in head or "<!doctype" in head)


def _csv_rows(text: str) -> list[list[str]]:
    """CSV rows; CRLF or LF line ends, quoted commas ("HPC, Cord Blood") kept in their cell."""
    return list(csv.reader(io.StringIO(text, newline="")))


# --------------------------------------------------------------------------- FDA

FDA_EXPECTED = (
    "FDA's list of approved cellular and gene therapy products: a CSV with columns "
    "product,approval_date,url,excluded, or the FDA web page's HTML table with a "
    "'Product' column"
)

_FDA_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%B %d, %Y", "%b %d, %Y", "%b. %d, %Y")


def split_fda_product(text: str) -> tuple[str, str | None, list[str]]:
    """``"KYMRIAH (tisagenlecleucel)"`` -> brand, INN, other names.

    Copes with cord blood rows ("HPC, Cord Blood - LifeSouth", "Ducord, HPC Cord Blood"),
    bracketed short names ("[exa-cel]") and an unclosed parenthesis ("TUDRIQEV (vuso...-wtpg").
    """
    text = " ".join(text.split())
    others: list[str] = []
    if "(" in text:
        brand, _, rest = text.partition("(")
        inn = rest.rsplit(")", 1)[0] if ")" in rest else rest  # unclosed: take the rest
        brand = brand.strip()
    else:
        brand, inn = text, None
    if inn is not None:
        for short in re.findall(r"\[([^\]]+)\]", inn):
            others.append(short.strip())
        inn = re.sub(r"\s*\[[^\]]*\]", "", inn).strip() or None
    if not brand.casefold().startswith("hpc") and ", hpc" in brand.casefold():
        cut = brand.casefold().index(", hpc")
        inn = inn or brand[cut + 2 :].strip()
        brand = brand[:cut].strip()
    if brand != text:
        others.append(text)
    return brand, inn, others


def read_fda(path: str | Path) -> ListFile:
    """Read FDA's list: the CSV scrape or the web page's HTML table (detected by content)."""
    path = Path(path)
    data = _read_bytes(path)
    if _is_xlsx(data):
        raise BadInput(
            f"{path}: an XLSX workbook; expected {FDA_EXPECTED} "
            "(EMA's medicines report goes to `ctatlas crosscheck ema`)"
        )
    text = _decode(path, data, FDA_EXPECTED)
    if _is_html(text):
        return _read_fda_html(path, text)
    return _read_fda_csv(path, text)


def _fda_entry(
    path: Path, line: int, product: str, date: Any, url: str | None, flag: str | None
) -> ListEntry:
    brand, inn, others = split_fda_product(product)
    approval = _parse_date(date, _FDA_DATE_FORMATS, f"{path}, line {line}", "approval date")
    return ListEntry(
        list="fda",
        key=" ".join(product.split()),
        brand=brand,
        inn=inn,
        names=others,
        approval_date=approval,
        url=(url or "").strip() or None,
        flag=(flag or "").strip() or None,
        line=line,
        cell_based=looks_cell_based(inn, brand if brand.casefold().startswith("hpc") else None)
        or (flag or "").strip() == "cord_blood",
    )


def _read_fda_csv(path: Path, text: str) -> ListFile:
    rows = _csv_rows(text)
    if not rows:
        raise BadInput(f"{path}: is empty; expected {FDA_EXPECTED}")
    header = [_norm_header(h) for h in rows[0]]
    col = {name: i for i, name in enumerate(header)}
    product_col = next((col[n] for n in ("product", "product name") if n in col), None)
    if product_col is None:
        found = ", ".join(h for h in header if h) or "none"
        raise BadInput(f"{path}: unknown columns ({found}); expected {FDA_EXPECTED}")
    date_col = next((col[n] for n in ("approval_date", "approval date") if n in col), None)
    url_col, flag_col = col.get("url"), col.get("excluded")
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(i: int | None, row: list[str] = row) -> str | None:
            return row[i] if i is not None and i < len(row) else None

        product = (cell(product_col) or "").strip()
        if not product:
            raise BadInput(f"{path}, line {number}: the product column is empty")
        entries.append(
            _fda_entry(path, number, product, cell(date_col), cell(url_col), cell(flag_col))
        )
    if not entries:
        raise BadInput(f"{path}: has a header but no products; expected {FDA_EXPECTED}")
    return ListFile("fda", str(path), "csv", entries, has_dates=date_col is not None)


class _TableParser(html.parser.HTMLParser):
    """Every <table>'s rows as (cell text, first link) pairs; header cells included."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, str | None]]]] = []
        self._stack: list[list[list[tuple[str, str | None]]]] = []
        self._row: list[tuple[str, str | None]] | None = None
        self._cell: list[str] | None = None
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell, self._href = [], None
        elif tag == "a" and self._cell is not None and self._href is None:
            self._href = dict(attrs).get("href")
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell).split()), self._href))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._stack:
            if self._row:
                self._stack[-1].append(self._row)
            self._row = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


FDA_BASE_URL = "https://www.fda.gov"


def _read_fda_html(path: Path, text: str) -> ListFile:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    for table in parser.tables:
        header = [_norm_header(t) for t, _ in table[0]] if table else []
        product_col = next((i for i, h in enumerate(header) if "product" in h), None)
        if product_col is None:
            continue
        date_col = next((i for i, h in enumerate(header) if "date" in h), None)
        entries = []
        for number, row in enumerate(table[1:], start=2):
            if product_col >= len(row) or not row[product_col][0]:
                continue
            product, href = row[product_col]
            if href and href.startswith("/"):
                href = FDA_BASE_URL + href
            date = row[date_col][0] if date_col is not None and date_col < len(row) else None
            entries.append(_fda_entry(path, number, product, date, href, None))
        if entries:
            return ListFile("fda", str(path), "html", entries, has_dates=date_col is not None)
    raise BadInput(f"{path}: an HTML file without a table of products; expected {FDA_EXPECTED}")


# --------------------------------------------------------------------------- EMA

EMA_EXPECTED = (
    "EMA's medicines report (XLSX as downloaded from ema.europa.eu, or the same report as "
    "CSV) with the columns 'Name of medicine', 'Medicine status', 'Advanced therapy' and "
    "'Marketing authorisation date'"
)

#: field -> header names it may have (normalised: white space collapsed, case-folded)
EMA_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name of medicine", "medicine name"),
    "status": ("medicine status", "authorisation status"),
    "atmp": ("advanced therapy", "atmp"),
    "ma_date": ("marketing authorisation date",),
    "category": ("category",),
    "number": ("ema product number", "product number"),
    "inn": (
        "international non-proprietary name (inn) / common name",
        "inn / common name",
        "international non-proprietary name (inn)",
    ),
    "active": ("active substance",),
    "ec_date": ("european commission decision date",),
    "end_date": ("withdrawal / expiry / revocation / lapse of marketing authorisation date",),
    "suspension_date": ("suspension of marketing authorisation date",),
    "refusal_date": ("refusal of marketing authorisation date",),
    "app_withdrawal_date": ("withdrawal of application date",),
    "url": ("medicine url", "url"),
}
EMA_REQUIRED = ("name", "status", "atmp", "ma_date")

#: EMA medicine status (case-folded) -> the atlas statuses that agree with it.
EMA_STATUS: dict[str, frozenset[str]] = {
    "authorised": frozenset({"authorized"}),
    "withdrawn": frozenset({"withdrawn"}),
    "expired": frozenset({"expired", "not_renewed"}),
    "lapsed": frozenset({"expired", "not_renewed"}),
    "not renewed": frozenset({"not_renewed", "expired"}),
    "revoked": frozenset({"revoked"}),
    "suspended": frozenset({"suspended"}),
}
#: EMA statuses of rows that never were authorizations.
EMA_NOT_AUTHORIZATIONS = frozenset(
    {"refused", "application withdrawn", "withdrawn application", "not authorised"}
)


def _ema_columns(header: Sequence[Any]) -> dict[str, int] | None:
    names = [_norm_header(h) for h in header]
    found: dict[str, int] = {}
    for field, options in EMA_COLUMNS.items():
        for i, name in enumerate(names):
            if name in options:
                found.setdefault(field, i)
                break
    if all(f in found for f in EMA_REQUIRED):
        return found
    return None


def read_ema(path: str | Path) -> ListFile:
    """Read EMA's medicines report (XLSX or CSV, detected by content)."""
    path = Path(path)
    data = _read_bytes(path)
    if _is_xlsx(data):
        rows, generated, fmt = _xlsx_rows(path, data), None, "xlsx"
    else:
        text = _decode(path, data, EMA_EXPECTED)
        if _is_html(text):
            raise BadInput(f"{path}: an HTML page; expected {EMA_EXPECTED}")
        rows, generated, fmt = _csv_rows(text), None, "csv"
    return _read_ema_rows(path, rows, fmt, generated)


def _xlsx_rows(path: Path, data: bytes) -> list[list[Any]]:
    import zipfile

    try:
        import openpyxl
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise BadInput(f"{path}: reading XLSX needs openpyxl (pip install openpyxl)") from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise BadInput(
            f"{path}: not a readable XLSX workbook ({exc}); expected {EMA_EXPECTED}"
        ) from None
    try:
        for sheet in book.worksheets:
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            if any(_ema_columns(r) for r in rows[:50]):
                return rows
        names = ", ".join(s.title for s in book.worksheets)
    finally:
        book.close()
    raise BadInput(f"{path}: no sheet ({names}) has EMA's header; expected {EMA_EXPECTED}")


def _cell(row: Sequence[Any], cols: dict[str, int], field: str) -> Any:
    i = cols.get(field)
    if i is None or i >= len(row):
        return None
    value = row[i]
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    return value


def _read_ema_rows(path: Path, rows: list[list[Any]], fmt: str, generated: str | None) -> ListFile:
    header_at, cols = None, None
    for i, row in enumerate(rows[:50]):
        cols = _ema_columns(row)
        if cols:
            header_at = i
            break
    if header_at is None or cols is None:
        raise BadInput(f"{path}: no header row found in its first 50 rows; expected {EMA_EXPECTED}")
    if header_at > 0 and rows[0] and any(rows[0]):
        banner = [str(c) for c in rows[0] if c not in (None, "")]
        generated = " ".join(banner) if banner else None
    entries: list[ListEntry] = []
    excluded: list[dict[str, Any]] = []
    others: list[ListEntry] = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        name = _cell(row, cols, "name")
        if not name:
            continue
        category = _cell(row, cols, "category")
        if category and str(category).casefold() != "human":
            continue
        atmp = str(_cell(row, cols, "atmp") or "").casefold() in ("yes", "y", "true", "1")
        name = str(name)
        where = f"{path}, row {number} ({name})"

        def date(
            field: str, where: str = where, row: Sequence[Any] = row, strict: bool = atmp
        ) -> str | None:
            header = rows[header_at][cols[field]] if field in cols else field
            value = _cell(row, cols, field)
            try:
                return _parse_date(value, ("%d/%m/%Y", "%Y-%m-%d"), where, f"'{header}'")
            except BadInput:
                if strict:  # an ATMP row must be right; other rows are only context
                    raise
                return None

        status = str(_cell(row, cols, "status") or "").strip()
        ma_date = date("ma_date")
        inn = _cell(row, cols, "inn")
        active = _cell(row, cols, "active")
        brand, _, previously = name.partition("(previously")
        former = [previously.strip(" )")] if previously else []
        entry = ListEntry(
            list="ema",
            key=name,
            brand=brand.strip(),
            inn=str(inn) if inn else None,
            names=[str(active)] if active else [],
            former_brands=former,
            approval_date=ma_date,
            status=status or None,
            end_date=date("end_date"),
            suspension_date=date("suspension_date"),
            url=_cell(row, cols, "url"),
            line=number,
            cell_based=looks_cell_based(str(inn or ""), str(active or "")),
        )
        if not atmp:
            others.append(entry)
            continue
        folded = status.casefold()
        if folded in EMA_NOT_AUTHORIZATIONS or (folded not in EMA_STATUS and not ma_date):
            reason = f"status '{status}'" if status else "no status"
            if not ma_date:
                reason += ", no marketing authorisation date"
            excluded.append({**entry.as_dict(), "reason": f"not an authorization: {reason}"})
            continue
        if ma_date is None:
            ec = date("ec_date")
            if ec:
                entry.approval_date = ec  # the EC decision date when the MA date is missing
        entries.append(entry)
    if not entries and not excluded:
        raise BadInput(f"{path}: no row has 'Advanced therapy' = Yes; expected {EMA_EXPECTED}")
    return ListFile(
        "ema",
        str(path),
        fmt,
        entries,
        excluded,
        has_status=True,
        generated=generated,
        others=others,
    )


def read_list(which: str, path: str | Path) -> ListFile:
    """``read_fda`` or ``read_ema`` by name."""
    if which == "fda":
        return read_fda(path)
    if which == "ema":
        return read_ema(path)
    raise BadInput(f"unknown list '{which}'; known: {', '.join(LISTS)}")


# --------------------------------------------------------------------------- explanations


@dataclasses.dataclass
class Explanation:
    """A known difference: which list, which record (slug, brand or the list's name), why."""

    list: str
    key: str
    reason: str
    kind: str | None = None
    used: bool = False

    def covers(self, diff: Difference) -> bool:
        if self.list != diff.list or (self.kind and self.kind != diff.kind):
            return False
        wanted = norm_name(self.key)
        return wanted in {norm_name(k) for k in diff.keys() if k}


DIFFERENCE_KINDS = ("not_in_atlas", "not_in_list", "name", "date", "status", "end_date")


def load_explained(path: str | Path) -> list[Explanation]:
    """Read an ``--explained`` YAML file: a list (or ``explained:`` list) of {list, key, reason}."""
    import yaml

    path = Path(path)
    text = _decode(path, _read_bytes(path))
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BadInput(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    if isinstance(doc, dict) and "explained" in doc:
        doc = doc["explained"]
    if doc is None:
        return []
    expected = "a list of entries {list: fda|ema, key: ..., reason: ..., kind: (optional)}"
    if not isinstance(doc, list):
        raise BadInput(f"{path}: expected {expected}")
    out = []
    for i, item in enumerate(doc, start=1):
        if not isinstance(item, dict):
            raise BadInput(f"{path}: entry {i} is not a mapping; expected {expected}")
        unknown = set(item) - {"list", "key", "reason", "kind"}
        if unknown:
            raise BadInput(f"{path}: entry {i} has unknown keys {', '.join(sorted(unknown))}")
        which, key, reason = item.get("list"), item.get("key"), item.get("reason")
        kind = item.get("kind")
        if which not in LISTS:
            raise BadInput(f"{path}: entry {i}: list must be one of {', '.join(LISTS)}")
        if not isinstance(key, str) or not key.strip():
            raise BadInput(f"{path}: entry {i}: key must be a non-empty text")
        if not isinstance(reason, str) or not reason.strip():
            raise BadInput(f"{path}: entry {i} ({key}): reason must be a non-empty text")
        if kind is not None and kind not in DIFFERENCE_KINDS:
            raise BadInput(
                f"{path}: entry {i} ({key}): kind must be one of {', '.join(DIFFERENCE_KINDS)}"
            )
        out.append(Explanation(which, key.strip(), " ".join(reason.split()), kind))
    return out


# --------------------------------------------------------------------------- comparison


@dataclasses.dataclass
class Match:
    """A list entry and the atlas authorization it was matched to."""

    key: str
    slug: str
    brand: str
    atlas_brand: str
    by: str  # brand, inn
    cell_based: bool
    list_date: str | None
    atlas_date: str | None
    list_status: str | None
    atlas_status: str


@dataclasses.dataclass
class Difference:
    """One way the list and the atlas disagree."""

    list: str
    kind: str
    key: str  # the list's name for list-side differences, else the atlas slug
    message: str
    cell_based: bool
    slug: str | None = None
    brand: str | None = None
    list_value: str | None = None
    atlas_value: str | None = None
    explained: str | None = None

    def keys(self) -> list[str]:
        return [self.key, self.slug or "", self.brand or ""]

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Report:
    """The outcome of one cross-check."""

    list: str
    jurisdiction: str
    file: str
    format: str
    entries: int
    atlas_authorizations: int
    matched: list[Match]
    differences: list[Difference]
    explained: list[Difference]
    excluded: list[dict[str, Any]]
    unused_explanations: list[Explanation]
    has_dates: bool
    generated: str | None = None
    explained_file: str | None = None

    @property
    def ok(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "jurisdiction": self.jurisdiction,
            "file": self.file,
            "format": self.format,
            "generated": self.generated,
            "explained_file": self.explained_file,
            "summary": {
                "list_entries": self.entries,
                "atlas_authorizations": self.atlas_authorizations,
                "matched": len(self.matched),
                "differences": len(self.differences),
                "explained": len(self.explained),
                "excluded_rows": len(self.excluded),
                "dates_compared": self.has_dates,
            },
            "differences": [d.as_dict() for d in self.differences],
            "explained": [d.as_dict() for d in self.explained],
            "matched": [dataclasses.asdict(m) for m in self.matched],
            "excluded_rows": [
                {k: row.get(k) for k in ("key", "status", "line", "cell_based", "reason")}
                for row in self.excluded
            ],
            "unused_explanations": [
                {"list": e.list, "key": e.key, "kind": e.kind, "reason": e.reason}
                for e in self.unused_explanations
            ],
        }


@dataclasses.dataclass
class _Auth:
    product: dict[str, Any]
    auth: dict[str, Any]
    index: int

    @property
    def slug(self) -> str:
        return str(self.product["slug"])

    @property
    def cell_based(self) -> bool:
        return self.product.get("modality") in CELL_MODALITIES


def _product_keys(product: dict[str, Any]) -> set[str]:
    keys: set[str] = set()
    for name in [product.get("name"), *product.get("aliases", []), *product.get("codes", [])]:
        keys |= _name_keys(name)
    keys.add(norm_name(str(product["slug"]).replace("-", " ")))
    return keys


def _entry_name_keys(entry: ListEntry) -> set[str]:
    keys: set[str] = set()
    for name in [entry.inn, *entry.names]:
        keys |= _name_keys(name)
    return keys


def _brand_keys(entry: ListEntry) -> set[str]:
    keys = _name_keys(entry.brand)
    for name in entry.former_brands:  # "Beqvez (previously Durveqtix)"
        keys |= _name_keys(name)
    return keys


def _atlas_end_date(auth: dict[str, Any]) -> str | None:
    ends = {"withdrawn", "expired", "revoked", "not_renewed"}
    dates = [e.get("date") for e in auth.get("status_history", []) if e.get("event") in ends]
    dates = [d for d in dates if d]
    return dates[-1] if dates else None


def _compare_dates(label: str, list_date: str | None, atlas_date: str | None) -> tuple[bool, str]:
    """(differs, message) for a list date against a partial atlas date."""
    if not list_date:
        return False, ""
    if not atlas_date:
        return True, f"{label}: the list has {list_date}; the atlas has none"
    if list_date == atlas_date:
        return False, ""
    if list_date.startswith(atlas_date):
        return True, f"{label}: the list has {list_date}; the atlas only {atlas_date}"
    return True, f"{label}: the list has {list_date}; the atlas {atlas_date}"


def _find_other(others: Sequence[ListEntry], brand: str, names: set[str]) -> ListEntry | None:
    """The out-of-scope row (EMA: not flagged Advanced therapy) naming this atlas record."""
    brand_keys = _name_keys(brand)
    for entry in others:
        if _brand_keys(entry) & brand_keys:
            return entry
    for entry in others:
        if _entry_name_keys(entry) & names:
            return entry
    return None


#: Where each list's values come from, as the atlas's sources cite them.
LIST_SOURCES = {
    "fda": ("github.com/databio/everyday-genomics", "fda.gov/vaccines-blood-biologics"),
    "ema": ("ema.europa.eu/en/medicines",),
}
#: The atlas field a kind of difference is about (for recorded conflicts).
KIND_FIELDS = {
    "date": ("approval_date",),
    "status": ("status",),
    "end_date": ("status", "status_history"),
    "not_in_list": ("status", "approval_date"),
    "name": ("brand_name",),
}


def recorded_conflict(diff: Difference, auth: dict[str, Any]) -> str | None:
    """The atlas's own record of this difference, if it has one.

    An authorization whose ``conflicts`` name the list's value (or cite the list itself as the
    source of a value) on the same field already says why the atlas differs from the list.
    """
    for conflict in auth.get("conflicts") or []:
        field = conflict.get("field")
        if field not in KIND_FIELDS.get(diff.kind, ()):
            continue
        chosen, current = conflict.get("chosen"), auth.get(str(field))
        if diff.list_value is not None and str(chosen) == diff.list_value:
            continue  # the atlas chose the list's value: the conflict is not this difference
        if isinstance(current, str | int | float | bool) and str(chosen) != str(current):
            continue  # the record moved on since the conflict was written
        for value in conflict.get("values", []):
            same = diff.list_value is not None and str(value.get("value")) == diff.list_value
            cited = any(host in str(value.get("source", "")) for host in LIST_SOURCES[diff.list])
            if same or cited:
                return (
                    f"the atlas records this conflict on {conflict['field']} (chose "
                    f"{conflict.get('chosen')!s}): {conflict.get('reason')}"
                )
    return None


def _pair_differences(entry: ListEntry, found: _Auth, by: str) -> list[Difference]:
    """How a list entry and the atlas authorization matched to it differ."""
    auth = found.auth
    atlas_brand = str(auth.get("brand_name"))
    out: list[Difference] = []

    def diff(kind: str, message: str, lv: Any, av: Any) -> None:
        out.append(
            Difference(
                entry.list,
                kind,
                found.slug,
                message,
                found.cell_based,
                slug=found.slug,
                brand=atlas_brand,
                list_value=None if lv is None else str(lv),
                atlas_value=None if av is None else str(av),
            )
        )

    if by == "inn" and not (_brand_keys(entry) & _name_keys(atlas_brand)):
        diff(
            "name",
            f"brand: the list has '{entry.brand}'; the atlas '{atlas_brand}' (matched by INN)",
            entry.brand,
            atlas_brand,
        )
    differs, message = _compare_dates(
        "approval date", entry.approval_date, auth.get("approval_date")
    )
    if differs:
        diff("date", message, entry.approval_date, auth.get("approval_date"))
    if entry.status is not None:
        agree = EMA_STATUS.get(entry.status.casefold())
        if agree is None or auth.get("status") not in agree:
            diff(
                "status",
                f"status: the list has '{entry.status}'; the atlas '{auth.get('status')}'",
                entry.status,
                auth.get("status"),
            )
        end = _atlas_end_date(auth)
        differs, message = _compare_dates("end date", entry.end_date, end)
        if differs:
            diff("end_date", message, entry.end_date, end)
    return out


def compare(
    listfile: ListFile,
    products: Iterable[dict[str, Any]],
    explained: Sequence[Explanation] = (),
    use_recorded_conflicts: bool = True,
) -> Report:
    """Match the list's entries to the atlas's authorizations in the list's jurisdiction.

    A difference is *explained* when an entry of ``explained`` covers it, or (unless
    ``use_recorded_conflicts`` is false) when the atlas authorization records it as a
    conflict between sources (see :func:`recorded_conflict`).
    """
    which = listfile.list
    jurisdiction = LISTS[which]
    products = list(products)
    auths = [
        _Auth(p, a, i)
        for p in products
        for i, a in enumerate(p.get("authorizations", []))
        if a.get("jurisdiction") == jurisdiction
    ]
    by_brand: dict[str, list[_Auth]] = {}
    for a in auths:
        for name in (a.auth.get("brand_name"), a.auth.get("local_name")):
            for key in _name_keys(name):
                by_brand.setdefault(key, []).append(a)
    product_keys = {p["slug"]: _product_keys(p) for p in products}
    used: set[tuple[str, int]] = set()
    matched: list[Match] = []
    diffs: list[Difference] = []

    def pick(candidates: list[_Auth], entry: ListEntry) -> _Auth | None:
        free = [c for c in candidates if (c.slug, c.index) not in used]
        unique = {(c.slug, c.index): c for c in free}
        if len(unique) == 1:
            return next(iter(unique.values()))
        names = _entry_name_keys(entry)
        narrowed = [c for c in unique.values() if product_keys[c.slug] & names]
        return narrowed[0] if len(narrowed) == 1 else None

    for entry in listfile.entries:
        found: _Auth | None = None
        by = "brand"
        candidates = [a for k in _brand_keys(entry) for a in by_brand.get(k, [])]
        if candidates:
            found = pick(candidates, entry)
        names = _entry_name_keys(entry)
        if found is None and names:
            by = "inn"
            slugs = {slug for slug, keys in product_keys.items() if keys & names}
            if len(slugs) == 1:
                found = pick([a for a in auths if a.slug in slugs], entry)
                if found is None and not any(a.slug in slugs for a in auths):
                    slug = next(iter(slugs))
                    product = next(p for p in products if p["slug"] == slug)
                    diffs.append(
                        Difference(
                            which,
                            "not_in_atlas",
                            entry.key,
                            f"on the list ({entry.approval_date or 'no date'}"
                            f"{', ' + entry.status if entry.status else ''}); the atlas has "
                            f"the product '{slug}' but no {jurisdiction} authorization",
                            product.get("modality") in CELL_MODALITIES,
                            slug=slug,
                            brand=entry.brand,
                            list_value=entry.approval_date,
                        )
                    )
                    continue
        if found is None:
            diffs.append(
                Difference(
                    which,
                    "not_in_atlas",
                    entry.key,
                    f"on the list ({entry.approval_date or 'no date'}"
                    f"{', ' + entry.status if entry.status else ''}), not in the atlas",
                    entry.cell_based,
                    brand=entry.brand,
                    list_value=entry.approval_date,
                )
            )
            continue
        used.add((found.slug, found.index))
        auth = found.auth
        atlas_brand = str(auth.get("brand_name"))
        match = Match(
            entry.key,
            found.slug,
            entry.brand,
            atlas_brand,
            by,
            found.cell_based,
            entry.approval_date,
            auth.get("approval_date"),
            entry.status,
            str(auth.get("status")),
        )
        matched.append(match)

        diffs += _pair_differences(entry, found, by)

    # atlas records the list lacks
    excluded_keys: dict[str, dict[str, Any]] = {}
    for row in listfile.excluded:
        for key in _name_keys(row.get("brand")) | _name_keys(row.get("inn")):
            excluded_keys[key] = row
    for a in auths:
        if (a.slug, a.index) in used:
            continue
        brand = str(a.auth.get("brand_name"))
        note = ""
        for key in _name_keys(brand) | product_keys[a.slug]:
            if key in excluded_keys:
                row = excluded_keys[key]
                note = f"; the list has '{row['key']}' only as {row['reason']}"
                break
        elsewhere = _find_other(listfile.others, brand, product_keys[a.slug])
        if elsewhere is not None and not note:
            note = (
                f"; the report has it outside the list's scope (row {elsewhere.line} "
                f"'{elsewhere.key}': Advanced therapy not 'Yes', status "
                f"'{elsewhere.status or '?'}', marketing authorisation "
                f"{elsewhere.approval_date or 'none'})"
            )
        diffs.append(
            Difference(
                which,
                "not_in_list",
                a.slug,
                f"in the atlas ({jurisdiction} {brand}, {a.auth.get('approval_date') or 'no date'},"
                f" {a.auth.get('status')}), not on the list{note}",
                a.cell_based,
                slug=a.slug,
                brand=brand,
                list_value=elsewhere.key if elsewhere is not None else None,
                atlas_value=a.auth.get("approval_date"),
            )
        )
        if elsewhere is not None and elsewhere.status and elsewhere.status.casefold() in EMA_STATUS:
            # authorised outside the flag: its dates and status can still be compared
            diffs += _pair_differences(elsewhere, a, "brand")

    # explanations
    open_diffs, explained_diffs = [], []
    explanations = [e for e in explained if e.list == which]
    auth_of = {(a.slug, str(a.auth.get("brand_name"))): a.auth for a in auths}
    for d in diffs:
        reason = next((e for e in explanations if e.covers(d)), None)
        if reason is not None:
            reason.used = True
            d.explained = reason.reason
            explained_diffs.append(d)
            continue
        auth = auth_of.get((d.slug or "", d.brand or ""))
        recorded = recorded_conflict(d, auth) if auth and use_recorded_conflicts else None
        if recorded:
            d.explained = recorded
            explained_diffs.append(d)
        else:
            open_diffs.append(d)
    return Report(
        list=which,
        jurisdiction=jurisdiction,
        file=listfile.path,
        format=listfile.format,
        entries=len(listfile.entries),
        atlas_authorizations=len(auths),
        matched=matched,
        differences=open_diffs,
        explained=explained_diffs,
        excluded=listfile.excluded,
        unused_explanations=[e for e in explanations if not e.used],
        has_dates=listfile.has_dates,
        generated=listfile.generated,
    )


# --------------------------------------------------------------------------- text output

KIND_TITLES = {
    "not_in_atlas": "On the list, not in the atlas",
    "not_in_list": "In the atlas, not on the list",
    "name": "Brand names differ",
    "date": "Approval dates differ",
    "status": "Statuses differ",
    "end_date": "Withdrawal / expiry dates differ",
}


def render_report(report: Report) -> str:
    """The report as plain text, grouped by kind of difference."""
    lines = [f"{LIST_LABEL[report.list]} ({report.jurisdiction}): {report.file} [{report.format}]"]
    if report.generated:
        lines.append(f"  export says: {report.generated}")
    if report.explained_file:
        lines.append(f"  explanations: {report.explained_file}")
    lines.append(
        f"  {report.entries} list entries, {report.atlas_authorizations} atlas "
        f"{report.jurisdiction} authorizations, {len(report.matched)} matched, "
        f"{len(report.differences)} difference(s), {len(report.explained)} explained"
        + (f", {len(report.excluded)} row(s) not authorizations" if report.excluded else "")
    )
    if not report.has_dates:
        lines.append("  (the file has no approval dates: dates not compared)")

    def tag(d: Difference) -> str:
        return "cell-based" if d.cell_based else "not cell-based"

    for kind, title in KIND_TITLES.items():
        group = [d for d in report.differences if d.kind == kind]
        if not group:
            continue
        lines.append("")
        lines.append(f"{title} ({len(group)}):")
        for d in group:
            lines.append(f"  {d.key}  [{tag(d)}]")
            lines.append(f"      {d.message}")
    if report.explained:
        lines.append("")
        lines.append(f"Explained ({len(report.explained)}):")
        for d in report.explained:
            lines.append(f"  {d.kind:12} {d.key}  [{tag(d)}]: {d.message}")
            lines.append(f"      explained: {d.explained}")
    if report.excluded:
        lines.append("")
        lines.append(f"Rows set aside, not authorizations ({len(report.excluded)}):")
        for row in report.excluded:
            lines.append(f"  {row['key']}  ({row['reason']})")
    if report.unused_explanations:
        lines.append("")
        lines.append("Explanations that matched no difference (stale?):")
        for e in report.unused_explanations:
            lines.append(f"  {e.list} {e.key}{' ' + e.kind if e.kind else ''}: {e.reason}")
    lines.append("")
    lines.append("No differences." if report.ok else f"{len(report.differences)} difference(s).")
    return "\n".join(lines)
