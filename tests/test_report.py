"""The gap report: self-contained, every chart present, both languages, provider section."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply.cli import cli
from llo_supply.report import ReportError, ReportOptions, build, in_transition
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
    page = build(db, ReportOptions(lang="en"), now=NOW)
    trend = page[page.index('id="trend"') : page.index('id="health"')]
    rows = re.findall(r"<tr>(.*?)</tr>", trend)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in rows]
    # p1:c1 (F) and p2:c5 (D) were first seen on 1 August; c5 went on 15 September.
    table = {(c[0], c[1][:1]): (c[2], c[3], c[4]) for c in cells if c}
    assert table[("2026-08-01", "F")] == ("1", "0", "0")
    assert table[("2026-08-01", "D")] == ("1", "0", "0")
    assert table[("2026-09-15", "D")] == ("0", "0", "1")
