"""A trial whose label the wording model decided (rules 16.18) says so on its page in plain
words, in English, Japanese and Korean, on SQLite and PostgreSQL: the model's reason is
quoted, and the evidence's rule codes (``wording.to_cell``, ``wording.away``) never show."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from ctatlas.i18n import translations
from ctatlas.web.trialviews import _RULE_WORDS

#: Tuning set 1's monitor rows (real ClinicalTrials.gov export rows, credited in that folder's
#: README): NCT05332054 the model makes a cell therapy, NCT05459571 it takes away.
ROWS = Path(__file__).resolve().parents[1] / "fixtures" / "trials" / "tuning" / (
    "car_t_monitor_rows.csv")


@pytest.fixture(scope="module")
def wclient(web_db_url: str, web_store, tmp_path_factory, empty_trials) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    url = empty_trials.url(web_db_url, tmp_path_factory.mktemp("wordingpages"))
    store = TrialStore(url)
    ingest([ROWS], store)
    store.close()
    app = create_app(store=web_store, trials_db=url, refresh_seconds=0)
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c
    empty_trials.drop(url)


def _evidence(client: Any, path: str) -> tuple[BeautifulSoup, list[str]]:
    r = client.get(path)
    assert r.status_code == 200, r.text[:800]
    page = BeautifulSoup(r.text, "html.parser")
    return page, [li.get_text() for li in page.select("#evidence ul.evidence li")]


@pytest.mark.parametrize(("trial_id", "rule", "reason"), [
    ("NCT05332054", "wording.to_cell", "the study's wording is that of cell-therapy studies"),
    ("NCT05459571", "wording.away", "the study's wording is not that of cell-therapy studies"),
])
@pytest.mark.parametrize("lang", ["en", "ja", "ko"])
def test_the_models_override_reads_in_words(wclient, trial_id, rule, reason, lang) -> None:  # type: ignore[no-untyped-def]
    api = wclient.get(f"/api/v1/trials/{trial_id}").json()
    assert api["evidence"][0]["rule"] == rule  # JSON keeps the code
    page, evidence = _evidence(wclient, f"/trials/{trial_id}?lang={lang}")
    words = translations(lang).gettext(_RULE_WORDS[rule])
    if lang != "en":
        assert words != _RULE_WORDS[rule]  # translated, not the English left as it was
    assert words in evidence[0]
    assert reason in evidence[0]  # the model's reason, quoted
    text = page.select_one("#evidence").get_text()
    assert "wording." not in text and "to_cell" not in text
