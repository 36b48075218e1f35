"""The progress line: shown in a terminal, silent under cron."""

from __future__ import annotations

import io

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from llo_supply.crawl import project_settings, spider_classes
from scrapers.extensions import Progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _crawler():
    crawler = get_crawler(
        spider_classes()["ncoi"], project_settings(LLO_DB_PATH=None).copy_to_dict()
    )
    crawler.spider = crawler._create_spider()
    return crawler


def test_no_progress_without_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with pytest.raises(NotConfigured):
        Progress.from_crawler(_crawler())


def test_progress_counts_courses_and_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(Progress, "counts", {})
    progress = Progress.from_crawler(_crawler())
    progress.response_received()
    progress.response_received()
    progress.item_scraped(item=None)
    progress.spider_closed(spider=None, reason="finished")
    assert terminal.getvalue().endswith("ncoi: 1 courses / 2 pages")
