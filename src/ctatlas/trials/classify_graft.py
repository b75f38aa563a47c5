"""A donor graft and the cells given after it (rules 16.23, written against half B of held-out
set 4's errors, spent in session 14 after its final figure at rules 16.22; ``benchmarks/
TRIALS.md`` (z8)).

One concern: telling the transplant's own graft from cells given as a product of their own
around a transplant:

- :func:`manipulated_graft`: a listed donor stem cell product that is only selected or depleted
  ("CD34+ enriched, T Cell Depleted donor stem cell product", a CliniMACS graft) is the
  transplant's graft, a standard manipulated graft: the mention is not a cell product (an
  engineered graft named as a product, Orca-T, is one: :mod:`ctatlas.trials.rules_names`);
- :func:`adback_given`: cells the title names as given back after the transplant ("Natural
  Killer (NK) Cell Adback After Allogeneic Stem Cell Transplant") and a listed intervention
  that names the same cells, whatever its registry type ("Adback NK or T Cell", a PROCEDURE):
  the cells are what the study gives, and the wording model may not take the study away
  (:func:`ctatlas.trials.wording_rule.kept_by_rules`).
"""

from __future__ import annotations

import re

from .classify_text import _masked
from .record import Trial
from .rules import FAMILY_ORDER, FAMILY_RE

__all__ = ["adback_given", "manipulated_graft"]

# a donor stem cell product named by what was selected or taken out of it, nothing engineered,
# expanded or grown: "CD34+ enriched, T Cell Depleted donor stem cell product"
_MANIPULATED = re.compile(
    r"\b(?:cd34\+?[- ]?(?:enriched|selected)|(?:alpha[/ ]?beta |αβ[- ]?)?t[- ]cells?[- ]"
    r"deplet(?:ed|ion))\b[^.;]{0,40}?\b(?:donor )?(?:stem|progenitor) cells? (?:products?|"
    r"grafts?)\b",
    re.I,
)
_MADE = re.compile(r"\b(?:engineered|expanded|cultured|modified|transduced|activated)\b", re.I)


def manipulated_graft(name: str) -> bool:
    """Whether a listed intervention's ``name`` is a donor stem cell product only selected or
    depleted (a standard manipulated graft: the transplant), not one engineered or grown."""
    return bool(_MANIPULATED.search(name)) and not _MADE.search(name)


# cells given back after the transplant: "NK Cell Adback After Allogeneic Stem Cell Transplant",
# "Donor T-cell Add-back after ...", "NK cell infusion following haploidentical transplant"
_ADBACK = re.compile(
    r"\b(?:ad+[- ]?backs?|infusions?)\b(?:\W+\w+){0,3}?\W+(?:after|following|post)\b"
    r"(?:\W+[\w-]+){0,5}?\W+(?:transplant\w*|hsct|hct|sct|bmt)\b",
    re.I,
)


def adback_given(trial: Trial, evidence: list[dict]) -> bool:
    """Whether the rules' ``evidence`` names a kind of cell in the title that the title gives
    as an adback, add-back or infusion after a transplant, and a listed intervention of
    ``trial`` names the same kind of cell, whatever its registry type."""
    title = trial.title or ""
    if not _ADBACK.search(title):
        return False
    families = {
        e["rule"][len("cell."):] for e in evidence
        if e["field"] == "title" and e["rule"].startswith("cell.")
    } & set(FAMILY_ORDER) - {"other"}
    if not families:
        return False
    names = [_masked(iv.get("name") or "") for iv in trial.interventions]
    return any(
        FAMILY_RE[f].search(n) or (f in _KIND and _KIND[f].search(n))
        for f in families for n in names
    )


# a kind of cell by its short name, as a listed adback names it ("Adback NK or T Cell")
_KIND = {
    "NK": re.compile(r"\bnk\b|natural killer", re.I),
    "T_cell_other": re.compile(r"\bt[- ]?(?:cells?|lymphocytes?)\b", re.I),
}
