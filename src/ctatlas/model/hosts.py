"""data/source_hosts.yaml: hosts whose pages are copies, and each regulator's hosts."""

from __future__ import annotations

import re

from pydantic import (
    Field,
    model_validator,
)

from ctatlas.model.base import Strict, Text
from ctatlas.vocab import (
    CopyKind,
)


class CopyHost(Strict):
    """A host (or a host's path) that serves copies of other publishers' documents."""

    host: Text | None = Field(
        default=None,
        description="The host name; it also matches every subdomain (example.org matches "
        "www.example.org).",
    )
    pattern: Text | None = Field(
        default=None, description="A regular expression the whole host name must match."
    )
    path: Text | None = Field(
        default=None, description="Only URLs whose path starts with this (e.g. /databio/)."
    )
    kind: CopyKind = Field(description="What kind of copy it serves.")
    reason: Text = Field(description="Why it is not a source, in a sentence.")

    @model_validator(mode="after")
    def _host_or_pattern(self) -> CopyHost:
        if (self.host is None) == (self.pattern is None):
            raise ValueError("give exactly one of host or pattern")
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a regular expression: {exc}") from None
        return self


class CopyHostFile(Strict):
    """data/source_hosts.yaml: hosts that are not sources, and each jurisdiction's regulator."""

    copies: list[CopyHost] = Field(
        min_length=1, description="Hosts whose pages are copies, caches, forums or summaries."
    )
    regulator_hosts: dict[str, list[Text]] = Field(
        default_factory=dict,
        description="Jurisdiction code -> the hosts of its regulators' own websites (a host "
        "also matches its subdomains); used by `ctatlas validate --stats`.",
    )
