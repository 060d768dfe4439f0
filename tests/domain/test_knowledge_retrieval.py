"""Retrieval: ranking, confidence, typos, acronyms, edits of the base and bad input."""

import dataclasses
import math

import pytest

from domain.knowledge import (
    Analyzer,
    Answer,
    Entry,
    EntryKind,
    KnowledgeBase,
    KnowledgeFileError,
    Lexicon,
    format_answer,
    lead_entry,
)
from domain.knowledge.lexicon import SynonymGroup


@pytest.fixture(scope="module")
def shipped() -> KnowledgeBase:
    return KnowledgeBase.from_directory()


def _entry(entry_id: str, title: str, answer: str, questions: tuple[str, ...] = ()) -> Entry:
    return Entry(id=entry_id, title=title, questions=questions, answer=answer, source="test")


def _small_base(**options: float) -> KnowledgeBase:
    lexicon = Lexicon(
        synonym_groups=(SynonymGroup("copil", ("comité de pilotage",)),),
        domain_terms=("copil",),
    )
    return KnowledgeBase(
        [
            _entry("a", "bleu", "vert vert rouge"),
            _entry("b", "noir", "vert"),
            _entry("c", "copil", "le comité de pilotage se réunit"),
        ],
        analyzer=Analyzer(lexicon),
        **options,
    )


def test_bm25_scores_match_hand_computed_values() -> None:
    base = _small_base()
    scores = {s.entry.id: s.score for s in base.rank(base.query_terms("vert"))}
    # Weighted lengths (title words count 2, answer words 1): a = 2 + 3 = 5, b = 2 + 1 = 3,
    # c = 2 (« copil ») + 1 (« comité de pilotage » read as copil) + 1 (« réunit ») = 4;
    # « le » and « se » are stop words.
    average = (5 + 3 + 4) / 3
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    expected_a = idf * 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 5 / average))
    expected_b = idf * 1 * 2.2 / (1 + 1.2 * (0.25 + 0.75 * 3 / average))
    assert scores == pytest.approx({"a": expected_a, "b": expected_b})


def test_confidence_weighs_unknown_words_like_the_rarest_word() -> None:
    base = _small_base()
    best = base.rank(base.query_terms("bleu zorglub"))[0]
    idf_bleu = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    idf_unknown = math.log(1 + (3 + 0.5) / 0.5)
    assert best.entry.id == "a"
    assert best.coverage == pytest.approx(idf_bleu / (idf_bleu + idf_unknown))


def test_half_matched_question_is_unknown_with_the_close_topic_suggested() -> None:
    answer = _small_base().answer("copil zorglub")
    assert answer.entry is None
    assert [entry.id for entry in answer.suggestions] == ["c"]


def test_single_everyday_word_shared_with_an_entry_is_not_enough() -> None:
    base = _small_base()
    assert base.answer("bleu").entry is None  # one term, not a domain term
    assert base.answer("bleu rouge").entry is not None  # two shared terms
    assert base.answer("copil").entry is not None  # a domain term


@pytest.mark.parametrize(
    "question", ["c’est quoi le COPIL ?", "c’est quoi le comité de pilotage ?"]
)
def test_acronym_and_its_expansion_reach_the_same_entry(
    shipped: KnowledgeBase, question: str
) -> None:
    assert shipped.answer(question).entry.id == "copil"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("combien d'indicteurs maximum", "indicateurs-nombre"),
        ("qui est concerne par le spaer", "acheteurs-concernes"),
        ("c’est quoi la comitologi", "comitologie"),
        ("le copile sert a quoi", "copil"),
        ("delai pour elaborer le spsaer", "duree"),
    ],
)
def test_typos_are_corrected_against_the_vocabulary(
    shipped: KnowledgeBase, question: str, entry_id: str
) -> None:
    assert shipped.answer(question).entry.id == entry_id


def test_typo_correction_keeps_the_first_letter(shipped: KnowledgeBase) -> None:
    assert "origine" not in shipped.query_terms("pâte")  # not read as « date »


@pytest.fixture(scope="module")
def shipped_with_frequencies() -> KnowledgeBase:
    from domain.knowledge.frequency import french_zipf

    return KnowledgeBase.from_directory(word_frequency=french_zipf)


@pytest.mark.parametrize(("question", "not_read_as"), [("Qui gère la régie ?", "règle"), ("la vérité sur le SPASER", "verte")])
def test_a_real_word_typed_with_its_accents_is_not_corrected_into_a_known_one(
    shipped_with_frequencies: KnowledgeBase, question: str, not_read_as: str
) -> None:
    # Folded, « régie » is « regie », which French word lists hardly know: the spelling typed decides.
    query = shipped_with_frequencies.query_terms(question)
    assert shipped_with_frequencies.analyzer.terms(not_read_as)[0] not in query
    assert all(weight == 1.0 for weight in query.values())


def test_typo_corrected_words_weigh_less_than_exact_ones(shipped: KnowledgeBase) -> None:
    assert shipped.query_terms("indicteurs") == {"indicateur": pytest.approx(0.8)}


def test_a_question_for_a_document_the_sources_do_not_hold_gets_the_entry_that_says_so(shipped: KnowledgeBase) -> None:
    # « adopter » once sat in a phrasing of the structure entry (« quel plan adopter »), so a
    # question about a deliberation template got the structure of a SPASER, confidently.
    answer = shipped.answer("Où trouver le modèle de délibération pour l’adoption en conseil ?")
    assert answer.entry.id == "adoption-deliberation"
    assert answer.entry.answer.startswith("Nos sources ne précisent ni l’instance")


def test_every_entry_title_leads_back_to_its_entry(shipped: KnowledgeBase) -> None:
    """Related topics are offered as buttons showing the title: pressing one must work."""
    for entry in shipped.entries():
        if entry.kind is not EntryKind.OUT_OF_SCOPE:  # never offered as a related topic
            assert shipped.answer(entry.title).entry == entry, entry.id


def test_related_topics_are_at_most_three_and_exclude_the_answer(shipped: KnowledgeBase) -> None:
    answer = shipped.answer("c’est quoi le copil")
    assert 1 <= len(answer.related) <= 3
    assert answer.entry not in answer.related


def test_a_lead_answer_is_used_once_added_and_replaced_by_id() -> None:
    base = KnowledgeBase.from_directory()
    question = "Quel tableur utilise la direction des achats pour Pilotage+ ?"
    assert base.answer(question).entry is None
    lead = lead_entry(question, "Le tableur partagé\nde la direction des achats.", "Léa, mars 2026")
    assert lead.kind is EntryKind.LEAD
    assert lead.id.startswith("lead-quel-tableur-utilise-la-direction")
    base.add(lead)
    answer = base.answer("le tableur de Pilotage+ ?")
    assert answer.entry == lead
    assert answer.entry.answer == "Le tableur partagé de la direction des achats."
    base.add(lead_entry(question, "L'outil Pilotage+ depuis 2026.", "Léa, avril 2026"))
    assert base.answer(question).entry.answer == "L'outil Pilotage+ depuis 2026."
    assert len(base.entries(EntryKind.LEAD)) == 1


@pytest.mark.parametrize(("question", "answer"), [("  ", "Réponse."), ("Question ?", " \n ")])
def test_lead_entry_refuses_an_empty_question_or_answer(question: str, answer: str) -> None:
    with pytest.raises(KnowledgeFileError, match="vide"):
        lead_entry(question, answer, "Léa")


def test_remove_forgets_the_entry_and_its_words() -> None:
    base = _small_base()
    assert base.remove("a") is True
    assert base.remove("a") is False
    assert base.get("a") is None
    assert "a" not in {s.entry.id for s in base.rank(base.query_terms("vert bleu"))}
    assert base.rank(base.query_terms("bleu")) == []  # its own words are gone from the index
    assert len(base) == 2


def test_replace_kind_swaps_only_that_kind() -> None:
    base = _small_base()
    organisation = EntryKind.ORGANISATION
    old = dataclasses.replace(_entry("org-1", "Ancien", "ancien texte"), kind=organisation)
    new = dataclasses.replace(_entry("org-2", "Nouveau", "nouveau"), kind=organisation)
    base.replace_kind(EntryKind.ORGANISATION, [old])
    base.replace_kind(EntryKind.ORGANISATION, [new])
    assert [e.id for e in base.entries(EntryKind.ORGANISATION)] == ["org-2"]
    assert len(base.entries(EntryKind.REFERENCE)) == 3


def test_replace_kind_with_a_wrong_kind_leaves_the_base_unchanged() -> None:
    base = _small_base()
    before = base.entries()
    with pytest.raises(ValueError):
        base.replace_kind(EntryKind.ORGANISATION, [_entry("x", "x", "reference, not org")])
    assert base.entries() == before


@pytest.mark.parametrize(
    ("question", "problem_part"),
    [
        ("", "vide"),
        ("   \n\t ", "vide"),
        ("SPASER " * 1500, "trop long"),
        ("🙂🎉👍", "aucun mot"),
        ("?!... ---", "aucun mot"),
        ("<script>alert('COPIL')</script>", "aucun mot"),
    ],
)
def test_unusable_messages_get_a_french_reason_and_no_answer(
    shipped: KnowledgeBase, question: str, problem_part: str
) -> None:
    answer = shipped.answer(question)
    assert answer.entry is None
    assert problem_part in answer.problem
    assert answer.problem in format_answer(answer)


@pytest.mark.parametrize(
    "question",
    [
        "[cliquez ici](javascript:alert(1))",
        "<img src=x onerror=alert(1)> bonjour",
        "'; DROP TABLE entries; --",
        "# Titre\n**gras** _italique_ `code`",
        "{{7*7}} ${jndi:ldap://x}",
        "\x00\x01\x02",
    ],
)
def test_injection_attempts_are_unknown_and_never_echoed(
    shipped: KnowledgeBase, question: str
) -> None:
    answer = shipped.answer(question)
    assert answer.entry is None
    assert question.strip() not in format_answer(answer)


def test_a_question_wrapped_in_html_is_still_understood(shipped: KnowledgeBase) -> None:
    assert shipped.answer("<p><b>C’est quoi le COPIL ?</b></p>").entry.id == "copil"


def test_non_string_input_is_treated_as_empty(shipped: KnowledgeBase) -> None:
    assert shipped.answer(None).problem is not None  # type: ignore[arg-type]


def test_format_answer_quotes_the_source_of_a_reference_answer(shipped: KnowledgeBase) -> None:
    text = format_answer(shipped.answer("c’est quoi le copil"))
    assert "COPIL = comité de pilotage" in text
    assert "_Source : Rencontre acheteurs" in text
    assert "Voir aussi :" in text


def test_format_answer_says_it_does_not_know_and_lists_close_topics() -> None:
    close_topic = _entry("c", "Qu’est-ce que le COPIL ?", "x" * 10)
    unknown = Answer(question="q", entry=None, confidence=0.3, suggestions=(close_topic,))
    text = format_answer(unknown)
    assert text.startswith("Je ne sais pas répondre à cette question.")
    assert "Sujets proches :\n- Qu’est-ce que le COPIL ?" in text


def test_an_unknown_question_without_close_topics_is_advised_something_useful() -> None:
    """Issue 17: « par exemple un sigle (COPIL, AMO…) » sent people to guess an acronym."""
    text = format_answer(Answer(question="q", entry=None, confidence=0.1))
    assert text.replace("\u00a0", " ") == (
        "Je ne sais pas répondre à cette question.\nVous pouvez la reformuler en nommant le sujet autrement "
        "(« marché réservé », « clause sociale »…) ou en citant le code d’un indicateur."
    )
    assert "sigle" not in text


def test_format_answer_names_the_lead_as_author_of_lead_entries() -> None:
    lead = dataclasses.replace(_entry("l", "T", "Réponse."), source="mars 2026")
    lead = dataclasses.replace(lead, kind=EntryKind.LEAD)
    text = format_answer(Answer(question="q", entry=lead, confidence=1.0))
    assert "Réponse de la personne responsable du SPASER — mars 2026" in text


def test_a_stop_word_typed_a_letter_off_is_dropped_not_searched(shipped: KnowledgeBase) -> None:
    assert shipped.query_terms("spaser ça veut dire qoui") == {"spaser": 1.0}
    assert shipped.answer("spaser ça veut dire qoui").entry.id == "definition"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("ke doit contenir 1 spaser", "contenu"),
        ("les offices HLM et les SEM sont-ils concernés ?", "acheteurs-concernes"),
        ("pas de SPASER : le préfet peut nous tomber dessus ?", "sanction"),
        ("sans SPASER, on se fait taper sur les doigts ?", "sanction"),
        ("notre maire refuse de s'en mêler, c'est un problème pour le schéma ?", "elus"),
        ("le schéma, on le met en ligne où ?", "publication"),
        ("on doit consulter les assos du territoire pour le SPASER ?", "parties-prenantes"),
        ("comment on suit le schéma d'une année sur l'autre ?", "suivi-annuel"),
        ("la colonne considérations environnementales dit Sans objet, on le compte comment ?", "calcul-indicateurs-decp"),
        ("par quoi on attaque le SPASER ?", "premieres-etapes"),
        ("quelle est la finalité du SPASER ?", "definition"),
    ],
)
def test_everyday_and_texted_words_meet_the_entries(shipped: KnowledgeBase, question: str, entry_id: str) -> None:
    assert shipped.answer(question).entry.id == entry_id


@pytest.mark.parametrize(
    "question",
    [
        "Combien d'indicateurs faut-il pour une ville moyenne ?",
        "combien d'indicateurs pour une petite commune ?",
        "La loi impose-t-elle un nombre minimum d'indicateurs ?",
    ],
)
def test_what_is_counted_outweighs_the_circumstances(shipped, question):
    """« combien d'indicateurs… pour une ville moyenne » went to the duration entry (« en moyenne »),
    « …pour une petite commune » to the threshold."""
    assert shipped.answer(question).entry.id == "indicateurs-nombre"


def test_how_long_is_not_how_many(shipped):
    assert shipped.answer("combien de temps pour une ville moyenne ?").entry.id == "duree"
    assert "compte:duree" in shipped.analyzer.terms("combien de temps")
    assert not any(term.startswith("compte:") for term in shipped.analyzer.terms("combien de fois par an"))
    assert not any(term.startswith("compte:") for term in shipped.analyzer.without_counted().terms("combien de COPIL"))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("le COPIL et le comité de pilotage, c'est pareil ?", "copil"),
        ("clause verte ou clause environnementale, quelle différence ?", "clause-environnementale"),
        ("quelle différence entre clause sociale et critère social ?", "clause-ou-critere"),
        ("différence entre COPIL et COTECH ?", "comitologie"),
    ],
)
def test_two_names_of_one_thing_compared_ask_what_it_is(shipped, question, expected):
    """« clause d'insertion et clause sociale, c'est pareil ? » went to the clause-or-criterion entry."""
    assert shipped.answer(question).entry.id == expected


@pytest.mark.parametrize("question", ["le SPASER est-il dans le CGCT ?", "le SPASER est-il dans le code général des collectivités territoriales ?"])
def test_the_cgct_and_its_expansion_reach_the_legal_basis(shipped: KnowledgeBase, question: str) -> None:
    assert shipped.answer(question).entry.id == "base-legale"


def test_of_two_close_entries_the_one_whose_phrasings_name_the_rarer_word_comes_first() -> None:
    # Both entries hold both words; « loi » says « comités » more often in its answer, but
    # « comités » (the rarer word) is what « frequence » says it answers.
    base = KnowledgeBase(
        [
            _entry("frequence", "À quelle fréquence réunir les comités ?", "Deux fois par an ; la loi ne dit rien."),
            _entry(
                "loi",
                "Que dit la loi ?",
                "La loi prévoit des comités, des comités de suivi et des objectifs.",
                ("Qu'impose la loi ?",),
            ),
            _entry("sanction", "Que risque-t-on sans schéma ?", "Rien n'est prévu par la loi."),
            _entry("origine", "D'où vient l'obligation ?", "De la loi de 2014."),
        ],
        analyzer=Analyzer(Lexicon(synonym_groups=(), domain_terms=())),
    )
    assert base.answer("les comités selon la loi").entry.id == "frequence"



def _committees_base() -> KnowledgeBase:
    """A base about the copil: every entry names it, so it is the subject of the whole base."""
    lexicon = Lexicon(
        synonym_groups=(SynonymGroup("copil", ("comité de pilotage",)),),
        domain_terms=("copil", "direction"),
    )
    return KnowledgeBase(
        [
            _entry("members", "Qui siège au copil ?", "Les élus et la direction siègent au comité de pilotage."),
            _entry("often", "Tous les combien réunir le copil ?", "Le copil se réunit deux fois par an."),
            _entry("minutes", "Qui rédige le compte rendu du copil ?", "La direction des achats, après le copil."),
            _entry("cotech", "Qui siège au cotech ?", "Les services siègent au comité technique."),
        ],
        analyzer=Analyzer(lexicon),
    )


def test_a_question_on_the_subject_diluted_by_its_context_is_answered_on_three_shared_terms() -> None:
    base = _committees_base()
    question = "Le maire hésite encore : les élus siègent-ils au copil ?"
    first = base.rank(base.query_terms(question))[0]
    assert first.coverage < 0.35  # below what coverage alone or with word pieces accepts
    assert base.answer(question).entry.id == "members"


@pytest.mark.parametrize(
    "question",
    [
        "Le maire hésite, la trésorière aussi : les élus viennent-ils au copil ?",  # two shared terms
        "Le maire hésite, la trésorière aussi : les élus siègent-ils à la direction ?",  # not the subject
    ],
)
def test_a_diluted_question_needs_the_base_subject_and_three_shared_terms(question: str) -> None:
    answer = _committees_base().answer(question)
    assert answer.entry is None and answer.ranked_first.id == "members"


def test_the_redirection_of_neighbouring_subjects_does_not_match_the_spaser(shipped: KnowledgeBase) -> None:
    # Every out-of-scope answer starts « … je réponds aux questions sur le SPASER »: indexed, it made
    # « à quoi sert ce document ? le SPASER » look like a question on the DUME.
    holders = {scored.entry.id for scored in shipped.rank(shipped.query_terms("SPASER"))}
    assert not holders & {"hors-sujet-dume", "hors-sujet-ugap", "hors-sujet-ccag"}
    assert shipped.answer("Pour le DUME, je fais comment ?").entry.id == "hors-sujet-dume"


def test_a_real_word_typed_without_its_accents_is_not_corrected_either(shipped_with_frequencies: KnowledgeBase) -> None:
    # « regie » is « régie » typed fast: once corrected into « règle ».
    assert shipped_with_frequencies.analyzer.terms("règle")[0] not in shipped_with_frequencies.query_terms("qui gere la regie ?")
