"""Exports under load (issue 21, item 3): no parameter is silently ignored (``limit`` and
``offset`` made 500 distinct cache entries of the same bytes), and the whole-atlas export of
each format is built once per data version."""

from __future__ import annotations

import pytest

API = "/api/v1/export"


@pytest.mark.parametrize("param", ["limit=10", "offset=20", "colour=red"])
def test_parameters_an_export_ignores_are_refused(client, param: str) -> None:  # type: ignore[no-untyped-def]
    r = client.get(f"{API}/csv?{param}")
    assert r.status_code == 422
    name = param.split("=")[0]
    assert r.json()["errors"] == [{"loc": ["query", name], "msg": "unknown parameter"}]


def test_whole_export_is_built_once_per_data_version(client, app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ctatlas.web.api import export as export_mod

    calls: list[str] = []
    real = export_mod.export_bytes
    monkeypatch.setattr(
        export_mod,
        "export_bytes",
        lambda fmt, *a, **k: calls.append(fmt.value) or real(fmt, *a, **k),
    )
    snap = app.state.atlas.current()
    snap._derived.pop("export:json", None)
    first = client.get(f"{API}/json")
    again = client.get(f"{API}/json", headers={"accept": "text/html"})  # another cache key
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert calls == ["json"]
    assert "export:json" in snap._derived
    filtered = client.get(f"{API}/json?jurisdiction=JP&sort=name")
    assert filtered.status_code == 200 and calls == ["json", "json"]
    assert [k for k in snap._derived if k.startswith("export:")] == ["export:json"]
