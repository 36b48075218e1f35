"""The taxonomy tables: reproducible from the sources, and every curated row points at a real
concept (a typo in a URI would silently tag nothing)."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import pytest

from llo_supply.taxonomy import build_all, read_gz, taxonomy_dir
from tests.helpers import ROOT

BASE = taxonomy_dir()
SOURCES = ROOT.parent / "shared" / "taxonomy-sources"
SKILLS = {r["uri"]: r for r in read_gz(BASE / "esco" / "skills.csv.gz")}
OCCUPATIONS = {r["uri"]: r for r in read_gz(BASE / "esco" / "occupations.csv.gz")}
SBI = {r["code"]: r for r in read_gz(BASE / "sbi" / "sbi2025.csv.gz")}
ISCO = {r["code"] for r in read_gz(BASE / "isco" / "isco08.csv.gz")}


def rows(pattern: str) -> list[tuple[str, dict[str, str]]]:
    found = []
    for path in sorted((BASE / "curated").glob(pattern)):
        with path.open(encoding="utf-8", newline="") as fh:
            found += [(f"{path.name}:{n}", row) for n, row in enumerate(csv.DictReader(fh), 2)]
    return found


def test_built_tables_have_the_documented_sizes() -> None:
    assert len(SKILLS) == 13939
    assert len(OCCUPATIONS) == 3039
    assert sum(1 for r in SBI.values() if r["level"] == "1") == 22
    assert sum(1 for r in SKILLS.values() if r["label_nl"]) >= 2200


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/taxonomy-sources not present")
def test_build_is_reproducible(tmp_path: Path) -> None:
    build_all(SOURCES, tmp_path)
    for built in tmp_path.rglob("*.*"):
        committed = BASE / built.relative_to(tmp_path)
        assert filecmp.cmp(built, committed, shallow=False), committed


def test_curated_skill_terms_point_at_esco_skills() -> None:
    bad = [(where, r["uri"]) for where, r in rows("skills_nl_*.csv") if r["uri"] not in SKILLS]
    assert bad == []


def test_curated_skill_terms_are_lower_case_and_sourced() -> None:
    for where, r in rows("skills_nl_*.csv"):
        assert r["term"] == r["term"].casefold(), where
        assert r["source"] in ("translation", "domain", "loanword", "abbreviation"), where


def test_curated_occupation_terms_point_at_esco_occupations_with_their_isco() -> None:
    bad = [
        (where, r["uri"])
        for where, r in rows("occupations_nl_*.csv")
        if r["uri"] not in OCCUPATIONS or OCCUPATIONS[r["uri"]]["isco"] != r["isco"]
    ]
    assert bad == []


def test_sector_terms_point_at_sbi_2025() -> None:
    for where, r in rows("sector_terms_nl.csv"):
        assert r["section"] in SBI, where
        if r["division"]:
            assert SBI[r["division"]]["section"] == r["section"], where


def test_isco_sector_rows_are_real_groups() -> None:
    for where, r in rows("isco_sector.csv"):
        assert r["isco"] in {c.lstrip("C") for c in ISCO} or r["isco"] in ISCO, where
        assert r["section"] == "" or r["section"] in SBI, where


def test_generic_terms_have_a_reason() -> None:
    for where, r in rows("generic_terms.csv"):
        assert r["label"] in ("SKILL", "OCC", "SECTOR") and r["reason"], where
