"""Every spider: one file, one name, the required declarations, a fixture site and expectations."""

from __future__ import annotations

import pytest

from llo_supply.crawl import spider_classes
from llo_supply.fixtures import fixtures_dir
from scrapers.spiders.base import CourseSpiderMixin

SPIDERS = spider_classes()


def test_the_three_providers_are_there() -> None:
    assert {"ncoi", "loi", "uva"} <= set(SPIDERS)


@pytest.mark.parametrize("name", sorted(SPIDERS))
def test_spider_declarations(name: str) -> None:
    cls = SPIDERS[name]
    assert issubclass(cls, CourseSpiderMixin)
    # One file per coded provider; registry providers live in providers.toml.
    assert cls.__module__ in (f"scrapers.spiders.{name}", "scrapers.spiders.registry")
    assert cls.provider_name
    assert cls.site_url.startswith("https://") and not cls.site_url.endswith("/")


@pytest.mark.parametrize("name", sorted(SPIDERS))
def test_spider_has_a_fixture_site(name: str) -> None:
    site = fixtures_dir() / name
    assert (site / "robots.txt").is_file()
    assert (site / "sitemap.xml").is_file()
    assert (site / "EXPECTED.json").is_file()
