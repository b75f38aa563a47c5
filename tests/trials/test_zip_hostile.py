"""Hostile and unusual zips (issue 21, items 2 and 7): bombs are refused by size and ratio with
their name and the rest lands; ZIP64 local headers and stored members with data descriptors
are read; a member that cannot be read is always named. Every zip is written here by Python's
own ``zipfile`` around real ClinicalTrials.gov studies from the fixtures (bombs: zeros)."""

from __future__ import annotations

import io
import json
import struct
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ctatlas.trials import zipstream
from ctatlas.trials.ingest import ingest
from ctatlas.trials.sources import Item, Problem, iter_items

from .conftest import real_studies

BOMB = zipstream.MAX_RECORD_BYTES + 8 * 1024 * 1024  # zeros: deflates to ~40 KB


class Unseekable(io.RawIOBase):
    """A pipe-like sink: zipfile writes sizes after each member's data (data descriptors)."""

    def __init__(self) -> None:
        self.buf = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        return self.buf.write(b)


def _name(study: dict[str, Any]) -> str:
    return f"ctg-studies/{study['protocolSection']['identificationModule']['nctId']}.json"


def _zip(
    path: Path,
    members: list[tuple[str, bytes]],
    *,
    streamed: bool = False,
    method: int = zipfile.ZIP_DEFLATED,
    zip64: bool = False,
) -> Path:
    sink: Any = Unseekable() if streamed else open(path, "wb")  # noqa: SIM115
    with sink, zipfile.ZipFile(sink, "w", method) as zf:
        for name, data in members:
            with zf.open(name, "w", force_zip64=zip64) as fh:
                for i in range(0, len(data), 1 << 20):
                    fh.write(data[i : i + (1 << 20)])
        if streamed:
            zf.close()
            path.write_bytes(sink.buf.getvalue())
    return path


def _studies(n: int, start: int = 0) -> list[tuple[str, bytes]]:
    return [(_name(s), json.dumps(s).encode()) for s in real_studies()[start : start + n]]


def _split(items: list[Item | Problem]) -> tuple[list[str], dict[str, str]]:
    names = [i.name.split("!", 1)[1] for i in items if isinstance(i, Item)]
    problems = {p.name.split("!", 1)[1]: p.reason for p in items if isinstance(p, Problem)}
    return names, problems


@pytest.mark.parametrize("streamed", [False, True], ids=["sized", "streamed"])
def test_size_bomb_is_refused_and_the_rest_lands(tmp_path: Path, store, streamed: bool) -> None:
    before, after = _studies(3), _studies(3, 3)
    path = _zip(
        tmp_path / "bomb.zip",
        [*before, ("ctg-studies/NCT99999999.json", b"\0" * BOMB), *after],
        streamed=streamed,
    )
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        names, problems = _split(list(iter_items([path])))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < zipstream.MAX_RECORD_BYTES + 8 * 1024 * 1024
    assert names == [n for n, _ in before + after]
    assert list(problems) == ["ctg-studies/NCT99999999.json"]
    assert problems["ctg-studies/NCT99999999.json"].startswith("refused: ")
    summary = ingest([path], store)
    assert summary.records == 6 and summary.skipped == 1
    (problem,) = summary.problems
    assert problem["name"].endswith("!ctg-studies/NCT99999999.json")
    assert "refused" in problem["reason"]


@pytest.mark.parametrize("streamed", [False, True], ids=["sized", "streamed"])
def test_ratio_bomb_under_the_size_cap_is_refused(tmp_path: Path, streamed: bool) -> None:
    zeros = 4 * zipstream.RATIO_FLOOR  # 4 MB of zeros: ~1,000:1
    path = _zip(
        tmp_path / "ratio.zip",
        [("a/NCT00000001.json", b"\0" * zeros), *_studies(2)],
        streamed=streamed,
    )
    names, problems = _split(list(iter_items([path])))
    assert len(names) == 2
    assert "compression ratio over 100:1" in problems["a/NCT00000001.json"]


def test_a_header_that_lies_about_its_size_is_caught_while_inflating(
    tmp_path: Path, store
) -> None:
    path = _zip(tmp_path / "liar.zip", [("a/NCT00000002.json", b"\0" * BOMB), *_studies(2)])
    blob = bytearray(path.read_bytes())
    assert blob[:4] == b"PK\x03\x04"
    struct.pack_into("<I", blob, 22, 1000)  # the first local header claims 1,000 bytes
    path.write_bytes(bytes(blob))
    summary = ingest([path], store)
    assert summary.records == 2
    (problem,) = summary.problems
    assert problem["name"].endswith("!a/NCT00000002.json")
    assert problem["reason"].startswith("refused: ")


@pytest.mark.parametrize("streamed", [False, True], ids=["sized", "streamed"])
def test_zip64_local_headers_are_read(tmp_path: Path, store, streamed: bool) -> None:
    members = _studies(5)
    path = _zip(tmp_path / "z64.zip", members, streamed=streamed, zip64=True)
    blob = path.read_bytes()
    assert struct.pack("<HH", 1, 16) in blob  # the ZIP64 extra field is in the local headers
    names, problems = _split(list(iter_items([path])))
    assert names == [n for n, _ in members] and problems == {}
    assert ingest([path], store).records == 5


@pytest.mark.parametrize("zip64", [False, True], ids=["zip32", "zip64"])
def test_stored_members_with_data_descriptors_are_read(
    tmp_path: Path, store, zip64: bool
) -> None:
    members = _studies(5)
    # a member whose bytes hold a descriptor signature that is not its end
    decoy = json.loads(members[1][1])
    decoy["protocolSection"]["identificationModule"]["briefTitle"] += " PK\x07\x08 decoy"
    members[1] = (members[1][0], json.dumps(decoy).encode())
    path = _zip(
        tmp_path / "stored.zip", members, streamed=True, method=zipfile.ZIP_STORED, zip64=zip64
    )
    names, problems = _split(list(iter_items([path])))
    assert problems == {}
    assert names == [n for n, _ in members]
    summary = ingest([path], store)
    assert summary.records == 5 and not summary.problems
    assert "decoy" in next(r["title"] for r in store.query(label=None) if "decoy" in r["title"])


def test_unreadable_members_are_named_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in _studies(2):
            zf.writestr(name, data, zipfile.ZIP_DEFLATED)
        zf.writestr("a/NCT00000003.json", b"{}", zipfile.ZIP_BZIP2)
        for name, data in _studies(2, 2):
            zf.writestr(name, data, zipfile.ZIP_DEFLATED)
    names, problems = _split(list(iter_items([path])))
    assert len(names) == 4
    assert problems == {"a/NCT00000003.json": "encrypted or unsupported compression method"}


def test_cut_streamed_zip_names_the_member_it_stopped_at(tmp_path: Path) -> None:
    members = _studies(4)
    path = _zip(tmp_path / "cut.zip", members, streamed=True, method=zipfile.ZIP_STORED)
    blob = path.read_bytes()
    third = blob.index(members[2][0].encode())
    path.write_bytes(blob[: third + 200])
    names, problems = _split(list(iter_items([path])))
    assert names == [members[0][0], members[1][0]]
    assert list(problems) == [members[2][0]]
    assert "cannot be found" in problems[members[2][0]]
