"""Scrapy settings of llo-supply: polite by default (see tests/scrapers/test_settings.py)."""

from llo_supply import __version__

BOT_NAME = "llo_supply"
SPIDER_MODULES = ["scrapers.spiders"]
NEWSPIDER_MODULE = "scrapers.spiders"

# Identify ourselves so site owners can find and contact the project.
USER_AGENT = (
    f"llo-supply/{__version__} (+https://github.com/llo-supply/llo-supply; "
    "open monitor of Dutch lifelong-learning course supply)"
)

# Politeness: obey robots.txt (5xx robots = disallow, see middlewares), one site at a time.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_DELAY_JITTER = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Cap on how long a server's Retry-After may park a request (seconds).
RETRY_AFTER_MAX = 300
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5

# Safety: bounded downloads, no telnet console, only http(s), verified TLS.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
TELNETCONSOLE_ENABLED = False
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
DOWNLOAD_VERIFY_CERTIFICATES = True

DOWNLOADER_MIDDLEWARES = {
    "scrapers.middlewares.SkipStagedMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scrapers.middlewares.StrictRobotsTxtMiddleware": 100,
    # Above RetryMiddleware (550) so a 429/503 with Retry-After is handled here first.
    "scrapers.middlewares.RetryAfterMiddleware": 560,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "scrapers.middlewares.LoopAwareRedirectMiddleware": 600,
    # Between the HTTP cache (900) and the downloader: sees 304s and real byte counts.
    "scrapers.middlewares.NetworkStatsMiddleware": 950,
}

ITEM_PIPELINES = {
    "scrapers.pipelines.clean.CleanTextPipeline": 100,
    "scrapers.pipelines.normalise.NormalisePipeline": 200,
    "scrapers.pipelines.validate.ValidatePipeline": 300,
    "scrapers.pipelines.dedupe.DedupePipeline": 400,
    "scrapers.pipelines.catalogue.CataloguePipeline": 900,
}

EXTENSIONS = {
    "scrapers.extensions.Progress": 500,
}

# Incremental crawls: keep responses and revalidate them (If-None-Match/If-Modified-Since),
# so an unchanged page costs a 304 while the crawl still confirms every course.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_DIR = "httpcache"  # `llo-supply crawl` puts it next to the catalogue
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "nl,en;q=0.5",
    # Always ask the site whether a cached page is still current (RFC 9111 max-age=0).
    "Cache-Control": "max-age=0",
}

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

# llo-supply's own settings.
# Path of the SQLite catalogue the CataloguePipeline writes to (None: no catalogue writes).
LLO_DB_PATH = "llo_supply.db"
# Provider slug -> base URL, overriding a spider's real site (used for the loopback fixtures).
LLO_BASE_URLS: dict[str, str] = {}
# Run id assigned by `llo-supply crawl`; the catalogue pipeline opens one if unset.
LLO_RUN_IDS: dict[str, int] = {}
# Providers whose killed run this crawl continues (`llo-supply crawl --resume`).
LLO_RESUMED: list[str] = []
# Show a one-line progress counter on stderr when it is a terminal.
LLO_PROGRESS = True
