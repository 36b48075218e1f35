"""Catalogue history: versions, observations, tombstones and run health across runs."""

from __future__ import annotations

import dataclasses
import socket
import sqlite3
from pathlib import Path

import pytest

from llo_supply import catalogue
from scrapers.items import Course

OK_STATS = {"finish_reason": "finished", "downloader/response_status_count/200": 5}


def course(code: str, title: str, price: float = 100.0) -> dict:
    item = Course(provider="acme", url=f"https://acme.nl/{code}", title=title, course_code=code)
    item.course_id = f"acme:{code}"
    item.price_eur = price
    item.crawled_at = "2027-01-01T00:00:00Z"
    return dataclasses.asdict(item)


def run(db, items: list[dict], now: str, stats: dict | None = None) -> catalogue.RunResult:
    run_id = catalogue.start_run(db, "acme", "Acme", "https://acme.nl", "https://acme.nl", now)
    catalogue.stage_items(db, run_id, items)
    return catalogue.finish_run(db, run_id, stats or OK_STATS, now)


@pytest.fixture
def db(tmp_path: Path):
    database = catalogue.connect(tmp_path / "cat.db")
    yield database
    database.close()


@pytest.fixture
def three_runs(db):
    """Run 1: a, b, c. Run 2: a changed, b removed, d added. Run 3 unhealthy: only a."""
    first = run(db, [course("a", "A"), course("b", "B"), course("c", "C")], "2027-01-01")
    second = run(
        db, [course("a", "A", price=120.0), course("c", "C"), course("d", "D")], "2027-01-08"
    )
    third = run(
        db,
        [course("a", "A", price=120.0)],
        "2027-01-15",
        {"finish_reason": "shutdown", "downloader/response_status_count/200": 1},
    )
    return first, second, third


def test_schema_is_migrated_and_wal(db) -> None:
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(catalogue.MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"providers", "crawl_runs", "courses", "course_versions", "course_observations"} <= set(
        db.table_names()
    )


def test_first_run_adds_everything(three_runs) -> None:
    first, _, _ = three_runs
    assert (first.added, first.changed, first.removed, first.healthy) == (3, 0, 0, True)


def test_second_run_counts_changes(three_runs) -> None:
    _, second, _ = three_runs
    assert (second.added, second.changed, second.removed, second.healthy) == (1, 1, 1, True)


def test_changed_course_gets_a_new_version(db, three_runs) -> None:
    versions = list(
        db.query("select version, run_id from course_versions where course_id = 'acme:a'")
    )
    assert versions == [{"version": 1, "run_id": 1}, {"version": 2, "run_id": 2}]
    assert db["courses"].get("acme:a")["price_eur"] == 120.0
    assert db["courses"].get("acme:a")["first_seen"] == "2027-01-01"


def test_unchanged_course_keeps_one_version(db, three_runs) -> None:
    assert (
        db.execute("select count(*) from course_versions where course_id = 'acme:c'").fetchone()[0]
        == 1
    )


def test_removed_course_is_tombstoned_by_the_healthy_run(db, three_runs) -> None:
    assert db["courses"].get("acme:b")["removed_at"] == "2027-01-08"


def test_unhealthy_run_tombstones_nothing(db, three_runs) -> None:
    _, _, third = three_runs
    assert not third.healthy
    assert "did not finish normally (finish reason: shutdown)" in third.reason
    assert db["courses"].get("acme:c")["removed_at"] is None
    assert db["courses"].get("acme:d")["removed_at"] is None
    assert db["courses"].get("acme:c")["last_seen"] == "2027-01-08"


def test_observations_are_one_row_per_course_per_run(db, three_runs) -> None:
    rows = db.execute(
        "select run_id, count(*) from course_observations group by run_id order by run_id"
    ).fetchall()
    assert rows == [(1, 3), (2, 3), (3, 1)]


def test_staging_is_emptied_after_merge(db, three_runs) -> None:
    assert db["staged_items"].count == 0


def test_reappearing_course_is_no_longer_removed(db, three_runs) -> None:
    run(db, [course(c, c.upper(), 120.0 if c == "a" else 100.0) for c in "abcd"], "2027-01-22")
    assert db["courses"].get("acme:b")["removed_at"] is None


def test_full_text_search_folds_diacritics(db) -> None:
    item = course("x", "Café-management")
    item["description"] = "Zonnepanelen en warmtepompen"
    run(db, [item], "2027-01-01")
    assert [c["course_id"] for c in catalogue.courses(db, search="cafe")] == ["acme:x"]
    assert [c["course_id"] for c in catalogue.courses(db, search="warmtepompen")] == ["acme:x"]
    assert catalogue.courses(db, search='"unbalanced') == []
    assert catalogue.courses(db, search='* "') == []
    assert [c["course_id"] for c in catalogue.courses(db, search="zonnepa*")] == ["acme:x"]


@pytest.mark.parametrize(
    ("reason", "items", "ok200", "mean", "healthy", "says"),
    [
        ("finished", 10, 12, None, True, "ok"),
        ("finished", 0, 12, None, False, "12 pages answered HTTP 200 but no course"),
        ("finished", 0, 0, None, False, "no course was collected"),
        ("finished", 8, 12, 10.0, False, "below 90% of the trailing mean (10.0)"),
        ("finished", 9, 12, 10.0, True, "ok"),
        ("cancelled", 10, 12, None, False, "finish reason: cancelled"),
    ],
)
def test_judge_health(reason, items, ok200, mean, healthy, says) -> None:
    verdict, why = catalogue.judge_health(reason, items, ok200, 0, mean)
    assert verdict is healthy
    assert says in why


def test_trailing_mean_uses_only_healthy_runs(db) -> None:
    run(db, [course(c, c) for c in "abcdefghij"], "2027-01-01")
    run(db, [], "2027-01-02", {"finish_reason": "finished"})  # unhealthy, ignored
    small = run(db, [course(c, c) for c in "abcdefgh"], "2027-01-03")
    assert not small.healthy and "below 90%" in small.reason
    assert db["courses"].get("acme:j")["removed_at"] is None


def test_killed_run_leaves_catalogue_untouched_and_is_aborted_next_time(db, tmp_path) -> None:
    run(db, [course("a", "A")], "2027-01-01")
    killed = catalogue.start_run(
        db, "acme", "Acme", "https://acme.nl", "https://acme.nl", "2027-01-08"
    )
    catalogue.stage_items(db, killed, [course("a", "A changed"), course("z", "Z")])
    # The process dies here; another reader sees the catalogue as before.
    reader = sqlite3.connect(tmp_path / "cat.db")
    assert reader.execute("select title from courses").fetchall() == [("A",)]
    reader.close()
    again = run(db, [course("a", "A")], "2027-01-09")
    assert again.healthy and again.removed == 0
    assert db["crawl_runs"].get(killed)["status"] == "aborted"
    assert db["staged_items"].count == 0
    assert db["courses"].count == 1


def test_newer_schema_is_refused(tmp_path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(RuntimeError, match="newer than this llo-supply"):
        catalogue.connect(path)


def test_a_lasting_drop_becomes_the_new_level_after_three_runs(db) -> None:
    for day in range(1, 4):
        run(db, [course(f"c{i}", f"C{i}") for i in range(10)], f"2027-01-0{day}")
    fewer = [course(f"c{i}", f"C{i}") for i in range(8)]
    assert not run(db, fewer, "2027-01-04").healthy
    assert not run(db, fewer, "2027-01-05").healthy
    settled = run(db, fewer, "2027-01-06")
    assert settled.healthy and settled.removed == 2
    assert "settled at 8" in settled.reason


def test_a_second_live_crawl_of_the_same_provider_is_refused(db) -> None:
    catalogue.ensure_provider(db, "acme", "Acme", "https://acme.nl")
    # pid 1 is always alive: another process is crawling acme right now.
    db["crawl_runs"].insert(
        {"provider": "acme", "status": "running", "pid": 1, "host": socket.gethostname()}
    )
    with pytest.raises(catalogue.RunInProgressError, match="acme is being crawled already"):
        catalogue.start_run(db, "acme", "Acme", "https://acme.nl", "https://acme.nl", "2027-01-01")


def test_resume_only_continues_a_run_of_the_same_source(db) -> None:
    catalogue.ensure_provider(db, "acme", "Acme", "https://acme.nl")
    killed = catalogue.start_run(
        db, "acme", "Acme", "https://acme.nl", "http://127.0.0.1:4001", "t"
    )
    assert catalogue.resumable_run(db, "acme", "http://127.0.0.1:5002") == killed
    assert catalogue.resumable_run(db, "acme", "https://acme.nl") is None


def test_staged_pages_are_matched_by_path_and_query(db) -> None:
    run_id = catalogue.start_run(db, "acme", "Acme", "https://acme.nl", "https://acme.nl", "t")
    item = course("a", "A")
    item["url"] = "http://127.0.0.1:4001/opleiding?id=4&regio=noord"
    catalogue.stage_items(db, run_id, [item])
    assert catalogue.staged_urls(db, run_id) == {"/opleiding?id=4&regio=noord"}
