"""Search in Japanese and Korean on the real curated data: テムセル or Temcell, 카티스템 or
Cartistem, full-width and half-width forms alike (NFKC, case-folded substring search)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def real_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from ctatlas.store import ensure_store
    from ctatlas.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'atlas.sqlite'}"
    app = create_app(store=ensure_store(url, REPO_DATA), refresh_seconds=0)
    with TestClient(app) as client:
        yield client


@pytest.mark.parametrize(
    ("q", "slug"),
    [
        ("テムセル", "temcell-hs"),
        ("ﾃﾑｾﾙ", "temcell-hs"),  # half-width katakana
        ("Temcell", "temcell-hs"),
        ("ＴＥＭＣＥＬＬ", "temcell-hs"),  # full-width Latin
        ("카티스템", "cartistem"),
        ("cartistem", "cartistem"),
        ("ハートシート", "heartsheet"),
    ],
)
def test_search_any_script(real_client, q: str, slug: str) -> None:
    body = real_client.get(f"/api/v1/products?q={quote(q)}").json()
    assert slug in [d["slug"] for d in body["data"]]
    page = BeautifulSoup(real_client.get(f"/products?q={quote(q)}").text, "html.parser")
    assert slug in [tr["data-slug"] for tr in page.select("#products tbody tr[data-slug]")]


def test_disease_names_in_the_readers_language(real_client) -> None:
    """Temcell's indication shows its disease in Japanese, marked lang="ja", on a Japanese page;
    and the Japanese name of the disease finds the product."""
    page = BeautifulSoup(real_client.get("/products/temcell-hs?lang=ja").text, "html.parser")
    names = [s.text for s in page.select(".indications .diseases span[lang=ja]")]
    assert "急性移植片対宿主病" in names
    english = BeautifulSoup(real_client.get("/products/temcell-hs").text, "html.parser")
    assert "Acute graft-versus-host disease" in english.select_one(".indications").text
    body = real_client.get(f"/api/v1/products?q={quote('移植片対宿主病')}").json()
    assert "temcell-hs" in [d["slug"] for d in body["data"]]


def test_a_therapy_only_in_development_has_a_page(real_client) -> None:
    """A therapy with programs but no authorization (issue 15's records) opens as a page in
    every language, not a server error."""
    import yaml

    slug = next(
        doc["slug"]
        for path in sorted((REPO_DATA / "products").glob("*.yaml"))
        if not (doc := yaml.safe_load(path.read_text(encoding="utf-8"))).get("authorizations")
    )
    for lang in ("en", "ja", "ko"):
        r = real_client.get(f"/products/{slug}?lang={lang}")
        assert r.status_code == 200, (slug, lang)
