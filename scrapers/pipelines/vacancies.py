"""Store crawled job postings as vacancies when the spider closes (one transaction)."""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any

from scrapy import signals

from llo_supply import catalogue, vacancies
from scrapers.items import Vacancy

logger = logging.getLogger(__name__)
# The JobPosting property behind each vacancy field, to name what a page lacks.
PROPERTIES = {"title": "title", "text": "description", "date": "datePosted"}
_EMPTY = re.compile(r"^empty (title|text|date)$")


class VacancyPipeline:
    """Validate each posting like an imported row; store the good ones, name the bad ones."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.path = crawler.settings.get("LLO_DB_PATH")
        self.good: list[dict[str, Any]] = []
        self.errors: list[vacancies.RowError] = []
        self.seen: set[str] = set()
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> VacancyPipeline:
        return cls(crawler)

    def process_item(self, item: Vacancy) -> Vacancy:
        record = dataclasses.asdict(item)
        spider = self.crawler.spider
        if record["url"].startswith(spider.base_url):
            # Stored under the real site's URL: a mirror or loopback crawl keeps its ids.
            record["url"] = spider.site_url + record["url"][len(spider.base_url) :]
        found = vacancies.validate(record, item.source)
        stats = self.crawler.stats
        if isinstance(found, str):
            found = _EMPTY.sub(lambda m: f"no {PROPERTIES[m[1]]} in its JobPosting", found)
            stats.inc_value("llo/vacancies/rejected")
            # A warning, not an error: the command prints each rejected posting itself.
            logger.warning("%s: posting rejected: %s", item.url, found)
            self.errors.append(vacancies.RowError(0, found, url=item.url))
            return item
        vid = vacancies.vacancy_id(found)
        if vid in self.seen:
            # The same posting under two URLs (a listing and a sitemap link) is stored once.
            stats.inc_value("llo/vacancies/duplicate")
            return item
        self.seen.add(vid)
        stats.inc_value("llo/vacancies/valid")
        self.good.append(found)
        return item

    def spider_closed(self, spider: Any, reason: str) -> None:
        if not self.path:
            return
        db = catalogue.connect(self.path)
        try:
            origin = f"crawl {spider.name} {spider.base_url}"
            report = vacancies.store(db, self.good, origin, "jobposting", self.errors)
        finally:
            db.close()
        result = {**report.as_dict(), "site": spider.name, "finish_reason": reason}
        self.crawler.stats.set_value("llo/vacancies/report", result)
