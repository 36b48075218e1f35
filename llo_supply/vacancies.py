"""Vacancies, the demand side: import exports (CSV or JSONL), keep their history, mark reposts.

Every row is validated on its own: a bad row is reported with its file and line and the
good rows of the file are imported all the same, in one transaction. A row's id is stable
(the source's own id, else its URL, else its content), so importing a file twice adds
nothing the second time.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils
from rapidfuzz import fuzz, utils

from llo_supply.catalogue import content_hash, utcnow
from llo_supply.normalise import parse_locations
from llo_supply.taxonomy import fold, municipalities
from scrapers.pipelines.clean import clean_text

FIELDS = ("id", "title", "text", "employer", "location", "date", "source", "url")
REQUIRED = ("title", "text", "date")
# Header names seen in Dutch and English exports, per field (compared folded).
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "vacancy_id", "vacature_id", "vacaturenummer", "external_id", "reference"),
    "title": ("title", "titel", "functie", "functietitel", "job_title", "vacaturetitel"),
    "text": ("text", "description", "omschrijving", "beschrijving", "vacaturetekst", "body"),
    "employer": ("employer", "werkgever", "company", "bedrijf", "organisatie", "organisation"),
    "location": ("location", "municipality", "plaats", "gemeente", "standplaats", "city"),
    "date": ("date", "posted_date", "date_posted", "datum", "publicatiedatum", "posted"),
    "source": ("source", "bron"),
    "url": ("url", "link"),
}
FORMATS = ("csv", "jsonl")
# Descriptions with inline images run past the csv module's 128 KiB field limit.
csv.field_size_limit(64 * 1024 * 1024)
MAX_ERRORS_STORED = 200
REPOST_WINDOW_DAYS = 60  # a repost comes back within two months of the previous posting
REPOST_TITLE_SCORE = 90.0  # rapidfuzz token_sort_ratio on normalised titles

VACANCY_COLUMNS: dict[str, type] = {
    "vacancy_id": str,
    "source": str,
    "external_id": str,
    "url": str,
    "title": str,
    "description": str,
    "employer": str,
    "employer_key": str,
    "location": str,
    "municipality": str,
    "region_code": str,
    "region": str,
    "posted_date": str,
    "content_hash": str,
    "version": int,
    "first_seen": str,
    "last_seen": str,
    "import_id": int,
    "duplicate_of": str,
}
# The URL is not content: the same posting may be served from a mirror or another host.
CONTENT_KEYS = ("title", "text", "employer", "location", "date")


class VacancyImportError(ValueError):
    """The file as a whole cannot be read (missing, empty, wrong encoding, no such column)."""


@dataclass(frozen=True)
class RowError:
    line: int
    problem: str
    url: str | None = None  # a crawled posting is named by its URL, a file row by its line

    def message(self, path: str) -> str:
        return f"{self.url}: {self.problem}" if self.url else f"{path}:{self.line}: {self.problem}"


@dataclass
class ImportReport:
    path: str
    import_id: int
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    reposts: int = 0
    unplaced: int = 0

    @property
    def rejected(self) -> int:
        return len(self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "import_id": self.import_id,
            "rows": self.rows,
            "added": self.added,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "reposts": self.reposts,
            "unplaced": self.unplaced,
            "errors": [e.message(self.path) for e in self.errors],
        }


# ---------------------------------------------------------------- reading


def parse_mapping(text: str | None) -> dict[str, str]:
    """``title=functie,text=omschrijving`` -> {field: column}; unknown fields are an error."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        name, column = name.strip(), column.strip()
        if not sep or not column:
            raise VacancyImportError(f"--map {part!r}: write FIELD=COLUMN, e.g. text=omschrijving")
        if name not in FIELDS:
            raise VacancyImportError(
                f"--map {part!r}: unknown field {name!r}; fields are {', '.join(FIELDS)}"
            )
        mapping[name] = column
    return mapping


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    raise VacancyImportError(
        f"{path}: cannot tell the format from {suffix!r}; pass --format csv|jsonl"
    )


def _resolve_columns(path: Path, header: list[str], mapping: Mapping[str, str]) -> dict[str, str]:
    """field -> column name in the file, from --map first, then the known aliases."""
    folded = {fold(h.strip()): h for h in header}
    columns: dict[str, str] = {}
    for name in FIELDS:
        if name in mapping:
            if mapping[name] not in header:
                raise VacancyImportError(
                    f"{path}: --map {name}={mapping[name]}: no column {mapping[name]!r}; "
                    f"columns are {', '.join(header)}"
                )
            columns[name] = mapping[name]
            continue
        for alias in ALIASES[name]:
            if alias in folded:
                columns[name] = folded[alias]
                break
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise VacancyImportError(
            f"{path}: no column for {', '.join(missing)}; columns are {', '.join(header)}; "
            f"name them with --map, e.g. --map {missing[0]}=COLUMN"
        )
    return columns


def _decode(path: Path, encoding: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VacancyImportError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        # Excel writes a byte-order mark before UTF-8; however the encoding is spelled.
        utf8 = codecs.lookup(encoding).name == "utf-8"
        text = raw.decode("utf-8-sig" if utf8 else encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise VacancyImportError(
            f"{path}:{line}: not {encoding} (byte 0x{raw[exc.start]:02x}); save the file as "
            "UTF-8 or pass its encoding, e.g. --encoding cp1252"
        ) from exc
    except LookupError as exc:
        raise VacancyImportError(f"--encoding {encoding}: unknown encoding") from exc
    if not text.strip():
        raise VacancyImportError(
            f"{path}: empty file; expected a header row with at least {', '.join(REQUIRED)}"
        )
    return text


def read_rows(
    path: Path, fmt: str, mapping: Mapping[str, str] | None = None, encoding: str = "utf-8"
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    """(line, {field: value}) per record, or (line, RowError) for a record that cannot be read.

    Raises VacancyImportError at once for a problem of the whole file.
    """
    text = _decode(path, encoding)
    if fmt == "csv":
        yield from _csv_rows(path, text, mapping or {})
    elif fmt == "jsonl":
        yield from _jsonl_rows(path, text, mapping or {})
    else:
        raise VacancyImportError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")


def _csv_rows(
    path: Path, text: str, mapping: Mapping[str, str]
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    # Dutch Excel writes ";" between fields; the header row tells which separator is used.
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise VacancyImportError(f"{path}:1: unreadable header: {exc}") from exc
    columns = _resolve_columns(path, header, mapping)
    index = {name: header.index(column) for name, column in columns.items()}
    line = reader.line_num + 1
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The reader cannot find the next row boundary after this: say what is lost.
            yield line, RowError(line, f"unreadable CSV: {exc}; this line and the rest not read")
            return
        start, line = line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            yield (
                start,
                RowError(
                    start, f"{len(record)} fields where the header has {len(header)}; check quoting"
                ),
            )
            continue
        yield start, {name: record[i] for name, i in index.items()}


def _jsonl_rows(
    path: Path, text: str, mapping: Mapping[str, str]
) -> Iterator[tuple[int, dict[str, Any] | RowError]]:
    columns: dict[str, str] | None = None
    # Only "\n" ends a line: U+2028 and friends may stand unescaped inside a JSON string.
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield number, RowError(number, f"not JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(obj, dict):
            yield number, RowError(number, f"a JSON object expected, not {type(obj).__name__}")
            continue
        if columns is None:
            # Fields are resolved on the first object: exports write every key on every line.
            columns = _resolve_columns(path, list(obj), mapping)
        yield number, {name: obj.get(column) for name, column in columns.items()}


# ---------------------------------------------------------------- validating

_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
# Inline tags sit inside words and sentences ("<b>NEN</b> 1010."); they leave no space.
_INLINE_TAG = re.compile(r"</?(?:a|b|i|u|em|strong|span|small|sup|sub|mark|abbr)\b[^>]*>", re.I)
_BLOCK_END = re.compile(r"<\s*(?:br\s*/?|/p|/li|/h[1-6]|/div|/ul|/ol|/tr)\s*>", re.I)
_SLUG = re.compile(r"[^a-z0-9]+")
_LEGAL_FORM = re.compile(r"\s*\b(?:b\s?v|n\s?v|v\s?o\s?f|c\s?v)$")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)


def parse_date(value: Any) -> str | None:
    """ISO date of a posting date (YYYY-MM-DD, an ISO timestamp, or DD-MM-YYYY)."""
    text = str(value or "").strip()
    if not text:
        return None
    if re.match(r"\d{4}-\d{2}-\d{2}[T ]", text):
        text = text[:10]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def html_to_text(text: str) -> str:
    """Plain text of a description that may be HTML (job-board exports often are)."""
    if "&lt;" in text and not _TAG.search(text):
        text = html.unescape(text)  # JSON-LD descriptions are often escaped HTML
    if _TAG.search(text):
        text = _SCRIPT.sub(" ", text)
        text = _TAG.sub(" ", _INLINE_TAG.sub("", _BLOCK_END.sub("\n\n", text)))
    return clean_text(text)


def source_slug(text: str) -> str:
    return _SLUG.sub("-", fold(text)).strip("-")


def employer_key(employer: str | None) -> str | None:
    """Employer name as reposts share it: folded, without legal form ("Van Dijk B.V.")."""
    if not employer:
        return None
    key = " ".join(re.sub(r"[^\w\s]", " ", fold(employer)).split())
    while _LEGAL_FORM.search(key):
        key = _LEGAL_FORM.sub("", key)
    return key or None


def validate(raw: Mapping[str, Any], default_source: str | None) -> dict[str, Any] | str:
    """A clean vacancy from one record, or the problem with it."""

    def text(name: str) -> str:
        value = raw.get(name)
        return "" if value is None else str(value).strip()

    missing = [name for name in REQUIRED if not text(name)]
    if missing:
        return f"empty {', '.join(missing)}"
    posted = parse_date(raw.get("date"))
    if posted is None:
        return f"date {text('date')!r} is not a date; write YYYY-MM-DD"
    source = text("source") or default_source
    if not source:
        return "no source; add a source column or pass --source NAME"
    description = html_to_text(text("text"))
    if not description:
        return "text has no words once HTML is removed"
    return {
        "id": text("id") or None,
        "title": clean_text(text("title")),
        "text": description,
        "employer": clean_text(text("employer")) or None,
        "location": clean_text(text("location")) or None,
        "date": posted,
        "source": source,
        "url": text("url") or None,
    }


def vacancy_id(vacancy: Mapping[str, Any]) -> str:
    """Stable id: the source's own id, else the URL (host, path and query), else the content.

    Crawled postings arrive with their site's real URL, so a crawl from a mirror or the
    loopback fixtures keeps the same ids."""
    source = source_slug(vacancy["source"])
    if vacancy.get("id"):
        return f"{source}:{vacancy['id']}"
    url = urlsplit(vacancy.get("url") or "")
    basis = (url.netloc.lower() + url.path + (f"?{url.query}" if url.query else "")) or json.dumps(
        [vacancy.get(k) for k in ("title", "employer", "location", "date", "text")],
        ensure_ascii=False,
    )
    return f"{source}:{hashlib.sha256(basis.encode('utf-8')).hexdigest()[:16]}"


def place(location: str | None) -> dict[str, str] | None:
    """The municipality row of a location text, when it names exactly one municipality."""
    names = parse_locations(location)
    if len(names) != 1:
        return None
    return municipalities()[fold(names[0])]


# ---------------------------------------------------------------- storing


def import_file(
    db: sqlite_utils.Database,
    path: Path,
    fmt: str | None = None,
    mapping: Mapping[str, str] | None = None,
    source: str | None = None,
    encoding: str = "utf-8",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one export; bad rows are reported in the result, good rows are stored.
    ``progress`` hears the number of rows read every 10,000 rows."""
    fmt = fmt or guess_format(path)
    default_source = source or path.stem
    good: list[dict[str, Any]] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for count, (line, record) in enumerate(read_rows(path, fmt, mapping, encoding), start=1):
        if progress and count % 10_000 == 0:
            progress(count)
        if isinstance(record, RowError):
            errors.append(record)
            continue
        vacancy = validate(record, default_source)
        if isinstance(vacancy, str):
            errors.append(RowError(line, vacancy))
            continue
        vid = vacancy_id(vacancy)
        if vid in first_line:
            errors.append(RowError(line, f"duplicate id {vid} (first on line {first_line[vid]})"))
            continue
        first_line[vid] = line
        good.append(vacancy)
    return store(db, good, origin=str(path), fmt=fmt, errors=errors)


def store(
    db: sqlite_utils.Database,
    vacancies: Iterable[Mapping[str, Any]],
    origin: str,
    fmt: str,
    errors: list[RowError] | None = None,
) -> ImportReport:
    """Upsert validated vacancies in one transaction and mark the reposts among them."""
    now = utcnow()
    errors = errors or []
    vacancies = list(vacancies)
    # The connection commits the transaction, or rolls it back on any error.
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        cursor = db.execute(
            """insert into vacancy_imports (origin, format, started_at) values (?, ?, ?)""",
            [origin, fmt, now],
        )
        import_id = int(cursor.lastrowid or 0)
        report = ImportReport(origin, import_id, len(vacancies) + len(errors), errors=errors)
        _upsert(db, vacancies, import_id, now, report)
        db.execute(
            """update vacancy_imports set finished_at = ?, rows = ?, added = ?, changed = ?,
            unchanged = ?, rejected = ?, reposts = ?, errors = ? where id = ?""",
            [
                now,
                report.rows,
                report.added,
                report.changed,
                report.unchanged,
                report.rejected,
                report.reposts,
                json.dumps(
                    [e.message(origin) for e in errors[:MAX_ERRORS_STORED]], ensure_ascii=False
                ),
                import_id,
            ],
        )
    return report


UPSERT_VACANCY = (
    f"insert into vacancies ({', '.join(VACANCY_COLUMNS)}) "
    f"values ({', '.join('?' * len(VACANCY_COLUMNS))}) "
    "on conflict(vacancy_id) do update set "
    + ", ".join(
        f"{c} = excluded.{c}" for c in VACANCY_COLUMNS if c not in ("vacancy_id", "duplicate_of")
    )
)


def _upsert(
    db: sqlite_utils.Database,
    vacancies: list[Mapping[str, Any]],
    import_id: int,
    now: str,
    report: ImportReport,
) -> None:
    ids = [vacancy_id(v) for v in vacancies]
    known: dict[str, tuple[str, int, str]] = {}
    rows, versions = [], []
    blocks: set[tuple[str, str | None]] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in db.execute(
            f"""select vacancy_id, content_hash, version, first_seen, employer_key,
            municipality from vacancies where vacancy_id in ({", ".join("?" * len(chunk))})""",
            chunk,
        ).fetchall():
            known[row[0]] = (row[1], row[2], row[3])
            # A vacancy that moves to another employer or place leaves its old block.
            if row[4]:
                blocks.add((row[4], row[5]))
    for vid, vacancy in zip(ids, vacancies, strict=True):
        digest = content_hash(vacancy, CONTENT_KEYS)
        current = known.get(vid)
        if current is None:
            report.added += 1
            version, first_seen = 1, now
        elif current[0] != digest:
            report.changed += 1
            version, first_seen = current[1] + 1, current[2]
        else:
            report.unchanged += 1
            version, first_seen = current[1], current[2]
        municipality = place(vacancy.get("location"))
        if municipality is None:
            report.unplaced += 1
        key = employer_key(vacancy.get("employer"))
        row = {
            "vacancy_id": vid,
            "source": vacancy["source"],
            "external_id": vacancy.get("id"),
            "url": vacancy.get("url"),
            "title": vacancy["title"],
            "description": vacancy["text"],
            "employer": vacancy.get("employer"),
            "employer_key": key,
            "location": vacancy.get("location"),
            "municipality": municipality["name"] if municipality else None,
            "region_code": municipality["region_code"] if municipality else None,
            "region": municipality["region"] if municipality else None,
            "posted_date": vacancy["date"],
            "content_hash": digest,
            "version": version,
            "first_seen": first_seen,
            "last_seen": now,
            "import_id": import_id,
            "duplicate_of": None,
        }
        rows.append(tuple(row[c] for c in VACANCY_COLUMNS))
        if current is None or current[0] != digest:
            data = json.dumps({k: vacancy.get(k) for k in CONTENT_KEYS}, ensure_ascii=False)
            versions.append((vid, version, digest, import_id, now, data))
        if key:
            blocks.add((key, row["municipality"]))
    db.conn.executemany(UPSERT_VACANCY, rows)
    db.conn.executemany(
        """insert or replace into vacancy_versions (vacancy_id, version, content_hash,
        import_id, valid_from, data) values (?, ?, ?, ?, ?, ?)""",
        versions,
    )
    report.reposts = mark_reposts(db, blocks, set(ids))


# ---------------------------------------------------------------- reposts

_TITLE_NOISE = re.compile(
    r"\(?\b[mvx](?:\s*/\s*[mvx]){1,2}\b\)?|\b\d+\s*(?:-|tot)\s*\d+\s*uur\b|\b\d+\s*uur\b", re.I
)


def normalise_title(title: str) -> str:
    """A title as reposts share it: no "(m/v)", no hours, folded, punctuation as spaces."""
    return utils.default_process(_TITLE_NOISE.sub(" ", fold(title)))


def mark_reposts(
    db: sqlite_utils.Database,
    blocks: Iterable[tuple[str, str | None]],
    counted: set[str] | None = None,
    window_days: int = REPOST_WINDOW_DAYS,
    min_score: float = REPOST_TITLE_SCORE,
) -> int:
    """Point each repost at its first posting, per (employer, municipality) block.

    A posting is a repost when an earlier posting of the same employer in the same
    municipality has a near-identical title (rapidfuzz) and was posted or last reposted at
    most ``window_days`` before. Returns how many of ``counted`` (all when None) are reposts.
    """
    updates: list[tuple[str | None, str]] = []
    reposts = 0
    for key, municipality in sorted(blocks, key=lambda b: (b[0], b[1] or "")):
        rows = db.execute(
            """select vacancy_id, title, posted_date, duplicate_of from vacancies
            where employer_key = ? and municipality is ? order by posted_date, vacancy_id""",
            [key, municipality],
        ).fetchall()
        clusters: list[list[Any]] = []  # [first id, normalised title, last date]
        for vid, title, posted, old in rows:
            day = date.fromisoformat(posted)
            norm = normalise_title(title)
            target = None
            for cluster in clusters:
                recent = day - cluster[2] <= timedelta(days=window_days)
                if recent and fuzz.token_sort_ratio(norm, cluster[1], processor=None) >= min_score:
                    target = cluster
                    break
            if target is None:
                clusters.append([vid, norm, day])
                new = None
            else:
                target[2] = day
                new = target[0]
            if new is not None and (counted is None or vid in counted):
                reposts += 1
            if new != old:
                updates.append((new, vid))
    db.conn.executemany("update vacancies set duplicate_of = ? where vacancy_id = ?", updates)
    return reposts


# ---------------------------------------------------------------- queries


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Raw and de-duplicated vacancy counts, and how many have no known municipality."""
    row = db.execute(
        """select count(*), sum(duplicate_of is null), sum(municipality is null)
        from vacancies"""
    ).fetchone()
    return {"raw": row[0], "deduplicated": row[1] or 0, "unplaced": row[2] or 0}


def latest_imports(db: sqlite_utils.Database, limit: int = 20) -> list[dict[str, Any]]:
    return list(
        db.query(
            """select id, origin, format, started_at, rows, added, changed, unchanged,
            rejected, reposts from vacancy_imports order by id desc limit ?""",
            [limit],
        )
    )
