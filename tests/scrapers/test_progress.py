"""The progress line: shown in a terminal, silent under cron."""

from __future__ import annotations

import io

import pytest
from scrapy.exceptions import NotConfigured

from llo_supply.crawl import spider_classes
from scrapers.extensions import Progress
from tests.helpers import crawler_with_spider


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _crawler():
    # Fresh each time: the cached crawler of tests.helpers may already carry a Progress.
    return crawler_with_spider(spider_classes()["ncoi"])


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
