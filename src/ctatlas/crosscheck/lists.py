"""The regulators' own lists (FDA, EMA) read into :class:`ListEntry` rows.

See :mod:`ctatlas.crosscheck` for what each reader accepts. Nothing here touches the network.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import html.parser
import io
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ctatlas.errors import BadInput

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


def name_keys(text: str | None) -> set[str]:
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


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise BadInput(f"{path}: cannot be read ({exc.strerror})") from None


def decode_text(path: Path, data: bytes, expected: str = "a text file") -> str:
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
    data = read_bytes(path)
    if _is_xlsx(data):
        raise BadInput(
            f"{path}: an XLSX workbook; expected {FDA_EXPECTED} "
            "(EMA's medicines report goes to `ctatlas crosscheck ema`)"
        )
    text = decode_text(path, data, FDA_EXPECTED)
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
    data = read_bytes(path)
    if _is_xlsx(data):
        rows, generated, fmt = _xlsx_rows(path, data), None, "xlsx"
    else:
        text = decode_text(path, data, EMA_EXPECTED)
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


