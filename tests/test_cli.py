"""The read-side commands on a small hand-made catalogue (crawls are tested via subprocess)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply import catalogue
from llo_supply.cli import cli
from tests.test_catalogue import course, run


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    path = tmp_path / "cat.db"
    db = catalogue.connect(path)
    a = course("a", "Warmtepompmonteur", 2950.0)
    a["locations"] = ["Utrecht", "Zwolle"]
    others = [course(f"x{i}", f"Cursus {i}") for i in range(8)]
    run(db, [a, course("b", "Boekhouden"), *others], "2027-01-01")
    run(db, [a, *others], "2027-01-08")  # 9 of 10: healthy, so b is removed
    db.close()
    return str(path)


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_courses_table(db_path: str) -> None:
    result = invoke("courses", "--db", db_path)
    assert result.exit_code == 0
    assert "Warmtepompmonteur" in result.output
    assert "Utrecht; Zwolle" in result.output
    assert "Boekhouden" not in result.output  # removed by the second, healthy run


def test_courses_json_has_typed_lists(db_path: str) -> None:
    rows = json.loads(invoke("courses", "--db", db_path, "--json").output)
    assert [r["course_id"] for r in rows] == ["acme:a"] + [f"acme:x{i}" for i in range(8)]
    assert rows[0]["locations"] == ["Utrecht", "Zwolle"]
    assert rows[0]["price_eur"] == 2950.0


def test_courses_csv_includes_removed_on_request(db_path: str) -> None:
    output = invoke("courses", "--db", db_path, "--csv", "--removed").output
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [r["course_id"] for r in rows][:2] == ["acme:a", "acme:b"]
    assert rows[1]["removed_at"] == "2027-01-08"
    assert len(rows) == 10


def test_courses_search(db_path: str) -> None:
    rows = json.loads(
        invoke("courses", "--db", db_path, "--json", "--search", "warmtepomp*").output
    )
    assert [r["title"] for r in rows] == ["Warmtepompmonteur"]


def test_unknown_provider_lists_known_ones(db_path: str) -> None:
    result = CliRunner().invoke(cli, ["courses", "--db", db_path, "--provider", "nope"])
    assert result.exit_code == 1
    assert "unknown provider 'nope'; known providers: acme" in result.output


def test_missing_catalogue_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["runs", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no catalogue here yet; run `llo-supply crawl" in result.output
    assert not (tmp_path / "none.db").exists()


def test_runs_newest_first(db_path: str) -> None:
    rows = json.loads(invoke("runs", "--db", db_path, "--json").output)
    assert [(r["id"], r["healthy"], r["removed"]) for r in rows] == [(2, True, 1), (1, True, 0)]


def test_summary(db_path: str) -> None:
    rows = json.loads(invoke("summary", "--db", db_path, "--json").output)
    assert rows[0]["provider"] == "acme" and rows[0]["courses"] == 9
    assert rows[0]["health"] == "healthy"


def test_json_and_csv_together_is_a_usage_error(db_path: str) -> None:
    result = CliRunner().invoke(cli, ["courses", "--db", db_path, "--json", "--csv"])
    assert result.exit_code == 2
    assert "choose one of --json and --csv" in result.output


def test_bad_base_url_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["crawl", "--db", str(tmp_path / "x.db"), "--base-url", "uva"])
    assert result.exit_code == 2
    assert "expected PROVIDER=http(s)://" in result.output


def test_providers_lists_code_and_registry_providers_with_status(db_path: str) -> None:
    rows = {
        r["provider"]: r for r in json.loads(invoke("providers", "--db", db_path, "--json").output)
    }
    assert rows["ncoi"]["defined_by"] == "scrapers/spiders/ncoi.py"
    assert rows["ncoi"]["status"] == "never crawled"
    assert rows["zorgacademie-oost"]["defined_by"] == "providers.toml"
    assert rows["zorgacademie-oost"]["fixture_only"] is True


def test_fixture_only_providers_stay_off_the_internet_with_a_mirror_for_another() -> None:
    from llo_supply.crawl import crawlable, spider_classes

    classes = spider_classes()
    selected = crawlable([], classes, fixtures=False, mirrored=["ncoi"])
    assert "ncoi" in selected and "cursusvergelijker" not in selected
    assert "cursusvergelijker" in crawlable([], classes, False, mirrored=["cursusvergelijker"])
