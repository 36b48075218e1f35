"""Evaluation metrics, worked out by hand, and the evaluate command's input errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from llo_supply.cli import cli
from llo_supply.evaluate import (
    EvaluationInputError,
    broader_skills,
    evaluate,
    near_prf,
    prf,
    sector_accuracy,
    skill_group_of,
)
from tests.toy_taxonomy import G, O, S


def test_prf_is_micro_averaged() -> None:
    # doc 1: tp 1 (a), fp 1 (b), fn 1 (c); doc 2: tp 1, fp 0, fn 0 -> P 2/3, R 2/3
    assert prf([({"a", "b"}, {"a", "c"}), ({"x"}, {"x"})]) == {
        "precision": 0.667,
        "recall": 0.667,
        "f1": 0.667,
    }


def test_prf_of_nothing_is_zero() -> None:
    assert prf([(set(), set())]) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_skill_group_is_the_nearest_group_ancestor(toy_base) -> None:
    groups = skill_group_of(toy_base)
    assert groups[S + "install-heat-pump"] == G + "energy"  # two steps up
    assert groups[S + "python"] == G + "ict"


def test_evaluate_scores_each_level(tagger) -> None:
    texts = [
        {"id": "d1", "title": "Warmtepompmonteur", "text": "Je leert Python in een ziekenhuis."}
    ]
    gold = [
        {
            "id": "d1",
            "sectors": ["R"],
            "occupations": [{"uri": O + "heat-pump-installer", "isco": "7126"}],
            "skills": [{"uri": S + "python"}, {"uri": S + "solar-panel"}],
        }
    ]
    scores = evaluate(tagger, texts, gold)
    assert scores["skills"]["exact"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667}
    # python -> ict, solar panel -> energy: one of two groups found
    assert scores["skills"]["group"]["recall"] == 0.5
    assert scores["occupations"]["isco4"]["precision"] == 1.0
    assert scores["n_docs"] == 1


def test_sector_accuracy_takes_the_first_sector_and_agreed_cross_sector_texts() -> None:
    pairs = [
        (["K", "C"], ["C", "K"]),  # first prediction is a gold sector
        (["C", "K"], ["K"]),  # K is second: wrong
        ([], []),  # both cross-sector
        (["R"], []),  # a sector for a cross-sector text
        ([], ["H"]),  # none found
    ]
    assert sector_accuracy(pairs) == 0.4


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_evaluate_command_names_the_broken_line(tmp_path: Path) -> None:
    texts = _write(tmp_path / "t.jsonl", ['{"id": "a", "text": "x"}', "{not json"])
    gold = _write(
        tmp_path / "g.jsonl", ['{"id": "a", "sectors": [], "occupations": [], "skills": []}']
    )
    result = CliRunner().invoke(cli, ["evaluate", "--texts", str(texts), "--gold", str(gold)])
    assert result.exit_code == 1
    assert f"{texts}:2: not valid JSON" in result.output


def test_evaluate_command_names_missing_fields(tmp_path: Path) -> None:
    texts = _write(tmp_path / "t.jsonl", ['{"id": "a", "text": "x"}'])
    gold = _write(tmp_path / "g.jsonl", ['{"id": "a", "sectors": []}'])
    result = CliRunner().invoke(cli, ["evaluate", "--texts", str(texts), "--gold", str(gold)])
    assert result.exit_code == 1
    assert f"{gold}:1: missing field(s) occupations, skills" in result.output


def test_evaluate_json_output_shape(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toy_base
) -> None:
    monkeypatch.setenv("LLO_TAXONOMY_DIR", str(toy_base))
    texts = _write(
        tmp_path / "t.jsonl", ['{"id": "a", "title": "Python", "text": "Python", "kind": "course"}']
    )
    gold = _write(
        tmp_path / "g.jsonl",
        [
            json.dumps(
                {"id": "a", "sectors": [], "occupations": [], "skills": [{"uri": S + "python"}]}
            )
        ],
    )
    result = CliRunner().invoke(
        cli, ["evaluate", "--texts", str(texts), "--gold", str(gold), "--json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) == {"skills", "occupations", "sectors", "n_docs"}
    assert set(scores["skills"]) == {"exact", "group", "near"}
    assert set(scores["occupations"]) == {"exact", "isco4", "isco2"}
    assert scores["skills"]["exact"]["precision"] == 1.0


def test_near_counts_broader_narrower_and_siblings_under_a_skill_not_a_group() -> None:
    # Groups are not in the map (see broader_skills): python and java share none.
    broader = {"use-ppe": {"safety"}, "ppe": {"safety"}, "fire": {"safety"}}
    pairs = [({"use-ppe", "python"}, {"ppe", "java"}), ({"safety"}, {"fire"})]
    assert near_prf(pairs, broader) == {"precision": 0.667, "recall": 0.667, "f1": 0.667}


def test_broader_skills_leave_groups_out(toy_base) -> None:
    broader = broader_skills(toy_base)
    assert broader[S + "install-heat-pump"] == {S + "heat-pump"}
    assert S + "python" not in broader  # its only broader concept is a group


def test_evaluate_refuses_an_unknown_kind(tagger) -> None:
    texts = [{"id": "a", "title": "", "text": "Python.", "kind": "vacature"}]
    gold = [{"id": "a", "sectors": [], "occupations": [], "skills": []}]
    with pytest.raises(EvaluationInputError, match="kind must be one of course, vacancy"):
        evaluate(tagger, texts, gold)


def test_evaluate_command_reads_a_set_in_several_files_and_refuses_an_id_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toy_base
) -> None:
    monkeypatch.setenv("LLO_TAXONOMY_DIR", str(toy_base))
    parts = []
    for name, title in (("a", "Python"), ("b", "Scrum")):
        text = {"id": name, "title": title, "text": title, "kind": "course"}
        gold = {"id": name, "sectors": [], "occupations": [], "skills": [{"uri": S + "python"}]}
        parts.append(
            (
                _write(tmp_path / f"{name}.jsonl", [json.dumps(text)]),
                _write(tmp_path / f"{name}_gold.jsonl", [json.dumps(gold)]),
            )
        )
    (a, a_gold), (b, b_gold) = parts
    args = ["evaluate", "--texts", str(a), "--texts", str(b), "--gold", str(a_gold)]
    result = CliRunner().invoke(cli, [*args, "--gold", str(b_gold), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["n_docs"] == 2
    # "Scrum" is tagged agile, not the gold python: one right of two, one found of two.
    assert scores["skills"]["exact"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5}
    twice = CliRunner().invoke(cli, [*args, "--gold", str(a_gold)])
    assert twice.exit_code == 1
    assert "gold record id(s) given twice: a" in twice.output


def test_evaluate_lists_what_each_text_missed_and_got_wrong(tagger) -> None:
    texts = [
        {"id": "d1", "title": "Cursus", "text": "Je leert Python."},
        {"id": "d2", "title": "Cursus", "text": "Je leert Python."},
    ]
    gold = [
        {
            "id": "d1",
            "sectors": [],
            "occupations": [],
            "skills": [{"uri": S + "solar-panel", "label_en": "solar", "evidence": "zon"}],
        },
        {"id": "d2", "sectors": [], "occupations": [], "skills": [{"uri": S + "python"}]},
    ]
    errors: list[dict] = []
    evaluate(tagger, texts, gold, errors)
    assert [e["id"] for e in errors] == ["d1"]  # d2 is right throughout
    skills = errors[0]["skills"]
    assert skills["missed"] == [{"uri": S + "solar-panel", "label": "solar", "evidence": "zon"}]
    assert [(w["uri"], w["evidence"]) for w in skills["wrong"]] == [(S + "python", "Python")]
    assert "sectors" not in errors[0]  # both say cross-sector


def test_evaluate_command_writes_the_errors_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toy_base
) -> None:
    monkeypatch.setenv("LLO_TAXONOMY_DIR", str(toy_base))
    texts = _write(tmp_path / "t.jsonl", ['{"id": "a", "title": "Python", "text": "Python"}'])
    gold = _write(
        tmp_path / "g.jsonl", ['{"id": "a", "sectors": ["K"], "occupations": [], "skills": []}']
    )
    out = tmp_path / "errors.jsonl"
    args = ["evaluate", "--texts", str(texts), "--gold", str(gold), "--errors", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["id"] == "a"
    assert [w["uri"] for w in record["skills"]["wrong"]] == [S + "python"]
    assert record["sectors"]["gold"] == ["K"]
    assert not (tmp_path / "errors.jsonl.part").exists()


def test_the_errors_name_missed_and_wrong_occupations(tagger) -> None:
    texts = [{"id": "v1", "title": "Warmtepompmonteur", "text": "Je installeert warmtepompen."}]
    nurse = {"uri": O + "nurse", "label_nl": "verpleegkundige", "isco": "2221"}
    gold = [{"id": "v1", "sectors": [], "occupations": [nurse], "skills": []}]
    errors: list[dict] = []
    evaluate(tagger, texts, gold, errors)
    (record,) = errors
    assert record["occupations"]["missed"] == [
        {"uri": O + "nurse", "label": "verpleegkundige", "isco": "2221"}
    ]
    assert [w["uri"] for w in record["occupations"]["wrong"]] == [O + "heat-pump-installer"]
