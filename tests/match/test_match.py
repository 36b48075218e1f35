"""The matcher on the hand-worked catalogue of tests/match/market.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply.cli import cli
from llo_supply.match import (
    MatchError,
    Scope,
    Thresholds,
    breakdown,
    cells,
    evidence,
    gaps,
    load_base,
    load_market,
)
from llo_supply.match import records as to_records
from tests.match.market import HEAT_PUMPS, HVAC_GROUP, O1, SOLAR_BOILERS, A, B, C, D, E, F, build


@pytest.fixture
def db(tmp_path: Path):
    database = build(tmp_path / "m.db")
    yield database
    database.close()


def _by_key(db, level: str = "skill", scope: Scope | None = None, **thresholds) -> dict:
    table, _ = cells(load_market(db, scope), level, Thresholds(**thresholds))
    return {row["key"]: row for row in to_records(table)}


def test_every_quadrant_with_its_counts(db) -> None:
    got = _by_key(db)
    assert {k: got[k]["quadrant"] for k in got} == {
        A: "ja-ja",
        D: "ja-nee",
        C: "ja-ja",
        B: "nee-ja",
        F: "nee-nee",
        E: "nee-ja",
    }
    assert (got[A]["demand"], got[A]["supply"], got[A]["providers"]) == (6, 3, 2)
    assert (got[D]["demand"], got[D]["supply"], got[D]["providers"]) == (4, 0, 0)
    assert got[A]["demand_share"] == pytest.approx(6 / 14, abs=1e-6)
    assert got[A]["supply_share"] == 0.75
    assert got[A]["ratio"] == 0.571  # (6/14) / (3/4)
    assert got[D]["ratio"] is None


def test_rows_are_sorted_by_demand_then_supply_then_key(db) -> None:
    table, _ = cells(load_market(db), "skill")
    assert list(table["key"]) == [A, D, C, B, F, E]


def test_the_thresholds_applied_are_reported(db) -> None:
    _, applied = cells(load_market(db), "skill")
    assert (applied["vacancies"], applied["courses"]) == (14, 4)
    assert (applied["demand_at"], applied["supply_at"]) == (3, 1)
    assert applied["untagged"] == {"vacancies": 1, "courses": 0}


@pytest.mark.parametrize(
    ("demand_min", "quadrant_of_d"),
    [(3, "ja-nee"), (4, "ja-nee"), (5, "nee-nee")],  # D has 4 vacancies: a tie reaches
)
def test_demand_minimum_edge(db, demand_min: int, quadrant_of_d: str) -> None:
    assert _by_key(db, demand_min=demand_min)[D]["quadrant"] == quadrant_of_d


def test_demand_quantile_edge(db) -> None:
    # Non-zero demand [1, 1, 3, 4, 6]: the 0.75 quantile (lower) is 4, so C (3) drops out.
    got = _by_key(db, demand_quantile=0.75)
    assert (got[C]["quadrant"], got[D]["quadrant"]) == ("nee-ja", "ja-nee")


def test_supply_quantile_edge(db) -> None:
    # Non-zero supply [1, 1, 1, 3]: the maximum quantile is 3, so only A keeps supply.
    got = _by_key(db, supply_quantile=1.0)
    assert {k for k, row in got.items() if row["supply_ja"]} == {A}


def test_few_observations_are_uncertain(db) -> None:
    got = _by_key(db)
    assert not got[A]["uncertain"]  # 6 + 3
    assert got[D]["uncertainty"] == "few observations (4 < 5)"
    assert not _by_key(db, min_observations=4)[D]["uncertain"]


def test_no_supply_is_uncertain_when_a_provider_was_not_crawled_healthily(tmp_path) -> None:
    got = _by_key(build(tmp_path / "u.db", unhealthy="p2"), min_observations=0)
    assert got[D]["uncertainty"] == "latest crawl not healthy: p2"
    assert got[F]["uncertain"]
    assert not got[A]["uncertain"]  # supply 'ja': a missing crawl cannot take it away


def test_region_filter_counts_local_and_online_courses(db) -> None:
    got = _by_key(db, scope=Scope(region="rijnmond"))
    # Vacancies v4-v10; courses c2 (online), c3 and c4 (Rotterdam); c1 (Utrecht) is out.
    assert {k: (r["demand"], r["supply"], r["quadrant"]) for k, r in got.items()} == {
        A: (3, 2, "ja-ja"),
        D: (4, 0, "ja-nee"),
        C: (0, 1, "nee-ja"),
        E: (0, 1, "nee-ja"),
    }


def test_region_by_code_and_unknown_region(db) -> None:
    assert _by_key(db, scope=Scope(region="AM22"))[A]["demand"] == 3
    with pytest.raises(MatchError, match=r"unknown region 'Atlantis'.*Rijnmond"):
        load_market(db, Scope(region="Atlantis"))


def test_period_filter(db) -> None:
    got = _by_key(db, scope=Scope(since="2026-10-01", until="2026-10-31"))
    assert got[A]["demand"] == 3  # v1-v3 were posted in September


def test_a_course_counts_in_a_period_it_was_offered_in(db) -> None:
    september = _by_key(db, scope=Scope(since="2026-09-01", until="2026-09-30"))
    assert (september[A]["demand"], september[D]["supply"]) == (3, 1)  # c5 until 15 Sept
    october = _by_key(db, scope=Scope(since="2026-10-01", until="2026-10-31"))
    assert october[D]["supply"] == 0


def test_no_supply_before_the_first_crawl_is_uncertain(db) -> None:
    # Both providers were first crawled on 1 November: October's "no supply" is unknown.
    october = _by_key(db, scope=Scope(since="2026-10-01", until="2026-10-31"), min_observations=0)
    assert october[D]["uncertainty"] == "not crawled by the end of the period: p1, p2"
    assert not _by_key(db, min_observations=0)[D]["uncertain"]


def test_breakdown_by_region(db) -> None:
    groups = breakdown(load_base(db), Scope(), "skill", "region")
    assert [g for g, _, _ in groups] == ["Midden-Utrecht", "Rijnmond"]
    utrecht = {r["key"]: r for r in to_records(groups[0][1])}
    # v1-v3, v11, v12, v15, v16 against c1 (Utrecht) and c2 (online).
    assert groups[0][2]["vacancies"] == 7 and groups[0][2]["courses"] == 2
    assert {k: (r["demand"], r["supply"]) for k, r in utrecht.items()} == {
        A: (3, 2),
        C: (3, 0),
        B: (1, 1),
        F: (1, 0),
    }
    rijnmond = {r["key"]: r["quadrant"] for r in to_records(groups[1][1])}
    assert rijnmond == {A: "ja-ja", D: "ja-nee", C: "nee-ja", E: "nee-ja"}


def test_breakdown_by_quarter(db) -> None:
    groups = breakdown(load_base(db), Scope(), "skill", "quarter")
    assert [(g, a["since"], a["until"]) for g, _, a in groups] == [
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("2026-Q4", "2026-10-01", "2026-12-31"),
    ]
    assert groups[0][2]["courses"] == 5  # c5 was still offered in the third quarter
    assert groups[1][2]["vacancies"] == 11


def test_skill_group_counts_a_document_once(db) -> None:
    db["tags"].insert_all(
        [
            {"doc_kind": "vacancy", "doc_id": "t:v1", "kind": "skill", "concept": HEAT_PUMPS},
            {"doc_kind": "vacancy", "doc_id": "t:v1", "kind": "skill", "concept": SOLAR_BOILERS},
            {"doc_kind": "vacancy", "doc_id": "t:v2", "kind": "skill", "concept": HEAT_PUMPS},
        ]
    )
    got = _by_key(db, "skill-group")
    assert got[HVAC_GROUP]["demand"] == 2
    assert got[HVAC_GROUP]["label"].startswith("S7.2.1 ")


def test_isco_levels(db) -> None:
    assert {k: r["demand"] for k, r in _by_key(db, "isco4").items()} == {"7411": 1, "7412": 1}
    got = _by_key(db, "isco2")
    assert (got["74"]["demand"], got["74"]["supply"]) == (2, 1)
    assert _by_key(db, "occupation")[O1]["supply"] == 1


def test_gaps_of_a_provider(db) -> None:
    rows = to_records(gaps(load_market(db), "p1", "skill"))
    assert [(r["finding"], r["key"], r["own_courses"]) for r in rows] == [
        ("market-gap", D, 0),
        ("competitors", C, 0),
        ("surplus", B, 1),
    ]
    rows = to_records(gaps(load_market(db), "p2", "skill"))
    assert [(r["finding"], r["key"]) for r in rows] == [("market-gap", D), ("surplus", E)]


def test_explain_lists_documents_with_evidence(db) -> None:
    found = evidence(db, load_market(db), A, limit=2)
    assert (found["level"], found["n_vacancies"], found["n_courses"]) == ("skill", 6, 3)
    assert [d["id"] for d in found["vacancies"]] == ["t:v1", "t:v2"]
    assert found["courses"][0]["evidence"][0]["text"] == "ev-a"
    assert evidence(db, load_market(db), "74")["n_vacancies"] == 2


def test_explain_rejects_what_is_not_a_cell(db) -> None:
    with pytest.raises(MatchError, match="is not a cell"):
        evidence(db, load_market(db), "warmtepomp")


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(MatchError, match="demand_quantile must be between 0 and 1"):
        Thresholds(demand_quantile=1.5)


# ---------------------------------------------------------------- CLI


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_quadrants_json_is_deterministic(db, tmp_path) -> None:
    path = str(tmp_path / "m.db")
    first = _run("quadrants", "--db", path, "--level", "skill", "--json")
    second = _run("quadrants", "--db", path, "--level", "skill", "--json")
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout
    parsed = json.loads(first.stdout)
    assert [c["quadrant"] for c in parsed["cells"]][:2] == ["ja-ja", "ja-nee"]


def test_quadrants_filter_and_csv(db, tmp_path) -> None:
    result = _run(
        "quadrants", "--db", str(tmp_path / "m.db"), "--level", "skill", "--quadrant", "ja-nee",
        "--csv",
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert lines[0].startswith("level,key,label,demand,demand_share")
    assert len(lines) == 2 and lines[1].startswith(f"skill,{D},")


def test_gaps_unknown_provider_lists_the_known_ones(db, tmp_path) -> None:
    result = _run("gaps", "--db", str(tmp_path / "m.db"), "--provider", "nope")
    assert result.exit_code == 1
    assert "unknown provider 'nope'; known providers are: p1, p2" in result.output


def test_quadrants_without_vacancies_says_what_to_do(tmp_path) -> None:
    from llo_supply import catalogue
    from tests.test_catalogue import course, run

    path = tmp_path / "empty.db"
    run(catalogue.connect(path), [course("a", "A")], "2027-01-01")
    result = _run("quadrants", "--db", str(path))
    assert result.exit_code == 1
    assert "no tagged vacancies; import some with `llo-supply vacancies import" in (result.output)


def test_untagged_documents_are_named_in_a_warning(db, tmp_path) -> None:
    result = CliRunner().invoke(cli, ["quadrants", "--db", str(tmp_path / "m.db")])
    assert "warning: 1 vacancies are not tagged yet" in result.stderr


def test_explain_cli(db, tmp_path) -> None:
    result = _run("explain", D, "--db", str(tmp_path / "m.db"), "--json")
    found = json.loads(result.stdout)
    assert (found["n_vacancies"], found["n_courses"]) == (4, 0)  # the repost v13 is left out


def test_quadrants_by_region_csv_puts_the_group_first(db, tmp_path) -> None:
    result = _run(
        "quadrants", "--db", str(tmp_path / "m.db"), "--level", "skill", "--by", "region",
        "--quadrant", "ja-nee", "--csv",
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert lines[0].startswith("region,level,key,")
    # C is offered in Rotterdam only (c3), D nowhere: a gap in each region.
    assert [line.split(",")[:3] for line in lines[1:]] == [
        ["Midden-Utrecht", "skill", C],
        ["Rijnmond", "skill", D],
    ]


def test_quadrants_by_quarter_json(db, tmp_path) -> None:
    result = _run("quadrants", "--db", str(tmp_path / "m.db"), "--by", "quarter", "--json")
    parsed = json.loads(result.stdout)
    assert [g["quarter"] for g in parsed["groups"]] == ["2026-Q3", "2026-Q4"]


def test_a_document_changed_since_tagging_counts_as_untagged(db) -> None:
    db.execute("update vacancies set content_hash = 'new' where vacancy_id = 't:v1'")
    _, applied = cells(load_market(db), "skill")
    assert (applied["vacancies"], applied["untagged"]["vacancies"]) == (13, 2)


def test_an_empty_scope_is_an_answer_not_an_error(db, tmp_path) -> None:
    result = _run("quadrants", "--db", str(tmp_path / "m.db"), "--since", "2027-01-01")
    assert result.exit_code == 0
    assert "warning: no tagged vacancies in scope" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "20260701"], "'20260701': write YYYY-MM-DD"),
        (["--until", "2026-W50"], "'2026-W50': write YYYY-MM-DD"),
        (["--since", "2026-10-02", "--until", "2026-10-01"], "--since 2026-10-02 is after"),
    ],
)
def test_dates_must_be_iso_days_in_order(db, tmp_path, args, message) -> None:
    result = _run("quadrants", "--db", str(tmp_path / "m.db"), *args)
    assert result.exit_code == 2
    assert message in result.output


def test_explain_takes_a_sector_letter_in_either_case(db, tmp_path) -> None:
    db["tags"].insert({"doc_kind": "vacancy", "doc_id": "t:v1", "kind": "sector", "concept": "F"})
    result = _run("explain", "f", "--db", str(tmp_path / "m.db"), "--json")
    assert json.loads(result.stdout)["n_vacancies"] == 1
