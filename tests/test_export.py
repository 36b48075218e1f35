"""Exports stream catalogue tables as CSV or JSON; `llo-supply match` stores the quadrants."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply.cli import cli
from llo_supply.export import ExportError, rows, write_csv, write_json
from tests.match.market import A, D, build


@pytest.fixture
def db(tmp_path: Path):
    database = build(tmp_path / "m.db")
    yield database
    database.close()


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_courses_csv_has_current_courses_with_lists_joined(db) -> None:
    out = io.StringIO()
    columns, found = rows(db, "courses")
    assert write_csv(out, columns, found) == 4  # p2:c5 is no longer offered
    table = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["course_id"] for r in table] == ["p1:c1", "p1:c2", "p2:c3", "p2:c4"]
    assert table[0]["locations"] == "Utrecht"


def test_tags_json_is_one_array(db) -> None:
    out = io.StringIO()
    _, found = rows(db, "tags")
    count = write_json(out, found)
    parsed = json.loads(out.getvalue())
    assert len(parsed) == count == db["tags"].count
    assert parsed[0]["doc_kind"] == "course"


def test_quadrants_need_match_first(db) -> None:
    with pytest.raises(ExportError, match="run `llo-supply match` first"):
        rows(db, "quadrants")


def test_match_stores_national_and_regional_cells(db, tmp_path) -> None:
    result = _run("match", "--db", str(tmp_path / "m.db"), "--json")
    # National: 6 skills, occupations O1 and O2, ISCO 7411 and 7412, ISCO-2 74 (the test
    # skills have no ESCO group, no document has a sector) = 11. Midden-Utrecht: A, B, C, F
    # and the same 5 occupation cells (v1, v2, c1) = 9. Rijnmond: A, C, D, E, no occupation.
    assert json.loads(result.stdout) == {"cells": {"": 11, "Midden-Utrecht": 9, "Rijnmond": 4}}
    stored = {
        (r["region"], r["key"]): r
        for r in db.query("select * from quadrant_cells where level = 'skill'")
    }
    assert stored[("", A)]["quadrant"] == "ja-ja"
    assert stored[("", D)]["rank"] == 2 and stored[("Rijnmond", D)]["quadrant"] == "ja-nee"
    exported = _run("export", "--db", str(tmp_path / "m.db"), "--what", "quadrants", "--json")
    assert {r["region"] for r in json.loads(exported.stdout)} == {"", "Midden-Utrecht", "Rijnmond"}


def test_export_to_a_file(db, tmp_path) -> None:
    target = tmp_path / "out" / "v.csv"
    target.parent.mkdir()
    result = _run(
        "export", "--db", str(tmp_path / "m.db"), "--what", "vacancies", "-o", str(target)
    )
    assert "wrote 16 vacancies" in result.stderr
    assert not (tmp_path / "out" / "v.csv.part").exists()
    assert target.read_text("utf-8").startswith("vacancy_id,")


def test_export_memory_does_not_grow_with_the_table(db) -> None:
    def peak(n: int) -> int:
        db.execute("delete from tags where rule = 'bulk'")
        db["tags"].insert_all(
            {"doc_kind": "vacancy", "doc_id": f"x{i:06d}", "kind": "skill", "concept": "c" * 60,
             "evidence": "e" * 200, "rule": "bulk"}
            for i in range(n)
        )  # fmt: skip
        columns, found = rows(db, "tags")
        tracemalloc.start()
        write_csv(_Sink(), columns, found)
        used = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return used

    assert peak(40_000) < 2 * peak(4_000)


class _Sink:
    """A file that forgets what it is given: only the exporter's own memory is measured."""

    def write(self, text: str) -> int:
        return len(text)


def test_match_refuses_a_region_and_stores_only_regions_in_the_period(db, tmp_path) -> None:
    path = str(tmp_path / "m.db")
    refused = _run("match", "--db", path, "--region", "Rijnmond")
    assert refused.exit_code == 2 and "leave out --region" in refused.output
    # In September only Utrecht (v1-v3) posted: Rijnmond gets no table of its own.
    result = _run("match", "--db", path, "--since", "2026-09-01", "--until", "2026-09-30", "--json")
    assert set(json.loads(result.stdout)["cells"]) == {"", "Midden-Utrecht"}
