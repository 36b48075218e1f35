"""Run ``llo-supply crawl`` in a subprocess: Scrapy's reactor runs once per process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from llo_supply import catalogue
from tests.helpers import FROZEN_NOW, ROOT


@dataclass
class CrawlOutcome:
    code: int
    stdout: str
    stderr: str
    db_path: Path

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        return {r["provider"]: r for r in json.loads(self.stdout)}

    def run_stats(self, provider: str) -> dict[str, Any]:
        db = catalogue.connect(self.db_path)
        row = db.execute(
            "select stats from crawl_runs where provider = ? order by id desc limit 1", [provider]
        ).fetchone()
        db.close()
        return json.loads(row[0])


def crawl(db_path: Path, *args: str, settings_module: str | None = None) -> CrawlOutcome:
    env = {**os.environ, "LLO_NOW": FROZEN_NOW}
    if settings_module:
        env["SCRAPY_SETTINGS_MODULE"] = settings_module
    proc = subprocess.run(
        [sys.executable, "-m", "llo_supply", "crawl", "--db", str(db_path), "--json", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    return CrawlOutcome(proc.returncode, proc.stdout, proc.stderr, db_path)
