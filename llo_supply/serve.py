"""Datasette on the catalogue: read-only, described, with canned queries for the questions
analysts and providers ask (courses by skill, a provider's gaps, the quadrant table…)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from llo_supply import __version__
from llo_supply.taxonomy import ATTRIBUTION

ESCO_URL = "https://esco.ec.europa.eu/"
CBS_URL = "https://www.cbs.nl/"

TABLES: dict[str, dict[str, Any]] = {
    "providers": {"description": "Course providers crawled into the catalogue."},
    "crawl_runs": {
        "description": "One row per crawl of a provider, with its health: a run that is "
        "not healthy never marks courses as removed.",
        "facets": ["provider", "status", "healthy"],
        "sort_desc": "id",
    },
    "courses": {
        "description": "Every course ever seen; removed_at is set when a healthy crawl no "
        "longer finds it. Search works on title and description.",
        "facets": ["provider", "level", {"array": "delivery_modes"}, "category"],
        "columns": {
            "course_id": "provider slug + course code or URL: stable across crawls",
            "price_eur": "price in euro, as the provider states it (see vat, price_period)",
            "study_load_hours": "total study load in hours (1 EC = 28 hours)",
            "nlqf": "NLQF/EQF level 1-8",
            "delivery_modes": "online, klassikaal, blended, incompany (JSON array)",
            "first_seen": "first crawl that found the course (UTC)",
            "removed_at": "healthy crawl that no longer found it (UTC); empty while offered",
        },
        "units": {"study_load_hours": "hour"},
    },
    "vacancies": {
        "description": "Vacancies (demand) imported from exports or crawled from JobPosting "
        "data; duplicate_of points a repost at its first posting.",
        "facets": ["region", "source", "municipality"],
        "columns": {
            "vacancy_id": "source + the source's id, URL or content hash: stable",
            "region": "arbeidsmarktregio of the municipality (CBS)",
            "duplicate_of": "the first posting when this one is a repost",
        },
    },
    "tags": {
        "description": "ESCO skills and occupations (with ISCO-08) and SBI 2025 sections "
        "found in courses and vacancies, with the text that is their evidence.",
        "facets": ["doc_kind", "kind"],
        "columns": {
            "concept": "ESCO URI, or SBI 2025 section letter for sectors",
            "start": "character offset of the evidence in the tagged text",
            "score": "0-1: how sure the tagger is",
        },
        "source": "ESCO classification of the European Commission; SBI 2025: CBS",
        "source_url": ESCO_URL,
    },
    "quadrant_cells": {
        "description": "Demand × supply per cell (written by `llo-supply match`): ja-ja, "
        "ja-nee (demand without supply: a gap), nee-ja, nee-nee; region empty = national.",
        "facets": ["level", "quadrant", "region", "uncertain"],
        "sort": "rank",
        "columns": {
            "demand": "vacancies tagged with the cell (reposts counted once)",
            "supply": "current courses tagged with the cell",
            "ratio": "demand share / supply share; empty without supply",
            "demand_at": "vacancies needed for demand 'ja' at this level and region",
            "supply_at": "courses needed for supply 'ja' at this level and region",
        },
    },
    "course_sectors": {
        "description": "Current courses with their SBI 2025 sections (a view): facet by "
        "sector, provider or level.",
        "facets": ["sector", "provider", "level"],
    },
    "provider_cells": {
        "description": "What each provider offers per cell (national), for its gaps.",
        "facets": ["provider", "level"],
    },
}

# Each canned query answers one question; its :parameters become a form in Datasette.
QUERIES: dict[str, dict[str, str]] = {
    "courses_by_skill": {
        "title": "Courses by skill",
        "description": "Current courses tagged with a skill: part of its label (Dutch; "
        "English where ESCO has no Dutch one) or its ESCO URI.",
        "sql": """select c.provider, c.title, t.label as skill, t.evidence, c.url
from tags t join courses c on c.course_id = t.doc_id
where t.doc_kind = 'course' and t.kind = 'skill' and c.removed_at is null
  and :skill != '' and (t.concept = :skill or t.label like '%' || :skill || '%')
order by c.provider, c.title""",
    },
    "courses_by_occupation": {
        "title": "Courses by occupation",
        "description": "Current courses for an occupation: part of its label, its ESCO URI "
        "or its ISCO-08 code (4 digits, or 2 for a group).",
        "sql": """select c.provider, c.title, t.label as occupation, t.isco, t.evidence, c.url
from tags t join courses c on c.course_id = t.doc_id
where t.doc_kind = 'course' and t.kind = 'occupation' and c.removed_at is null
  and :occupation != '' and (t.concept = :occupation or t.isco like :occupation || '%'
       or t.label like '%' || :occupation || '%')
order by c.provider, c.title""",
    },
    "courses_by_sector": {
        "title": "Courses by sector",
        "description": "Current courses in an SBI 2025 section (a letter, e.g. F for "
        "construction).",
        "sql": """select c.provider, c.title, t.concept as section, t.label as sector, c.url
from tags t join courses c on c.course_id = t.doc_id
where t.doc_kind = 'course' and t.kind = 'sector' and c.removed_at is null
  and t.concept = upper(:section)
order by c.provider, c.title""",
    },
    "vacancies_by_skill": {
        "title": "Vacancies by skill",
        "description": "Vacancies (reposts left out) asking for a skill: part of its label "
        "(Dutch; English where ESCO has no Dutch one) or its ESCO URI.",
        "sql": """select v.posted_date, v.title, v.employer, v.municipality, v.region,
  t.label as skill, t.evidence
from tags t join vacancies v on v.vacancy_id = t.doc_id
where t.doc_kind = 'vacancy' and t.kind = 'skill' and v.duplicate_of is null
  and :skill != '' and (t.concept = :skill or t.label like '%' || :skill || '%')
order by v.posted_date desc, v.vacancy_id""",
    },
    "quadrants": {
        "title": "Quadrant table per level",
        "description": "The cells of one level (skill, skill-group, occupation, isco4, "
        "isco2, sector) nationally (region empty) or in one arbeidsmarktregio.",
        "sql": """select rank, key, label, demand, supply, providers, ratio, quadrant,
  uncertain, uncertainty
from quadrant_cells where level = :level and region = :region
order by rank""",
    },
    "provider_gaps": {
        "title": "A provider's gaps",
        "description": "Cells in demand (national) that the provider (its slug, see the "
        "providers table) does not offer: market-gap when nobody does, competitors when "
        "others do. As `llo-supply gaps`.",
        "sql": """select case when q.supply = 0 then 'market-gap' else 'competitors' end
    as finding,
  q.key, q.label, q.demand, q.supply, q.providers
from quadrant_cells q
left join provider_cells p on p.level = q.level and p.key = q.key and p.provider = :provider
where q.region = '' and q.level = :level and q.demand_ja and p.key is null
  and exists (select 1 from providers where slug = :provider)
order by finding desc, q.demand desc, q.supply desc, q.key""",
    },
    "supply_trend_per_sector": {
        "title": "Supply over time per sector",
        "description": "Courses observed per crawl day and SBI section: the supply history.",
        "sql": """select substr(o.observed_at, 1, 10) as day, t.concept as section,
  t.label as sector, count(distinct o.course_id) as courses
from course_observations o
join tags t on t.doc_kind = 'course' and t.doc_id = o.course_id and t.kind = 'sector'
group by day, t.concept
order by day, t.concept""",
    },
}


def metadata(database: str) -> dict[str, Any]:
    """Datasette metadata for the catalogue ``database`` (its file name without .db)."""
    return {
        "title": "llo-supply: Dutch lifelong-learning course supply and vacancy demand",
        "description": "Course supply crawled from provider sites, vacancy demand, their ESCO "
        "skills, occupations and SBI sectors, and the LLO-Radar quadrants. "
        f"llo-supply {__version__}.",
        "source": ATTRIBUTION,
        "source_url": ESCO_URL,
        "license": "ESCO: © European Union, CC BY 4.0; CBS: CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "databases": {
            database: {
                "tables": {name: dict(spec) for name, spec in TABLES.items()},
                "queries": {name: dict(spec) for name, spec in QUERIES.items()},
            }
        },
    }


def datasette(db_path: Path) -> Any:
    """A Datasette instance on the catalogue (queries only read: Datasette opens it mode=ro)."""
    from datasette.app import Datasette

    return Datasette(
        [str(db_path)],
        metadata=metadata(db_path.stem),
        settings={"sql_time_limit_ms": 5000, "default_page_size": 50},
    )


def run(db_path: Path, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(datasette(db_path).app(), host=host, port=port, log_level="warning")
