"""Provider status from run metrics: healthy, degraded, broken, dead; and the alert hook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from click.testing import CliRunner

from llo_supply import catalogue
from llo_supply.cli import cli
from llo_supply.health import Thresholds, provider_health, run_metrics
from tests.test_catalogue import course, run

OK = {"finish_reason": "finished", "downloader/response_status_count/200": 10,
      "response_received_count": 10}  # fmt: skip


def courses(n: int, priced: int | None = None) -> list[dict]:
    items = [course(f"c{i}", f"Cursus {i}", price=100.0) for i in range(n)]
    for item in items[priced if priced is not None else n :]:
        item["price_eur"] = None
    return items


def test_run_metrics_coverage_and_rates() -> None:
    items = courses(4, priced=3)
    stats = {**OK, "downloader/response_status_count/404": 2, "response_received_count": 12,
             "llo/pages/failed": 2, "llo/text/mojibake_repaired": 1}  # fmt: skip
    metrics = run_metrics(items, stats)
    assert metrics["field_coverage"]["price_eur"] == 0.75
    assert metrics["field_coverage"]["course_code"] == 1.0
    assert metrics["http_error_rate"] == round(2 / 12, 3)
    assert metrics["mojibake_rate"] == 0.25


def test_healthy_then_degraded_when_a_field_empties(tmp_path: Path) -> None:
    db = catalogue.connect(tmp_path / "c.db")
    run(db, courses(10), "2027-01-01", OK)
    assert provider_health(db, "acme")["status"] == "healthy"
    run(db, courses(10, priced=5), "2027-01-08", OK)
    status = provider_health(db, "acme")
    assert status["status"] == "degraded"
    assert status["reason"] == "price_eur filled in 50% of courses, usually 100%"


def test_broken_when_the_latest_run_is_unhealthy(tmp_path: Path) -> None:
    db = catalogue.connect(tmp_path / "c.db")
    run(db, courses(10), "2027-01-01", OK)
    run(db, [], "2027-01-08", OK)
    status = provider_health(db, "acme")
    assert status["status"] == "broken"
    assert "10 pages answered HTTP 200 but no course was extracted" in status["reason"]


def test_dead_after_five_runs_without_courses(tmp_path: Path) -> None:
    db = catalogue.connect(tmp_path / "c.db")
    run(db, courses(10), "2027-01-01", OK)
    for day in range(2, 7):
        run(db, [], f"2027-01-0{day}", OK)
    assert provider_health(db, "acme")["status"] == "dead"
    assert provider_health(db, "acme", Thresholds(dead_after_runs=6))["status"] == "broken"


def test_health_command_exit_code_and_notify_hook(tmp_path: Path) -> None:
    db_path = tmp_path / "c.db"
    db = catalogue.connect(db_path)
    run(db, courses(10), "2027-01-01", OK)
    run(db, [], "2027-01-08", OK)
    db.close()
    hook = tmp_path / "hook.py"
    received = tmp_path / "received.json"
    hook.write_text(f"import sys; open({str(received)!r}, 'w').write(sys.stdin.read())\n", "utf-8")
    result = CliRunner().invoke(
        cli, ["health", "--db", str(db_path), "--notify-command", f"{sys.executable} {hook}"]
    )
    assert result.exit_code == 1
    assert "broken" in result.output
    report = json.loads(received.read_text("utf-8"))
    assert [(r["provider"], r["status"]) for r in report] == [("acme", "broken")]


def test_healthy_catalogue_notifies_nobody(tmp_path: Path) -> None:
    db_path = tmp_path / "c.db"
    db = catalogue.connect(db_path)
    run(db, courses(10), "2027-01-01", OK)
    db.close()
    marker = tmp_path / "called"
    result = CliRunner().invoke(
        cli, ["health", "--db", str(db_path), "--json", "--notify-command", f"touch {marker}"]
    )
    assert result.exit_code == 0
    assert json.loads(result.output)[0]["status"] == "healthy"
    assert not marker.exists()
