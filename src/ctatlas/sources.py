"""Which sources count: copies are not sources, and how much rests on the regulator's own record.

``data/source_hosts.yaml`` lists hosts that serve copies of other publishers' documents
(mirrors, proxies, caches, document-sharing sites, a repository holding a scrape, forums and
social sites, AI-written summaries, link shorteners) with a reason each, and the hosts of each
jurisdiction's regulators. :func:`copy_host` says whether a URL is a copy; :func:`regulator_share`
counts, per jurisdiction, the authorizations whose approval date rests on that regulator's own
record.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel

from ctatlas.model import (
    Authorization,
    Citation,
    CopyHost,
    CopyHostFile,
    Product,
    Source,
    SourceKind,
)

__all__ = [
    "HOSTS_FILE",
    "RegulatorShare",
    "cited",
    "copy_host",
    "host_matches",
    "regulator_share",
    "url_host",
]

#: The host list, relative to the data folder.
HOSTS_FILE = "source_hosts.yaml"


def url_host(url: str) -> str:
    """The lower-case host of a URL, without port or trailing dot."""
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def host_matches(host: str, name: str) -> bool:
    """Whether ``host`` is ``name`` or one of its subdomains."""
    name = name.lower()
    return host == name or host.endswith("." + name)


def copy_host(url: str, copies: Sequence[CopyHost]) -> CopyHost | None:
    """The host-list entry that marks ``url`` as a copy, or None."""
    host = url_host(url)
    path = urlsplit(url).path or "/"
    for entry in copies:
        if entry.host is not None:
            hit = host_matches(host, entry.host)
        else:
            hit = re.fullmatch(entry.pattern or "", host) is not None
        if hit and (entry.path is None or path.startswith(entry.path)):
            return entry
    return None


def cited(obj: Any, loc: tuple[str | int, ...] = ()) -> Iterable[tuple[list[str | int], Any]]:
    """Every :class:`Source` and :class:`Citation` inside a data file's model, with its
    location (for problem reports)."""
    if isinstance(obj, Source | Citation):
        yield list(loc), obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from cited(getattr(obj, name), (*loc, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from cited(item, (*loc, i))


# --------------------------------------------------------------------------- regulator share


@dataclasses.dataclass(frozen=True)
class RegulatorShare:
    """One jurisdiction's authorizations and how many rest on its regulator's own record."""

    jurisdiction: str
    authorizations: int
    regulator_dated: int
    read_via_copy: int
    approval_numbers: int

    @property
    def share(self) -> float:
        """regulator_dated / authorizations (0 when there are none)."""
        return self.regulator_dated / self.authorizations if self.authorizations else 0.0


def _regulator_dated(auth: Authorization, hosts: Sequence[str]) -> list[Source]:
    return [
        source
        for source in auth.sources
        if source.kind is SourceKind.regulator
        and "approval_date" in source.supports
        and any(host_matches(url_host(source.url), h) for h in hosts)
    ]


def regulator_share(
    products: Iterable[Product], hosts: CopyHostFile, codes: Iterable[str] = ()
) -> list[RegulatorShare]:
    """Per jurisdiction (``codes`` plus every one with an authorization, sorted): how many
    authorizations have a source of kind ``regulator`` on one of that jurisdiction's regulator
    hosts whose ``supports`` includes ``approval_date`` (and of those, how many only through a
    copy named in ``read_via``), and how many carry an ``approval_number``."""
    counts: dict[str, list[int]] = {code: [0, 0, 0, 0] for code in codes}
    for product in products:
        for auth in product.authorizations:
            row = counts.setdefault(auth.jurisdiction, [0, 0, 0, 0])
            dated = _regulator_dated(auth, hosts.regulator_hosts.get(auth.jurisdiction, []))
            row[0] += 1
            row[1] += bool(dated)
            row[2] += bool(dated) and all(s.read_via is not None for s in dated)
            row[3] += auth.approval_number is not None
    return [RegulatorShare(code, *counts[code]) for code in sorted(counts)]
