"""``ctatlas classify``: how a product would be classified in JP, KR, US, EU and TW, and why."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ctatlas.cli.common import DataOpt, JurisdictionOpt, data_path, fail, handle_errors

__all__ = ["register"]


class TextOrJson(str, Enum):
    """Output formats of ``classify``."""

    text = "text"
    json = "json"


def classify_command(
    profile_file: Annotated[
        str | None,
        typer.Argument(
            metavar="PROFILE_FILE|-",
            help="A profile (YAML or JSON); - reads standard input.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="text (readable) or json.")
    ] = TextOrJson.text,
    jurisdiction: JurisdictionOpt = None,
    check_dataset: Annotated[
        bool,
        typer.Option(
            "--check-dataset",
            help="Classify every curated product and compare with its recorded categories.",
        ),
    ] = False,
    data: DataOpt = None,
) -> None:
    """Classify a product profile in Japan, Korea, the US, the EU and Taiwan, citing each rule.

    Beside the product category it lists the routes to patients (product approval, Japan's
    ASRM, Korea's research and treatment tracks, Taiwan's Regenerative Medicine Act, the EU
    hospital exemption) for the profile's provider (clinic, hospital or company), and what
    the product is regulated as when it is not a cell product.

    Exit codes: 0 ok, 1 differences (--check-dataset), 2 bad input, 3 file not found.

    Examples:
      ctatlas classify car-t.yaml
      ctatlas classify profile.json --format json --jurisdiction JP,EU
      echo '{origin: autologous, manipulation: minimal}' | ctatlas classify -
      ctatlas classify --check-dataset
    """
    from ctatlas.classify import classify, parse_jurisdictions
    from ctatlas.errors import BadInput

    with handle_errors():
        if check_dataset:
            if profile_file is not None:
                raise BadInput("give either PROFILE_FILE or --check-dataset, not both")
            _check(format, jurisdiction, data_path(data))
            return
        if profile_file is None:
            raise BadInput("give a PROFILE_FILE (or - for standard input), or --check-dataset")
        codes = parse_jurisdictions(jurisdiction)
        document = _read_profile(profile_file)
        result = classify(document, codes, data=data_path(data))
        if format is TextOrJson.json:
            typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            typer.echo(_render(result))


def _read_profile(name: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from ctatlas.errors import BadInput

    if name == "-":
        text = sys.stdin.read()
        where = "standard input"
    else:
        path = Path(name)
        if not path.is_file():
            raise fail(f"no profile file '{name}'", 3)
        text = path.read_text(encoding="utf-8")
        where = name
    try:
        document = YAML(typ="safe").load(text)
    except YAMLError as exc:
        raise BadInput(f"{where} is not valid YAML or JSON: {exc}".splitlines()[0]) from None
    if document is None:
        raise BadInput(f"{where} is empty: give the profile's attributes")
    if isinstance(document, dict) and set(document) == {"regulatory_profile"}:
        document = document["regulatory_profile"]
    return document


def _render(result: Any) -> str:
    """The decisions in words (categories, classes and pathways as labels; the profile's
    attribute names stay as written, being what the user types)."""
    from ctatlas.labels import category_label, extra_label, field_label, label

    profile = result.profile.model_dump(mode="json")
    known = [f"{k}={_short(v)}" for k, v in profile.items() if v is not None]
    unknown = [k for k, v in profile.items() if v is None]
    lines = ["Profile: " + (", ".join(known) or "(nothing given)")]
    if unknown:
        lines.append("Unknown: " + ", ".join(unknown))
    for code, decision in result.decisions.items():
        d = decision.as_dict()
        lines.append("")
        head = category_label(code, d["category"]) if d["category"] else "undecided"
        lines.append(f"{code}  {head}")
        extras = [
            f"{field_label(k)}: {extra_label(k, v) if v else '-'}"
            for k, v in decision.extra.items()
        ]
        if extras:
            lines.append("    " + " | ".join(extras))
        for i, rule in enumerate(d["rules"], 1):
            c = rule["citation"]
            lines.append(f"    {i}. [{rule['id']}] {rule['text']}")
            lines.append(f"       {c['law']} {c['article']} <{c['url']}>")
        if d["pathways"]:
            lines.append("    pathways: " + ", ".join(label("pathway", p) for p in d["pathways"]))
        for route in d["routes"]:
            klass = route.get("class_label") or route.get("class")
            lines.append(f"    route: {route['label']}" + (f" ({klass})" if klass else ""))
            lines.append(f"       reviewed by: {route['reviewer']}")
        if d["regulated_as"]:
            lines.append(f"    regulated as: {d['regulated_as']['label']}")
        for alt in d["alternatives"]:
            reading = (
                category_label(code, alt["category"])
                if alt["field"] == "category"
                else f"{field_label(alt['field'])}: {extra_label(alt['field'], alt['category'])}"
            )
            lines.append(f"    alternative: {reading}: {alt['reading']}")
            lines.append(f"       would settle it: {alt['would_settle']}")
        for missing in d["missing"]:
            lines.append(f"    needs {missing['attribute']}: {missing['question']}")
    return "\n".join(lines)


def _short(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check(format: TextOrJson, jurisdiction: list[str] | None, data: str | None) -> None:
    from ctatlas.classify import parse_jurisdictions
    from ctatlas.classify.check import check_dataset
    from ctatlas.dataset import load_dataset

    codes = set(parse_jurisdictions(jurisdiction))
    dataset = load_dataset(data)
    report = check_dataset(dataset)
    report.rows = [r for r in report.rows if r.jurisdiction in codes]
    if format is TextOrJson.json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for row in report.rows:
            if row.outcome == "agree":
                continue
            typer.echo(
                f"{row.outcome:11} {row.jurisdiction} {row.slug} ({row.brand_name}): recorded "
                f"{row.recorded}, rules say {row.predicted or 'undecided'} - {row.reason} "
                f"[profile {row.profile_source}]"
            )
        typer.echo(
            f"{len(report.rows)} authorization(s) compared: {report.count('agree')} agree, "
            f"{report.count('explained')} explained, {report.count('undecided')} undecided, "
            f"{report.count('unexplained')} unexplained"
        )
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``classify`` to the app."""
    app.command("classify")(classify_command)
