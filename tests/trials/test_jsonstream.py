"""Large JSON files are streamed record by record, in every form, and broken ones are named."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest

import ctatlas.trials.jsonstream as jsonstream
from ctatlas.trials.ctgov import decode_study, normalise_study
from ctatlas.trials.ingest import ingest
from ctatlas.trials.sources import Item, Problem, iter_items

from .conftest import FIX, real_studies


def _records(path: Path, registry: str | None = None) -> list[Item | Problem]:
    return list(iter_items([path], registry))


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonstream, "READ_CHUNK", 777)  # records straddle every read


@pytest.mark.parametrize(
    "shape",
    ["array", "page_key_first", "page_key_last", "gz_array", "bom_array", "pretty_page"],
)
def test_every_envelope_yields_each_record_as_the_bytes_read(tmp_path, small_chunks, shape):
    studies = real_studies()[:7]
    if shape in ("array", "gz_array", "bom_array"):
        text = json.dumps(studies, ensure_ascii=False)
    elif shape == "page_key_first":
        text = json.dumps({"studies": studies, "nextPageToken": "abc"})
    elif shape == "page_key_last":
        text = json.dumps({"totalCount": 7, "meta": {"a": [1, {"b": "]}"}]}, "studies": studies})
    else:
        text = json.dumps({"studies": studies}, indent=2)
    path = tmp_path / ("p.json.gz" if shape == "gz_array" else "p.json")
    data = text.encode()
    if shape == "bom_array":
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(gzip.compress(data) if shape == "gz_array" else data)
    got = _records(path)
    assert [orjson.loads(it.payload) for it in got] == studies
    assert all(it.encoding == "json" and it.name.endswith(f"[{i}]") for i, it in enumerate(got))
    if shape.startswith("page"):
        assert {it.source for it in got} == {"ctgov"}
    # the bytes handed on are the record's own text, as written in the file
    if shape == "pretty_page":
        assert all(it.payload in data for it in got)


def test_data_go_kr_envelopes_list_dict_and_one_item(tmp_path, small_chunks):
    recs = json.loads((FIX / "cris" / "cris_list_api_20260203_subset.json").read_text())[:4]
    header = {"resultCode": "00", "resultMsg": "NORMAL SERVICE."}
    forms = {
        "items_item_list": {"response": {"header": header, "body": {"items": {"item": recs}}}},
        "items_list": {"response": {"body": {"totalCount": 4, "items": recs}}},
        "one_item": {"response": {"header": header, "body": {"items": {"item": recs[0]}}}},
    }
    for name, env in forms.items():
        p = tmp_path / f"{name}.json"
        p.write_text(json.dumps(env, ensure_ascii=False))
        got = _records(p)
        want = recs[:1] if name == "one_item" else recs
        assert [orjson.loads(it.payload) for it in got] == want, name
        assert {it.source for it in got} == {"cris"}


def test_a_file_that_is_one_record_is_one_item(tmp_path):
    study = real_studies()[0]
    p = tmp_path / "one.json"
    p.write_text(json.dumps(study))
    (item,) = _records(p)
    assert item.name == str(p) and orjson.loads(item.payload) == study


def test_too_large_and_invalid_elements_are_skipped_and_the_rest_read(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "MAX_RECORD_BYTES", 20_000)
    monkeypatch.setattr(jsonstream, "READ_CHUNK", 4096)
    small = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}}
    big = {"protocolSection": {"descriptionModule": {"briefSummary": "x" * 60_000}}}
    lone = b'{"protocolSection": {"identificationModule": {"briefTitle": "a\\ud800b"}}}'
    text = b"[" + orjson.dumps(small) + b"," + orjson.dumps(big) + b"," + lone + b","
    text += orjson.dumps(small) + b"]"
    p = tmp_path / "mixed.json"
    p.write_bytes(text)
    got = _records(p)
    kinds = [type(x).__name__ for x in got]
    assert kinds == ["Item", "Problem", "Problem", "Item"]
    assert got[1].name.endswith("[1]") and "too large" in got[1].reason
    assert got[2].name.endswith("[2]") and "invalid JSON" in got[2].reason
    assert got[3].name.endswith("[3]")


@pytest.mark.parametrize(
    ("text", "where", "why"),
    [
        (b'[{"a": 1}, {"b": ', "[1]", "truncated"),
        (b'[{"a": 1}, {"b": 2}', "[2]", "no closing bracket"),
        (b'[{"a": 1} {"b": 2}]', "[1]", "invalid JSON array"),
        (b'{"studies": [{"a": 1}, {"b": x}]}', "[1]", "invalid JSON"),
        (b"   ", "", "empty file"),
        (b"42", "", "neither a study"),
    ],
)
def test_broken_files_end_with_a_named_problem(tmp_path, text, where, why):
    p = tmp_path / "broken.json"
    p.write_bytes(text)
    got = _records(p)
    assert isinstance(got[-1], Problem)
    assert got[-1].name == f"{p}{where}" and why in got[-1].reason
    assert all(isinstance(x, Item) for x in got[:-1])


def test_a_large_page_lands_in_the_store_with_the_bytes_read(tmp_path, store, small_chunks):
    studies = real_studies()
    p = tmp_path / "page.json"
    p.write_text(json.dumps({"studies": studies, "nextPageToken": None}, indent=1))
    summary = ingest([p], store)
    assert summary.records == len(studies) and not summary.problems
    nct = studies[5]["protocolSection"]["identificationModule"]["nctId"]
    raw = store.raw("ctgov", nct)
    assert raw is not None and raw in p.read_bytes() and orjson.loads(raw) == studies[5]


def test_typed_decode_gives_the_trial_of_the_whole_decode():
    for study in real_studies():
        data = orjson.dumps(study)
        assert decode_study(data) == normalise_study(study)
    # a field of another type, or no protocol section: the whole decode decides
    odd = real_studies()[0]
    odd["protocolSection"]["conditionsModule"] = {"conditions": ["A", 3]}
    assert decode_study(orjson.dumps(odd)) is None
    assert decode_study(b'{"resultsSection": {}}') is None
    assert decode_study(b"[1, 2]") is None


def test_a_read_may_end_anywhere_inside_a_record(tmp_path, monkeypatch):
    # numbers, escapes, literals and nesting, cut at every byte by reads of every size
    recs = [
        {"n": 12345.678e-3, "s": "a\u00e9\"\\b\U0001F600", "t": True, "f": None, "l": [1, [2]]},
        {"k": -0.5, "deep": {"x": [{"y": 10**12}]}, "u": "\u3042\u3044"},
    ] * 3
    data = json.dumps({"studies": recs, "nextPageToken": 123456789}).encode()
    p = tmp_path / "page.json"
    p.write_bytes(data)
    for chunk in range(1, 90):
        monkeypatch.setattr(jsonstream, "READ_CHUNK", chunk)
        got = _records(p)
        assert [orjson.loads(it.payload) for it in got] == recs, chunk


def test_a_folder_is_walked_in_path_order_one_directory_at_a_time(tmp_path):
    from ctatlas.trials.sources import files_under

    for rel in ["b/2.json", "b/10.json", "a.json", "a/z.json", "a/b/c.json", "A.json",
                "a-b/x.json", "b.json"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("{}")
    (tmp_path / "empty").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    want = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert list(files_under(tmp_path)) == want


def test_mangled_pages_never_stop_the_reader_with_an_exception(tmp_path, monkeypatch):
    import random

    recs = [{"a": i, "s": 'x"y\\z' * i, "l": [1.5, {"q": None}]} for i in range(6)]
    base = json.dumps({"studies": recs, "nextPageToken": "t"}).encode()
    rng = random.Random(20)
    p = tmp_path / "page.json"
    for _ in range(400):
        b = bytearray(base)
        for _ in range(rng.randint(1, 3)):
            if not b:
                break
            i = rng.randrange(len(b))
            op = rng.random()
            if op < 0.4:
                b[i] = rng.choice(b'{}[],:"\\ax0\xff')
            elif op < 0.7:
                del b[i : i + rng.randint(1, 10)]
            else:
                del b[i:]
        p.write_bytes(bytes(b))
        monkeypatch.setattr(jsonstream, "READ_CHUNK", rng.choice([7, 64, 1 << 20]))
        got = _records(p)  # every way of breaking it ends as items and named problems
        assert all(isinstance(x, (Item, Problem)) for x in got)
