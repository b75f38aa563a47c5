"""YAML in and out.

Loading uses libyaml through PyYAML's C loader (fast); only when a problem needs its line does
the file get parsed again, once, with ruamel.yaml's round-trip loader, which keeps line marks
(:class:`LineFinder`: one parse per file however many problems it has). Writing uses ruamel.yaml
in one canonical style (``ctatlas fmt``).

Hostile bytes never escape as a traceback: a byte that is not UTF-8 raises
:class:`NotUtf8Error` with its line and column, and an unquoted impossible date
(``2019-13-45``, ``2019-02-30``) stays the text it was written as, so the model rejects it with
its field and line like any other bad value.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "LineFinder",
    "NotUtf8Error",
    "YamlSyntaxError",
    "dump_canonical",
    "line_of",
    "load_text",
    "read",
]

SCHEMA_HINT = "# yaml-language-server: $schema={schema}\n"


class YamlSyntaxError(ValueError):
    """A file is not well-formed YAML."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


class NotUtf8Error(YamlSyntaxError):
    """A file holds bytes that are not UTF-8."""


_LOADER: Any = None


def _loader() -> Any:
    """PyYAML's safe C loader, with timestamps that never raise (built once)."""
    global _LOADER
    if _LOADER is None:
        import yaml

        base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        class Loader(base):  # type: ignore[misc, valid-type]
            """The safe loader; an impossible date stays text for the model to reject."""

        def timestamp(loader: Any, node: Any) -> Any:
            try:
                return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
            except (ValueError, OverflowError):
                return loader.construct_scalar(node)

        Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
        _LOADER = Loader
    return _LOADER


def load_text(text: str) -> Any:
    """Parse YAML text with the fast C loader; raise YamlSyntaxError with the line on failure."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or str(exc)
        if exc.context:
            what = f"{exc.context}: {what}"
        raise YamlSyntaxError(f"YAML syntax error: {what}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML syntax error: {exc}", None) from None


class LineFinder:
    """Lines of values in one YAML text; the text is parsed once, on the first question."""

    _UNPARSED: Any = object()

    def __init__(self, text: str) -> None:
        self.text = text
        self._doc: Any = self._UNPARSED

    def _parsed(self) -> Any:
        if self._doc is self._UNPARSED:
            try:
                self._doc = _rt_yaml().load(self.text)
            except Exception:  # noqa: BLE001 - a file only the slow loader rejects: no lines
                self._doc = None
        return self._doc

    def line(self, loc: Sequence[str | int]) -> int | None:
        """The 1-based line of the value at ``loc`` (or of its nearest existing parent)."""
        doc = self._parsed()
        return None if doc is None else _line_in(doc, loc)


@functools.cache
def _rt_constructor() -> Any:
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        """Round-trip constructor whose timestamps stay text (they may be impossible)."""

    Constructor.add_constructor(
        "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
    )
    return Constructor


def _rt_yaml() -> Any:
    """ruamel's round-trip loader, for line marks."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.Constructor = _rt_constructor()
    return yaml


def line_of(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at ``loc`` (one question: use LineFinder for several)."""
    return LineFinder(text).line(loc)


def _line_in(doc: Any, loc: Sequence[str | int]) -> int | None:
    node: Any = doc
    line: int | None = 1
    for key in loc:
        try:
            lc = node.lc
        except AttributeError:
            break
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            line = lc.item(key)[0] + 1
            node = node[key]
        elif isinstance(key, str) and isinstance(node, dict) and key in node:
            line = lc.key(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def dump_canonical(data: Any, schema: str | None = None) -> str:
    """Dump ``data`` (plain dicts, lists, scalars) in the project's one canonical YAML style."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.width = 4096  # one value per line: no folded lines, no trailing spaces
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    buffer = io.StringIO()
    if schema:
        buffer.write(SCHEMA_HINT.format(schema=schema))
    yaml.dump(data, buffer)
    return buffer.getvalue()


def read(path: Path) -> str:
    """Read a data file as UTF-8 text; a byte that is not UTF-8 raises NotUtf8Error."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise NotUtf8Error(
            f"the file is not UTF-8: byte 0x{data[exc.start]:02x} at line {line}, "
            f"column {column} cannot be decoded",
            line,
        ) from None
    # as text-mode reading does: every line ending becomes \n
    return text.replace("\r\n", "\n").replace("\r", "\n")
