"""Providers defined only by a providers.toml entry: the entries, their fixture pages, a real
loopback crawl, and the newprovider scaffold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from parsel import Selector

from llo_supply.fixtures import fixtures_dir
from llo_supply.scaffold import ScaffoldError, new_provider
from scrapers.microdata import items
from scrapers.spiders.registry import RegistryError, load_registry, spider_class
from tests.crawling import crawl
from tests.helpers import crawler_with_spider, expected, parse_page

REGISTRY = load_registry()
SLUGS = sorted(REGISTRY)
PAGES = [(s, p["path"]) for s in SLUGS for p in expected(s)["course_pages"]]
DETAILS = [(s, d) for s in SLUGS for d in expected(s)["details"]]
DETAIL_FIELDS = [
    "title", "course_code", "price_eur", "price_period", "vat", "start_dates", "locations",
    "delivery_modes", "language",
]  # fmt: skip


def test_registry_has_the_five_structured_data_providers() -> None:
    assert len(SLUGS) >= 5


@pytest.mark.parametrize("slug", SLUGS)
def test_registry_provider_has_a_fixture_site_with_enough_pages(slug: str) -> None:
    site = fixtures_dir() / slug
    assert (site / "robots.txt").is_file() and (site / "sitemap.xml").is_file()
    assert len(expected(slug)["course_pages"]) >= 12, "write the fixture pages (see README.md)"
    assert len(expected(slug)["details"]) >= 3


@pytest.mark.parametrize(("slug", "path"), PAGES)
def test_registry_course_page(slug: str, path: str) -> None:
    page = next(p for p in expected(slug)["course_pages"] if p["path"] == path)
    (item,) = parse_page(slug, path)
    assert (item.title, item.course_code) == (page["title"], page["course_code"])
    assert item.description


@pytest.mark.parametrize("field", DETAIL_FIELDS)
@pytest.mark.parametrize(("slug", "detail"), DETAILS, ids=[d["path"] for _, d in DETAILS])
def test_registry_detail_field(slug: str, detail: dict, field: str) -> None:
    (item,) = parse_page(slug, detail["path"])
    assert getattr(item, field) == detail[field]


@pytest.mark.parametrize(("slug", "detail"), DETAILS, ids=[d["path"] for _, d in DETAILS])
def test_registry_detail_learning_outcomes(slug: str, detail: dict) -> None:
    (item,) = parse_page(slug, detail["path"])
    assert len(item.learning_outcomes) == detail["n_learning_outcomes"]


@pytest.fixture(scope="module")
def registry_crawl(tmp_path_factory: pytest.TempPathFactory):
    return crawl(tmp_path_factory.mktemp("registry") / "cat.db", "--fixtures", *SLUGS)


@pytest.mark.parametrize("slug", SLUGS)
def test_registry_provider_loopback_crawl(registry_crawl, slug: str) -> None:
    assert registry_crawl.code == 0, registry_crawl.stderr
    result = registry_crawl.results[slug]
    assert result["health"] == "healthy"
    assert result["courses"] == len(expected(slug)["course_pages"])


def test_fixture_only_providers_are_not_crawled_for_real(tmp_path: Path) -> None:
    outcome = crawl(tmp_path / "cat.db", SLUGS[0])
    assert outcome.code == 1
    assert (
        "fixture-only provider(s) with no real site; crawl them with --fixtures" in outcome.stderr
    )


def test_microdata_nested_items_and_repeated_properties() -> None:
    html = """<div itemscope itemtype="https://schema.org/Course">
      <h1 itemprop="name">Zonnepanelen&nbsp;leggen</h1><meta itemprop="courseCode" content="Z1">
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
        <meta itemprop="price" content="495.00"></div>
      <li itemprop="teaches">a</li><li itemprop="teaches">b</li></div>
      <div itemscope itemtype="https://schema.org/Organization">
        <span itemprop="name">X</span></div>"""
    course, org = items(Selector(text=html))
    assert course == {
        "@type": "Course",
        "name": "Zonnepanelen leggen",
        "courseCode": "Z1",
        "offers": {"@type": "Offer", "price": "495.00"},
        "teaches": ["a", "b"],
    }
    assert org == {"@type": "Organization", "name": "X"}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            {"name": "X", "site_url": "https://x.nl", "sitemap_rules": ["^/"], "colour": "red"},
            "unknown key(s) colour",
        ),
        ({"site_url": "https://x.nl", "sitemap_rules": ["^/"]}, "name is required"),
        (
            {"name": "X", "site_url": "x.nl", "sitemap_rules": ["^/"]},
            "site_url must start with http",
        ),
        (
            {"name": "X", "site_url": "https://x.nl"},
            "give sitemap_rules, or start_paths and course_link_css",
        ),
    ],
)
def test_bad_registry_entries_are_named(entry: dict, message: str) -> None:
    with pytest.raises(RegistryError, match=re.escape(message)):
        spider_class("x", entry)


def test_newprovider_scaffolds_entry_and_folder(tmp_path: Path) -> None:
    registry = tmp_path / "providers.toml"
    registry.write_text("", "utf-8")
    new_provider(
        "techniek-academie", "https://www.techniekacademie.nl/cursussen", None, registry, tmp_path
    )
    entry = load_registry(registry)["techniek-academie"]
    assert entry.site_url == "https://www.techniekacademie.nl"
    assert entry.provider_name == "techniekacademie.nl"
    folder = tmp_path / "techniek-academie"
    assert json.loads((folder / "EXPECTED.json").read_text("utf-8")) == {
        "course_pages": [],
        "details": [],
    }
    assert "Sitemap: https://www.techniekacademie.nl/sitemap.xml" in (
        folder / "robots.txt"
    ).read_text("utf-8")
    with pytest.raises(ScaffoldError, match="exists already"):
        new_provider(
            "techniek-academie", "https://www.techniekacademie.nl", None, registry, tmp_path
        )


def test_newprovider_refuses_a_known_slug_and_a_bad_url(tmp_path: Path) -> None:
    registry = tmp_path / "providers.toml"
    registry.write_text("", "utf-8")
    with pytest.raises(ScaffoldError, match="already a provider"):
        new_provider("ncoi", "https://www.ncoi.nl", None, registry, tmp_path)
    with pytest.raises(ScaffoldError, match="give the site's address"):
        new_provider("nieuw", "www.nieuw.nl", None, registry, tmp_path)
    assert registry.read_text("utf-8") == ""


def test_field_css_hooks_fill_what_the_structured_data_leaves_out() -> None:
    from scrapy.http import HtmlResponse

    entry = {
        "name": "Hooks",
        "site_url": "https://hooks.example",
        "sitemap_rules": ["^/c/"],
        "allowed_domains": ["cdn.hooks.example"],
        "field_css": {"category": "p.vakgebied", "price": "span.prijs"},
    }
    cls = spider_class("hooks", entry)
    spider = crawler_with_spider(cls).spider
    assert spider.allowed_domains == ["hooks.example", "cdn.hooks.example"]
    body = b"""<html><head><script type="application/ld+json">
      {"@type": "Course", "name": "Laadpalen", "description": "Over laadpalen."}</script></head>
      <body><p class="vakgebied">Techniek</p>
      <span class="prijs">&euro; 395 excl. btw</span></body></html>"""
    response = HtmlResponse(url="https://hooks.example/c/laadpalen", body=body, encoding="utf-8")
    (item,) = spider.parse_course(response)
    assert (item.title, item.category, item.price_text) == (
        "Laadpalen",
        "Techniek",
        "€ 395 excl. btw",
    )


def test_unknown_field_hook_is_named() -> None:
    entry = {
        "name": "X",
        "site_url": "https://x.nl",
        "sitemap_rules": ["^/"],
        "field_css": {"prize": "p"},
    }
    with pytest.raises(RegistryError, match="field_css: unknown field"):
        spider_class("x", entry)


def test_messy_structured_data_does_not_break_a_page() -> None:
    from scrapy.http import HtmlResponse

    cls = spider_class(
        "messy", {"name": "M", "site_url": "https://m.example", "sitemap_rules": ["^/"]}
    )
    spider = crawler_with_spider(cls).spider
    graph = {
        "@type": "Course",
        "name": "Waterstof",
        "educationalCredentialAwarded": [{"@type": "Credential", "name": "Certificaat"}],
        "offers": {"price": "750", "priceSpecification": [{"valueAddedTaxIncluded": False}]},
    }
    script = json.dumps({"@graph": graph})  # @graph as one object, not a list
    body = f'<script type="application/ld+json">{script}</script>'.encode()
    (item,) = spider.parse_course(
        HtmlResponse(url="https://m.example/c", body=body, encoding="utf-8")
    )
    assert (item.title, item.certificate, item.price_text) == (
        "Waterstof",
        "Certificaat",
        "€ 750 excl. btw",
    )


def test_newprovider_keeps_credentials_out_and_writes_valid_toml(tmp_path: Path) -> None:
    registry = tmp_path / "providers.toml"
    registry.write_text("", "utf-8")
    with pytest.raises(ScaffoldError, match="no user name or password"):
        new_provider("geheim", "https://user:secret@b.nl", None, registry, tmp_path)
    name = 'Leerhuis 🎓 "quote"'
    new_provider("leerhuis", "https://www.leerhuis.nl:8443/x", name, registry, tmp_path)
    entry = load_registry(registry)["leerhuis"]
    assert (entry.provider_name, entry.site_url) == (
        'Leerhuis 🎓 "quote"',
        "https://www.leerhuis.nl:8443",
    )


def test_two_slugs_with_the_same_spider_class_name_are_refused(tmp_path: Path) -> None:
    registry = tmp_path / "providers.toml"
    registry.write_text(
        '[a-1b]\nname = "A"\nsite_url = "https://a.nl"\nsitemap_rules = ["^/"]\n'
        '[a1b]\nname = "B"\nsite_url = "https://b.nl"\nsitemap_rules = ["^/"]\n',
        "utf-8",
    )
    with pytest.raises(RegistryError, match="make the same spider class"):
        load_registry(registry)
