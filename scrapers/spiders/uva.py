"""University of Amsterdam: courses for professionals, found through the sitemaps."""

from __future__ import annotations

from typing import ClassVar

from scrapers.spiders.base import CoursePage, SitemapCourseSpider, text_of


class UvaSpider(SitemapCourseSpider):
    name = "uva"
    provider_name = "Universiteit van Amsterdam"
    site_url = "https://www.uva.nl"
    course_url_pattern = r"/onderwijs/professionals/cursussen/[^/]+\.html$"

    facts_row_css = ".c-keyfacts__item"
    facts_label_css = ".c-keyfacts__label"
    facts_value_css = ".c-keyfacts__value"
    fact_labels: ClassVar[dict[str, tuple[str, ...]]] = {
        "course_code": ("vakcode",),
        "certificate": ("certificaat",),
        "language": ("voertaal",),
        "level": ("niveau",),
        "delivery": ("vorm",),
        "study_load": ("studielast",),
        "duration": ("duur",),
        "price": ("kosten",),
        "start": ("startdatum",),
        "location": ("locatie",),
        "ects": ("studiepunten",),
        "category": ("faculteit",),
    }

    def _parse_title(self, page: CoursePage) -> str | None:
        return text_of(page.response.css("h1.c-hero__title")) or None

    def _parse_description(self, page: CoursePage) -> str:
        return self.paragraphs(page.response.css("section#inhoud"))

    def _parse_learning_outcomes(self, page: CoursePage) -> list[str]:
        return self.list_items(page.response.css("section#leerdoelen"))

    def _parse_target_group(self, page: CoursePage) -> str | None:
        return self.paragraphs(page.response.css("section#doelgroep")) or None

    def _parse_category(self, page: CoursePage) -> str | None:
        # The breadcrumb says "Professionals" for every course; the faculty is informative.
        return self._fact_field(page, "category")
