"""Canonical form of data files (``ctatlas fmt``) and the JSON Schema (``ctatlas schema``)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ctatlas import yamlio
from ctatlas.dataset import SCHEMAS, Problem, ProblemCode, _shape_problems
from ctatlas.model import CopyHostFile, DiseaseFile, Jurisdiction, Product, RegulatoryProfile

__all__ = ["FmtResult", "canonical_text", "format_data", "schema_documents", "write_schemas"]

KINDS: dict[str, type[BaseModel]] = {
    "product": Product,
    "jurisdiction": Jurisdiction,
    "diseases": DiseaseFile,
}


def kind_of(root: Path, path: Path) -> str:
    """Which kind of data file a path is."""
    rel = path.relative_to(root).parts
    if rel[0] == "products":
        return "product"
    if rel[0] == "jurisdictions":
        return "jurisdiction"
    return "diseases"


def canonical_text(model: BaseModel, kind: str) -> str:
    """The one canonical YAML text of a model: field order from the model, defaults left out."""
    data = model.model_dump(mode="json", exclude_defaults=True)
    return yamlio.dump_canonical(data, schema=SCHEMAS[kind])


@dataclasses.dataclass
class FmtResult:
    """What ``format_data`` did."""

    changed: list[str]
    unchanged: int
    problems: list[Problem]


def format_data(root: Path, *, check: bool = False) -> FmtResult:
    """Rewrite every data file in canonical form (``check``: only list those that differ)."""
    from ctatlas.datafiles import data_files

    changed: list[str] = []
    problems: list[Problem] = []
    unchanged = 0
    for path in data_files(root):
        rel = path.relative_to(root).as_posix()
        kind = kind_of(root, path)
        model_cls = KINDS[kind]
        try:
            text = yamlio.read(path)
            raw = yamlio.load_text(text)
            model = model_cls.model_validate(raw)
        except yamlio.YamlSyntaxError as exc:
            code = (
                ProblemCode.encoding
                if isinstance(exc, yamlio.NotUtf8Error)
                else ProblemCode.yaml_syntax
            )
            problems.append(Problem(rel, exc.line, "", code, str(exc)))
            continue
        except ValidationError as exc:
            problems.extend(_shape_problems(rel, text, model_cls, exc))
            continue
        new = canonical_text(model, kind)
        if new == text:
            unchanged += 1
            continue
        changed.append(rel)
        if not check:
            tmp = path.with_name(path.name + ".fmt-tmp")
            tmp.write_text(new, encoding="utf-8")
            tmp.replace(path)
    return FmtResult(changed, unchanged, problems)


def schema_documents() -> dict[str, dict[str, Any]]:
    """file name -> JSON Schema document, generated from the models."""
    docs = {}
    for name, model in (
        ("product", Product),
        ("jurisdiction", Jurisdiction),
        ("diseases", DiseaseFile),
        ("profile", RegulatoryProfile),
        ("source_hosts", CopyHostFile),
    ):
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://ctatlas.invalid/schema/{name}.schema.json"
        docs[f"{name}.schema.json"] = schema
    return docs


def schema_text(doc: dict[str, Any]) -> str:
    """A schema document as committed: sorted keys, 2-space indent, final newline."""
    return json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(out_dir: Path) -> list[Path]:
    """Write every schema into ``out_dir``; return the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, doc in schema_documents().items():
        path = out_dir / name
        path.write_text(schema_text(doc), encoding="utf-8")
        written.append(path)
    return written
