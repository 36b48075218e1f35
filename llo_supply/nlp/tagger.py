"""Tag a course or vacancy text with ESCO skills, ESCO/ISCO occupations and SBI sectors.

The text tagged is ``title + "\\n\\n" + text``; evidence offsets are character offsets into
that string. Every tag keeps its evidence, score, rule, tagger and taxonomy version.
"""

from __future__ import annotations

import csv
import multiprocessing
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from llo_supply.nlp.pipeline import ARTICLES, KIND_KEY, SENTS_KEY, TAGS_KEY, build_pipeline
from llo_supply.nlp.terms import (
    DUTCH_SOURCES,
    OCCUPATION,
    SECTOR,
    SKILL,
    clean_label,
    load_terms,
    taxonomy_version,
)
from llo_supply.taxonomy import (
    read_gz,
    skill_group_codes,
    skill_group_of,
    skill_sections,
    taxonomy_dir,
)

TAGGER_VERSION = "0.8.0"
DOC_KINDS = ("course", "vacancy")
# Sentence cues that a role named in passing is the audience or the job: "voor wie", "voor",
# "bedoeld voor", "als verpleegkundige", "functie", "doelgroep".
TARGET_CUES = re.compile(
    r"\b(?:doelgroep|bedoeld|geschikt|gericht|als|functie|beroep|wie|werkzaam|rol|voor)\b", re.I
)


# ESCO skill groups of generic soft skills: the transversal pillar (T...), "personal skills
# and development" (ISCED-F 0031) and "communication, collaboration and creativity" (S1.0).
SOFT_SKILL_GROUPS = ("T", "0031", "S1.0")


# School teachers (ISCO 231-234, special needs 2352): their employer is a school, whatever
# the subject; trainers and instructional designers (2356, 2359) work for any industry.
TEACHING_ISCO = ("231", "232", "233", "234", "2352")


def is_soft_skill_group(code: str) -> bool:
    return bool(code) and code.startswith(SOFT_SKILL_GROUPS)


ENUMERATION_SPLIT = re.compile(r"\s*,\s*|\s+(?:en|of|en/of)\s+", re.I)
MAX_ITEM_WORDS = 3  # "teamleiders, afdelingshoofden en middenmanagers": items of a few words


def enumeration_size(sentence: str, at: int, is_plural: Callable[[str], bool]) -> int:
    """How many roles the enumeration holding the word at offset ``at`` of ``sentence``
    lists: "voor teamleiders, afdelingshoofden en middenmanagers" is three, known to the
    taxonomy or not. The word's own item must end within a few words of it, and each
    other item meets it with a plural noun ("artsen", "praktijkbegeleiders"), so verbs
    ("beoordelen, verbinden en behandelen"), places ("in de thuiszorg") and page details
    ("klassikaal of online", "3 dagen") are no roles."""
    items: list[tuple[int, int]] = []
    begin = 0
    for cut in ENUMERATION_SPLIT.finditer(sentence):
        items.append((begin, cut.start()))
        begin = cut.end()
    items.append((begin, len(sentence)))
    own = next((k for k, (a, b) in enumerate(items) if a <= at < b), None)
    if own is None or len(sentence[at : items[own][1]].split()) > MAX_ITEM_WORDS:
        return 1

    def role(k: int) -> bool:
        # The item's word nearest the role: the last before it ("voor teamleiders"), the
        # first after it, past an article ("en de praktijkopleiders").
        words = [w.strip(".:;!?()\"'") for w in sentence[items[k][0] : items[k][1]].split()]
        if k > own:
            words = [w for w in words[:2] if w.casefold() not in ARTICLES][:1]
        return bool(words) and is_plural(words[-1].casefold())

    first = last = own
    while first > 0 and role(first - 1):
        first -= 1
    while last + 1 < len(items) and role(last + 1):
        last += 1
    return last - first + 1


@dataclass(frozen=True)
class TaggerConfig:
    """Thresholds of the tagger; documented in the README."""

    min_skill_score: float = 0.7
    min_occupation_score: float = 0.75
    # An occupation is what a text is about when the title names it or the text repeats it.
    occupation_body_repeated: float = 0.9
    occupation_body_once: float = 0.8
    # Soft skills (ESCO transversal pillar, personal development, communication) count as
    # taught or demanded when the title names them or the text repeats them.
    soft_skill_body_repeated: float = 0.9
    soft_skill_body_once: float = 0.6
    # ...unless the course is about soft skills: the title names one, or at least this many
    # of its skills, and at least this share of them, are soft ones.
    soft_course_min_skills: int = 3
    soft_course_share: float = 0.5
    # Fuzzy occupation matching on the title, where exact patterns miss (rapidfuzz ratio).
    fuzzy_title_cutoff: float = 92.0
    fuzzy_title_score: float = 0.8
    # A sector is kept when its weight is at least this share of the best sector's.
    sector_relative_weight: float = 0.5
    max_sectors: int = 2
    category_weight: float = 1.5
    # A sector needs at least this much evidence: a word twice, a category, an occupation.
    min_sector_weight: float = 0.75
    sector_term_weight: float = 1.0
    occupation_sector_weight: float = 1.0
    # Roles of a course's audience list name no specific occupation, but their sectors are
    # the ones the course serves ("voor magazijnmedewerkers en chauffeurs": H).
    audience_sector_weight: float = 0.25
    # Each sector-specific skill (programming -> K, constructing -> F) adds a little: three
    # such skills weigh as much as a sector word named twice.
    skill_sector_weight: float = 0.25


@dataclass(frozen=True)
class Tag:
    kind: str  # "skill", "occupation" or "sector"
    concept: str  # ESCO URI, or SBI 2025 section letter
    label: str
    score: float
    start: int | None
    end: int | None
    evidence: str
    rule: str
    isco: str | None = None  # occupations: ISCO-08 unit group
    division: str | None = None  # sectors: SBI 2025 division where the text supports one
    mentions: int = 1


@dataclass
class DocTags:
    skills: list[Tag] = field(default_factory=list)
    occupations: list[Tag] = field(default_factory=list)
    sectors: list[Tag] = field(default_factory=list)

    def all(self) -> list[Tag]:
        return [*self.skills, *self.occupations, *self.sectors]

    def as_dict(self) -> dict[str, Any]:
        return {
            k: [asdict(t) for t in getattr(self, k)] for k in ("skills", "occupations", "sectors")
        }


_FORKED: Tagger | None = None


def _tag_batch(batch: list[tuple[str, ...]]) -> list[DocTags]:
    assert _FORKED is not None
    return list(_FORKED.tag_many(batch, batch_size=len(batch)))


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


class Tagger:
    """Builds the pipeline once (a few seconds), then tags thousands of texts a second."""

    def __init__(self, base: Path | None = None, config: TaggerConfig | None = None) -> None:
        self.base = base or taxonomy_dir()
        self.config = config or TaggerConfig()
        self.taxonomy_version = taxonomy_version(self.base)
        self.version = TAGGER_VERSION
        self._category_cache: dict[str, str | None] = {}

    @cached_property
    def terms(self) -> tuple[Any, ...]:
        return load_terms(self.base)

    @cached_property
    def nlp(self) -> Any:
        """Built on first use: deciding that nothing needs tagging costs no build."""
        pipeline = build_pipeline(self.terms)
        self._load_labels()
        return pipeline

    def _load_labels(self) -> None:
        self.skill_label = {
            r["uri"]: r["label_nl"] or r["label_en"]
            for r in read_gz(self.base / "esco" / "skills.csv.gz")
        }
        occupations = read_gz(self.base / "esco" / "occupations.csv.gz")
        self.occupation_label = {r["uri"]: r["label_nl"] for r in occupations}
        self.occupation_isco = {r["uri"]: r["isco"] for r in occupations}
        self.section_label = {
            r["code"]: r["label_nl"]
            for r in read_gz(self.base / "sbi" / "sbi2025.csv.gz")
            if r["level"] == "1"
        }
        self.isco_sector: dict[str, str] = {}
        path = self.base / "curated" / "isco_sector.csv"
        if path.exists():
            self.isco_sector = {r["isco"]: r["section"] for r in _read(path) if r["section"]}
        self.sector_terms = {t.text: t.concept for t in self.terms if t.label == SECTOR}
        # A generic job word heading a vacancy title still names its job family ("Docent").
        path = self.base / "curated" / "title_families.csv"
        self.title_families = (
            {r["head"]: (r["isco"], r["employer"]) for r in _read(path)} if path.exists() else {}
        )
        self.skill_section = skill_sections(self.base)
        group_of = skill_group_of(self.base)
        codes = skill_group_codes(self.base)
        self.soft_skills = {
            uri for uri, group in group_of.items() if is_soft_skill_group(codes.get(group, ""))
        }
        # Fuzzy title matching: occupation terms bucketed by their first three letters.
        self.occupation_buckets: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for term in self.terms:
            if term.label == OCCUPATION and term.source in DUTCH_SOURCES:
                self.occupation_buckets[term.text[:3]].append((term.text, term.concept))

    # ------------------------------------------------------------ public API

    def tag(
        self, text: str, title: str = "", category: str | None = None, kind: str = "course"
    ) -> DocTags:
        return next(self.tag_many([(title, text, category, kind)]))

    def tag_many(
        self, docs: Iterable[tuple[str, ...]], batch_size: int = 64, n_process: int = 1
    ) -> Iterator[DocTags]:
        """Tag (title, text, category[, kind]) tuples in order; kind is "course" (the
        default) or "vacancy". ``n_process`` > 1 forks workers."""
        if n_process > 1:
            yield from self._tag_forked(docs, batch_size, n_process)
            return
        contexts = (self._prepared(*doc) for doc in docs)
        for doc, (title, category) in self.nlp.pipe(
            contexts, as_tuples=True, batch_size=batch_size
        ):
            yield self._doc_tags(doc, title or "", category)

    def _prepared(
        self, title: str, text: str, category: str | None, kind: str = "course"
    ) -> tuple[Any, tuple[str, str | None]]:
        if kind not in DOC_KINDS:
            raise ValueError(f"kind must be one of {', '.join(DOC_KINDS)}, not {kind!r}")
        doc = self.nlp.make_doc(f"{title}\n\n{text}" if title else text)
        doc.user_data[KIND_KEY] = kind
        return doc, (title, category)

    def _tag_forked(
        self, docs: Iterable[tuple[str, ...]], batch_size: int, n_process: int
    ) -> Iterator[DocTags]:
        # Forked workers inherit the built pipeline instead of unpickling 50,000 terms each.
        global _FORKED
        self.nlp  # noqa: B018 -- build before forking
        _FORKED = self
        batches = _batched(docs, batch_size)
        with multiprocessing.get_context("fork").Pool(n_process) as pool:
            for result in pool.imap(_tag_batch, batches):
                yield from result

    # ------------------------------------------------------------ assembling tags

    def _doc_tags(self, doc: Any, title: str, category: str | None) -> DocTags:
        best: dict[tuple[str, str], Tag] = {}
        counts: dict[tuple[str, str], int] = defaultdict(int)
        # The resolver's sentence of each span: one notion of a sentence for every rule.
        sentence_at: dict[int, tuple[int, str]] = {}
        roles_in: dict[str, set[str]] = defaultdict(set)
        for span, (score, rule), (sent_start, sentence) in zip(
            doc.spans[TAGS_KEY],
            doc.user_data.get(TAGS_KEY, []),
            doc.user_data.get(SENTS_KEY, []),
            strict=True,
        ):
            sentence_at[span.start_char] = (sent_start, sentence)
            if span.label_ == OCCUPATION:
                roles_in[sentence].add(span.id_)
            kind = {SKILL: "skill", OCCUPATION: "occupation", SECTOR: "sector"}[span.label_]
            concept = span.id_
            tag = Tag(
                kind=kind,
                concept=concept,
                label=self._label(kind, concept),
                score=round(score, 3),
                start=span.start_char,
                end=span.end_char,
                evidence=span.text,
                rule=rule,
                isco=self.occupation_isco.get(concept) if kind == "occupation" else None,
            )
            key = (kind, concept)
            counts[key] += 1
            if key not in best or tag.score > best[key].score:
                best[key] = tag
        if title and not any(
            k[0] == "occupation" and t.start is not None and t.start < len(title)
            for k, t in best.items()
        ):
            fuzzy = self._fuzzy_title_occupation(title)
            if fuzzy and ("occupation", fuzzy.concept) not in best:
                best[("occupation", fuzzy.concept)] = fuzzy
                counts[("occupation", fuzzy.concept)] += 1
        in_title = {span.id_ for span in doc.spans[TAGS_KEY] if span.start_char < len(title)}
        soft_once = (
            self.config.soft_skill_body_repeated
            if self._is_soft_skill_course(best, in_title, doc.user_data.get(KIND_KEY))
            else self.config.soft_skill_body_once
        )
        tags = DocTags()
        audience: list[Tag] = []
        for key, tag in sorted(best.items(), key=lambda kv: (kv[1].start or 0, kv[0])):
            tag = replace(tag, mentions=counts[key])
            if tag.kind == "occupation":
                tag = self._salience(
                    tag,
                    in_title,
                    self.config.occupation_body_repeated,
                    self.config.occupation_body_once,
                )
            elif tag.kind == "skill" and tag.concept in self.soft_skills:
                tag = self._salience(tag, in_title, self.config.soft_skill_body_repeated, soft_once)
            if tag.kind == "skill" and tag.score >= self.config.min_skill_score:
                tags.skills.append(tag)
            elif tag.kind == "occupation" and tag.score >= self.config.min_occupation_score:
                sent_start, sentence = sentence_at.get(tag.start or 0, (0, ""))
                listed = enumeration_size(sentence, (tag.start or 0) - sent_start, self._is_plural)
                roles = max(len(roles_in[sentence]), listed)
                kind = doc.user_data.get(KIND_KEY)
                if self._is_about(tag, in_title, sentence, roles, kind):
                    tags.occupations.append(tag)
                elif roles >= 2 and kind != "vacancy" and TARGET_CUES.search(sentence):
                    audience.append(tag)
        titled = [t for t in tags.occupations if t.concept in in_title or t.rule == "fuzzy:title"]
        if titled:
            # The title names what the text is about; other roles are colleagues or contacts.
            tags.occupations = titled
        family: list[Tag] = []
        employer = None
        if doc.user_data.get(KIND_KEY) == "vacancy":
            family_employer = None
            if not titled:
                family, family_employer = self._title_family(title)
            # Schools employ teachers whatever they teach: "Docent Zorg en Welzijn" is Q.
            teaching = [
                j.isco for j in tags.occupations if (j.isco or "").startswith(TEACHING_ISCO)
            ]
            employer = (self._isco_section(teaching[0]) if teaching else None) or family_employer
        jobs = [*tags.occupations, *family]
        tags.sectors = self._sectors(
            [replace(t, mentions=counts[k]) for k, t in best.items() if k[0] == "sector"],
            jobs,
            tags.skills,
            category,
            len(title),
            audience,
            employer,
        )
        return tags

    def _is_plural(self, word: str) -> bool:
        """A plural noun: its lemma is another word ("artsen" -> arts); an infinitive is its
        own lemma ("verbinden")."""
        return word.isalpha() and self._lemma_of(word) != word

    @cached_property
    def _lemma_of(self) -> Callable[[str], str]:
        return self.nlp.get_pipe("llo_lemmatizer").lemma_of

    def _isco_section(self, isco: str) -> str | None:
        """The SBI section of an ISCO group: its 4-digit row, else its 2-digit one."""
        return self.isco_sector.get(isco) or self.isco_sector.get(isco[:2])

    def _title_family(self, title: str) -> tuple[list[Tag], str | None]:
        """The job family a vacancy title's first word names when it names no occupation,
        and its employer's section: "Docent Zorg en Welzijn" is teaching (ISCO 23) at a
        school (Q)."""
        head = re.match(r"\s*(\w+)", title)
        family = self.title_families.get(head.group(1).casefold()) if head else None
        if not head or not family:
            return [], None
        isco, employer = family
        start, end = head.span(1)
        tag = Tag("occupation", "", "", 1.0, start, end, head.group(1), "title-family", isco)
        return [tag], employer or None

    def _is_soft_skill_course(
        self, best: dict[tuple[str, str], Tag], in_title: set[str], kind: str | None
    ) -> bool:
        """A course whose subject is soft skills: its title names one, or most of the
        skills it names are soft ones. Its soft skills are what it teaches, not
        boilerplate; a vacancy's soft skills stay boilerplate unless repeated."""
        if kind == "vacancy":
            return False
        skills = [c for k, c in best if k == "skill"]
        soft = [c for c in skills if c in self.soft_skills]
        if any(c in in_title for c in soft):
            return True
        return len(soft) >= self.config.soft_course_min_skills and len(
            soft
        ) >= self.config.soft_course_share * len(skills)

    @staticmethod
    def _is_about(
        tag: Tag, in_title: set[str], sentence: str, roles: int, kind: str | None
    ) -> bool:
        """An occupation the text is about: in the title, repeated, or (in a course) named as
        audience or job. A vacancy's job is in its title or repeated; a role named once in
        its text is a colleague, a client contact or the recruiter. An audience of several
        roles ("voor controllers, beleidsmedewerkers en analisten") is broad: no role the
        course is specific to."""
        if tag.concept in in_title or tag.rule == "fuzzy:title" or tag.mentions >= 2:
            return True
        if kind == "vacancy" or roles >= 2:
            return False
        return bool(TARGET_CUES.search(sentence))

    @staticmethod
    def _salience(tag: Tag, in_title: set[str], repeated: float, once: float) -> Tag:
        """Full weight when the title names the concept; less when only the text does."""
        if tag.rule == "fuzzy:title" or tag.concept in in_title:
            return tag
        factor = repeated if tag.mentions >= 2 else once
        return replace(tag, score=round(tag.score * factor, 3))

    def _category_sector(self, category: str) -> str | None:
        """The sector a provider's category names: a sector term as a whole, else the first
        sector word the pipeline finds in it ("Zorg & welzijn"), else its first occupation's
        ("Sociaal werker"). Categories repeat, so each is tagged once."""
        text = category.replace("&", " en ")
        # Keyed on the text tagged as a whole: "Overig (ICT)" is not "Overig (horeca)".
        key = " ".join(text.split()).casefold()
        if key in self._category_cache:
            return self._category_cache[key]
        found = self.sector_terms.get(clean_label(category)) or self.sector_terms.get(
            clean_label(text)
        )
        if not found:
            doc = self.nlp(text)  # kept: its spans die with it
            spans = sorted(doc.spans[TAGS_KEY], key=lambda span: span.start)
            sectors = [span.id_ for span in spans if span.label_ == SECTOR]
            isco = [self.occupation_isco.get(s.id_, "") for s in spans if s.label_ == OCCUPATION]
            by_job = [section for i in isco if (section := self._isco_section(i))]
            found = next(iter(sectors + by_job), None)
        self._category_cache[key] = found
        return found

    def _label(self, kind: str, concept: str) -> str:
        if kind == "skill":
            return self.skill_label.get(concept, "")
        if kind == "occupation":
            return self.occupation_label.get(concept, "")
        return self.section_label.get(concept.split(":")[0], "")

    def _fuzzy_title_occupation(self, title: str) -> Tag | None:
        words = clean_label(title).split()
        best: tuple[float, str, str] | None = None
        for size in (3, 2, 1):
            for i in range(len(words) - size + 1):
                phrase = " ".join(words[i : i + size])
                if len(phrase) < 6:
                    continue
                choices = self.occupation_buckets.get(phrase[:3], [])
                if not choices:
                    continue
                found = process.extractOne(
                    phrase,
                    [c[0] for c in choices],
                    scorer=fuzz.ratio,
                    processor=utils.default_process,
                    score_cutoff=self.config.fuzzy_title_cutoff,
                )
                if found and (best is None or found[1] > best[0]):
                    best = (found[1], choices[found[2]][1], phrase)
        if best is None:
            return None
        score, concept, phrase = best
        start = title.casefold().find(phrase)
        return Tag(
            kind="occupation",
            concept=concept,
            label=self.occupation_label.get(concept, ""),
            score=round(self.config.fuzzy_title_score * score / 100, 3),
            start=start if start >= 0 else None,
            end=start + len(phrase) if start >= 0 else None,
            evidence=phrase,
            rule="fuzzy:title",
            isco=self.occupation_isco.get(concept),
        )

    def _sectors(
        self,
        mentions: list[Tag],
        occupations: list[Tag],
        skills: list[Tag],
        category: str | None,
        title_length: int,
        audience: Sequence[Tag] = (),
        employer: str | None = None,
    ) -> list[Tag]:
        weight: dict[str, float] = defaultdict(float)
        evidence: dict[str, Tag] = {}
        divisions: dict[str, str] = {}
        by_job: set[str] = set()
        for tag in mentions:
            section, _, division = tag.concept.partition(":")
            # A sector word named once in passing is weak evidence; in the title it is not.
            strength = (
                2 if tag.start is not None and tag.start < title_length else min(tag.mentions, 2)
            )
            weight[section] += self.config.sector_term_weight * strength / 2
            evidence.setdefault(section, tag)
            if division:
                divisions.setdefault(section, division)
        if category:
            concept = self._category_sector(category)
            if concept:
                section, _, division = concept.partition(":")
                weight[section] += self.config.category_weight
                evidence.setdefault(
                    section, Tag("sector", section, "", 1.0, None, None, category, "category")
                )
                if division:
                    divisions.setdefault(section, division)
        jobs = [(occ, self.config.occupation_sector_weight) for occ in occupations]
        jobs += [(occ, self.config.audience_sector_weight) for occ in audience]
        for occ, occ_weight in jobs:
            section = self._isco_section(occ.isco or "")
            if section:
                by_job.add(section)
                weight[section] += occ_weight * occ.score
                evidence.setdefault(
                    section,
                    Tag(
                        "sector",
                        section,
                        "",
                        occ.score,
                        occ.start,
                        occ.end,
                        occ.evidence,
                        f"occupation:{occ.isco}",
                    ),
                )
        for skill in skills:
            section = self.skill_section.get(skill.concept)
            if section:
                weight[section] += self.config.skill_sector_weight * skill.score
                if section not in evidence:
                    evidence[section] = replace(skill, rule=f"skill:{skill.rule}")
        weight = {k: v for k, v in weight.items() if v >= self.config.min_sector_weight}
        if not weight:
            return []
        total = sum(weight.values())
        top = max(weight.values())
        # On equal weight the sector of the job itself goes first ("Docent elektrotechniek":
        # education before construction).
        ranked = sorted(
            weight.items(), key=lambda kv: (kv[0] != employer, -kv[1], kv[0] not in by_job, kv[0])
        )
        sectors = []
        for section, w in ranked[: self.config.max_sectors]:
            if w < self.config.sector_relative_weight * top and section != employer:
                break
            ev = evidence[section]
            sectors.append(
                Tag(
                    kind="sector",
                    concept=section,
                    label=self.section_label.get(section, ""),
                    score=round(w / total, 3),
                    start=ev.start,
                    end=ev.end,
                    evidence=ev.evidence,
                    rule=ev.rule
                    if ev.rule == "category" or ev.rule.startswith(("occupation", "skill"))
                    else f"text:{ev.rule}",
                    division=divisions.get(section),
                )
            )
        return sectors
