"""Vacancy spiders (schema.org JobPosting) crawled against their loopback fixture sites."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llo_supply import catalogue
from llo_supply.crawl import spider_classes
from llo_supply.fixtures import fixtures_dir
from scrapers.jobposting import vacancy_fields
from scrapers.spiders.employers import EMPLOYER_SITES
from scrapers.spiders.registry import RegistryError, spider_class
from tests.helpers import FROZEN_NOW, ROOT

SITES = ("werkenbij-voltwerk", "zorgbanen-oost")


def vacancies_crawl(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "llo_supply", "vacancies", "crawl", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "LLO_NOW": FROZEN_NOW},
        timeout=300,
    )


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("vacancies") / "cat.db"
    done = vacancies_crawl(path, "--fixtures", "--json")
    return done, path


def _expected(site: str) -> dict:
    return json.loads((fixtures_dir() / site / "EXPECTED.json").read_text("utf-8"))


@pytest.mark.parametrize("site", SITES)
def test_every_posting_is_stored_as_the_page_says(crawled, site: str) -> None:
    _, path = crawled
    db = catalogue.connect(path)
    stored = {
        r["external_id"]: r for r in db.query("select * from vacancies where source = ?", [site])
    }
    expected = _expected(site)["postings"]
    assert sorted(stored) == sorted(p["id"] for p in expected)
    for posting in expected:
        row = stored[posting["id"]]
        assert row["vacancy_id"] == f"{site}:{posting['id']}"
        assert (row["title"], row["employer"], row["location"], row["posted_date"]) == (
            posting["title"],
            posting["employer"],
            posting["location"],
            posting["date"],
        )
        # Stored under the real site's URL, not the loopback one: ids stay stable.
        assert row["url"] == spider_classes(collects="vacancies")[site].site_url + posting["path"]
        assert "<" not in row["description"] and "&amp;" not in row["description"]


def test_a_posting_without_a_date_is_rejected_by_url(crawled) -> None:
    done, _ = crawled
    assert done.returncode == 1  # one rejected posting makes the crawl fail
    reports = {r["site"]: r for r in json.loads(done.stdout)}
    assert reports["werkenbij-voltwerk"]["rejected"] == 0
    (error,) = reports["zorgbanen-oost"]["errors"]
    assert error.endswith("/vacature/18034-fysiotherapeut: no datePosted in its JobPosting")


def test_places_map_to_regions(crawled) -> None:
    db = catalogue.connect(crawled[1])
    row = db.execute(
        "select municipality, region from vacancies where external_id = 'ZBO-18021'"
    ).fetchone()
    assert row == ("Deventer", "Veluwe Stedendriehoek")  # taxonomy/regions/gemeenten.csv
    # Two places in one posting name no single municipality.
    two = db.execute("select municipality from vacancies where external_id = 'ZBO-18027'")
    assert two.fetchone() == (None,)


def test_a_second_crawl_adds_nothing(crawled) -> None:
    done = vacancies_crawl(crawled[1], "--fixtures", "--json")
    reports = {r["site"]: r for r in json.loads(done.stdout)}
    assert [(r["added"], r["unchanged"]) for r in reports.values()] == [(0, 7), (0, 7)]


def test_course_crawls_never_include_vacancy_sites() -> None:
    assert not set(SITES) & set(spider_classes())
    assert sorted(spider_classes(collects="vacancies")) == list(SITES)


def test_vacancy_spiders_are_polite() -> None:
    for cls in spider_classes(collects="vacancies").values():
        assert cls.custom_settings == {
            "ITEM_PIPELINES": {"scrapers.pipelines.vacancies.VacancyPipeline": 900}
        }  # only the pipelines differ: robots, delays and User-Agent are the project's


def test_an_unknown_site_is_a_clear_error(tmp_path) -> None:
    done = vacancies_crawl(tmp_path / "c.db", "nope", "--fixtures")
    assert done.returncode == 1
    assert "unknown site(s): nope; known sites: werkenbij-voltwerk, zorgbanen-oost" in done.stderr


def test_registry_names_the_link_key_of_employer_sites() -> None:
    entry = {"name": "X", "site_url": "https://x.nl", "start_paths": ["/v"]}
    with pytest.raises(RegistryError, match="give sitemap_rules, or start_paths and posting_link"):
        spider_class("x", entry, kind=EMPLOYER_SITES)


def test_jobposting_fields() -> None:
    posting = {
        "@type": "JobPosting",
        "title": " Monteur ",
        "description": "<p>Tekst</p>",
        "identifier": {"@type": "PropertyValue", "value": "A-1"},
        "hiringOrganization": {"@type": "Organization", "name": "Werkgever"},
        "jobLocation": [
            {"@type": "Place", "address": {"addressLocality": "Zwolle"}},
            {"@type": "Place", "address": {"addressLocality": "Deventer"}},
        ],
        "datePosted": "2026-10-01",
    }
    assert vacancy_fields(posting) == {
        "id": "A-1",
        "title": "Monteur",
        "text": "<p>Tekst</p>",
        "employer": "Werkgever",
        "location": "Zwolle, Deventer",
        "date": "2026-10-01",
    }
