"""Spiders for employer career sites and job boards that publish schema.org JobPosting
data, made from ``employers.toml`` exactly as provider spiders are made from
``providers.toml``: a registry entry plus a fixture site, no Python."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from scrapers.spiders.base import JobPostingMixin, ListingCourseSpider, SitemapCourseSpider
from scrapers.spiders.registry import RegistryKind, load_registry

EMPLOYERS = Path(__file__).resolve().parent.parent / "employers.toml"


class EmployerListingSpider(JobPostingMixin, ListingCourseSpider):
    registry_entry: ClassVar[dict[str, Any]] = {}


class EmployerSitemapSpider(JobPostingMixin, SitemapCourseSpider):
    registry_entry: ClassVar[dict[str, Any]] = {}


EMPLOYER_SITES = RegistryKind(
    EmployerListingSpider,
    EmployerSitemapSpider,
    "posting_link_css",
    frozenset({"name", "site_url", "sitemap_rules", "fixture", "allowed_domains",
               "start_paths", "listing_link_css", "posting_link_css", "next_page_css"}),
    hooks=False,
    module=__name__,
)  # fmt: skip

# Scrapy's spider loader finds spider classes among module globals.
globals().update({cls.__name__: cls for cls in load_registry(EMPLOYERS, EMPLOYER_SITES).values()})
