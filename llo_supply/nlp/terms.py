"""Turn the taxonomy tables into match terms: surface text -> (label, concept id, base score)."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from llo_supply.taxonomy import ESCO_VERSION, SBI_VERSION, read_gz, taxonomy_dir

SKILL, OCCUPATION, SECTOR = "SKILL", "OCC", "SECTOR"

# Base score per source: curated Dutch terms and Dutch ESCO labels are trusted most.
SOURCE_SCORES = {
    "curated": 1.0,
    "label_nl": 1.0,
    "alt_nl": 0.95,
    "label_en": 0.9,
    "alt_en": 0.85,
    "synonym": 0.9,
}
# Which source names a concept best when two concepts share a surface text: a reviewed
# curated term, then a preferred label in either language, then an alternative one
# (ESCO's Dutch alternatives are looser: "software developer" is one for two occupations).
SOURCE_RANK = {"curated": 0, "label_nl": 1, "label_en": 2, "alt_nl": 3, "alt_en": 4, "synonym": 5}
MIN_TERM_CHARS = 3
SHORT_NAMES = ("c#",)  # names shorter than MIN_TERM_CHARS that mean one thing
_PARENS = re.compile(r"\s*\([^)]*\)")
_SPACE = re.compile(r"\s+")
GENERIC_FILE = "generic_terms.csv"
VERB_SYNONYMS_FILE = "verb_synonyms.csv"
# Terms written in Dutch: compound heads, verb-object pairs and fuzzy titles build on them.
DUTCH_SOURCES = ("curated", "label_nl", "alt_nl", "synonym")
# Dutch terms whose verb may be paraphrased: ESCO's Dutch alternatives are too loose.
PARAPHRASED_SOURCES = ("curated", "label_nl")


@dataclass(frozen=True)
class Term:
    text: str
    label: str
    concept: str
    source: str
    group: str = ""  # ISCO-08 unit group of an occupation
    preferred: str = ""  # the concept's preferred labels, to break ties between concepts

    @property
    def score(self) -> float:
        return SOURCE_SCORES[self.source]

    @property
    def rank(self) -> int:
        return SOURCE_RANK[self.source]


def clean_label(label: str) -> str:
    """Lower case, qualifiers in parentheses dropped: "Python (computer programming)" -> python."""
    return _SPACE.sub(" ", _PARENS.sub("", label)).strip().casefold()


def generic_terms(base: Path) -> dict[str, set[str]]:
    """Label -> single words too common in course and job text to signal a concept alone."""
    found: dict[str, set[str]] = {SKILL: set(), OCCUPATION: set(), SECTOR: set()}
    for row in _read(base / "curated" / GENERIC_FILE):
        found[row["label"]].add(row["term"].casefold())
    return found


def _usable(term: Term, generic: dict[str, set[str]]) -> bool:
    text = term.text
    if (len(text) < MIN_TERM_CHARS and text not in SHORT_NAMES) or not any(
        c.isalpha() for c in text
    ):
        return False
    if term.source == "curated":
        return True
    if text in generic[term.label]:
        return False
    # A lone Dutch infinitive from ESCO ("plannen", "ontwerpen") is an everyday verb;
    # curated terms name the few that are skills on their own ("lassen").
    return not (
        term.label == SKILL
        and " " not in text
        and text.endswith("en")
        and term.source != "label_en"
    )


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def curated_files(base: Path, prefix: str) -> list[Path]:
    return sorted((base / "curated").glob(f"{prefix}*.csv"))


def verb_synonyms(base: Path) -> dict[str, tuple[str, ...]]:
    """Verb -> the other verbs of its group ("verhelpen" -> "oplossen")."""
    groups: dict[str, list[str]] = {}
    for row in _read(base / "curated" / VERB_SYNONYMS_FILE):
        groups.setdefault(row["group"], []).append(row["verb"])
    return {
        verb: tuple(other for other in verbs if other != verb)
        for verbs in groups.values()
        for verb in verbs
    }


def paraphrases(terms: Iterable[Term], synonyms: dict[str, tuple[str, ...]]) -> Iterable[Term]:
    """ "storingen verhelpen" also as "storingen oplossen": same object, a verb of its group."""
    for term in terms:
        words = term.text.split()
        if len(words) == 2 and term.source in PARAPHRASED_SOURCES:
            for verb in synonyms.get(words[1], ()):
                yield Term(
                    f"{words[0]} {verb}", term.label, term.concept, "synonym", "", term.preferred
                )


def _skill_terms(base: Path) -> Iterable[Term]:
    found = list(_listed_skill_terms(base))
    yield from found
    yield from paraphrases(found, verb_synonyms(base))


def _listed_skill_terms(base: Path) -> Iterable[Term]:
    for path in curated_files(base, "skills_nl"):
        for row in _read(path):
            yield Term(clean_label(row["term"]), SKILL, row["uri"], "curated")
    for row in read_gz(base / "esco" / "skills.csv.gz"):
        uri = row["uri"]
        preferred = clean_label(f"{row['label_nl']} {row['label_en']}")
        if row["label_nl"]:
            yield Term(clean_label(row["label_nl"]), SKILL, uri, "label_nl", "", preferred)
        for alt in filter(None, row["alt_nl"].split(" | ")):
            yield Term(clean_label(alt), SKILL, uri, "alt_nl", "", preferred)
        # English alternatives are left out: they map loanwords ("agile", "scripting")
        # to broad concepts; curated terms say which loanwords mean what.
        if row["label_en"]:
            yield Term(clean_label(row["label_en"]), SKILL, uri, "label_en", "", preferred)


def _occupation_terms(base: Path) -> Iterable[Term]:
    for path in curated_files(base, "occupations_nl"):
        for row in _read(path):
            yield Term(clean_label(row["term"]), OCCUPATION, row["uri"], "curated", row["isco"])
    for row in read_gz(base / "esco" / "occupations.csv.gz"):
        uri, isco = row["uri"], row["isco"]
        preferred = clean_label(f"{row['label_nl']} {row['label_en']}")
        yield Term(clean_label(row["label_nl"]), OCCUPATION, uri, "label_nl", isco, preferred)
        for alt in filter(None, row["alt_nl"].split(" | ")):
            yield Term(clean_label(alt), OCCUPATION, uri, "alt_nl", isco, preferred)
        # English preferred labels only: the 28,000 English alternatives add build time
        # and ambiguity for little gain on Dutch text.
        yield Term(clean_label(row["label_en"]), OCCUPATION, uri, "label_en", isco, preferred)


def _sector_terms(base: Path) -> Iterable[Term]:
    for path in curated_files(base, "sector_terms"):
        for row in _read(path):
            concept = row["section"] + (f":{row['division']}" if row.get("division") else "")
            yield Term(clean_label(row["term"]), SECTOR, concept, "curated")


def resolve_terms(terms: Iterable[Term], generic: dict[str, set[str]]) -> list[Term]:
    """One concept per surface text and label: the best-ranked source wins. Between concepts
    at the best rank, the one whose preferred labels share most words with the text wins
    ("embedded software engineer" -> embedded systems software developer, not -designer);
    a tie there makes the text ambiguous and it is dropped, unless all are occupations of
    one ISCO group ("productiemedewerker non-wovens"): then the first URI."""
    best: dict[tuple[str, str], list[Term]] = {}
    for term in terms:
        if not _usable(term, generic):
            continue
        key = (term.label, term.text)
        current = best.get(key)
        if current is None or term.rank < current[0].rank:
            best[key] = [term]
        elif term.rank == current[0].rank and all(t.concept != term.concept for t in current):
            current.append(term)
    kept = []
    for found in best.values():
        if len(found) > 1:
            found = _closest(found)
        groups = {t.group for t in found}
        if len(found) == 1 or (
            found[0].label == OCCUPATION and len(groups) == 1 and "" not in groups
        ):
            kept.append(min(found, key=lambda t: t.concept))
    return sorted(kept, key=lambda t: (t.label, t.text))


def _closest(found: list[Term]) -> list[Term]:
    """The terms whose concept's preferred labels share most words with the surface text."""
    words = set(found[0].text.split())

    def overlap(term: Term) -> int:
        return len(words & set(term.preferred.split()))

    top = max(overlap(t) for t in found)
    return [t for t in found if overlap(t) == top] if top else found


@cache
def load_terms(base: Path | None = None) -> tuple[Term, ...]:
    base = base or taxonomy_dir()
    raw = [*_skill_terms(base), *_occupation_terms(base), *_sector_terms(base)]
    return tuple(resolve_terms(raw, generic_terms(base)))


def taxonomy_version(base: Path | None = None) -> str:
    """ESCO and SBI versions plus a digest of the curated tables: a change re-tags."""
    base = base or taxonomy_dir()
    digest = hashlib.sha256()
    # Built tables and curated ones: a rebuilt ESCO table re-tags as a curated edit does.
    for path in sorted([*base.glob("*/*.csv.gz"), *(base / "curated").glob("*.csv")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"{ESCO_VERSION}+{SBI_VERSION}+curated-{digest.hexdigest()[:8]}"
