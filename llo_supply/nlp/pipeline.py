"""The spaCy pipeline: blank Dutch, lookup lemmas, span rulers on LOWER and LEMMA, then
the ``llo_resolver`` component (compounds, verb-object pairs, negation, overlaps).

Nothing is downloaded: ``spacy.blank("nl")`` plus spacy-lookups-data's Dutch lemma table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from llo_supply.nlp.terms import OCCUPATION, SECTOR, SKILL, SOURCE_SCORES, Term

LOWER_KEY, LEMMA_KEY, TAGS_KEY = "llo_lower", "llo_lemma", "llo_tags"
LEMMA_DISCOUNT = 0.95  # an inflected match is a little less certain than a literal one
COMPOUND_HEAD_SCORE = 0.75  # "wondzorgverpleegkundige" -> verpleegkundige
COMPOUND_MODIFIER_SCORE = 0.7  # "warmtepompinstallatie" -> warmtepomp
VERB_OBJECT_SCORE = 0.85  # "je installeert een warmtepomp" -> warmtepomp installeren
VERB_OBJECT_WINDOW = 6
MIN_COMPOUND_HEAD = 7  # shorter heads ("ijker", "consul") match inside everyday words
MIN_COMPOUND_MODIFIER = 6
MIN_COMPOUND_REST = 4  # the other part of the compound
NEGATIONS = frozenset({"geen", "zonder", "niet"})
# Verbs too light to tie a noun to a term across a sentence ("verantwoordelijkheid ... nemen").
LIGHT_VERBS = frozenset(
    [
        "brengen",
        "doen",
        "gaan",
        "geven",
        "hebben",
        "houden",
        "komen",
        "krijgen",
        "kunnen",
        "laten",
        "leggen",
        "maken",
        "nemen",
        "staan",
        "worden",
        "zetten",
        "zijn",
        "werken",
        "voeren",
        "zorgen",
    ]
)
# Heads after which a known first part names the skill: "warmtepomp|installatie".
MODIFIER_HEADS = (
    "installatie", "installaties", "systeem", "systemen", "techniek", "technieken", "beheer",
    "onderhoud", "montage", "ontwerp", "berekening", "berekeningen", "advies", "monteur",
    "monteurs", "technicus", "technici", "analyse", "analyses", "programmering",
)  # fmt: skip
# Sentence cues of a nice-to-have or an entry requirement: not what is taught or demanded.
SIDE_CUES = frozenset(
    [
        "pré",
        "pre",
        "pluspunt",
        "pluspunten",
        "voorkennis",
        "vooropleiding",
        "toelatingseis",
        "toelatingseisen",
        "instroomeis",
        "instroomeisen",
        "wens",
    ]
)
SIDE_DISCOUNT = 0.6
NEGATION_WINDOW = 3
_LINKERS = ("s", "en", "e", "")


@dataclass(frozen=True)
class Candidate:
    label: str
    concept: str
    start: int
    end: int
    score: float
    rule: str


def _encode(term: Term) -> str:
    return f"{term.concept}|{term.source}"


def _decode(span_id: str) -> tuple[str, str]:
    concept, _, source = span_id.rpartition("|")
    return concept, source


@Language.factory(
    "llo_resolver",
    default_config={"min_score": 0.0},
)
def make_resolver(nlp: Language, name: str, min_score: float) -> Resolver:
    return Resolver(nlp, min_score)


class Resolver:
    """Combine ruler matches with compound and verb-object rules into scored, non-overlapping
    tag spans (``doc.spans["llo_tags"]``, score in ``span.kb_id_``'s partner ``doc.user_data``)."""

    def __init__(self, nlp: Language, min_score: float) -> None:
        self.nlp = nlp
        self.min_score = min_score
        self.heads: dict[str, tuple[str, str, float]] = {}
        self.modifiers: dict[str, tuple[str, str, float]] = {}
        self.verb_object: dict[str, list[tuple[str, str, str, float]]] = {}

    def set_terms(self, terms: Iterable[Term], lemma_of: dict[str, str]) -> None:
        """Index one-word terms (for compounds) and noun+verb terms (for free word order)."""
        for term in terms:
            words = term.text.split()
            trusted = term.source in ("curated", "label_nl", "alt_nl")
            if len(words) == 1 and trusted:
                # Alternative labels are too loose as compound heads ("huis|meester").
                if len(term.text) >= MIN_COMPOUND_HEAD and term.source != "alt_nl":
                    self.heads.setdefault(term.text, (term.label, term.concept, term.score))
                if term.label == SKILL and len(term.text) >= MIN_COMPOUND_MODIFIER:
                    self.modifiers.setdefault(term.text, (term.label, term.concept, term.score))
            elif len(words) == 2 and trusted:
                noun, verb = words
                if verb.endswith("en") and not noun.endswith("en") and verb not in LIGHT_VERBS:
                    self.verb_object.setdefault(lemma_of.get(noun, noun), []).append(
                        (lemma_of.get(verb, verb), term.label, term.concept, term.score)
                    )

    def __call__(self, doc: Doc) -> Doc:
        candidates = self._ruler_candidates(doc)
        covered = {i for c in candidates for i in range(c.start, c.end)}
        candidates += self._compound_candidates(doc, covered)
        candidates += self._verb_object_candidates(doc)
        candidates = [self._side_discount(doc, c) for c in candidates]
        kept = [c for c in candidates if c.score >= self.min_score and not self._negated(doc, c)]
        spans = []
        scores = []
        for chosen in resolve_overlaps(kept):
            spans.append(
                Span(doc, chosen.start, chosen.end, label=chosen.label, span_id=chosen.concept)
            )
            scores.append((chosen.score, chosen.rule))
        doc.spans[TAGS_KEY] = spans
        doc.user_data[TAGS_KEY] = scores
        return doc

    def _ruler_candidates(self, doc: Doc) -> list[Candidate]:
        found = []
        for key, discount, rule in (
            (LOWER_KEY, 1.0, "exact"),
            (LEMMA_KEY, LEMMA_DISCOUNT, "lemma"),
        ):
            for span in doc.spans.get(key, []):
                concept, source = _decode(span.id_)
                score = SOURCE_SCORES[source] * discount
                found.append(
                    Candidate(span.label_, concept, span.start, span.end, score, f"{rule}:{source}")
                )
        return found

    def _compound_candidates(self, doc: Doc, covered: set[int]) -> list[Candidate]:
        """Dutch writes compounds as one word: match a known head ("wondzorg|verpleegkundige")
        or, for skills, a known first part ("warmtepomp|installatie")."""
        found = []
        for token in doc:
            word = token.lower_
            if (
                token.i in covered
                or not token.is_alpha
                or len(word) < MIN_COMPOUND_HEAD + MIN_COMPOUND_REST
            ):
                continue
            head = self._head(word)
            if head:
                label, concept, score = head
                found.append(
                    Candidate(
                        label,
                        concept,
                        token.i,
                        token.i + 1,
                        score * COMPOUND_HEAD_SCORE,
                        "compound:head",
                    )
                )
                continue
            modifier = self._modifier(word)
            if modifier:
                label, concept, score = modifier
                found.append(
                    Candidate(
                        label,
                        concept,
                        token.i,
                        token.i + 1,
                        score * COMPOUND_MODIFIER_SCORE,
                        "compound:modifier",
                    )
                )
        return found

    def _head(self, word: str) -> tuple[str, str, float] | None:
        forms = [word]
        if word.endswith("en"):
            forms.append(word[:-2])  # plural: "verpleegkundigen" -> "verpleegkundige(n)"
            forms.append(word[:-1])
        elif word.endswith("s"):
            forms.append(word[:-1])
        for form in forms:
            for cut in range(MIN_COMPOUND_REST, len(form) - MIN_COMPOUND_HEAD + 1):
                head = self.heads.get(form[cut:])
                if head:
                    return head
        return None

    def _modifier(self, word: str) -> tuple[str, str, float] | None:
        for head in MODIFIER_HEADS:
            if not word.endswith(head) or len(word) - len(head) < MIN_COMPOUND_MODIFIER:
                continue
            left = word[: -len(head)]
            for linker in _LINKERS:
                stem = left[: len(left) - len(linker)] if linker else left
                if (not linker or left.endswith(linker)) and stem in self.modifiers:
                    return self.modifiers[stem]
        return None

    def _verb_object_candidates(self, doc: Doc) -> list[Candidate]:
        found = []
        for token in doc:
            entries = self.verb_object.get(token.lemma_)
            if not entries:
                continue
            sent = token.sent if doc.has_annotation("SENT_START") else doc[:]
            lo = max(sent.start, token.i - VERB_OBJECT_WINDOW)
            hi = min(sent.end, token.i + VERB_OBJECT_WINDOW + 1)
            for verb, label, concept, score in entries:
                for other in doc[lo:hi]:
                    if other.lemma_ == verb:
                        start, end = min(token.i, other.i), max(token.i, other.i) + 1
                        found.append(
                            Candidate(
                                label, concept, start, end, score * VERB_OBJECT_SCORE, "verb-object"
                            )
                        )
                        break
        return found

    @staticmethod
    def _side_discount(doc: Doc, candidate: Candidate) -> Candidate:
        """A skill in a sentence about prerequisites or nice-to-haves counts less."""
        if candidate.label != SKILL:
            return candidate
        sent = doc[candidate.start].sent if doc.has_annotation("SENT_START") else doc[:]
        if any(t.lower_ in SIDE_CUES for t in sent):
            return replace(
                candidate, score=candidate.score * SIDE_DISCOUNT, rule=candidate.rule + "+side"
            )
        return candidate

    @staticmethod
    def _negated(doc: Doc, candidate: Candidate) -> bool:
        before = doc[max(0, candidate.start - NEGATION_WINDOW) : candidate.start]
        return any(t.lower_ in NEGATIONS for t in before)


def resolve_overlaps(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Per label, longest then best-scored span wins; labels may overlap each other."""
    chosen: list[Candidate] = []
    for label in (SKILL, OCCUPATION, SECTOR):
        taken: set[int] = set()
        ranked = sorted(
            (c for c in candidates if c.label == label),
            key=lambda c: (-(c.end - c.start), -c.score, c.start, c.concept),
        )
        for cand in ranked:
            tokens = set(range(cand.start, cand.end))
            if tokens & taken:
                continue
            taken |= tokens
            chosen.append(cand)
    return sorted(chosen, key=lambda c: (c.start, c.label, c.concept))


@Language.factory("llo_phrases")
def make_phrases(nlp: Language, name: str) -> PhraseIndex:
    return PhraseIndex(nlp)


class PhraseIndex:
    """Phrase matching on LOWER and LEMMA by n-gram lookup.

    A ``span_ruler`` with 50,000 patterns takes ~40 s to build (each pattern becomes a Doc,
    twice); hashing token tuples builds in ~3 s and matches as fast on 300-word texts.
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.lower: dict[tuple[str, ...], str] = {}
        self.lemma: dict[tuple[str, ...], str] = {}
        self.first_lower: set[str] = set()
        self.first_lemma: set[str] = set()
        self.longest = 1

    def set_terms(self, terms: Sequence[Term], lemma_of: dict[str, str]) -> None:
        for term, doc in zip(terms, self.nlp.tokenizer.pipe(t.text for t in terms), strict=True):
            words = tuple(t.lower_ for t in doc)
            lemmas = tuple(lemma_of.get(w, w) for w in words)
            self.lower.setdefault(words, _encode(term) + f"|{term.label}")
            self.first_lower.add(words[0])
            if not _changes_word_class(words, lemmas):
                self.lemma.setdefault(lemmas, _encode(term) + f"|{term.label}")
                self.first_lemma.add(lemmas[0])
            self.longest = max(self.longest, len(words))

    def __call__(self, doc: Doc) -> Doc:
        doc.spans[LOWER_KEY] = self._match(
            doc, [t.lower_ for t in doc], self.lower, self.first_lower
        )
        doc.spans[LEMMA_KEY] = self._match(
            doc, [t.lemma_ for t in doc], self.lemma, self.first_lemma
        )
        return doc

    def _match(self, doc: Doc, keys: list[str], index: dict, first: set[str]) -> list[Span]:
        spans = []
        n = len(keys)
        for i, key in enumerate(keys):
            if key not in first:
                continue
            for size in range(1, min(self.longest, n - i) + 1):
                found = index.get(tuple(keys[i : i + size]))
                if found:
                    encoded, _, label = found.rpartition("|")
                    spans.append(Span(doc, i, i + size, label=label, span_id=encoded))
        return spans


def _changes_word_class(words: tuple[str, ...], lemmas: tuple[str, ...]) -> bool:
    """True when lemmatising turns a noun or adjective into a verb ("helpende" -> "helpen"):
    such a lemma pattern would match every form of the verb."""
    return any(
        lemma != word and lemma.endswith("en") and not word.endswith("en")
        for word, lemma in zip(words, lemmas, strict=True)
    )


def build_pipeline(terms: Sequence[Term]) -> Language:
    """A Dutch pipeline whose phrase index and resolver know ``terms``."""
    nlp = spacy.blank("nl")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    lookup = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    lemma_of = {w: lookup.get(w, w) for t in terms for w in t.text.split()}
    nlp.add_pipe("llo_phrases").set_terms(terms, lemma_of)
    nlp.add_pipe("llo_resolver").set_terms(terms, lemma_of)
    return nlp
