"""A crawl killed half-way leaves the catalogue as it was; the next crawl completes it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from llo_supply import catalogue
from llo_supply.fixtures import FixtureSite, fixtures_dir
from tests.crawling import crawl
from tests.helpers import FROZEN_NOW, ROOT, expected

SETTINGS = "tests.sites.settings"


def crawl_uva(db_path: Path, site: FixtureSite, *options: str):
    """Crawl the UvA fixture site served by ``site`` into ``db_path``."""
    return crawl(
        db_path, "uva", *options, "--base-url", f"uva={site.base_url}", settings_module=SETTINGS
    )


def kill_crawl_when(db_path: Path, site: FixtureSite, ready: Callable[[], bool]) -> None:
    """Start a crawl of ``site`` in a subprocess and SIGKILL it once ``ready()`` holds."""
    env = {**os.environ, "LLO_NOW": FROZEN_NOW, "SCRAPY_SETTINGS_MODULE": SETTINGS}
    command = [sys.executable, "-m", "llo_supply", "crawl", "uva", "--db", str(db_path)]
    proc = subprocess.Popen(
        [*command, "--base-url", f"uva={site.base_url}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not ready():
        assert time.monotonic() < deadline, "the slow crawl never got going"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)


def test_killed_crawl_changes_nothing_and_the_next_run_completes(tmp_path: Path) -> None:
    db_path = tmp_path / "cat.db"
    site_root = tmp_path / "uva"
    shutil.copytree(fixtures_dir() / "uva", site_root)
    with FixtureSite(site_root, "https://www.uva.nl") as site:
        first = crawl_uva(db_path, site)
    assert first.code == 0, first.stderr

    page = site_root / "onderwijs" / "professionals" / "cursussen" / "forensische-accountancy.html"
    page.write_text(page.read_text("utf-8").replace("6.450", "6.950"), "utf-8")
    with FixtureSite(site_root, "https://www.uva.nl", delay=0.3) as slow:
        kill_crawl_when(
            db_path, slow, lambda: sum(r.path.endswith(".html") for r in slow.log) >= 10
        )

    db = catalogue.connect(db_path)
    assert db["courses"].get("uva:6314FA12")["price_eur"] == 6450.0
    assert db["courses"].count_where("removed_at is not null") == 0
    assert db.execute("select status from crawl_runs order by id").fetchall() == [
        ("finished",),
        ("running",),
    ]
    db.close()

    with FixtureSite(site_root, "https://www.uva.nl") as site:
        again = crawl_uva(db_path, site)
    assert again.code == 0, again.stderr
    assert (again.results["uva"]["changed"], again.results["uva"]["removed"]) == (1, 0)
    db = catalogue.connect(db_path)
    assert db["courses"].get("uva:6314FA12")["price_eur"] == 6950.0
    assert [r["status"] for r in db["crawl_runs"].rows_where(order_by="id")] == [
        "finished",
        "aborted",
        "finished",
    ]
    assert db["staged_items"].count == 0
    db.close()


def test_resumed_crawl_finishes_the_killed_run_as_if_never_killed(tmp_path: Path) -> None:
    db_path = tmp_path / "cat.db"
    reference_db = tmp_path / "reference.db"
    site_root = tmp_path / "uva"
    shutil.copytree(fixtures_dir() / "uva", site_root)
    with FixtureSite(site_root, "https://www.uva.nl") as site:
        reference = crawl_uva(reference_db, site)
    assert reference.code == 0

    with FixtureSite(site_root, "https://www.uva.nl", delay=0.3) as slow:
        db = catalogue.connect(db_path)
        kill_crawl_when(
            db_path, slow, lambda: db["staged_items"].exists() and db["staged_items"].count >= 8
        )
        staged_before = db["staged_items"].count
        staged_pages = catalogue.staged_urls(db, 1)
        before_resume = len(slow.log)
        db.close()
        resumed = crawl_uva(db_path, slow, "--resume")
        refetched = {r.path for r in slow.log[before_resume:] if r.path.endswith(".html")}

    assert resumed.code == 0, resumed.stderr
    result = resumed.results["uva"]
    assert result["run"] == 1 and result["health"] == "healthy"
    assert result["courses"] == len(expected("uva")["course_pages"])
    assert resumed.run_stats("uva")["llo/resume/skipped"] >= staged_before
    # Pages whose courses were staged before the kill were not fetched again.
    assert not refetched & staged_pages  # no page whose course was staged is fetched again
    db, ref = catalogue.connect(db_path), catalogue.connect(reference_db)
    rows = "select course_id, content_hash, removed_at from courses order by course_id"
    assert db.execute(rows).fetchall() == ref.execute(rows).fetchall()
    assert [r["status"] for r in db["crawl_runs"].rows_where(order_by="id")] == ["finished"]
    assert list((tmp_path / "cat.db.cache" / "jobs").iterdir()) == []  # finished: state pruned
    db.close()
    ref.close()
