"""Validate courses: drop those without required fields, count every field problem.

A field is ``missing`` when the page does not give it and ``invalid`` when the page gives
a text that could not be understood; both become stats ``llo/field/<name>/<problem>``
so a layout change shows up in the run's health instead of killing the crawl.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from scrapy.exceptions import DropItem

from scrapers.items import Course

logger = logging.getLogger(__name__)

REQUIRED = ("provider", "url", "title", "course_id")
# Typed field -> the page text it is derived from.
DERIVED = {
    "level": "level_text",
    "delivery_modes": "delivery_text",
    "duration": "duration_text",
    "study_load_hours": "study_load_text",
    "price_eur": "price_text",
    "start_dates": "start_text",
    "locations": "location_text",
    "language": "language_text",
    "ects": "ects_text",
}
PLAIN = ("description", "learning_outcomes", "target_group", "category", "certificate")
# Texts that state there is no value, so no value is not a parse failure.
NOT_STATED = re.compile(
    r"op\s+aanvraag|offerte|n\.?t\.?b\.?|nader\s+te\s+bepalen|volgt|online|thuis|"
    r"wanneer\s+(?:je|u)|doorlopend|in\s*company|verschilt|afhankelijk",
    re.I,
)


class ValidatePipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Course) -> Course:
        for name in REQUIRED:
            if not getattr(item, name):
                self.stats.inc_value(f"llo/field/{name}/missing")
                raise DropItem(f"{item.url}: required field {name!r} is empty")
        for name in PLAIN:
            if not getattr(item, name):
                self.stats.inc_value(f"llo/field/{name}/missing")
        for name, source in DERIVED.items():
            text = getattr(item, source)
            if getattr(item, name) not in (None, [], ""):
                continue
            if name == "start_dates" and item.start_anytime:
                continue
            if not text or NOT_STATED.search(text):
                self.stats.inc_value(f"llo/field/{name}/missing")
            else:
                self.stats.inc_value(f"llo/field/{name}/invalid")
                logger.info("%s: could not read %s from %r", item.url, name, text)
        return item
