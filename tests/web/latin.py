"""The check both language tests use: visible text in Latin letters that nothing marks as
another language than the page's."""

from __future__ import annotations

import re

from bs4 import NavigableString

#: a word with lower-case letters (abbreviations, codes and registry ids are not English)
LATIN_WORD = re.compile(r"[A-Za-z]*[a-z]{2,}[A-Za-z]*")
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def unmarked_latin(root, lang: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Visible text in Latin letters only that no link, code element, ``lang="en"`` element or
    element in another named language holds (``root``: a page's body, or a part of it)."""
    out = []
    for node in root.find_all(string=True):
        if not isinstance(node, NavigableString) or node.parent.name in ("script", "style"):
            continue
        text = " ".join(node.split())
        if not LATIN_WORD.search(text) or CJK.search(text):
            continue
        marked = False
        for parent in node.parents:
            if parent.name in ("a", "code"):
                marked = True
                break
            declared = parent.get("lang")
            if declared:
                marked = declared not in (lang, "und")
                break
        if not marked:
            out.append(f"<{node.parent.name}> {text}")
    return out
