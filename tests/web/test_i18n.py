"""The pages in English, Japanese and Korean: negotiation, links that keep the choice, the
switch, local names first with their ``lang``, and a cache keyed on language and encoding."""

from __future__ import annotations

import gzip
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

PAGES = [
    "/", "/products", "/products/cartistem", "/definitions", "/classify", "/analysis",
    "/conditional", "/jurisdictions", "/jurisdictions/KR",
]  # fmt: skip


def _page(client, url: str, **headers: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    r = client.get(url, headers={"accept": "text/html", **headers})
    assert r.status_code == 200, (url, r.status_code)
    return BeautifulSoup(r.text, "html.parser")


def _internal_links(page: BeautifulSoup) -> list[str]:
    out = []
    for a in page.select("main a[href], header nav.main a[href]"):
        href = a["href"]
        if href.startswith("/") and not href.startswith(("/api", "/static")):
            out.append(href)
    return out


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_a_switch_and_keeps_the_chosen_language(client, url: str) -> None:
    page = _page(client, url + ("&" if "?" in url else "?") + "lang=ja")
    assert page.html["lang"] == "ja"
    switch = page.select("#lang-switch a")
    assert [a["lang"] for a in switch] == ["en", "ja", "ko"]
    assert [a.get("aria-current") for a in switch] == [None, "true", None]
    for a in switch:
        assert urlsplit(a["href"]).path == url
        assert parse_qs(urlsplit(a["href"]).query)["lang"] == [a["lang"]]
    links = _internal_links(page)
    assert links
    for link in links:
        assert parse_qs(urlsplit(link).query).get("lang") == ["ja"], (url, link)


def test_accept_language_chooses_without_a_parameter_in_links(client) -> None:
    page = _page(client, "/products", **{"accept-language": "ko-KR,ko;q=0.9,en;q=0.5"})
    assert page.html["lang"] == "ko"
    assert page.h1.text == "제품"
    assert all("lang=" not in link for link in _internal_links(page))
    # the parameter wins over the header
    assert _page(client, "/products?lang=en", **{"accept-language": "ko"}).h1.text == "Products"
    # an unknown language falls back to English
    assert _page(client, "/products", **{"accept-language": "fr"}).html["lang"] == "en"


def test_labels_not_codes_in_each_language(client) -> None:
    en = _page(client, "/products?jurisdiction=KR")
    cells = [td.text for td in en.select("#products tbody td")]
    assert "Cell therapy" in cells and "cell_therapy" not in cells
    ja = _page(client, "/products?jurisdiction=KR&lang=ja")
    cells = [td.text for td in ja.select("#products tbody td")]
    assert "細胞治療" in cells and "幹細胞" in cells
    legends = [legend.text for legend in ja.select("#filters legend")]
    assert "細胞の由来" in legends and "origin" not in legends
    ko = _page(client, "/products/tisagenlecleucel?lang=ko")
    attributes = {tr.th.text: tr.td.text for tr in ko.select("#attributes tr")}
    assert attributes["세포 유래"] == "자가(본인 세포)"
    categories = [td.text for td in ko.select("section.authorization td")]
    assert "유전자치료제" in categories  # the Korean category, from the jurisdiction file


def test_local_names_first_with_their_lang(client) -> None:
    en = _page(client, "/products/cartistem")
    assert en.h1.text == "Cartistem"
    local = en.select_one(".local-names span[lang=ko]")
    assert local is not None and local.text == "카티스템"
    ko = _page(client, "/products/cartistem?lang=ko")
    assert ko.h1.select_one("span[lang=ko]").text == "카티스템"
    assert "Cartistem" in ko.select_one(".local-names").text
    # Japanese readers see the brand first (there is no Japanese name), the Korean one marked
    ja = _page(client, "/products/cartistem?lang=ja")
    assert ja.h1.text == "Cartistem"
    assert ja.select_one(".local-names span[lang=ko]").text == "카티스템"
    # a Korean alias is marked Korean wherever it is shown
    aliases = ja.select(".aliases span")
    assert aliases and all(s["lang"] == "ko" for s in aliases)
    # curated English free text is marked as English on a Japanese page
    assert ja.select(".indications span[lang=en]")


def test_cache_and_etag_vary_by_language_and_encoding(client) -> None:
    en = client.get("/products", headers={"accept-language": "en", "accept-encoding": "identity"})
    ja = client.get("/products", headers={"accept-language": "ja", "accept-encoding": "identity"})
    assert en.status_code == ja.status_code == 200
    assert "製品" in ja.text and "製品" not in en.text
    assert en.headers["etag"] != ja.headers["etag"]
    for r in (en, ja):
        assert r.headers["vary"] == "Accept-Language, Accept-Encoding"
        assert "content-encoding" not in r.headers
    # the English ETag does not validate the Japanese page, and each validates itself
    h = {"accept-language": "ja", "accept-encoding": "identity"}
    stale = client.get("/products", headers={**h, "if-none-match": en.headers["etag"]})
    assert stale.status_code == 200
    again = client.get("/products", headers={**h, "if-none-match": ja.headers["etag"]})
    assert again.status_code == 304 and again.headers["vary"]
    # gzip: its own ETag, the same page once decoded
    zipped = client.get(
        "/products",
        headers={"accept-language": "ja", "accept-encoding": "gzip"},
    )
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["etag"] not in (en.headers["etag"], ja.headers["etag"])
    assert zipped.text == ja.text
    # the API answers in codes: the same bytes and ETag whatever the language
    api_en = client.get("/api/v1/products", headers={"accept-language": "en"})
    api_ko = client.get("/api/v1/products", headers={"accept-language": "ko"})
    assert api_en.content == api_ko.content and api_en.headers["etag"] == api_ko.headers["etag"]


def test_gzip_body_is_really_compressed(client) -> None:
    # the in-process client decodes .content; read the raw stream
    with client.stream("GET", "/analysis", headers={"accept-encoding": "gzip"}) as r:
        raw = b"".join(r.iter_raw())
    assert r.headers["content-encoding"] == "gzip"
    assert int(r.headers["content-length"]) == len(raw)
    assert gzip.decompress(raw).startswith(b"<!doctype html>")


def test_the_holder_in_the_local_script_first_for_its_readers(client) -> None:
    doc = client.get("/api/v1/products/cartistem").json()
    auth = next(a for a in doc["authorizations"] if a["jurisdiction"] == "KR")
    assert auth.get("holder_local")
    ko = _page(client, "/products/cartistem?lang=ko").select_one("td.holder")
    assert ko.span["lang"] == "ko" and ko.text.startswith(auth["holder_local"])
    en = _page(client, "/products/cartistem").select_one("td.holder")
    assert en.text.startswith(auth["holder"]) and en.span.text == auth["holder_local"]


def test_a_product_page_by_name_redirects_to_its_slug(client) -> None:
    for name in ("카티스템", "Cartistem", "CARTISTEM"):
        r = client.get(f"/products/{name}?lang=ko", follow_redirects=False)
        assert r.status_code == 307, name
        assert r.headers["location"] == "/products/cartistem?lang=ko"
    assert client.get("/products/cartistm").status_code == 404  # still a 404 with suggestions
