"""Stream catalogue tables out as CSV or JSON, row by row: constant memory on any size."""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterator
from typing import IO, Any

import sqlite_utils

from llo_supply.catalogue import JSON_FIELDS

# What can be exported: the query and its columns, in a stable order (ids first).
EXPORTS: dict[str, str] = {
    "courses": "select * from courses where removed_at is null order by course_id",
    "vacancies": "select * from vacancies order by vacancy_id",
    "tags": "select * from tags order by doc_kind, doc_id, kind, concept",
    "quadrants": "select * from quadrant_cells order by region, level, rank",
}
JSON_COLUMNS = {"courses": set(JSON_FIELDS)}
BOOLEAN_COLUMNS = {
    "quadrants": {"demand_ja", "supply_ja", "uncertain"},
    "courses": {"start_anytime"},
}


class ExportError(ValueError):
    """Nothing to export (and what to run first)."""


def rows(db: sqlite_utils.Database, what: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The columns and a lazy iterator over the rows of one export."""
    if what not in EXPORTS:
        raise ExportError(f"unknown export {what!r}; choose one of {', '.join(EXPORTS)}")
    if what == "quadrants" and not db["quadrant_cells"].count:
        raise ExportError("no quadrant table yet; run `llo-supply match` first")
    try:
        cursor = db.conn.execute(EXPORTS[what])
    except sqlite3.OperationalError as exc:
        raise ExportError(f"cannot export {what}: {exc}") from exc
    columns = [c[0] for c in cursor.description]
    decode = JSON_COLUMNS.get(what, set())
    booleans = BOOLEAN_COLUMNS.get(what, set())

    def generate() -> Iterator[dict[str, Any]]:
        for values in cursor:
            row = dict(zip(columns, values, strict=True))
            for name in decode:
                row[name] = json.loads(row[name]) if row[name] else []
            for name in booleans:
                if row[name] is not None:
                    row[name] = bool(row[name])
            yield row

    return columns, generate()


def write_csv(out: IO[str], columns: list[str], found: Iterator[dict[str, Any]]) -> int:
    """CSV with a header row; list values joined by "; ". Returns the number of rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in found:
        writer.writerow(
            ["; ".join(map(str, v)) if isinstance(v, list) else v for v in row.values()]
        )
        count += 1
    return count


def write_json(out: IO[str], found: Iterator[dict[str, Any]]) -> int:
    """One JSON array, written a row at a time. Returns the number of rows."""
    count = 0
    out.write("[")
    for row in found:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row, ensure_ascii=False, sort_keys=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
