"""Shared pieces of the curated models: the strict base class, dates, text and URLs."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
)

from ctatlas.vocab import (
    PARTIAL_DATE_RE,
    SourceKind,
)

SLUG_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"


def _coerce_partial_date(value: Any) -> Any:
    """YAML loaders turn an unquoted 2015-09-18 into a date; keep partial dates as text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    return value


def _check_partial_date(value: str) -> str:
    if not PARTIAL_DATE_RE.match(value):
        raise ValueError("must be a date written YYYY, YYYY-MM or YYYY-MM-DD")
    if len(value) == 10:
        dt.date.fromisoformat(value)  # rejects 2021-02-30
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_coerce_partial_date),
    AfterValidator(_check_partial_date),
    Field(
        description="A date as precise as known: YYYY, YYYY-MM or YYYY-MM-DD.",
        json_schema_extra={"pattern": PARTIAL_DATE_RE.pattern},
    ),
]


class Strict(BaseModel):
    """Base for every curated model: unknown keys are errors, text is stripped of nothing."""

    model_config = ConfigDict(extra="forbid", use_enum_values=False, validate_default=True)


def _no_outer_space(value: str) -> str:
    if value != value.strip():
        raise ValueError("has leading or trailing white space")
    if not value:
        raise ValueError("is empty")
    return value


Text = Annotated[str, AfterValidator(_no_outer_space)]


def _http_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
        raise ValueError("must be an http(s) URL")
    return value


Url = Annotated[str, AfterValidator(_http_url), Field(description="An http(s) URL.")]


class Source(Strict):
    """A document that was opened and that supports some of a record's fields."""

    url: Url = Field(description="Where the source can be read.")
    title: Text = Field(description="The source's title, as published.")
    publisher: Text = Field(description="Who published it (regulator, company, journal, outlet).")
    kind: SourceKind = Field(description="What kind of publisher it is.")
    accessed: dt.date = Field(description="The day the source was opened (YYYY-MM-DD).")
    published: PartialDate | None = Field(
        default=None, description="When the source itself was published, if it says."
    )
    supports: list[Text] = Field(
        default_factory=list,
        description="Field paths this source supports, e.g. approval_date, indications, "
        "product.tissue_source.",
    )
    note: Text | None = Field(default=None, description="Anything a reader should know.")
    read_via: Url | None = Field(
        default=None,
        description="The copy actually read, when only a copy of the original was readable; "
        "url and title then name the original (with its reference number).",
    )
