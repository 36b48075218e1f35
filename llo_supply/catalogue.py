"""The SQLite catalogue: providers, crawl runs, current courses, versions and observations.

A crawl stages its items under its run id; :func:`finish_run` judges the run's health and
merges the staged items in one transaction. A crawl killed half-way therefore changes
nothing but its own staging rows, which the next run of that provider clears.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from llo_supply.health import run_metrics
from scrapers.items import CONTENT_FIELDS

HEALTHY_SHARE_OF_MEAN = 0.9  # a run below 90 % of the trailing mean item count is unhealthy
TRAILING_RUNS = 5
SETTLE_RUNS = 3  # a lower count seen in this many finished runs in a row is the new normal
FTS_COLUMNS = ["title", "description"]

JSON_FIELDS = ("learning_outcomes", "delivery_modes", "start_dates", "locations")
COURSE_COLUMNS: dict[str, type] = {
    "course_id": str,
    "provider": str,
    "url": str,
    "canonical_url": str,
    "title": str,
    "course_code": str,
    "description": str,
    "learning_outcomes": str,
    "target_group": str,
    "category": str,
    "certificate": str,
    "level": str,
    "nlqf": int,
    "delivery_modes": str,
    "study_load_hours": float,
    "duration": str,
    "price_eur": float,
    "price_period": str,
    "vat": str,
    "start_dates": str,
    "start_anytime": int,
    "locations": str,
    "language": str,
    "ects": float,
    "crawled_at": str,
    "content_hash": str,
    "version": int,
    "first_seen": str,
    "last_seen": str,
    "removed_at": str,
}


UPSERT_COURSE = (
    f"insert into courses ({', '.join(COURSE_COLUMNS)}) "
    f"values ({', '.join('?' * len(COURSE_COLUMNS))}) "
    "on conflict(course_id) do update set "
    + ", ".join(f"{c} = excluded.{c}" for c in COURSE_COLUMNS if c != "course_id")
)


def utcnow() -> str:
    """Now in UTC as ISO 8601 seconds; ``LLO_NOW`` pins it for reproducible runs and tests."""
    pinned = os.environ.get("LLO_NOW")
    if pinned:
        return pinned
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def content_hash(item: Mapping[str, Any], fields: Sequence[str] = CONTENT_FIELDS) -> str:
    """Hash of an item's content fields (a course's by default): equal hashes mean an
    unchanged item."""
    content = {name: item.get(name) for name in fields}
    blob = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


# ---------------------------------------------------------------- migrations


def _m1_initial(db: sqlite_utils.Database) -> None:
    db["providers"].create(
        {"slug": str, "name": str, "site_url": str}, pk="slug", not_null={"name"}
    )
    db["crawl_runs"].create(
        {
            "id": int,
            "provider": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "finish_reason": str,
            "healthy": int,
            "health_reason": str,
            "items": int,
            "pages": int,
            "responses_200": int,
            "errors": int,
            "added": int,
            "changed": int,
            "removed": int,
            "base_url": str,
            "pid": int,
            "host": str,
            "stats": str,
        },
        pk="id",
        foreign_keys=[("provider", "providers", "slug")],
    )
    db["crawl_runs"].create_index(["provider", "started_at"])
    db["staged_items"].create(
        {"run_id": int, "course_id": str, "data": str},
        pk=("run_id", "course_id"),
        foreign_keys=[("run_id", "crawl_runs", "id")],
    )
    db["courses"].create(
        COURSE_COLUMNS, pk="course_id", foreign_keys=[("provider", "providers", "slug")]
    )
    db["courses"].create_index(["provider", "removed_at"])
    db["course_versions"].create(
        {
            "course_id": str,
            "version": int,
            "content_hash": str,
            "run_id": int,
            "valid_from": str,
            "data": str,
        },
        pk=("course_id", "version"),
        foreign_keys=[("course_id", "courses", "course_id"), ("run_id", "crawl_runs", "id")],
    )
    db["course_observations"].create(
        {
            "run_id": int,
            "course_id": str,
            "provider": str,
            "content_hash": str,
            "price_eur": float,
            "observed_at": str,
        },
        pk=("run_id", "course_id"),
        foreign_keys=[("run_id", "crawl_runs", "id"), ("course_id", "courses", "course_id")],
    )
    db["course_observations"].create_index(["course_id"])
    db["courses"].enable_fts(
        FTS_COLUMNS, create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


def _m2_tags(db: sqlite_utils.Database) -> None:
    db["tags"].create(
        {
            "doc_kind": str,
            "doc_id": str,
            "kind": str,
            "concept": str,
            "label": str,
            "score": float,
            "start": int,
            "end": int,
            "evidence": str,
            "rule": str,
            "isco": str,
            "division": str,
            "mentions": int,
            "tagger_version": str,
            "taxonomy_version": str,
        },
        pk=("doc_kind", "doc_id", "kind", "concept"),
    )
    db["tags"].create_index(["kind", "concept"])
    db["tagged_docs"].create(
        {
            "doc_kind": str,
            "doc_id": str,
            "content_hash": str,
            "tagger_version": str,
            "taxonomy_version": str,
            "tagged_at": str,
        },
        pk=("doc_kind", "doc_id"),
    )


def _m3_run_metrics(db: sqlite_utils.Database) -> None:
    db["crawl_runs"].add_column("metrics", str)
    db["crawl_runs"].add_column("job_dir", str)


def _m4_vacancies(db: sqlite_utils.Database) -> None:
    from llo_supply.vacancies import VACANCY_COLUMNS

    db["vacancy_imports"].create(
        {
            "id": int,
            "origin": str,
            "format": str,
            "started_at": str,
            "finished_at": str,
            "rows": int,
            "added": int,
            "changed": int,
            "unchanged": int,
            "rejected": int,
            "reposts": int,
            "errors": str,
        },
        pk="id",
    )
    db["vacancies"].create(
        VACANCY_COLUMNS,
        pk="vacancy_id",
        foreign_keys=[("import_id", "vacancy_imports", "id")],
    )
    db["vacancies"].create_index(["employer_key", "municipality"])
    db["vacancies"].create_index(["region"])
    db["vacancies"].create_index(["posted_date"])
    db["vacancy_versions"].create(
        {
            "vacancy_id": str,
            "version": int,
            "content_hash": str,
            "import_id": int,
            "valid_from": str,
            "data": str,
        },
        pk=("vacancy_id", "version"),
        foreign_keys=[("vacancy_id", "vacancies", "vacancy_id")],
    )
    db["vacancies"].enable_fts(
        ["title", "description"], create_triggers=True, tokenize="unicode61 remove_diacritics 2"
    )


def _m5_quadrant_cells(db: sqlite_utils.Database) -> None:
    db["quadrant_cells"].create(
        {
            "region": str,
            "level": str,
            "rank": int,
            "key": str,
            "label": str,
            "demand": int,
            "demand_share": float,
            "supply": int,
            "supply_share": float,
            "providers": int,
            "ratio": float,
            "demand_ja": int,
            "supply_ja": int,
            "quadrant": str,
            "uncertain": int,
            "uncertainty": str,
            "demand_at": int,
            "supply_at": int,
            "computed_at": str,
        },
        pk=("region", "level", "key"),
    )
    db["quadrant_cells"].create_index(["level", "quadrant"])


def _m6_provider_cells(db: sqlite_utils.Database) -> None:
    db["provider_cells"].create(
        {"provider": str, "level": str, "key": str, "courses": int},
        pk=("provider", "level", "key"),
    )


def _m7_course_sectors(db: sqlite_utils.Database) -> None:
    db.create_view(
        "course_sectors",
        """select c.course_id, c.provider, c.title, c.level, c.category, t.concept as section,
        t.label as sector, t.score from courses c
        join tags t on t.doc_kind = 'course' and t.doc_id = c.course_id and t.kind = 'sector'
        where c.removed_at is null""",
    )


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _m1_initial,
    _m2_tags,
    _m3_run_metrics,
    _m4_vacancies,
    _m5_quadrant_cells,
    _m6_provider_cells,
    _m7_course_sectors,
]


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (and create or migrate) the catalogue at ``path``, in WAL mode."""
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    db = sqlite_utils.Database(conn)
    db.execute("PRAGMA foreign_keys = ON")
    # WAL lets analysts read the catalogue while a crawl writes to it.
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    migrate(db)
    return db


def migrate(db: sqlite_utils.Database) -> int:
    """Apply pending migrations, each in its own transaction; returns the schema version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise RuntimeError(
            f"{db.conn}: catalogue schema v{version} is newer than this llo-supply "
            f"(v{len(MIGRATIONS)}); upgrade llo-supply"
        )
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.conn:
            db.execute("BEGIN IMMEDIATE")
            # Another process may have migrated while we waited for the write lock.
            if db.execute("PRAGMA user_version").fetchone()[0] >= number:
                continue
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    return len(MIGRATIONS)


# ---------------------------------------------------------------- runs


class RunInProgressError(RuntimeError):
    """Another live process is crawling the provider into this catalogue."""


@dataclass(frozen=True)
class RunResult:
    """What one finished run did, for the CLI summary and exit code."""

    run_id: int
    provider: str
    healthy: bool
    reason: str
    items: int
    added: int
    changed: int
    removed: int


def ensure_provider(db: sqlite_utils.Database, slug: str, name: str, site_url: str) -> None:
    db["providers"].upsert({"slug": slug, "name": name, "site_url": site_url}, pk="slug")


def _pid_alive(pid: int | None, host: str | None) -> bool:
    if not pid or host != socket.gethostname():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def abort_stale_runs(db: sqlite_utils.Database, provider: str, now: str) -> list[int]:
    """Mark runs left 'running' by a dead process as aborted and drop their staged items."""
    stale = [
        row["id"]
        for row in db.query(
            "select id, pid, host from crawl_runs where provider = ? and status = 'running'",
            [provider],
        )
        # A run of this very process is stale too: it can only be left over from a crash.
        if row["pid"] == os.getpid() or not _pid_alive(row["pid"], row["host"])
    ]
    if stale:
        marks = ",".join("?" * len(stale))
        with db.conn:
            db.execute("BEGIN IMMEDIATE")
            db.execute(f"delete from staged_items where run_id in ({marks})", stale)
            db.execute(
                f"""update crawl_runs set status = 'aborted', finished_at = ?, healthy = 0,
                finish_reason = coalesce(finish_reason, 'killed'),
                health_reason = 'the crawl process ended before the run finished'
                where id in ({marks})""",
                [now, *stale],
            )
    return stale


def same_source(a: str | None, b: str | None) -> bool:
    """Two base URLs serve the same pages: equal, or both our loopback fixture servers."""
    host_a, host_b = urlsplit(a or "").hostname, urlsplit(b or "").hostname
    return a == b or (host_a == host_b == "127.0.0.1")


def resumable_run(db: sqlite_utils.Database, provider: str, base_url: str) -> int | None:
    """The provider's latest run left 'running' by a process that is gone, crawled from the
    same source; a run of another mirror is not continued with this one's pages."""
    for row in db.query(
        """select id, pid, host, base_url from crawl_runs where provider = ?
        and status = 'running' order by id desc""",
        [provider],
    ):
        dead = row["pid"] == os.getpid() or not _pid_alive(row["pid"], row["host"])
        if dead and same_source(row["base_url"], base_url):
            return int(row["id"])
    return None


def adopt_run(db: sqlite_utils.Database, run_id: int) -> None:
    """Continue a killed run in this process: its staged items stay."""
    db["crawl_runs"].update(run_id, {"pid": os.getpid(), "host": socket.gethostname()})


def url_key(url: str) -> str:
    """Path and query: the same page on another port or mirror of the same site."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def staged_urls(db: sqlite_utils.Database, run_id: int) -> set[str]:
    """Pages (path and query) whose courses the run has staged."""
    return {
        url_key(row[0])
        for row in db.execute(
            "select json_extract(data, '$.url') from staged_items where run_id = ?", [run_id]
        ).fetchall()
    }


def start_run(
    db: sqlite_utils.Database, provider: str, name: str, site_url: str, base_url: str, now: str
) -> int:
    """Open a run for ``provider`` and return its id."""
    ensure_provider(db, provider, name, site_url)
    abort_stale_runs(db, provider, now)
    live = db.execute(
        "select id, pid, host from crawl_runs where provider = ? and status = 'running'",
        [provider],
    ).fetchone()
    if live is not None:
        raise RunInProgressError(
            f"{provider} is being crawled already (run {live[0]}, process {live[1]} on "
            f"{live[2]}); wait for it to finish (`llo-supply runs --provider {provider}`)"
        )
    table = db["crawl_runs"]
    table.insert(
        {
            "provider": provider,
            "started_at": now,
            "status": "running",
            "base_url": base_url,
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
    )
    return int(table.last_pk)


def stage_items(db: sqlite_utils.Database, run_id: int, items: Iterable[Mapping[str, Any]]) -> None:
    """Stage a batch of normalised course dicts for ``run_id`` (one transaction)."""
    rows = [
        (run_id, item["course_id"], json.dumps(dict(item), ensure_ascii=False, sort_keys=True))
        for item in items
    ]
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.conn.executemany(
            "insert or replace into staged_items (run_id, course_id, data) values (?, ?, ?)",
            rows,
        )


def trailing_mean(db: sqlite_utils.Database, provider: str, before_run: int) -> float | None:
    """Mean item count of the provider's last healthy runs before ``before_run``."""
    counts = [
        row[0]
        for row in db.execute(
            """select items from crawl_runs where provider = ? and id < ? and healthy = 1
            order by id desc limit ?""",
            [provider, before_run, TRAILING_RUNS],
        ).fetchall()
    ]
    return sum(counts) / len(counts) if counts else None


def recent_counts(db: sqlite_utils.Database, provider: str, before_run: int) -> list[int]:
    """Course counts of the provider's last finished runs before ``before_run``, newest first."""
    return [
        row[0]
        for row in db.execute(
            """select items from crawl_runs where provider = ? and id < ? and status = 'finished'
            and finish_reason = 'finished' order by id desc limit ?""",
            [provider, before_run, SETTLE_RUNS - 1],
        ).fetchall()
    ]


def judge_health(
    finish_reason: str,
    items: int,
    responses_200: int,
    errors: int,
    mean: float | None,
    recent: Sequence[int] = (),
) -> tuple[bool, str]:
    """Health of a run and the reason a person can act on."""
    if finish_reason != "finished":
        return False, f"the crawl did not finish normally (finish reason: {finish_reason})"
    if items == 0 and responses_200 > 0:
        return False, (
            f"{responses_200} pages answered HTTP 200 but no course was extracted: "
            "the site's layout may have changed; check the spider against a fresh page"
        )
    if items == 0:
        return False, (
            f"no course was collected ({errors} errors): check that the site is reachable "
            "and that robots.txt allows it"
        )
    if mean is not None and items < HEALTHY_SHARE_OF_MEAN * mean:
        settled = [*recent[: SETTLE_RUNS - 1], items]
        if len(settled) == SETTLE_RUNS and max(settled) <= min(settled) / HEALTHY_SHARE_OF_MEAN:
            # The same lower count three runs running: the provider really offers less now.
            return True, (
                f"the course count settled at {items} (mean was {mean:.1f}) over "
                f"{SETTLE_RUNS} finished runs: accepted as the new level"
            )
        return False, (
            f"{items} courses is below {HEALTHY_SHARE_OF_MEAN:.0%} of the trailing mean "
            f"({mean:.1f}) of the last healthy runs"
        )
    return True, "ok"


def _course_row(item: Mapping[str, Any]) -> dict[str, Any]:
    row = {name: item.get(name) for name in COURSE_COLUMNS if name in item}
    for name in JSON_FIELDS:
        row[name] = json.dumps(item.get(name) or [], ensure_ascii=False)
    row["start_anytime"] = int(bool(item.get("start_anytime")))
    return row


def finish_run(
    db: sqlite_utils.Database, run_id: int, stats: Mapping[str, Any], now: str
) -> RunResult:
    """Judge the run, then merge its staged items into the catalogue in one transaction."""
    # Reads and writes in one write transaction: a second run of the same provider that
    # finishes meanwhile cannot interleave (same version numbers, lost staging).
    db.execute("BEGIN IMMEDIATE")
    try:
        result = _merge_run(db, run_id, stats, now)
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()
    return result


def _merge_run(
    db: sqlite_utils.Database, run_id: int, stats: Mapping[str, Any], now: str
) -> RunResult:
    run = db["crawl_runs"].get(run_id)
    provider = run["provider"]
    finish_reason = str(stats.get("finish_reason", "unknown"))
    # Behind the HTTP cache a 304 (page confirmed unchanged) is counted as the stored 200.
    responses_200 = int(stats.get("downloader/response_status_count/200", 0))
    errors = int(stats.get("log_count/ERROR", 0))
    staged = [
        json.loads(row[0])
        for row in db.execute(
            "select data from staged_items where run_id = ? order by course_id", [run_id]
        ).fetchall()
    ]
    healthy, reason = judge_health(
        finish_reason,
        len(staged),
        responses_200,
        errors,
        trailing_mean(db, provider, run_id),
        recent_counts(db, provider, run_id),
    )
    known = {
        row[0]: row[1:]
        for row in db.execute(
            "select course_id, content_hash, version, first_seen from courses where provider = ?",
            [provider],
        ).fetchall()
    }
    courses_rows, versions, observations = [], [], []
    added = changed = removed = 0
    for item in staged:
        digest = content_hash(item)
        current = known.get(item["course_id"])
        if current is None:
            added += 1
            version, first_seen = 1, now
        elif current[0] != digest:
            changed += 1
            version, first_seen = current[1] + 1, current[2]
        else:
            version, first_seen = current[1], current[2]
        row = _course_row(item)
        row.update(
            content_hash=digest,
            version=version,
            first_seen=first_seen,
            last_seen=now,
            removed_at=None,
        )
        courses_rows.append(tuple(row.get(c) for c in COURSE_COLUMNS))
        if current is None or current[0] != digest:
            content = {k: item.get(k) for k in CONTENT_FIELDS}
            data = json.dumps(content, ensure_ascii=False, sort_keys=True)
            versions.append((item["course_id"], version, digest, run_id, now, data))
        observations.append(
            (run_id, item["course_id"], provider, digest, item.get("price_eur"),
             item.get("crawled_at") or now)
        )  # fmt: skip
    # Plain executemany: sqlite-utils' per-row upsert re-reads the table layout each call.
    db.conn.executemany(UPSERT_COURSE, courses_rows)
    db.conn.executemany(
        """insert into course_versions (course_id, version, content_hash, run_id, valid_from,
        data) values (?, ?, ?, ?, ?, ?)""",
        versions,
    )
    db.conn.executemany(
        """insert or replace into course_observations (run_id, course_id, provider,
        content_hash, price_eur, observed_at) values (?, ?, ?, ?, ?, ?)""",
        observations,
    )
    if healthy:
        # Only a healthy run may conclude that a course is gone (PITFALLS 4).
        removed = db.execute(
            """update courses set removed_at = ? where provider = ? and removed_at is null
            and course_id not in (select course_id from staged_items where run_id = ?)""",
            [now, provider, run_id],
        ).rowcount
    db.execute("delete from staged_items where run_id = ?", [run_id])
    finished = {
        "finished_at": now,
        "status": "finished",
        "finish_reason": finish_reason,
        "healthy": int(healthy),
        "health_reason": reason,
        "items": len(staged),
        "pages": int(stats.get("response_received_count", 0)),
        "responses_200": responses_200,
        "errors": errors,
        "added": added,
        "changed": changed,
        "removed": removed,
        "metrics": json.dumps(run_metrics(staged, stats), sort_keys=True),
        "stats": json.dumps({k: _jsonable(v) for k, v in sorted(stats.items())}, sort_keys=True),
    }
    # Plain SQL: sqlite-utils' update() would commit the surrounding transaction early.
    db.execute(
        f"update crawl_runs set {', '.join(f'{k} = ?' for k in finished)} where id = ?",
        [*finished.values(), run_id],
    )
    return RunResult(run_id, provider, healthy, reason, len(staged), added, changed, removed)


def _jsonable(value: Any) -> Any:
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    return str(value)


# ---------------------------------------------------------------- queries


def runs(db: sqlite_utils.Database, provider: str | None = None, limit: int = 20) -> list[dict]:
    """Latest runs first."""
    where, params = ("where provider = ?", [provider]) if provider else ("", [])
    return list(
        db.query(
            f"""select id, provider, started_at, finished_at, status, finish_reason, healthy,
            health_reason, items, pages, errors, added, changed, removed
            from crawl_runs {where} order by id desc limit ?""",
            [*params, limit],
        )
    )


def courses(
    db: sqlite_utils.Database,
    provider: str | None = None,
    search: str | None = None,
    include_removed: bool = False,
) -> list[dict]:
    """Current courses, ordered by provider and id; ``search`` uses the full-text index."""
    clauses, params = [], []
    if provider:
        clauses.append("c.provider = ?")
        params.append(provider)
    if not include_removed:
        clauses.append("c.removed_at is null")
    if search is not None:
        query = fts_query(search)
        if not query:
            return []  # nothing searchable in the text (only quotes or stars)
        clauses.append("c.rowid in (select rowid from courses_fts where courses_fts match ?)")
        params.append(query)
    where = f"where {' and '.join(clauses)}" if clauses else ""
    rows = list(
        db.query(f"select c.* from courses c {where} order by c.provider, c.course_id", params)
    )
    for row in rows:
        for name in JSON_FIELDS:
            row[name] = json.loads(row[name]) if row[name] else []
        row["start_anytime"] = bool(row["start_anytime"])
    return rows


def fts_query(text: str) -> str:
    """Quote each word so user text cannot break FTS5 syntax; all words must match.

    A trailing ``*`` stays a prefix search: ``warmtepomp*`` finds "warmtepompmonteur".
    """
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        quoted = '"' + word.rstrip("*").replace('"', '""') + '"'
        if quoted != '""':
            terms.append(quoted + ("*" if prefix else ""))
    return " ".join(terms)


def provider_summary(db: sqlite_utils.Database) -> list[dict]:
    """Per provider: current courses and the latest run's health."""
    return list(
        db.query(
            """select p.slug as provider, p.name,
            (select count(*) from courses c where c.provider = p.slug and c.removed_at is null)
              as courses,
            r.id as run_id, r.finished_at, r.status, r.healthy, r.health_reason
            from providers p
            left join crawl_runs r on r.id = (
              select max(id) from crawl_runs where provider = p.slug)
            order by p.slug"""
        )
    )
