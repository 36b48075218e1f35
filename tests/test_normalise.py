"""Parsing Dutch course facts into typed values; cases worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from llo_supply import normalise as n

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "amount", "period"),
    [
        ("€ 1.295,-", 1295.0, "total"),
        ("vanaf € 49 per maand", 49.0, "month"),
        ("€ 2.950 (vrijgesteld van btw)", 2950.0, "total"),
        ("Totaalprijs € 2.340 (incl. btw)", 2340.0, "total"),
        ("€ 3.200; alumni € 2.880", 3200.0, "total"),
        ("€ 1.295,50", 1295.5, "total"),
        ("1295.00", 1295.0, "total"),
        ("€ 229.00 per maand", 229.0, "month"),
        ("EUR 450 per jaar", 450.0, "year"),
        ("Prijs op aanvraag", None, None),
        ("", None, None),
        ("Studieduur 12 maanden", None, None),
    ],
)
def test_parse_price(text: str, amount: float | None, period: str | None) -> None:
    assert n.parse_price(text) == (amount, period)


@pytest.mark.parametrize(
    ("text", "vat"),
    [
        ("€ 2.950 (vrijgesteld van btw)", "exempt"),
        ("btw-vrij", "exempt"),
        ("€ 1.450 excl. btw", "excl"),
        ("exclusief btw", "excl"),
        ("€ 895 incl. btw", "incl"),
        ("€ 895", None),
    ],
)
def test_parse_vat(text: str, vat: str | None) -> None:
    assert n.parse_vat(text) == vat


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("12 maanden", "P12M"),
        ("ca. 40 weken", "P40W"),
        ("8 weken, 1 avond per week", "P8W"),
        ("1 jaar", "P1Y"),
        ("1,5 jaar", "P1.5Y"),
        ("anderhalf jaar", "P1.5Y"),
        ("6 - 9 maanden", "P6M"),
        ("3 dagen", "P3D"),
        ("4 dagdelen", "P2D"),
        ("1 dag per week gedurende 10 weken", "P10W"),
        ("in overleg", None),
    ],
)
def test_parse_duration(text: str, iso: str | None) -> None:
    assert n.parse_duration(text) == iso


@pytest.mark.parametrize(
    ("text", "duration", "ects", "hours"),
    [
        ("circa 120 uur", None, None, 120.0),
        ("6 uur per week", "P40W", None, 240.0),
        ("6 uur per week", "P9M", None, None),  # months vary in weeks: no exact total
        ("840 uur (ca. 8 uur per week)", "P2Y", None, 840.0),
        (None, None, 6.0, 168.0),
        ("5 EC", None, 5.0, 140.0),
        ("", None, None, None),
    ],
)
def test_parse_study_load(
    text: str | None, duration: str | None, ects: float | None, hours: float | None
) -> None:
    assert n.parse_study_load(text, duration, ects) == hours


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("MBO 4", "mbo-4"),
        ("mbo-niveau 3", "mbo-3"),
        ("MBO-diploma (erkend)", "mbo"),
        ("HBO-bachelor", "hbo"),
        ("Post-HBO", "post-hbo"),
        ("Associate degree", "ad"),
        ("Academisch (wo)", "wo"),
        ("wo-master", "wo"),
        ("Post-master", "post-wo"),
        ("Cursus", None),
    ],
)
def test_parse_level(text: str, level: str | None) -> None:
    assert n.parse_level(text) == level


@pytest.mark.parametrize(
    ("text", "nlqf"), [("MBO 4 (NLQF 4)", 4), ("EQF-niveau 6", 6), ("NLQF9", None), ("hbo", None)]
)
def test_parse_nlqf(text: str, nlqf: int | None) -> None:
    assert n.parse_nlqf(text) == nlqf


@pytest.mark.parametrize(
    ("text", "modes"),
    [
        ("Online", ["online"]),
        ("Thuisstudie", ["online"]),
        ("Online met 4 praktijkdagen", ["blended"]),
        ("Blended (klassikaal en online)", ["blended"]),
        ("Deeltijd, op locatie", ["klassikaal"]),
        ("Klassikaal of online, incompany mogelijk", ["online", "klassikaal", "incompany"]),
        ("Incompany op aanvraag", ["incompany"]),
        ("", []),
    ],
)
def test_parse_delivery(text: str, modes: list[str]) -> None:
    assert n.parse_delivery(text) == modes


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("12 januari 2027, 9 maart 2027", ["2027-01-12", "2027-03-09"]),
        ("1 feb. en 1 sep. 2027", ["2027-02-01", "2027-09-01"]),
        ("6 sept. 2027", ["2027-09-06"]),
        ("september 2027", ["2027-09"]),
        ("2027-01-12, 2027-01-12", ["2027-01-12"]),
        ("12-01-2027", ["2027-01-12"]),
        ("8 september", ["2027-09-08"]),  # past this year's: next year
        ("8 december", ["2026-12-08"]),
        ("Voorjaar 2027, datum volgt", []),
        ("31 februari 2027", []),
        ("Start wanneer je wilt", []),
    ],
)
def test_parse_start_dates(text: str, dates: list[str]) -> None:
    assert n.parse_start_dates(text, TODAY) == dates


@pytest.mark.parametrize(
    ("text", "anytime"),
    [("Start wanneer je wilt", True), ("Doorlopend instromen", True), ("1 mei 2027", False)],
)
def test_parse_start_anytime(text: str, anytime: bool) -> None:
    assert n.parse_start_anytime(text) is anytime


@pytest.mark.parametrize(
    ("text", "places"),
    [
        ("Amsterdam, Utrecht, Eindhoven", ["Amsterdam", "Eindhoven", "Utrecht"]),
        ("Roeterseilandcampus, Amsterdam", ["Amsterdam"]),
        ("Amsterdam Science Park", ["Amsterdam"]),
        ("Den Haag en Den Bosch", ["'s-Gravenhage", "'s-Hertogenbosch"]),
        ("Leiden /\n Zwolle", ["Leiden", "Zwolle"]),
        ("Rijswijk", ["Rijswijk (ZH.)"]),
        ("Bergen", []),  # two municipalities are called Bergen
        ("Online", []),
    ],
)
def test_parse_locations(text: str, places: list[str]) -> None:
    assert n.parse_locations(text) == places


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Nederlands", "nl"), ("Engels", "en"), ("en", "en"), ("nl-NL", "nl"), ("", None)],
)
def test_parse_language(text: str, lang: str | None) -> None:
    assert n.parse_language(text) == lang


def test_parse_ects() -> None:
    assert n.parse_ects("Bewijs van deelname (6 EC)") == 6.0
    assert n.parse_ects("7,5 ECTS") == 7.5
    assert n.parse_ects("Certificaat") is None


@pytest.mark.parametrize(
    ("text", "amount", "period"),
    [
        ("Kosten 2025: € 1.250", 1250.0, "total"),  # a year is not a price
        ("Prijs: 3 dagen, € 895", 895.0, "total"),  # nor is a number of days
        ("€ 1.295,- of 12 termijnen van € 115 per maand", 1295.0, "total"),
        ("Gratis voor werkzoekenden", 0.0, "total"),
    ],
)
def test_parse_price_picks_the_amount_not_any_number(text: str, amount: float, period: str) -> None:
    assert n.parse_price(text) == (amount, period)


def test_dutch_number_words_from_eleven_to_twenty() -> None:
    assert n.parse_duration("achttien weken") == "P18W"
    assert n.parse_duration("veertien dagen") == "P14D"
    assert n.parse_study_load("achttien uur") == 18.0


def test_vat_with_a_rate_and_iso_datetimes() -> None:
    assert n.parse_vat("€ 2.950 excl. 21% btw") == "excl"
    assert n.parse_vat("incl. 21 % btw") == "incl"
    assert n.parse_start_dates("2027-09-01T09:00", TODAY) == ["2027-09-01"]


def test_curly_apostrophe_in_a_place_name() -> None:
    assert n.parse_locations("’s-Hertogenbosch en ‘s-Gravenhage") == [
        "'s-Gravenhage",
        "'s-Hertogenbosch",
    ]
