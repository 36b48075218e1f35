"""A test-only spider for the hostile fixture site in tests/sites/hostile."""

from __future__ import annotations

from typing import ClassVar

from scrapers.spiders.base import CoursePage, ListingCourseSpider


class HostileSpider(ListingCourseSpider):
    name = "hostile"
    provider_name = "Hostile test site"
    site_url = "https://hostile.example"
    start_paths = ("/",)
    course_link_css = "a.course"
    fact_labels: ClassVar[dict[str, tuple[str, ...]]] = {"price": ("prijs",), "start": ("start",)}
    jsonld_fields = ("price", "course_code")

    def _parse_description(self, page: CoursePage) -> str:
        return self.paragraphs(page.response.css("main"))
