"""Round trips: YAML -> model -> YAML is stable, and model -> store -> model is lossless.

Hypothesis varies the free-text and date fields of a real record (any script, any precision).
The number of examples is bounded by the profile in conftest (CI uses the "ci" profile).
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctatlas import yamlio
from ctatlas.canonical import canonical_text
from ctatlas.dataset import Dataset, load_dataset
from ctatlas.model import Product
from ctatlas.store import build_store, open_store

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "data"
REPO_DATA = Path(__file__).resolve().parents[1] / "data"

text = (
    st.text(
        alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def partial_dates(draw: st.DrawFn) -> str:
    day = draw(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2026, 1, 1)))
    return day.isoformat()[: draw(st.sampled_from([4, 7, 10]))]


def _base() -> dict[str, Any]:
    path = FIXTURE_DATA / "products" / "maci.yaml"
    return yamlio.load_text(path.read_text(encoding="utf-8"))


@st.composite
def products(draw: st.DrawFn) -> Product:
    doc = copy.deepcopy(_base())
    doc["name"] = draw(text)
    doc["aliases"] = draw(st.lists(text, max_size=3))
    doc["codes"] = draw(st.lists(text, max_size=2))
    doc["tissue_source"] = draw(st.one_of(st.none(), text))
    if doc["tissue_source"] is None:
        doc["unknown"] = {"tissue_source": draw(text)}
    auth = doc["authorizations"][0]
    auth["brand_name"] = draw(text)
    auth["local_name"] = draw(st.one_of(st.none(), text))
    auth["holder"] = draw(text)
    date = draw(partial_dates())
    auth["approval_date"] = date
    auth["status_history"] = [{"date": date, "event": "approved"}]
    auth["indications"][0]["text"] = draw(text)
    auth["notes"] = draw(st.one_of(st.none(), text))
    return Product.model_validate(doc)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(products())
def test_yaml_model_yaml_round_trip(product: Product) -> None:
    text_1 = canonical_text(product, "product")
    again = Product.model_validate(yamlio.load_text(text_1))
    assert again == product
    assert canonical_text(again, "product") == text_1


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(
    st.lists(products(), min_size=1, max_size=3, unique_by=lambda p: p.authorizations[0].brand_name)
)
def test_model_store_model_round_trip(tmp_path: Path, items: list[Product]) -> None:
    base = load_dataset(FIXTURE_DATA)
    named = [p.model_copy(update={"slug": f"p{i}"}) for i, p in enumerate(items)]
    dataset = Dataset(base.root, named, base.jurisdictions, base.diseases, "h")
    url = f"sqlite:///{tmp_path / 'rt.sqlite'}"
    build_store(dataset, url)
    docs = open_store(url).products()
    assert [Product.model_validate(d) for d in docs] == named


def test_every_curated_file_round_trips_unchanged() -> None:
    """The real dataset: parse, dump canonically, compare with the file (i.e. `fmt --check`)."""
    for path in sorted((REPO_DATA / "products").glob("*.yaml")):
        text_0 = path.read_text(encoding="utf-8")
        product = Product.model_validate(yamlio.load_text(text_0))
        assert canonical_text(product, "product") == text_0, f"{path.name}: run `ctatlas fmt`"
