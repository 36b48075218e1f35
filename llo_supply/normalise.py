"""Pure functions that turn what a Dutch course page says into typed values.

Each takes the text as shown on a page and returns plain values, or None when the text
does not say. Nothing here guesses: an unparseable value is None and the caller counts it.
"""

from __future__ import annotations

import re
from datetime import date

from llo_supply.taxonomy import fold, municipalities

HOURS_PER_EC = 28  # Dutch study-load norm (WHW art. 7.4: 1 EC = 28 hours).

_NUMBER_WORDS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6,
    "zeven": 7, "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13,
    "veertien": 14, "vijftien": 15, "zestien": 16, "zeventien": 17, "achttien": 18,
    "negentien": 19, "twintig": 20, "anderhalf": 1.5,
}  # fmt: skip
# Longest words first, after a word boundary: "achttien" is 18, not the "tien" inside it.
_NUM = r"\b(\d+(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"


def _number(token: str) -> float:
    token = token.casefold()
    if token in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[token])
    return float(token.replace(",", "."))


def _clean_number(value: float) -> float:
    return round(value, 1)


# ---------------------------------------------------------------- price

_AMOUNT = re.compile(
    r"(?:€|eur(?:o)?\b|&euro;)?\s*"
    r"(?P<int>\d{1,3}(?:[.\s]\d{3})+|\d+)"
    r"(?:[.,](?P<dec>\d{1,2})(?!\d)|,-+|,–)?"
)
_PRICE_HINT = re.compile(r"€|\beur(?:o)?\b|\bprijs\b|\bkosten\b|\d[.,]-", re.I)
_MONTH_PERIOD = re.compile(r"per\s+(?:maand|mnd)|p/m\b|/\s*(?:maand|mnd)\b|maandelijks", re.I)
_YEAR_PERIOD = re.compile(r"per\s+(?:jaar|studiejaar)|/\s*jaar\b", re.I)
_VAT_EXEMPT = re.compile(r"(?:vrijgesteld\s+van|vrij\s+van)\s+btw|btw[- ]?vrij|geen\s+btw", re.I)
_VAT_RATE = r"(?:\d+\s*%\s*)?"  # "excl. 21% btw"
_VAT_EXCL = re.compile(
    rf"\bexcl(?:\.|usief)?\s*(?:de\s+)?{_VAT_RATE}btw|\bex\.?\s+{_VAT_RATE}btw", re.I
)
_VAT_INCL = re.compile(rf"\bincl(?:\.|usief)?\s*(?:de\s+)?{_VAT_RATE}btw", re.I)


def parse_vat(text: str | None) -> str | None:
    """``"exempt"``, ``"excl"``, ``"incl"`` or None when the text does not mention btw."""
    if not text:
        return None
    if _VAT_EXEMPT.search(text):
        return "exempt"
    if _VAT_EXCL.search(text):
        return "excl"
    if _VAT_INCL.search(text):
        return "incl"
    return None


def parse_price(text: str | None) -> tuple[float | None, str | None]:
    """The first amount in EUR and its period (``"total"``, ``"month"`` or ``"year"``).

    >>> parse_price("vanaf € 49 per maand")
    (49.0, 'month')
    >>> parse_price("€ 1.295,-")
    (1295.0, 'total')
    """
    if not text:
        return None, None
    if _FREE.search(text) and not _CURRENCY.search(text):
        return 0.0, "total"
    if re.fullmatch(r"\s*[\d.,]+\s*", text):  # structured data: a bare number
        candidates = list(_AMOUNT.finditer(text))
    else:
        found = [m for m in _AMOUNT.finditer(text) if _priced(text, m)]
        # An amount with a currency sign or ",-" beats a number near a price word.
        candidates = sorted(found, key=lambda m: not _strong(text, m))
    if not candidates:
        return None, None
    match = candidates[0]
    whole = re.sub(r"[.\s]", "", match["int"])
    amount = float(whole) + (float(f"0.{match['dec']}") if match["dec"] else 0.0)
    after = text[match.end() : match.end() + 30]  # the period belongs to this amount
    if _MONTH_PERIOD.search(after):
        period = "month"
    elif _YEAR_PERIOD.search(after):
        period = "year"
    else:
        period = "total"
    return round(amount, 2), period


_CURRENCY = re.compile(r"€|\beur(?:o)?\b", re.I)
_FREE = re.compile(r"\bgratis\b|\bkosteloos\b|\bfree of charge\b", re.I)
_UNIT_AFTER = re.compile(r"\s*(?:dagen|dag|uur|uren|weken|week|maanden|maand|jaar|ec\b|%)", re.I)


def _strong(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 6) : match.start() + 2]
    return bool(_CURRENCY.search(before)) or text[match.end() - 2 : match.end()] in (",-", ",–")


def _priced(text: str, match: re.Match[str]) -> bool:
    """A number that is a price: with a currency, or near a price word and not a count."""
    if _strong(text, match):
        return True
    if _UNIT_AFTER.match(text, match.end()):
        return False  # "3 dagen", "12 maanden"
    number = match["int"]
    if len(number) == 4 and number.startswith("20") and not match["dec"]:
        return False  # a year: "Kosten 2025"
    around = text[max(0, match.start() - 12) : match.end() + 3]
    return bool(_PRICE_HINT.search(around))


# ---------------------------------------------------------------- duration and study load

_UNITS = {
    "jaar": "Y", "jaren": "Y", "jr": "Y",
    "maand": "M", "maanden": "M", "mnd": "M",
    "week": "W", "weken": "W", "wk": "W",
    "dag": "D", "dagen": "D", "lesdag": "D", "lesdagen": "D", "dagdeel": "D", "dagdelen": "D",
    "year": "Y", "years": "Y", "month": "M", "months": "M", "weeks": "W", "day": "D",
    "days": "D",
}  # fmt: skip
_DURATION = re.compile(
    _NUM + r"\s*(?:(?:tot|à|a|-|–)\s*\d+(?:[.,]\d+)?\s*)?(" + "|".join(_UNITS) + r")\b", re.I
)


_ISO_DURATION = re.compile(r"P(\d+(?:[.,]\d+)?)([YMWD])")


def parse_duration(text: str | None) -> str | None:
    """The first stated duration as ISO 8601 (``"P6M"``, ``"P40W"``, ``"P1.5Y"``)."""
    if not text:
        return None
    iso = _ISO_DURATION.fullmatch(text.strip())
    if iso:  # structured data states it in ISO already
        return f"P{_number(iso[1]):g}{iso[2]}"
    for match in _DURATION.finditer(text):
        tail = text[match.end() : match.end() + 12].casefold()
        if tail.lstrip().startswith("per "):
            continue  # "1 dag per week" is a rhythm, not the length
        value = _number(match[1])
        unit = _UNITS[match[2].casefold()]
        if match[2].casefold() in ("dagdeel", "dagdelen"):
            value = value / 2
        amount = f"{value:g}"
        return f"P{amount}{unit}"
    return None


_TOTAL_HOURS = re.compile(
    _NUM + r"\s*(?:tot|à|-|–)?\s*(?:\d+\s*)?(?:uur|uren|hours|klokuren)\b", re.I
)
_WEEKLY_HOURS = re.compile(
    _NUM + r"\s*(?:(?:tot|à|-|–)\s*\d+\s*)?(?:uur|uren|hours)\s*(?:per|p/|/|a)\s*(?:week|wk)\b",
    re.I,
)
_EC = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:EC|ECTS|studiepunten)\b", re.I)


def parse_ects(text: str | None) -> float | None:
    """Credits in EC ("6 EC", "15 ECTS", "30 studiepunten")."""
    if not text:
        return None
    match = _EC.search(text)
    return _number(match[1]) if match else None


def parse_study_load(
    text: str | None, duration: str | None = None, ects: float | None = None
) -> float | None:
    """Total study load in hours: stated hours, hours per week × weeks, or EC × 28."""
    if text:
        weekly = _WEEKLY_HOURS.search(text)
        total = _TOTAL_HOURS.search(text)
        if weekly and total and total.start() < weekly.start():
            return _clean_number(_number(total[1]))  # "840 uur (ca. 8 uur per week)"
        if weekly:
            # Only a duration in weeks gives an exact total; months vary in weeks.
            if duration and duration.endswith("W"):
                return _clean_number(_number(weekly[1]) * float(duration[1:-1]))
        else:
            total = _TOTAL_HOURS.search(text)
            if total:
                return _clean_number(_number(total[1]))
    if ects is not None:
        return _clean_number(float(ects) * HOURS_PER_EC)
    return None


# ---------------------------------------------------------------- level

_LEVELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("post-wo", re.compile(r"post[- ]?(?:master|academisch|wo|initieel\s+wo)\b", re.I)),
    ("post-hbo", re.compile(r"post[- ]?hbo\b", re.I)),
    ("ad", re.compile(r"\bassociate\s+degree\b|\bAd[- ]programma\b", re.I)),
    ("wo", re.compile(r"\bwo\b|\bwo-(?:bachelor|master)\b|\bacademisch\b|universitair", re.I)),
    ("hbo", re.compile(r"\bhbo\b|\bhbo-(?:bachelor|master|niveau)\b|\bbachelor\b", re.I)),
    ("mbo", re.compile(r"\bmbo\b", re.I)),
)
_MBO_LEVEL = re.compile(r"\bmbo[- ]?(?:niveau\s*)?([1-4])\b|\bniveau\s*([1-4])\b", re.I)
_NLQF = re.compile(r"\b(?:NLQF|EQF)[- ]?(?:niveau\s*)?([1-8])\b", re.I)


def parse_level(text: str | None) -> str | None:
    """One of mbo-1..mbo-4, mbo, ad, hbo, post-hbo, wo, post-wo; None when unstated."""
    if not text:
        return None
    for level, pattern in _LEVELS:
        if pattern.search(text):
            if level == "mbo":
                number = _MBO_LEVEL.search(text)
                if number:
                    return f"mbo-{number[1] or number[2]}"
            return level
    return None


def parse_nlqf(text: str | None) -> int | None:
    """The NLQF/EQF level (1-8) when the text names one."""
    if not text:
        return None
    match = _NLQF.search(text)
    return int(match[1]) if match else None


# ---------------------------------------------------------------- delivery mode

DELIVERY_MODES = ("online", "klassikaal", "blended", "incompany")
_ONLINE = re.compile(
    r"online|e-?learning|thuisstudie|afstandsonderwijs|digitaal|virtueel|zelfstudie", re.I
)
_CLASSROOM = re.compile(
    r"klassikaal|op\s+locatie|op\s+de\s+campus|fysiek|contactonderwijs|onsite|on-site|"
    r"in\s+company\s+of\s+klassikaal|lesdagen\s+op|face[- ]to[- ]face",
    re.I,
)
_BLENDED = re.compile(r"blended|hybride|gecombineerd", re.I)
_PRACTICE_DAYS = re.compile(r"praktijkdag|lesdag|bijeenkomst|contactdag", re.I)
_INCOMPANY = re.compile(r"in[- ]?company|bij\s+u\s+op\s+locatie|maatwerk\s+voor\s+uw", re.I)


def parse_delivery(text: str | None) -> list[str]:
    """Delivery modes in canonical order; online + practice days counts as blended.

    Each listed part counts on its own ("onsite, blended" is both), while within one part
    "blended (klassikaal en online)" is blended only.
    """
    if not text:
        return []
    found: set[str] = set()
    for part in re.split(r"[,;|]", text):
        if _INCOMPANY.search(part):
            found.add("incompany")
        rest = _INCOMPANY.sub(" ", part)
        online = bool(_ONLINE.search(rest))
        if _BLENDED.search(rest) or (online and _PRACTICE_DAYS.search(rest)):
            found.add("blended")
        else:
            if online:
                found.add("online")
            if _CLASSROOM.search(rest):
                found.add("klassikaal")
    return [mode for mode in DELIVERY_MODES if mode in found]


# ---------------------------------------------------------------- start dates

_MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "febr": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"(?:\b(?P<day>[0-3]?\d)\s+)?\b(?P<month>{_MONTH_NAMES})\b\.?(?:\s+(?P<year>20\d\d))?",
    re.I,
)
_ISO_DATE = re.compile(r"\b(20\d\d)-([01]\d)-([0-3]\d)(?!\d)")  # also "2027-09-01T09:00"
_NUMERIC_DATE = re.compile(r"\b([0-3]?\d)[-/.]([01]?\d)[-/.](20\d\d)\b")
_ANYTIME = re.compile(
    r"wanneer\s+(?:je|u)\s+(?:maar\s+)?wil|doorlopend|elk\s+moment|altijd\s+starten|"
    r"direct\s+starten|per\s+direct|start\s+direct|any\s*time",
    re.I,
)


def parse_start_anytime(text: str | None) -> bool:
    """True when the provider says you can start at any moment."""
    return bool(text and _ANYTIME.search(text))


def parse_start_dates(text: str | None, reference: date) -> list[str]:
    """Sorted ISO dates; a month without a day is ``YYYY-MM``.

    A date without a year takes the year of a later date in the same text ("1 feb. en
    1 sep. 2027"), else the first year from ``reference`` on which it is not in the past.
    """
    if not text:
        return []
    found: list[tuple[int | None, int, int | None]] = []
    spans: list[tuple[int, int]] = []
    for match in _ISO_DATE.finditer(text):
        found.append((int(match[1]), int(match[2]), int(match[3])))
        spans.append(match.span())
    for match in _NUMERIC_DATE.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        found.append((int(match[3]), int(match[2]), int(match[1])))
        spans.append(match.span())
    for match in _TEXT_DATE.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        word = match["month"].casefold()
        # "mar"/"may"/"jun" etc. are only months when a day or year stands beside them.
        if len(word) <= 4 and not (match["day"] or match["year"]) and word not in ("mei",):
            continue
        if word == "mei" and not (match["day"] or match["year"]):
            continue
        day = int(match["day"]) if match["day"] else None
        year = int(match["year"]) if match["year"] else None
        found.append((year, _MONTHS[word], day))
    dates: set[str] = set()
    for index, (year, month, day) in enumerate(found):
        if year is None:
            later = [y for y, _, _ in found[index + 1 :] if y is not None]
            if later:
                year = later[0]
            else:
                year = reference.year
                if (month, day or 31) < (reference.month, reference.day):
                    year += 1
        try:
            iso = date(year, month, day).isoformat() if day else f"{year:04d}-{month:02d}"
        except ValueError:
            continue
        dates.add(iso)
    return sorted(dates)


# ---------------------------------------------------------------- places and language

_PLACE_SPLIT = re.compile(r"\s*(?:,|;|/|\||\n|\s+en\s+|\s+of\s+|\s+-\s+|·)\s*")


def parse_locations(text: str | None) -> list[str]:
    """Municipality names (CBS spelling) mentioned in a location text, sorted."""
    if not text:
        return []
    places = municipalities()
    found: set[str] = set()
    for part in _PLACE_SPLIT.split(text):
        key = fold(part.strip(" .()"))
        if not key:
            continue
        if key in places:
            found.add(places[key]["name"])
            continue
        # "Amsterdam Science Park", "NCOI Utrecht": the longest municipality inside the part.
        words = key.split()
        best = None
        for size in range(len(words), 0, -1):
            for start in range(len(words) - size + 1):
                candidate = " ".join(words[start : start + size])
                if candidate in places:
                    best = places[candidate]["name"]
                    break
            if best:
                break
        if best:
            found.add(best)
    return sorted(found)


_LANGUAGES = {
    "nl": re.compile(r"^nl\b|nederlands|dutch", re.I),
    "en": re.compile(r"^en\b|engels|english", re.I),
}


def parse_language(text: str | None) -> str | None:
    """``"nl"`` or ``"en"`` (the first language named), None when unstated."""
    if not text:
        return None
    hits = [(m.start(), code) for code, rx in _LANGUAGES.items() if (m := rx.search(text))]
    return min(hits)[1] if hits else None
