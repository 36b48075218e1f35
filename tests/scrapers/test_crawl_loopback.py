"""Real crawls of the bundled fixture sites on 127.0.0.1, through pipelines into the catalogue."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply import catalogue
from llo_supply.cli import cli
from llo_supply.fixtures import fixtures_dir
from tests.crawling import crawl
from tests.helpers import PROVIDERS, expected


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory: pytest.TempPathFactory):
    return crawl(tmp_path_factory.mktemp("crawl") / "cat.db", "--fixtures")


def test_crawl_exits_zero(first_crawl) -> None:
    assert first_crawl.code == 0, first_crawl.stderr


@pytest.mark.parametrize("provider", PROVIDERS)
def test_crawl_collects_every_course_of_the_provider(first_crawl, provider: str) -> None:
    result = first_crawl.results[provider]
    assert result["health"] == "healthy"
    assert result["courses"] == len(expected(provider)["course_pages"])
    assert result["added"] == result["courses"]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_crawl_obeys_robots_once_per_site(first_crawl, provider: str) -> None:
    stats = first_crawl.run_stats(provider)
    assert stats["robotstxt/request_count"] == 1
    assert stats.get("robotstxt/forbidden", 0) == 0
    assert stats.get("log_count/ERROR", 0) == 0


def test_loi_course_listed_twice_is_stored_once(first_crawl) -> None:
    # Two category pages list the same course page; the dupe filter drops the second request.
    stats = first_crawl.run_stats("loi")
    assert stats["item_scraped_count"] == len(expected("loi")["course_pages"])


def test_uva_sitemap_skips_non_course_pages(first_crawl) -> None:
    stats = first_crawl.run_stats("uva")
    # robots.txt (for the rules, and as the sitemap entry point), the sitemap index and its
    # two sitemaps, then the course pages only.
    assert stats["response_received_count"] == 2 + 3 + len(expected("uva")["course_pages"])


def test_catalogue_has_the_courses_searchable(first_crawl) -> None:
    db = catalogue.connect(first_crawl.db_path)
    titles = [c["title"] for c in catalogue.courses(db, search="warmtepomp*")]
    db.close()
    assert "Warmtepompmonteur" in titles


def test_second_crawl_of_unchanged_sites_changes_nothing(first_crawl) -> None:
    again = crawl(first_crawl.db_path, "--fixtures")
    assert again.code == 0, again.stderr
    for provider in PROVIDERS:
        result = again.results[provider]
        assert (result["added"], result["changed"], result["removed"]) == (0, 0, 0), provider


def _edited_uva_site(tmp_path: Path) -> Path:
    """The UvA site with one course's price changed, one removed and one added."""
    root = tmp_path / "sites"
    shutil.copytree(fixtures_dir() / "uva", root / "uva")
    courses = root / "uva" / "onderwijs" / "professionals" / "cursussen"
    page = courses / "forensische-accountancy.html"
    page.write_text(page.read_text("utf-8").replace("6.450", "6.950"), "utf-8")
    (courses / "zorgmanagement.html").unlink()
    added = courses / "warmtepompen-voor-gemeenten.html"
    text = (courses / "klimaatadaptatie.html").read_text("utf-8")
    text = text.replace("klimaatadaptatie.html", "warmtepompen-voor-gemeenten.html")
    added.write_text(re.sub(r"7305KA03", "7305WP01", text), "utf-8")
    sitemap = root / "uva" / "sitemaps" / "onderwijs.xml"
    xml = sitemap.read_text("utf-8")
    xml = xml.replace("zorgmanagement.html", "warmtepompen-voor-gemeenten.html")
    sitemap.write_text(xml, "utf-8")
    return root


def test_history_across_runs(tmp_path: Path) -> None:
    db_path = tmp_path / "cat.db"
    first = crawl(db_path, "uva", "--fixtures")
    assert first.code == 0, first.stderr
    second = crawl(db_path, "uva", "--fixtures-dir", str(_edited_uva_site(tmp_path)))
    assert second.code == 0, second.stderr
    result = second.results["uva"]
    assert (result["added"], result["changed"], result["removed"]) == (1, 1, 1)
    db = catalogue.connect(db_path)
    assert db["courses"].get("uva:6314FA12")["price_eur"] == 6950.0
    assert db["courses"].get("uva:6314FA12")["version"] == 2
    assert db["courses"].get("uva:4002ZM15")["removed_at"] is not None
    assert (
        db["courses"].get("uva:7305WP01")["first_seen"]
        == db["courses"].get("uva:7305WP01")["last_seen"]
    )
    db.close()


def test_unknown_provider_is_a_clear_error(tmp_path: Path) -> None:
    outcome = crawl(tmp_path / "cat.db", "coursera", "--fixtures")
    assert outcome.code != 0
    assert "unknown provider(s): coursera; known providers: cursusvergelijker, " in outcome.stderr
    assert ", loi, ncoi, " in outcome.stderr


def test_layout_change_is_an_unhealthy_run_that_removes_nothing(tmp_path: Path) -> None:
    db_path = tmp_path / "cat.db"
    assert crawl(db_path, "uva", "--fixtures").code == 0
    root = tmp_path / "sites"
    shutil.copytree(fixtures_dir() / "uva", root / "uva")
    for page in (root / "uva").rglob("*.html"):
        page.write_text(page.read_text("utf-8").replace("c-hero__title", "hero-title"), "utf-8")
    broken = crawl(db_path, "uva", "--fixtures-dir", str(root))
    assert broken.code == 1
    result = broken.results["uva"]
    assert result["health"] == "UNHEALTHY"
    assert "pages answered HTTP 200 but no course was extracted" in result["reason"]
    assert "uva: unhealthy: " in broken.stderr
    assert "required field 'title' not found on the page" in broken.stderr
    db = catalogue.connect(db_path)
    assert db["courses"].count_where("removed_at is null") == len(expected("uva")["course_pages"])
    db.close()
    status = CliRunner().invoke(cli, ["health", "--db", str(db_path), "--json"])
    assert status.exit_code == 1
    assert json.loads(status.output)[0]["status"] == "broken"
