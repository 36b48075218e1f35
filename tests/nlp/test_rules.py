"""Each linguistic rule of the tagger on the toy taxonomy: span text, label and id."""

from __future__ import annotations

import pytest

from llo_supply.nlp.pipeline import build_pipeline, verb_forms, verb_stems
from llo_supply.nlp.tagger import Tagger, TaggerConfig, enumeration_size
from llo_supply.nlp.terms import SKILL, Term
from llo_supply.taxonomy import skill_sections
from tests.toy_taxonomy import O, S


def skills(tagger, text: str, title: str = "") -> dict[str, tuple[str, str]]:
    return {t.concept: (t.evidence, t.rule) for t in tagger.tag(text, title).skills}


def test_exact_label_in_any_case(tagger) -> None:
    assert skills(tagger, "Je leert PYTHON.")[S + "python"] == ("PYTHON", "exact:label_nl")


def test_parenthesised_qualifier_is_not_part_of_the_term(tagger) -> None:
    assert S + "python" in skills(tagger, "Programmeren in python.")


def test_inflected_form_matches_by_lemma(tagger) -> None:
    found = skills(tagger, "Je legt zonnepanelen op een dak.")
    assert found[S + "solar-panel"] == ("zonnepanelen", "lemma:label_nl")


def test_compound_with_known_first_part(tagger) -> None:
    found = skills(tagger, "Onderhoud van warmtepompinstallaties.")
    assert found[S + "heat-pump"] == ("warmtepompinstallaties", "compound:modifier")


def test_compound_with_known_head(tagger) -> None:
    occupations = {
        t.concept: t
        for t in tagger.tag(
            "Wij zoeken een wondzorgverpleegkundige.", "Wondzorgverpleegkundige"
        ).occupations
    }
    assert occupations[O + "nurse"].evidence == "Wondzorgverpleegkundige"
    assert occupations[O + "nurse"].rule == "compound:head"


def test_curated_compound_beats_compound_rule(tagger) -> None:
    found = skills(tagger, "Werken met projectmanagementsoftware.")
    assert found == {S + "pm-software": ("projectmanagementsoftware", "exact:curated")}


def test_verb_and_object_in_free_order(tagger) -> None:
    found = skills(tagger, "Je installeert zelfstandig een warmtepomp bij de klant.")
    assert found[S + "install-heat-pump"] == (
        "installeert zelfstandig een warmtepomp",
        "verb-object",
    )


def test_english_loanword_from_curated_terms(tagger) -> None:
    assert skills(tagger, "We werken volgens Scrum.")[S + "agile"] == ("Scrum", "exact:curated")


def test_longest_overlapping_span_wins(tagger) -> None:
    found = skills(tagger, "Je leert warmtepomp installeren.")
    assert found == {S + "install-heat-pump": ("warmtepomp installeren", "exact:curated")}


def test_negated_mention_is_not_a_skill(tagger) -> None:
    assert S + "python" not in skills(tagger, "Geen ervaring met Python vereist.")


def test_everyday_infinitive_from_esco_is_not_a_skill(tagger) -> None:
    assert S + "planning" not in skills(tagger, "We plannen een bijeenkomst.")


def test_ambiguous_text_is_dropped(tagger) -> None:
    found = skills(tagger, "Aanleg van bekabeling.")
    assert S + "ambiguous-a" not in found and S + "ambiguous-b" not in found


def test_generic_occupation_word_is_not_an_occupation(tagger) -> None:
    assert tagger.tag("Elke medewerker leert dit.", "Cursus voor medewerkers").occupations == []


def test_occupation_named_in_title_is_kept(tagger) -> None:
    occ = tagger.tag("Een opleiding voor wie monteur wil worden.", "Warmtepompmonteur").occupations
    assert [(t.concept, t.isco, t.evidence) for t in occ] == [
        (O + "heat-pump-installer", "7126", "Warmtepompmonteur")
    ]


def test_occupation_mentioned_once_in_an_inflected_alternative_label_is_dropped(tagger) -> None:
    # alt label (0.95) x lemma match (0.95) x named once outside the title (0.8) < 0.75
    assert tagger.tag("Ook programmeurs kunnen meedoen.", "Cursus Excel").occupations == []


def test_occupation_repeated_in_the_text_is_kept(tagger) -> None:
    text = "Ook programmeurs kunnen meedoen. Programmeurs leren veel."
    assert [t.concept for t in tagger.tag(text, "Cursus Excel").occupations] == [O + "developer"]


def test_misspelled_occupation_in_title_is_found_fuzzily(tagger) -> None:
    occ = tagger.tag("Een cursus.", "Opleiding softwareontwikkelaa").occupations
    assert [(t.concept, t.rule) for t in occ] == [(O + "developer", "fuzzy:title")]


def test_evidence_offsets_point_into_title_and_text(tagger) -> None:
    title, text = "Python voor starters", "Je leert Python en zonnepanelen."
    combined = f"{title}\n\n{text}"
    for tag in tagger.tag(text, title).all():
        if tag.start is not None:
            assert combined[tag.start : tag.end] == tag.evidence


def test_sector_from_text_term_named_twice(tagger) -> None:
    sectors = tagger.tag("Je werkt in een ziekenhuis. Het ziekenhuis leidt op.", "").sectors
    assert [(s.concept, s.division, s.evidence) for s in sectors] == [("R", "86", "ziekenhuis")]


def test_sector_word_named_once_in_passing_is_not_enough(tagger) -> None:
    assert tagger.tag("Je werkt soms in een ziekenhuis.", "Cursus Excel").sectors == []
    assert [s.concept for s in tagger.tag("Een cursus.", "Excel in het ziekenhuis").sectors] == [
        "R"
    ]


def test_occupation_named_once_without_a_target_cue_is_dropped(tagger) -> None:
    text = "De verpleegkundige van de afdeling deed ook mee."
    assert tagger.tag(text, "Cursus Excel").occupations == []
    cued = "Deze cursus is bedoeld voor de verpleegkundige op de afdeling."
    assert [t.concept for t in tagger.tag(cued, "Cursus Excel").occupations] == [O + "nurse"]


def test_title_occupation_wins_over_roles_in_the_text(tagger) -> None:
    text = "Je werkt als softwareontwikkelaar samen met de verpleegkundige als collega."
    occupations = tagger.tag(text, "Verpleegkundige").occupations
    assert [t.concept for t in occupations] == [O + "nurse"]


def test_sector_from_provider_category(tagger) -> None:
    sectors = tagger.tag("Een korte cursus.", "Cursus", category="Techniek").sectors
    assert [(s.concept, s.rule) for s in sectors] == [("C", "category")]


@pytest.mark.parametrize(
    ("category", "section"),
    [
        ("Bouwkunde & installatie", "F"),  # a sector word inside a longer category
        ("Verpleegkundige", "R"),  # a category that names an occupation: its ISCO sector
        ("Verpleegkundigen", "R"),
    ],
)
def test_sector_from_words_of_a_provider_category(tagger, category, section) -> None:
    sectors = tagger.tag("Een korte cursus.", "Cursus", category=category).sectors
    assert [(s.concept, s.rule) for s in sectors] == [(section, "category")]


def test_a_category_without_sector_words_names_no_sector(tagger) -> None:
    assert tagger.tag("Een korte cursus.", "Cursus", category="Leiderschap").sectors == []


def test_sector_from_occupation_isco(tagger) -> None:
    sectors = tagger.tag("Voor de zorg.", "Verpleegkundige").sectors
    assert [(s.concept, s.rule) for s in sectors] == [("R", "occupation:2221")]


def test_every_tag_carries_versions_and_scores(tagger) -> None:
    tags = tagger.tag("Je leert Python.", "Python").all()
    assert tags and all(0 < t.score <= 1 for t in tags)
    assert tagger.version and tagger.taxonomy_version.startswith("esco-1.2.0+sbi-2025+curated-")


def test_light_verb_does_not_tie_a_noun_across_the_sentence(tagger) -> None:
    found = skills(tagger, "Je leert verantwoordelijkheid voor het team te nemen.")
    assert S + "responsibility" not in found
    assert S + "responsibility" in skills(tagger, "Je leert verantwoordelijkheid nemen.")


def test_compound_first_part_needs_a_technique_head(tagger) -> None:
    assert S + "heat-pump" in skills(tagger, "Het warmtepomponderhoud.")
    assert S + "heat-pump" not in skills(tagger, "De warmtepompwinkel.")


def test_skill_in_a_prerequisite_sentence_counts_less(tagger) -> None:
    found = {t.concept: t for t in tagger.tag("Voorkennis van Python is handig.", "Cursus").skills}
    assert S + "python" not in found
    assert S + "python" in skills(tagger, "Je leert Python.")


def test_soft_skill_counts_when_the_title_names_it(tagger) -> None:
    assert S + "teamwork" in skills(tagger, "Je oefent teamwerk.", "Teamwerk in de zorg")


def test_soft_skill_mentioned_once_in_passing_is_not_a_skill(tagger) -> None:
    assert S + "teamwork" not in skills(tagger, "Een cursus Excel, met wat teamwerk.", "Excel")


def test_light_verb_right_beside_its_noun_still_counts(tagger) -> None:
    found = skills(tagger, "Het nemen van verantwoordelijkheid komt aan bod.")
    assert found[S + "responsibility"][1] == "verb-object"


def test_seo_keyword_list_is_not_a_requirement(tagger) -> None:
    assert S + "python" not in skills(tagger, "Trefwoorden: Python, Scrum.", "Vacature")


def test_a_word_that_names_a_sector_names_the_field_not_a_skill(tagger) -> None:
    tags = tagger.tag("Bouwkunde voor starters.", "Bouwkunde")
    assert [t.concept for t in tags.skills] == []
    assert [t.concept for t in tags.sectors] == ["F"]
    # Unless the text asks for knowledge of it.
    asked = tagger.tag("Je hebt kennis van de bouwkunde.", "Vacature", kind="vacancy")
    assert [t.concept for t in asked.skills] == [S + "building"]


def test_the_title_is_its_own_sentence(tagger) -> None:
    # The side cue "voorkennis" in the first text sentence must not discount the title.
    assert S + "python" in skills(tagger, "Voorkennis is niet vereist. Je oefent veel.", "Python")


def test_negation_stays_in_its_sentence_and_niet_alleen_is_none(tagger) -> None:
    assert S + "python" in skills(tagger, "Geen zorgen. Python is leuk.")
    assert S + "python" in skills(tagger, "Je leert niet alleen Python maar ook meer.")


def test_a_verb_object_pair_does_not_swallow_the_words_between(tagger) -> None:
    found = skills(tagger, "Je installeert met Python een warmtepomp.")
    assert {S + "python", S + "install-heat-pump"} <= set(found)


def test_price_sentence_is_not_a_skill_and_excl_does_not_end_it(tagger) -> None:
    found = skills(tagger, "Prijs: € 495 excl. Python als extra module. Je leert Scrum.", "Cursus")
    assert S + "python" not in found
    assert S + "agile" in found


def test_section_under_an_offer_heading_is_not_demand(tagger) -> None:
    text = "Wat ga je doen?\nJe werkt met Python.\n\nWat bieden wij?\n- Een cursus Scrum\n"
    found = skills(tagger, text, "Ontwikkelaar")
    assert S + "python" in found
    assert S + "agile" not in found


def test_a_field_line_is_not_a_heading(tagger) -> None:
    # "Prijs: € 229" is off topic itself, but does not open a section over what follows.
    text = "Prijs: € 229\nInhoud\nJe leert Scrum en Python."
    assert {S + "agile", S + "python"} <= set(skills(tagger, text, "Cursus"))


def test_about_us_section_describes_the_employer_not_the_job(tagger) -> None:
    text = "Over ons\nWij bouwen warmtepompen met Python.\n\nJouw functie\nJe leert Scrum.\n"
    found = skills(tagger, text, "Monteur")
    assert S + "python" not in found
    assert S + "agile" in found


def test_sector_specific_skills_name_a_sector_and_transversal_ones_do_not(toy_base) -> None:
    sections = skill_sections(toy_base)
    assert sections[S + "python"] == "K"
    assert sections[S + "install-heat-pump"] == "F"  # two steps up
    assert S + "agile" not in sections  # also filed under a transversal group
    strong = Tagger(toy_base, TaggerConfig(skill_sector_weight=1.0))
    assert [t.concept for t in strong.tag("Je leert Python.", "Cursus").sectors] == ["K"]
    assert [t.rule for t in strong.tag("Je leert Python.", "Cursus").sectors] == [
        "skill:exact:label_nl"
    ]


def test_adjectives_sharing_a_head_name_each_concept(tagger) -> None:
    found = skills(tagger, "Je leert de Engelse en Nederlandse taal.")
    assert found[S + "english"] == ("Engelse en Nederlandse taal", "coordination")
    assert found[S + "dutch"] == ("Nederlandse taal", "exact:curated")


def test_a_truncated_compound_takes_the_elided_part_from_the_last_conjunct(tagger) -> None:
    found = skills(tagger, "Ervaring met project- en programmamanagement.")
    assert found[S + "project-management"] == ("project- en programmamanagement", "coordination")


def test_a_list_of_conjuncts_shares_the_head(tagger) -> None:
    found = skills(tagger, "Nederlandse, Spaanse of Engelse taal.")
    assert found[S + "dutch"][1] == "coordination"
    assert S + "english" in found


def test_a_requirement_is_an_entry_requirement_in_a_course_and_demand_in_a_vacancy(
    tagger,
) -> None:
    text = "Je moet de Nederlandse taal machtig zijn. Je leert Python."
    course = {t.concept for t in tagger.tag(text, "Cursus", kind="course").skills}
    vacancy = {t.concept for t in tagger.tag(text, "Ontwikkelaar", kind="vacancy").skills}
    assert S + "dutch" not in course
    assert {S + "dutch", S + "python"} <= vacancy


def test_an_unknown_kind_is_refused(tagger) -> None:
    with pytest.raises(ValueError, match="course, vacancy"):
        tagger.tag("Tekst.", kind="vacature")


def test_a_vacancy_takes_its_job_from_the_title_or_repetition_not_one_mention(tagger) -> None:
    text = "Als monteur werk je samen met een verpleegkundige."
    assert tagger.tag(text, "Vacature Zwolle", kind="vacancy").occupations == []
    course = tagger.tag("Een cursus voor de verpleegkundige.", "Cursus", kind="course")
    assert [t.concept for t in course.occupations] == [O + "nurse"]


def test_being_shown_the_ropes_is_an_offer(tagger) -> None:
    assert S + "python" not in skills(tagger, "Je wordt ingewerkt in Python.", "Ontwikkelaar")


def test_a_broad_sector_word_does_not_pass_its_sector_to_a_compound(tagger) -> None:
    assert tagger.tag("Gespreks- en vraagtechnieken.", "Vraagtechnieken").sectors == []
    # A specific sector word still does: "kleinziekenhuis" -> ziekenhuis.
    sectors = tagger.tag("Een cursus.", "Werken in een kleinziekenhuis").sectors
    assert [t.concept for t in sectors] == ["R"]


def test_a_soft_skill_named_once_counts_in_a_course_about_soft_skills(tagger) -> None:
    text = "Je oefent actief luisteren."
    assert S + "listen" in skills(tagger, text, "Training teamwerk")
    assert S + "listen" not in skills(tagger, text + " Je leert Python en Scrum.", "Cursus")
    vacancy = tagger.tag(text, "Teamwerk gevraagd", kind="vacancy").skills
    assert S + "listen" not in {t.concept for t in vacancy}


def test_an_adjective_and_a_noun_are_no_verb_and_object() -> None:
    nlp = build_pipeline([Term("logistieke keten", SKILL, "chain", "curated")])
    assert nlp.get_pipe("llo_resolver").verb_object == {}


def test_goederen_is_not_goed() -> None:
    nlp = build_pipeline([Term("goederen opslaan", SKILL, "store", "curated")])
    doc = nlp("Je moet medicijnen goed opslaan. Je leert goederen opslaan.")
    assert [span.text for span in doc.spans["llo_tags"]] == ["goederen opslaan"]


def test_a_plural_noun_is_no_verb() -> None:
    nlp = build_pipeline([Term("didactische werkvormen", SKILL, "forms", "curated")])
    assert nlp.get_pipe("llo_resolver").verb_object == {}


def test_the_title_heads_no_off_topic_section(tagger) -> None:
    found = skills(
        tagger, "In deze training leer je werken met Python en Scrum.", "Praktische Python"
    )
    assert {S + "python", S + "agile"} <= set(found)


def test_over_deze_training_is_the_course_and_over_ons_the_employer(tagger) -> None:
    assert S + "python" in skills(tagger, "Over deze training\nJe leert Python.", "Cursus")
    assert S + "python" not in skills(tagger, "Over ons\nWij maken Python.", "Cursus")


def test_a_new_paragraph_or_a_content_heading_closes_an_off_topic_section(tagger) -> None:
    text = "Over ons\nWij zijn een bedrijf.\n\nAls ontwikkelaar werk je dagelijks met Python."
    assert S + "python" in skills(tagger, text, "Ontwikkelaar")
    text = "Arbeidsvoorwaarden\nGoed salaris\nFunctie-eisen\nErvaring met Python"
    assert S + "python" in skills(tagger, text, "Ontwikkelaar")


def test_words_that_also_name_content_are_no_price_cue(tagger) -> None:
    text = "Je onderhoudt de cv en leert warmtepomp installeren tegen lage kosten."
    assert S + "install-heat-pump" in skills(tagger, text, "Monteur")


def test_a_learning_outcome_is_no_entry_requirement(tagger) -> None:
    assert S + "python" in skills(tagger, "Na afloop beschikt u over kennis van Python.", "Cursus")


def test_a_list_with_quote_bullets_is_no_testimonial(tagger) -> None:
    assert {S + "python", S + "agile"} <= set(skills(tagger, "Wat leer je?\n> Python\n> Scrum\n"))


def test_a_coordination_claims_only_its_first_conjunct() -> None:
    nlp = build_pipeline(
        [
            Term("zakelijk nederlands", SKILL, "business-dutch", "curated"),
            Term("nederlands schrijven", SKILL, "write-dutch", "curated"),
            Term("engels schrijven", SKILL, "write-english", "curated"),
        ]
    )
    doc = nlp("Je leert zakelijk Nederlands en Engels schrijven.")
    assert {span.id_ for span in doc.spans["llo_tags"]} == {"business-dutch", "write-english"}


def test_testimonials_and_related_courses_are_not_the_offer(tagger) -> None:
    text = (
        "Je leert Python.\n> Ik heb eerder bij jullie Scrum gevolgd en dat was top!\n\n"
        "Gerelateerde trainingen\nBouwkunde voor starters\n"
    )
    found = skills(tagger, text, "Cursus")
    assert S + "python" in found
    assert S + "agile" not in found
    assert S + "building" not in found


def test_ontvangen_is_a_light_verb() -> None:
    nlp = build_pipeline([Term("feedback ontvangen", SKILL, "accept-feedback", "curated")])
    far = nlp("Feedback is belangrijk, daarom ontvang je na afloop een certificaat.")
    assert list(far.spans["llo_tags"]) == []
    near = nlp("Het ontvangen van feedback oefen je.")
    assert [span.id_ for span in near.spans["llo_tags"]] == ["accept-feedback"]


def test_an_audience_of_several_roles_names_no_specific_occupation(tagger) -> None:
    text = "Voor de verpleegkundige en de softwareontwikkelaar."
    assert tagger.tag(text, "Cursus Excel").occupations == []
    specific = tagger.tag("Voor de verpleegkundige die wil groeien.", "Cursus Excel")
    assert [t.concept for t in specific.occupations] == [O + "nurse"]
    # Roles the taxonomy does not know count too: an enumeration is a broad audience.
    listed = "Bedoeld voor verpleegkundigen, praktijkbegeleiders en teamleiders."
    assert tagger.tag(listed, "Cursus Excel").occupations == []


@pytest.mark.parametrize(
    "text",
    [
        "Je leert als verpleegkundige wonden beoordelen, verbinden en behandelen.",
        "Deze cursus is bedoeld voor de verpleegkundige in de ouderenzorg en de thuiszorg.",
        "De training is voor de verpleegkundige, met of zonder ervaring.",
    ],
)
def test_verbs_places_and_page_details_in_a_list_are_no_roles(tagger, text) -> None:
    assert [t.concept for t in tagger.tag(text, "Cursus Excel").occupations] == [O + "nurse"]


def test_enumeration_size_counts_the_roles_listed_with_a_word() -> None:
    plural = {"teamleiders", "afdelingshoofden", "middenmanagers", "artsen"}.__contains__
    sentence = "Bedoeld voor teamleiders, afdelingshoofden en middenmanagers die veranderen willen"
    assert enumeration_size(sentence, sentence.index("afdelingshoofden"), plural) == 3
    one = "Voor de verpleegkundige die wil groeien."
    assert enumeration_size(one, one.index("verpleegkundige"), plural) == 1
    places = "Voor de verpleegkundige in de ouderenzorg en de thuiszorg."
    assert enumeration_size(places, places.index("verpleegkundige"), plural) == 1
    details = "Voor de verpleegkundige, 3 dagen, klassikaal of online."
    assert enumeration_size(details, details.index("verpleegkundige"), plural) == 1


def test_a_finished_degree_names_its_field_not_a_skill(tagger) -> None:
    text = "Een afgeronde hbo-opleiding Bouwkunde of Python.\nJe werkt met Scrum."
    found = {t.concept for t in tagger.tag(text, "Ontwikkelaar", kind="vacancy").skills}
    assert S + "python" not in found
    assert S + "agile" in found


def test_a_vacancy_employer_speaking_of_itself_is_not_demand(tagger) -> None:
    text = "Wij bouwen warmtepompen met Python.\nWij zoeken iemand die Scrum kent."
    found = {t.concept for t in tagger.tag(text, "Ontwikkelaar", kind="vacancy").skills}
    assert S + "python" not in found
    assert S + "agile" in found
    course = {t.concept for t in tagger.tag(text, "Cursus", kind="course").skills}
    assert S + "python" in course


def test_a_hyphenated_compound_is_an_object_by_its_last_part(tagger) -> None:
    found = skills(tagger, "Je installeert een lucht-water-warmtepomp.")
    assert found[S + "install-heat-pump"][1] == "verb-object"


def test_a_hyphenated_compound_means_what_its_last_part_means(tagger) -> None:
    found = skills(tagger, "Kennis van de lucht-water-warmtepomp.")
    assert found[S + "heat-pump"] == ("lucht-water-warmtepomp", "compound:head")


def test_on_equal_weight_the_sector_of_the_job_goes_first(tagger) -> None:
    text = "Werk bij een installatiebedrijf. Het installatiebedrijf groeit."
    sectors = tagger.tag(text, "Verpleegkundige").sectors
    assert [t.concept for t in sectors] == ["R", "F"]
    assert sectors[0].score == sectors[1].score


def test_a_plural_object_pairs_with_its_verb_but_two_verbs_do_not() -> None:
    nlp = build_pipeline(
        [
            Term("klanten adviseren", SKILL, "advise", "curated"),
            Term("leren programmeren", SKILL, "learn", "curated"),
        ]
    )
    assert len(nlp.get_pipe("llo_resolver").verb_object) == 1
    doc = nlp("Je adviseert onze klanten over hun woning.")
    assert [span.id_ for span in doc.spans["llo_tags"]] == ["advise"]


def test_dutch_verb_forms_the_lookup_table_lacks() -> None:
    assert verb_stems("stellen") == {"stel"}
    assert verb_stems("maken") == {"maak"}
    assert verb_stems("geven") == {"geef"}
    assert verb_stems("tekenen") == {"teken", "tekeen"}  # the -en syllable may be unstressed
    assert {"stelt", "stelde", "stelden"} == verb_forms("stellen")
    assert {"bouwt", "bouwde", "bouwden"} == verb_forms("bouwen")
    assert "werkte" in verb_forms("werken") and "werk" not in verb_forms("werken")
    assert verb_forms("gaan") == set()


def _curated(*terms: tuple[str, str]):
    """A pipeline that knows only these curated skill terms: (text, id) pairs."""
    return build_pipeline([Term(text, SKILL, concept, "curated") for text, concept in terms])


def _tags(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    return [(span.text, span.id_) for span in doc.spans["llo_tags"]]


def test_a_separable_verb_pairs_with_its_object() -> None:
    nlp = _curated(("begroting opstellen", "budget"))
    assert _tags(nlp, "Je stelt een begroting op.") == [("stelt een begroting", "budget")]
    assert _tags(nlp, "Je stelt een begroting op voor de klant.") == [
        ("stelt een begroting", "budget")
    ]
    assert _tags(nlp, "Met de klant stel je een begroting op, en je rekent.") == [
        ("stel je een begroting", "budget")
    ]
    assert _tags(nlp, "Je leert een begroting op te stellen.") == [
        ("begroting op te stellen", "budget")
    ]
    assert _tags(nlp, "Je weet dat je de begroting opstelt.") == [("begroting opstelt", "budget")]


def test_a_preposition_is_no_particle_and_a_bare_stem_is_a_verb_only_before_its_subject() -> None:
    nlp = _curated(("begroting opstellen", "budget"), ("huis bouwen", "build"))
    assert _tags(nlp, "Je stelt vragen op de begroting.") == []
    assert _tags(nlp, "Het werk aan het huis is af.") == []
    assert _tags(nlp, "Je bouwt een huis.") == [("bouwt een huis", "build")]
    assert _tags(nlp, "Bouw je een huis?") == [("Bouw je een huis", "build")]


def test_a_verb_of_the_same_group_paraphrases_a_task(tagger) -> None:
    found = skills(tagger, "Je plaatst zelfstandig een warmtepomp bij de klant.")
    assert found[S + "install-heat-pump"] == ("plaatst zelfstandig een warmtepomp", "verb-object")


def test_a_task_in_the_passive_voice_is_nobody_s_skill() -> None:
    nlp = _curated(("examens afnemen", "exam"))
    assert _tags(nlp, "Het examen wordt afgenomen door een externe partij.") == []
    assert _tags(nlp, "Je neemt examens af.") == [("neemt examens", "exam")]
    assert _tags(nlp, "Je hebt examens afgenomen.") == [("examens afgenomen", "exam")]
    assert _tags(nlp, "Van jou wordt verwacht dat je examens afneemt.") == [
        ("examens afneemt", "exam")
    ]


def test_an_object_of_several_words_keeps_them_in_front_of_its_noun() -> None:
    nlp = _curated(
        ("persoonlijk leerplan opstellen", "personal"), ("controle van installaties", "check")
    )
    assert list(nlp.get_pipe("llo_resolver").verb_object) == [nlp.vocab.strings["leerplan"]]
    assert _tags(nlp, "Met de leerling stel je een persoonlijk leerplan op.") == [
        ("stel je een persoonlijk leerplan", "personal")
    ]
    assert _tags(nlp, "Je stelt een persoonlijke leerplan op.") == [
        ("stelt een persoonlijke leerplan", "personal")
    ]
    assert _tags(nlp, "Je stelt een leerplan op.") == []


def test_language_and_related_course_fields_are_no_skills_taught(tagger) -> None:
    text = "Je leert Scrum.\nTaal: Nederlandse taal; ook Engelse taal\nOok interessant: Python"
    assert S + "dutch" in skills(tagger, "Je leert de Nederlandse taal.", "Cursus")
    found = skills(tagger, text, "Cursus")
    assert S + "agile" in found
    assert not {S + "dutch", S + "english", S + "python"} & set(found)
    # A field name is at most three words before the colon; past that it is a sentence.
    assert S + "python" in skills(tagger, "Hierna kun je verder met: Python", "Cursus")


def test_a_word_the_lemma_table_lacks_is_lemmatised_by_its_last_part() -> None:
    lemma_of = build_pipeline([]).get_pipe("llo_lemmatizer").lemma_of
    assert lemma_of("btw-aangiften") == "btw-aangifte"  # a hyphenated compound
    assert lemma_of("kwartaalrapportages") == "kwartaalrapportage"  # a closed compound
    assert lemma_of("ketels") == "ketel"  # a plural in -s of a known singular
    assert lemma_of("afstemt") == "afstemmen"
    assert lemma_of("steigerbouwer") == "steigerbouwer"  # "ouwer" is no part of it
    assert lemma_of("python") == "python"
    # A noun made of an adjective has its plural in -n: lemmatised as its singular is.
    assert lemma_of("verpleegkundigen") == lemma_of("verpleegkundige")
    assert lemma_of("verantwoordelijken") == lemma_of("verantwoordelijke")
    assert lemma_of("maanden") != lemma_of("maande")  # -nden is mostly no such plural
    # A plural in -en of a singular the table knows as a lemma, where the table lacks it.
    assert (lemma_of("motoren"), lemma_of("verdeelkasten")) == ("motor", "verdeelkast")


def test_a_particle_takes_no_object_after_it_nor_a_number_as_its_clause_end() -> None:
    nlp = _curated(("begroting opstellen", "budget"))
    assert _tags(nlp, "Je stelt je flexibel op en bespreekt de begroting met de klant.") == []
    assert _tags(nlp, "Je stelt vragen over de begroting op 12 maart.") == []
    assert _tags(nlp, "Je stelt de begroting op, samen met de klant.") == [
        ("stelt de begroting", "budget")
    ]


def test_a_generated_verb_form_is_never_a_word_of_its_own() -> None:
    # "kant", "lift" and "test" are nouns, not forms of "kanten", "liften", "testen".
    nlp = _curated(("plaat kanten", "bend"), ("software testen", "test"))
    assert _tags(nlp, "Leg de plaat aan de kant.") == []
    assert _tags(nlp, "Je sluit af met een test over de software.") == []
    assert _tags(nlp, "Je kantte de plaat.") == [("kantte de plaat", "bend")]


def test_a_field_is_named_by_its_first_word_or_as_a_whole() -> None:
    nlp = _curated(("begroting opstellen", "budget"))
    assert _tags(nlp, "Zakelijke taal: je leert een begroting opstellen.") != []
    assert _tags(nlp, "Ook interessant: je leert een begroting opstellen.") == []


def test_niet_before_a_hyphen_names_no_occupation(tagger) -> None:
    occupations = tagger.tag("Ook niet-verpleegkundigen zijn welkom.", "Cursus").occupations
    assert occupations == []


def test_verbs_coordinated_over_one_object_each_pair_with_it() -> None:
    nlp = _curated(
        ("steiger opbouwen", "build"),
        ("steiger inspecteren", "inspect"),
        ("steiger afbreken", "dismantle"),
    )
    found = _tags(nlp, "Je leert een steiger opbouwen, inspecteren en afbreken.")
    assert sorted(concept for _, concept in found) == ["build", "dismantle", "inspect"]
    assert sorted(c for _, c in _tags(nlp, "Je breekt een steiger af en bouwt hem op.")) == [
        "dismantle"
    ]
    # Other words between the verbs: no coordination over the object.
    found = _tags(nlp, "Je leert een steiger opbouwen met je collega's en afbreken.")
    assert [concept for _, concept in found] == ["build"]


def test_a_language_named_with_a_symbol_is_one_word() -> None:
    nlp = _curated(("c#", "csharp"))
    assert _tags(nlp, "Je programmeert in C# en Python.") == [("C#", "csharp")]
    assert [t.text for t in nlp.make_doc("C# of C#/.NET")] == ["C#", "of", "C#", "/", ".NET"]


def test_an_audience_list_names_no_occupation_but_its_sectors_count(toy_base) -> None:
    text = "Bedoeld voor verpleegkundigen, praktijkbegeleiders en teamleiders."
    for weight, sectors in ((0.0, []), (1.0, ["R"])):
        tagger = Tagger(toy_base, TaggerConfig(audience_sector_weight=weight))
        tags = tagger.tag(text, "Cursus Excel")
        assert tags.occupations == []
        assert [s.concept for s in tags.sectors] == sectors


def test_a_vacancy_titled_docent_is_at_a_school_whatever_its_subject(toy_base) -> None:
    text = "Je geeft les in het ziekenhuis. Het ziekenhuis is groot."
    # "Docent" is too generic to name an occupation, but it names the job family.
    vacancy = Tagger(toy_base).tag(text, "Docent ziekenhuis", kind="vacancy")
    assert vacancy.occupations == []
    assert [s.concept for s in vacancy.sectors] == ["Q", "R"]
    # Schools employ teachers: education stays first however strong the subject's sector.
    strong = Tagger(toy_base, TaggerConfig(sector_term_weight=3.0))
    assert [s.concept for s in strong.tag(text, "Docent ziekenhuis", kind="vacancy").sectors] == [
        "Q",
        "R",
    ]
    # A course's docent is its teacher: no job family.
    course = Tagger(toy_base).tag(text, "Docent ziekenhuis", kind="course")
    assert [s.concept for s in course.sectors] == ["R"]
    (sector,) = Tagger(toy_base).tag("Je geeft les.", "  Docent", kind="vacancy").sectors
    assert (sector.evidence, sector.start, sector.end) == ("Docent", 2, 8)


def test_categories_that_differ_only_in_brackets_are_told_apart(toy_base) -> None:
    tagger = Tagger(toy_base)
    for category, section in (("Overig (techniek)", "C"), ("Overig (bouwkunde)", "F")):
        sectors = tagger.tag("Een korte cursus.", "Cursus", category=category).sectors
        assert [s.concept for s in sectors] == [section]
