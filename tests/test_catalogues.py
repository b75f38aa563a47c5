"""The Japanese and Korean catalogues translate every interface message: what pybabel extracts
with the project's own configuration (templates, and the Python that marks strings with N_,
including the findings' words), and the analysis tables' titles, descriptions and column
headings. A translation keeps its placeholders, and is not the English left as it was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from ctatlas.i18n import catalogue_path

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
#: messages whose translation is the same as the English (names and codes)
SAME = {"API", "JSON API", "REST API", "%(title)s."}


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with catalogue_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def _extracted() -> set[str]:
    """Every message pybabel extracts with src/ctatlas/locale/babel.cfg (as scripts/i18n)."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (ROOT / "src/ctatlas/locale/babel.cfg").open() as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords={"_": None, "gettext": None,
                                                        "ngettext": (1, 2), "N_": None}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _table_texts() -> set[str]:
    """The analysis tables' words on the fixture data (the page translates them)."""
    from ctatlas.analysis import analyse, landscape_from_dataset
    from ctatlas.analysis.tables import COMPARISON_ASPECTS
    from ctatlas.dataset import load_dataset
    from ctatlas.report.texts import DESCRIPTIONS, NOTES

    texts = set(COMPARISON_ASPECTS.values())
    analysis = analyse(landscape_from_dataset(load_dataset(ROOT / "tests/fixtures/data")))
    for finding in analysis.findings:
        texts |= set(finding.rules)
    for table in analysis.tables:
        texts |= {table.title} | {c.label for c in table.columns if c.label != c.key}
        if table.id not in DESCRIPTIONS:
            texts.add(table.description)
        texts |= {note for note in table.notes if not any(p.match(note) for p, _ in NOTES)}
    return {t for t in texts if t and not (len(t) == 2 and t.isupper())}


def test_the_extraction_sees_the_python_and_the_templates() -> None:
    found = _extracted()
    assert "Products" in found  # a template
    assert "Routes to patients outside product approval" in found  # N_ in web/ Python
    assert "the data supports the claim." in found  # the findings' words


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_every_interface_message_is_translated(lang: str) -> None:
    catalog = _catalogue(lang)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalog
        if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = sorted((_extracted() | _table_texts()) - translated)
    assert not missing, f"{lang}: run scripts/i18n and translate: {missing}"


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_translations_keep_placeholders_and_are_not_english(lang: str) -> None:
    for message in _catalogue(lang):
        if not message.id:
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert "fuzzy" not in message.flags, (lang, source)
        wanted = sorted(PLACEHOLDER.findall(source))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (lang, source, text)
            assert text != source or source in SAME, (lang, source)
            # markup kept: the same tags in the translation
            assert sorted(re.findall(r"</?\w+", text)) == sorted(re.findall(r"</?\w+", source)), (
                lang, source)


def test_a_broken_translation_fails(tmp_path: Path) -> None:
    """The checks above catch a lost placeholder (a copy of the catalogue, one entry spoiled)."""
    text = catalogue_path("ja").read_text(encoding="utf-8")
    spoiled = text.replace('msgstr "%(fact)s。%(verdict)s"', 'msgstr "%(fact)s。"')
    assert spoiled != text
    path = tmp_path / "messages.po"
    path.write_text(spoiled, encoding="utf-8")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="ja")
    message = catalog.get("%(fact)s; %(verdict)s")
    assert sorted(PLACEHOLDER.findall(message.string)) != sorted(
        PLACEHOLDER.findall(message.id)
    )
