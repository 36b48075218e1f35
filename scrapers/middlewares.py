"""Downloader middlewares that close politeness and visibility gaps in Scrapy (PITFALLS 2)."""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet import defer
from twisted.internet.defer import Deferred

from llo_supply import catalogue
from llo_supply.catalogue import url_key

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"
STAGED_BEFORE = "staged before the crawl was killed"


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    """RFC 9309 §2.3.1.4: a robots.txt that answers 5xx, or cannot be fetched, disallows all.

    Scrapy parses the body of any answer (an HTML error page allows everything) and treats
    a failed download as allow-all. A 4xx answer still means "no rules": allow all.
    """

    async def robot_parser(self, request: Request) -> Any:
        # As Scrapy's, but the robots.txt request may follow redirects to another host
        # (www -> apex): RFC 9309 §2.3.1.2 says to follow them, across authorities.
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            url = urlparse_cached(request)
            robots = Request(
                f"{url.scheme}://{url.netloc}/robots.txt",
                priority=self.DOWNLOAD_PRIORITY,
                meta={"dont_obey_robotstxt": True, "allow_offsite": True},
                callback=NO_CALLBACK,
            )
            try:
                response = await self.crawler.engine.download_async(robots)
                await self._parse_robots(response, netloc, request)
            except Exception as exc:
                self._robots_error(exc, netloc)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(parser)
        return parser

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._stats.inc_value("llo/robots/unavailable")
            logger.warning(
                "robots.txt of %s answered HTTP %s: treating the site as disallowed",
                netloc,
                response.status,
            )
            response = response.replace(body=DISALLOW_ALL)
        elif response.status >= 400:
            response = response.replace(body=b"")
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        # Any failure to read the rules, even a redirect the offsite filter stopped, disallows.
        if not isinstance(exc, IgnoreRequest):
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._stats.inc_value("llo/robots/unavailable")
        logger.warning("robots.txt of %s could not be fetched (%s): disallowing", netloc, exc)
        parser = build_from_crawler(self._parserimpl, self.crawler, DISALLOW_ALL)
        waiting = self._parsers[netloc]
        self._parsers[netloc] = parser
        if isinstance(waiting, Deferred):
            waiting.callback(parser)


def retry_after_seconds(value: str | bytes | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date)."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class RetryAfterMiddleware:
    """Honour ``Retry-After`` on 429 and 503: wait as asked, then retry once more.

    Scrapy's RetryMiddleware retries these at once; a server that asks for a pause gets
    one, and the domain's download slot is held back for the same time.
    """

    STATUSES = (429, 503)

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("RETRY_AFTER_MAX", 300)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    async def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if response.status not in self.STATUSES or request.meta.get("dont_retry"):
            return response
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        stats = self.crawler.stats
        if wait > self.max_wait:
            # Give up on this page; RetryMiddleware must not hammer it again at once.
            request.meta["dont_retry"] = True
            self._hold_slot(request, self.max_wait)
            stats.inc_value("llo/retry_after/too_long")
            logger.warning(
                "%s asked to retry after %.0f s (over RETRY_AFTER_MAX=%.0f s): giving up on %s",
                response.status,
                wait,
                self.max_wait,
                request.url,
            )
            return response
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=f"{response.status} Retry-After {wait:g}s",
        )
        if retry is None:
            return response
        stats.inc_value("llo/retry_after/count")
        stats.inc_value("llo/retry_after/waited_seconds", wait)
        self._hold_slot(request, wait)
        logger.info("%s: server asked to retry after %.1f s", request.url, wait)
        from twisted.internet import reactor  # the crawl's installed reactor, not a default one

        pause: defer.Deferred[None] = defer.Deferred()
        reactor.callLater(wait, pause.callback, None)  # type: ignore[attr-defined]
        await maybe_deferred_to_future(pause)
        return retry

    def _hold_slot(self, request: Request, wait: float) -> None:
        # Push the domain's next download back too: the server asked the client to pause.
        downloader = self.crawler.engine.downloader if self.crawler.engine else None
        if downloader is None:
            return
        key = downloader.get_slot_key(request)
        slot = downloader.slots.get(key)
        if slot is not None:
            slot.lastseen = max(slot.lastseen, time.monotonic() + wait - slot.delay)


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """Stop a redirect loop at once and say so; Scrapy's dupe filter drops it silently."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            self.crawler.stats.inc_value("llo/redirect/loop")
            raise IgnoreRequest(f"redirect loop ({' -> '.join([*chain, redirected.url])})")
        return super()._redirect(redirected, request, reason)


class NetworkStatsMiddleware:
    """Count what crossed the network, before the HTTP cache turns a 304 into the stored 200.

    Scrapy's own downloader stats sit behind the cache and count the cached body.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkStatsMiddleware:
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if "cached" not in response.flags:
            self.stats.inc_value("llo/network/responses")
            self.stats.inc_value(f"llo/network/status/{response.status}")
            self.stats.inc_value("llo/network/bytes", len(response.body))
        return response


class SkipStagedMiddleware:
    """When a killed run is resumed, do not fetch again the pages whose courses it staged."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.skip: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SkipStagedMiddleware:
        mw = cls(crawler)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    def spider_opened(self, spider: Spider) -> None:
        settings = self.crawler.settings
        if spider.name not in settings.getlist("LLO_RESUMED") or not settings.get("LLO_DB_PATH"):
            return
        db = catalogue.connect(settings.get("LLO_DB_PATH"))
        self.skip = catalogue.staged_urls(db, settings.getdict("LLO_RUN_IDS")[spider.name])
        db.close()
        logger.info("%s: resuming; %d courses were staged before", spider.name, len(self.skip))

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.skip and url_key(request.url) in self.skip:
            self.crawler.stats.inc_value("llo/resume/skipped")
            raise IgnoreRequest(STAGED_BEFORE)
