"""The wording model as the classifier's last step (rules 16.18, issue #16): the shipped
weights are the judged model's and are found through the package, and C1 overrides the rules
in both directions on real readable records, with its reason in words, and leaves the rest
alone."""

from __future__ import annotations

import fnmatch
import tomllib
from importlib import resources
from pathlib import Path

from ctatlas.trials import wording_rule
from ctatlas.trials.wording import read_model, write_model
from ctatlas.trials.wording_train import load_training, train

from .conftest import FIX

ROOT = Path(__file__).resolve().parents[2]


def test_model_is_found_through_the_package_and_is_the_judged_one():
    ref = resources.files("ctatlas.trials").joinpath(*wording_rule.MODEL_RESOURCE)
    assert ref.is_file()
    m = wording_rule.model()
    assert m.fingerprint == wording_rule.MODEL_FINGERPRINT
    assert m.fingerprint.startswith("aad154b6bfad")
    assert len(m.weights) == 26673
    assert wording_rule.model() is m  # read once per process


def test_package_data_ships_the_model():
    """An installed (not editable) package holds the weights: pyproject's package data
    globs match the file's path inside the package."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["ctatlas"]
    inside = "/".join(("trials", *wording_rule.MODEL_RESOURCE))
    assert (ROOT / "src" / "ctatlas" / inside).is_file()
    assert any(fnmatch.fnmatch(inside, g) for g in globs)


def test_shipped_weights_are_what_training_on_the_readable_sets_writes(tmp_path):
    """Byte for byte: the file is the model the training script gives on the 13 readable sets
    (the judged model), so nobody retrains it quietly."""
    studies = load_training(FIX)
    out = tmp_path / "w.json.gz"
    write_model(train([(t, y) for _, t, y in studies]), out)
    shipped = resources.files("ctatlas.trials").joinpath(*wording_rule.MODEL_RESOURCE)
    assert out.read_bytes() == shipped.read_bytes()
    assert read_model(out).fingerprint == wording_rule.MODEL_FINGERPRINT
