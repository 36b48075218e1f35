"""Shared test helpers: fixture pages as Scrapy responses, items through the pipelines."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from llo_supply.crawl import project_settings, spider_classes
from llo_supply.fixtures import fixtures_dir, path_to_file
from scrapers.items import Course
from scrapers.pipelines.clean import CleanTextPipeline
from scrapers.pipelines.normalise import NormalisePipeline
from scrapers.pipelines.validate import ValidatePipeline

ROOT = Path(__file__).resolve().parent.parent
FROZEN_NOW = "2026-11-28T10:00:00Z"
PROVIDERS = ("loi", "ncoi", "uva")


@cache
def expected(provider: str) -> dict[str, Any]:
    return json.loads((fixtures_dir() / provider / "EXPECTED.json").read_text("utf-8"))


def crawler_with_spider(cls: type) -> Any:
    """A crawler with the project's settings (no catalogue) and its spider created."""
    crawler = get_crawler(cls, project_settings(LLO_DB_PATH=None).copy_to_dict())
    crawler.spider = crawler._create_spider()
    return crawler


@cache
def crawler_for(provider: str) -> Any:
    return crawler_with_spider(spider_classes()[provider])


def response_for(provider: str, path: str) -> HtmlResponse:
    """A fixture page as the spider would receive it from the real site."""
    spider = crawler_for(provider).spider
    body = (fixtures_dir() / provider / path_to_file(path)).read_bytes()
    return HtmlResponse(url=spider.site_url + path, body=body, encoding="utf-8")


def parse_page(provider: str, path: str) -> list[Course]:
    """Courses from one fixture page, through clean -> normalise -> validate."""
    crawler = crawler_for(provider)
    items = list(crawler.spider.parse_course(response_for(provider, path)))
    pipelines = [
        CleanTextPipeline(crawler),
        NormalisePipeline(crawler),
        ValidatePipeline(crawler),
    ]
    for item in items:
        item.crawled_at = FROZEN_NOW
        for pipeline in pipelines:
            item = pipeline.process_item(item)
    return items
