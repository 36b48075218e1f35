"""Stage courses in the catalogue; merge them when the spider closes (one transaction)."""

from __future__ import annotations

import dataclasses
from typing import Any

from scrapy import signals

from llo_supply import catalogue
from scrapers.items import Course

# Staged one by one: a killed crawl keeps every course it had, and --resume skips them.
BATCH = 1


class CataloguePipeline:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.path = crawler.settings.get("LLO_DB_PATH")
        self.run_ids: dict[str, int] = crawler.settings.getdict("LLO_RUN_IDS")
        self.buffer: list[dict[str, Any]] = []
        self.db: Any = None
        self.run_id: int | None = None
        self.result: catalogue.RunResult | None = None
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CataloguePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        if not self.path:
            return
        spider = self.crawler.spider
        self.db = catalogue.connect(self.path)
        self.run_id = self.run_ids.get(spider.name) or catalogue.start_run(
            self.db,
            spider.name,
            spider.provider_name,
            spider.site_url,
            spider.base_url,
            catalogue.utcnow(),
        )

    def process_item(self, item: Course) -> Course:
        if self.db is not None:
            self.buffer.append(dataclasses.asdict(item))
            if len(self.buffer) >= BATCH:
                self._flush()
        return item

    def _flush(self) -> None:
        if self.buffer and self.run_id is not None:
            catalogue.stage_items(self.db, self.run_id, self.buffer)
            self.buffer = []

    def close_spider(self, spider: Any = None) -> None:
        if self.db is not None:
            self._flush()

    def spider_closed(self, spider: Any, reason: str) -> None:
        # Runs after close_spider, when the finish reason is known.
        if self.db is None or self.run_id is None:
            return
        stats = dict(self.crawler.stats.get_stats())
        stats["finish_reason"] = reason
        self.result = catalogue.finish_run(self.db, self.run_id, stats, catalogue.utcnow())
        self.db.close()
        self.db = None
