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


from ctatlas.crosscheck.compare import (
    Difference,
    Explanation,
    Match,
    Report,
    compare,
    load_explained,
    recorded_conflict,
    render_report,
)
from ctatlas.crosscheck.lists import (
    ListEntry,
    ListFile,
    looks_cell_based,
    norm_name,
    read_ema,
    read_fda,
    read_list,
    split_fda_product,
)

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
    "split_fda_product",
]
