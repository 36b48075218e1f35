"""Breakage detection: per-run metrics and a status per provider.

A provider is **dead** after 5 consecutive runs without courses, **broken** when its latest
run is unhealthy (see ``catalogue.judge_health``), **degraded** when the latest run is
healthy but a field's coverage fell, or errors or mojibake rose past a threshold, and
**healthy** otherwise. "No supply" in a report must never mean "not crawled".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

# Fields whose coverage (share of courses where the field is not empty) is watched.
COVERAGE_FIELDS = (
    "description", "course_code", "level", "delivery_modes", "price_eur", "start_dates",
    "locations", "learning_outcomes", "duration", "category",
)  # fmt: skip
STATUSES = ("healthy", "degraded", "broken", "dead")


@dataclass(frozen=True)
class Thresholds:
    """Defaults from the anchors: a field below 90 % of its usual coverage is a warning."""

    coverage_share: float = 0.9
    max_error_rate: float = 0.1
    max_mojibake_rate: float = 0.05
    dead_after_runs: int = 5
    trailing_runs: int = 5


def run_metrics(items: Sequence[Mapping[str, Any]], stats: Mapping[str, Any]) -> dict[str, Any]:
    """What a run looked like: field coverage, error and HTTP-status rates, mojibake rate."""
    n = len(items)
    coverage = {
        field: round(sum(1 for i in items if i.get(field) not in (None, "", [])) / n, 3)
        if n
        else 0.0
        for field in COVERAGE_FIELDS
    }
    responses = int(stats.get("response_received_count", 0))
    statuses = {
        key.rsplit("/", 1)[1]: int(value)
        for key, value in stats.items()
        if key.startswith("downloader/response_status_count/")
    }
    bad_status = sum(v for k, v in statuses.items() if not k.startswith(("2", "3")))
    failed_pages = int(stats.get("llo/pages/failed", 0))
    mojibake = int(stats.get("llo/text/mojibake_repaired", 0)) + int(
        stats.get("llo/text/replacement_chars", 0)
    )
    return {
        "items": n,
        "field_coverage": coverage,
        "http_statuses": statuses,
        "http_error_rate": round(bad_status / responses, 3) if responses else 0.0,
        "error_rate": round(failed_pages / (responses or 1), 3),
        "mojibake_rate": round(mojibake / n, 3) if n else 0.0,
        "responses_200_without_items": bool(statuses.get("200") and not n),
    }


def _runs(db: sqlite_utils.Database, provider: str, limit: int) -> list[dict[str, Any]]:
    return list(
        db.query(
            """select id, finished_at, status, healthy, health_reason, items, metrics
            from crawl_runs where provider = ? and status != 'running'
            order by id desc limit ?""",
            [provider, limit],
        )
    )


def provider_health(
    db: sqlite_utils.Database, provider: str, thresholds: Thresholds = Thresholds()
) -> dict[str, Any]:
    runs = _runs(db, provider, max(thresholds.dead_after_runs, thresholds.trailing_runs + 1))
    if not runs:
        return {"provider": provider, "status": "broken", "reason": "never crawled", "run_id": None}
    latest = runs[0]
    base = {"provider": provider, "run_id": latest["id"], "finished_at": latest["finished_at"],
            "courses": latest["items"]}  # fmt: skip
    recent = runs[: thresholds.dead_after_runs]
    if len(recent) == thresholds.dead_after_runs and all(not r["items"] for r in recent):
        return {**base, "status": "dead",
                "reason": f"no courses in the last {thresholds.dead_after_runs} runs"}  # fmt: skip
    if not latest["healthy"]:
        return {**base, "status": "broken", "reason": latest["health_reason"] or "unhealthy run"}
    reasons = degradations(latest, runs[1:], thresholds)
    if reasons:
        return {**base, "status": "degraded", "reason": "; ".join(reasons)}
    return {**base, "status": "healthy", "reason": "ok"}


def degradations(
    latest: Mapping[str, Any], previous: Sequence[Mapping[str, Any]], thresholds: Thresholds
) -> list[str]:
    metrics = json.loads(latest["metrics"] or "{}")
    reasons = []
    earlier = [json.loads(r["metrics"]) for r in previous if r["healthy"] and r["metrics"]]
    earlier = earlier[: thresholds.trailing_runs]
    for field, share in sorted(metrics.get("field_coverage", {}).items()):
        usual = [m["field_coverage"].get(field, 0.0) for m in earlier]
        if usual:
            mean = sum(usual) / len(usual)
            if mean > 0 and share < thresholds.coverage_share * mean:
                reasons.append(f"{field} filled in {share:.0%} of courses, usually {mean:.0%}")
    if metrics.get("error_rate", 0) > thresholds.max_error_rate:
        reasons.append(f"{metrics['error_rate']:.0%} of pages failed")
    if metrics.get("mojibake_rate", 0) > thresholds.max_mojibake_rate:
        reasons.append(f"garbled text in {metrics['mojibake_rate']:.0%} of courses (encoding?)")
    return reasons


def health_report(
    db: sqlite_utils.Database, thresholds: Thresholds = Thresholds()
) -> list[dict[str, Any]]:
    providers = [r["slug"] for r in db.query("select slug from providers order by slug")]
    return [provider_health(db, p, thresholds) for p in providers]
