"""Search that finds, on the real curated data: whole words and four-letter prefixes, the
abbreviations and synonyms people type, CJK substrings, ranking, on SQLite and PostgreSQL alike;
and ``ctatlas show`` by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctatlas.search import matches, score, search_text

REPO_DATA = Path(__file__).resolve().parents[1] / "data"

DOC = {
    "slug": "example-cel",
    "name": "examplecabtagene autoleucel",
    "aliases": ["EX-19"],
    "codes": ["EXC-001"],
    "developer": "Example Bio",
    "cell_type": "CD19-directed CAR T cells",
    "tissue_source": "peripheral blood",
    "authorizations": [
        {
            "brand_name": "Examplia",
            "local_name": "エグザンプリア点滴静注",
            "holder": "Example Pharma K.K.",
            "holder_local": "エグザンプル製薬株式会社",
            "indications": [
                {"text": "Steroid-refractory acute graft-versus-host disease",
                 "disease_ids": ["g"]},
                {"text": "Relapsed B-cell ALL in children", "disease_ids": []},
            ],
        }
    ],
}
TEXT = search_text(DOC, {"g": ["Acute graft-versus-host disease", "急性移植片対宿主病"]})


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Examplia", True),
        ("exam", True),  # a prefix of four letters
        ("exa", False),  # three letters: whole words only
        ("xamplia", False),  # Latin text is not searched inside words
        ("ALL", True),  # a whole word
        ("CAR T", True),
        ("CAR-T", True),
        ("cart", True),
        ("chimeric antigen receptor", True),  # a synonym: finds the CAR T cells
        ("cabtagene", True),  # an INN stem, found inside examplecabtagene
        ("exam-cel", True),  # INN short form: starts with exam, ends in cel
        ("foo-cel", False),
        ("GvHD", True),
        ("graft versus host", True),
        ("移植片対宿主病", True),
        ("エグザンプリア", True),  # CJK: any part of a name
        ("ンプリ", True),
        ("エグザンプル製薬", True),  # the holder in the local script
        ("ｅｘａｍｐｌｉａ", True),  # full-width: NFKC
        ("leukaemia", False),
        ("haematopoietic", False),
        ("peripheral", True),  # tissue source
        ("MSC", False),
        ("", False),
    ],
)
def test_matching_rules(query: str, found: bool) -> None:
    assert matches(query, TEXT) is found


def test_spellings_and_synonyms_meet() -> None:
    doc = {**DOC, "cell_type": "haematopoietic progenitor cells", "authorizations": [
        {**DOC["authorizations"][0], "indications": [
            {"text": "Acute lymphoblastic leukemia; mesenchymal stromal cells", "disease_ids": []}
        ]}
    ]}
    text = search_text(doc)
    for query in ("hematopoietic", "haematopoietic", "HSC", "leukaemia", "MSC", "ALL"):
        assert matches(query, text), query


def test_an_exact_name_outranks_a_mention() -> None:
    named = score("Examplia", TEXT)
    mentioned = score("Examplia", search_text({**DOC, "slug": "other", "aliases": [],
        "codes": [], "name": "other", "authorizations": [{**DOC["authorizations"][0],
        "brand_name": "Other", "local_name": None, "indications": [
            {"text": "after Examplia failure", "disease_ids": []}]}]}))
    assert named > mentioned > 0


QUERIES = {
    # query: slugs that must be found (first: must rank first)
    "CAR T": ["tisagenlecleucel", "axicabtagene-ciloleucel", "lisocabtagene-maraleucel"],
    "CAR-T": ["tisagenlecleucel", "axicabtagene-ciloleucel"],
    "MSC": ["temcell-hs", "cartistem", "stemirac", "remestemcel-l"],
    "GvHD": ["temcell-hs", "remestemcel-l"],
    "graft versus host": ["temcell-hs", "remestemcel-l"],
    "ALS": ["lenzumestrocel"],
    "tisa-cel": ["tisagenlecleucel"],
    "axi-cel": ["axicabtagene-ciloleucel"],
    "Temcell": ["temcell-hs"],
    "テムセル": ["temcell-hs"],
    "카티스템": ["cartistem"],
    "Kymriah": ["tisagenlecleucel"],
}


def _ranked(url: str) -> dict[str, list[str]]:
    from ctatlas.query import ProductFilter, filter_products
    from ctatlas.search import rank
    from ctatlas.store import ensure_store

    store = ensure_store(url, REPO_DATA)
    texts, products = store.search_texts(), store.products()
    return {
        q: [d["slug"] for d in rank(filter_products(products, ProductFilter(search=q), texts),
                                    q, texts)]
        for q in [*QUERIES, "ALS", "als", "stem cell", "leucel", "移植片対宿主病"]
    }


def test_ranked_search_finds_and_ranks(tmp_path: Path) -> None:
    sqlite = _ranked(f"sqlite:///{tmp_path / 'atlas.sqlite'}")
    for query, wanted in QUERIES.items():
        assert set(wanted) <= set(sqlite[query]), (query, sqlite[query])
    # an exact brand or code ranks first
    for query in ("Temcell", "テムセル", "Kymriah", "카티스템", "tisa-cel"):
        assert sqlite[query][0] == QUERIES[query][0], (query, sqlite[query])
    # ALS is a word, not three letters inside other words
    assert sqlite["ALS"] == sqlite["als"] == ["lenzumestrocel"]
    assert sqlite["移植片対宿主病"] == sqlite["GvHD"] or set(QUERIES["GvHD"]) <= set(
        sqlite["移植片対宿主病"]
    )


def test_ranked_lists_are_the_same_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    assert _ranked(pg_url) == _ranked(f"sqlite:///{tmp_path / 'atlas.sqlite'}")


def test_show_by_name_case_insensitive_slug_and_shared_names(
    runner, data_copy: Path, sqlite_url: str
) -> None:
    from ctatlas.cli import app

    def show(key: str):  # type: ignore[no-untyped-def]
        return runner.invoke(
            app, ["show", key, "-f", "json", "--db", sqlite_url, "--data", str(data_copy)]
        )

    import json

    for key in ("cartistem", "CARTISTEM", "Cartistem", "카티스템", "MACI", "킴리아주", "tisa-cel"):
        result = show(key)
        assert result.exit_code == 0, (key, result.output)
        slug = json.loads(result.stdout)["slug"]
        assert slug == {"MACI": "maci", "킴리아주": "tisagenlecleucel",
                        "tisa-cel": "tisagenlecleucel"}.get(key, "cartistem")
    shared = show("novartis")  # the holder of two products: both listed, usage error
    assert shared.exit_code == 2
    assert "tisagenlecleucel" in shared.stderr and "onasemnogene-abeparvovec" in shared.stderr
    assert "Zolgensma" in shared.stderr or "ZOLGENSMA" in shared.stderr.upper()
    missing = show("kartistem")
    assert missing.exit_code == 3
    assert "Did you mean: Cartistem (cartistem)" in missing.stderr
