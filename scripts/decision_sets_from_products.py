"""Write the 'authorized products' decision sets from the curated authorizations.

A regulator's authorization names the category it authorized the product in (a BLA under PHS Act
section 351, an EU gene therapy medicinal product, a Japanese human somatic stem cell processed
product, a Korean cell therapy product). Those are real decisions on real products, so they are
checked like the others: the description is put together from the product's facts (what the cells
are, where they come from, whose they are, whether a gene was added, what it treats) and never from
its category, modality or the curators' notes, and the profile is filled from that text alone.

Only authorizations whose category a source supports are taken (a source listing ``category`` in
``supports``), and, in the US, licences whose FDA source supports the approval (a BLA is a
licence under section 351 by definition). Run from the repository root:

    .venv/bin/python scripts/decision_sets_from_products.py

It rewrites ``tests/fixtures/decisions/*_authorized.yaml``; the sets were first written and
committed before any rule was changed to fit them.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "decisions"
CODES = ("US", "EU", "JP", "KR")
#: Sentences that name a regulatory category or an approval would hand the answer over.
LEAKS = re.compile(
    r"gene therapy|cell therapy|tissue[- ]engineer|\batmp\b|advanced therapy|regenerative medic|"
    r"biologic|\bbla\b|approv|authori[sz]|licen[sc]|first|conditional|processed product|"
    r"세포치료|유전자치료|再生医療",
    re.I,
)
NA = {None, "", "not_applicable", "unknown"}


def _words(product: dict) -> str:
    parts = [str(product["name"]).rstrip(".")]
    cell_type, tissue = product.get("cell_type"), product.get("tissue_source")
    if cell_type not in NA:
        parts.append(str(cell_type) + (f" from {tissue}" if tissue not in NA else ""))
    origin = product.get("origin")
    if origin == "autologous":
        parts.append("the patient's own cells")
    elif origin == "allogeneic":
        parts.append("cells from a donor (allogeneic)")
    elif origin == "xenogeneic":
        parts.append("animal (xenogeneic) cells")
    if product.get("genetically_modified") is True:
        parts.append("genetically modified")
    text = "; ".join(parts) + "."
    prose = [
        s
        for s in re.split(r"(?<=[.;])\s+", str(product.get("description") or ""))
        if s and not LEAKS.search(s)
    ]
    if prose:
        text += " " + " ".join(prose)
    return text


def _indications(auth: dict) -> str:
    texts = [i["text"].strip().rstrip(".") for i in auth.get("indications") or [] if i.get("text")]
    return ("For " + "; ".join(texts) + ".") if texts else ""


def _basis(code: str, auth: dict) -> dict | None:
    for s in auth.get("sources") or []:
        if "category" in (s.get("supports") or []):
            return s
    if code == "US" and auth.get("category") == "biologic_351":
        for s in auth.get("sources") or []:
            if s.get("kind") == "regulator" and "approval_date" in (s.get("supports") or []):
                return s
    return None


def build() -> dict[str, dict]:
    yaml = YAML(typ="safe")
    labels = {}
    for code in CODES:
        jur = yaml.load((ROOT / "data" / "jurisdictions" / f"{code}.yaml").read_text("utf-8"))
        labels[code] = {c["id"]: c["label"] for c in jur["categories"]}
    sets = {
        code: {
            "set": f"{code.lower()}_authorized",
            "jurisdiction": code,
            # Japan authorizes a product in one of the PMD Act's product classes
            "answer_field": "product_class" if code == "JP" else "category",
            "decisions": [],
        }
        for code in CODES
    }
    for path in sorted((ROOT / "data" / "products").glob("*.yaml")):
        product = yaml.load(path.read_text("utf-8"))
        for auth in product.get("authorizations") or []:
            code, category = auth.get("jurisdiction"), auth.get("category")
            if code not in sets or category not in labels[code]:
                continue
            source = _basis(code, auth)
            if source is None:
                continue
            decided = auth.get("approval_date")
            entry = {
                "id": f"{code.lower()}-{product['slug']}",
                "decided": str(decided) if decided else None,
                "description": (_words(product) + " " + _indications(auth)).strip(),
                "answer_words": labels[code][category],
                "answer": category,
                "source": {
                    k: str(source[k])
                    for k in ("url", "title", "publisher", "kind", "accessed", "read_via")
                    if source.get(k)
                },
                "note": f"From the authorization recorded in data/products/{path.name}.",
            }
            taken = {d["id"] for d in sets[code]["decisions"]}
            if entry["id"] in taken:  # a second authorization of the same product
                entry["id"] += f"-{decided}"
            sets[code]["decisions"].append({k: v for k, v in entry.items() if v is not None})
    return sets


HEADER = (
    "# Generated by scripts/decision_sets_from_products.py from the curated authorizations\n"
    "# (see its docstring): the category each regulator authorized a real product in, with the\n"
    "# source that supports it; the description never includes the category.\n"
)


def main() -> None:
    out = YAML()
    out.width = 100
    out.default_flow_style = False
    for code, doc in build().items():
        path = OUT / f"{code.lower()}_authorized.yaml"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(HEADER)
            out.dump(doc, fh)
        sys.stdout.write(f"{path.name}: {len(doc['decisions'])} decisions\n")


if __name__ == "__main__":
    main()
