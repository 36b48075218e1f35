"""The spaCy pipeline: blank Dutch, lookup lemmas, phrase matching on LOWER and LEMMA, then
the ``llo_resolver`` component (compounds, verb-object pairs, negation, overlaps).

Nothing is downloaded: ``spacy.blank("nl")`` plus spacy-lookups-data's Dutch lemma table.
The components work on attribute arrays (``doc.to_array``), not Python Token objects:
creating a Token per word cost more than everything else together.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy
import spacy
from spacy.attrs import IS_ALPHA, IS_SPACE, LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.tokens import Doc, Span

from llo_supply.nlp.terms import DUTCH_SOURCES, OCCUPATION, SECTOR, SKILL, SOURCE_SCORES, Term

TAGS_KEY = "llo_tags"
KIND_KEY = "llo_kind"  # "course" or "vacancy": what a requirement sentence means differs
MATCHES_KEY = "llo_matches"
SENTS_KEY = "llo_sents"
LEMMA_DISCOUNT = 0.95  # an inflected match is a little less certain than a literal one
COMPOUND_HEAD_SCORE = 0.75  # "wondzorgverpleegkundige" -> verpleegkundige
COMPOUND_MODIFIER_SCORE = 0.7  # "warmtepompinstallatie" -> warmtepomp
VERB_OBJECT_SCORE = 0.85  # "je installeert een warmtepomp" -> warmtepomp installeren
VERB_OBJECT_WINDOW = 6
ADJECTIVE_ENDINGS = (
    "lijke", "ische", "ieke", "ele", "ële", "ige", "ieve", "bare", "ende", "achtige",
)  # fmt: skip
COORDINATION_SCORE = 0.9  # "Duitse en Franse taal" -> Duitse taal
COORDINATORS = ("en", "of", "&")
MAX_COORDINATED_WORDS = 4  # words shared after the last conjunct ("... en Franse taal")
MIN_ELIDED_PART = 4  # "verwarmings- en koeltechniek": the shared part, here "techniek"
LIGHT_VERB_WINDOW = 2
MIN_COMPOUND_HEAD = 7  # shorter heads ("ijker", "consul") match inside everyday words
MIN_COMPOUND_MODIFIER = 6
MIN_COMPOUND_REST = 4  # the other part of the compound
NEGATING_PREFIXES = ("niet", "non", "anti")
# Sector words too broad to pass their sector on to a compound: "vraag|technieken" is no
# industry, "afstands|onderwijs" a way of teaching, "reis|industrie" not manufacturing.
BROAD_SECTOR_HEADS = frozenset(
    ["techniek", "technieken", "industrie", "onderwijs", "sector", "branche", "bedrijven"]
)
NEGATIONS = ("geen", "zonder", "niet")
NEGATION_WINDOW = 3
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
        "ontvangen",
        "staan",
        "worden",
        "zetten",
        "zijn",
        "werken",
        "voeren",
        "zorgen",
    ]
)
# Particles of separable verbs: "je stelt een begroting op" is "begroting opstellen".
SEPARABLE_PARTICLES = (
    "aan",
    "af",
    "bij",
    "door",
    "in",
    "los",
    "mee",
    "na",
    "neer",
    "om",
    "op",
    "over",
    "rond",
    "samen",
    "terug",
    "toe",
    "uit",
    "vast",
    "voor",
    "weg",
)
MIN_SEPARABLE_BASE = 5  # "af|nemen"; shorter bases ("in|en", "toe|zien") are no regular verbs
SEPARABLE_WINDOW = 12  # verb to particle: the object and its modifiers sit in between
MIN_LEMMA_PART = 4  # "gids" in "reisgids"; shorter last parts match by accident
MAX_LEMMA_WORD = 40  # longer "words" are scraping debris: no parts looked up
NOT_PLURAL_S = ("ens", "fs", "ts", "ks", "iets", "soms", "anders", "steeds")
NOMINAL_ADJECTIVE_PLURALS = ("igen", "lijken", "ischen")
SURE_LEMMA_PART = 6  # "fouten" in "lasfouten" needs no check of its first part
MAX_OBJECT_WORDS = 3  # "persoonlijk leerplan opstellen": up to two words before the noun
ARTICLES = frozenset(["de", "het", "een"])
# A term with these before its noun is no object and verb ("controle van installaties").
FUNCTION_WORDS = frozenset(
    ["van", "voor", "in", "op", "met", "aan", "bij", "binnen", "naar", "over", "uit", "en", "of"]
)
# A task in the passive voice is done to or for the learner, not by them.
PASSIVE_AUXILIARIES = ("word", "wordt", "worden", "werd", "werden")
SUBJECTS = ("je", "jij", "ik", "u", "we", "wij", "ze", "zij", "hij")
# After a particle, a preposition opens a phrase moved past it ("je lost storingen op aan ...").
PREPOSITIONS = (
    "aan",
    "bij",
    "door",
    "in",
    "met",
    "na",
    "naar",
    "op",
    "over",
    "tijdens",
    "tot",
    "van",
    "voor",
)
CLAUSE_WORDS = ("en", "of", "maar", "want", "om", "zodat", "dat", "die", "waarbij", "als")
# Heads after which a known first part names the skill: "warmtepomp|installatie".
MODIFIER_HEADS = (
    "installatie", "installaties", "systeem", "systemen", "techniek", "technieken", "beheer",
    "onderhoud", "montage", "ontwerp", "berekening", "berekeningen", "advies", "monteur",
    "monteurs", "technicus", "technici", "analyse", "analyses", "programmering",
)  # fmt: skip
# Sentence cues of a nice-to-have, an entry requirement or an SEO keyword list: not what is
# taught or demanded.
SIDE_CUES = (
    "pré", "pre", "pluspunt", "pluspunten", "voorkennis", "vooropleiding", "toelatingseis",
    "toelatingseisen", "instroomeis", "instroomeisen", "wens",
    # Keyword blocks for search engines list words, not requirements.
    "trefwoorden", "zoekwoorden", "keywords", "tags",
    # A finished degree names its field, not a skill: "een afgeronde hbo-opleiding HRM". (A
    # level, "hbo-denkniveau", shares its sentence with real requirements too often.)
    "afgeronde", "hbo-opleiding", "mbo-opleiding", "wo-opleiding", "hbo-diploma",
    "mbo-diploma",
)  # fmt: skip
# In a course text a requirement is an entry requirement, not what is taught: "de cursist
# moet de Nederlandse taal machtig zijn", "in het bezit van rijbewijs C". In a vacancy the
# same sentence is demand.
COURSE_REQUIREMENT_CUES = (
    "machtig", "vereist", "vereiste", "vereisten", "ingangseis", "ingangseisen",
    "deelnamevoorwaarden", "voorwaarde",
)  # fmt: skip
SIDE_DISCOUNT = 0.6
# Words that mark a sentence as price, terms of employment, application procedure or
# company profile: skills named there are neither taught nor demanded ("€ 495 excl. btw",
# "een goede pensioenregeling", "acquisitie wordt niet op prijs gesteld"). Only words that
# say nothing else: "kosten", "bruto" or "cv" (central heating) also name course content.
OFF_TOPIC_CUES = (
    "€", "salarisindicatie", "pensioenregeling", "vakantiegeld", "vakantiedagen",
    "verlofdagen", "eindejaarsuitkering", "reiskostenvergoeding", "leaseauto",
    "arbeidsvoorwaarden", "thuiswerkvergoeding", "acquisitie", "sollicitatie",
    "sollicitatieprocedure", "solliciteren", "solliciteer", "sollicitatiebrief",
    "motivatiebrief", "contactpersoon", "accreditatie", "accreditatiepunten",
    "geaccrediteerd", "studiebelasting", "startdata", "startdatum",
    "annuleringsvoorwaarden", "legitimatiebewijs", "identiteitsbewijs",
    # "Je wordt goed ingewerkt" is an offer; "inwerken" itself stays a skill.
    "ingewerkt", "inwerkperiode", "inwerkprogramma",
)  # fmt: skip
# A field line "Prijs: ...", "Kosten: ..." is price, whatever follows; "Taal: Nederlands"
# is the language the course is given in; "Zie ook: ..." lists other courses.
OFF_TOPIC_FIELDS = (
    "prijs", "prijzen", "kosten", "investering", "tarief", "tarieven", "salaris", "cao",
    "taal", "voertaal", "lestaal", "gerelateerde", "vergelijkbare",
)  # fmt: skip
# Whole field names for other courses: "Ook interessant: ...", "Zie ook: ...".
RELATED_FIELDS = ("ook interessant", "zie ook", "bekijk ook", "combineer met", "lees ook")
MAX_FIELD_WORDS = 3  # "Ook interessant: ..."; a longer stretch before a colon is a sentence
# A heading with one of these opens a section of that kind, up to the next heading:
# "Wat bieden wij?", "Arbeidsvoorwaarden", "Ervaringen", "Gerelateerde trainingen".
OFF_TOPIC_HEADINGS = (
    "bieden", "biedt", "arbeidsvoorwaarden", "voorwaarden", "salaris", "prijs", "kosten",
    "investering", "procedure", "sollicitatie", "solliciteren", "sollicitatieprocedure",
    # What others say, and other courses for sale.
    "ervaringen", "reviews", "referenties", "testimonials", "klantervaringen",
    "gerelateerde", "vergelijkbare", "interessant", "combineer",
)  # fmt: skip
# Words that open a section only as the whole heading: "Interesse?", "Contact".
OFF_TOPIC_WHOLE_HEADINGS = ("interesse", "contact", "contactgegevens", "contactinformatie")
# "Over ons", "Over de organisatie": the employer or provider, not the job or course
# ("Over deze training" is the course).
ABOUT_HEADING = "over"
ABOUT_WORDS = ("ons", "onze", "organisatie", "bedrijf", "werkgever", "opdrachtgever")
# A short line with one of these heads what is taught or demanded, and closes a section:
# "Functie-eisen", "Wat ga je doen", "Inhoud", "Programma".
CONTENT_HEADINGS = (
    "functie", "functie-eisen", "eisen", "profiel", "vragen", "vraag", "taken", "doen",
    "leer", "leren", "inhoud", "programma", "onderwerpen", "leerdoelen", "verantwoordelijkheden",
)  # fmt: skip
MAX_HEADING_WORDS = 6
SHORT_HEADING_WORDS = 3  # "Arbeidsvoorwaarden" alone on a line heads a section
HEADING, SHORT_LINE = "heading", "short line"
BULLETS = ("-", "–", "•", "·", "+", ">", "○", "▪")
# Verbs with which an employer says what it wants: "Wij zoeken", "Wij vragen", "verwachten".
DEMAND_VERBS = (
    "zoeken", "zoek", "zoekt", "vragen", "vraag", "vraagt", "verwachten", "verwacht",
    "wensen", "willen", "nodig",
)  # fmt: skip
# A "> ..." line is a quoted testimonial when it is prose in the first person.
FIRST_PERSON = ("ik", "mij", "mijn", "we", "wij", "ons", "onze")
SENTENCE_ENDS = (".", "!", "?", ";")
# A full stop after these is part of an abbreviation, not a sentence end ("excl. btw");
# the tokenizer keeps most other abbreviations ("bijv.", "o.a.") as one token already.
ABBREVIATIONS = ("excl", "incl")
_LINKERS = ("s", "en", "e", "")


def verb_stems(infinitive: str) -> set[str]:
    """The first-person stem of a Dutch verb ("stellen" -> "stel", "maken" -> "maak");
    both spellings where a final -el/-en/-er/-em syllable may be unstressed ("tekenen")."""
    if not infinitive.endswith("en") or len(infinitive) < 5:
        return set()  # "zien", "gaan": irregular
    base = infinitive[:-2]
    if base[-1] == base[-2] and base[-1] not in "aeiou":
        stems = {base[:-1]}  # stellen -> stel, zetten -> zet
    elif (
        len(base) >= 3
        and base[-1] not in "aeiouy"
        and base[-2] in "aeou"
        and base[-3] not in "aeiouy"
    ):
        stems = {base[:-1] + base[-2] + base[-1]}  # maken -> maak, beoordelen -> beoordeel
        earlier_vowel = any(c in "aeiouy" for c in base[:-3])
        if base[-2] == "e" and base[-1] in "lnrm" and earlier_vowel:
            stems.add(base)  # tekenen -> teken, wandelen -> wandel
    else:
        stems = {base}
    return {stem[:-1] + {"v": "f", "z": "s"}.get(stem[-1], stem[-1]) for stem in stems}


def verb_forms(infinitive: str) -> set[str]:
    """Present and regular past forms of a Dutch verb, stem aside; spaCy's lookup table
    lacks many ("stelt", "bouwt", "houdt")."""
    forms = set()
    for stem in verb_stems(infinitive):
        voiced = infinitive[-3] in "vz"
        forms.add(stem if stem.endswith("t") else stem + "t")
        past = "d" if voiced or stem[-1] not in "tkfschpx" else "t"
        forms.update((stem + past + "e", stem + past + "en"))
    return forms


@dataclass(frozen=True)
class Candidate:
    label: str
    concept: str
    start: int
    end: int
    score: float
    rule: str
    claims: tuple[int, ...] = ()  # the words it stands for, where not all of start..end
    verb: int = -1  # a verb-object pair: where its verb stands


# ---------------------------------------------------------------- lemmas


@Language.factory("llo_lemmatizer")
def make_lemmatizer(nlp: Language, name: str) -> LookupLemmatizer:
    return LookupLemmatizer(nlp)


class LookupLemmatizer:
    """spaCy's Dutch lookup lemmatizer (lemma = table[lower]), cached per word and written
    as one array: the same lemmas at a twentieth of the cost. A word the table lacks is
    lemmatised by its parts: "btw-aangiften" as "aangiften", "lasfouten" as "fouten", and
    a plural in -s, -en or -n whose singular is known ("ketels", "motoren",
    "verpleegkundigen")."""

    def __init__(self, nlp: Language) -> None:
        self.strings = nlp.vocab.strings
        self.table = load_lookups("nl", ["lemma_lookup"]).get_table("lemma_lookup")
        self.known = set(self.table.values())
        self.words: dict[str, str] = {}
        self.cache: dict[int, int] = {}

    def lemma_of(self, word: str) -> str:
        found = self.words.get(word)
        if found is None:
            found = self.words[word] = self._lemma(word)
        return found

    def _lemma(self, word: str) -> str:
        table = self.table
        if word in table:
            return table[word]
        if word in self.known:
            return word  # a lemma itself ("programmeur")
        if "-" in word:
            head, _, last = word.rpartition("-")
            return f"{head}-{self.lemma_of(last)}" if last else word
        if not word.isalpha() or not MIN_LEMMA_PART < len(word) <= MAX_LEMMA_WORD:
            return word
        # The -s of an adverb is no plural, nor its word a compound ("zelfs", "tijdens").
        if word.endswith(NOT_PLURAL_S):
            return word
        if word.endswith("s") and word[:-1] in self.known:
            return word[:-1]
        # A plural in -en of a known singular the table lacks ("mensen", "motoren", "artsen").
        if word.endswith("en") and len(word) - 2 >= MIN_LEMMA_PART and word[:-2] in self.known:
            return word[:-2]
        # A noun made of an adjective or participle takes -n in the plural: "verpleegkundigen",
        # "leidinggevenden" are lemmatised as their singular ("alleen", "zonen" are no such).
        if word.endswith(NOMINAL_ADJECTIVE_PLURALS) or word.endswith("enden"):
            singular = word[:-1]
            lemma = self.lemma_of(singular)
            # Only a singular the table knows or lemmatises: "vrachtvoertuige" is no word.
            if singular in table or singular in self.known or lemma != singular:
                return lemma
        # The longest inflected last part the table knows, if long or after a known first
        # part (with or without a linking s): "werk|stukken" -> werkstuk, not "steigerb|ouwer".
        for cut in range(MIN_LEMMA_PART - 1, len(word) - MIN_LEMMA_PART + 1):
            part, first = word[cut:], word[:cut]
            if (
                part in table
                and table[part] != part
                and (len(part) >= SURE_LEMMA_PART or self._is_word(first))
            ):
                return first + table[part]
        return word

    def _is_word(self, first: str) -> bool:
        return any(
            w in self.table or w in self.known
            for w in (first, first[:-1] if first.endswith("s") else "")
            if w
        )

    def __call__(self, doc: Doc) -> Doc:
        lower = doc.to_array(LOWER).tolist()
        cache = self.cache
        lemmas = []
        for key in lower:
            found = cache.get(key)
            if found is None:
                found = cache[key] = self.strings.add(self.lemma_of(self.strings[key]))
            lemmas.append(found)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        return doc


# ---------------------------------------------------------------- phrase matching


def _encode(term: Term) -> tuple[str, str, str]:
    return term.label, term.concept, term.source


@Language.factory("llo_phrases")
def make_phrases(nlp: Language, name: str) -> PhraseIndex:
    return PhraseIndex(nlp)


class PhraseIndex:
    """Phrase matching on LOWER and LEMMA by n-gram lookup of hash tuples.

    A ``span_ruler`` with 50,000 patterns takes ~40 s to build (each pattern becomes a Doc,
    twice); hashing token tuples builds in ~3 s and matches faster on 300-word texts.
    Matches go to ``doc.user_data["llo_matches"]`` as (start, end, label, concept, rule).
    """

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        # Per match attribute: a trie of token hashes; TERMINAL holds, per kind, the term
        # that ends at a node.
        self.tries: list[tuple[str, float, dict]] = []
        strings = nlp.vocab.strings
        self.coordinators = {strings.add(w) for w in COORDINATORS}
        self.comma = strings.add(",")
        self.lemma_of: Callable[[str], str] = lambda word: word

    def set_terms(self, terms: Sequence[Term], lemma_of: Callable[[str], str]) -> None:
        strings = self.nlp.vocab.strings
        lower: dict = {}
        lemma: dict = {}
        # A throwaway tokenizer: 50,000 patterns through the pipeline's own tokenizer leave its
        # cache in a state that makes every later text ten times slower to tokenise.
        tokenizer = blank_dutch().tokenizer
        for term, doc in zip(terms, tokenizer.pipe(t.text for t in terms), strict=True):
            words = [t.lower_ for t in doc]
            lemmas = [lemma_of(w) for w in words]
            _insert(lower, [strings.add(w) for w in words], _encode(term))
            if not _changes_word_class(words, lemmas):
                _insert(lemma, [strings.add(w) for w in lemmas], _encode(term))
        self.tries = [("exact", 1.0, lower), ("lemma", LEMMA_DISCOUNT, lemma)]
        self.lemma_of = lemma_of

    def __call__(self, doc: Doc) -> Doc:
        arrays = doc.to_array([LOWER, LEMMA]).T.tolist() if len(doc) else [[], []]
        matches = []
        for (rule, discount, trie), keys in zip(self.tries, arrays, strict=True):
            n = len(keys)
            for i, key in enumerate(keys):
                node = trie.get(key)
                j = i + 1
                while node is not None:
                    for label, concept, source in node.get(TERMINAL, {}).values():
                        score = SOURCE_SCORES[source] * discount
                        matches.append(Candidate(label, concept, i, j, score, f"{rule}:{source}"))
                    if j >= n:
                        break
                    node = node.get(keys[j])
                    j += 1
        matches += self._coordinated(arrays)
        doc.user_data[MATCHES_KEY] = matches
        return doc

    def _coordinated(self, arrays: list[list[int]]) -> list[Candidate]:
        """Conjuncts that share their last words: "Duitse en Franse taal" names Duitse
        taal too, "verwarmings- en koeltechniek" names verwarmingstechniek.
        The span runs from the first conjunct to the shared words, tagged "coordination"."""
        found: list[Candidate] = []
        lower = arrays[0]
        n = len(lower)
        coordinators = self.coordinators
        for k in [k for k, key in enumerate(lower) if key in coordinators]:
            if 0 < k < n - 1:
                for first in self._conjuncts(lower, k):
                    found += self._shared_words(arrays, first, k)
        return found

    def _conjuncts(self, lower: list[int], k: int) -> list[int]:
        """Positions of the conjuncts before coordinator ``k``: "A, B en" -> [A, B]."""
        strings = self.nlp.vocab.strings
        found, i = [k - 1], k - 2
        while i >= 1 and lower[i] == self.comma:
            found.append(i - 1)
            i -= 2
        return [i for i in found if strings[lower[i]].isalpha() or strings[lower[i]].endswith("-")]

    def _shared_words(self, arrays: list[list[int]], first: int, k: int) -> list[Candidate]:
        strings = self.nlp.vocab.strings
        text = strings[arrays[0][first]]
        found = []
        if text.endswith("-") and text[:-1].isalpha():
            # A truncated compound: the elided part is the end of the last conjunct.
            last = strings[arrays[0][k + 1]]
            stem = text[:-1]
            parts = [last.rsplit("-", 1)[1]] if "-" in last else []
            parts += [last[i:] for i in range(2, len(last) - MIN_ELIDED_PART + 1)]
            for part in parts:
                for word in (stem + part, f"{stem}-{part}"):
                    for rule, discount, trie in self.tries:
                        key = word if rule == "exact" else self.lemma_of(word)
                        # Hash without adding: made-up words must not grow the vocabulary.
                        terms = trie.get(strings[key], {}).get(TERMINAL, {})
                        for label, concept, source in terms.values():
                            score = SOURCE_SCORES[source] * discount * COORDINATION_SCORE
                            found.append(
                                Candidate(label, concept, first, k + 2, score, "coordination")
                            )
                if found:
                    return found
            return found
        if not text.isalpha():
            return found
        # Adjectives sharing a head: the first conjunct plus the words after the last one.
        for (_rule, discount, trie), keys in zip(self.tries, arrays, strict=True):
            node = trie.get(keys[first])
            for m in range(1, MAX_COORDINATED_WORDS + 1):
                if node is None or k + 1 + m >= len(keys):
                    break
                node = node.get(keys[k + 1 + m])
                if node is None:
                    break
                for label, concept, source in node.get(TERMINAL, {}).values():
                    score = SOURCE_SCORES[source] * discount * COORDINATION_SCORE
                    found.append(Candidate(label, concept, first, k + 2 + m, score, "coordination"))
        return found


TERMINAL = -1  # never a string hash (those are unsigned)


def _insert(trie: dict, keys: list[int], value: tuple[str, str, str]) -> None:
    node = trie
    for key in keys:
        node = node.setdefault(key, {})
    # One term per kind: "bouwkunde" is a skill and a sector word at once.
    node.setdefault(TERMINAL, {}).setdefault(value[0], value)


# Lemmas that are also everyday words of another class: "goederen" -> "goed" (goods) would
# let "goederen opslaan" match "goed opslaan" (store well).
AMBIGUOUS_LEMMAS = frozenset(["goed"])


def _changes_word_class(words: tuple[str, ...], lemmas: tuple[str, ...]) -> bool:
    """True when lemmatising turns a noun or adjective into a verb ("helpende" -> "helpen")
    or into another everyday word ("goederen" -> "goed"): such a lemma pattern would match
    every form of that word."""
    return any(
        lemma != word
        and ((lemma.endswith("en") and not word.endswith("en")) or lemma in AMBIGUOUS_LEMMAS)
        for word, lemma in zip(words, lemmas, strict=True)
    )


# ---------------------------------------------------------------- resolving


@Language.factory("llo_resolver", default_config={"min_score": 0.0})
def make_resolver(nlp: Language, name: str, min_score: float) -> Resolver:
    return Resolver(nlp, min_score)


class Resolver:
    """Combine phrase matches with compound and verb-object rules into scored,
    non-overlapping tag spans: ``doc.spans["llo_tags"]``, with (score, rule) per span in
    ``doc.user_data["llo_tags"]``."""

    def __init__(self, nlp: Language, min_score: float) -> None:
        self.nlp = nlp
        self.min_score = min_score
        self.heads: dict[str, dict[str, tuple[str, str, float]]] = {}
        self.modifiers: dict[str, tuple[str, str, float]] = {}
        # Object noun -> (verb, label, concept, score, window, words the noun needs before it).
        self.verb_object: dict[
            int, list[tuple[int, str, str, float, int, tuple[frozenset[int], ...]]]
        ] = {}
        # Written form -> verb lemmas it may be, for verbs of verb-object terms only.
        self.verb_forms: dict[int, set[int]] = {}
        # Written form of a separable verb's base -> (particle, whole verb) pairs.
        self.separable: dict[int, list[tuple[int, int]]] = {}
        # A bare stem is a verb only before its subject ("stel je"): "werk", "bouw" are nouns.
        self.inverted_forms: dict[int, set[int]] = {}
        self.separable_inverted: dict[int, list[tuple[int, int]]] = {}
        self.compound_cache: dict[int, list[tuple[str, str, float, str]]] = {}
        self.hyphen_heads: dict[int, int] = {}
        self.lemma_of: Callable[[str], str] = lambda word: word
        self.known_lemmas: Container[str] = frozenset()
        strings = nlp.vocab.strings
        self.negations = {strings.add(w) for w in NEGATIONS}
        self.side_cues = {strings.add(w) for w in SIDE_CUES}
        self.course_side_cues = self.side_cues | {strings.add(w) for w in COURSE_REQUIREMENT_CUES}
        self.off_topic_cues = {strings.add(w) for w in OFF_TOPIC_CUES}
        self.off_topic_headings = {strings.add(w) for w in OFF_TOPIC_HEADINGS}
        self.off_topic_whole = {strings.add(w) for w in OFF_TOPIC_WHOLE_HEADINGS}
        self.off_topic_fields = {strings.add(w) for w in OFF_TOPIC_FIELDS}
        self.about_heading = strings.add(ABOUT_HEADING)
        self.about_words = {strings.add(w) for w in ABOUT_WORDS}
        self.content_headings = {strings.add(w) for w in CONTENT_HEADINGS}
        self.first_person = {strings.add(w) for w in FIRST_PERSON}
        self.company_voice = {strings.add(w) for w in ("wij", "we")}
        self.demand_verbs = {strings.add(w) for w in DEMAND_VERBS}
        self.colon = strings.add(":")
        self.knowledge = strings.add("kennis")
        self.of_words = {strings.add(w) for w in ("van", "over")}
        self.articles = {strings.add(w) for w in ARTICLES}
        self.full_stops = {strings.add(w) for w in (".", "!", "?")}
        # A heading may ask ("Wat bieden wij?"); a line ending in a full stop is a sentence.
        self.statement_ends = {strings.add(w) for w in (".", ";")}
        self.heading_ends = {strings.add(w) for w in (":", "?")}
        self.bullets = {strings.add(w) for w in BULLETS}
        self.star = strings.add("*")
        self.quote_mark = strings.add(">")
        self.heading_marks = {strings.add("#"), self.star}
        self.sentence_ends = {strings.add(w) for w in SENTENCE_ENDS}
        self.abbreviations = {strings.add(w) for w in ABBREVIATIONS}
        self.line_breaks: dict[int, bool] = {}
        self.not_negating = {strings.add(w) for w in ("alleen", "enkel", "zomaar", "uitsluitend")}
        self.coordinators = {strings.add(w) for w in COORDINATORS}
        self.comma = strings.add(",")

    def set_terms(
        self,
        terms: Iterable[Term],
        lemma_of: Callable[[str], str],
        known_lemmas: Container[str] = frozenset(),
    ) -> None:
        """Index one-word terms (for compounds) and noun+verb terms (for free word order);
        ``known_lemmas`` are the lemma table's words, which no generated verb form may be."""
        strings = self.nlp.vocab.strings
        self.lemma_of = lemma_of
        self.known_lemmas = known_lemmas
        for term in terms:
            words = term.text.split()
            trusted = term.source in DUTCH_SOURCES
            if len(words) == 1 and trusted:
                # Alternative labels are too loose as compound heads ("huis|meester"); so are
                # broad sector words, whose first part names another trade ("reis|industrie").
                if (
                    len(term.text) >= MIN_COMPOUND_HEAD
                    and term.source != "alt_nl"
                    and not (term.label == SECTOR and term.text in BROAD_SECTOR_HEADS)
                ):
                    kinds = self.heads.setdefault(term.text, {})
                    kinds.setdefault(term.label, (term.label, term.concept, term.score))
                if term.label == SKILL and len(term.text) >= MIN_COMPOUND_MODIFIER:
                    self.modifiers.setdefault(term.text, (term.label, term.concept, term.score))
            elif 2 <= len(words) <= MAX_OBJECT_WORDS + 1 and trusted:
                *before, noun, verb = words
                # "automatische procesbesturing toepassen": the noun's own words stay in front.
                before = [w for w in before if w not in ARTICLES]
                if any(w in FUNCTION_WORDS or w in ARTICLES for w in (*before, noun)):
                    continue
                # "logistieke keten", "gevaarlijke goederen": an inflected adjective before a
                # plural or an -en noun is a noun phrase, not an object and its verb.
                # An infinitive is its own lemma; a plural noun is not ("werkvormen").
                # A plural object is fine ("warmtepompen installeren": its lemma differs);
                # an -en word that is its own lemma may be a verb ("leren programmeren").
                if (
                    verb.endswith("en")
                    and lemma_of(verb) == verb
                    and (not noun.endswith("en") or lemma_of(noun) != noun)
                    and not noun.endswith(ADJECTIVE_ENDINGS)
                ):
                    # A light verb ties only to a noun right beside it ("het geven van feedback").
                    window = LIGHT_VERB_WINDOW if verb in LIGHT_VERBS else VERB_OBJECT_WINDOW
                    self.verb_object.setdefault(strings.add(lemma_of(noun)), []).append(
                        (
                            strings.add(lemma_of(verb)),
                            term.label,
                            term.concept,
                            term.score,
                            window,
                            tuple(self._modifier_forms(w, lemma_of) for w in before),
                        )
                    )
                    self._index_verb(lemma_of(verb))
        # Every written form the verb tables know, to pass other words by at one look.
        self.verb_words = (
            set(self.verb_forms)
            | set(self.separable)
            | set(self.inverted_forms)
            | set(self.separable_inverted)
        )
        self.particle_te = strings.add("te")
        self.clause_words = {strings.add(w) for w in CLAUSE_WORDS}
        self.subjects = {strings.add(w) for w in SUBJECTS}
        self.passive_aux = {strings.add(w) for w in PASSIVE_AUXILIARIES}
        self.after_particle = self.clause_words | {strings.add(w) for w in PREPOSITIONS}

    def _modifier_forms(self, word: str, lemma_of: Callable[[str], str]) -> frozenset[int]:
        """A noun's modifier as written in text: "automatische" or "automatisch"."""
        stem = word[:-1] if word.endswith("e") else word
        forms = {word, lemma_of(word), stem, stem + "e"}
        return frozenset(self.nlp.vocab.strings.add(f) for f in forms)

    def _other_word(self, form: str, verb: str) -> bool:
        """A generated form that the lemma table knows as another word: "lift" (from
        "liften"), "test", "beperkt"."""
        lemma = self.lemma_of(form)
        return lemma != verb and (lemma != form or form in self.known_lemmas)

    def _index_verb(self, verb: str) -> None:
        strings = self.nlp.vocab.strings
        key = strings.add(verb)
        for form in verb_forms(verb):
            if not self._other_word(form, verb):
                self.verb_forms.setdefault(strings.add(form), set()).add(key)
        for stem in verb_stems(verb):
            self.inverted_forms.setdefault(strings.add(stem), set()).add(key)
        particle = next((p for p in SEPARABLE_PARTICLES if verb.startswith(p)), None)
        base = verb[len(particle) :] if particle else ""
        if not particle or len(base) < MIN_SEPARABLE_BASE:
            return
        pair = (strings.add(particle), key)
        forms = {f for f in verb_forms(base) if not self._other_word(f, base)}
        for table, written in (
            (self.separable, forms | {base}),
            (self.separable_inverted, verb_stems(base)),
        ):
            for form in written:
                pairs = table.setdefault(strings.add(form), [])
                if pair not in pairs:
                    pairs.append(pair)
        for form in forms:
            # A subordinate clause writes it as one word: "dat je een plan opstelt".
            self.verb_forms.setdefault(strings.add(particle + form), set()).add(key)

    def __call__(self, doc: Doc) -> Doc:
        if len(doc):
            lower, lemma, alpha, space = doc.to_array([LOWER, LEMMA, IS_ALPHA, IS_SPACE]).T.tolist()
        else:
            lower, lemma, alpha, space = [], [], [], []
        sents = self._sentence_ids(lower, space)
        cues = self.side_cues if doc.user_data.get(KIND_KEY) == "vacancy" else self.course_side_cues
        side = {sents[i] for i, key in enumerate(lower) if key in cues}
        off_topic = self._off_topic(lower, alpha, space, sents)
        if doc.user_data.get(KIND_KEY) == "vacancy":
            off_topic |= self._employer_voice(lower, alpha, sents)
        candidates = list(doc.user_data.pop(MATCHES_KEY, []))
        covered = {i for c in candidates for i in _claimed_tokens(c)}
        candidates += self._compound_candidates(doc, lower, covered)
        candidates += self._verb_object_candidates(lower, lemma, alpha, sents)
        kept = []
        for cand in candidates:
            if cand.label == SKILL and sents[cand.start] in off_topic:
                continue
            if cand.label == SKILL and sents[cand.start] in side:
                cand = replace(cand, score=cand.score * SIDE_DISCOUNT, rule=cand.rule + "+side")
            if cand.score >= self.min_score and not self._negated(lower, sents, cand):
                kept.append(cand)
        chosen = resolve_overlaps(kept)
        chosen += self._coordinated_verbs(lower, kept, chosen)
        # A word that names a sector names the field, not a skill taught or asked:
        # "Bouwkunde", "Thuiszorg", "Elektrotechniek" (on hand-labelled texts 17 of 18 such
        # skills were wrong).
        # Unless the text asks for knowledge of it: "kennis van elektrotechniek".
        sector_spans = {(c.start, c.end) for c in chosen if c.label == SECTOR}
        chosen = [
            c
            for c in chosen
            if c.label != SKILL
            or (c.start, c.end) not in sector_spans
            or self._after_knowledge_of(lower, c.start)
        ]
        doc.spans[TAGS_KEY] = [
            Span(doc, c.start, c.end, label=c.label, span_id=c.concept) for c in chosen
        ]
        doc.user_data[TAGS_KEY] = [(c.score, c.rule) for c in chosen]
        doc.user_data[SENTS_KEY] = self._sentence_texts(doc, sents, chosen)
        return doc

    def _coordinated_verbs(
        self, lower: list[int], kept: list[Candidate], chosen: list[Candidate]
    ) -> list[Candidate]:
        """Verbs coordinated over one object each pair with it: "een steiger opbouwen,
        inspecteren en afbreken" names three tasks, though the object is claimed once."""
        pairs = [c for c in kept if c.verb >= 0]
        if len(pairs) < 2:
            return []
        taken = {i for c in chosen if c.label == SKILL for i in _claimed_tokens(c)}
        done = {(c.concept, c.verb) for c in chosen}
        concepts = {c.concept for c in chosen if c.label == SKILL}
        added: list[Candidate] = []
        for pair in sorted(pairs, key=lambda c: (c.verb, -c.score, c.concept)):
            if pair.verb in taken or pair.concept in concepts or (pair.concept, pair.verb) in done:
                continue
            noun = set(_claimed_tokens(pair)) - {pair.verb}
            same_object = [c for c in pairs if noun <= set(_claimed_tokens(c))]
            verbs = {c.verb for c in same_object}
            # Its partner's concept was chosen, as this pair or as a phrase ("steiger opbouwen").
            if any(
                c.verb != pair.verb
                and c.concept in concepts
                and self._coordinated(lower, c.verb, pair.verb, verbs)
                for c in same_object
            ):
                added.append(pair)
                taken.add(pair.verb)
                concepts.add(pair.concept)
        return added

    def _coordinated(self, lower: list[int], a: int, b: int, verbs: set[int]) -> bool:
        """Only commas, "en", "of" and verbs of the same object stand between two verbs."""
        return all(
            lower[k] in self.coordinators or lower[k] == self.comma or k in verbs
            for k in range(min(a, b) + 1, max(a, b))
        )

    def _after_knowledge_of(self, lower: list[int], start: int) -> bool:
        """ "kennis van (de) ...", "kennis over ..." right before the span."""
        k = start - 1
        if k >= 0 and lower[k] in self.articles:
            k -= 1
        return k >= 1 and lower[k] in self.of_words and lower[k - 1] == self.knowledge

    @staticmethod
    def _sentence_texts(
        doc: Doc, sents: list[int], chosen: list[Candidate]
    ) -> list[tuple[int, str]]:
        """The sentence of each chosen span, as (start offset, text), so later rules read
        the same sentences and know where each stands."""
        wanted = {sents[c.start] for c in chosen}
        first: dict[int, int] = {}
        last: dict[int, int] = {}
        for i, sent in enumerate(sents):
            if sent in wanted:
                first.setdefault(sent, i)
                last[sent] = i
        spans = {sent: doc[first[sent] : last[sent] + 1] for sent in wanted}
        texts = {sent: (span.start_char, span.text) for sent, span in spans.items()}
        return [texts[sents[c.start]] for c in chosen]

    def _is_line_break(self, key: int) -> bool:
        breaks = self.line_breaks.get(key)
        if breaks is None:
            breaks = self.line_breaks[key] = "\n" in self.nlp.vocab.strings[key]
        return breaks

    def _sentence_ids(self, lower: list[int], space: list[int]) -> list[int]:
        """Sentence number per token: after . ! ? ; and at a line break (title | text)."""
        ids, current, previous = [], 0, 0
        for key, is_space in zip(lower, space, strict=True):
            if is_space and self._is_line_break(key):
                current += 1
            ids.append(current)
            if key in self.sentence_ends and previous not in self.abbreviations:
                current += 1
            previous = key
        return ids

    def _off_topic(
        self, lower: list[int], alpha: list[int], space: list[int], sents: list[int]
    ) -> set[int]:
        """Sentences about price, terms of employment, applying or the company: a cue word
        in the sentence, a "Prijs: ..." field, a quoted testimonial, or a section under a
        heading such as "Wat bieden wij?" up to the next heading or paragraph."""
        off = {sents[i] for i, key in enumerate(lower) if key in self.off_topic_cues}
        strings = self.nlp.vocab.strings
        in_section = False
        # The first line is the title (or the text's opening): it heads no section.
        for number, (line, after_blank) in enumerate(self._lines(lower, space)):
            # Words: tokens that start with a letter ("Functie-eisen" is one).
            words = [i for i in line if alpha[i] or strings[lower[i]][:1].isalpha()]
            if not words:
                continue
            tokens = [i for i in line if not space[i]]
            first = lower[tokens[0]]
            colon = next((i for i in tokens if lower[i] == self.colon), None)
            name = [i for i in words if colon is not None and i < colon]
            if 0 < len(name) <= MAX_FIELD_WORDS and (
                lower[name[0]] in self.off_topic_fields
                or " ".join(strings[lower[i]] for i in name) in RELATED_FIELDS
            ):
                # The field runs on over ";" ("Taal: Nederlands; ook in het Engels") up
                # to the first full stop: a sentence after that is the text's again.
                for i in line:
                    off.add(sents[i])
                    if lower[i] in self.full_stops:
                        break
            heading = ""
            if number and len(words) <= MAX_HEADING_WORDS:
                heading = self._is_heading(lower, tokens, words, after_blank)
            if heading:
                off_heading = self._is_off_topic_heading(lower, words)
                content = any(lower[i] in self.content_headings for i in words)
                # A short line opens a section ("Arbeidsvoorwaarden"), but only a real
                # heading or a content heading closes one: course titles listed under
                # "Gerelateerde trainingen" do not.
                if off_heading or heading == HEADING or content:
                    in_section = off_heading
            elif after_blank and first not in self.bullets:
                in_section = False  # a new paragraph
            if in_section or self._is_testimonial(lower, tokens, words):
                off.update(sents[i] for i in line)
        return off

    def _employer_voice(self, lower: list[int], alpha: list[int], sents: list[int]) -> set[int]:
        """Vacancy sentences in which the employer speaks of itself ("Wij verduurzamen
        woningen: van warmtepompen tot zonnepanelen"): what the company does, not what the
        job demands, unless it says what it seeks or asks ("Wij zoeken ...")."""
        first_word: dict[int, int] = {}
        demand: set[int] = set()
        for i, key in enumerate(lower):
            if alpha[i]:
                first_word.setdefault(sents[i], key)
            if key in self.demand_verbs:
                demand.add(sents[i])
        return {s for s, key in first_word.items() if key in self.company_voice} - demand

    def _is_off_topic_heading(self, lower: list[int], words: list[int]) -> bool:
        keys = [lower[i] for i in words]
        if keys[0] == self.about_heading:
            return any(k in self.about_words for k in keys[1:])
        if len(keys) == 1 and keys[0] in self.off_topic_whole:
            return True
        return any(k in self.off_topic_headings for k in keys)

    def _is_testimonial(self, lower: list[int], tokens: list[int], words: list[int]) -> bool:
        """A quoted line of first-person prose ("> Ik heb veel geleerd ..."), not a list
        item that happens to use ">" as its bullet."""
        return (
            lower[tokens[0]] == self.quote_mark
            and len(words) > MAX_HEADING_WORDS
            and any(lower[i] in self.first_person for i in words)
        )

    def _is_heading(
        self, lower: list[int], tokens: list[int], words: list[int], after_blank: bool
    ) -> str:
        """A short line that is no bullet, no sentence and no "Prijs: € 229" field: a
        HEADING when marked (#, **, a closing ? or :) or standing after a blank line, a
        SHORT_LINE when it merely has few words, else ""."""
        first, last = lower[tokens[0]], lower[tokens[-1]]
        second = lower[tokens[1]] if len(tokens) > 1 else 0
        if (
            first in self.bullets
            or (first == self.star and second != self.star)
            or last in self.statement_ends
            or any(lower[i] == self.colon for i in tokens[:-1])
        ):
            return ""
        if first in self.heading_marks or last in self.heading_ends or after_blank:
            return HEADING
        return SHORT_LINE if len(words) <= SHORT_HEADING_WORDS else ""

    def _lines(self, lower: list[int], space: list[int]) -> list[tuple[list[int], bool]]:
        """Token indices per line, each with whether a blank line comes before it."""
        lines: list[tuple[list[int], bool]] = [([], True)]
        strings = self.nlp.vocab.strings
        current = lines[0][0]
        for i, key in enumerate(lower):
            if space[i] and self._is_line_break(key):
                current = []
                lines.append((current, strings[key].count("\n") >= 2))
            else:
                current.append(i)
        return lines

    def _compound_candidates(
        self, doc: Doc, lower: list[int], covered: set[int]
    ) -> list[Candidate]:
        """Dutch writes compounds as one word: match a known head ("wondzorg|verpleegkundige")
        or, for skills, a known first part followed by a technique ("warmtepomp|installatie")."""
        found = []
        cache = self.compound_cache
        for i, key in enumerate(lower):
            if i in covered:
                continue
            hits = cache.get(key)
            if hits is None:
                hits = cache[key] = self._compound(self.nlp.vocab.strings[key])
            for label, concept, score, rule in hits:
                found.append(Candidate(label, concept, i, i + 1, score, rule))
        return found

    def _compound(self, word: str) -> list[tuple[str, str, float, str]]:
        """What a one-word compound means, if anything (cached per word by the caller)."""
        if "-" in word:
            # "5-ploegendienst", "lucht-water-warmtepomp": the last part is the head, but
            # "niet-verpleegkundige" is anyone else.
            first, _, last = word.rpartition("-")
            if first.split("-")[0] in NEGATING_PREFIXES:
                return []
            kinds = self.heads.get(last) or self.heads.get(self.lemma_of(last))
            return [
                (k[0], k[1], k[2] * COMPOUND_HEAD_SCORE, "compound:head")
                for k in (kinds or {}).values()
            ]
        if len(word) < MIN_COMPOUND_HEAD + MIN_COMPOUND_REST or not word.isalpha():
            return []
        heads = self._head(word)
        if heads:
            return [(h[0], h[1], h[2] * COMPOUND_HEAD_SCORE, "compound:head") for h in heads]
        modifier = self._modifier(word)
        if modifier:
            return [
                (
                    modifier[0],
                    modifier[1],
                    modifier[2] * COMPOUND_MODIFIER_SCORE,
                    "compound:modifier",
                )
            ]
        return []

    def _head(self, word: str) -> list[tuple[str, str, float]]:
        forms = [word]
        if word.endswith("en"):
            forms += [word[:-2], word[:-1]]  # plural: "verpleegkundigen" -> "...kundige"
        elif word.endswith("s"):
            forms.append(word[:-1])
        for form in forms:
            for cut in range(MIN_COMPOUND_REST, len(form) - MIN_COMPOUND_HEAD + 1):
                kinds = self.heads.get(form[cut:])
                if kinds:
                    return list(kinds.values())
        return []

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

    def _hyphen_head(self, key: int) -> int:
        """The lemma of the last part of a hyphenated compound ("lucht-water-warmtepomp" ->
        warmtepomp), or the word itself when it has no such part; stored in
        ``hyphen_heads``, which the caller reads first."""
        word = self.nlp.vocab.strings[key]
        last = word.rsplit("-", 1)[-1]
        head = key
        if "-" in word and len(last) >= MIN_COMPOUND_REST and last.isalpha():
            head = self.nlp.vocab.strings[self.lemma_of(last)]
        self.hyphen_heads[key] = head
        return head

    def _verbs_at(
        self, lower: list[int], alpha: list[int], sents: list[int]
    ) -> tuple[dict[int, set[int]], dict[tuple[int, int], int]]:
        """Verb lemmas a token stands for beyond its own lemma: forms the lookup table
        lacks, and a separable verb at its base ("stelt ... op"), with where its particle
        stands: its object comes before that ("je stelt je flexibel op en bespreekt de
        begroting" has none)."""
        verbs: dict[int, set[int]] = {}
        particles: dict[tuple[int, int], int] = {}
        forms, separable = self.verb_forms, self.separable
        n = len(lower)
        inverted, separable_inverted, subjects = (
            self.inverted_forms,
            self.separable_inverted,
            self.subjects,
        )
        verb_words = self.verb_words
        for j, key in enumerate(lower):
            if key not in verb_words:
                continue
            found = forms.get(key)
            pairs = separable.get(key)
            if j + 1 < n and lower[j + 1] in subjects:
                found = found or inverted.get(key)
                pairs = pairs or separable_inverted.get(key)
            if found:
                verbs.setdefault(j, set()).update(found)
            if not pairs:
                continue
            for particle, verb in pairs:
                # "om een plan op te stellen"
                if j >= 2 and lower[j - 1] == self.particle_te and lower[j - 2] == particle:
                    verbs.setdefault(j, set()).add(verb)
                    continue
                for p in range(j + 1, min(n, j + SEPARABLE_WINDOW + 1)):
                    if sents[p] != sents[j]:
                        break
                    if lower[p] != particle:
                        continue
                    # The particle closes its clause; a preposition has its noun after it.
                    if p + 1 >= n or self._closes_clause(lower[p + 1], alpha[p + 1]):
                        verbs.setdefault(j, set()).add(verb)
                        particles[(j, verb)] = p
                        break
        return verbs, particles

    def _closes_clause(self, key: int, is_alpha: bool) -> bool:
        """After a particle: punctuation, a clause word or a preposition ("op 1 mei" is a
        preposition with its noun)."""
        if is_alpha:
            return key in self.after_particle
        return not any(c.isalnum() for c in self.nlp.vocab.strings[key])

    def _verb_object_candidates(
        self, lower: list[int], lemma: list[int], alpha: list[int], sents: list[int]
    ) -> list[Candidate]:
        found: list[Candidate] = []
        n = len(lemma)
        verb_object, heads = self.verb_object, self.hyphen_heads
        extra: dict[int, set[int]] = {}
        particles: dict[tuple[int, int], int] = {}
        passive: set[int] = set()
        sent_verbs: dict[int, set[int]] = {}
        for i, key in enumerate(lemma):
            entries = verb_object.get(key)
            if not entries:
                head = heads.get(key)
                if head is None:
                    head = self._hyphen_head(key)
                if head == key:
                    continue
                entries = verb_object.get(head)
                if not entries:
                    continue
            if not sent_verbs:
                extra, particles = self._verbs_at(lower, alpha, sents)
                passive = {sents[k] for k, key in enumerate(lower) if key in self.passive_aux}
                # The verbs of each sentence: most entries' verbs are not in the noun's.
                for j, sent in enumerate(sents):
                    verbs = sent_verbs.get(sent)
                    if verbs is None:
                        verbs = sent_verbs[sent] = set()
                    verbs.add(lemma[j])
                for j, more in extra.items():
                    sent_verbs[sents[j]] |= more
            near = sent_verbs[sents[i]]
            for verb, label, concept, score, window, before in entries:
                if verb not in near:
                    continue
                first = i - len(before)
                if before and (
                    first < 0
                    or not all(lower[first + k] in forms for k, forms in enumerate(before))
                ):
                    continue
                # A verb before the object has the object's own words in between too.
                for j in range(max(0, first - window), min(n, i + window + 1)):
                    if first <= j <= i or sents[j] != sents[i]:
                        continue
                    if lemma[j] == verb or verb in extra.get(j, ()):
                        if sents[j] in passive and self._is_participle(lower[j], lemma[j]):
                            continue  # "de lessen worden verzorgd door ...": nobody learns it
                        if i > particles.get((j, verb), n):
                            continue  # the noun comes after the verb's particle
                        start, end = min(first, j), max(i, j) + 1
                        claims = tuple(sorted({*range(first, i + 1), j})) if before else ()
                        found.append(
                            Candidate(
                                label,
                                concept,
                                start,
                                end,
                                score * VERB_OBJECT_SCORE,
                                "verb-object",
                                claims,
                                verb=j,
                            )
                        )
                        break
        return found

    def _is_participle(self, written: int, lemma: int) -> bool:
        """An inflected verb form that is no finite one: "verzorgd", "afgenomen", "gemaakt"."""
        if written == lemma:
            return False
        strings = self.nlp.vocab.strings
        word = strings[written]
        return word.endswith(("d", "t", "en")) and word not in verb_forms(strings[lemma])

    def _negated(self, lower: list[int], sents: list[int], candidate: Candidate) -> bool:
        """A negation word shortly before, in the same sentence ("niet alleen" is none)."""
        for k in range(max(0, candidate.start - NEGATION_WINDOW), candidate.start):
            if lower[k] in self.negations and sents[k] == sents[candidate.start]:
                following = lower[k + 1] if k + 1 < len(lower) else None
                if following not in self.not_negating:
                    return True
        return False


def resolve_overlaps(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Per label, longest then best-scored span wins; labels may overlap each other."""
    chosen: list[Candidate] = []
    for label in (SKILL, OCCUPATION, SECTOR):
        taken: set[int] = set()
        ranked = sorted(
            (c for c in candidates if c.label == label),
            key=lambda c: (-len(_claimed_tokens(c)), -c.score, c.start, c.concept),
        )
        for cand in ranked:
            tokens = set(_claimed_tokens(cand))
            if tokens & taken:
                continue
            taken |= tokens
            chosen.append(cand)
    return sorted(chosen, key=lambda c: (c.start, c.label, c.concept))


def _claimed_tokens(candidate: Candidate) -> Sequence[int]:
    """The words a candidate stands for, which it claims against overlaps and ranks by: a
    verb-object pair spans the words between but claims only its verb and noun, and a
    coordination only its first conjunct, so "zakelijk Nederlands" beats "Nederlands en
    Engels schrijven" (a coordination) and "Nederlands ... schrijven" (a pair)."""
    if candidate.rule == "coordination":
        return (candidate.start,)
    if candidate.claims:
        return candidate.claims
    if candidate.rule == "verb-object":
        return (candidate.start, candidate.end - 1)
    return range(candidate.start, candidate.end)


# A name spaCy's tokenizer would split at its symbol ("C", "#"), as texts and terms write it.
SYMBOL_NAMES = ("C#", "c#")


def blank_dutch() -> Language:
    """spaCy's Dutch tokenizer, keeping the programming languages named with a symbol whole."""
    nlp = spacy.blank("nl")
    for name in SYMBOL_NAMES:
        nlp.tokenizer.add_special_case(name, [{ORTH: name}])
        # As vacancies write the platform: "C#/.NET".
        nlp.tokenizer.add_special_case(f"{name}/.NET", [{ORTH: name}, {ORTH: "/"}, {ORTH: ".NET"}])
    return nlp


def build_pipeline(terms: Sequence[Term]) -> Language:
    """A Dutch pipeline whose phrase index and resolver know ``terms``."""
    nlp = blank_dutch()
    lemmatizer = nlp.add_pipe("llo_lemmatizer")
    nlp.add_pipe("llo_phrases").set_terms(terms, lemmatizer.lemma_of)
    nlp.add_pipe("llo_resolver").set_terms(terms, lemmatizer.lemma_of, lemmatizer.known)
    return nlp
