"""Incremental crawls: a second crawl of an unchanged site revalidates every page (304s),
moves at most a tenth of the bytes, and still confirms every course."""

from __future__ import annotations

from pathlib import Path

from llo_supply.fixtures import FixtureSite, fixtures_dir
from tests.crawling import crawl
from tests.helpers import expected

SETTINGS = "tests.sites.settings"


def test_second_crawl_of_unchanged_site_moves_a_tenth_of_the_bytes(tmp_path: Path) -> None:
    db_path = tmp_path / "cat.db"
    with FixtureSite(fixtures_dir() / "ncoi", "https://www.ncoi.nl") as site:
        args = ("ncoi", "--base-url", f"ncoi={site.base_url}")
        first = crawl(db_path, *args, settings_module=SETTINGS)
        second = crawl(db_path, *args, settings_module=SETTINGS)
        conditional = [r for r in site.log if "If-None-Match" in r.headers]
    assert first.code == 0 and second.code == 0, second.stderr
    bytes_first = first.run_stats("ncoi")["llo/network/bytes"]
    bytes_second = second.run_stats("ncoi").get("llo/network/bytes", 0)
    assert bytes_second <= 0.1 * bytes_first, (bytes_first, bytes_second)
    result = second.results["ncoi"]
    assert result["health"] == "healthy"
    assert result["courses"] == len(expected("ncoi")["course_pages"])
    assert (result["added"], result["changed"], result["removed"]) == (0, 0, 0)
    assert len(conditional) >= len(expected("ncoi")["course_pages"])
    assert second.run_stats("ncoi")["llo/network/status/304"] >= 32


def test_changed_page_is_downloaded_again(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "site"
    shutil.copytree(fixtures_dir() / "ncoi", root)
    db_path = tmp_path / "cat.db"
    with FixtureSite(root, "https://www.ncoi.nl") as site:
        args = ("ncoi", "--base-url", f"ncoi={site.base_url}")
        assert crawl(db_path, *args, settings_module=SETTINGS).code == 0
        page = root / "opleidingen" / "techniek" / "warmtepompmonteur.html"
        page.write_text(page.read_text("utf-8").replace("2950.00", "3150.00"), "utf-8")
        second = crawl(db_path, *args, settings_module=SETTINGS)
    assert second.results["ncoi"]["changed"] == 1
