"""The gap report: self-contained, every chart present, both languages, provider section."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply.cli import cli
from llo_supply.report import ReportError, ReportOptions, build, in_transition, sector_changes
from tests.match.market import HEAT_PUMPS
from tests.match.market import build as build_market

CHARTS = (
    "quadrant-skill-group",
    "quadrant-isco4",
    "quadrant-sector",
    "supply-per-sector",
    "changes-per-crawl",
)
NOW = "2026-11-28T10:00:00Z"


@pytest.fixture
def db(tmp_path: Path):
    database = build_market(tmp_path / "m.db")
    database["tags"].insert_all(
        [
            {"doc_kind": "course", "doc_id": "p1:c1", "kind": "sector", "concept": "F"},
            {"doc_kind": "vacancy", "doc_id": "t:v1", "kind": "sector", "concept": "D"},
            {"doc_kind": "course", "doc_id": "p2:c5", "kind": "sector", "concept": "D"},
            # A real ESCO skill, so that the skill-group chart has a point.
            {"doc_kind": "course", "doc_id": "p1:c1", "kind": "skill", "concept": HEAT_PUMPS},
            {"doc_kind": "vacancy", "doc_id": "t:v1", "kind": "skill", "concept": HEAT_PUMPS},
        ]
    )
    database["course_observations"].insert_all(
        {"run_id": run, "course_id": "p1:c1", "provider": "p1", "observed_at": day}
        for run, day in ((1, "2026-10-01T03:00:00Z"), (2, "2026-11-01T03:00:00Z"))
    )
    yield database
    database.close()


def test_the_report_is_self_contained(db) -> None:
    page = build(db, ReportOptions(), now=NOW)
    # Nothing is fetched: no script, stylesheet link, image, frame, font or CSS url().
    for pattern in (r"<script", r"<link", r"<img", r"<iframe", r"src=", r"url\(", r"@import"):
        assert not re.search(pattern, page, re.I), pattern
    assert len(page.encode()) < 2 * 1024 * 1024


def test_every_chart_is_an_inline_svg_with_points(db) -> None:
    page = build(db, ReportOptions(), now=NOW)
    for chart in CHARTS:
        found = re.search(rf'data-chart="{chart}">(<svg.*?</svg>)', page, re.S)
        assert found, chart
        assert '<circle class="point"' in found.group(1), chart


def test_quadrant_chart_has_its_threshold_lines_and_labels(db) -> None:
    page = build(db, ReportOptions(), now=NOW)
    chart = re.search(r'data-chart="quadrant-isco4">(<svg.*?</svg>)', page, re.S).group(1)
    assert chart.count('class="threshold"') == 2
    assert "Bouwelektriciens e.d." in chart  # ISCO 7411, labelled (most demand)


def test_dutch_by_default_and_english_on_request(db) -> None:
    dutch = build(db, ReportOptions(), now=NOW)
    english = build(db, ReportOptions(lang="en"), now=NOW)
    assert '<html lang="nl">' in dutch and "Grootste tekorten" in dutch
    assert '<html lang="en">' in english and "Largest gaps" in english
    # Taxonomy labels follow the language: ISCO 7411 in each.
    assert "Bouwelektriciens e.d." in dutch and "Building and related electricians" in english
    for page in (dutch, english):
        assert "ESCO classification of the European Commission" in page
        assert "Bron: CBS" in page


def test_the_same_catalogue_gives_the_same_report(db) -> None:
    assert build(db, ReportOptions(), now=NOW) == build(db, ReportOptions(), now=NOW)


def test_provider_section_names_its_gaps(db) -> None:
    page = build(db, ReportOptions(provider="p1"), now=NOW)
    assert 'id="provider"' in page
    with pytest.raises(ReportError, match="unknown provider 'nope'; known providers are: p1, p2"):
        build(db, ReportOptions(provider="nope"), now=NOW)


def test_a_region_report(db) -> None:
    page = build(db, ReportOptions(region="Rijnmond"), now=NOW)
    assert "arbeidsmarktregio Rijnmond" in page


def test_health_table_shows_every_provider(db) -> None:
    page = build(db, ReportOptions(), now=NOW)
    health = page[page.index('id="health"') :]
    assert ">p1<" in health and ">p2<" in health


@pytest.mark.parametrize(
    ("level", "key", "expected"),
    [
        ("sector", "D", True),
        ("sector", "G", False),
        ("isco4", "7411", True),
        ("skill-group", "http://data.europa.eu/esco/skill/b85caa4a-f04b-4331-80df-11404fd71225",
         True),  # S7.2.1, installing heating and ventilation
    ],
)  # fmt: skip
def test_transition_items(level: str, key: str, expected: bool) -> None:
    assert in_transition(level, key) is expected


def test_cli_writes_the_file(db, tmp_path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(
        cli, ["report", "--db", str(tmp_path / "m.db"), "-o", str(target), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {target.resolve()}" in result.stdout
    assert target.read_text("utf-8").startswith("<!DOCTYPE html>")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(not CHROMIUM, reason="Debian package chromium not installed")
def test_chromium_renders_every_chart_without_console_errors(db, tmp_path) -> None:
    path = tmp_path / "r.html"
    path.write_text(build(db, ReportOptions(), now=NOW), "utf-8")
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
         "--v=0", "--dump-dom", path.as_uri()],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert console == []
    for chart in CHARTS:
        assert f'data-chart="{chart}"><svg' in done.stdout


def test_courses_added_and_removed_per_day_and_sector(db) -> None:
    # p1's history: c1 (F) and c2 (D) on 1 Oct; c2 gone on 8 Oct and c1 changed; an
    # unhealthy crawl on 15 Oct (ignored); c2 back on 22 Oct.
    db.execute("delete from course_observations")
    db.execute("delete from crawl_runs where provider = 'p1'")
    db["tags"].insert({"doc_kind": "course", "doc_id": "p1:c2", "kind": "sector", "concept": "D"})
    history = [(11, "2026-10-01", 1, ["p1:c1", "p1:c2"]), (12, "2026-10-08", 1, ["p1:c1"]),
               (13, "2026-10-15", 0, []), (14, "2026-10-22", 1, ["p1:c1", "p1:c2"])]  # fmt: skip
    for run_id, day, healthy, seen in history:
        db["crawl_runs"].insert(
            {"id": run_id, "provider": "p1", "finished_at": f"{day}T03:00:00Z",
             "status": "finished", "healthy": healthy}
        )  # fmt: skip
        db["course_observations"].insert_all(
            {"run_id": run_id, "course_id": c, "provider": "p1", "observed_at": day} for c in seen
        )
    db["course_versions"].insert(
        {"course_id": "p1:c1", "version": 2, "content_hash": "h2", "run_id": 12,
         "valid_from": "2026-10-08T03:00:00Z", "data": "{}"}
    )  # fmt: skip
    assert sector_changes(db) == {
        ("2026-10-01", "D"): [1, 0, 0],
        ("2026-10-01", "F"): [1, 0, 0],
        ("2026-10-08", "D"): [0, 0, 1],
        ("2026-10-08", "F"): [0, 1, 0],
        ("2026-10-22", "D"): [1, 0, 0],
    }
    page = build(db, ReportOptions(lang="en"), now=NOW)
    trend = page[page.index('id="trend"') : page.index('id="health"')]
    assert "<td>2026-10-08</td><td>D " in trend


def test_coverage_counts_every_other_provider_in_scope(db) -> None:
    # ISCO 7411 is in demand? v1 is the only 7411 vacancy: no. With a minimum of 1 it is,
    # p1 offers it (c1) and p2 does not: p1 covers 1, another provider 0 on average.
    from llo_supply.match import Thresholds

    page = build(db, ReportOptions(lang="en", provider="p1",
                                   thresholds=Thresholds(demand_min=1)), now=NOW)  # fmt: skip
    assert "p1 offers 1 of the 2 occupations in demand; another provider 0.0 on average." in page


def test_labels_stay_inside_the_frame_and_off_the_quadrant_names() -> None:
    import pandas as pd

    from llo_supply.report import TEXT, quadrant_svg

    rows = pd.DataFrame(
        {"key": [f"k{i}" for i in range(10)], "label": [f"cel nummer {i}" for i in range(10)],
         "demand": [100 - i for i in range(10)],
         "demand_share": [0.5 - i / 1000 for i in range(10)],
         "supply": [1] * 10, "supply_share": [0.001] * 10, "providers": [1] * 10,
         "ratio": [1.0] * 10, "demand_ja": [True] * 10, "supply_ja": [True] * 10,
         "quadrant": ["ja-ja"] * 10, "uncertain": [False] * 10, "uncertainty": [""] * 10,
         "level": ["isco4"] * 10}
    )  # fmt: skip
    applied = {"vacancies": 200, "courses": 100, "demand_at": 3, "supply_at": 1}
    svg = quadrant_svg(rows, applied, "isco4", TEXT["nl"])
    ys = [
        float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="start">cel', svg)
    ]
    assert ys and min(ys) >= 16  # the frame's top
    assert "<line x1=" in svg  # a moved label has its leader line
