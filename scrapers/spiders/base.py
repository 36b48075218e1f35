"""Base spiders: a provider spider is declarations plus a few ``_parse_<field>`` hooks.

``parse_course`` only assembles the :class:`~scrapers.items.Course`; each field comes from
a hook that returns a plain value. By default a hook reads the page's facts table (the
"Niveau / Prijs / Duur" block every provider has) under the labels in ``fact_labels``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.spiders import SitemapSpider
from twisted.python.failure import Failure

from scrapers import jobposting, microdata, schemaorg
from scrapers.items import Course, Vacancy
from scrapers.middlewares import STAGED_BEFORE

logger = logging.getLogger(__name__)

_SPACE = re.compile(r"\s+")
_CREDITS = re.compile(r"\bEC(?:TS)?\b|studiepunt", re.I)


class MissingFieldError(ValueError):
    """A required field (title) is absent from a course page."""

    def __init__(self, field: str, url: str) -> None:
        super().__init__(f"{url}: required field {field!r} not found on the page")
        self.field = field
        self.url = url


def squash(text: str | None) -> str:
    """Collapse runs of white space (including &nbsp;) to one space and strip."""
    return _SPACE.sub(" ", (text or "").replace("\xa0", " ")).strip()


def text_of(selection: scrapy.Selector | Any) -> str:
    """All text below a selection, white space collapsed."""
    return squash(" ".join(selection.xpath(".//text()").getall()))


class CoursePage:
    """A course page with its facts table and JSON-LD parsed once."""

    def __init__(self, spider: CourseSpiderMixin, response: Response) -> None:
        self.spider = spider
        self.response = response

    @cached_property
    def facts(self) -> dict[str, str]:
        """Fact label (lower case, without colon) -> value text."""
        found: dict[str, str] = {}
        for row in self.response.css(self.spider.facts_row_css):
            label = squash(text_of(row.css(self.spider.facts_label_css))).rstrip(":").lower()
            value = text_of(row.css(self.spider.facts_value_css))
            if label and label not in found:
                found[label] = value
        return found

    def fact(self, *labels: str) -> str | None:
        """The first non-empty fact under any of ``labels``."""
        for label in labels:
            value = self.facts.get(label.lower())
            if value:
                return value
        return None

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object on the page; each <script> is parsed on its own (PITFALLS 6)."""
        objects: list[dict[str, Any]] = []
        for number, raw in enumerate(
            self.response.xpath('//script[@type="application/ld+json"]/text()').getall(), 1
        ):
            try:
                data = json.loads(raw)
            except json.JSONDecodeError as exc:
                self.spider.crawler.stats.inc_value("llo/jsonld/malformed")
                logger.warning(
                    "%s: JSON-LD block %d is malformed (%s); using the other blocks",
                    self.response.url,
                    number,
                    exc,
                )
                continue
            for obj in data if isinstance(data, list) else [data]:
                if isinstance(obj, dict):
                    graph = obj.get("@graph", [obj])
                    graph = graph if isinstance(graph, list) else [graph]
                    objects.extend(o for o in graph if isinstance(o, dict))
        return objects

    @cached_property
    def microdata(self) -> list[dict[str, Any]]:
        return microdata.items(self.response.selector)

    @cached_property
    def course(self) -> dict[str, Any] | None:
        """The page's schema.org course: JSON-LD first, microdata when JSON-LD has none."""
        found = self.jsonld_of_type(*schemaorg.COURSE_TYPES)
        if found is None:
            found = next((m for m in self.microdata if m["@type"] in schemaorg.COURSE_TYPES), None)
            if found is not None:
                self.spider.crawler.stats.inc_value("llo/microdata/course")
        return found

    def jsonld_of_type(self, *types: str) -> dict[str, Any] | None:
        """The first JSON-LD object whose @type is one of ``types``."""
        for obj in self.jsonld:
            declared = obj.get("@type")
            declared = declared if isinstance(declared, list) else [declared]
            if any(t in declared for t in types):
                return obj
        return None


class CourseSpiderMixin:
    """Declarations and hooks shared by every provider spider."""

    name: ClassVar[str]
    provider_name: ClassVar[str]
    # The real site; LLO_BASE_URLS[name] points the spider elsewhere (the loopback fixtures).
    site_url: ClassVar[str]
    facts_row_css: ClassVar[str] = "dl div, tr"
    facts_label_css: ClassVar[str] = "dt, th"
    facts_value_css: ClassVar[str] = "dd, td"
    # Course field -> labels of the facts table that hold it, most specific first.
    fact_labels: ClassVar[dict[str, tuple[str, ...]]] = {}
    course_code_pattern: ClassVar[re.Pattern[str]] = re.compile(r"[A-Z0-9][A-Z0-9-]{2,}")
    # More domains the provider's pages live on (registry `allowed_domains`).
    extra_domains: ClassVar[tuple[str, ...]] = ()
    # CSS selectors for fields the structured data leaves out (registry `field_css`).
    field_css: ClassVar[dict[str, str]] = {}
    # A fictional provider that exists only as a fixture site (registry `fixture = true`).
    fixture_only: ClassVar[bool] = False
    # What the spider's items are: "courses" (supply) or "vacancies" (demand).
    collects: ClassVar[str] = "courses"
    # Fields read from a schema.org Course in JSON-LD first, the facts table second.
    jsonld_fields: ClassVar[tuple[str, ...]] = ()

    crawler: Any
    settings: Any

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        # Stay on the site being crawled, real or loopback; a provider's other domains only
        # on a real crawl (a fixture or mirror crawl must never leave its server).
        overridden = spider.name in (crawler.settings.getdict("LLO_BASE_URLS") or {})
        extra = () if overridden else spider.extra_domains
        spider.allowed_domains = [site_host(spider.base_url), *extra]
        return spider

    @property
    def base_url(self) -> str:
        overrides = self.settings.getdict("LLO_BASE_URLS") if self.settings else {}
        return overrides.get(self.name, self.site_url).rstrip("/")

    def url(self, path: str) -> str:
        return self.base_url + path

    # ------------------------------------------------------------ failures

    def on_error(self, failure: Failure) -> None:
        """Name every page that could not be fetched and why, so a run's errors are findable."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            status = failure.value.response.status
            self.crawler.stats.inc_value("llo/pages/failed")
            logger.warning("%s: HTTP %s, page skipped", url, status)
        elif failure.check(IgnoreRequest):
            reason = str(failure.value) or "ignored"
            if reason == STAGED_BEFORE:
                return  # a resumed run already has this course
            if "robots.txt" in reason:
                logger.info("%s: %s", url, reason)  # obeying robots.txt is not an error
            else:
                self.crawler.stats.inc_value("llo/pages/failed")
                logger.warning("%s: %s, page skipped", url, reason)
        else:
            self.crawler.stats.inc_value("llo/pages/failed")
            logger.warning("%s: %s, page skipped", url, failure.getErrorMessage())

    # ------------------------------------------------------------ assembling the item

    def parse_course(self, response: Response) -> Iterator[Course]:
        page = CoursePage(self, response)
        try:
            title = self._parse_title(page)
            if not title:
                raise MissingFieldError("title", response.url)
        except MissingFieldError as exc:
            self.crawler.stats.inc_value(f"llo/field/{exc.field}/missing")
            self.crawler.stats.inc_value("llo/pages/not_a_course")
            logger.error("%s", exc)
            return
        yield Course(
            provider=self.name,
            url=response.url,
            title=title,
            course_code=self._parse_course_code(page),
            canonical_url=self._parse_canonical_url(page),
            description=self._parse_description(page),
            learning_outcomes=self._parse_learning_outcomes(page),
            target_group=self._parse_target_group(page),
            category=self._parse_category(page),
            certificate=self._parse_certificate(page),
            language_text=self._parse_language_text(page),
            level_text=self._parse_level_text(page),
            delivery_text=self._parse_delivery_text(page),
            study_load_text=self._parse_study_load_text(page),
            duration_text=self._parse_duration_text(page),
            price_text=self._parse_price_text(page),
            start_text=self._parse_start_text(page),
            location_text=self._parse_location_text(page),
            ects_text=self._parse_ects_text(page),
        )

    # ------------------------------------------------------------ field hooks

    def _fact_field(self, page: CoursePage, field: str) -> str | None:
        if field in self.jsonld_fields:
            course = page.course
            value = schemaorg.EXTRACTORS[field](course) if course else None
            if value:
                return value
        labels = self.fact_labels.get(field, ())
        value = page.fact(*labels) if labels else None
        return value or self._css_field(page, field)

    def _css_field(self, page: CoursePage, field: str) -> str | None:
        selector = self.field_css.get(field)
        return text_of(page.response.css(selector)) or None if selector else None

    def _parse_title(self, page: CoursePage) -> str | None:
        return squash(page.response.css("h1").xpath("string()").get()) or None

    def _parse_canonical_url(self, page: CoursePage) -> str:
        href = page.response.css('link[rel="canonical"]::attr(href)').get()
        return page.response.urljoin(href) if href else page.response.url

    def _parse_course_code(self, page: CoursePage) -> str | None:
        text = self._fact_field(page, "course_code")
        match = self.course_code_pattern.search(text or "")
        return match[0] if match else None

    def _parse_description(self, page: CoursePage) -> str:
        return ""

    def _parse_learning_outcomes(self, page: CoursePage) -> list[str]:
        return []

    def _parse_target_group(self, page: CoursePage) -> str | None:
        return None

    def _parse_category(self, page: CoursePage) -> str | None:
        return None

    def _parse_certificate(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "certificate")

    def _parse_language_text(self, page: CoursePage) -> str | None:
        # The page's own lang attribute is evidence too when no fact names a language.
        return self._fact_field(page, "language") or page.response.xpath("/html/@lang").get()

    def _parse_level_text(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "level")

    def _parse_delivery_text(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "delivery")

    def _parse_study_load_text(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "study_load")

    def _parse_duration_text(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "duration")

    def _parse_price_text(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "price")

    def _parse_start_text(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "start")

    def _parse_location_text(self, page: CoursePage) -> str | None:
        return self._fact_field(page, "location")

    def _parse_ects_text(self, page: CoursePage) -> str | None:
        # The ects labels may be a study-load fact ("Studiebelasting: 5 EC" or "120 uur"):
        # only a text that speaks of credits is a credits text.
        text = self._fact_field(page, "ects")
        return text if text and _CREDITS.search(text) else None

    # ------------------------------------------------------------ shared extractors

    @staticmethod
    def paragraphs(selection: Any) -> str:
        """Paragraph texts of a section joined by blank lines (list items excluded)."""
        parts = [text_of(p) for p in selection.css("p")]
        return "\n\n".join(p for p in parts if p)

    @staticmethod
    def list_items(selection: Any) -> list[str]:
        return [t for t in (text_of(li) for li in selection.css("li")) if t]

    @staticmethod
    def breadcrumb_category(selection: Any) -> str | None:
        """The last linked crumb below "Opleidingen"/"Onderwijs": the provider's category."""
        crumbs = [text_of(a) for a in selection.css("a")]
        return crumbs[-1] if len(crumbs) >= 3 else None


class StructuredDataMixin(CourseSpiderMixin):
    """A provider that publishes schema.org Course / EducationalOccupationalProgram data
    (JSON-LD or microdata): every field comes from it, so a registry entry is enough."""

    jsonld_fields: ClassVar[tuple[str, ...]] = tuple(schemaorg.EXTRACTORS)

    def parse_course(self, response: Response) -> Iterator[Course]:
        if CoursePage(self, response).course is None:
            # Sitemaps list more than courses: a page without course data is not one.
            self.crawler.stats.inc_value("llo/pages/no_course_data")
            logger.debug("%s: no schema.org course data, skipped", response.url)
            return
        yield from super().parse_course(response)

    def _parse_title(self, page: CoursePage) -> str | None:
        found = schemaorg.title(page.course) if page.course else None
        return found or self._css_field(page, "title") or super()._parse_title(page)

    def _parse_description(self, page: CoursePage) -> str:
        found = schemaorg.description(page.course) if page.course else None
        meta = page.response.css('meta[name="description"]::attr(content)').get()
        return found or self._css_field(page, "description") or squash(meta)

    def _parse_learning_outcomes(self, page: CoursePage) -> list[str]:
        return schemaorg.learning_outcomes(page.course) if page.course else []

    def _parse_target_group(self, page: CoursePage) -> str | None:
        found = schemaorg.target_group(page.course) if page.course else None
        return found or self._css_field(page, "target_group")

    def _parse_category(self, page: CoursePage) -> str | None:
        found = schemaorg.category(page.course) if page.course else None
        return found or self._css_field(page, "category")

    def _parse_canonical_url(self, page: CoursePage) -> str:
        url = page.course.get("url") if page.course else None
        return (
            page.response.urljoin(url)
            if isinstance(url, str)
            else super()._parse_canonical_url(page)
        )


class JobPostingMixin(CourseSpiderMixin):
    """A site that publishes schema.org JobPosting data: each page found is read for a
    vacancy instead of a course, and vacancies go to the vacancy pipeline only."""

    collects: ClassVar[str] = "vacancies"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ITEM_PIPELINES": {"scrapers.pipelines.vacancies.VacancyPipeline": 900}
    }

    def parse_course(self, response: Response) -> Iterator[Vacancy]:  # type: ignore[override]
        posting = CoursePage(self, response).jsonld_of_type(*jobposting.POSTING_TYPES)
        if posting is None:
            # Sitemaps and listings link more than postings: a page without one is skipped.
            self.crawler.stats.inc_value("llo/pages/no_posting_data")
            logger.debug("%s: no schema.org JobPosting, skipped", response.url)
            return
        fields = jobposting.vacancy_fields(posting)
        url = posting.get("url")
        yield Vacancy(
            source=self.name,
            url=response.urljoin(url) if isinstance(url, str) else response.url,
            **fields,  # type: ignore[arg-type]
        )


class ListingCourseSpider(CourseSpiderMixin, scrapy.Spider):
    """Walks listing pages (with pagination and sub-listings) to course pages."""

    start_paths: ClassVar[tuple[str, ...]] = ("/",)
    listing_link_css: ClassVar[str | None] = None
    course_link_css: ClassVar[str]
    next_page_css: ClassVar[str | None] = None

    async def start(self) -> AsyncIterator[Request]:
        for path in self.start_paths:
            yield Request(self.url(path), callback=self.parse_listing, errback=self.on_error)

    def parse_listing(self, response: Response) -> Iterable[Request]:
        courses = response.css(self.course_link_css)
        self.crawler.stats.inc_value("llo/listing/pages")
        for link in courses:
            yield response.follow(link, callback=self.parse_course, errback=self.on_error)
        for css in (self.listing_link_css, self.next_page_css):
            if css:
                for link in response.css(css):
                    yield response.follow(link, callback=self.parse_listing, errback=self.on_error)


class SitemapCourseSpider(CourseSpiderMixin, SitemapSpider):
    """Finds course pages through the sitemaps announced in robots.txt."""

    course_url_pattern: ClassVar[str]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # SitemapSpider compiles its rules in __init__, so they must be set first.
        self.sitemap_rules = [(self.course_url_pattern, "parse_course")]
        super().__init__(*args, **kwargs)

    async def start(self) -> AsyncIterator[Request]:
        self.sitemap_urls = [self.url("/robots.txt")]
        async for request in super().start():
            yield request.replace(errback=self.on_error)

    def _parse_sitemap(self, response: Response) -> Iterable[Request]:
        self.crawler.stats.inc_value("llo/sitemap/pages")
        for request in super()._parse_sitemap(response):
            yield request.replace(errback=self.on_error)


def site_host(url: str) -> str:
    return urlsplit(url).hostname or ""
