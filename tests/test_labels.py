"""Every vocabulary value has a label in English, Japanese and Korean (a new code without one
fails here), and the interface's message catalogues translate every string the pages use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ctatlas import labels
from ctatlas.i18n import catalogue_path, negotiate, translations

ROOT = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _complete(entry: tuple[str, str, str], code: str) -> None:
    en, ja, ko = entry
    assert en and ja and ko, code
    # the Japanese and Korean labels are written in those scripts (not the code repeated)
    assert CJK.search(ja) or ja.isupper(), (code, ja)
    assert CJK.search(ko) or ko.isupper(), (code, ko)


@pytest.mark.parametrize("name", sorted(labels.ENUM_VOCABS))
def test_every_enum_member_has_three_labels(name: str) -> None:
    table = labels.VOCABS[name]
    for member in labels.ENUM_VOCABS[name]:
        assert member.value in table, f"{name}.{member.value} has no label"
        _complete(table[member.value], f"{name}.{member.value}")


def test_every_enum_of_the_vocabulary_module_is_labelled() -> None:
    import inspect
    from enum import Enum

    from ctatlas import vocab

    enums = {
        obj
        for _name, obj in inspect.getmembers(vocab, inspect.isclass)
        if issubclass(obj, Enum) and obj.__module__ == vocab.__name__
    }
    missing = enums - set(labels.ENUM_VOCABS.values())
    assert not missing, f"add these to ctatlas.labels: {sorted(e.__name__ for e in missing)}"


def test_every_trial_vocabulary_value_has_three_labels() -> None:
    from ctatlas.trials import record

    for name, values in {
        "trial_label": record.LABELS,
        "trial_phase": record.PHASES,
        "trial_status": record.STATUSES,
        "sponsor_class": record.SPONSOR_CLASSES,
        "cell_family": record.CELL_FAMILIES,
        "trial_origin": record.ORIGINS,
    }.items():
        for value in values:
            assert value in labels.VOCABS[name], f"{name}.{value} has no label"
            _complete(labels.VOCABS[name][value], f"{name}.{value}")


def _jurisdiction_files() -> list[dict]:
    return [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "data/jurisdictions").glob("*"))]


def test_every_jurisdiction_and_category_in_the_data_has_three_labels() -> None:
    for doc in _jurisdiction_files():
        code = doc["code"]
        _complete(labels.JURISDICTION_NAMES[code], code)
        for cat in doc["categories"]:
            assert (code, cat["id"]) in labels.CATEGORY_LABELS, f"{code} category {cat['id']}"
            _complete(labels.CATEGORY_LABELS[(code, cat["id"])], f"{code}.{cat['id']}")
            # the file's own names win in English and in the local language
            assert labels.category_label(code, cat["id"], "en", doc) == cat["label"]
            if cat.get("local_label") and labels.lang_of(code) in ("ja", "ko"):
                local = labels.category_label(code, cat["id"], labels.lang_of(code), doc)
                assert local == cat["local_label"]


def test_the_classifier_categories_and_extras_have_labels() -> None:
    from ctatlas.classify import jp, kr, tw
    from ctatlas.model import RegulatoryProfile

    for code, category in [
        ("JP", jp.CELL_PROCESSED),
        ("JP", jp.GENE_THERAPY),
        ("JP", jp.NOT_RMP),
        ("KR", kr.NOT_A_BIOLOGIC),
        ("TW", tw.NOT_PREPARATION),
    ]:
        _complete(labels.CATEGORY_LABELS[(code, category)], category)
    for field in RegulatoryProfile.model_fields:
        assert field in labels.FIELDS, f"profile field {field} has no label"
        _complete(labels.FIELDS[field], field)
    for key, vocabulary in labels.EXTRA_VOCABS.items():
        _complete(labels.FIELDS[key], key)
        assert labels.VOCABS[vocabulary]
    # every extra a decision can carry has a label (a full profile reaches every classifier)
    from ctatlas.classify import classify
    from ctatlas.model import RegulatoryProfile

    profile = RegulatoryProfile(origin="autologous", manipulation="more_than_minimal")
    for decision in classify(profile).decisions.values():
        for key in decision.extra:
            assert key in labels.EXTRA_VOCABS, f"classifier extra {key!r} has no label"


def test_labels_in_use() -> None:
    assert labels.label("origin", "autologous", "ko") == "자가(본인 세포)"
    assert labels.label("manipulation", "more_than_minimal", "en") == (
        "More than minimal manipulation"
    )
    assert labels.label("status", None, "ja") == "不明"
    assert labels.label("modality", "a_new_code") == "a new code"  # never an error on a page
    assert labels.category_label("US", "biologic_351", "ja").startswith("351条生物製剤")
    assert labels.jurisdiction_name("KR", "ja") == "韓国"
    assert labels.lang_of("TW") == "zh-Hant" and labels.lang_of("US") is None
    assert labels.script_lang("동종제대혈유래중간엽줄기세포") == "ko"
    assert labels.script_lang("テムセルHS注") == "ja"
    assert labels.script_lang("治疗用生物制品") == "zh"
    assert labels.script_lang("Kymriah") is None


@pytest.mark.parametrize(
    ("query", "header", "expected"),
    [
        ("ja", "ko", "ja"),
        ("KO", None, "ko"),
        (None, "ko-KR,ko;q=0.9,en-US;q=0.8", "ko"),
        (None, "fr-FR, de;q=0.9, ja;q=0.3", "ja"),
        (None, "ja;q=0, en;q=0.5", "en"),
        ("xx", "ja", "ja"),
        (None, None, "en"),
        (None, "*", "en"),
        (None, "ja;q=abc, ko;q=0.2", "ko"),
    ],
)
def test_language_negotiation(query: str | None, header: str | None, expected: str) -> None:
    assert negotiate(query, header) == expected


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    from babel.messages.pofile import read_po

    with catalogue_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def _template_messages() -> set[str]:
    from babel.messages.extract import extract_from_dir

    folder = ROOT / "src/ctatlas/web/templates"
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(folder), method_map=[("**.html", "jinja2")]
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("lang", ["ja", "ko"])
def test_catalogue_translates_every_template_string(lang: str) -> None:
    catalog = _catalogue(lang)
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    missing = _template_messages() - ids
    assert not missing, f"run scripts/i18n and translate: {sorted(missing)}"
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{lang}: no translation for {message.id!r}"
        assert "fuzzy" not in message.flags, message.id
        source = message.id if isinstance(message.id, str) else message.id[0]
        wanted = sorted(re.findall(r"%\(\w+\)[sd]", source))
        for text in strings:
            assert sorted(re.findall(r"%\(\w+\)[sd]", text)) == wanted, (lang, message.id)


def test_catalogues_compile_and_translate() -> None:
    assert translations("ja").gettext("Products") == "製品"
    assert translations("ko").gettext("Products") == "제품"
    assert translations("en").gettext("Products") == "Products"
    assert translations("ko").ngettext("%(num)d product", "%(num)d products", 3) == "제품 %(num)d개"


def test_analysis_cells_computed_words_become_labels() -> None:
    """Cells the analysis tables write themselves read as words in each language: a status
    with its conditional term, the pipeline's English labels, a missing value, a row of its
    own, and per-jurisdiction lists named, not coded."""
    cell = labels.cell_label
    assert cell("status", "authorized (conditional until 2031-07)") == (
        "Authorized (conditional until 2031-07)"
    )
    assert "2031-07" in cell("status", "authorized (conditional until 2031-07)", "ja")
    assert "authorized" not in cell("status", "authorized (conditional until 2031-07)", "ko")
    assert cell("stage", "Phase 1/2", "ja") == "第1/2相"
    assert cell("cell_family", "CAR-T cells", "ko") == "CAR-T 세포"
    assert cell("program_status", "Unknown", "ja") == "不明"
    assert cell("stage", "not a label", "ja") == "not a label"  # unknown: as it is
    assert cell("obligation", "not recorded", "ko") == "기록 없음"
    assert cell("from", "first anywhere", "en") == "first anywhere"
    assert CJK.search(cell("from", "first anywhere", "ja"))
    assert cell("jurisdictions", "JP, KR", "ja") == "日本, 韓国"
    assert cell("products", "JP: TEMCELL HS Inj.; US: RYONCIL", "ko") == (
        "일본: TEMCELL HS Inj.; 미국: RYONCIL"
    )
    assert cell("classes", "none", "ja") == "なし"
