"""YAML in and out.

Loading uses libyaml through PyYAML's C loader (fast); only when a problem needs its line does
the file get parsed again with ruamel.yaml's round-trip loader, which keeps line marks. Writing
uses ruamel.yaml in one canonical style (``ctatlas fmt``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["YamlSyntaxError", "dump_canonical", "line_of", "load_text"]

SCHEMA_HINT = "# yaml-language-server: $schema={schema}\n"


class YamlSyntaxError(ValueError):
    """A file is not well-formed YAML."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def load_text(text: str) -> Any:
    """Parse YAML text with the fast C loader; raise YamlSyntaxError with the line on failure."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or str(exc)
        if exc.context:
            what = f"{exc.context}: {what}"
        raise YamlSyntaxError(f"YAML syntax error: {what}", line) from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"YAML syntax error: {exc}", None) from None


def line_of(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at ``loc`` (or of its nearest existing parent)."""
    from ruamel.yaml import YAML

    try:
        doc = YAML(typ="rt").load(text)
    except Exception:  # noqa: BLE001 - a file that only the slow loader rejects: no line
        return None
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
    """Read a data file as UTF-8 text."""
    return path.read_text(encoding="utf-8")
