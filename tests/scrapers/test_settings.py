"""The crawl is polite by default, whichever way it is started (PITFALLS 1, 2, 13)."""

from __future__ import annotations

from llo_supply.crawl import FIXTURE_SETTINGS, project_settings


def test_project_settings_are_polite() -> None:
    s = project_settings()
    assert s.getbool("ROBOTSTXT_OBEY")
    assert s.get("USER_AGENT").startswith("llo-supply/")
    assert "+https://" in s.get("USER_AGENT")
    assert s.getfloat("DOWNLOAD_DELAY") >= 1.0
    assert s.getbool("AUTOTHROTTLE_ENABLED")
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2


def test_project_settings_are_safe() -> None:
    s = project_settings()
    assert 0 < s.getint("DOWNLOAD_MAXSIZE") <= 32 * 1024 * 1024
    assert not s.getbool("TELNETCONSOLE_ENABLED")
    assert s.getbool("DOWNLOAD_VERIFY_CERTIFICATES")
    handlers = s.getdict("DOWNLOAD_HANDLERS")
    assert handlers["file"] is None and handlers["data"] is None


def test_strict_robots_and_retry_after_middlewares_replace_the_defaults() -> None:
    mws = project_settings().getdict("DOWNLOADER_MIDDLEWARES")
    assert mws["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert "scrapers.middlewares.StrictRobotsTxtMiddleware" in mws
    # Must sit closer to the downloader than RetryMiddleware (550) to see 429s first.
    assert mws["scrapers.middlewares.RetryAfterMiddleware"] > 550


def test_fixture_speed_settings_never_touch_robots() -> None:
    assert "ROBOTSTXT_OBEY" not in FIXTURE_SETTINGS
    assert set(FIXTURE_SETTINGS) <= {
        "DOWNLOAD_DELAY",
        "AUTOTHROTTLE_ENABLED",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
    }
