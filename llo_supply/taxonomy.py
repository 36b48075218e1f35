"""Taxonomy tables: built from the shared sources into ``taxonomy/``, loaded at run time."""

from __future__ import annotations

import csv
import gzip
import io
import os
import unicodedata
from collections import deque
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ATTRIBUTION = (
    "This service uses the ESCO classification of the European Commission. "
    "Municipalities, arbeidsmarktregio's and SBI: Bron: CBS."
)
REGIONS_YEAR = "2026"
MUNICIPALITY_COLUMNS = ["name", "code", "region_code", "region", "province"]


def taxonomy_dir() -> Path:
    """The folder with the built taxonomy tables (``LLO_TAXONOMY_DIR`` overrides)."""
    override = os.environ.get("LLO_TAXONOMY_DIR")
    return Path(override) if override else Path(__file__).resolve().parent.parent / "taxonomy"


def build_regions(sources: Path, out: Path) -> int:
    """Write ``regions/gemeenten.csv`` (the current municipalities with their region)."""
    src = sources / "arbeidsmarktregios" / "municipalities_corop_arbeidsmarktregio_2010-2026.csv"
    with src.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"] == REGIONS_YEAR]
    if not rows:
        raise ValueError(f"{src}: no municipalities for {REGIONS_YEAR}")
    rows.sort(key=lambda r: r["code"])
    target = out / "regions" / "gemeenten.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(MUNICIPALITY_COLUMNS)
        for r in rows:
            writer.writerow([r["name"], r["code"], r["region_code"], r["region"], r["province"]])
    return len(rows)


_APOSTROPHES = {0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x60: "'", 0xB4: "'"}


def fold(text: str) -> str:
    """Lower-case, straight apostrophes, no diacritics: names as people write them
    ("’s-Hertogenbosch" with a curly apostrophe is 's-Hertogenbosch)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def municipalities() -> dict[str, dict[str, str]]:
    """Folded municipality name or alias -> municipality row (CBS name, code, region)."""
    base = taxonomy_dir()
    with (base / "regions" / "gemeenten.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_name = {fold(r["name"]): r for r in rows}
    plain: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        plain.setdefault(fold(r["name"].split(" (")[0]), []).append(r)
    for name, matches in plain.items():
        # "Rijswijk (ZH.)" is written "Rijswijk"; "Bergen" is two places, so it stays unknown.
        if len(matches) == 1:
            by_name.setdefault(name, matches[0])
    with (base / "curated" / "place_aliases.csv").open(encoding="utf-8", newline="") as fh:
        for alias in csv.DictReader(fh):
            by_name[fold(alias["alias"])] = by_name[fold(alias["municipality"])]
    return by_name


# ---------------------------------------------------------------- ESCO, ISCO, SBI

ESCO_VERSION = "esco-1.2.0"
SKILL_COLUMNS = [
    "uri", "skill_type", "reuse_level", "label_en", "alt_en", "label_nl", "alt_nl", "green",
    "digital",
]  # fmt: skip
SBI_VERSION = "sbi-2025"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            {k: (v or "") for k, v in row.items() if k is not None} for row in csv.DictReader(fh)
        ]


def _split_labels(text: str, sep: str = "\n") -> list[str]:
    return [s.strip() for s in text.split(sep) if s.strip()]


def _write_gz(path: Path, columns: list[str], rows: list[list[Any]]) -> int:
    """Write a gzip CSV byte-for-byte reproducibly (no timestamp in the gzip header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue().encode("utf-8"))
    return len(rows)


def read_gz(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_esco(sources: Path, out: Path) -> dict[str, int]:
    """ESCO occupations (nl+en), skills (en + nl where known, green/digital), groups, hierarchy."""
    en, nl = sources / "esco-en-v1.2.0", sources / "esco-nl-v1.2.0"
    derived = sources / "esco-derived"
    counts: dict[str, int] = {}

    occ_en = {r["conceptUri"]: r for r in _read_csv(en / "occupations_en.csv")}
    rows = []
    for r in sorted(_read_csv(nl / "occupations_nl.csv"), key=lambda r: r["conceptUri"]):
        english = occ_en.get(r["conceptUri"], {})
        rows.append([
            r["conceptUri"], r["iscoGroup"], r["code"], r["preferredLabel"],
            # hiddenLabels are search misspellings ("helpen" for a home-care worker): left out.
            " | ".join(_split_labels(r["altLabels"])),
            english.get("preferredLabel", ""),
            " | ".join(_split_labels(english.get("altLabels", ""))),
        ])  # fmt: skip
    counts["occupations"] = _write_gz(
        out / "esco" / "occupations.csv.gz",
        ["uri", "isco", "code", "label_nl", "alt_nl", "label_en", "alt_en"],
        rows,
    )

    dutch = {
        r["conceptUri"]: r
        for r in _read_csv(derived / "skills_nl_partial_from_v1.1.1_collections.csv")
    }
    green = {r["conceptUri"] for r in _read_csv(en / "greenSkillsCollection_en.csv")}
    digital = {r["conceptUri"] for r in _read_csv(en / "digitalSkillsCollection_en.csv")}
    alt_en: dict[str, list[str]] = {}
    for name in ("green", "digital", "transversal", "language", "research", "digComp"):
        for r in _read_csv(en / f"{name}SkillsCollection_en.csv"):
            alt_en.setdefault(r["conceptUri"], _split_labels(r.get("altLabels", ""), "\n"))
    rows = []
    for r in sorted(
        _read_csv(derived / "skills_en_v1.2.0_index.csv"), key=lambda r: r["conceptUri"]
    ):
        uri = r["conceptUri"]
        nl_row = dutch.get(uri, {})
        rows.append([
            uri, r["skillType"], r["reuseLevel"], r["preferredLabel"],
            " | ".join(alt_en.get(uri, [])), nl_row.get("preferredLabel", ""),
            " | ".join(_split_labels(nl_row.get("altLabels", ""), "|")),
            int(uri in green), int(uri in digital),
        ])  # fmt: skip
    counts["skills"] = _write_gz(
        out / "esco" / "skills.csv.gz",
        SKILL_COLUMNS,
        rows,
    )

    groups_en = {r["conceptUri"]: r for r in _read_csv(en / "skillGroups_en.csv")}
    rows = [
        [
            r["conceptUri"],
            r["code"],
            r["preferredLabel"],
            groups_en.get(r["conceptUri"], {}).get("preferredLabel", ""),
        ]
        for r in sorted(_read_csv(nl / "skillGroups_nl.csv"), key=lambda r: r["conceptUri"])
    ]
    counts["skill_groups"] = _write_gz(
        out / "esco" / "skill_groups.csv.gz", ["uri", "code", "label_nl", "label_en"], rows
    )
    rows = sorted(
        [r["conceptUri"], r["broaderUri"]]
        for r in _read_csv(en / "broaderRelationsSkillPillar_en.csv")
    )
    counts["skill_broader"] = _write_gz(
        out / "esco" / "skill_broader.csv.gz", ["uri", "broader_uri"], rows
    )
    return counts


def build_isco_sbi(sources: Path, out: Path) -> dict[str, int]:
    rows = [
        [r["code"], r["level"], r["parent_code"], r["label_nl"], r["label_en"]]
        for r in _read_csv(sources / "isco-08" / "isco08_groups_nl_en.csv")
    ]
    counts = {
        "isco": _write_gz(
            out / "isco" / "isco08.csv.gz",
            ["code", "level", "parent", "label_nl", "label_en"],
            sorted(rows),
        )
    }
    rows = [
        [r["code"], r["level"], r["parent_code"], r["section"], r["label_nl"], r["label_en"]]
        for r in _read_csv(sources / "sbi-2025" / "sbi2025_nl_en.csv")
    ]
    counts["sbi"] = _write_gz(
        out / "sbi" / "sbi2025.csv.gz",
        ["code", "level", "parent", "section", "label_nl", "label_en"],
        sorted(rows, key=lambda r: (r[3], r[0])),
    )
    return counts


def build_all(sources: Path, out: Path) -> dict[str, int]:
    """Every built table; curated tables in ``taxonomy/curated`` are data, not built."""
    if not (sources / "SOURCES.md").is_file():
        raise FileNotFoundError(f"{sources}: not a taxonomy-sources folder (no SOURCES.md)")
    counts = {"municipalities": build_regions(sources, out)}
    counts.update(build_esco(sources, out))
    counts.update(build_isco_sbi(sources, out))
    return counts


@cache
def skill_parents(base: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Skill or group URI -> its broader concepts (sorted), from the ESCO skill hierarchy."""
    base = base or taxonomy_dir()
    parents: dict[str, list[str]] = {}
    for row in read_gz(base / "esco" / "skill_broader.csv.gz"):
        parents.setdefault(row["uri"], []).append(row["broader_uri"])
    return {uri: tuple(sorted(found)) for uri, found in parents.items()}


@cache
def skill_group_codes(base: Path | None = None) -> dict[str, str]:
    """ESCO skill group URI -> its code ("S5.1", "0613", "T2")."""
    base = base or taxonomy_dir()
    return {r["uri"]: r["code"] for r in read_gz(base / "esco" / "skill_groups.csv.gz")}


def _ancestors(uri: str, parents: dict[str, tuple[str, ...]]) -> Iterator[str]:
    """Broader concepts of ``uri`` breadth-first, nearest first."""
    queue, seen = deque(parents.get(uri, ())), {uri}
    while queue:
        node = queue.popleft()
        yield node
        if node not in seen:
            seen.add(node)
            queue.extend(parents.get(node, ()))


@cache
def skill_group_of(base: Path | None = None) -> dict[str, str]:
    """Skill URI -> its nearest ancestor that is an ESCO skill group (breadth-first up)."""
    groups = skill_group_codes(base)
    parents = skill_parents(base)
    nearest: dict[str, str] = {}
    for uri in parents:
        group = next((node for node in _ancestors(uri, parents) if node in groups), None)
        if group is not None:
            nearest[uri] = group
    for group in groups:
        nearest[group] = group
    return nearest


@cache
def skill_sections(base: Path | None = None) -> dict[str, str]:
    """Skill URI -> the SBI section of its nearest ancestor group that names one
    (``curated/skill_group_sector.csv``): programming skills are ICT work (K). A skill that
    ESCO also files under the transversal pillar ("provide first aid") is everyone's work."""
    base = base or taxonomy_dir()
    path = base / "curated" / "skill_group_sector.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        by_code = {r["group"]: r["section"] for r in csv.DictReader(fh) if r["section"]}
    codes = skill_group_codes(base)
    section_of = {uri: by_code[code] for uri, code in codes.items() if code in by_code}
    transversal = {uri for uri, code in codes.items() if code.startswith("T")}
    parents = skill_parents(base)
    found: dict[str, str] = {}
    for uri in parents:
        nearest = ""
        for node in _ancestors(uri, parents):
            if node in transversal:
                nearest = ""
                break
            nearest = nearest or section_of.get(node, "")
        if nearest:
            found[uri] = nearest
    return found
