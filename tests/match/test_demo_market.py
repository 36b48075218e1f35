"""The demo's market end to end: fixture courses crawled, the synthetic sample vacancies
imported, everything tagged by the real tagger, and the quadrants that the sample was
written to produce (fixtures/vacancies/README.md)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from llo_supply import catalogue
from llo_supply.match import QUADRANTS, cells, load_market
from llo_supply.nlp.tagger import Tagger
from llo_supply.tagging import tag_documents
from llo_supply.vacancies import counts, import_file
from tests.crawling import crawl
from tests.helpers import ROOT

SAMPLE = ROOT / "fixtures" / "vacancies" / "sample_vacancies.csv"


@pytest.fixture(scope="module")
def market_db(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("demo") / "cat.db"
    assert crawl(path, "--fixtures").code == 0
    db = catalogue.connect(path)
    report = import_file(db, SAMPLE)
    assert (report.added, report.rejected) == (1836, 0)
    tagger = Tagger()
    for kind in ("course", "vacancy"):
        tag_documents(db, tagger, kind)
    yield db
    db.close()


def test_the_sample_file_is_what_the_generator_writes() -> None:
    generator = ROOT / "fixtures" / "vacancies" / "generate.py"
    done = subprocess.run([sys.executable, str(generator), "--check"], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_the_sample_has_1500_vacancies_after_reposts(market_db) -> None:
    found = counts(market_db)
    assert found["raw"] == 1836
    assert found["deduplicated"] >= 1500


@pytest.mark.parametrize("level", ["isco4", "skill-group", "sector"])
def test_every_quadrant_occurs(market_db, level: str) -> None:
    table, _ = cells(load_market(market_db), level)
    assert set(table["quadrant"]) == set(QUADRANTS)


def test_the_built_in_gaps_and_covered_demand(market_db) -> None:
    table, _ = cells(load_market(market_db), "isco4")
    quadrant = dict(zip(table["key"], table["quadrant"], strict=True))
    # Cooks, truck drivers and primary-school teachers: demand, and no fixture course.
    assert [quadrant["5120"], quadrant["8332"], quadrant["2341"]] == ["ja-nee"] * 3
    # Electricians and care workers: demand, and courses for them.
    assert [quadrant["7411"], quadrant["5321"]] == ["ja-ja"] * 2
