"""The ``/conditional`` page: through the app on both backends, and in a real headless
Chromium (Debian's) against uvicorn on 127.0.0.1 with every outside request blocked."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.serving import serve_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "web"


def _app(store, tmp_path: Path):  # type: ignore[no-untyped-def]
    from ctatlas.web import create_app

    return create_app(
        store=store, trials_db=f"sqlite:///{tmp_path / 'no-trials.sqlite'}", refresh_seconds=0
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("any_db_url", ["sqlite", "postgres"], indirect=True)
def test_page_in_words_as_of_a_day(conditional_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with TestClient(_app(conditional_store, tmp_path)) as client:
        r = client.get("/conditional", params={"jurisdiction": "JP", "as_of": "2024-01-01"})
        assert r.status_code == 200
        text = _text(r.text)
        assert "as of 2024-01-01" in text
        assert "full approval applied for, pending (2023-05-31)" in text  # Collategene
        assert "90 days left" in text  # Collategene's term '2024-03' to 2024-03-31
        assert "Conditional and time-limited approval" in text
        assert "conditional_time_limited" not in text and "in_term" not in text  # no codes
        assert "Holoclar" not in text  # EU filtered out
        ja = _text(client.get("/conditional", params={"lang": "ja", "as_of": "2026-06-01"}).text)
        assert "期限を" in ja and "日超過" in ja and "本承認申請中" in ja
        assert client.get("/conditional", params={"as_of": "2024-13-01"}).status_code == 422
        # the product page shows the outcome beside the legal status
        product = _text(client.get("/products/stemirac").text)
        assert "Authorized" in product
        assert "full approval applied for, pending (2025-11-14)" in product


# --------------------------------------------------------------------------- browser


def _chromium() -> str:
    reason = ""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        reason = "the playwright Python package is not installed"
    if not reason and not Path("/usr/bin/chromium").exists():
        reason = "Debian's chromium is not installed (apt-get install chromium)"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    return "/usr/bin/chromium"


@pytest.fixture
def base_url(conditional_data: Path, tmp_path: Path) -> Iterator[str]:
    from ctatlas.dataset import load_dataset
    from ctatlas.store import build_store, open_store

    url = f"sqlite:///{tmp_path / 'atlas.sqlite'}"
    build_store(load_dataset(conditional_data), url)
    with serve_app(_app(open_store(url), tmp_path)) as base:
        yield base


@pytest.mark.browser
def test_tracker_in_chromium(base_url: str) -> None:
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        def guard(route: Any) -> None:
            if route.request.url.startswith(base_url):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", guard)
        page.goto(f"{base_url}/conditional?as_of=2023-12-01")
        rows = page.locator("#conditional tbody tr[data-slug]")
        assert rows.count() == 8  # 4 JP, 2 EU, 1 KR, 1 US; Elevidys JP (2025) not yet granted
        heartsheet = page.locator("#conditional tr[data-slug=heartsheet]")
        assert "pending" in heartsheet.locator("td.outcome").inner_text()
        assert "overdue" in heartsheet.locator("td.days").inner_text()
        # choose Japan and a later day in the form: the URL holds both
        page.select_option("#conditional-filters select[name=jurisdiction]", "JP")
        page.fill("#conditional-filters input[name=as_of]", "2026-12-06")
        with page.expect_navigation():
            page.click("#conditional-filters button[type=submit]")
        assert "jurisdiction=JP" in page.url and "as_of=2026-12-06" in page.url
        assert page.locator("#conditional tbody tr[data-slug]").count() == 5
        expired = page.locator("#conditional tr.outcome-expired")
        assert expired.count() == 2
        assert "0%" in page.locator("#conversion").inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "conditional-sqlite.png"), full_page=True)
        # the product page links back with the outcome beside the status
        page.click("#conditional tr[data-slug=stemirac] a")
        assert "full approval applied for, pending" in page.inner_text("body")
        browser.close()
    assert not outside, f"requests left the server: {outside}"
    assert not errors, f"errors in the page: {errors}"
