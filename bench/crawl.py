"""Crawl throughput: the full llo-supply NCOI crawl against a bare Scrapy spider.

    .venv/bin/python bench/crawl.py [--pages N] [--json] [--repeat R] [--seed S] [--profile DIR]

Writes a synthetic NCOI-shaped site (N course pages, 20 cards per listing page) to a
temporary folder, serves it on 127.0.0.1 from a separate process, then crawls it twice,
each crawl in its own Python process (Scrapy's reactor cannot restart in one process):

- ``full``: ``llo_supply.crawl.run_crawl`` (NCOI spider, every item pipeline, catalogue
  staging and the merge at the end) into a fresh SQLite catalogue;
- ``baseline``: a bare spider with the project's settings, the same links and CSS selectors,
  plain dicts, no pipelines, no catalogue.

Each crawl is timed around ``CrawlerProcess.start()``. The report gives pages/s for both and
``ratio = full ÷ baseline``; the target is ``ratio >= 0.7``. A missed target still exits 0
(this is a measurement); a failed crawl or a wrong item count exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import html
import json
import logging
import math
import pstats
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from statistics import median
from typing import IO, Any, ClassVar
from unittest import mock
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Request, Response
from scrapy.settings import Settings

from llo_supply import crawl as llo_crawl
from llo_supply.fixtures import FixtureSite
from scrapers.spiders.ncoi import NcoiSpider

ORIGIN = NcoiSpider.site_url
CARDS_PER_PAGE = 20
TARGET_RATIO = 0.7
DEFAULT_PAGES = 2000
# The server outlives no benchmark: it stops when its stdin closes, or after this at most.
SERVER_MAX_SECONDS = 3600.0
# A course page is /opleidingen/<vakgebied>/<slug>; listing pages are /opleidingen?pagina=n.
COURSE_PATH = re.compile(r"^/opleidingen/[^/]+/[^/]+$")
SCRIPT = Path(__file__).resolve()


# ================================================================ the synthetic site

VAKGEBIEDEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "bouw-en-vastgoed": ("Bouw en vastgoed", (
        "Duurzaam bouwen", "Vastgoedmanagement", "Bouwkunde", "Werkvoorbereiding bouw",
        "Isolatietechniek", "Bouwkostenadvies", "Renovatie en onderhoud", "BIM-modelleren",
    )),
    "energie-en-duurzaamheid": ("Energie en duurzaamheid", (
        "Energieadvies woningbouw", "Circulaire economie", "Waterstoftechniek",
        "Zonnestroominstallaties", "Energietransitie", "Warmtenetten",
        "Duurzaamheidsmanagement", "Laadinfrastructuur",
    )),
    "financieel": ("Financieel", (
        "Boekhouden", "Bedrijfsadministratie", "Financieel management", "Controlling",
        "Accountancy", "Salarisadministratie", "Fiscaal recht", "Treasury",
    )),
    "hrm": ("HRM", (
        "Human Resource Management", "Arbeidsrecht", "Recruitment", "Loopbaanbegeleiding",
        "Verzuimmanagement", "Strategisch HRM", "Personeelsadministratie",
        "Organisatieontwikkeling",
    )),
    "ict": ("ICT", (
        "Programmeren in Python", "Cybersecurity", "Data-analyse", "Cloudarchitectuur",
        "Netwerkbeheer", "Softwareontwikkeling", "Informatiemanagement", "Machine learning",
    )),
    "management": ("Management", (
        "Projectmanagement", "Leidinggeven", "Verandermanagement", "Lean Six Sigma",
        "Bedrijfskunde", "Procesmanagement", "Agile werken", "Operationeel management",
    )),
    "techniek": ("Techniek", (
        "Warmtepomptechniek", "Elektrotechniek", "Werktuigbouwkunde", "Installatietechniek",
        "Meet- en regeltechniek", "Mechatronica", "Koudetechniek", "Onderhoudstechniek",
    )),
    "zorg-en-welzijn": ("Zorg en welzijn", (
        "Verzorgende IG", "Praktijkopleiden in de zorg", "Management in zorg en welzijn",
        "Dementiezorg", "Jeugdzorg", "Sociaal werk", "Verpleegkunde", "Zorgcoördinatie",
    )),
}  # fmt: skip

# Real municipalities (CBS names or their curated aliases), so parse_locations finds them.
CITIES = (
    "Amsterdam", "Rotterdam", "Den Haag", "Utrecht", "Eindhoven", "Groningen", "Tilburg",
    "Almere", "Breda", "Nijmegen", "Apeldoorn", "Arnhem", "Haarlem", "Enschede",
    "Amersfoort", "Zaanstad", "'s-Hertogenbosch", "Zwolle", "Leiden", "Maastricht",
    "Dordrecht", "Ede", "Leeuwarden", "Alkmaar", "Emmen", "Venlo", "Deventer", "Delft",
    "Helmond", "Hilversum", "Heerlen", "Assen", "Lelystad", "Gouda", "Roosendaal", "Oss",
    "Zoetermeer", "Hoorn", "Purmerend", "Schiedam",
)  # fmt: skip

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
)  # fmt: skip

DOELGROEPEN = (
    "professionals met een paar jaar werkervaring", "zij-instromers die een nieuw vak willen leren",
    "leidinggevenden in het mkb", "medewerkers van gemeenten en provincies",
    "technici met een mbo-achtergrond", "hbo-professionals die zich willen specialiseren",
    "zzp'ers die hun kennis actueel willen houden", "teamleiders in zorg en onderwijs",
)  # fmt: skip

# Sentences of the course text; {o} is the subject, {d} the audience, {s} a city, {n} a number.
# Some carry diacritics and dashes, as Dutch pages do: the text pipelines treat ASCII apart.
SENTENCES = (
    "In deze opleiding leer je stap voor stap hoe je {o} in de praktijk toepast.",
    "Je werkt aan opdrachten die direct aansluiten op vraagstukken uit je eigen organisatie.",
    "Ervaren docenten uit het werkveld begeleiden je en geven één keer per maand feedback.",
    "De vraag naar kennis van {o} groeit snel, zowel bij bedrijven als bij overheden.",
    "Online colleges volg je wanneer het jou uitkomt, zodat je studie te combineren is met werk.",
    "Tijdens {n} bijeenkomsten in {s} oefen je met realistische casussen in kleine groepen.",
    "Je sluit elke module af met een praktijkopdracht die je beoordeelt met je begeleider.",
    "Na afloop kun je zelfstandig adviseren over {o} en weet je welke regels daarbij gelden.",
    "Je bouwt een netwerk op met vakgenoten die met dezelfde vraagstukken bezig zijn als jij.",
    "De opleiding is ontwikkeld met werkgevers – zo leer je wat de markt nu vraagt.",
    "Naast theorie besteed je veel aandacht aan communicatie met cliënten en collega's.",
    "In de laatste fase werk je een eigen verbeterplan uit en presenteer je dat aan je groep.",
    "Je leert de nieuwste methoden kennen en werkt je eigen ideeën uit tot een voorstel.",
    "Het lesmateriaal is actueel en wordt elk jaar bijgewerkt met nieuwe wet- en regelgeving.",
    "Je studieloopbaanbegeleider helpt je bij het plannen van je studie en je examens.",
    "Veel deelnemers passen wat ze leren al tijdens de opleiding toe in hun dagelijkse werk.",
    "De opleiding past goed bij {d}, ook als je nog weinig ervaring met {o} hebt.",
    "Je krijgt toegang tot een online leeromgeving met video's, oefentoetsen en een forum.",
)  # fmt: skip
OUTCOMES = (
    "Je past de belangrijkste principes van {o} toe in je eigen werk.",
    "Je analyseert een praktijksituatie en stelt een onderbouwd plan van aanpak op.",
    "Je adviseert opdrachtgevers helder over financiële risico's en planning.",
    "Je werkt volgens de geldende normen en wettelijke eisen.",
    "Je rapporteert over resultaten aan collega's en leidinggevenden.",
    "Je herkent knelpunten in processen en stelt verbeteringen voor.",
    "Je coördineert het werk in een multidisciplinair team en neemt daarin de regie.",
    "Je gebruikt digitale hulpmiddelen om gegevens te verzamelen en te analyseren.",
)  # fmt: skip


@dataclass(frozen=True)
class Instance:
    """One start of a course: a date and a city, or online."""

    start: date
    city: str | None
    mode: str


@dataclass
class SyntheticCourse:
    """What one generated course page says, in page texts and JSON-LD values."""

    vak_slug: str
    vak_label: str
    slug: str
    title: str
    code: str
    level: str
    level_short: str
    study_load: str
    duration: str
    delivery: str
    delivery_short: str
    price_text: str
    offer: dict[str, Any]
    certificate_label: str
    certificate: str
    language: str
    intro: str
    paragraphs: list[str]
    outcomes: list[str]
    target_group: str
    instances: list[Instance]
    credits: int | None = None
    online_only: bool = False

    @property
    def path(self) -> str:
        return f"/opleidingen/{self.vak_slug}/{self.slug}"


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def euro(amount: int) -> str:
    """2950 -> '2.950' (Dutch thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def dutch_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def sentences(rng: random.Random, count: int, subject: str) -> str:
    picked = rng.sample(SENTENCES, count)
    slots = {"o": subject.lower(), "d": rng.choice(DOELGROEPEN), "s": rng.choice(CITIES)}
    return " ".join(s.format(n=rng.randint(3, 12), **slots) for s in picked)


def make_course(rng: random.Random, code: str, used_slugs: set[str]) -> SyntheticCourse:
    """One course of a random kind, its facts drawn the way NCOI pages state them."""
    vak_slug = rng.choice(sorted(VAKGEBIEDEN))
    vak_label, subjects = VAKGEBIEDEN[vak_slug]
    subject = rng.choice(subjects)
    kind = rng.choices(
        ("training", "vakopleiding", "bachelor", "post-hbo", "thuisstudie"), (3, 3, 2, 1, 1)
    )[0]
    credits: int | None = None
    online_only = False
    vat_included: bool | None = False
    price_spec: dict[str, Any] = {"@type": "PriceSpecification"}
    category: str | None = None
    if kind == "training":
        title = rng.choice(("Training ", "Cursus ", "Masterclass ", "")) + subject
        title += rng.choice(("", " in de praktijk", " voor professionals", " Foundation"))
        level = level_short = rng.choice(("HBO", "MBO 4"))
        days = rng.randint(1, 5)
        study_load, duration = f"{days * 8} uur", f"{days} {'dag' if days == 1 else 'dagen'}"
        delivery, modes = rng.choice(
            (
                ("Klassikaal", ("onsite",)),
                ("Klassikaal of online (live virtueel)", ("onsite", "online")),
            )
        )
        price = rng.randrange(495, 2500, 5)
        price_text = f"&euro;&nbsp;{euro(price)} excl. btw"
        certificate_label, certificate = "Certificaat", f"NCOI-certificaat {subject}"
    elif kind == "vakopleiding":
        title = rng.choice(("", "Praktijkopleiding ", "Vakopleiding ")) + subject
        level = level_short = rng.choice(("MBO 2", "MBO 3", "MBO 4"))
        weeks = rng.choice((13, 26, 39, 52))
        study_load, duration = f"{rng.randint(4, 12)} uur per week", f"{weeks} weken"
        delivery, modes = f"Blended (online + {rng.randint(3, 10)} praktijkdagen)", ("blended",)
        price = rng.randrange(1495, 5000, 5)
        price_text = f"&euro;&nbsp;{euro(price)} excl. btw"
        certificate_label, certificate = "Diploma", f"NCOI-diploma {subject}"
    elif kind == "bachelor":
        associate = rng.random() < 0.3
        title = ("Associate degree " if associate else "HBO ") + subject
        title += rng.choice(("", " (deeltijd)"))
        level = "Associate degree (NLQF 5)" if associate else "HBO (NLQF 6)"
        level_short = "Associate degree" if associate else "HBO"
        credits = 120 if associate else 240
        study_load, duration = f"{credits} EC", "2 jaar" if associate else "4 jaar"
        delivery, modes = "Blended", ("blended",)
        price = rng.randrange(189, 250)
        price_text = f"vanaf &euro; {price} per maand"
        price_spec = {"@type": "UnitPriceSpecification", "unitCode": "MON"}
        price_spec["unitText"] = "per maand"
        vat_included = None
        certificate_label = "Diploma"
        certificate = "Associate degree" if associate else "Bachelor of Science (BSc)"
    elif kind == "post-hbo":
        master = rng.random() < 0.3
        title = ("Master " if master else "Post-hbo ") + subject
        level = level_short = "WO (NLQF 7)" if master else "Post-hbo"
        credits = rng.choice((60, 90)) if master else rng.choice((5, 10, 15, 30))
        months = rng.choice((6, 12, 18, 24))
        study_load, duration = f"{credits} EC", f"{months} maanden"
        delivery, modes = rng.choice((("Blended", ("blended",)), ("Online", ("online",))))
        price = rng.randrange(1295, 19000, 5)
        price_text = f"&euro;&nbsp;{euro(price)} (vrijgesteld van btw)"
        price_spec, vat_included, category = {}, None, "Vrijgesteld van btw"
        certificate_label = "Diploma"
        certificate = "Master of Science (MSc)" if master else f"Post-hbo-certificaat {subject}"
    else:
        title = subject + rng.choice((" (thuisstudie)", " online", " basis"))
        level = level_short = rng.choice(("MBO 4", "HBO"))
        study_load, duration = f"{rng.randint(4, 25) * 8} uur", f"{rng.randint(3, 12)} maanden"
        delivery, modes = "Thuisstudie (online)", ("online",)
        online_only = True
        price = rng.randrange(295, 1500, 5)
        price_text = f"&euro;&nbsp;{euro(price)} incl. btw"
        vat_included = True
        certificate_label, certificate = "Certificaat", f"NCOI-certificaat {subject}"
    english = rng.random() < 0.08
    if english:
        title += " (English)"
    base = slugify(title)
    slug, number = base, 1
    while f"{vak_slug}/{slug}" in used_slugs:
        number += 1
        slug = f"{base}-{number}"
    used_slugs.add(f"{vak_slug}/{slug}")

    starts = sorted(
        {date(2027, rng.randint(1, 12), rng.randint(1, 28)) for _ in range(rng.randint(1, 4))}
    )
    cities = rng.sample(CITIES, rng.randint(1, 4))
    instances: list[Instance] = []
    for start in starts:
        for mode in modes:
            if mode == "online" or online_only:
                instances.append(Instance(start, None, "online"))
            else:
                for city in rng.sample(cities, rng.randint(1, len(cities))):
                    instances.append(Instance(start, city, mode))
    offer: dict[str, Any] = {"@type": "Offer", "price": f"{price}.00", "priceCurrency": "EUR"}
    if category:
        offer["category"] = category
    if price_spec:
        price_spec.update(price=f"{price}.00", priceCurrency="EUR")
        if vat_included is not None:
            price_spec["valueAddedTaxIncluded"] = vat_included
        offer["priceSpecification"] = price_spec
    return SyntheticCourse(
        vak_slug=vak_slug,
        vak_label=vak_label,
        slug=slug,
        title=title,
        code=code,
        level=level,
        level_short=level_short,
        study_load=study_load,
        duration=duration,
        delivery=delivery,
        delivery_short=delivery.split(" (")[0],
        price_text=price_text,
        offer=offer,
        certificate_label=certificate_label,
        certificate=certificate,
        language="Engels" if english else "Nederlands",
        intro=sentences(rng, 2, subject),
        paragraphs=[sentences(rng, rng.randint(3, 4), subject) for _ in range(3)],
        outcomes=[o.format(o=subject.lower()) for o in rng.sample(OUTCOMES, rng.randint(4, 6))],
        target_group=(
            f"Deze opleiding is bedoeld voor {rng.choice(DOELGROEPEN)} en voor "
            f"{rng.choice(DOELGROEPEN)}. " + sentences(rng, 1, subject)
        ),
        instances=instances,
        credits=credits,
        online_only=online_only,
    )


def make_courses(count: int, seed: int) -> list[SyntheticCourse]:
    rng = random.Random(seed)
    # Five-digit codes like the real NCOI ones while they last; sampled, so all unique.
    codes = rng.sample(range(10000, 10000 + max(90000, count)), count)
    used: set[str] = set()
    return [make_course(rng, f"NC-{code}", used) for code in codes]


HEAD = """<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | NCOI Opleidingen</title>
<link rel="canonical" href="{canonical}">
<meta name="description" content="{description}">
{scripts}</head>
<body>
<header class="site-header"><a class="site-header__logo" href="/">NCOI Opleidingen</a>\
<nav class="site-nav" aria-label="Hoofdmenu"><ul><li><a href="/opleidingen">Opleidingen</a></li>\
<li><a href="/incompany">Incompany</a></li><li><a href="/over-ncoi">Over NCOI</a></li>\
<li><a href="/mijn-ncoi/">Mijn NCOI</a></li></ul></nav><form class="site-search" \
action="/zoeken" method="get"><input type="search" name="q" aria-label="Zoeken"></form></header>
"""
FOOT = """<footer class="site-footer"><p>&copy; 2027 NCOI Opleidingen &middot; \
<a href="/privacy">Privacy</a> &middot; <a href="/contact">Contact</a> &middot; \
<a href="/algemene-voorwaarden">Voorwaarden</a></p></footer>
</body>
</html>
"""


def jsonld(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'<script type="application/ld+json">{text}</script>\n'


def course_jsonld(c: SyntheticCourse) -> str:
    crumbs = [
        ("Home", f"{ORIGIN}/"),
        ("Opleidingen", f"{ORIGIN}/opleidingen"),
        (c.vak_label, f"{ORIGIN}/opleidingen/{c.vak_slug}"),
        (c.title, None),
    ]
    breadcrumb = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, **({"item": url} if url else {})}
            for i, (name, url) in enumerate(crumbs, 1)
        ],
    }
    instances = []
    for i in c.instances:
        location: dict[str, Any] = (
            {"@type": "VirtualLocation", "url": f"{ORIGIN}/online-leren"}
            if i.city is None
            else {
                "@type": "Place",
                "name": f"NCOI {i.city}",
                "address": {"@type": "PostalAddress", "addressLocality": i.city},
            }
        )
        instances.append(
            {
                "@type": "CourseInstance",
                "courseMode": i.mode,
                "startDate": i.start.isoformat(),
                "location": location,
            }
        )
    course: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": c.title,
        "description": c.intro,
        "courseCode": c.code,
        "url": ORIGIN + c.path,
        "provider": {"@type": "Organization", "name": "NCOI Opleidingen", "sameAs": ORIGIN},
        "educationalLevel": c.level_short,
        "inLanguage": "en" if c.language == "Engels" else "nl",
        "educationalCredentialAwarded": c.certificate,
    }
    if c.credits is not None:
        course["numberOfCredits"] = c.credits
    course["offers"] = c.offer
    course["hasCourseInstance"] = instances
    return jsonld(breadcrumb) + jsonld(course)


def course_html(c: SyntheticCourse) -> str:
    e = html.escape
    starts = ", ".join(dutch_date(d) for d in sorted({i.start for i in c.instances}))
    cities = list(dict.fromkeys(i.city for i in c.instances if i.city))
    facts = [
        ("Niveau", e(c.level)),
        ("Studiebelasting", e(c.study_load)),
        ("Duur", e(c.duration)),
        ("Lesvorm", e(c.delivery)),
        ("Prijs", c.price_text),  # already HTML, with &euro; and &nbsp; as on the real pages
        ("Startdata", starts),
        ("Locaties", e(", ".join(cities)) if cities else "Online"),
        (c.certificate_label, e(c.certificate)),
        ("Taal", c.language),
        ("Cursuscode", c.code),
    ]
    rows = "".join(
        f'<div class="course-facts__row"><dt>{label}</dt><dd>{value}</dd></div>\n'
        for label, value in facts
    )
    body = "".join(f"<p>{e(p)}</p>\n" for p in c.paragraphs)
    outcomes = "".join(f"<li>{e(o)}</li>\n" for o in c.outcomes)
    return (
        HEAD.format(
            title=e(c.title),
            canonical=ORIGIN + c.path,
            description=e(c.intro),
            scripts=course_jsonld(c),
        )
        + '<main class="course-detail">\n'
        + '<nav class="breadcrumb"><ol><li><a href="/">Home</a></li>'
        + '<li><a href="/opleidingen">Opleidingen</a></li>'
        + f'<li><a href="/opleidingen/{c.vak_slug}">{e(c.vak_label)}</a></li>'
        + f"<li>{e(c.title)}</li></ol></nav>\n"
        + f'<h1 class="course-detail__title">{e(c.title)}</h1>\n'
        + f'<div class="course-detail__intro"><p>{e(c.intro)}</p></div>\n'
        + f'<dl class="course-facts">\n{rows}</dl>\n'
        + '<section id="inhoud" class="course-section"><h2>Wat ga je leren?</h2>'
        + f'<div class="rich-text">\n{body}<ul>\n{outcomes}</ul></div></section>\n'
        + '<section id="voor-wie" class="course-section"><h2>Voor wie?</h2>'
        + f'<div class="rich-text"><p>{e(c.target_group)}</p></div></section>\n'
        + f'<a class="button button--primary" href="/winkelwagen?opleiding={c.slug}">'
        + "Inschrijven</a>\n</main>\n"
        + FOOT
    )


LISTING_DESCRIPTION = "Bekijk alle hbo- en post-hbo-opleidingen, trainingen en cursussen van NCOI."


def listing_path(page: int) -> str:
    return "/opleidingen" if page == 1 else f"/opleidingen?pagina={page}"


def listing_html(page: int, pages: int, total: int, courses: list[SyntheticCourse]) -> str:
    e = html.escape
    cards = "".join(
        f'<article class="course-card" data-course-code="{c.code}">'
        f'<h3 class="course-card__title"><a href="{c.path}">{e(c.title)}</a></h3>'
        f'<p class="course-card__meta">{e(c.level_short)} · {e(c.delivery_short)}</p></article>\n'
        for c in courses
    )
    # A windowed pager like real sites: first, last and two either side of the current page.
    nav = ""
    if page > 1:
        nav += f'<a class="pagination__prev" rel="prev" href="{listing_path(page - 1)}">Vorige</a>'
    for number in sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)}):
        if number == page:
            nav += f'<span class="pagination__page" aria-current="page">{number}</span>'
        else:
            nav += f'<a class="pagination__page" href="{listing_path(number)}">{number}</a>'
    if page < pages:
        nav += (
            f'<a class="pagination__next" rel="next" href="{listing_path(page + 1)}">Volgende</a>'
        )
    suffix = "" if page == 1 else f" - pagina {page}"
    return (
        HEAD.format(
            title=f"Alle opleidingen{suffix}",
            canonical=ORIGIN + listing_path(page),
            description=LISTING_DESCRIPTION,
            scripts="",
        )
        + '<main class="search-page">\n<h1>Opleidingen</h1>\n'
        + f'<p class="search-count">{total} opleidingen gevonden &middot; '
        + f"pagina {page} van {pages}</p>\n"
        + f'<div class="search-results">\n{cards}</div>\n'
        + f'<nav class="pagination" aria-label="Paginering">{nav}</nav>\n</main>\n'
        + FOOT
    )


def write_site(root: Path, count: int, seed: int) -> int:
    """Write robots.txt, the listing pages and ``count`` course pages; returns listing pages."""
    courses = make_courses(count, seed)
    root.mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /zoeken\n", "utf-8")
    pages = math.ceil(count / CARDS_PER_PAGE)
    for page in range(1, pages + 1):
        chunk = courses[(page - 1) * CARDS_PER_PAGE : page * CARDS_PER_PAGE]
        name = "opleidingen.html" if page == 1 else f"opleidingen@pagina={page}.html"
        (root / name).write_text(listing_html(page, pages, count, chunk), "utf-8")
    for course in courses:
        target = root / (course.path.lstrip("/") + ".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(course_html(course), "utf-8")
    return pages


# ================================================================ the loopback server


def serve(root: Path, max_seconds: float) -> None:
    """Serve ``root`` until stdin closes (the benchmark ended or died) or max_seconds pass."""
    done = threading.Event()

    def wait_for_eof() -> None:
        sys.stdin.read()
        done.set()

    with FixtureSite(root, ORIGIN) as site:
        print(site.base_url, flush=True)
        threading.Thread(target=wait_for_eof, daemon=True).start()
        done.wait(max_seconds)


@contextlib.contextmanager
def server_process(root: Path) -> Iterator[str]:
    """A separate process serving ``root``, so serving does not take the crawler's GIL."""
    command = [sys.executable, str(SCRIPT), "--_serve", str(root)]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    try:
        base_url = proc.stdout.readline().strip()
        if not base_url.startswith("http://127.0.0.1:"):
            raise BenchmarkError(f"the fixture server did not start (said {base_url!r})")
        yield base_url
    finally:
        proc.stdin.close()  # EOF: the server stops by itself
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ================================================================ the crawls (in workers)


class TimedCrawlerProcess(CrawlerProcess):
    """CrawlerProcess that times start() and counts course pages and items, for both modes."""

    last: ClassVar[TimedCrawlerProcess | None] = None

    def __init__(self, settings: dict[str, Any] | Settings | None = None, **kwargs: Any) -> None:
        super().__init__(settings, **kwargs)
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.course_pages = 0
        self.responses = 0
        self.items = 0
        self.finish_reasons: list[str] = []
        TimedCrawlerProcess.last = self

    def crawl(self, crawler_or_spidercls: Any, *args: Any, **kwargs: Any) -> Any:
        crawler: Crawler = self.create_crawler(crawler_or_spidercls)
        crawler.signals.connect(self._response, signal=signals.response_received)
        crawler.signals.connect(self._item, signal=signals.item_scraped)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)
        return super().crawl(crawler, *args, **kwargs)

    def start(self, stop_after_crawl: bool = True, install_signal_handlers: bool = True) -> None:
        began, cpu = time.perf_counter(), time.process_time()
        super().start(stop_after_crawl, install_signal_handlers)
        self.seconds = time.perf_counter() - began
        # CPU ≈ wall means the crawler, not the server or the network, sets the pace.
        self.cpu_seconds = time.process_time() - cpu

    def _response(self, response: Response, request: Request, spider: Any = None) -> None:
        self.responses += 1
        if response.status == 200 and COURSE_PATH.match(urlsplit(response.url).path):
            self.course_pages += 1

    def _item(self, item: Any, response: Any = None, spider: Any = None) -> None:
        self.items += 1

    def _closed(self, spider: Any, reason: str) -> None:
        self.finish_reasons.append(reason)


def squash(text: str) -> str:
    return " ".join(text.split())


def text_of(selection: Any) -> str:
    return squash(" ".join(selection.xpath(".//text()").getall()))


class BareNcoiSpider(scrapy.Spider):
    """The NCOI spider's links and selectors with nothing else: plain dicts out."""

    name = "bench_ncoi_bare"

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url
        self.allowed_domains = [urlsplit(base_url).hostname or ""]

    async def start(self) -> Any:
        for path in NcoiSpider.start_paths:
            yield Request(self.base_url + path, callback=self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        for link in response.css(NcoiSpider.course_link_css):
            yield response.follow(link, callback=self.parse_course)
        for link in response.css(NcoiSpider.next_page_css):
            yield response.follow(link, callback=self.parse_listing)

    def parse_course(self, response: Response) -> Iterator[dict[str, Any]]:
        facts: dict[str, str] = {}
        for row in response.css(NcoiSpider.facts_row_css):
            label = text_of(row.css(NcoiSpider.facts_label_css)).rstrip(":").lower()
            if label and label not in facts:
                facts[label] = text_of(row.css(NcoiSpider.facts_value_css))
        blocks = response.xpath('//script[@type="application/ld+json"]/text()').getall()
        course = next((o for o in map(json.loads, blocks) if o.get("@type") == "Course"), {})
        instances = course.get("hasCourseInstance", [])
        rich = response.css("section#inhoud .rich-text")
        paragraphs = [
            text_of(p) for p in response.css(".course-detail__intro").css("p") + rich.css("p")
        ]
        crumbs = [text_of(a) for a in response.css("nav.breadcrumb").css("a")]
        canonical = response.css('link[rel="canonical"]::attr(href)').get()
        yield {
            "url": response.url,
            "title": text_of(response.css("h1.course-detail__title")),
            "course_code": course.get("courseCode") or facts.get("cursuscode"),
            "canonical_url": response.urljoin(canonical) if canonical else response.url,
            "description": "\n\n".join(p for p in paragraphs if p),
            "learning_outcomes": [text_of(li) for li in rich.css("li")],
            "target_group": "\n\n".join(text_of(p) for p in response.css("section#voor-wie p")),
            "category": crumbs[-1] if len(crumbs) >= 3 else None,
            "certificate": facts.get("diploma") or facts.get("certificaat"),
            "language": course.get("inLanguage") or facts.get("taal"),
            "level": facts.get("niveau"),
            "delivery": facts.get("lesvorm"),
            "study_load": facts.get("studiebelasting"),
            "duration": facts.get("duur"),
            "price": (course.get("offers") or {}).get("price") or facts.get("prijs"),
            "start": [i.get("startDate") for i in instances] or facts.get("startdata"),
            "location": [
                i["location"]["address"]["addressLocality"]
                for i in instances
                if i.get("location", {}).get("@type") == "Place"
            ]
            or facts.get("locaties"),
            "ects": course.get("numberOfCredits") or facts.get("studiebelasting"),
        }


def run_full(base_url: str, db_path: Path) -> dict[str, Any]:
    """The real crawl: run_crawl with every pipeline and the catalogue, fixture-speed settings."""
    began = time.perf_counter()
    # Patch only the name run_crawl uses, to time its process.start() like the baseline's.
    with mock.patch.object(llo_crawl, "CrawlerProcess", TimedCrawlerProcess):
        results = llo_crawl.run_crawl(
            ["ncoi"],
            db_path=db_path,
            base_urls={"ncoi": base_url},
            log_level="WARNING",
            extra_settings=dict(llo_crawl.FIXTURE_SETTINGS),
        )
    total = time.perf_counter() - began
    process = TimedCrawlerProcess.last
    assert process is not None
    (result,) = results
    return {
        **_timings(process, total),
        "items": result.items,
        "items_scraped": process.items,
        "added": result.added,
        "healthy": result.healthy,
        "health_reason": result.reason,
    }


def _timings(process: TimedCrawlerProcess, total: float) -> dict[str, Any]:
    """What both modes report about their crawl process: time, CPU, pages, responses."""
    return {
        "seconds": process.seconds,
        "cpu_seconds": process.cpu_seconds,
        "run_crawl_seconds": total,
        "pages": process.course_pages,
        "responses": process.responses,
    }


def run_baseline(base_url: str) -> dict[str, Any]:
    """A bare spider with the project's settings minus llo-supply pipelines and extensions."""
    project = llo_crawl.project_settings()
    extensions = {
        name: None
        for name in project.getdict("EXTENSIONS")
        if name.startswith(("scrapers.", "llo_supply."))
    }
    settings = llo_crawl.project_settings(
        LOG_LEVEL="WARNING",
        LOG_INSTALL_ROOT_HANDLER=True,
        ITEM_PIPELINES={},
        EXTENSIONS=extensions,
        LLO_DB_PATH=None,
        **llo_crawl.FIXTURE_SETTINGS,
    )
    began = time.perf_counter()
    process = TimedCrawlerProcess(settings)
    logging.getLogger("scrapy").setLevel("WARNING")  # as run_crawl does
    process.crawl(BareNcoiSpider, base_url=base_url)
    process.start()
    total = time.perf_counter() - began
    finish = ", ".join(process.finish_reasons) or "none"
    return {
        **_timings(process, total),
        "items": process.items,
        "items_scraped": process.items,
        "healthy": process.finish_reasons == ["finished"],
        "health_reason": f"finish reason: {finish}",
    }


def worker(mode: str, base_url: str, db_path: Path, result: Path, profile: Path | None) -> None:
    """Entry point of a crawl subprocess: run one mode, write its numbers as JSON."""
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    numbers = run_full(base_url, db_path) if mode == "full" else run_baseline(base_url)
    if profiler and profile:
        profiler.disable()
        profiler.dump_stats(profile)
    result.write_text(json.dumps(numbers), "utf-8")


# ================================================================ orchestration


class BenchmarkError(RuntimeError):
    """A crawl failed or gave the wrong numbers: the measurement is void."""


@dataclass
class Measurement:
    """One mode's runs; the median run stands for the mode."""

    mode: str
    runs: list[dict[str, Any]] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return int(median(r["pages"] for r in self.runs))

    @property
    def seconds(self) -> float:
        return median(r["seconds"] for r in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return median(r["cpu_seconds"] for r in self.runs)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds

    def summary(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages_per_second, 1),
            "cpu_seconds": round(self.cpu_seconds, 3),
            "runs": self.runs,
        }


def run_worker(
    mode: str, base_url: str, tmp: Path, number: int, profile_dir: Path | None, timeout: float
) -> dict[str, Any]:
    result = tmp / f"{mode}-{number}.json"
    command = [
        sys.executable,
        str(SCRIPT),
        "--_worker",
        mode,
        "--_base-url",
        base_url,
        "--_db",
        str(tmp / f"{mode}-{number}.db"),
        "--_result",
        str(result),
    ]
    if profile_dir:
        command += ["--_profile", str(profile_dir / f"{mode}.prof")]
    try:
        # stderr is a pipe, not a terminal: no progress line, as under cron.
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise BenchmarkError(f"{mode} crawl did not finish within {timeout:.0f} s") from exc
    if done.returncode != 0 or not result.exists():
        tail = "\n".join(done.stderr.splitlines()[-30:])
        raise BenchmarkError(f"{mode} crawl failed (exit {done.returncode}):\n{tail}")
    numbers: dict[str, Any] = json.loads(result.read_text("utf-8"))
    numbers["warnings"] = done.stderr.count(" WARNING: ") + done.stderr.count(" ERROR: ")
    return numbers


def check(mode: str, numbers: dict[str, Any], expected: int) -> None:
    problems = []
    if not numbers["healthy"]:
        problems.append(f"unhealthy run: {numbers['health_reason']}")
    for key in ("pages", "items", "items_scraped"):
        if numbers[key] != expected:
            problems.append(f"{key} = {numbers[key]}, expected {expected}")
    if mode == "full" and numbers["added"] != expected:
        problems.append(f"added = {numbers['added']}, expected {expected}")
    if problems:
        raise BenchmarkError(f"{mode} crawl: " + "; ".join(problems))


def print_profile(path: Path, out: IO[str], limit: int = 30) -> None:
    for order in ("tottime", "cumulative"):
        print(f"\n--- {path.name}: top {limit} by {order}", file=out)
        stats = pstats.Stats(str(path), stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(limit)


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="llo-bench-") as name:
        tmp = Path(name)
        began = time.perf_counter()
        listing_pages = write_site(tmp / "ncoi", args.pages, args.seed)
        generated = time.perf_counter() - began
        timeout = 120 + args.pages * 0.2  # far above any plausible crawl; a hang fails loudly
        measured = {mode: Measurement(mode) for mode in ("baseline", "full")}
        with server_process(tmp / "ncoi") as base_url:
            for number in range(args.repeat):
                for mode, measurement in measured.items():  # alternate: drift hits both alike
                    numbers = run_worker(mode, base_url, tmp, number, args.profile, timeout)
                    check(mode, numbers, args.pages)
                    measurement.runs.append(numbers)
    full, baseline = measured["full"], measured["baseline"]
    ratio = full.pages_per_second / baseline.pages_per_second
    # The same ratio in CPU time: steadier than wall time when other processes share the CPUs.
    cpu_ratio = (full.pages / full.cpu_seconds) / (baseline.pages / baseline.cpu_seconds)
    return {
        "pages": args.pages,
        "listing_pages": listing_pages,
        "seed": args.seed,
        "repeat": args.repeat,
        "site_seconds": round(generated, 3),
        "baseline": baseline.summary(),
        "full": full.summary(),
        "ratio": round(ratio, 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "target": TARGET_RATIO,
        "target_met": ratio >= TARGET_RATIO,
    }


def report(numbers: dict[str, Any]) -> str:
    lines = [
        f"llo-supply crawl benchmark: {numbers['pages']} course pages on "
        f"{numbers['listing_pages']} listing pages (NCOI-shaped, seed {numbers['seed']}, "
        f"median of {numbers['repeat']} run(s) per mode)",
        f"{'mode':<10}{'pages':>7}{'seconds':>10}{'pages/s':>10}{'cpu s':>9}",
    ]
    for mode in ("baseline", "full"):
        m = numbers[mode]
        lines.append(
            f"{mode:<10}{m['pages']:>7}{m['seconds']:>10.2f}{m['pages_per_second']:>10.1f}"
            f"{m['cpu_seconds']:>9.2f}"
        )
    verdict = "met" if numbers["target_met"] else "MISSED"
    lines.append(
        f"ratio = full ÷ baseline pages/s = {numbers['ratio']:.3f} "
        f"(target >= {numbers['target']}: {verdict}; in CPU time {numbers['cpu_ratio']:.3f})"
    )
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--pages", type=int, default=DEFAULT_PAGES, help="course pages (2000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode; median (1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic site (1)")
    parser.add_argument(
        "--profile", type=Path, help="cProfile each crawl into DIR and print the top functions"
    )
    # Internal: the server and crawl subprocesses re-run this file with these.
    hidden = argparse.SUPPRESS
    parser.add_argument("--_serve", type=Path, help=hidden)
    parser.add_argument("--_worker", choices=("full", "baseline"), help=hidden)
    parser.add_argument("--_base-url", help=hidden)
    parser.add_argument("--_db", type=Path, help=hidden)
    parser.add_argument("--_result", type=Path, help=hidden)
    parser.add_argument("--_profile", type=Path, help=hidden)
    args = parser.parse_args(argv)
    if args.pages < 1 or args.repeat < 1:
        parser.error("--pages and --repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args._serve:
        serve(args._serve, SERVER_MAX_SECONDS)
        return 0
    if args._worker:
        worker(args._worker, args._base_url, args._db, args._result, args._profile)
        return 0
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        args.profile = args.profile.resolve()
    try:
        numbers = benchmark(args)
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(numbers))
    else:
        print(report(numbers))
    if args.profile:
        for mode in ("baseline", "full"):
            print_profile(args.profile / f"{mode}.prof", sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
