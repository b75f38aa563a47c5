"""A summary of the trials store's best records, kept per store state: how many trials share
each (label, start year, cell family, cell class, Japan / Korea among the countries, phase
set). It answers the count and the charts of a listing filtered only by label, Japan or
Korea, phase, family, cell class and years exactly (the same numbers as counting the
records), without reading hundreds of thousands of index entries per listing.

On the 600,000-record benchmark store it holds about 7,400 rows, made in one grouped read of
the listing's covering index once per store state. Other countries are not in it: a trial's
country set takes 45,000 values there, so listings of another country read the store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa

__all__ = ["ANSWERED", "Summary"]

#: The filters a summary answers (any other filter given a value: the store is read).
ANSWERED = frozenset(
    {"label", "country", "phase", "family", "cell_class", "start_year_from", "start_year_to"}
)
#: The countries a summary answers (each row says whether they are among its trials').
COUNTRIES = ("JP", "KR")

# a row: (label, start_year, cell_family, cell_class, jp, kr, phases_key, trials)
_Row = tuple[str, int | None, str | None, str | None, bool, bool, str, int]


class Summary:
    """The summary of the best records a query selects (see the module)."""

    def __init__(self, rows: list[_Row]) -> None:
        self.rows_ = rows

    @classmethod
    def read(cls, conn: sa.Connection, query: sa.Select[Any]) -> Summary:
        """Group the rows of ``query`` (the best records, with the columns ``countries_key,
        label, start_year, cell_family, cell_class, phases_key``) in SQL."""
        sub = query.subquery()
        keys = [
            sub.c.label,
            sub.c.start_year,
            sub.c.cell_family,
            sub.c.cell_class,
            *(
                sa.case((sub.c.countries_key.like(f"%|{code}|%"), 1), else_=0)
                for code in COUNTRIES
            ),
            sub.c.phases_key,
        ]
        rows: list[_Row] = [
            (label, year, family, cell_class, bool(jp), bool(kr), phases_key, int(n))
            for label, year, family, cell_class, jp, kr, phases_key, n in conn.execute(
                sa.select(*keys, sa.func.count()).group_by(*keys)
            )
        ]
        return cls(rows)

    @staticmethod
    def answers(filters: Mapping[str, Any]) -> bool:
        """Whether these filters (``TrialStore.query``'s keywords) are answered here."""
        for key, value in filters.items():
            if key in ("start_year_from", "start_year_to"):
                continue
            if value and key not in ANSWERED:
                return False
        country = filters.get("country")
        return not country or country.upper() in COUNTRIES

    def rows(self, filters: Mapping[str, Any]) -> Iterator[_Row]:
        """The rows these filters select, as the store's SQL selects records: label, family
        and cell class equal, the phase among the phase set, the start year in the range
        (a trial without one is outside any range), the country among the countries."""
        country = (filters.get("country") or "").upper()
        label = filters.get("label")
        phase = filters.get("phase")
        family = filters.get("family")
        cell_class = filters.get("cell_class")
        low = filters.get("start_year_from")
        high = filters.get("start_year_to")
        wanted = f"|{phase}|" if phase else None
        for row in self.rows_:
            r_label, year, r_family, r_class, jp, kr, phases_key, _n = row
            if label and r_label != label:
                continue
            if country and not (jp if country == "JP" else kr):
                continue
            if family and r_family != family:
                continue
            if cell_class and r_class != cell_class:
                continue
            if wanted and wanted not in phases_key:
                continue
            if low is not None and (year is None or year < low):
                continue
            if high is not None and (year is None or year > high):
                continue
            yield row

    def count(self, filters: Mapping[str, Any]) -> int:
        return sum(row[-1] for row in self.rows(filters))

    def charts(self, filters: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The rows of ``TrialStore.chart_counts`` for these filters."""
        groups: Counter[tuple[Any, ...]] = Counter()
        for _label, year, family, _class, jp, kr, phases_key, n in self.rows(filters):
            groups[(year, family, jp, kr, phases_key)] += n
        return [
            {
                "start_date": None if year is None else f"{year:04d}",
                "cell_family": family,
                "countries": [c for c, has in (("JP", jp), ("KR", kr)) if has],
                "phases": [p for p in phases_key.split("|") if p],
                "weight": n,
            }
            for (year, family, jp, kr, phases_key), n in groups.items()
        ]
