"""Matcher throughput: every quadrant level over a big generated catalogue.

    .venv/bin/python bench/match.py [--courses N] [--vacancies M] [--json] [--keep DIR]

Generates (deterministically) a catalogue of N courses (default 100,000, 60 providers)
and M tagged vacancies (default 1,000,000) with tags drawn from real ESCO skills and
occupations and SBI sections, skewed as real demand is (a few skills in many texts, most
in few), then measures, each in its own process so peak memory is its own:

- ``match``: ``llo_supply.match.load_market`` (reading every in-scope document and tag
  from SQLite) plus ``cells`` for all six levels (skill, skill-group, occupation, isco4,
  isco2, sector), quadrants and uncertainty included;
- ``baseline``: a plain pandas group-by of the same tags: ``read_sql`` of the tag rows,
  then distinct documents per (document kind, tag kind, concept).

It reports tags/s of both, their ratio and each process's peak memory.
Targets: all levels in < 60 s and < 2 GB peak memory on this 2-core machine.
Generation is not timed (about ten minutes for the default size on this machine, 2.9 GB);
``--keep DIR`` keeps (and reuses) the generated catalogue; ``make bench`` keeps it in
``.bench/``. A missed target is reported, and the exit code is still 0.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from llo_supply import catalogue
from llo_supply.match import LEVELS, cells, load_market
from llo_supply.taxonomy import municipalities, read_gz, taxonomy_dir

TARGET_SECONDS = 60
TARGET_PEAK_MB = 2048
PROVIDERS = 60
SKILLS_PER_DOC = (3, 10)
SEED = 11


def _concepts() -> tuple[list[str], list[tuple[str, str]], list[str]]:
    base = taxonomy_dir()
    skills = sorted(r["uri"] for r in read_gz(base / "esco" / "skills.csv.gz"))
    occupations = sorted(
        (r["uri"], r["isco"]) for r in read_gz(base / "esco" / "occupations.csv.gz")
    )
    sections = sorted(
        r["code"] for r in read_gz(base / "sbi" / "sbi2025.csv.gz") if r["level"] == "1"
    )
    return skills, occupations, sections


def _zipf_choice(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Indexes in [0, n) with a Zipf-like skew (rank 1 most common)."""
    weights = 1.0 / np.arange(1, n + 1) ** 1.1
    return rng.choice(n, size=size, p=weights / weights.sum())


def generate(path: Path, n_courses: int, n_vacancies: int) -> int:
    """Write the catalogue; returns the number of tag rows."""
    rng = np.random.default_rng(SEED)
    skills, occupations, sections = _concepts()
    order = random.Random(SEED)
    order.shuffle(skills)
    order.shuffle(occupations)
    towns = sorted(
        {r["name"]: r for r in municipalities().values()}.values(), key=lambda r: r["name"]
    )
    db = catalogue.connect(path)
    db.conn.execute("PRAGMA synchronous = OFF")
    now = "2026-11-01T00:00:00Z"
    with db.conn:
        for p in range(PROVIDERS):
            slug = f"p{p:03d}"
            db.conn.execute(
                "insert into providers values (?, ?, ?)", [slug, slug, f"https://{slug}"]
            )
            db.conn.execute(
                """insert into crawl_runs (provider, started_at, finished_at, status, healthy)
                values (?, ?, ?, 'finished', 1)""",
                [slug, now, now],
            )
    tags = 0
    for kind, count in (("course", n_courses), ("vacancy", n_vacancies)):
        for start in range(0, count, 100_000):
            size = min(100_000, count - start)
            ids = [f"{kind[0]}{i:07d}" for i in range(start, start + size)]
            n_skills = rng.integers(SKILLS_PER_DOC[0], SKILLS_PER_DOC[1] + 1, size)
            skill_idx = _zipf_choice(rng, len(skills), int(n_skills.sum()))
            occ_idx = _zipf_choice(rng, len(occupations), size)
            sec_idx = _zipf_choice(rng, len(sections), size)
            town_idx = rng.integers(0, len(towns), size)
            rows = []
            at = 0
            for i, doc_id in enumerate(ids):
                seen = set()
                for s in skill_idx[at : at + n_skills[i]]:
                    if s not in seen:
                        seen.add(s)
                        rows.append((kind, doc_id, "skill", skills[s], None))
                at += n_skills[i]
                uri, isco = occupations[occ_idx[i]]
                rows.append((kind, doc_id, "occupation", uri, isco))
                rows.append((kind, doc_id, "sector", sections[sec_idx[i]], None))
            with db.conn:
                db.conn.executemany(
                    """insert into tags (doc_kind, doc_id, kind, concept, isco)
                    values (?, ?, ?, ?, ?)""",
                    rows,
                )
                db.conn.executemany(
                    "insert into tagged_docs (doc_kind, doc_id, content_hash) values (?, ?, 'h')",
                    [(kind, d) for d in ids],
                )
                if kind == "course":
                    db.conn.executemany(
                        """insert into courses (course_id, provider, url, title, locations,
                        delivery_modes, content_hash, first_seen, last_seen)
                        values (?, ?, ?, ?, ?, '["klassikaal"]', 'h', ?, ?)""",
                        [
                            (d, f"p{int(d[1:]) % PROVIDERS:03d}", f"https://x/{d}", d,
                             json.dumps([towns[town_idx[i]]["name"]]), now, now)
                            for i, d in enumerate(ids)
                        ],
                    )  # fmt: skip
                else:
                    db.conn.executemany(
                        """insert into vacancies (vacancy_id, source, title, description,
                        municipality, region_code, region, posted_date, content_hash)
                        values (?, 'bench', ?, '', ?, ?, ?, '2026-10-01', 'h')""",
                        [
                            (d, d, towns[town_idx[i]]["name"], towns[town_idx[i]]["region_code"],
                             towns[town_idx[i]]["region"])
                            for i, d in enumerate(ids)
                        ],
                    )  # fmt: skip
            tags += len(rows)
    db.close()
    return tags


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_match(path: Path) -> dict:
    db = catalogue.connect(path)
    started = time.perf_counter()
    market = load_market(db)
    loaded = time.perf_counter() - started
    cells_per_level = {level: len(cells(market, level)[0]) for level in LEVELS}
    seconds = time.perf_counter() - started
    return {
        "seconds": round(seconds, 2),
        "load_seconds": round(loaded, 2),
        "cells": cells_per_level,
        "peak_mb": round(_peak_mb()),
    }


def run_baseline(path: Path) -> dict:
    import pandas as pd

    conn = sqlite3.connect(path)
    started = time.perf_counter()
    frame = pd.read_sql("select doc_kind, doc_id, kind, concept from tags", conn)
    counts = frame.groupby(["doc_kind", "kind", "concept"]).doc_id.nunique()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "groups": len(counts), "peak_mb": round(_peak_mb())}


def _in_child(part: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--_part", part, "--_db", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{part} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=1_000_000)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--keep", type=Path, help="keep the generated catalogue in this folder")
    parser.add_argument("--_part", help=argparse.SUPPRESS)
    parser.add_argument("--_db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._part:
        print(json.dumps((run_match if args._part == "match" else run_baseline)(args._db)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"bench-{args.courses}-{args.vacancies}.db"
        if not path.exists():
            started = time.perf_counter()
            generate(path.with_suffix(".part"), args.courses, args.vacancies)
            path.with_suffix(".part").rename(path)
            print(f"generated {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        n_tags = sqlite3.connect(path).execute("select count(*) from tags").fetchone()[0]
        match = _in_child("match", path)
        baseline = _in_child("baseline", path)
    report = {
        "courses": args.courses,
        "vacancies": args.vacancies,
        "tags": n_tags,
        "match": {**match, "tags_per_s": round(n_tags / match["seconds"])},
        "baseline": {**baseline, "tags_per_s": round(n_tags / baseline["seconds"])},
        "ratio": round(baseline["seconds"] / match["seconds"], 2),
        "targets": {"seconds": TARGET_SECONDS, "peak_mb": TARGET_PEAK_MB},
    }
    met = match["seconds"] < TARGET_SECONDS and match["peak_mb"] < TARGET_PEAK_MB
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"match: all {len(LEVELS)} levels over {n_tags:,} tags ({args.courses:,} courses, "
            f"{args.vacancies:,} vacancies) in {match['seconds']} s "
            f"(load {match['load_seconds']} s), "
            f"{report['match']['tags_per_s']:,} tags/s, peak {match['peak_mb']} MB\n"
            f"baseline (read_sql + pandas group-by): {baseline['seconds']} s, "
            f"{report['baseline']['tags_per_s']:,} tags/s, peak {baseline['peak_mb']} MB\n"
            f"ratio (baseline time / match time): {report['ratio']}; "
            f"targets < {TARGET_SECONDS} s and < {TARGET_PEAK_MB} MB: {'met' if met else 'NOT met'}"
        )
    return 0  # a measurement, not a test: a missed target is reported, not failed


if __name__ == "__main__":
    sys.exit(main())
