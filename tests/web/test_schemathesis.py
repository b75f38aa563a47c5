"""An OpenAPI-driven fuzz run (Schemathesis against the app in process): no request yields a
server error, and every response matches its documented schema, status and media type.

Bounded (a few examples per operation) so the whole run stays short. Every default check runs,
``positive_data_acceptance`` included: the document lists the data's jurisdiction codes and
disease areas as enums (``ctatlas.web.openapi``), so a request it calls valid is answered.
The one exception is documented on the operation: a classifier profile whose attributes
contradict each other (a 422), which JSON Schema generators cannot avoid; such profiles are
filtered out of the generated ones here, by the classifier's own check.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import schemathesis

API = "/api/v1"
OPERATIONS = [
    ("GET", f"{API}/products"),
    ("GET", f"{API}/products/{{slug}}"),
    ("GET", f"{API}/authorizations"),
    ("GET", f"{API}/jurisdictions"),
    ("GET", f"{API}/jurisdictions/{{code}}"),
    ("GET", f"{API}/diseases"),
    ("GET", f"{API}/stats"),
    ("POST", f"{API}/classify"),
    ("GET", f"{API}/export/{{format}}"),
    ("GET", f"{API}/trials"),
    ("GET", f"{API}/trials/{{trial_id}}"),
    ("GET", f"{API}/pipeline"),
    ("GET", f"{API}/conditional"),
    ("GET", f"{API}/designations"),
]


def _not_contradictory(case) -> bool:  # type: ignore[no-untyped-def]
    from ctatlas.classify.base import ProfileError, parse_profile

    try:
        parse_profile(case.body if isinstance(case.body, dict) else {})
    except ProfileError as exc:
        return "contradictory profile" not in str(exc)
    return True


@pytest.fixture(scope="module")
def api_schema(web_store, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The app over the fixture store and a trials store filled from the registry fixtures."""
    from pathlib import Path

    from ctatlas.trials.ingest import ingest
    from ctatlas.trials.store import TrialStore
    from ctatlas.web import create_app

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'trials.sqlite'}"
    trials = TrialStore(url)
    ingest([Path(__file__).resolve().parents[1] / "fixtures" / "trials" / "ctgov_legacy"], trials)
    trials.close()
    app = create_app(store=web_store, trials_db=url, refresh_seconds=0)
    return schemathesis.openapi.from_asgi(f"{API}/openapi.json", app)


def test_every_operation_is_fuzzed(api_schema) -> None:  # type: ignore[no-untyped-def]
    documented = {
        (op.method.upper(), op.path) for op in (r.ok() for r in api_schema.get_all_operations())
    }
    assert documented == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_conforms(api_schema, method: str, path: str) -> None:  # type: ignore[no-untyped-def]
    operation = api_schema[path][method]
    strategy = operation.as_strategy()
    if path.endswith("/classify"):
        strategy = strategy.filter(_not_contradictory)

    @given(case=strategy)
    @settings(
        max_examples=10 if method == "GET" and "export" in path else 20,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        case.call_and_validate()

    run()
