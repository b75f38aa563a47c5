"""Static assets under fingerprinted names (immutable for a year; the plain names still answered,
an outdated fingerprint redirected), the favicon (SVG, and ICO at /favicon.ico), and ``/api``:
every endpoint of the OpenAPI document with a description and an example that answers, as a
page for browsers and JSON otherwise, with its own ETag and Vary. On SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import re
import struct
from pathlib import Path

from bs4 import BeautifulSoup

from ctatlas.web.assets import IMMUTABLE, Assets, package_assets

STATIC = Path(__file__).resolve().parents[2] / "src" / "ctatlas" / "web" / "static"
FINGERPRINTED = re.compile(r"^/static/(.+)\.([0-9a-f]{12})(\.[a-z]+)$")


def _assets_of(html: str) -> list[str]:
    page = BeautifulSoup(html, "html.parser")
    urls = [s["src"] for s in page.find_all("script", src=True)]
    links = page.find_all("link", href=True)
    urls += [link["href"] for link in links if "alternate" not in link["rel"]]
    return [u for u in urls if u.startswith("/static/")]


def test_pages_link_assets_by_content_hash(client) -> None:  # type: ignore[no-untyped-def]
    seen = set()
    for url in ("/", "/analysis", "/products", "/jurisdictions/JP"):
        assets = _assets_of(client.get(url, headers={"accept": "text/html"}).text)
        assert assets, url
        for asset in assets:
            match = FINGERPRINTED.match(asset)
            assert match, asset
            name = match[1] + match[3]
            content = (STATIC / name).read_bytes()
            assert match[2] == hashlib.sha256(content).hexdigest()[:12], asset
            r = client.get(asset)
            assert r.status_code == 200 and r.content == content, asset
            assert r.headers["cache-control"] == IMMUTABLE
            seen.add(name)
    assert {"site.css", "site.js", "favicon.svg", "vendor/vega.min.js"} <= seen
    # the Swagger page's assets too
    docs = client.get("/api/docs").text
    swagger = re.findall(r'(?:href|src)="(/static/[^"]+)"', docs)
    assert swagger and all(FINGERPRINTED.match(u) for u in swagger)
    assert all(client.get(u).status_code == 200 for u in swagger)


def test_old_names_answer_and_outdated_fingerprints_redirect(client) -> None:  # type: ignore[no-untyped-def]
    current = package_assets().url("site.css")
    plain = client.get("/static/site.css")
    assert plain.status_code == 200 and plain.content == (STATIC / "site.css").read_bytes()
    assert plain.headers["cache-control"] == "no-cache" and plain.headers.get("etag")
    again = client.get("/static/site.css", headers={"if-none-match": plain.headers["etag"]})
    assert again.status_code == 304
    old = client.get("/static/site.0123456789ab.css", follow_redirects=False)
    assert old.status_code == 307 and old.headers["location"] == current
    assert old.headers["cache-control"] == "no-cache"
    assert client.get("/static/nothing.0123456789ab.css").status_code == 404
    assert client.get("/static/nothing.css").status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path: Path) -> None:
    (tmp_path / "site.css").write_text("body { color: red }", encoding="utf-8")
    before = Assets(tmp_path).url("site.css")
    (tmp_path / "site.css").write_text("body { color: blue }", encoding="utf-8")
    after = Assets(tmp_path).url("site.css")
    assert before != after and before.startswith("/static/site.") and after.endswith(".css")
    assert Assets(tmp_path).resolve(after.removeprefix("/static/")) == ("site.css", after[13:25])


def test_favicon_svg_and_ico(client) -> None:  # type: ignore[no-untyped-def]
    page = BeautifulSoup(client.get("/", headers={"accept": "text/html"}).text, "html.parser")
    icons = {link["href"]: link for link in page.select("link[rel=icon]")}
    svg = next(h for h in icons if h.endswith(".svg"))
    assert icons[svg]["type"] == "image/svg+xml"
    r = client.get(svg)
    assert r.headers["content-type"] == "image/svg+xml" and b"<svg" in r.content
    assert len(r.content) < 2048
    ico = client.get("/favicon.ico")
    assert ico.status_code == 200 and ico.headers["content-type"] == "image/vnd.microsoft.icon"
    reserved, kind, count = struct.unpack("<HHH", ico.content[:6])
    assert (reserved, kind, count) == (0, 1, 1)  # an icon file holding one image
    width, height = ico.content[6], ico.content[7]
    assert (width, height) == (32, 32) and ico.content[22:30] == b"\x89PNG\r\n\x1a\n"
    assert "/favicon.ico" in icons
    assert "max-age" in ico.headers["cache-control"]


def test_api_index_lists_every_endpoint_with_examples_that_answer(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").json()
    operations = {(m.upper(), p) for p, ops in spec["paths"].items() for m in ops}
    listing = client.get("/api", headers={"accept": "application/json"})
    assert listing.status_code == 200 and listing.headers["content-type"] == "application/json"
    body = listing.json()
    assert {(e["method"], e["path"]) for e in body["data"]} == operations
    assert body["count"] == len(operations) >= 13
    for e in body["data"]:
        assert e["description"] and "\n" not in e["description"] and "``" not in e["description"]
        if e["method"] != "GET" or "{" in e["example"] or e["path"].startswith("/api/v1/trials"):
            continue  # the fixture app has no trials store (503)
        r = client.get(e["example"])
        assert r.status_code == 200, (e["example"], r.status_code)
    examples = {e["path"]: e["example"] for e in body["data"]}
    assert examples["/api/v1/jurisdictions/{code}"] == "/api/v1/jurisdictions/JP"
    assert examples["/api/v1/export/{format}"] == "/api/v1/export/csv"
    # browsers get a page, in the reader's language, the same endpoints in a table
    page = BeautifulSoup(
        client.get("/api?lang=ja", headers={"accept": "text/html"}).text, "html.parser"
    )
    rows = page.select("#endpoints tbody tr")
    assert {(r["data-method"], r["data-path"]) for r in rows} == operations
    assert page.select_one("#endpoints thead th").text == "メソッド"
    links = [a["href"] for a in page.select("#endpoints a.example")]
    assert "/api/v1/products/cartistem" in links and all(h.startswith("/api/v1/") for h in links)
    assert page.select_one("a[href='/api/docs']")
    # the navigation leads here
    assert "/api" in [a["href"] for a in page.select("header nav.main a")]


def test_api_index_etag_and_vary_per_representation(client) -> None:  # type: ignore[no-untyped-def]
    h = {"accept-encoding": "identity"}
    as_json = client.get("/api", headers={**h, "accept": "application/json"})
    as_html = client.get("/api", headers={**h, "accept": "text/html"})
    as_html_ja = client.get("/api", headers={**h, "accept": "text/html", "accept-language": "ja"})
    etags = {r.headers["etag"] for r in (as_json, as_html, as_html_ja)}
    assert len(etags) == 3
    for r in (as_json, as_html):
        assert r.headers["vary"] == "Accept-Language, Accept-Encoding, Accept"
    again = client.get(
        "/api", headers={**h, "accept": "text/html", "if-none-match": as_html.headers["etag"]}
    )
    assert again.status_code == 304
    stale = as_html.headers["etag"]
    json_h = {**h, "accept": "application/json", "if-none-match": stale}
    crossed = client.get("/api", headers=json_h)
    assert crossed.status_code == 200 and crossed.json()["count"]
