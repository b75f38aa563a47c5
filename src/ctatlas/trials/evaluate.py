"""Precision and recall of the ``cell_therapy`` label on a labelled set.

Two labelled sets, both real records in the layout of ``tests/fixtures/trials``:

- the development set, ``labelled_trials.csv`` beside the records it names (the rules were
  written against it): :func:`evaluate`;
- the held-out set, ``heldout/heldout_labels.csv`` beside its records (no rule was written
  against it), split into half ``A`` (rules are tuned on it) and half ``B`` (read only through
  these totals): :func:`evaluate_heldout`;
- the tuning set, ``tuning/tuning_labels.csv`` beside its records in the held-out set's
  layout (more real studies of the hard classes, labelled before the rules were tuned on
  them together with half A): :func:`evaluate_tuning`; a second one, ``tuning2/`` (CAR-T
  monitor rows rich in code-only products and studies around a CAR-T); and a third one,
  ``tuning3/`` (the held-out set's three sources, weighted like its population, and two more
  legacy CSV exports holding the hard classes those sources no longer have); and a fourth,
  ``tuning4/`` (drawn after held-out set 2 from the export its part 1 came from, labelled in
  parts ``tuning4_labels_a.csv``, ``tuning4_labels_b.csv`` … and read like held-out set 2);
  and a fifth, ``tuning5/`` (drawn after held-out set 3 from the current CSV exports it came
  from, read like ``tuning4/``, refusing any study of held-out set 3 by its records' ids); and a
  sixth, ``tuning6/`` (studies of held-out set 3's population in the other record forms, in
  parts ``a`` and ``b``, read and kept apart from held-out set 3 like ``tuning5/``);
- held-out set 2, ``heldout2/``: a new held-out set (half B of the first was read after its
  final figure, so it is spent), in parts with one label file each (``labels_part1.csv``,
  ``labels_part2.csv`` …), judged whole: :func:`load_heldout2`, :func:`evaluate_heldout2`;
- held-out set 3, ``judge3/``: drawn after held-out set 2 was judged and spent, largely from
  ClinicalTrials.gov's current website CSV export, labelled in ``gold_part*.csv`` files (named
  out of the reach of globs over the other sets' ``labels*`` files), judged whole at rules
  16.13 and split since (session 11) into half ``A`` (rules are tuned on it) and half ``B``
  (read only through its totals) by :func:`heldout3_half`: :func:`load_heldout3`,
  :func:`evaluate_heldout3`;
- held-out set 4, ``judge4/``: drawn in session 12 after held-out set 3 was spent, judged whole
  at rules 16.16 and split since (session 12) the same way, by trial id alone, into half ``A``
  (tuned on) and half ``B`` (read only through its totals): :func:`load_heldout4`,
  :func:`evaluate_heldout4`;
- held-out set 5, ``judge5/``: drawn in session 13 (no rule and no model was written against
  it), read whole in the same layout, refusing any study of an earlier set, held-out set 4
  included (by its record files' ids): :func:`load_heldout5`, :func:`evaluate_heldout5`;
- held-out set 6, ``judge6/``: drawn in session 13 before held-out set 5's errors were read,
  read whole like set 5, refusing any study of an earlier set, held-out set 5 included (by its
  record files' ids): :func:`load_heldout6`, :func:`evaluate_heldout6`;
- held-out set 7, ``judge7/``: drawn in session 14 after held-out set 6's errors were read,
  read whole like sets 5 and 6, refusing any study of an earlier set, held-out sets 4-6
  included (by their record files' ids): :func:`load_heldout7`, :func:`evaluate_heldout7`;
  judged rules 16.19 to 16.23 and spent in session 15 after its final figure (its errors read
  for rules 16.24);
- held-out set 8, ``judge8/``: drawn in session 15 after held-out set 7's errors were read,
  read whole like sets 5-7, refusing any study of an earlier set, held-out sets 4-7 included
  (by their record files' ids): :func:`load_heldout8`, :func:`evaluate_heldout8`.
  The loaders of sets 4-8 are one function over the list of judged sets (:data:`JUDGED_SETS`).

Used by the tests that hold the figures and by ``benchmarks/trials_accuracy.py``, which prints
them.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from .atlas_terms import CellTerms
from .classify import apply
from .ctgov import (
    normalise_csv_export_row,
    normalise_flat_row,
    normalise_legacy_row,
    normalise_study,
)
from .record import Trial
from .registries import normalise_cris, normalise_ictrp
from .sources import Item, Problem, iter_items

__all__ = [
    "Evaluation",
    "evaluate",
    "evaluate_heldout",
    "evaluate_heldout2",
    "evaluate_heldout3",
    "evaluate_tuning",
    "heldout3_half",
    "load_fixture_trials",
    "load_heldout",
    "load_heldout2",
    "load_heldout3",
    "load_tuning",
]


def load_fixture_trials(folder: Path) -> dict[tuple[str, str], Trial]:
    """Every fixture record as a Trial, keyed by (labelled-set source, trial id)."""
    out: dict[tuple[str, str], Trial] = {}
    for f in sorted((folder / "ctgov").glob("*.json")):
        t = normalise_study(json.loads(f.read_text()))
        out[("ctgov_json", t.trial_id)] = t
    for s in json.loads((folder / "ctgov_export" / "ctg-studies_10.json").read_text()):
        t = normalise_study(s)
        out[("ctgov_json", t.trial_id)] = t
    with gzip.open(folder / "ctgov_export" / "ctg-studies_50_rest.jsonl.gz", "rt") as fh:
        for line in fh:
            t = normalise_study(json.loads(line))
            out[("ctgov_json", t.trial_id)] = t
    for f in sorted((folder / "ctgov_legacy").glob("*.csv")):
        for row in csv.DictReader(io.StringIO(f.read_text(encoding="utf-8-sig"))):
            t = normalise_legacy_row(row)
            out[("ctgov_legacy_csv", t.trial_id)] = t
    with open(folder / "ctgov_flat" / "car_t_trials_labelled_subset.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            t = normalise_flat_row(row)
            out[("ctgov_flat_csv", t.trial_id)] = t
    for rec in json.loads((folder / "cris" / "cris_list_api_20260203_subset.json").read_text()):
        t = normalise_cris(rec)
        out[("cris_json", t.trial_id)] = t
    with open(
        folder / "ictrp" / "ictrp_main_sample_processed.csv", newline="", encoding="utf-8-sig"
    ) as fh:
        for row in csv.DictReader(fh):
            t = normalise_ictrp(row)
            raw = row.get("TrialID", "")
            out[("ictrp_csv", raw)] = t
    return out


@dataclass
class Evaluation:
    n: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    label_agreement: int = 0
    family_checked: int = 0
    family_agreement: int = 0
    origin_checked: int = 0
    origin_agreement: int = 0
    #: true positives whose origin the atlas supplied (a therapy named among the
    #: interventions) where the record itself does not say, and how many of those the label
    #: (which reads the record only) calls unknown
    origin_from_atlas: int = 0
    origin_from_atlas_gold_unknown: int = 0
    false_positives: list[tuple[str, str, list[dict[str, str]]]] = field(default_factory=list)
    false_negatives: list[tuple[str, str]] = field(default_factory=list)
    other_disagreements: list[tuple[str, str, str]] = field(default_factory=list)

    def score(self, trial_id: str, row: dict[str, str], t: Trial) -> None:
        """Count one labelled trial (``row``: gold_label, gold_family, gold_origin) after
        :func:`apply` has labelled ``t``."""
        self.n += 1
        gold = row["gold_label"]
        pred = t.label
        if gold == pred:
            self.label_agreement += 1
        elif gold != "cell_therapy" and pred != "cell_therapy":
            self.other_disagreements.append((trial_id, gold, pred))
        if gold == "cell_therapy" and pred == "cell_therapy":
            self.tp += 1
            if row["gold_family"]:
                self.family_checked += 1
                self.family_agreement += row["gold_family"] == t.cell_family
            if row["gold_origin"]:
                self.origin_checked += 1
                self.origin_agreement += row["gold_origin"] == t.origin
            if any(
                e["rule"].startswith("origin.") and e["field"] != "record" for e in t.evidence
            ):
                self.origin_from_atlas += 1
                self.origin_from_atlas_gold_unknown += row["gold_origin"] == "unknown"
        elif pred == "cell_therapy":
            self.fp += 1
            self.false_positives.append((trial_id, t.title, t.evidence))
        elif gold == "cell_therapy":
            self.fn += 1
            self.false_negatives.append((trial_id, t.title))
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def evaluate(folder: Path, terms: CellTerms | None = None) -> Evaluation:
    """The development set: ``labelled_trials.csv`` and the records beside it, classified
    with the atlas's ``terms`` (:func:`~ctatlas.trials.atlas_terms.cell_terms`) or without."""
    trials = load_fixture_trials(folder)
    ev = Evaluation()
    with open(folder / "labelled_trials.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            t = trials.get((row["source"], row["trial_id"]))
            if t is None:
                raise KeyError(f"labelled trial {row['trial_id']} ({row['source']}) has no record")
            apply(t, terms)
            ev.score(row["trial_id"], row, t)
    return ev


# the held-out set's record files, by the form their rows are in
_HELDOUT_FILES = {
    "ctgov_legacy_csv": ("ctgov_legacy_mesenchymal_rows.csv", normalise_legacy_row),
    "ctgov_flat_csv": ("car_t_monitor_rows.csv", normalise_flat_row),
    "ictrp_csv": ("ictrp_covid_rows.csv", normalise_ictrp),
}


def _load_labelled(
    folder: Path, labels: str, half: str | None = None
) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of ``folder/labels`` whose records lie
    beside it in the held-out set's files (those present), or those of one ``half``."""
    with open(folder / labels, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if half is None or r.get("half") == half]
    wanted = {(r["form"], r["trial_id"]) for r in rows}
    records: dict[tuple[str, str], Trial] = {}
    for form, (name, normalise) in _HELDOUT_FILES.items():
        if not (folder / name).exists():
            continue
        with open(folder / name, newline="", encoding="utf-8") as fh:
            for raw in csv.DictReader(fh):
                t = normalise(raw)
                if (form, t.trial_id) in wanted:
                    records[(form, t.trial_id)] = t
    out = []
    for r in rows:
        t = records.get((r["form"], r["trial_id"]))
        if t is None:
            raise KeyError(f"{labels}: trial {r['trial_id']} ({r['form']}) has no record")
        out.append((r, t))
    return out


def load_heldout(folder: Path, half: str | None = None) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every held-out study, or those of one ``half``."""
    return _load_labelled(folder / "heldout", "heldout_labels.csv", half)


# the tuning sets drawn before held-out set 2, each with one ``<name>_labels.csv`` beside the
# held-out set's record files; and those drawn after it, labelled in parts (one label file per
# labeller, ``<name>_labels*.csv``) with their records found like held-out set 2's
_EARLIER_TUNING = ("tuning", "tuning2", "tuning3")
_PARTED_TUNING = ("tuning4", "tuning5", "tuning6")
TUNING_SETS = _EARLIER_TUNING + _PARTED_TUNING


def load_tuning(folder: Path, name: str = "tuning") -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of a tuning set (``folder/<name>``:
    one of :data:`TUNING_SETS`).

    A set drawn after held-out set 2 (``tuning4``) is read from every ``<name>_labels*.csv`` of
    its folder, each row's record found by form and id among the folder's record files, and
    refused (``ValueError`` naming the file, the line and the reason) as held-out set 2 is by
    :func:`load_heldout2`; its studies must be in none of the development set, the first
    held-out set, the earlier tuning sets and held-out set 2 (ids compared only). A set
    drawn after held-out set 3 (``tuning5``, ``tuning6``) is read the same way; its studies
    must be in none of those sets (held-out set 2, spent, counts as an earlier set; so do the
    parted sets drawn before it) nor in held-out set 3, whose record files' ids only are
    compared (its gold files are never read)."""
    if name not in TUNING_SETS:
        raise ValueError(f"tuning set must be one of {TUNING_SETS}, not {name!r}")
    if name == "tuning4":
        return _load_parts(
            folder / name, f"{name}_labels", _earlier_ids(folder),
            _heldout2_ids(folder), "held-out set 2 (the judged set)",
        )
    if name in _PARTED_TUNING:
        # drawn after held-out set 3 was judged: held-out set 2 is spent (its ids may be read
        # as earlier ones), the parted sets before it are earlier, and held-out set 3 is the
        # judged set, compared by its record files' ids only (its gold files are never read)
        earlier = _earlier_ids(folder) | _heldout2_ids(folder)
        for before in _PARTED_TUNING[: _PARTED_TUNING.index(name)]:
            earlier |= _ids(t for _, t in load_tuning(folder, before))
        return _load_parts(
            folder / name, f"{name}_labels", earlier,
            _heldout3_ids(folder), "held-out set 3 (the judged set)",
        )
    return _load_labelled(folder / name, f"{name}_labels.csv")


def evaluate_tuning(
    folder: Path, terms: CellTerms | None = None, name: str = "tuning"
) -> Evaluation:
    """A tuning set (``folder/<name>``), with the atlas's ``terms`` or without."""
    ev = Evaluation()
    for row, t in load_tuning(folder, name):
        apply(t, terms)
        ev.score(row["trial_id"], row, t)
    return ev


def evaluate_heldout(
    folder: Path, half: str | None = None, terms: CellTerms | None = None
) -> Evaluation:
    """The held-out set (``folder/heldout``), whole or one half (``"A"`` or ``"B"``), with the
    atlas's ``terms`` or without."""
    if half not in (None, "A", "B"):
        raise ValueError(f"half must be 'A' or 'B', not {half!r}")
    ev = Evaluation()
    for row, t in load_heldout(folder, half):
        apply(t, terms)
        ev.score(row["trial_id"], row, t)
    return ev


# held-out set 2 and the tuning sets drawn after it: their record files lie beside their label
# files; each row's record is found by its form and trial id among the files of that form
# (``source_file`` names the upstream export, as in the earlier sets; when it names a file of the
# folder, the record must be there)
_HELDOUT2_FORMS = {
    "ctgov_export_csv": normalise_csv_export_row,
    "ctgov_legacy_csv": normalise_legacy_row,
    "ctgov_flat_csv": normalise_flat_row,
    "ictrp_csv": normalise_ictrp,
    "ctgov_json": normalise_study,
    "cris_json": normalise_cris,
}
_RECORD_SUFFIXES = (".csv", ".json", ".jsonl", ".json.gz", ".jsonl.gz")
_LABEL_COLUMNS = (
    "trial_id", "form", "source_file", "gold_label", "gold_family", "gold_origin",
    "hard_class", "note",
)


def _form(name: str, item: Item) -> tuple[str, dict]:
    """(form, raw record) of one record :func:`~ctatlas.trials.sources.iter_items` read: a CSV
    row by its registry and columns (``Study Title``: the current website export; ``NCT
    Number``: legacy; otherwise flattened), a JSON record by its fields (``protocolSection``:
    API v2; ``trial_id``: CRIS)."""
    if item.encoding == "row":
        if item.source == "ictrp":
            return "ictrp_csv", item.payload
        if "Study Title" in item.payload:
            return "ctgov_export_csv", item.payload
        legacy = "NCT Number" in item.payload
        return ("ctgov_legacy_csv" if legacy else "ctgov_flat_csv"), item.payload
    raw = orjson.loads(item.payload) if item.encoding == "json" else item.payload
    if isinstance(raw, dict) and "protocolSection" in raw:
        return "ctgov_json", raw
    if isinstance(raw, dict) and "trial_id" in raw:
        return "cris_json", raw
    raise ValueError(f"{name}: JSON records neither of API v2 nor of CRIS")


def _record_files(base: Path, labels: str = "labels_part") -> Iterator[tuple[str, str, dict]]:
    """(file name, form, raw record) for every record of a held-out set 2 folder (or of a
    tuning set labelled in parts), read as the ingest reads its files
    (:func:`~ctatlas.trials.sources.iter_items`: CSV by its header, JSON arrays, API v2 pages,
    single studies and JSON lines, gzipped or not); the label files (names starting with
    ``labels``) and files of other kinds (the README) are passed over."""
    for path in sorted(base.iterdir()):
        name = path.name
        if name.startswith(labels) or not name.endswith(_RECORD_SUFFIXES):
            continue
        if not path.is_file():
            continue
        read = 0
        for item in iter_items([path]):
            if isinstance(item, Problem):
                if name.endswith(".csv") and not read:
                    raise ValueError(
                        f"{name}: a CSV file whose header is no record form ({item.reason})"
                    )
                raise ValueError(f"{name}: {item.reason}")
            read += 1
            yield (name, *_form(name, item))


def _earlier_ids(folder: Path) -> set[str]:
    """Every trial id and secondary id of the development set and of every earlier labelled
    set (the first held-out set and the tuning sets)."""
    trials = list(load_fixture_trials(folder).values())
    trials += [t for _, t in load_heldout(folder)]
    for name in _EARLIER_TUNING:
        trials += [t for _, t in load_tuning(folder, name)]
    return _ids(trials)


def _ids(trials: Iterable[Trial]) -> set[str]:
    """Every trial id and secondary id of ``trials``."""
    ids: set[str] = set()
    for t in trials:
        ids.add(t.trial_id)
        ids.update(t.secondary_ids or [])
    return ids


def _record_ids(base: Path, labels: str) -> set[str]:
    """Every trial id and secondary id of the record files of a labelled set's folder ``base``
    (none when it does not exist): ids only, its ``<labels>*`` files never read, so that a later
    set can be kept apart from a judged one without reading its labels."""
    if not base.is_dir():
        return set()
    return _ids(_HELDOUT2_FORMS[form](raw) for _, form, raw in _record_files(base, labels))


def load_heldout2(folder: Path, name: str = "heldout2") -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of held-out set 2 (``folder/<name>``):
    the rows of every ``labels_part*.csv`` there, each with its record, found by its ``form``
    and ``trial_id`` among the set's record files of that form (:func:`_record_files`).

    Raises ``ValueError`` (naming the file, the line or field and the reason) on a label file
    without the set's columns, an unknown form, a study labelled twice (within a part or across
    parts), a study with no record or with records in two files, a record file of no known
    form, or a study (or one of its secondary ids) that is in the development set or an
    earlier labelled set (``heldout``, the tuning sets drawn before it)."""
    return _load_parts(folder / name, "labels_part", _earlier_ids(folder))


def _heldout2_ids(folder: Path) -> set[str]:
    """Every trial id and secondary id of held-out set 2's record files (:func:`_record_ids`)."""
    return _record_ids(folder / "heldout2", "labels_part")


def _load_parts(
    base: Path, labels: str, earlier: set[str], judged: set[str] | None = None,
    judged_name: str = "", half: str | None = None,
) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every row of the ``<labels>*.csv`` files of ``base``,
    each with its record among the folder's record files; refused as :func:`load_heldout2`
    says, and a study whose id or a secondary id is in ``earlier`` (the development set and
    the sets labelled before) or in ``judged`` (``judged_name``: a judged set that must stay
    unread, whose ids only are compared; a refusal names only the study's own ids).

    ``half`` (``"A"`` or ``"B"``): only the rows of that half (:func:`heldout3_half`), chosen
    by the trial id as each line is read, before any of its other fields is kept, so that the
    other half's labels never reach the caller nor stay in memory."""
    parts = sorted(base.glob(f"{labels}*.csv"))
    if not parts:
        raise ValueError(f"{base}: no {labels}*.csv file")
    rows: list[tuple[str, dict[str, str]]] = []
    seen: dict[str, str] = {}
    for part in parts:
        with open(part, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in _LABEL_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{part.name}: missing column(s) {', '.join(missing)}")
            for line, r in enumerate(reader, start=2):
                where = f"{part.name} line {line}"
                tid = r["trial_id"].strip()
                if r["form"] not in _HELDOUT2_FORMS:
                    raise ValueError(
                        f"{where}: form {r['form']!r} is not one of {sorted(_HELDOUT2_FORMS)}"
                    )
                if tid in seen:
                    raise ValueError(
                        f"{where}: trial_id {tid} is labelled twice (also in {seen[tid]})"
                    )
                seen[tid] = where
                if half is not None and heldout3_half(tid) != half:
                    continue
                rows.append((where, r))
    records: dict[tuple[str, str], tuple[str, Trial]] = {}
    for file, form, raw in _record_files(base, labels):
        t = _HELDOUT2_FORMS[form](raw)
        key = (form, t.trial_id)
        if key in records and records[key][0] != file:
            raise ValueError(f"{file}: {t.trial_id} ({form}) has a record in {records[key][0]} too")
        records[key] = (file, t)
    out = []
    for where, r in rows:
        found = records.get((r["form"], r["trial_id"].strip()))
        if found is None:
            raise ValueError(f"{where}: trial_id {r['trial_id']} has no {r['form']} record")
        source, t = found
        if (base / r["source_file"]).is_file() and source != r["source_file"]:
            raise ValueError(
                f"{where}: trial_id {r['trial_id']}'s record is in {source}, "
                f"not in its source_file {r['source_file']}"
            )
        clash = ({t.trial_id} | set(t.secondary_ids or [])) & earlier
        if clash:
            raise ValueError(
                f"{where}: trial_id {t.trial_id} is already in an earlier labelled set "
                f"({', '.join(sorted(clash))})"
            )
        clash = ({t.trial_id} | set(t.secondary_ids or [])) & (judged or set())
        if clash:
            raise ValueError(
                f"{where}: trial_id {t.trial_id} is in {judged_name} "
                f"({', '.join(sorted(clash))}); ids compared only"
            )
        out.append((r, t))
    return out


def evaluate_heldout2(
    folder: Path, terms: CellTerms | None = None, name: str = "heldout2"
) -> Evaluation:
    """Held-out set 2 (``folder/<name>``), whole, with the atlas's ``terms`` or without."""
    return _score(load_heldout2(folder, name), terms)


def _score(
    labelled: list[tuple[dict[str, str], Trial]], terms: CellTerms | None
) -> Evaluation:
    """Classify every (label row, record) of a judged set and score it whole."""
    ev = Evaluation()
    for row, t in labelled:
        apply(t, terms)
        ev.score(row["trial_id"], row, t)
    return ev


# held-out set 3 (``judge3/``): judged after held-out set 2 was spent; its label files are named
# ``gold_part*.csv`` so that no glob over the other sets' ``labels*`` files reaches them
HELDOUT3 = "judge3"
_HELDOUT3_LABELS = "gold_part"


def _heldout3_ids(folder: Path) -> set[str]:
    """Every trial id and secondary id of held-out set 3's record files: ids only, read without
    its gold files (``gold_part*.csv`` are passed over, ``agreement/`` is a folder), so that a
    tuning set drawn after it can be kept apart from it without reading its labels."""
    return _record_ids(folder / HELDOUT3, _HELDOUT3_LABELS)


def _heldout3_earlier(folder: Path) -> set[str]:
    """Every trial id and secondary id a study of held-out set 3 must not have: the development
    set's, the first held-out set's, every tuning set's and held-out set 2's (spent when set 3
    was drawn, so its ids, every record file's, may be read)."""
    ids = _earlier_ids(folder)
    # the tuning sets drawn before it (tuning set 5, drawn after it, is kept apart from it by
    # its own loader, which compares set 3's record ids)
    for name in _PARTED_TUNING[: _PARTED_TUNING.index("tuning5")]:
        ids |= _ids(t for _, t in load_tuning(folder, name))
    return ids | _heldout2_ids(folder)


def heldout3_half(trial_id: str) -> str:
    """The half of held-out set 3 a study belongs to: ``"A"`` when the first byte of the SHA-256
    of its trial id (stripped, upper-case) is even, else ``"B"``.

    Fixed in session 11, before any of the set's errors was read: the set was judged whole at
    rules 16.13 (totals only) and no unused study of its population was left to tune on, so it
    is split as the issue splits a held-out set. Rules are tuned on half A (its errors may be
    listed: that spends half A only); half B is read only through its totals and judges them.
    The split depends on the id alone, never on a label."""
    digest = hashlib.sha256(trial_id.strip().upper().encode("utf-8")).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def load_heldout3(
    folder: Path, name: str = HELDOUT3, half: str | None = None
) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of held-out set 3 (``folder/<name>``), or
    of one ``half`` (``"A"`` or ``"B"``, :func:`heldout3_half`): the rows of every
    ``gold_part*.csv`` there, each with its record among the set's record files (the current
    website CSV export, ``ctgov_export_csv``, and the other forms of :func:`load_heldout2`),
    refused as :func:`load_heldout2` refuses (naming the file, the line or field and the
    reason), and a study (or a secondary id) already in the development set, the first
    held-out set, a tuning set or held-out set 2."""
    if half not in (None, "A", "B"):
        raise ValueError(f"half must be 'A' or 'B', not {half!r}")
    rows = _load_parts(folder / name, _HELDOUT3_LABELS, _heldout3_earlier(folder))
    if half is None:
        return rows
    return [(r, t) for r, t in rows if heldout3_half(r["trial_id"]) == half]


def evaluate_heldout3(
    folder: Path, terms: CellTerms | None = None, name: str = HELDOUT3,
    half: str | None = None,
) -> Evaluation:
    """Held-out set 3 (``folder/<name>``), whole or one ``half``, with the atlas's ``terms`` or
    without."""
    return _score(load_heldout3(folder, name, half), terms)


# the judged sets from held-out set 4 on, in the order they were drawn; each refuses every study
# of the sets before it (:func:`_heldout4_earlier`, then the earlier judged sets' record files'
# ids: their gold files are never read here). Their label files are ``gold_part*.csv`` like
# set 3's, out of the ``*labels*`` globs of the tuning sets.
HELDOUT4 = "judge4"  # drawn in session 12 after half B of held-out set 3 was read (spent)
HELDOUT5 = "judge5"  # session 13, while half B of held-out set 4 was the only unspent judge
HELDOUT6 = "judge6"  # session 13, while held-out set 5's errors were about to be read
HELDOUT7 = "judge7"  # session 14, while held-out set 6's errors were read for new rules/model
HELDOUT8 = "judge8"  # session 15, while held-out set 7's errors were read for rules 16.24
JUDGED_SETS: tuple[str, ...] = (HELDOUT4, HELDOUT5, HELDOUT6, HELDOUT7, HELDOUT8)


def _heldout4_earlier(folder: Path) -> set[str]:
    """Every trial id and secondary id a study of held-out set 4 must not have: the development
    set's, the first held-out set's, every tuning set's (``tuning6`` included), held-out set 2's
    and held-out set 3's (spent: half A tuned on, half B's errors read; its record files' ids
    are compared, its gold files never read here)."""
    ids = _earlier_ids(folder) | _heldout2_ids(folder) | _heldout3_ids(folder)
    for name in _PARTED_TUNING:
        ids |= _ids(t for _, t in load_tuning(folder, name))
    return ids


def _judged_earlier(folder: Path, which: str) -> set[str]:
    """Every trial id and secondary id a study of the judged set ``which`` (one of
    :data:`JUDGED_SETS`) must not have: those of :func:`_heldout4_earlier` and those of the
    record files of every judged set drawn before it (ids compared only; gold files never
    read)."""
    ids = _heldout4_earlier(folder)
    for earlier in JUDGED_SETS[: JUDGED_SETS.index(which)]:
        ids |= _record_ids(folder / earlier, _HELDOUT3_LABELS)
    return ids


def _load_judged(
    folder: Path, which: str, name: str, half: str | None = None
) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of the judged set ``which`` read from
    ``folder/<name>`` (or of one ``half``): the rows of every ``gold_part*.csv`` there, each
    with its record among the set's record files (any form of :func:`load_heldout2`), refused
    as :func:`load_heldout2` refuses (naming the file, the line or field and the reason), and a
    study (or a secondary id) that is in the development set, the first held-out set, a tuning
    set, held-out set 2 or 3, or a judged set drawn before ``which``."""
    if half not in (None, "A", "B"):
        raise ValueError(f"half must be 'A' or 'B', not {half!r}")
    return _load_parts(folder / name, _HELDOUT3_LABELS, _judged_earlier(folder, which),
                       half=half)


def load_heldout4(
    folder: Path, name: str = HELDOUT4, half: str | None = None
) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of held-out set 4 (``folder/<name>``), or
    of one ``half`` (``"A"`` or ``"B"``, split by trial id alone exactly as held-out set 3 is,
    :func:`heldout3_half`), read and refused as :func:`_load_judged` says (a study of the
    development set, the first held-out set, a tuning set, held-out set 2 or 3).

    Split in session 12, after the whole set was judged once at rules 16.16 (totals only) and
    before any of its errors was read: rules are tuned on half A (listing its errors spends half
    A only); half B is read only through its totals and judges them."""
    return _load_judged(folder, HELDOUT4, name, half)


def evaluate_heldout4(
    folder: Path, terms: CellTerms | None = None, name: str = HELDOUT4,
    half: str | None = None,
) -> Evaluation:
    """Held-out set 4 (``folder/<name>``), whole or one ``half``, with the atlas's ``terms`` or
    without."""
    return _score(load_heldout4(folder, name, half), terms)


def load_heldout5(folder: Path, name: str = HELDOUT5) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of held-out set 5 (``folder/<name>``), read
    and refused as :func:`_load_judged` says (also a study of held-out set 4, by its record
    files' ids). Read whole: the set is not split into halves (a split, if one is wanted, is
    decided by id alone before any of its errors is read, as held-out sets 3 and 4 were)."""
    return _load_judged(folder, HELDOUT5, name)


def evaluate_heldout5(
    folder: Path, terms: CellTerms | None = None, name: str = HELDOUT5
) -> Evaluation:
    """Held-out set 5 (``folder/<name>``), whole, with the atlas's ``terms`` or without."""
    return _score(load_heldout5(folder, name), terms)


def load_heldout6(folder: Path, name: str = HELDOUT6) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of held-out set 6 (``folder/<name>``), read
    and refused as :func:`_load_judged` says (also a study of held-out set 4 or 5, by their
    record files' ids). Read whole, like held-out set 5."""
    return _load_judged(folder, HELDOUT6, name)


def evaluate_heldout6(
    folder: Path, terms: CellTerms | None = None, name: str = HELDOUT6
) -> Evaluation:
    """Held-out set 6 (``folder/<name>``), whole, with the atlas's ``terms`` or without."""
    return _score(load_heldout6(folder, name), terms)


def load_heldout7(folder: Path, name: str = HELDOUT7) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of held-out set 7 (``folder/<name>``), read
    and refused as :func:`_load_judged` says (also a study of held-out set 4, 5 or 6, by their
    record files' ids). Read whole, like held-out sets 5 and 6."""
    return _load_judged(folder, HELDOUT7, name)


def evaluate_heldout7(
    folder: Path, terms: CellTerms | None = None, name: str = HELDOUT7
) -> Evaluation:
    """Held-out set 7 (``folder/<name>``), whole, with the atlas's ``terms`` or without."""
    return _score(load_heldout7(folder, name), terms)


def load_heldout8(folder: Path, name: str = HELDOUT8) -> list[tuple[dict[str, str], Trial]]:
    """(label row, unlabelled Trial) for every study of held-out set 8 (``folder/<name>``), read
    and refused as :func:`_load_judged` says (also a study of held-out set 4, 5, 6 or 7, by
    their record files' ids). Read whole, like held-out sets 5-7."""
    return _load_judged(folder, HELDOUT8, name)


def evaluate_heldout8(
    folder: Path, terms: CellTerms | None = None, name: str = HELDOUT8
) -> Evaluation:
    """Held-out set 8 (``folder/<name>``), whole, with the atlas's ``terms`` or without."""
    return _score(load_heldout8(folder, name), terms)
