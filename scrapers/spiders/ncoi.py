"""NCOI Opleidingen: paginated search listing; course pages carry schema.org Course JSON-LD."""

from __future__ import annotations

from typing import ClassVar

from scrapers.spiders.base import CoursePage, ListingCourseSpider, text_of


class NcoiSpider(ListingCourseSpider):
    name = "ncoi"
    provider_name = "NCOI Opleidingen"
    site_url = "https://www.ncoi.nl"
    start_paths = ("/opleidingen",)
    course_link_css = "article.course-card .course-card__title a"
    next_page_css = "nav.pagination a.pagination__next"

    facts_row_css = "dl.course-facts .course-facts__row"
    fact_labels: ClassVar[dict[str, tuple[str, ...]]] = {
        "course_code": ("cursuscode",),
        "certificate": ("diploma", "certificaat"),
        "language": ("taal",),
        "level": ("niveau",),
        "delivery": ("lesvorm",),
        "study_load": ("studiebelasting",),
        "duration": ("duur",),
        "price": ("prijs",),
        "start": ("startdata", "startdatum"),
        "location": ("locaties", "locatie"),
        "ects": ("studiebelasting", "studiepunten"),
    }
    # The JSON-LD states these exactly; Lesvorm and Niveau say more than courseMode and level.
    jsonld_fields = ("course_code", "price", "start", "location", "language", "ects")

    def _parse_title(self, page: CoursePage) -> str | None:
        return text_of(page.response.css("h1.course-detail__title")) or None

    def _parse_description(self, page: CoursePage) -> str:
        intro = self.paragraphs(page.response.css(".course-detail__intro"))
        body = self.paragraphs(page.response.css("section#inhoud .rich-text"))
        return "\n\n".join(p for p in (intro, body) if p)

    def _parse_learning_outcomes(self, page: CoursePage) -> list[str]:
        return self.list_items(page.response.css("section#inhoud .rich-text"))

    def _parse_target_group(self, page: CoursePage) -> str | None:
        return self.paragraphs(page.response.css("section#voor-wie")) or None

    def _parse_category(self, page: CoursePage) -> str | None:
        return self.breadcrumb_category(page.response.css("nav.breadcrumb"))
