"""Tag catalogue documents and store the tags: only new or changed documents, by content hash
and by tagger and taxonomy version, so a taxonomy change re-tags everything affected."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import sqlite_utils

from llo_supply.catalogue import utcnow
from llo_supply.nlp.tagger import DocTags, Tag, Tagger

BATCH = 2048
PARALLEL_FROM = 1000
TAG_FIELDS = tuple(f.name for f in fields(Tag))


@dataclass(frozen=True)
class TagResult:
    doc_kind: str
    considered: int
    tagged: int
    tags: int


def course_text(row: dict[str, Any]) -> tuple[str, str, str | None]:
    """(title, text, category) of a course: description, outcomes and audience."""
    outcomes = json.loads(row["learning_outcomes"] or "[]")
    parts = [row["description"] or "", "\n".join(outcomes), row["target_group"] or ""]
    return row["title"] or "", "\n\n".join(p for p in parts if p), row["category"]


def vacancy_text(row: dict[str, Any]) -> tuple[str, str, None, str]:
    """(title, text, category, kind) of a vacancy: no category, tagged as a vacancy."""
    return row["title"] or "", row["description"] or "", None, "vacancy"


_PENDING = {
    "course": """select c.course_id as doc_id, c.title, c.description, c.learning_outcomes,
        c.target_group, c.category, c.content_hash from courses c
        left join tagged_docs t on t.doc_kind = 'course' and t.doc_id = c.course_id
        where c.removed_at is null""",
    "vacancy": """select c.vacancy_id as doc_id, c.title, c.description, c.content_hash
        from vacancies c
        left join tagged_docs t on t.doc_kind = 'vacancy' and t.doc_id = c.vacancy_id
        where 1""",
}
_TEXT: dict[str, Callable[[dict[str, Any]], tuple[Any, ...]]] = {
    "course": course_text,
    "vacancy": vacancy_text,
}


def _pending(
    db: sqlite_utils.Database, doc_kind: str, tagger: Tagger, everything: bool
) -> Iterator[dict[str, Any]]:
    sql = _PENDING[doc_kind]
    params: list[Any] = []
    if not everything:
        sql += """ and (t.doc_id is null or t.content_hash != c.content_hash
            or t.tagger_version != ? or t.taxonomy_version != ?)"""
        params = [tagger.version, tagger.taxonomy_version]
    yield from db.query(sql + " order by doc_id", params)


def default_processes(documents: int) -> int:
    """Both cores for a big job; forking is not worth it for a few hundred texts."""
    return min(os.cpu_count() or 1, 2) if documents >= PARALLEL_FROM else 1


def tag_documents(
    db: sqlite_utils.Database,
    tagger: Tagger,
    doc_kind: str = "course",
    everything: bool = False,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
) -> TagResult:
    """Tag new and changed courses or vacancies (all current ones with ``everything``)."""
    pending = list(_pending(db, doc_kind, tagger, everything))
    n_process = processes or default_processes(len(pending))
    text_of = _TEXT[doc_kind]
    tagged = stored = 0
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        results = list(tagger.tag_many((text_of(row) for row in batch), n_process=n_process))
        stored += store_tags(
            db, doc_kind, [(r["doc_id"], r["content_hash"]) for r in batch], results, tagger
        )
        tagged += len(batch)
        if progress:
            progress(tagged, len(pending))
    return TagResult(doc_kind, len(pending), tagged, stored)


def tag_courses(
    db: sqlite_utils.Database,
    tagger: Tagger,
    everything: bool = False,
    progress: Callable[[int, int], None] | None = None,
    processes: int | None = None,
) -> TagResult:
    """Tag new and changed courses (all current ones with ``everything``)."""
    return tag_documents(db, tagger, "course", everything, progress, processes)


def store_tags(
    db: sqlite_utils.Database,
    doc_kind: str,
    docs: list[tuple[str, str]],
    results: list[DocTags],
    tagger: Tagger,
) -> int:
    """Replace the tags of ``docs`` (id, content hash) in one transaction."""
    now = utcnow()
    versions = (tagger.version, tagger.taxonomy_version)
    rows = [
        (doc_kind, doc_id, *(getattr(tag, f) for f in TAG_FIELDS), *versions)
        for (doc_id, _), tags in zip(docs, results, strict=True)
        for tag in tags.all()
    ]
    columns = ("doc_kind", "doc_id", *TAG_FIELDS, "tagger_version", "taxonomy_version")
    insert = f"insert into tags ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.conn.executemany(
            "delete from tags where doc_kind = ? and doc_id = ?", [(doc_kind, d) for d, _ in docs]
        )
        db.conn.executemany(insert, rows)
        db.conn.executemany(
            """insert or replace into tagged_docs (doc_kind, doc_id, content_hash,
            tagger_version, taxonomy_version, tagged_at) values (?, ?, ?, ?, ?, ?)""",
            [(doc_kind, doc_id, digest, *versions, now) for doc_id, digest in docs],
        )
    return len(rows)
