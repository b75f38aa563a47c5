"""``scripts/i18n`` merges the extracted messages into each catalogue with
:func:`ctatlas.i18n.merge_catalogue`: the catalogue's header (comment and ``msgid ""`` entry)
stays as written, new messages arrive untranslated, dropped ones leave, translations stay."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from ctatlas.i18n import merge_catalogue

HEADER = """\
# The Cell Therapy Atlas interface, translated (see ctatlas.i18n; refresh with scripts/i18n).
# Distributed under the same license as ctatlas (MIT).
msgid ""
msgstr ""
"Project-Id-Version: ctatlas \\n"
"POT-Creation-Date: 2026-12-06 13:00+0000\\n"
"Language: ja\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Content-Transfer-Encoding: 8bit\\n"

"""
CATALOGUE = HEADER + """\
msgid "Products"
msgstr "製品"

msgid "Withdrawn string"
msgstr "削除された文字列"
"""
TEMPLATE = """\
msgid "Jurisdictions"
msgstr ""

msgid "Products"
msgstr ""
"""


def _files(tmp_path: Path) -> tuple[Path, Path]:
    po = tmp_path / "ja" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(CATALOGUE, encoding="utf-8")
    pot = tmp_path / "messages.pot"
    pot.write_text(TEMPLATE, encoding="utf-8")
    return pot, po


def test_merge_keeps_the_header_and_translations(tmp_path: Path) -> None:
    pot, po = _files(tmp_path)
    merge_catalogue(pot, po)
    text = po.read_text(encoding="utf-8")
    assert text.startswith(HEADER)  # the comment unwrapped, the creation date unchanged
    with po.open("rb") as fh:
        catalog = read_po(fh, locale="ja")
    assert {m.id: m.string for m in catalog if m.id} == {"Jurisdictions": "", "Products": "製品"}
    assert catalog.plural_forms == "nplurals=1; plural=0;"


def test_merge_of_an_unchanged_catalogue_changes_nothing(tmp_path: Path) -> None:
    pot, po = _files(tmp_path)
    merge_catalogue(pot, po)
    once = po.read_bytes()
    merge_catalogue(pot, po)
    assert po.read_bytes() == once


def test_the_script_merges_with_it() -> None:
    script = (Path(__file__).resolve().parents[1] / "scripts" / "i18n").read_text()
    commands = [line for line in script.splitlines() if not line.lstrip().startswith("#")]
    assert any("merge_catalogue(" in line for line in commands)
    assert not any("pybabel update" in line for line in commands)
