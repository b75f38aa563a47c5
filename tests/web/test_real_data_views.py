"""The shipped data through every computed view: the analysis, the report's charts and the web
app's warm start. Curated records take shapes the small fixtures may not have (an approval known
only by a bound, 'by 2023-11', in Taiwan); the atlas must still start and the report still build
(an undated approval event once stopped `ctatlas serve` at start-up)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

REPO_DATA = Path(__file__).resolve().parents[2] / "data"


def test_the_report_builds_from_the_shipped_data() -> None:
    from ctatlas.analysis import landscape_from_dataset
    from ctatlas.dataset import load_dataset
    from ctatlas.report import build_report

    report = build_report(landscape_from_dataset(load_dataset(REPO_DATA)))
    assert report.analysis.findings and report.charts


def test_an_undated_approval_gives_no_approval_date() -> None:
    from ctatlas.analysis.landscape import approval_date

    auth = {
        "approval_date": None,
        "status_history": [
            {"event": "approved", "date": None, "not_after": "2023-11"},
            {"event": "approved", "date": "2024-02-01"},
        ],
    }
    assert approval_date(auth) == "2024-02-01"
    auth["status_history"].pop()
    assert approval_date(auth) is None


def test_the_atlas_starts_warm_on_the_shipped_data(tmp_path: Path) -> None:
    from ctatlas.store import ensure_store
    from ctatlas.web import create_app

    store = ensure_store(f"sqlite:///{tmp_path / 'atlas.sqlite'}", REPO_DATA)
    app = create_app(store=store, trials_db=f"sqlite:///{tmp_path / 't.sqlite'}", warm=True)
    with TestClient(app) as client:
        for path in ("/", "/products", "/analysis", "/pipeline", "/conditional"):
            assert client.get(path).status_code == 200, path
        # the shipped data's dated designations reach the jurisdiction pages as medians
        medians = []
        for code in ("JP", "US"):
            stats = client.get(f"/api/v1/designations?jurisdiction={code}").json()["stats"]
            page = BeautifulSoup(client.get(f"/jurisdictions/{code}").text, "html.parser")
            shown = {
                tr["data-designation"]: tr.select_one("td.median").text
                for tr in page.select("#designation-outcomes tbody tr")
            }
            for s in stats:
                median = s["median_days_to_approval"]
                assert shown[s["designation"]] == ("—" if median is None else f"{median:,g}")
                medians += [median] if median is not None else []
        assert medians  # SAKIGAKE and RMAT carry dated designations
