"""The template contexts are a documented contract: every name a page template uses is a field
of its context (or a base field, a macro, a Jinja global), and every field is described."""

from __future__ import annotations

import dataclasses

import pytest
from jinja2 import meta, nodes

from ctatlas.web.contexts import BASE_FIELDS, PAGE_CONTEXTS
from ctatlas.web.pages import templates

JINJA_GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}


def _macros() -> set[str]:
    env = templates.env
    source = env.loader.get_source(env, "_macros.html")[0]  # type: ignore[union-attr]
    return {m.name for m in env.parse(source).find_all(nodes.Macro)}


@pytest.mark.parametrize("name", sorted(PAGE_CONTEXTS))
def test_templates_use_only_their_context(name: str) -> None:
    env = templates.env
    fields = {f.name for f in dataclasses.fields(PAGE_CONTEXTS[name])}
    used: set[str] = set()
    pending = [name]
    seen: set[str] = set()
    while pending:  # the page and everything it extends or includes
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        source = env.loader.get_source(env, current)[0]  # type: ignore[union-attr]
        ast = env.parse(source)
        used |= meta.find_undeclared_variables(ast)
        pending += [t for t in meta.find_referenced_templates(ast) if t and t != "_macros.html"]
    unknown = used - fields - set(BASE_FIELDS) - JINJA_GLOBALS - _macros()
    assert not unknown, f"{name} uses names its context lacks: {sorted(unknown)}"


@pytest.mark.parametrize("name", sorted(PAGE_CONTEXTS))
def test_every_context_field_is_described(name: str) -> None:
    for field in dataclasses.fields(PAGE_CONTEXTS[name]):
        assert field.metadata.get("doc"), f"{PAGE_CONTEXTS[name].__name__}.{field.name}"


def test_every_page_template_has_a_context() -> None:
    pages = {
        t for t in templates.env.list_templates() if not t.startswith("_") and t != "base.html"
    }
    assert pages == set(PAGE_CONTEXTS)
