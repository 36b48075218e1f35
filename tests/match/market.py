"""A hand-worked catalogue for the matcher: every number in the tests is worked out below.

Courses (all current and tagged):   Vacancies (tagged, not reposts unless said):
  p1:c1 skills A, B   Utrecht           v1-v3   A   Utrecht  (2026-09-0x)
  p1:c2 skill A       online            v4-v6   A   Rotterdam
  p2:c3 skills A, C   Rotterdam         v7-v10  D   Rotterdam
  p2:c4 skill E       Rotterdam         v11     B, F  Utrecht
  p2:c5 skill D       Rotterdam,
        removed 2026-09-15
                                        v12, v15, v16  C  Utrecht
                                        v13     D   Rotterdam, repost of v7
                                        v14     A   Utrecht, not tagged

In scope: 14 vacancies (v13 repost, v14 untagged), 4 courses (c5 is no longer offered).
Skill demand A 6, D 4, C 3, B 1, F 1; supply A 3 (2 providers), B 1, C 1, E 1.
Default thresholds: non-zero demand [1, 1, 3, 4, 6], lower quartile 1, minimum 3 -> demand
'ja' from 3;
non-zero supply [1, 1, 1, 3], lower quartile 1 -> supply 'ja' from 1.
Quadrants: A ja-ja, D ja-nee, C ja-ja, B nee-ja, F nee-nee, E nee-ja.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from llo_supply import catalogue

S = "http://data.europa.eu/esco/skill/"
A, B, C, D, E, F = (S + f"test-{x}" for x in "abcdef")
# Two real ESCO skills of one skill group (S7.2.1, installing heating and ventilation).
HEAT_PUMPS = S + "00735755-adc6-4ea0-b034-b8caff339c9f"
SOLAR_BOILERS = S + "2a74063a-d4b1-42fb-bc90-cb8c06ff53ec"
HVAC_GROUP = S + "b85caa4a-f04b-4331-80df-11404fd71225"
O1 = "http://data.europa.eu/esco/occupation/test-1"
O2 = "http://data.europa.eu/esco/occupation/test-2"

COURSES = {
    "p1:c1": ("p1", [A, B], ["Utrecht"], ["klassikaal"]),
    "p1:c2": ("p1", [A], [], ["online"]),
    "p2:c3": ("p2", [A, C], ["Rotterdam"], ["klassikaal"]),
    "p2:c4": ("p2", [E], ["Rotterdam"], ["klassikaal"]),
    "p2:c5": ("p2", [D], ["Rotterdam"], ["klassikaal"]),
}
REMOVED = {"p2:c5": "2026-09-15T00:00:00Z"}
UTRECHT = ("Utrecht", "AM13", "Midden-Utrecht")
ROTTERDAM = ("Rotterdam", "AM22", "Rijnmond")
VACANCIES = {
    "t:v1": ([A], UTRECHT, "2026-09-01", None),
    "t:v2": ([A], UTRECHT, "2026-09-02", None),
    "t:v3": ([A], UTRECHT, "2026-09-03", None),
    "t:v4": ([A], ROTTERDAM, "2026-10-01", None),
    "t:v5": ([A], ROTTERDAM, "2026-10-02", None),
    "t:v6": ([A], ROTTERDAM, "2026-10-03", None),
    "t:v7": ([D], ROTTERDAM, "2026-10-04", None),
    "t:v8": ([D], ROTTERDAM, "2026-10-05", None),
    "t:v9": ([D], ROTTERDAM, "2026-10-06", None),
    "t:v10": ([D], ROTTERDAM, "2026-10-07", None),
    "t:v11": ([B, F], UTRECHT, "2026-10-08", None),
    "t:v12": ([C], UTRECHT, "2026-10-09", None),
    "t:v13": ([D], ROTTERDAM, "2026-10-20", "t:v7"),
    "t:v14": ([A], UTRECHT, "2026-10-21", None),
    "t:v15": ([C], UTRECHT, "2026-10-22", None),
    "t:v16": ([C], UTRECHT, "2026-10-23", None),
}
UNTAGGED = {"t:v14"}
NOW = "2026-11-01T00:00:00Z"


def _tag(doc_kind: str, doc_id: str, kind: str, concept: str, isco: str | None = None) -> dict:
    return {
        "doc_kind": doc_kind,
        "doc_id": doc_id,
        "kind": kind,
        "concept": concept,
        "label": concept.rsplit("/", 1)[-1],
        "score": 1.0,
        "start": 0,
        "end": 4,
        "evidence": f"ev-{concept.rsplit('-', 1)[-1]}",
        "rule": "test",
        "isco": isco,
        "mentions": 1,
    }


def build(path: Path, unhealthy: str | None = None) -> sqlite_utils.Database:
    """The catalogue above; ``unhealthy`` names a provider whose latest run was unhealthy."""
    db = catalogue.connect(path)
    for slug in ("p1", "p2"):
        db["providers"].insert({"slug": slug, "name": slug.upper(), "site_url": f"https://{slug}"})
        db["crawl_runs"].insert(
            {
                "provider": slug,
                "started_at": NOW,
                "finished_at": NOW,
                "status": "finished",
                "healthy": int(slug != unhealthy),
            }
        )
    tags, tagged = [], []
    for course_id, (provider, skills, places, modes) in COURSES.items():
        db["courses"].insert(
            {
                "course_id": course_id,
                "provider": provider,
                "url": f"https://{provider}/{course_id}",
                "title": f"Course {course_id}",
                "locations": json.dumps(places),
                "delivery_modes": json.dumps(modes),
                "content_hash": "h",
                "first_seen": "2026-08-01T00:00:00Z",
                "last_seen": REMOVED.get(course_id, NOW),
                "removed_at": REMOVED.get(course_id),
            }
        )
        tags += [_tag("course", course_id, "skill", s) for s in skills]
        tagged.append({"doc_kind": "course", "doc_id": course_id, "content_hash": "h"})
    tags.append(_tag("course", "p1:c1", "occupation", O1, "7411"))
    for vacancy_id, (skills, (town, code, region), posted, repost) in VACANCIES.items():
        db["vacancies"].insert(
            {
                "vacancy_id": vacancy_id,
                "source": "t",
                "title": f"Vacancy {vacancy_id}",
                "description": "text",
                "employer": "Werkgever",
                "municipality": town,
                "region_code": code,
                "region": region,
                "posted_date": posted,
                "content_hash": "h",
                "duplicate_of": repost,
            }
        )
        if vacancy_id in UNTAGGED:
            continue
        tags += [_tag("vacancy", vacancy_id, "skill", s) for s in skills]
        tagged.append({"doc_kind": "vacancy", "doc_id": vacancy_id, "content_hash": "h"})
    tags.append(_tag("vacancy", "t:v1", "occupation", O1, "7411"))
    tags.append(_tag("vacancy", "t:v2", "occupation", O2, "7412"))
    db["tags"].insert_all(tags)
    db["tagged_docs"].insert_all(tagged)
    return db
