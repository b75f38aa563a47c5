"""Registry codes of the trials store -> the registry's own name (proper nouns: not
translated), for pages and reports."""

from __future__ import annotations

__all__ = ["REGISTRY_NAMES"]

REGISTRY_NAMES = {
    "ctgov": "ClinicalTrials.gov",
    "cris": "CRIS (Korea)",
    "jprn": "Japan Primary Registries Network (jRCT, UMIN-CTR, JapicCTI)",
    "ctri": "CTRI (India)",
    "chictr": "ChiCTR (China)",
    "euctr": "EU Clinical Trials Register",
    "irct": "IRCT (Iran)",
    "isrctn": "ISRCTN",
    "anzctr": "ANZCTR",
    "drks": "DRKS (Germany)",
    "ntr": "Netherlands Trial Register",
    "pactr": "PACTR",
    "tctr": "TCTR (Thailand)",
    "rebec": "ReBEC (Brazil)",
    "slctr": "SLCTR (Sri Lanka)",
    "lbctr": "LBCTR (Lebanon)",
    "repec": "REPEC (Peru)",
    "rpcec": "RPCEC (Cuba)",
    "itmctr": "ITMCTR",
}
