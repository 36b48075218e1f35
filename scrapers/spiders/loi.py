"""LOI: category overview -> paginated category pages -> course pages with a specs table."""

from __future__ import annotations

from typing import ClassVar

from scrapers.spiders.base import CoursePage, ListingCourseSpider, text_of


class LoiSpider(ListingCourseSpider):
    name = "loi"
    provider_name = "LOI"
    site_url = "https://www.loi.nl"
    start_paths = ("/opleidingen",)
    listing_link_css = "ul.category-list a.category-link"
    course_link_css = "ul.product-grid a.product-tile__link"
    # The next link is query-only ("?page=2"): response.follow joins it to the page URL.
    next_page_css = "ul.pager .pager__item--next a"

    facts_row_css = "table.product-specs tr"
    fact_labels: ClassVar[dict[str, tuple[str, ...]]] = {
        "course_code": ("cursuscode",),
        "certificate": ("diploma", "certificaat"),
        "level": ("niveau",),
        "delivery": ("lesvorm",),
        "study_load": ("studiebelasting",),
        "duration": ("studieduur",),
        "price": ("prijs",),
        "start": ("start",),
        "location": ("praktijkdagen", "locatie"),
        "ects": ("studiebelasting", "studiepunten"),
    }

    def _parse_title(self, page: CoursePage) -> str | None:
        return text_of(page.response.css("h1.product-title")) or None

    def _parse_description(self, page: CoursePage) -> str:
        intro = text_of(page.response.css("p.product-intro"))
        body = self.paragraphs(page.response.css("div.product-description"))
        return "\n\n".join(p for p in (intro, body) if p)

    def _parse_learning_outcomes(self, page: CoursePage) -> list[str]:
        return self.list_items(page.response.css("div.product-learn"))

    def _parse_target_group(self, page: CoursePage) -> str | None:
        return self.paragraphs(page.response.css("div.product-audience")) or None

    def _parse_category(self, page: CoursePage) -> str | None:
        return self.breadcrumb_category(page.response.css("ol.breadcrumbs"))
