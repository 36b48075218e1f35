"""Drop a course seen twice in one run (listed under two categories, say)."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from scrapers.items import Course


class DedupePipeline:
    def __init__(self, crawler: Any) -> None:
        self.stats = crawler.stats
        self.seen: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Course) -> Course:
        first = self.seen.get(item.course_id)
        if first is not None:
            self.stats.inc_value("llo/duplicates")
            raise DropItem(f"{item.url}: duplicate of {first} (course id {item.course_id})")
        self.seen[item.course_id] = item.url
        return item
