"""Taxonomy tables: built from the shared sources into ``taxonomy/``, loaded at run time."""

from __future__ import annotations

import csv
import os
import unicodedata
from functools import cache
from pathlib import Path

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


def fold(text: str) -> str:
    """Lower-case and strip diacritics, for matching names as people write them."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
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
