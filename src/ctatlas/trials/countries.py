"""Country names as registries write them, to ISO 3166 alpha-2 codes.

A hand-kept list of the spellings the registries use (ClinicalTrials.gov, ICTRP, CRIS, jRCT,
in English, Korean and Japanese), backed by every country and territory's English name from
CLDR (through Babel) and the ISO forms ClinicalTrials.gov writes ("Congo, The Democratic
Republic of the"), so that a study sited in Madagascar or Saint Lucia keeps its country.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_COUNTRIES = {
    "afghanistan": "AF",
    "albania": "AL",
    "algeria": "DZ",
    "argentina": "AR",
    "armenia": "AM",
    "australia": "AU",
    "austria": "AT",
    "azerbaijan": "AZ",
    "bahrain": "BH",
    "bangladesh": "BD",
    "belarus": "BY",
    "belgium": "BE",
    "benin": "BJ",
    "bolivia": "BO",
    "bosnia and herzegovina": "BA",
    "botswana": "BW",
    "brazil": "BR",
    "bulgaria": "BG",
    "burkina faso": "BF",
    "cambodia": "KH",
    "cameroon": "CM",
    "canada": "CA",
    "chile": "CL",
    "china": "CN",
    "colombia": "CO",
    "costa rica": "CR",
    "croatia": "HR",
    "cuba": "CU",
    "cyprus": "CY",
    "czech republic": "CZ",
    "czechia": "CZ",
    "denmark": "DK",
    "dominican republic": "DO",
    "ecuador": "EC",
    "egypt": "EG",
    "el salvador": "SV",
    "estonia": "EE",
    "ethiopia": "ET",
    "finland": "FI",
    "france": "FR",
    "georgia": "GE",
    "germany": "DE",
    "ghana": "GH",
    "greece": "GR",
    "guatemala": "GT",
    "honduras": "HN",
    "hong kong": "HK",
    "hungary": "HU",
    "iceland": "IS",
    "india": "IN",
    "indonesia": "ID",
    "iran": "IR",
    "iran (islamic republic of)": "IR",
    "iran, islamic republic of": "IR",
    "iraq": "IQ",
    "ireland": "IE",
    "israel": "IL",
    "italy": "IT",
    "jamaica": "JM",
    "japan": "JP",
    "jordan": "JO",
    "kazakhstan": "KZ",
    "kenya": "KE",
    "korea": "KR",
    "korea, republic of": "KR",
    "republic of korea": "KR",
    "south korea": "KR",
    "korea (south)": "KR",
    "kuwait": "KW",
    "kyrgyzstan": "KG",
    "latvia": "LV",
    "lebanon": "LB",
    "libya": "LY",
    "lithuania": "LT",
    "luxembourg": "LU",
    "macau": "MO",
    "macao": "MO",
    "malawi": "MW",
    "malaysia": "MY",
    "mali": "ML",
    "malta": "MT",
    "mexico": "MX",
    "moldova": "MD",
    "moldova, republic of": "MD",
    "republic of moldova": "MD",
    "mongolia": "MN",
    "montenegro": "ME",
    "morocco": "MA",
    "mozambique": "MZ",
    "myanmar": "MM",
    "nepal": "NP",
    "netherlands": "NL",
    "the netherlands": "NL",
    "new zealand": "NZ",
    "nicaragua": "NI",
    "nigeria": "NG",
    "north macedonia": "MK",
    "macedonia": "MK",
    "norway": "NO",
    "oman": "OM",
    "pakistan": "PK",
    "palestine": "PS",
    "panama": "PA",
    "paraguay": "PY",
    "peru": "PE",
    "philippines": "PH",
    "poland": "PL",
    "portugal": "PT",
    "puerto rico": "PR",
    "qatar": "QA",
    "romania": "RO",
    "russia": "RU",
    "russian federation": "RU",
    "rwanda": "RW",
    "saudi arabia": "SA",
    "senegal": "SN",
    "serbia": "RS",
    "singapore": "SG",
    "slovakia": "SK",
    "slovenia": "SI",
    "south africa": "ZA",
    "spain": "ES",
    "sri lanka": "LK",
    "sudan": "SD",
    "sweden": "SE",
    "switzerland": "CH",
    "syria": "SY",
    "syrian arab republic": "SY",
    "taiwan": "TW",
    "taiwan, province of china": "TW",
    "tanzania": "TZ",
    "tanzania, united republic of": "TZ",
    "united republic of tanzania": "TZ",
    "thailand": "TH",
    "tunisia": "TN",
    "turkey": "TR",
    "türkiye": "TR",
    "turkiye": "TR",
    "uganda": "UG",
    "ukraine": "UA",
    "united arab emirates": "AE",
    "united kingdom": "GB",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "uruguay": "UY",
    "uzbekistan": "UZ",
    "venezuela": "VE",
    "vietnam": "VN",
    "viet nam": "VN",
    "yemen": "YE",
    "zambia": "ZM",
    "zimbabwe": "ZW",
    "대한민국": "KR",
    "한국": "KR",
    "日本": "JP",
}


# the ISO 3166 names registries use that neither the list above nor CLDR's English short names
# (below) spell so: ClinicalTrials.gov's "X, Republic of" forms and older ISO names
_ISO_FORMS = {
    "congo, the democratic republic of the": "CD",
    "congo, democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo": "CG",
    "republic of the congo": "CG",
    "korea, democratic people's republic of": "KP",
    "democratic people's republic of korea": "KP",
    "lao people's democratic republic": "LA",
    "micronesia, federated states of": "FM",
    "virgin islands (u.s.)": "VI",
    "virgin islands, u.s.": "VI",
    "virgin islands (british)": "VG",
    "virgin islands, british": "VG",
    "palestinian territory, occupied": "PS",
    "palestine, state of": "PS",
    "state of palestine": "PS",
    "holy see (vatican city state)": "VA",
    "holy see": "VA",
    "libyan arab jamahiriya": "LY",
    "brunei darussalam": "BN",
    "cabo verde": "CV",
    "swaziland": "SZ",
    "macedonia, the former yugoslav republic of": "MK",
    "bolivia, plurinational state of": "BO",
    "venezuela, bolivarian republic of": "VE",
    "moldova, republic of": "MD",
    "iran, islamic republic of": "IR",
    "saint martin (french part)": "MF",
    "sint maarten (dutch part)": "SX",
    "myanmar": "MM",
    "burma": "MM",
    "saint vincent and the grenadines": "VC",
    "heard island and mcdonald islands": "HM",
    "south georgia and the south sandwich islands": "GS",
    "united states minor outlying islands": "UM",
    "saint helena, ascension and tristan da cunha": "SH",
    "falkland islands (malvinas)": "FK",
    "bonaire, sint eustatius and saba": "BQ",
}
# CLDR codes that are regions, groupings or test codes, not countries or territories
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def _fold(name: str) -> str:
    """A country name folded for lookup: lower case, accents and apostrophes dropped, "&" read
    as "and", "St." as "Saint", spaces collapsed ("Côte D'Ivoire" and "Côte d’Ivoire" fold
    alike)."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`]", "", text).replace("&", " and ")
    text = re.sub(r"\bst\.\s*", "saint ", text)
    return re.sub(r"\s+", " ", text).strip(" .")


@functools.lru_cache(maxsize=1)
def _folded_names() -> dict[str, str]:
    """Every name this module knows, folded: the list above, the registries' ISO forms, and
    CLDR's English short name of every country and territory (from Babel, a runtime
    dependency already; read once, on the first name the list does not hold)."""
    from babel import Locale

    names: dict[str, str] = {}
    for code, label in Locale("en").territories.items():
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
            names[_fold(label)] = code
            # CLDR's "Congo - Kinshasa", "Myanmar (Burma)": the part before the qualifier
            # too, unless two territories share it
            head = re.split(r" - | \(", label)[0]
            if head != label:
                names.setdefault(_fold(head), code)
    names.pop("congo", None)  # Kinshasa and Brazzaville: only the ISO forms decide
    names.update({_fold(k): v for k, v in _ISO_FORMS.items()})
    names.update({_fold(k): v for k, v in _COUNTRIES.items()})
    return names


@functools.lru_cache(maxsize=4096)
def country_code(name: str | None) -> str | None:
    """ISO 3166 alpha-2 for a registry's country name, or None when not recognised.

    The hand-kept list first (registries' own spellings and the Japanese and Korean names),
    then any country or territory by its ISO or CLDR English name, folded (accents,
    apostrophes, "&", "St."). Only whole names match: "Texas, United States" is not a
    country."""
    if not name:
        return None
    key = re.sub(r"\s+", " ", name.strip().strip(".").lower())
    if len(key) == 2 and key.upper() in _COUNTRIES.values():
        return key.upper()
    found = _COUNTRIES.get(key)
    if found is None and key:
        found = _folded_names().get(_fold(key))
    return found


def countries_from(names: list[str] | str | None, sep: str = ";") -> list[str]:
    if not names:
        return []
    if isinstance(names, str):
        names = re.split(rf"[{re.escape(sep)}|]|<br>", names)
    out: list[str] = []
    for n in dict.fromkeys(names):
        code = country_code(n)
        if code and code not in out:
            out.append(code)
    return out
