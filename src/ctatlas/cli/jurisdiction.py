"""``ctatlas jurisdiction``: a jurisdiction's framework and its routes to patients, in words."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any

import typer

from ctatlas.cli.common import DataOpt, data_path, fail, handle_errors

__all__ = ["register"]

KIND_LABELS = {
    "enforcement": "Enforcement",
    "amendment": "Amendment",
    "start": "Start",
    "other": "Other",
}
PROVIDER_LABELS = {"clinic": "clinics", "hospital": "hospitals", "company": "companies"}


class TextOrJson(str, Enum):
    """Output formats of ``jurisdiction show``."""

    text = "text"
    json = "json"


def show_command(
    code: Annotated[str, typer.Argument(help="Jurisdiction code, e.g. JP, KR, TW, US, EU.")],
    format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="text (readable) or json.")
    ] = TextOrJson.text,
    data: DataOpt = None,
) -> None:
    """Show a jurisdiction: regulators, laws, categories, pathways, and the routes to patients
    outside product approval (risk classes, reviewers, duties, figures, events, plans).

    Exit codes: 0 ok, 2 bad input (invalid file), 3 no such jurisdiction.

    Examples:
      ctatlas jurisdiction show JP
      ctatlas jurisdiction show KR --format json
    """
    with handle_errors():
        jur = _load(code, data_path(data))
        if format is TextOrJson.json:
            doc = jur.model_dump(mode="json", exclude_none=True)
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            typer.echo(render(jur))


def _load(code: str, data: str | None) -> Any:
    from pydantic import ValidationError
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from ctatlas.config import data_dir
    from ctatlas.errors import BadInput
    from ctatlas.model import Jurisdiction

    folder = data_dir(data) / "jurisdictions"
    wanted = code.strip().upper()
    path = folder / f"{wanted}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise fail(f"no jurisdiction '{code}'; known: {', '.join(known)}", 3)
    try:
        with path.open(encoding="utf-8") as fh:
            return Jurisdiction.model_validate(YAML(typ="safe").load(fh))
    except YAMLError as exc:
        first = str(exc).splitlines()[0]
        raise BadInput(f"jurisdictions/{path.name} is not valid YAML ({first})") from None
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or '(file)'}: {e['msg']}" for e in exc.errors()
        )
        raise BadInput(f"jurisdictions/{path.name} is invalid: {where}") from None


def render(jur: Any) -> str:
    """The jurisdiction in plain words: labels, never internal ids."""
    lines = [f"{jur.name} ({jur.code})" + (f" - {jur.local_name}" if jur.local_name else "")]
    lines.append("")
    lines.append("Regulators")
    lines += [f"  {r.name} ({r.id}): {r.role}" for r in jur.regulators]
    lines.append("")
    lines.append("Laws")
    for law in jur.laws:
        dates = ", ".join(
            f"{k} {v}" for k, v in (("in force", law.in_force), ("enacted", law.enacted)) if v
        )
        lines.append(f"  {law.title}" + (f" ({dates})" if dates else ""))
    lines.append("")
    lines.append("Product categories")
    lines += [
        f"  {c.label}" + (" (former category)" if c.historical else "") for c in jur.categories
    ]
    lines.append("Approval pathways")
    lines += [f"  {p.label}" for p in jur.pathways]
    lines += _routes(jur)
    return "\n".join(lines)


def _routes(jur: Any) -> list[str]:
    if not jur.tier_routes and not jur.risk_tiers:
        return ["", "Routes to patients outside product approval: none recorded"]
    routes = {r.id: r.label for r in jur.tier_routes}
    tiers = {t.id: t.label for t in jur.risk_tiers}
    laws = {law.id: law.title for law in jur.laws}
    lines = ["", "Routes to patients outside product approval"]
    for route in jur.tier_routes:
        who = ", ".join(PROVIDER_LABELS[p.value] for p in route.providers)
        span = f"since {route.in_force}" if route.in_force else ""
        if route.until:
            span += f" until {route.until}"
            if route.replaced_by:
                span += f", replaced by: {routes.get(route.replaced_by, route.replaced_by)}"
        lines.append(f"  {route.label}" + (f" ({span})" if span else ""))
        lines.append(f"    law: {laws.get(route.law, route.law)}")
        lines.append(f"    who may use it: {who}")
        lines.append(f"    who decides: {route.reviewer}")
        if route.evidence:
            lines.append(f"    evidence required: {route.evidence}")
        for duty in route.duties:
            lines.append(f"    duty: {duty}")
        for tier in (t for t in jur.risk_tiers if t.route == route.id):
            lines.append(
                f"    class: {tier.label}" + (f" - {tier.reviewer}" if tier.reviewer else "")
            )
            for change in tier.amendments:
                lines.append(f"      changed {change.date}: {change.text}")
    loose = [t for t in jur.risk_tiers if t.route is None]
    for tier in loose:
        lines.append(f"  class: {tier.label}")
    if jur.tier_figures:
        lines += ["", "Published figures"]
        for f in sorted(jur.tier_figures, key=lambda x: (x.route, x.as_of)):
            value = f"{f.value:g}" + ("%" if f.unit == "percent" else "")
            part = " - ".join(x for x in (tiers.get(f.tier or ""), f.breakdown) if x)
            lines.append(
                f"  {f.as_of}  {routes.get(f.route, f.route)}: {f.measure}"
                + (f" ({part})" if part else "")
                + f": {value}  [{f.sources[0].publisher}]"
            )
    if jur.tier_events:
        lines += ["", "Events"]
        for e in sorted(jur.tier_events, key=lambda x: x.date):
            lines.append(f"  {e.date}  {KIND_LABELS[e.kind.value]}: {e.summary}")
            lines.append(f"    {e.sources[0].publisher} <{e.sources[0].url}>")
    if jur.tier_plans:
        lines += ["", "Plans found suitable"]
        for p in sorted(jur.tier_plans, key=lambda x: x.decided):
            risk = tiers.get(p.tier or "", "")
            lines.append(
                f"  {p.decided}  {routes.get(p.route, p.route)}: {p.cells}, for {p.indication}"
                + (f" ({risk})" if risk else "")
                + (f", at {p.institution}" if p.institution else "")
            )
    return lines


def register(app: typer.Typer) -> None:
    """Add ``jurisdiction show`` to the app."""
    group = typer.Typer(help="A jurisdiction's framework and its routes to patients.")
    group.command("show")(show_command)
    app.add_typer(group, name="jurisdiction")
