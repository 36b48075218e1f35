"""`llo-supply serve`: Datasette on a free loopback port answers every canned query."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from llo_supply.match import load_base, store_quadrants
from llo_supply.serve import QUERIES, TABLES
from tests.helpers import ROOT
from tests.match.market import A, D, build

PARAMETERS = {
    "courses_by_skill": {"skill": A},
    "courses_by_occupation": {"occupation": "7411"},
    "courses_by_sector": {"section": "f"},
    "vacancies_by_skill": {"skill": "test-d"},
    "quadrants": {"level": "skill", "region": ""},
    "provider_gaps": {"provider": "p1", "level": "skill"},
    "supply_trend_per_sector": {},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("serve") / "catalogue.db"
    db = build(path)
    db["tags"].insert(
        {"doc_kind": "course", "doc_id": "p1:c1", "kind": "sector", "concept": "F", "label": "Bouw"}
    )
    db["course_observations"].insert(
        {"run_id": 1, "course_id": "p1:c1", "provider": "p1", "observed_at": "2026-11-01T00:00Z"}
    )
    store_quadrants(db, load_base(db))
    db.close()
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "llo_supply", "serve", "--db", str(path), "--port", str(port)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}/catalogue"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + ".json", timeout=1)
            break
        except (urllib.error.URLError, ConnectionError):
            if proc.poll() is not None:
                pytest.fail(proc.stderr.read().decode())
            time.sleep(0.1)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_every_canned_query_has_its_parameters_here() -> None:
    assert set(PARAMETERS) == set(QUERIES)


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_every_canned_query_answers(server, query: str) -> None:
    params = urllib.parse.urlencode({**PARAMETERS[query], "_shape": "array"})
    rows = _get(f"{server}/{query}.json?{params}")
    assert rows, query


def test_the_gap_query_agrees_with_the_gaps_command(server) -> None:
    params = urllib.parse.urlencode({"provider": "p1", "level": "skill", "_shape": "array"})
    rows = _get(f"{server}/provider_gaps.json?{params}")
    # As `llo-supply gaps --provider p1 --level skill`: D nobody offers, C only p2.
    assert [(r["finding"], r["key"]) for r in rows] == [
        ("market-gap", D),
        ("competitors", D[:-1] + "c"),
    ]


def test_tables_are_described_and_faceted(server) -> None:
    meta = _get(server.rsplit("/", 1)[0] + "/-/metadata.json")
    tables = meta["databases"]["catalogue"]["tables"]
    assert set(tables) == set(TABLES)
    found = _get(f"{server}/quadrant_cells.json?_shape=objects")
    assert {"level", "quadrant", "region", "uncertain"} <= set(found["facet_results"])
    sectors = _get(f"{server}/course_sectors.json?_shape=objects")
    assert [r["course_id"] for r in sectors["rows"]] == ["p1:c1"]
    assert "sector" in sectors["facet_results"]


def test_full_text_search_on_courses(server) -> None:
    rows = _get(f"{server}/courses.json?_search=p1&_shape=array")
    assert {r["course_id"] for r in rows} == {"p1:c1", "p1:c2"}


def test_the_catalogue_is_read_only(server) -> None:
    sql = urllib.parse.urlencode({"sql": "delete from courses"})
    with pytest.raises(urllib.error.HTTPError):
        _get(f"{server}.json?{sql}")
    assert len(_get(f"{server}/courses.json?_shape=array")) == 5
