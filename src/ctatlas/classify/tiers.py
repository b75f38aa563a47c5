"""The tier answers beside the product category: the routes that reach patients, and what a
profile is regulated as when it is not (only) a cell product.

``exclude(code, facts)`` runs before a jurisdiction's product rules: articles a definition
leaves out (blood products) are answered here, with the rule and "regulated instead as ...".
``answer(code, facts)`` runs after them: it lists the product route and the tier routes
(``tier_routes`` of the jurisdiction file, with their classes and reviewers) that fit the
profile's ``provider`` (clinic or hospital: the medical-practice routes; company: product
approval; unknown: both), and the "regulated as" answer where the category says "not a cell
product".
"""

from __future__ import annotations

from typing import Any

from ctatlas.classify import jp, kr
from ctatlas.classify.base import Decision, Facts, Rule
from ctatlas.model import IntendedFunction, Jurisdiction, ProfileOrigin, Provider

__all__ = ["answer", "exclude"]

MEDICAL = (Provider.clinic, Provider.hospital)

R_US_BLOOD = Rule(
    "US-1271.3(d)(2)-BLOOD",
    "whole blood, blood components and blood derivatives are not HCT/Ps",
    "cfr_1271",
    "21 CFR 1271.3(d)(2)",
)
R_EU_BLOOD = Rule(
    "EU-SOHO-BLOOD",
    "blood and blood components for transfusion are substances of human origin, not ATMPs",
    "soho_reg",
    "Art. 2",
)
R_JP_BLOOD = Rule(
    "JP-ASRM-EXCLUDED-TRANSFUSION",
    "blood transfusion is excluded from regenerative medicine technologies",
    "asrm_cabinet_order",
    "Art. 1",
)
R_TW_BLOOD = Rule(
    "TW-RM-ACT-3-BLOOD",
    "transfusion and the use of blood products are excluded from regenerative medicine techniques",
    "rm_act",
    "Art. 3(3)",
)

#: Per jurisdiction: the category a blood product gets, the rule, and what governs it instead.
BLOOD: dict[str, tuple[str, Rule, str]] = {
    "US": ("not_hct_p", R_US_BLOOD, "a blood product (blood rules), not an HCT/P"),
    "EU": ("not_atmp", R_EU_BLOOD, "substances of human origin (blood), not an ATMP"),
    "JP": (
        "not_regenerative_medical_product",
        R_JP_BLOOD,
        "blood for transfusion, outside both the regenerative medical products and the ASRM",
    ),
    "TW": (
        "not_regenerative_medicine_preparation",
        R_TW_BLOOD,
        "transfusion or a blood product, outside the regenerative medicine acts",
    ),
}


def exclude(code: str, facts: Facts) -> bool:
    """Answer an excluded article before the product rules; True when it was answered."""
    if facts.get("blood_product") is not True or code not in BLOOD:
        return False
    category, rule, label = BLOOD[code]
    d = facts.decision
    d.category = category
    d.fire(rule)
    d.regulated_as = _as(d, "blood_product", label, rule)
    return True


def answer(code: str, facts: Facts) -> None:
    """Fill ``routes`` and ``regulated_as`` of a decision the product rules made."""
    try:
        {"JP": _jp, "KR": _kr, "US": _us, "EU": _eu, "TW": _tw}[code](facts)
    except LookupError as exc:  # a data folder whose file lacks a law the answer cites
        facts.decision.notes.append(f"tier answer incomplete: {exc}")


# --------------------------------------------------------------------------- building blocks


def _law_citation(jur: Jurisdiction, law_id: str, article: str) -> dict[str, Any]:
    return Rule(f"{jur.code}-ROUTE", "", law_id, article).citation(jur)


def _as(d: Decision, ident: str, label: str, rule: Rule) -> dict[str, Any]:
    return {"id": ident, "label": label, "citations": [rule.citation(d.jur)]}


def _product_route(d: Decision, klass: str | None, reviewer: str, law: str, article: str):
    d.routes.append(
        {
            "route": "product_approval",
            "label": "Product approval",
            "class": klass,
            "class_label": next((c.label for c in d.jur.categories if c.id == klass), None),
            "reviewer": reviewer,
            "citations": [_law_citation(d.jur, law, article)],
        }
    )


def _tier_route(d: Decision, route_id: str, tier_id: str | None) -> None:
    route = next((r for r in d.jur.tier_routes if r.id == route_id), None)
    if route is None:  # a data folder without the tier routes (e.g. an older copy)
        d.notes.append(f"no tier route '{route_id}' in {d.jurisdiction}.yaml to answer from")
        return
    tier = next((t for t in d.jur.risk_tiers if t.id == tier_id), None) if tier_id else None
    citations = [c.model_dump(mode="json", exclude_none=True) for c in route.citations]
    if tier is not None:
        citations += [c.model_dump(mode="json", exclude_none=True) for c in tier.citations]
    d.routes.append(
        {
            "route": route.id,
            "label": route.label,
            "class": tier.id if tier else None,
            "class_label": tier.label if tier else None,
            "reviewer": (tier.reviewer if tier and tier.reviewer else route.reviewer),
            "citations": citations,
        }
    )


def _wants_product(facts: Facts) -> bool:
    return facts.get("provider") in (None, Provider.company)


def _wants_practice(facts: Facts) -> bool:
    return facts.get("provider") in (None, *MEDICAL)


# --------------------------------------------------------------------------- Japan

R_JP_PRACTICE = Rule(
    "JP-ASRM-PRACTICE",
    "given by a clinic or hospital, processed cells are regenerative medicine under the ASRM: "
    "a provision plan reviewed by a certified committee, no product approval",
    "asrm",
    "Arts. 2, 4",
)
R_JP_UNPROCESSED = Rule(
    "JP-NOT-PROCESSED-PRACTICE",
    "cells that are not processed are neither a regenerative medical product nor within the "
    "ASRM: ordinary medical practice",
    "mhlw_processing_notice",
    "definition of 加工",
)
R_JP_NO_CELLS = Rule(
    "JP-NO-CELLS-NO-GENE",
    "no cells and no gene for expression: a drug or device by its own nature",
    "pmd_act",
    "Art. 2(9)",
)
JP_ASRM_CLASS = {"I": "asrm_class_i", "II": "asrm_class_ii", "III": "asrm_class_iii"}


def _jp(facts: Facts) -> None:
    d = facts.decision
    product = d.category in (
        "regenerative_medical_product_cell_processed",
        "regenerative_medical_product_gene_therapy",
    )
    asrm = d.extra.get("asrm_risk_class")
    if product and _wants_product(facts):
        _product_route(
            d,
            d.extra.get("product_class"),
            "PMDA reviews; MHLW approves after the Pharmaceutical Affairs Council",
            "pmd_act",
            "Art. 23-25",
        )
    in_asrm = asrm in JP_ASRM_CLASS or (product and asrm is None)
    if in_asrm and _wants_practice(facts):
        _tier_route(d, "asrm", JP_ASRM_CLASS.get(asrm or ""))
        if facts.get("provider") in MEDICAL:
            d.fire(R_JP_PRACTICE)
            d.regulated_as = _as(
                d,
                "medical_practice_asrm",
                "regenerative medicine given by a medical institution under the ASRM "
                "(a provision plan, no product approval)",
                R_JP_PRACTICE,
            )
    if d.category != "not_regenerative_medical_product" or d.regulated_as:
        return
    if facts.get("origin") is ProfileOrigin.none:
        d.regulated_as = _as(
            d, "not_cell_or_gene", "a drug or device by its own nature", R_JP_NO_CELLS
        )
    elif facts.get("intended_function") is IntendedFunction.hematopoietic_reconstitution:
        d.regulated_as = _as(
            d,
            "hsct_act",
            "haematopoietic stem cell transplantation under the HSCT Act",
            jp.R_HSCT_ACT,
        )
    elif asrm == "not_applicable":
        d.regulated_as = _as(d, "medical_practice", "ordinary medical practice", R_JP_UNPROCESSED)


# --------------------------------------------------------------------------- Korea

R_KR_PRACTICE = Rule(
    "KR-ARBA-PRACTICE",
    "given by a designated hospital or clinic, it is advanced regenerative medicine: a research "
    "or treatment plan reviewed by the deliberation committee, no product licence",
    "arba",
    "Arts. 10, 12",
)
R_KR_MINIMAL = Rule(
    "KR-MINIMAL-PRACTICE",
    "minimally manipulated cells are outside advanced regenerative medicine and the product "
    "definitions: ordinary medical practice",
    "arba",
    "Art. 2(1) proviso",
)


def _kr(facts: Facts) -> None:
    d = facts.decision
    product = d.category not in (None, "not_a_biologic_under_cell_therapy_definition")
    risk = d.extra.get("clinical_research_risk")
    if product and _wants_product(facts):
        _product_route(d, d.category, "MFDS licenses the product", "arba", "Art. 23")
    if product and risk != "out_of_scope" and _wants_practice(facts):
        tier = risk if risk in {t.id for t in d.jur.risk_tiers} else None
        _tier_route(d, "arba_research", tier)
        _tier_route(d, "arba_treatment", None)
        if facts.get("provider") in MEDICAL:
            d.fire(R_KR_PRACTICE)
            d.regulated_as = _as(
                d,
                "medical_practice_arba",
                "advanced regenerative medicine at a designated institution (committee review, "
                "no product licence)",
                R_KR_PRACTICE,
            )
    if product or d.category is None:
        return
    function = facts.get("intended_function")
    if facts.get("origin") is ProfileOrigin.none:
        d.regulated_as = _as(
            d, "not_cell_or_gene", "a drug or device by its own nature", kr.R_NO_CELLS
        )
    elif function is IntendedFunction.hematopoietic_reconstitution:
        d.regulated_as = _as(
            d,
            "transplantation",
            "transplantation under the Cord Blood and Organ Acts",
            kr.R_CORD_BLOOD,
        )
    elif facts.get("viable_cells") is False:
        d.regulated_as = _as(
            d, "tissue_graft", "a tissue graft under the Human Tissue Act", kr.R_TISSUE
        )
    else:
        d.regulated_as = _as(d, "medical_practice", "ordinary medical practice", R_KR_MINIMAL)


# --------------------------------------------------------------------------- United States

R_US_361 = Rule(
    "US-361-ONLY",
    "an HCT/P meeting all 1271.10(a) criteria is regulated solely under section 361 and Part "
    "1271: registration, listing, donor eligibility and tissue practice; no premarket review",
    "cfr_1271",
    "21 CFR 1271.10(a)",
)
R_US_SSP = Rule(
    "US-1271.15(b)-PRACTICE",
    "tissue removed and implanted in the same surgical procedure is outside Part 1271",
    "cfr_1271",
    "21 CFR 1271.15(b)",
)
R_US_ACELLULAR = Rule(
    "US-1271.3(d)-ACELLULAR",
    "no human cells or tissues: not an HCT/P; a drug, device or biologic by its own nature",
    "cfr_1271",
    "21 CFR 1271.3(d)",
)


def _us(facts: Facts) -> None:
    d = facts.decision
    if d.regulated_as:
        return
    if d.category == "biologic_351":
        _product_route(
            d, d.category, "FDA (CBER) licenses the biologic (BLA)", "phs_act_351", "s. 351"
        )
    elif d.category == "device":
        _product_route(d, d.category, "FDA clears or approves the device", "cfr_part_3", "Part 3")
    elif d.category == "hct_p_361":
        d.regulated_as = _as(
            d, "hct_p_361_only", "an HCT/P regulated solely under section 361", R_US_361
        )
    elif d.category == "exempt_1271_15b":
        d.regulated_as = _as(
            d, "medical_practice", "the practice of medicine (same surgical procedure)", R_US_SSP
        )
    elif d.category == "not_hct_p" and facts.get("origin") is ProfileOrigin.none:
        d.regulated_as = _as(d, "not_cell_or_gene", "a drug, device or biologic", R_US_ACELLULAR)


# --------------------------------------------------------------------------- European Union

R_EU_HE = Rule(
    "EU-HOSPITAL-EXEMPTION-ROUTE",
    "an ATMP prepared on a non-routine basis and used in a hospital for an individual patient "
    "is authorised by the Member State (hospital exemption), not centrally",
    "reg_1394_2007",
    "Art. 28(2)",
)
R_EU_SOHO = Rule(
    "EU-SOHO-CELLS",
    "cells and tissues that are not ATMPs are substances of human origin",
    "soho_reg",
    "Art. 2",
)
R_EU_ACELLULAR = Rule(
    "EU-NOT-ATMP-ACELLULAR",
    "no cells and no recombinant nucleic acid: not an ATMP",
    "reg_1394_2007",
    "Art. 2(1)",
)


def _eu(facts: Facts) -> None:
    d = facts.decision
    if d.regulated_as:
        return
    atmp = d.category in ("sctmp", "tep", "gtmp", "combined_atmp")
    provider = facts.get("provider")
    if atmp and provider is not Provider.hospital:  # a clinic has no exemption in the EU
        _product_route(
            d,
            d.category,
            "CAT and CHMP assess; the Commission authorises",
            "reg_726_2004",
            "Art. 3",
        )
    if atmp and provider in (None, Provider.hospital):
        _tier_route(d, "hospital_exemption", None)
        if d.routes and d.routes[-1]["route"] == "hospital_exemption":
            d.routes[-1]["class"] = d.category
            d.routes[-1]["class_label"] = next(
                (c.label for c in d.jur.categories if c.id == d.category), None
            )
        if provider is Provider.hospital:
            d.fire(R_EU_HE)
            d.regulated_as = _as(
                d,
                "hospital_exemption",
                "an ATMP under the hospital exemption (national authorisation)",
                R_EU_HE,
            )
    if d.category != "not_atmp":
        return
    if facts.get("origin") is ProfileOrigin.none:
        d.regulated_as = _as(d, "not_cell_or_gene", "a medicinal product or device", R_EU_ACELLULAR)
    else:
        d.regulated_as = _as(d, "soho", "substances of human origin (tissues and cells)", R_EU_SOHO)


# --------------------------------------------------------------------------- Taiwan

R_TW_EXCLUDED = Rule(
    "TW-RM-ACT-3-EXCLUDED",
    "haematopoietic stem cell transplantation and assisted reproduction are excluded from "
    "regenerative medicine techniques",
    "rm_act",
    "Art. 3(3)",
)
R_TW_PRACTICE = Rule(
    "TW-RM-ACT-PRACTICE",
    "performed by a medical institution, it is a regenerative medicine technique: MOHW approval "
    "and local registration, after a completed human trial",
    "rm_act",
    "Arts. 3, 8",
)
R_TW_NOT_PREP = Rule(
    "TW-RMP-3-OTHER",
    "not a regenerative medicine preparation: a drug or device by its own nature, or ordinary "
    "medical practice",
    "rmp_act",
    "Art. 3",
)


def _tw(facts: Facts) -> None:
    d = facts.decision
    if d.regulated_as:
        return
    prep = d.category == "regenerative_medicine_preparation"
    function = facts.get("intended_function")
    if function in (IntendedFunction.hematopoietic_reconstitution, IntendedFunction.reproductive):
        d.fire(R_TW_EXCLUDED)
        if not prep:
            d.regulated_as = _as(
                d, "excluded_technique", "transplantation or assisted reproduction", R_TW_EXCLUDED
            )
            return
    if prep and _wants_product(facts):
        _product_route(
            d,
            d.extra.get("preparation_class"),
            "TFDA licenses the preparation",
            "rmp_act",
            "Art. 3",
        )
    practice = prep or d.category is None
    if (
        practice
        and _wants_practice(facts)
        and function
        not in (
            IntendedFunction.hematopoietic_reconstitution,
            IntendedFunction.reproductive,
        )
    ):
        _tier_route(d, "tw_rm_act", None)
        if facts.get("provider") in MEDICAL:
            d.fire(R_TW_PRACTICE)
            d.regulated_as = _as(
                d,
                "medical_practice_rm_act",
                "a regenerative medicine technique at a medical institution (MOHW approval, no "
                "product licence)",
                R_TW_PRACTICE,
            )
    if d.category == "not_regenerative_medicine_preparation" and not d.regulated_as:
        d.regulated_as = _as(
            d, "not_preparation", "a drug, device or medical practice", R_TW_NOT_PREP
        )
