"""``ctatlas classify`` through Typer's runner on the real app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from ctatlas.cli import app

REPO = Path(__file__).resolve().parents[2]
FIXTURE_DATA = REPO / "tests" / "fixtures" / "data"

CAR_T = """\
origin: autologous
genetically_modified: true
manipulation: more_than_minimal
homologous_use: false
combined_with_device_or_drug: false
integral_medical_device: false
stem_cell: false
pluripotent: false
intended_function: disease_treatment
cosmetic_purpose: false
"""


@pytest.fixture
def car_t(tmp_path: Path) -> Path:
    path = tmp_path / "car-t.yaml"
    path.write_text(CAR_T, encoding="utf-8")
    return path


def test_text_output_explains_each_jurisdiction(runner: CliRunner, car_t: Path) -> None:
    result = runner.invoke(app, ["classify", str(car_t)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for code in ("JP", "KR", "US", "EU"):
        assert f"\n{code}  " in out
    # words, not codes: the category and the product class as the law names them
    assert "Regenerative medical product: cell processed product" in out
    assert "Product class: Human somatic cell processed product" in out
    assert "human_somatic_cell_processed" not in out
    assert "[EU-GTMP-PRECEDENCE]" in out
    assert "https://eur-lex.europa.eu/" in out


def test_json_output_shape(runner: CliRunner, car_t: Path) -> None:
    result = runner.invoke(app, ["classify", str(car_t), "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"profile", "decisions"}
    assert doc["profile"]["origin"] == "autologous"
    assert list(doc["decisions"]) == ["JP", "KR", "US", "EU", "TW"]
    jp = doc["decisions"]["JP"]
    assert jp["category"] == "regenerative_medical_product_cell_processed"
    assert jp["asrm_risk_class"] == "I"
    assert {"rules", "pathways", "alternatives", "missing"} <= set(jp)
    assert doc["decisions"]["US"]["hctp_status"] == "hct_p"
    assert doc["decisions"]["KR"]["clinical_research_risk"] == "high"
    rule = jp["rules"][0]
    assert set(rule) == {"id", "text", "citation"}


@pytest.mark.parametrize("args", [["-j", "jp", "-j", "EU"], ["--jurisdiction", "JP,EU"]])
def test_jurisdiction_narrows(runner: CliRunner, car_t: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["classify", str(car_t), "-f", "json", *args])
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)["decisions"]) == ["JP", "EU"]


def test_reads_standard_input(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["classify", "-", "-f", "json", "-j", "US"],
        input='{"origin": "xenogeneic", "manipulation": "more_than_minimal"}',
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decisions"]["US"]["category"] == "biologic_351"


def test_accepts_a_wrapped_regulatory_profile(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("regulatory_profile:\n  origin: none\n  genetically_modified: true\n")
    result = runner.invoke(app, ["classify", str(path), "-f", "json", "-j", "EU"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["decisions"]["EU"]["category"] == "gtmp"


def test_undecided_text_names_what_it_turns_on(runner: CliRunner) -> None:
    result = runner.invoke(app, ["classify", "-", "-j", "US"], input="origin: autologous\n")
    assert result.exit_code == 0, result.output
    assert "US  undecided" in result.stdout
    assert "needs manipulation" in result.stdout


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("origin: autologous\ncolour: red\n", "unknown attribute 'colour'"),
        ("origin: sideways\n", "allowed values: autologous, allogeneic, xenogeneic, none"),
        ("origin: none\nviable_cells: true\n", "contradictory profile"),
        (
            "genetically_modified: false\nprocessing_steps: [genetic_modification]\n",
            "contradictory profile",
        ),
        ("origin: [unclosed\n", "not valid YAML or JSON"),
        ("", "is empty"),
    ],
)
def test_bad_input_exits_2(runner: CliRunner, text: str, needle: str) -> None:
    result = runner.invoke(app, ["classify", "-"], input=text)
    assert result.exit_code == 2, result.output
    assert needle in result.stderr
    assert result.stderr.startswith("Error: ")


def test_unknown_jurisdiction_exits_2(runner: CliRunner, car_t: Path) -> None:
    result = runner.invoke(app, ["classify", str(car_t), "-j", "XX"])
    assert result.exit_code == 2
    assert "allowed values: JP, KR, US, EU" in result.stderr


def test_missing_file_exits_3(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["classify", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 3
    assert "no profile file" in result.stderr


def test_no_profile_and_no_check_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(app, ["classify"])
    assert result.exit_code == 2
    assert "PROFILE_FILE" in result.stderr


def test_profile_and_check_together_exit_2(runner: CliRunner, car_t: Path) -> None:
    result = runner.invoke(app, ["classify", str(car_t), "--check-dataset"])
    assert result.exit_code == 2


# --------------------------------------------------------------------------- --check-dataset


@pytest.fixture
def atlas_data(tmp_path: Path) -> Path:
    """The fixture products with the real jurisdiction files (the rules cite them)."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    shutil.rmtree(target / "jurisdictions")
    shutil.copytree(REPO / "data" / "jurisdictions", target / "jurisdictions")
    return target


def _set_category(root: Path, slug: str, code: str, category: str) -> None:
    yaml = YAML()
    path = root / "products" / f"{slug}.yaml"
    doc = yaml.load(path.read_text(encoding="utf-8"))
    for auth in doc["authorizations"]:
        if auth["jurisdiction"] == code:
            auth["category"] = category
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)


def test_check_dataset_agrees_on_the_fixture_products(runner: CliRunner, atlas_data: Path) -> None:
    result = runner.invoke(app, ["classify", "--check-dataset", "--data", str(atlas_data)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "0 unexplained" in result.stdout


def test_check_dataset_reports_a_disagreement(runner: CliRunner, atlas_data: Path) -> None:
    _set_category(atlas_data, "tisagenlecleucel", "US", "hct_p_361")
    result = runner.invoke(
        app, ["classify", "--check-dataset", "--data", str(atlas_data), "-f", "json"]
    )
    assert result.exit_code == 1, result.output + result.stderr
    report = json.loads(result.stdout)
    assert report["unexplained"] == 1
    [row] = [r for r in report["rows"] if r["outcome"] == "unexplained"]
    assert (row["slug"], row["recorded"], row["predicted"]) == (
        "tisagenlecleucel",
        "hct_p_361",
        "biologic_351",
    )
    assert row["profile_source"] == "derived from product attributes"


def test_check_dataset_counts_an_alternative_reading_as_explained(
    runner: CliRunner, atlas_data: Path
) -> None:
    # MACI is a cell-on-membrane product; a device reading is offered for such combinations.
    yaml = YAML()
    path = atlas_data / "products" / "maci.yaml"
    doc = yaml.load(path.read_text(encoding="utf-8"))
    doc["regulatory_profile"] = {
        "origin": "autologous",
        "manipulation": "more_than_minimal",
        "combined_with_device_or_drug": True,
        "integral_medical_device": True,
        "genetically_modified": False,
        "intended_function": "structural_repair",
    }
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    _set_category(atlas_data, "maci", "US", "device")
    result = runner.invoke(app, ["classify", "--check-dataset", "--data", str(atlas_data)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "explained" in result.stdout and "maci" in result.stdout


def test_profiles_are_derived_from_product_attributes_when_missing() -> None:
    from ctatlas.classify.check import profile_for
    from ctatlas.model import Product

    yaml = YAML(typ="safe")
    doc = yaml.load((FIXTURE_DATA / "products" / "tisagenlecleucel.yaml").read_text("utf-8"))
    doc.pop("regulatory_profile", None)
    derived, source = profile_for(Product.model_validate(doc))
    assert source == "derived from product attributes"
    assert derived.origin.value == "autologous"
    assert derived.genetically_modified is True
    assert derived.stem_cell is False
    assert derived.homologous_use is None  # never guessed
    vector = dict(
        doc,
        modality="gene_therapy",
        cell_class="not_applicable",
        stem_type="not_applicable",
        origin="not_applicable",
    )
    derived, _ = profile_for(Product.model_validate(vector))
    assert derived.origin.value == "none"
    assert derived.viable_cells is False


def test_check_dataset_reads_the_category_note(runner: CliRunner, atlas_data: Path) -> None:
    yaml = YAML()
    path = atlas_data / "products" / "tisagenlecleucel.yaml"
    doc = yaml.load(path.read_text(encoding="utf-8"))
    for auth in doc["authorizations"]:
        if auth["jurisdiction"] == "US":
            auth["category"] = "hct_p_361"
            auth["category_note"] = "a deliberate test disagreement"
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)
    result = runner.invoke(app, ["classify", "--check-dataset", "--data", str(atlas_data)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "category_note: a deliberate test disagreement" in result.stdout
