"""Project settings plus the test-only spiders of tests/sites (SCRAPY_SETTINGS_MODULE)."""

from scrapers.settings import *  # noqa: F403

SPIDER_MODULES = ["scrapers.spiders", "tests.sites.spiders"]
# Small enough that the oversized page trips it without sending megabytes around.
DOWNLOAD_MAXSIZE = 256 * 1024
DOWNLOAD_WARNSIZE = 128 * 1024
# Our own loopback test server: no politeness delay towards ourselves.
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
