"""A one-line progress counter on stderr while crawling in a terminal (quiet under cron)."""

from __future__ import annotations

import sys
import time
from typing import Any, ClassVar

from scrapy import signals
from scrapy.exceptions import NotConfigured


class Progress:
    counts: ClassVar[dict[str, list[int]]] = {}
    last_draw: ClassVar[float] = 0.0

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        if not crawler.settings.getbool("LLO_PROGRESS") or not sys.stderr.isatty():
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _counts(self) -> list[int]:
        return self.counts.setdefault(self.crawler.spider.name, [0, 0])

    def item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        self._counts()[0] += 1
        self.draw()

    def response_received(
        self, response: Any = None, request: Any = None, spider: Any = None
    ) -> None:
        self._counts()[1] += 1
        self.draw()

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.draw(force=True)

    @classmethod
    def draw(cls, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - cls.last_draw < 0.2:
            return
        cls.last_draw = now
        parts = [f"{name}: {c[0]} courses / {c[1]} pages" for name, c in sorted(cls.counts.items())]
        sys.stderr.write("\r\x1b[K" + " · ".join(parts))
        sys.stderr.flush()
