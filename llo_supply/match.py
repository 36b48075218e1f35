"""The matcher: course supply crossed with vacancy demand per skill, occupation and sector.

Each cell (an ESCO skill, skill group or occupation, an ISCO-08 code or an SBI section)
gets its demand (de-duplicated vacancies tagged with it), its supply (current courses tagged
with it, and their providers) and a quadrant after the ROA LLO-Radar, demand first:
``ja-ja`` (both), ``ja-nee`` (demand, no supply: a gap), ``nee-ja`` (supply, no demand) and
``nee-nee``. Same catalogue and settings, same output: rows are sorted with explicit ties.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import sqlite_utils

from llo_supply.catalogue import provider_summary, utcnow
from llo_supply.taxonomy import fold, municipalities, read_gz, skill_group_of, taxonomy_dir

LEVELS = ("skill", "skill-group", "occupation", "isco4", "isco2", "sector")
QUADRANTS = ("ja-ja", "ja-nee", "nee-ja", "nee-nee")
CELL_COLUMNS = [
    "level",
    "key",
    "label",
    "demand",
    "demand_share",
    "supply",
    "supply_share",
    "providers",
    "ratio",
    "demand_ja",
    "supply_ja",
    "quadrant",
    "uncertain",
    "uncertainty",
]
# The tag kind each level is read from.
LEVEL_KIND = {
    "skill": "skill",
    "skill-group": "skill",
    "occupation": "occupation",
    "isco4": "occupation",
    "isco2": "occupation",
    "sector": "sector",
}
FETCH = 200_000


class MatchError(ValueError):
    """The question cannot be answered from this catalogue (and what to do about it)."""


@dataclass(frozen=True)
class Thresholds:
    """When demand and supply count as "ja" (documented in the README, "Quadrants").

    A side is "ja" when its count reaches both the minimum and the quantile of the counts
    of the cells at the same level that have any of it (ties count as reached).
    """

    demand_min: int = 3
    demand_quantile: float = 0.25
    supply_min: int = 1
    supply_quantile: float = 0.25
    min_observations: int = 5  # fewer vacancies + courses than this: uncertain

    def __post_init__(self) -> None:
        for name in ("demand_quantile", "supply_quantile"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise MatchError(f"{name} must be between 0 and 1, not {getattr(self, name)}")
        for name in ("demand_min", "supply_min", "min_observations"):
            if getattr(self, name) < 0:
                raise MatchError(f"{name} must not be negative, not {getattr(self, name)}")


@dataclass(frozen=True)
class Scope:
    """Which vacancies and courses count: a labour-market region and a period (ISO dates)."""

    region: str | None = None
    since: str | None = None
    until: str | None = None


@dataclass
class Market:
    """The in-scope documents and their tags, as compact frames."""

    scope: Scope
    vacancies: pd.DataFrame  # doc_id, region, posted_date, tagged (row number = doc)
    courses: pd.DataFrame  # doc_id, provider, places, online, first_seen, removed_at, tagged
    vacancy_tags: pd.DataFrame  # doc, kind, concept, isco
    course_tags: pd.DataFrame
    untagged: dict[str, int] = field(default_factory=dict)
    unhealthy: list[str] = field(default_factory=list)
    # Provider -> day of its first finished crawl ("" when never): before it, supply unknown.
    first_crawled: dict[str, str] = field(default_factory=dict)
    uncrawled: list[str] = field(default_factory=list)  # not crawled by the scope's end
    _pairs: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, repr=False)

    def pairs(self, side: str, level: str) -> pd.DataFrame:
        """(doc, key) pairs of "vacancies" or "courses" at a level, worked out once: cells,
        gaps, coverage and evidence all ask for them, the report many times."""
        if (side, level) not in self._pairs:
            tags = self.vacancy_tags if side == "vacancies" else self.course_tags
            self._pairs[side, level] = level_keys(tags, level)
        return self._pairs[side, level]


# ---------------------------------------------------------------- scope


def region_names() -> dict[str, str]:
    """Folded region name or code -> region name (arbeidsmarktregio)."""
    found: dict[str, str] = {}
    for row in municipalities().values():
        found[fold(row["region"])] = row["region"]
        found[fold(row["region_code"])] = row["region"]
    return found


def resolve_region(name: str) -> str:
    regions = region_names()
    region = regions.get(fold(name.strip()))
    if region is None:
        known = ", ".join(sorted(set(regions.values())))
        raise MatchError(f"unknown region {name!r}; the arbeidsmarktregio's are: {known}")
    return region


def _region_municipalities(region: str) -> set[str]:
    return {row["name"] for row in municipalities().values() if row["region"] == region}


def _all_vacancies(db: sqlite_utils.Database) -> pd.DataFrame:
    """Every vacancy that is not a repost, with what scopes it: region and posting date."""
    rows = db.execute(
        """select v.vacancy_id, v.region, v.posted_date, t.doc_id is not null from vacancies v
        left join tagged_docs t on t.doc_kind = 'vacancy' and t.doc_id = v.vacancy_id
          and t.content_hash = v.content_hash
        where v.duplicate_of is null order by v.vacancy_id"""
    ).fetchall()
    return pd.DataFrame(rows, columns=["doc_id", "region", "posted_date", "tagged"])


def _all_courses(db: sqlite_utils.Database) -> pd.DataFrame:
    """Every course ever seen (a period may reach back), with its places and dates."""
    rows = db.execute(
        """select c.course_id, c.provider, c.locations, c.delivery_modes,
        substr(c.first_seen, 1, 10), substr(c.removed_at, 1, 10), t.doc_id is not null
        from courses c
        left join tagged_docs t on t.doc_kind = 'course' and t.doc_id = c.course_id
          and t.content_hash = c.content_hash
        order by c.course_id"""
    ).fetchall()
    return pd.DataFrame(
        [
            (r[0], r[1], tuple(json.loads(r[2] or "[]")), "online" in json.loads(r[3] or "[]"),
             r[4] or "", r[5], r[6])
            for r in rows
        ],
        columns=["doc_id", "provider", "places", "online", "first_seen", "removed_at", "tagged"],
    )  # fmt: skip


def _vacancies_in(frame: pd.DataFrame, scope: Scope) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    if scope.region:
        keep = keep & (frame["region"] == scope.region).to_numpy()
    if scope.since:
        keep = keep & (frame["posted_date"] >= scope.since).to_numpy()
    if scope.until:
        keep = keep & (frame["posted_date"] <= scope.until).to_numpy()
    return keep


def _courses_in(frame: pd.DataFrame, scope: Scope) -> np.ndarray:
    removed = frame["removed_at"]
    if scope.since or scope.until:
        # A course counts in a period when it was on offer at some time in it.
        keep = np.ones(len(frame), dtype=bool)
        if scope.until:
            keep = keep & (frame["first_seen"] <= scope.until).to_numpy()
        if scope.since:
            keep = keep & (removed.isna() | (removed >= scope.since)).to_numpy()
    else:
        keep = removed.isna().to_numpy()
    if scope.region:
        # Online courses reach every region; others count where they are given.
        places = _region_municipalities(scope.region)
        local = np.array([bool(places.intersection(p)) for p in frame["places"]], dtype=bool)
        keep = keep & (frame["online"].to_numpy(dtype=bool) | local)
    return keep


def _tags(db: sqlite_utils.Database, doc_kind: str, docs: pd.Series) -> pd.DataFrame:
    """The tags of the documents of one kind: doc (row in ``docs``), kind, concept and isco,
    the last three categorical (a million vacancies' tags fit in little memory)."""
    position = {doc_id: i for i, doc_id in enumerate(docs)}
    # Plain dicts and typed arrays: per row this is several times faster than pandas here.
    lookups: list[dict[str | None, int]] = [{None: -1}, {None: -1}, {None: -1}]
    columns = [array("i") for _ in range(4)]
    cursor = db.conn.execute(
        "select doc_id, kind, concept, isco from tags where doc_kind = ?", [doc_kind]
    )
    add_doc, add_kind, add_concept, add_isco = (c.append for c in columns)
    kinds, concepts, iscos = lookups
    while chunk := cursor.fetchmany(FETCH):
        for doc_id, kind, concept, isco in chunk:
            doc = position.get(doc_id)
            if doc is None:
                continue
            add_doc(doc)
            add_kind(kinds.setdefault(kind, len(kinds) - 1))
            add_concept(concepts.setdefault(concept, len(concepts) - 1))
            add_isco(iscos.setdefault(isco, len(iscos) - 1))

    def categorical(codes: array, lookup: dict[str | None, int]) -> pd.Categorical:
        categories = [value for value in lookup if value is not None]
        return pd.Categorical.from_codes(np.frombuffer(codes, dtype=np.int32), categories)

    return pd.DataFrame(
        {
            "doc": np.frombuffer(columns[0], dtype=np.int32),
            "kind": categorical(columns[1], kinds),
            "concept": categorical(columns[2], concepts),
            "isco": categorical(columns[3], iscos),
        }
    )


def unhealthy_providers(db: sqlite_utils.Database) -> list[str]:
    """Providers whose latest crawl did not finish healthy: their "no supply" is unknown."""
    return [
        p["provider"] for p in provider_summary(db) if p["status"] != "finished" or not p["healthy"]
    ]


def load_base(db: sqlite_utils.Database) -> Market:
    """Every vacancy (reposts left out) and course with their tags, read once; restrict it
    to a scope with :func:`restrict`, as often as needed (a breakdown by region does)."""
    vacancies = _all_vacancies(db)
    courses = _all_courses(db)
    return Market(
        scope=Scope(),
        vacancies=vacancies,
        courses=courses,
        vacancy_tags=_tags(db, "vacancy", vacancies["doc_id"]),
        course_tags=_tags(db, "course", courses["doc_id"]),
        unhealthy=unhealthy_providers(db),
        first_crawled=first_crawls(db),
    )


def _subset(frame: pd.DataFrame, tags: pd.DataFrame, keep: np.ndarray) -> tuple[Any, Any]:
    """The kept documents, renumbered, and their tags."""
    renumber = np.full(len(frame), -1, dtype=np.int64)
    renumber[keep] = np.arange(int(keep.sum()))
    docs = renumber[tags["doc"].to_numpy()]
    kept = docs >= 0
    subset = tags[kept].copy()
    subset["doc"] = docs[kept].astype(np.int32)
    return frame[keep].reset_index(drop=True), subset.reset_index(drop=True)


def restrict(base: Market, scope: Scope | None = None) -> Market:
    """The market of a scope: its tagged documents (how many are untagged is counted)."""
    scope = scope or Scope()
    if scope.region:
        scope = Scope(resolve_region(scope.region), scope.since, scope.until)
    in_vacancies = _vacancies_in(base.vacancies, scope)
    in_courses = _courses_in(base.courses, scope)
    vacancy_tagged = base.vacancies["tagged"].to_numpy(dtype=bool)
    course_tagged = base.courses["tagged"].to_numpy(dtype=bool)
    # Untagged documents are left out of the shares: nobody knows what they are about yet.
    untagged = {
        "vacancies": int((in_vacancies & ~vacancy_tagged).sum()),
        "courses": int((in_courses & ~course_tagged).sum()),
    }
    vacancies, vacancy_tags = _subset(
        base.vacancies, base.vacancy_tags, in_vacancies & vacancy_tagged
    )
    courses, course_tags = _subset(base.courses, base.course_tags, in_courses & course_tagged)
    # A period that ends before a provider's first crawl knows nothing of its offer then.
    end = scope.until or "9999-12-31"
    uncrawled = [p for p, day in base.first_crawled.items() if not day or day > end]
    return Market(
        scope, vacancies, courses, vacancy_tags, course_tags, untagged, base.unhealthy,
        base.first_crawled, uncrawled,
    )  # fmt: skip


def first_crawls(db: sqlite_utils.Database) -> dict[str, str]:
    """Provider -> the day its first crawl finished ("" when none has)."""
    rows = db.execute(
        """select p.slug, min(substr(r.finished_at, 1, 10)) from providers p
        left join crawl_runs r on r.provider = p.slug and r.status = 'finished'
        group by p.slug order by p.slug"""
    ).fetchall()
    return {slug: day or "" for slug, day in rows}


def load_market(db: sqlite_utils.Database, scope: Scope | None = None) -> Market:
    """The in-scope vacancies, courses and their tags, for every level."""
    return restrict(load_base(db), scope)


BREAKDOWNS = ("region", "quarter")


def _region_scopes(market: Market) -> list[tuple[str, Scope]]:
    """(region, its scope) for every region with vacancies in the market, in the same period."""
    regions = sorted(market.vacancies["region"].dropna().unique())
    return [(r, Scope(r, market.scope.since, market.scope.until)) for r in regions]


def _quarters(dates: pd.Series) -> list[tuple[str, str, str]]:
    """(label, first day, last day) of every quarter with a posting, in order."""
    found = sorted({(int(d[:4]), (int(d[5:7]) - 1) // 3 + 1) for d in dates.dropna()})
    ends = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}
    return [
        (f"{year}-Q{q}", f"{year}-{3 * q - 2:02d}-01", f"{year}-{ends[q]}") for year, q in found
    ]


def breakdown(
    base: Market, scope: Scope, level: str, by: str, thresholds: Thresholds | None = None
) -> list[tuple[str, pd.DataFrame, dict[str, Any]]]:
    """Cells per region (with vacancies in scope) or per quarter, each with its thresholds
    worked out within the group: (group, cells, thresholds applied)."""
    if by not in BREAKDOWNS:
        raise MatchError(f"unknown breakdown {by!r}; choose one of {', '.join(BREAKDOWNS)}")
    whole = restrict(base, scope)
    groups: list[tuple[str, Scope]]
    if by == "region":
        groups = _region_scopes(whole)
    else:
        groups = []
        for label, first, last in _quarters(whole.vacancies["posted_date"]):
            since = max(first, scope.since) if scope.since else first
            until = min(last, scope.until) if scope.until else last
            groups.append((label, Scope(scope.region, since, until)))
    found = []
    for label, group_scope in groups:
        table, applied = cells(restrict(base, group_scope), level, thresholds)
        found.append((label, table, applied))
    return found


# ---------------------------------------------------------------- levels


def _recode(values: pd.Series, mapping: Any) -> pd.Categorical:
    """A categorical with each category mapped (many to one allowed), via the categories
    only: a million rows cost one lookup per distinct concept."""
    categories = values.cat.categories
    mapped = pd.Series(categories, dtype=object).map(mapping)
    codes, uniques = pd.factorize(mapped, use_na_sentinel=True)
    table = np.append(codes, -1).astype(np.int32)  # code -1 (missing) stays missing
    return pd.Categorical.from_codes(table[values.cat.codes.to_numpy()], categories=uniques)


def level_keys(tags: pd.DataFrame, level: str) -> pd.DataFrame:
    """(doc, key) pairs of one level, each pair once; key is categorical."""
    if level not in LEVELS:
        raise MatchError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
    rows = tags[(tags["kind"] == LEVEL_KIND[level]).to_numpy()]
    if level in ("skill", "occupation", "sector"):
        keys = pd.Categorical(rows["concept"])
    elif level == "skill-group":
        keys = _recode(rows["concept"], skill_group_of())
    elif level == "isco4":
        keys = pd.Categorical(rows["isco"])
    else:
        keys = _recode(rows["isco"], lambda code: str(code)[:2])
    pairs = pd.DataFrame({"doc": rows["doc"].to_numpy(), "key": keys})
    return pairs[pairs["key"].notna().to_numpy()].drop_duplicates()


def _count(pairs: pd.DataFrame) -> pd.Series:
    counts = pairs.groupby("key", observed=True, sort=False).size()
    counts.index = counts.index.astype(str)
    return counts.sort_index()


def _threshold(counts: pd.Series, minimum: int, quantile: float) -> int:
    """The count a cell must reach: the minimum, or the quantile of the non-zero counts."""
    present = counts[counts > 0].to_numpy()
    if not len(present):
        return max(minimum, 1)
    return max(minimum, int(np.quantile(present, quantile, method="lower")), 1)


def cells(
    market: Market, level: str, thresholds: Thresholds | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One row per cell of ``level`` seen on either side, and the thresholds applied."""
    thresholds = thresholds or Thresholds()
    demand = _count(market.pairs("vacancies", level)).rename("demand")
    course_pairs = market.pairs("courses", level)
    supply = _count(course_pairs).rename("supply")
    provider_of = market.courses["provider"].to_numpy()
    providers = _count(
        pd.DataFrame(
            {"doc": provider_of[course_pairs["doc"].to_numpy()], "key": course_pairs["key"]}
        ).drop_duplicates()
    ).rename("providers")
    frame = pd.concat([demand, supply, providers], axis=1).fillna(0).astype(np.int64)
    frame.index.name = "key"
    frame = frame.reset_index()
    n_vacancies, n_courses = len(market.vacancies), len(market.courses)
    demand_at = _threshold(frame["demand"], thresholds.demand_min, thresholds.demand_quantile)
    supply_at = _threshold(frame["supply"], thresholds.supply_min, thresholds.supply_quantile)
    frame["demand_share"] = (frame["demand"] / n_vacancies).round(6) if n_vacancies else 0.0
    frame["supply_share"] = (frame["supply"] / n_courses).round(6) if n_courses else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = frame["demand_share"] / frame["supply_share"]
    frame["ratio"] = ratio.where(frame["supply"] > 0).round(3)
    frame["demand_ja"] = frame["demand"] >= demand_at
    frame["supply_ja"] = frame["supply"] >= supply_at
    frame["quadrant"] = [
        f"{'ja' if d else 'nee'}-{'ja' if s else 'nee'}"
        for d, s in zip(frame["demand_ja"], frame["supply_ja"], strict=True)
    ]
    frame["uncertainty"] = [
        _uncertainty(d, s, sj, thresholds, market)
        for d, s, sj in zip(frame["demand"], frame["supply"], frame["supply_ja"], strict=True)
    ]
    frame["uncertain"] = frame["uncertainty"] != ""
    frame["level"] = level
    frame["label"] = frame["key"].map(labels(level)).fillna("")
    frame = frame.sort_values(
        ["demand", "supply", "key"], ascending=[False, False, True], kind="mergesort"
    )
    applied = {
        "level": level,
        "vacancies": n_vacancies,
        "courses": n_courses,
        "demand_at": demand_at,
        "supply_at": supply_at,
        **asdict(thresholds),
        "region": market.scope.region,
        "since": market.scope.since,
        "until": market.scope.until,
        "untagged": market.untagged,
        "unhealthy_providers": market.unhealthy,
        "uncrawled_providers": market.uncrawled,
    }
    return frame[CELL_COLUMNS].reset_index(drop=True), applied


def _uncertainty(
    demand: int, supply: int, supply_ja: bool, thresholds: Thresholds, market: Market
) -> str:
    reasons = []
    if demand + supply < thresholds.min_observations:
        reasons.append(f"few observations ({demand + supply} < {thresholds.min_observations})")
    if not supply_ja:
        # "No supply" must not mean "not crawled".
        unhealthy = [p for p in market.unhealthy if p not in market.uncrawled]
        if unhealthy:
            reasons.append(f"latest crawl not healthy: {', '.join(unhealthy)}")
        if market.uncrawled:
            reasons.append(f"not crawled by the end of the period: {', '.join(market.uncrawled)}")
    return "; ".join(reasons)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values (None for a missing ratio), for JSON and CSV."""
    out = []
    for row in frame.to_dict("records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, float) and np.isnan(value):
                value = None
            elif isinstance(value, np.integer):
                value = int(value)
            elif isinstance(value, np.floating):
                value = float(value)
            elif isinstance(value, np.bool_):
                value = bool(value)
            clean[key] = value
        out.append(clean)
    return out


# ---------------------------------------------------------------- the stored table

QUADRANT_TABLE = "quadrant_cells"


def store_quadrants(
    db: sqlite_utils.Database,
    base: Market,
    scope: Scope | None = None,
    thresholds: Thresholds | None = None,
    regions: bool = True,
    now: str | None = None,
) -> dict[str, int]:
    """Compute every level, nationally (region "") and per region with vacancies in scope,
    and replace ``quadrant_cells`` with the result in one transaction; cells per region.
    The scope may limit the period; a region scope is refused (every region is stored)."""
    scope = scope or Scope()
    if scope.region:
        raise MatchError("the stored table holds every region already; leave out the region")
    now = now or utcnow()
    national = restrict(base, scope)
    groups = [("", national)]
    if regions:
        groups += [(r, restrict(base, s)) for r, s in _region_scopes(national)]
    rows, counts = [], {}
    for region, market in groups:
        counts[region] = 0
        for level in LEVELS:
            table, applied = cells(market, level, thresholds)
            for rank, row in enumerate(records(table), start=1):
                rows.append(
                    {
                        "region": region,
                        "rank": rank,
                        **row,
                        "demand_at": applied["demand_at"],
                        "supply_at": applied["supply_at"],
                        "computed_at": now,
                    }
                )
            counts[region] += len(table)
    coverage = provider_coverage(groups[0][1])
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        db.execute("delete from provider_cells")
        db.conn.executemany(
            "insert into provider_cells (provider, level, key, courses) values (?, ?, ?, ?)",
            coverage,
        )
        db.execute(f"delete from {QUADRANT_TABLE}")
        if rows:
            columns = list(rows[0])
            db.conn.executemany(
                f"insert into {QUADRANT_TABLE} ({', '.join(columns)}) "
                f"values ({', '.join('?' * len(columns))})",
                [tuple(r[c] for c in columns) for r in rows],
            )
    return counts


def provider_coverage(
    market: Market, levels: tuple[str, ...] = LEVELS
) -> list[tuple[str, str, str, int]]:
    """(provider, level, key, courses): what each provider offers at every level."""
    found = []
    providers = market.courses["provider"].to_numpy()
    for level in levels:
        pairs = market.pairs("courses", level)
        frame = pd.DataFrame(
            {"provider": providers[pairs["doc"].to_numpy()], "key": pairs["key"].astype(str)}
        )
        counts = frame.groupby(["provider", "key"], sort=True).size()
        found += [(p, level, k, int(n)) for (p, k), n in counts.items()]
    return found


# ---------------------------------------------------------------- labels


@cache
def labels(level: str, lang: str = "nl") -> dict[str, str]:
    """Key -> label for a level, in Dutch (English where ESCO has no Dutch one) or, with
    ``lang="en"``, in English."""
    base = taxonomy_dir()
    first, second = ("label_en", "label_nl") if lang == "en" else ("label_nl", "label_en")

    def name(row: dict[str, str]) -> str:
        return row[first] or row[second]

    if level == "skill":
        return {r["uri"]: name(r) for r in read_gz(base / "esco" / "skills.csv.gz")}
    if level == "skill-group":
        return {
            r["uri"]: f"{r['code']} {name(r)}"
            for r in read_gz(base / "esco" / "skill_groups.csv.gz")
        }
    if level == "occupation":
        return {r["uri"]: name(r) for r in read_gz(base / "esco" / "occupations.csv.gz")}
    if level in ("isco4", "isco2"):
        size = 4 if level == "isco4" else 2
        return {
            r["code"]: name(r)
            for r in read_gz(base / "isco" / "isco08.csv.gz")
            if len(r["code"]) == size
        }
    if level == "sector":
        # SBI writes section titles in capitals.
        return {
            r["code"]: name(r).capitalize()
            for r in read_gz(base / "sbi" / "sbi2025.csv.gz")
            if r["level"] == "1"
        }
    raise MatchError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")


def level_of(cell: str) -> str:
    """The level a cell key belongs to: an ESCO URI, ISCO code or SBI section letter."""
    cell = cell.strip()
    if "/esco/skill/" in cell:
        return "skill-group" if cell in labels("skill-group") else "skill"
    if "/esco/isced-f/" in cell:
        return "skill-group"
    if "/esco/occupation/" in cell:
        return "occupation"
    if cell.isdigit() and len(cell) in (2, 4):
        return "isco4" if len(cell) == 4 else "isco2"
    if len(cell) == 1 and cell.isalpha() and cell.isupper():
        return "sector"
    raise MatchError(
        f"{cell!r} is not a cell: give an ESCO skill, skill-group or occupation URI, "
        "an ISCO-08 code (2 or 4 digits) or an SBI section letter"
    )


# ---------------------------------------------------------------- provider gaps


def known_providers(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("select slug from providers order by slug").fetchall()]


def gaps(
    market: Market,
    provider: str,
    level: str,
    thresholds: Thresholds | None = None,
    table: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """For one provider: in-demand cells it does not cover, and its offer where demand is low.

    ``finding`` is ``market-gap`` (in demand, nobody offers it), ``competitors`` (in demand,
    other providers offer it, this one does not) or ``surplus`` (this provider offers it in a
    nee-ja cell). ``table`` is the level's cells when the caller has them already.
    """
    if table is None:
        table, _ = cells(market, level, thresholds)
    pairs = market.pairs("courses", level)
    own_docs = np.flatnonzero(market.courses["provider"].to_numpy() == provider)
    own = _count(pairs[pairs["doc"].isin(own_docs)])
    table = table.assign(own_courses=table["key"].map(own).fillna(0).astype(np.int64))
    findings = []
    for row in table.itertuples(index=False):
        if row.demand_ja and row.own_courses == 0:
            findings.append("market-gap" if row.supply == 0 else "competitors")
        elif row.quadrant == "nee-ja" and row.own_courses > 0:
            findings.append("surplus")
        else:
            findings.append("")
    table["finding"] = findings
    table = table[table["finding"] != ""]
    order = {"market-gap": 0, "competitors": 1, "surplus": 2}
    table = table.assign(_order=table["finding"].map(order)).sort_values(
        ["_order", "demand", "supply", "key"],
        ascending=[True, False, False, True],
        kind="mergesort",
    )
    columns = ["finding", *CELL_COLUMNS[:8], "own_courses", "quadrant", "uncertain", "uncertainty"]
    return table[columns].reset_index(drop=True)


# ---------------------------------------------------------------- explain


def evidence(
    db: sqlite_utils.Database,
    market: Market,
    cell: str,
    limit: int = 20,
    sides: tuple[str, ...] = ("vacancies", "courses"),
) -> dict[str, Any]:
    """The vacancies and courses (or only the ``sides`` asked for) behind a cell, with the
    spans that put them there."""
    level = level_of(cell)
    kind = LEVEL_KIND[level]
    result: dict[str, Any] = {"cell": cell, "level": level, "label": labels(level).get(cell, "")}
    for side, doc_kind, docs in (
        ("vacancies", "vacancy", market.vacancies),
        ("courses", "course", market.courses),
    ):
        if side not in sides:
            continue
        pairs = market.pairs(side, level)
        doc_index = np.sort(pairs.loc[(pairs["key"] == cell).to_numpy(), "doc"].unique())
        ids = docs["doc_id"].to_numpy()[doc_index].tolist()
        result[f"n_{side}"] = len(ids)
        result[side] = list(_documents(db, doc_kind, kind, level, cell, ids[:limit]))
    return result


def _documents(
    db: sqlite_utils.Database, doc_kind: str, kind: str, level: str, cell: str, ids: list[str]
) -> Iterator[dict[str, Any]]:
    table, key = ("vacancies", "vacancy_id") if doc_kind == "vacancy" else ("courses", "course_id")
    who = "employer" if doc_kind == "vacancy" else "provider"
    for doc_id in ids:
        doc = db.execute(
            f"select title, {who}, url from {table} where {key} = ?", [doc_id]
        ).fetchone()
        spans = []
        for concept, label, isco, start, end, text, score in db.execute(
            """select concept, label, isco, start, end, evidence, score from tags
            where doc_kind = ? and doc_id = ? and kind = ? order by start, concept""",
            [doc_kind, doc_id, kind],
        ).fetchall():
            if _in_cell(level, cell, concept, isco):
                spans.append(
                    {
                        "concept": concept,
                        "label": label,
                        "start": start,
                        "end": end,
                        "text": text,
                        "score": score,
                    }
                )
        yield {
            "id": doc_id,
            "title": doc[0] if doc else None,
            who: doc[1] if doc else None,
            "url": doc[2] if doc else None,
            "evidence": spans,
        }


def _in_cell(level: str, cell: str, concept: str, isco: str | None) -> bool:
    if level in ("skill", "occupation", "sector"):
        return concept == cell
    if level == "skill-group":
        return skill_group_of().get(concept) == cell
    return bool(isco) and str(isco).startswith(cell)
