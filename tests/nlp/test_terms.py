"""How surface texts shared by several concepts are resolved to one (or none)."""

from __future__ import annotations

from llo_supply.nlp.terms import OCCUPATION, SKILL, Term, paraphrases, resolve_terms

NO_GENERIC: dict[str, set[str]] = {SKILL: set(), OCCUPATION: set()}


def occupation(text: str, uri: str, source: str, isco: str, preferred: str) -> Term:
    return Term(text, OCCUPATION, uri, source, isco, preferred)


def test_a_preferred_english_label_beats_a_dutch_alternative() -> None:
    # ESCO gives "software developer" as a Dutch alternative of the application developer
    # and as the English preferred label of the software developer.
    kept = resolve_terms(
        [
            occupation("software developer", "app", "alt_nl", "2514", "ict application developer"),
            occupation("software developer", "sw", "label_en", "2512", "software developer"),
        ],
        NO_GENERIC,
    )
    assert [t.concept for t in kept] == ["sw"]


def test_a_curated_term_beats_an_esco_label() -> None:
    kept = resolve_terms(
        [
            Term("scrum", SKILL, "esco", "label_nl", "", "scrum"),
            Term("scrum", SKILL, "agile", "curated"),
        ],
        NO_GENERIC,
    )
    assert [t.concept for t in kept] == ["agile"]


def test_a_tie_goes_to_the_concept_whose_labels_share_most_words() -> None:
    kept = resolve_terms(
        [
            occupation(
                "embedded software engineer", "designer", "alt_nl", "2511", "embedded designer",
            ),
            occupation(
                "embedded software engineer", "developer", "alt_nl", "2514",
                "embedded software developer",
            ),
        ],
        NO_GENERIC,
    )  # fmt: skip
    assert [t.concept for t in kept] == ["developer"]


def test_a_tie_without_a_closer_concept_is_dropped() -> None:
    kept = resolve_terms(
        [
            Term("bekabeling", SKILL, "a", "label_nl", "", "wiring a"),
            Term("bekabeling", SKILL, "b", "label_nl", "", "wiring b"),
        ],
        NO_GENERIC,
    )
    assert kept == []


def test_a_generic_word_is_no_term_unless_curated() -> None:
    generic = {SKILL: set(), OCCUPATION: {"coach"}}
    assert resolve_terms([occupation("coach", "football", "alt_nl", "3422", "")], generic) == []
    kept = resolve_terms([Term("coach", OCCUPATION, "c", "curated", "2423")], generic)
    assert [t.concept for t in kept] == ["c"]


def test_paraphrases_swap_the_verb_of_trusted_two_word_terms_only() -> None:
    synonyms = {"verhelpen": ("oplossen",), "oplossen": ("verhelpen",)}
    terms = [
        Term("storingen verhelpen", SKILL, "fix", "curated"),
        Term("problemen verhelpen", SKILL, "other", "label_en"),
        Term("storingen snel verhelpen", SKILL, "fast", "curated"),
    ]
    assert [(t.text, t.concept, t.source) for t in paraphrases(terms, synonyms)] == [
        ("storingen oplossen", "fix", "synonym")
    ]


def test_a_name_shorter_than_three_characters_is_a_term_only_when_listed() -> None:
    kept = resolve_terms(
        [Term("c#", SKILL, "csharp", "label_en"), Term("qa", SKILL, "qa", "label_en")],
        NO_GENERIC,
    )
    assert [t.text for t in kept] == ["c#"]
