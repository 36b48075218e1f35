"""Derive typed fields (price, hours, dates, level, places...) from the page texts."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlsplit

from llo_supply import normalise as n
from llo_supply.catalogue import utcnow
from scrapers.items import Course


def course_id(item: Course) -> str:
    """Stable id: provider + course code, else provider + canonical URL path."""
    if item.course_code:
        return f"{item.provider}:{item.course_code}"
    parts = urlsplit(item.canonical_url or item.url)
    path = parts.path.rstrip("/") or "/"
    # Some sites tell courses apart by query only ("/opleiding?id=12").
    return f"{item.provider}:{path}" + (f"?{parts.query}" if parts.query else "")


class NormalisePipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalisePipeline:
        return cls(crawler)

    def process_item(self, item: Course) -> Course:
        item.crawled_at = item.crawled_at or utcnow()
        reference = date.fromisoformat(item.crawled_at[:10])
        item.course_id = course_id(item)
        item.level = n.parse_level(item.level_text)
        item.nlqf = n.parse_nlqf(item.level_text) or n.parse_nlqf(item.certificate)
        item.delivery_modes = n.parse_delivery(item.delivery_text)
        item.duration = n.parse_duration(item.duration_text)
        item.ects = n.parse_ects(item.ects_text)
        item.study_load_hours = n.parse_study_load(item.study_load_text, item.duration, item.ects)
        item.price_eur, item.price_period = n.parse_price(item.price_text)
        item.vat = n.parse_vat(item.price_text)
        item.start_dates = n.parse_start_dates(item.start_text, reference)
        item.start_anytime = n.parse_start_anytime(item.start_text)
        item.locations = n.parse_locations(item.location_text)
        item.language = n.parse_language(item.language_text)
        return item
