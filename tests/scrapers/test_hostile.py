"""A hostile site: what the user sees for each kind of trouble (items, stats, errors, exit code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llo_supply import catalogue
from llo_supply.fixtures import FixtureSite
from tests.crawling import crawl
from tests.helpers import ROOT

SITES = ROOT / "tests" / "sites"
SETTINGS = "tests.sites.settings"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):
    with FixtureSite(SITES / "hostile", "https://hostile.example") as site:
        outcome = crawl(
            tmp_path_factory.mktemp("hostile") / "cat.db",
            "hostile",
            "--base-url",
            f"hostile={site.base_url}",
            settings_module=SETTINGS,
        )
        yield outcome, site


@pytest.fixture(scope="module")
def stats(hostile):
    outcome, _ = hostile
    return outcome.run_stats("hostile")


@pytest.fixture(scope="module")
def stored(hostile):
    outcome, _ = hostile
    db = catalogue.connect(outcome.db_path)
    rows = {c["url"].rsplit("/", 1)[1]: c for c in catalogue.courses(db)}
    db.close()
    return rows


def test_good_pages_survive_the_bad_ones(hostile, stored) -> None:
    outcome, _ = hostile
    assert outcome.code == 0, outcome.stderr
    assert outcome.results["hostile"]["health"] == "healthy"
    assert sorted(stored) == ["gewoon", "jsonld", "te-druk", "windows"]


def test_404_is_counted_and_named(hostile, stats) -> None:
    outcome, _ = hostile
    assert stats["downloader/response_status_count/404"] == 1
    assert "/niet-gevonden: HTTP 404, page skipped" in outcome.stderr
    assert stats["llo/pages/failed"] == 4  # 404, 500, redirect loop, oversized


def test_500_is_retried_then_given_up(stats) -> None:
    assert stats["downloader/response_status_count/500"] == 3
    assert stats["retry/max_reached"] == 1


def test_429_waits_for_retry_after_then_succeeds(hostile, stats, stored) -> None:
    _, site = hostile
    hits = [r.at for r in site.log if r.path == "/te-druk"]
    assert len(hits) == 2
    assert hits[1] - hits[0] >= 0.95
    assert stats["llo/retry_after/count"] == 1
    assert stored["te-druk"]["price_eur"] == 300.0


def test_redirect_loop_is_cut_off(hostile) -> None:
    _, site = hostile
    assert [r.path for r in site.log if r.path.startswith("/lus")] == ["/lus", "/lus2"]
    outcome, _ = hostile
    assert "/lus2: redirect loop (" in outcome.stderr
    assert "/lus2 -> http" in outcome.stderr


def test_robots_disallowed_page_is_never_fetched(hostile, stats) -> None:
    _, site = hostile
    assert "/verboden" not in [r.path for r in site.log]
    assert stats["robotstxt/forbidden"] == 1


def test_user_agent_identifies_the_project(hostile) -> None:
    _, site = hostile
    agents = {r.headers.get("User-Agent", "") for r in site.log}
    assert all(a.startswith("llo-supply/") for a in agents), agents


def test_cp1252_page_without_charset_is_read_correctly(stored) -> None:
    page = stored["windows"]
    assert page["title"] == "Cafémanagement en hygiëne"
    assert "café te runnen – met “goede” hygiëne" in page["description"]
    assert page["price_eur"] == 1250.0


def test_oversized_page_is_cancelled_and_named(hostile, stats) -> None:
    outcome, _ = hostile
    assert "te-groot" in outcome.stderr
    assert "te-groot" not in str(sorted(stats))  # not stored as a course
    assert any("maxsize" in k.lower() or "exception" in k for k in stats)


def test_malformed_jsonld_does_not_hide_the_valid_block(hostile, stats, stored) -> None:
    outcome, _ = hostile
    assert stats["llo/jsonld/malformed"] == 1
    assert stored["jsonld"]["course_code"] == "HX-7"
    assert stored["jsonld"]["price_eur"] == 495.0
    assert "/jsonld: JSON-LD block 1 is malformed" in outcome.stderr


def test_robots_503_means_disallow_and_an_unhealthy_run(tmp_path: Path) -> None:
    with FixtureSite(SITES / "robots503", "https://hostile.example") as site:
        outcome = crawl(
            tmp_path / "cat.db",
            "hostile",
            "--base-url",
            f"hostile={site.base_url}",
            settings_module=SETTINGS,
        )
        fetched = [r.path for r in site.log]
    assert outcome.code == 1
    assert set(fetched) == {"/robots.txt"}
    assert outcome.results["hostile"]["health"] == "UNHEALTHY"
    assert "hostile: unhealthy: no course was collected" not in outcome.stdout
    assert "robots.txt" in outcome.results["hostile"]["reason"]
    assert outcome.run_stats("hostile")["llo/robots/unavailable"] == 1


def test_retry_after_beyond_the_cap_is_not_retried_at_once(tmp_path: Path) -> None:
    site_dir = tmp_path / "capped"
    site_dir.mkdir()
    (site_dir / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
    (site_dir / "index.html").write_text('<a class="course" href="/lang">x</a>', "utf-8")
    (site_dir / "_routes.json").write_text(
        '{"/lang": {"status": 503, "headers": {"Retry-After": "3600"}, "body": "later"}}', "utf-8"
    )
    with FixtureSite(site_dir, "https://hostile.example") as site:
        crawl(tmp_path / "cat.db", "hostile", "--base-url", f"hostile={site.base_url}",
              settings_module=SETTINGS)  # fmt: skip
        hits = [r.path for r in site.log if r.path == "/lang"]
    assert hits == ["/lang"]


def _redirected_robots_site(tmp_path: Path, target: str) -> Path:
    site_dir = tmp_path / "moved"
    site_dir.mkdir(exist_ok=True)
    (site_dir / "index.html").write_text('<a class="course" href="/gewoon">x</a>', "utf-8")
    (site_dir / "gewoon.html").write_text("<h1>Gewoon</h1><p>Een cursus.</p>", "utf-8")
    routes = {"/robots.txt": {"status": 301, "headers": {"Location": target}}}
    (site_dir / "_routes.json").write_text(json.dumps(routes), "utf-8")
    return site_dir


@pytest.mark.parametrize(
    ("rules", "fetched"), [("Disallow: /", set()), ("Allow: /", {"/", "/gewoon"})]
)
def test_robots_txt_redirected_to_another_host_is_followed(
    tmp_path: Path, rules: str, fetched: set[str]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "robots.txt").write_text(f"User-agent: *\n{rules}\n", "utf-8")
    with FixtureSite(other, "https://other.example") as apex:
        target = f"http://localhost:{apex.base_url.rsplit(':', 1)[1]}/robots.txt"
        with FixtureSite(
            _redirected_robots_site(tmp_path, target), "https://hostile.example"
        ) as site:
            crawl(tmp_path / "cat.db", "hostile", "--base-url", f"hostile={site.base_url}",
                  settings_module=SETTINGS)  # fmt: skip
            pages = {r.path for r in site.log} - {"/robots.txt"}
        assert [r.path for r in apex.log] == ["/robots.txt"]
    assert pages == fetched


def test_robots_txt_that_cannot_be_fetched_disallows(tmp_path: Path) -> None:
    # Port 9 (discard) on loopback: nothing listens, the robots.txt fetch fails.
    site_dir = _redirected_robots_site(tmp_path, "http://localhost:9/robots.txt")
    with FixtureSite(site_dir, "https://hostile.example") as site:
        outcome = crawl(tmp_path / "cat.db", "hostile", "--base-url", f"hostile={site.base_url}",
                        settings_module=SETTINGS)  # fmt: skip
        fetched = {r.path for r in site.log}
    assert fetched == {"/robots.txt"}
    assert outcome.code == 1
