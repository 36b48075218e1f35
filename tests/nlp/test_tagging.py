"""Tags stored in the catalogue: only new or changed courses are tagged again."""

from __future__ import annotations

from pathlib import Path

from llo_supply import catalogue
from llo_supply.tagging import tag_courses
from tests.test_catalogue import course, run
from tests.toy_taxonomy import S


def _db(tmp_path: Path):
    db = catalogue.connect(tmp_path / "cat.db")
    a = course("a", "Python voor beginners")
    a["description"] = "Je leert Python."
    b = course("b", "Zonnepanelen leggen")
    b["description"] = "Je legt zonnepanelen."
    run(db, [a, b], "2027-01-01")
    return db, a, b


def test_tagging_stores_tags_with_evidence_and_versions(tmp_path: Path, tagger) -> None:
    db, _, _ = _db(tmp_path)
    result = tag_courses(db, tagger)
    assert (result.considered, result.tagged) == (2, 2)
    row = db.execute(
        "select concept, evidence, tagger_version, taxonomy_version from tags "
        "where doc_id = 'acme:a' and kind = 'skill'"
    ).fetchone()
    assert row == (S + "python", "Python", tagger.version, tagger.taxonomy_version)


def test_only_changed_courses_are_tagged_again(tmp_path: Path, tagger) -> None:
    db, a, b = _db(tmp_path)
    tag_courses(db, tagger)
    assert tag_courses(db, tagger).considered == 0
    b["description"] = "Je legt zonnepanelen en leert Python."
    run(db, [a, b], "2027-01-08")
    again = tag_courses(db, tagger)
    assert again.considered == 1
    skills = {
        r[0]
        for r in db.execute("select concept from tags where doc_id = 'acme:b' and kind = 'skill'")
    }
    assert skills == {S + "solar-panel", S + "python"}


def test_all_retags_everything(tmp_path: Path, tagger) -> None:
    db, _, _ = _db(tmp_path)
    tag_courses(db, tagger)
    assert tag_courses(db, tagger, everything=True).considered == 2
    assert db["tags"].count_where("doc_id = 'acme:a' and kind = 'skill'") == 1


def test_forked_workers_give_the_same_tags_in_the_same_order(tagger) -> None:
    docs = [(f"Cursus {i}", "Je leert Python en zonnepanelen leggen.", None) for i in range(10)]
    single = [d.as_dict() for d in tagger.tag_many(docs)]
    forked = [d.as_dict() for d in tagger.tag_many(docs, batch_size=3, n_process=2)]
    assert forked == single
