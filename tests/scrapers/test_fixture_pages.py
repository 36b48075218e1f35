"""Every provider spider against its saved pages; expected values are in EXPECTED.json,
worked out by hand from the pages by whoever wrote them."""

from __future__ import annotations

import pytest
from scrapy.http import Request

from tests.helpers import PROVIDERS, crawler_for, expected, parse_page, response_for

COURSE_PAGES = [(p, page["path"]) for p in PROVIDERS for page in expected(p)["course_pages"]]
DETAILS = [(p, d) for p in PROVIDERS for d in expected(p)["details"]]
DETAIL_FIELDS = [
    "title", "course_code", "category", "level", "nlqf", "delivery_modes", "price_eur",
    "price_period", "vat", "study_load_hours", "duration", "start_dates", "start_anytime",
    "locations", "language", "ects", "certificate",
]  # fmt: skip


def test_every_provider_has_at_least_25_course_pages() -> None:
    for provider in PROVIDERS:
        assert len(expected(provider)["course_pages"]) >= 25, provider


@pytest.mark.parametrize("provider", ["loi", "ncoi"])
def test_listing_pages_lead_to_every_course_page(provider: str) -> None:
    spider = crawler_for(provider).spider
    found: set[str] = set()
    for path in expected(provider)["listing_pages"]:
        for request in spider.parse_listing(response_for(provider, path)):
            assert isinstance(request, Request)
            if request.callback == spider.parse_course:
                found.add(request.url.removeprefix(spider.site_url))
    assert found == {page["path"] for page in expected(provider)["course_pages"]}


@pytest.mark.parametrize(("provider", "path"), COURSE_PAGES)
def test_course_page_gives_one_course_with_title_and_code(provider: str, path: str) -> None:
    page = next(p for p in expected(provider)["course_pages"] if p["path"] == path)
    items = parse_page(provider, path)
    assert len(items) == 1
    assert items[0].title == page["title"]
    assert items[0].course_code == page["course_code"]
    assert items[0].course_id.startswith(f"{provider}:")


@pytest.mark.parametrize(("provider", "path"), COURSE_PAGES)
def test_course_page_invariants(provider: str, path: str) -> None:
    (item,) = parse_page(provider, path)
    assert item.description and "  " not in item.description
    assert "&" not in item.title or "&amp;" not in item.title
    assert all(d[:4] == "2027" for d in item.start_dates)
    assert item.language in ("nl", "en")
    assert item.price_eur is None or item.price_eur > 0


@pytest.mark.parametrize("field", DETAIL_FIELDS)
@pytest.mark.parametrize(("provider", "detail"), DETAILS, ids=[d["path"] for _, d in DETAILS])
def test_detail_field(provider: str, detail: dict, field: str) -> None:
    (item,) = parse_page(provider, detail["path"])
    assert getattr(item, field) == detail[field]


@pytest.mark.parametrize(("provider", "detail"), DETAILS, ids=[d["path"] for _, d in DETAILS])
def test_detail_learning_outcomes(provider: str, detail: dict) -> None:
    (item,) = parse_page(provider, detail["path"])
    assert len(item.learning_outcomes) == detail["n_learning_outcomes"]
