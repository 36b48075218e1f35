"""Run provider spiders with the project's settings and report each run's health."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from llo_supply import catalogue
from llo_supply.fixtures import FixtureSite, fixtures_dir

# For our own loopback fixture servers only: no politeness delay towards ourselves.
FIXTURE_SETTINGS: dict[str, Any] = {
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}


class UnknownProviderError(ValueError):
    pass


def project_settings(**overrides: Any) -> Settings:
    """The project's Scrapy settings (never Scrapy's bare defaults: PITFALLS 1)."""
    settings = get_project_settings()
    if settings.get("BOT_NAME") != "llo_supply":
        settings.setmodule("scrapers.settings", priority="project")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def spider_classes(settings: Settings | None = None, collects: str = "courses") -> dict[str, type]:
    """Slug -> spider class, sorted by slug: course providers, or with
    ``collects="vacancies"`` the employer and job-board sites."""
    loader = SpiderLoader.from_settings(settings or project_settings())
    classes = {name: loader.load(name) for name in sorted(loader.list())}
    return {n: c for n, c in classes.items() if getattr(c, "collects", "courses") == collects}


def select_providers(requested: Iterable[str], known: Iterable[str]) -> list[str]:
    known = list(known)
    requested = list(requested)
    unknown = [p for p in requested if p not in known]
    if unknown:
        raise UnknownProviderError(
            f"unknown provider(s): {', '.join(unknown)}; known providers: {', '.join(known)}"
        )
    return requested or known


def crawlable(
    requested: Iterable[str],
    classes: dict[str, type],
    fixtures: bool,
    mirrored: Iterable[str] = (),
) -> list[str]:
    """The providers a crawl covers: fixture-only ones only against their fixture sites
    (or a mirror given for that very provider), never against the internet."""
    requested = list(requested)
    selected = select_providers(requested, classes)
    if fixtures:
        return selected
    mirrors = set(mirrored)
    fictional = [
        p for p in selected if getattr(classes[p], "fixture_only", False) and p not in mirrors
    ]
    if fictional and requested:
        raise UnknownProviderError(
            f"{', '.join(fictional)}: fixture-only provider(s) with no real site; "
            "crawl them with --fixtures"
        )
    return [p for p in selected if p not in fictional]


def _serve_fixtures(
    stack: ExitStack,
    selected: list[str],
    classes: dict[str, type],
    root: Path | None,
    settings: Settings,
) -> dict[str, str]:
    """Start a loopback fixture server per site; their base URLs by slug."""
    urls = {}
    for slug in selected:
        site = FixtureSite((root or fixtures_dir()) / slug, classes[slug].site_url)
        urls[slug] = site.start()
        stack.callback(site.stop)
    for name, value in FIXTURE_SETTINGS.items():
        settings.set(name, value, priority="cmdline")
    return urls


def new_job_dir(root: Path, slug: str, run_id: int) -> Path:
    """A fresh Scrapy JOBDIR for each attempt at a run: never reused (PITFALLS 5)."""
    attempt = 1
    while (root / f"{slug}-run{run_id}-{attempt}").exists():
        attempt += 1
    path = root / f"{slug}-run{run_id}-{attempt}"
    path.mkdir(parents=True)
    return path


def with_job_dir(cls: type, job_dir: Path) -> type:
    """The spider class with its own JOBDIR (spider settings are per crawler)."""
    custom = {**(getattr(cls, "custom_settings", None) or {}), "JOBDIR": str(job_dir)}
    return type(cls.__name__, (cls,), {"custom_settings": custom, "__module__": cls.__module__})


def run_crawl(
    providers: Iterable[str] = (),
    db_path: str | Path = "llo_supply.db",
    fixtures: bool = False,
    fixtures_root: Path | None = None,
    base_urls: dict[str, str] | None = None,
    log_level: str = "WARNING",
    extra_settings: dict[str, Any] | None = None,
    resume: bool = False,
) -> list[catalogue.RunResult]:
    """Crawl the providers into the catalogue; one run per provider, all in one reactor.

    With ``resume``, a provider whose last run was killed continues that run: its staged
    courses are kept and their pages are not fetched again.
    """
    settings = project_settings(
        LOG_LEVEL=log_level, LOG_INSTALL_ROOT_HANDLER=True, **(extra_settings or {})
    )
    classes = spider_classes(settings)
    selected = crawlable(providers, classes, fixtures, (base_urls or {}).keys())
    select_providers((base_urls or {}).keys(), classes)  # a mirror for an unknown slug is a typo
    db = catalogue.connect(db_path)
    with ExitStack() as stack:
        urls = dict(base_urls or {})
        if fixtures:
            urls.update(_serve_fixtures(stack, selected, classes, fixtures_root, settings))
        run_ids: dict[str, int] = {}
        resumed: list[str] = []
        for slug in selected:
            cls = classes[slug]
            source = urls.get(slug, cls.site_url)
            killed = catalogue.resumable_run(db, slug, source) if resume else None
            if killed is not None:
                catalogue.adopt_run(db, killed)
                run_ids[slug] = killed
                resumed.append(slug)
                continue
            try:
                run_ids[slug] = catalogue.start_run(
                    db,
                    slug,
                    cls.provider_name,
                    cls.site_url,
                    source,
                    catalogue.utcnow(),
                )
            except catalogue.RunInProgressError:
                # Leave no half-opened runs behind for the providers opened before this one.
                for opened in run_ids:
                    if opened not in resumed:
                        catalogue.abort_stale_runs(db, opened, catalogue.utcnow())
                raise
        state = Path(f"{Path(db_path).resolve()}.cache")
        settings.set("LLO_BASE_URLS", urls, priority="cmdline")
        settings.set("LLO_RUN_IDS", run_ids, priority="cmdline")
        settings.set("LLO_RESUMED", resumed, priority="cmdline")
        settings.set("LLO_DB_PATH", str(db_path), priority="cmdline")
        # One HTTP cache per catalogue, beside it, so each catalogue's crawls are incremental.
        settings.set("HTTPCACHE_DIR", str(state / "http"), priority="cmdline")
        process = CrawlerProcess(settings)
        logging.getLogger("scrapy").setLevel(log_level)
        for slug in selected:
            job_dir = new_job_dir(state / "jobs", slug, run_ids[slug])
            db["crawl_runs"].update(run_ids[slug], {"job_dir": str(job_dir)})
            process.crawl(with_job_dir(classes[slug], job_dir))
        process.start()
    results = []
    for slug in selected:
        run = db["crawl_runs"].get(run_ids[slug])
        if run["status"] == "finished":
            # A finished run's Scrapy state, of every attempt, is never needed again.
            for attempt in (state / "jobs").glob(f"{slug}-run{run['id']}-*"):
                shutil.rmtree(attempt, ignore_errors=True)
        else:
            # The crawl ended without the pipeline merging: treat as a failed run.
            catalogue.abort_stale_runs(db, slug, catalogue.utcnow())
            run = db["crawl_runs"].get(run_ids[slug])
        results.append(
            catalogue.RunResult(
                run["id"],
                slug,
                bool(run["healthy"]),
                run["health_reason"] or "",
                run["items"] or 0,
                run["added"] or 0,
                run["changed"] or 0,
                run["removed"] or 0,
            )
        )
    db.close()
    return results


def run_vacancy_crawl(
    sites: Iterable[str] = (),
    db_path: str | Path = "llo_supply.db",
    fixtures: bool = False,
    fixtures_root: Path | None = None,
    log_level: str = "WARNING",
) -> list[dict[str, Any]]:
    """Crawl employer and job-board sites for JobPostings into the catalogue's vacancies.

    Each site's postings are stored in one transaction when its spider closes, exactly as
    an imported file (validated, stable ids, reposts marked); returns one report per site.
    """
    settings = project_settings(LOG_LEVEL=log_level, LOG_INSTALL_ROOT_HANDLER=True)
    classes = spider_classes(settings, collects="vacancies")
    selected = crawlable(sites, classes, fixtures)
    catalogue.connect(db_path).close()  # create or migrate before the spiders open it
    with ExitStack() as stack:
        urls = (
            _serve_fixtures(stack, selected, classes, fixtures_root, settings) if fixtures else {}
        )
        settings.set("LLO_BASE_URLS", urls, priority="cmdline")
        settings.set("LLO_DB_PATH", str(db_path), priority="cmdline")
        settings.set("HTTPCACHE_DIR", str(Path(f"{Path(db_path).resolve()}.cache") / "http"),
                     priority="cmdline")  # fmt: skip
        process = CrawlerProcess(settings)
        logging.getLogger("scrapy").setLevel(log_level)
        crawlers = {slug: process.create_crawler(classes[slug]) for slug in selected}
        for crawler in crawlers.values():
            process.crawl(crawler)
        process.start()
    reports = []
    for slug, crawler in crawlers.items():
        stats = crawler.stats.get_stats()
        report = dict(stats.get("llo/vacancies/report") or {"site": slug, "rows": 0})
        report["pages_failed"] = int(stats.get("llo/pages/failed", 0))
        report["finish_reason"] = stats.get("finish_reason", report.get("finish_reason"))
        reports.append(report)
    return reports
