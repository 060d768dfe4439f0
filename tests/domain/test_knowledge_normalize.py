"""French normalisation: what users type must meet what the entries say."""

import pytest

from domain.knowledge import Analyzer, KnowledgeFileError, Lexicon, fold, tokenize
from domain.knowledge.lexicon import parse_lexicon
from domain.knowledge.normalize import fold_inclusive, spellings, strip_markup
from domain.text import fold as typed_fold
from domain.understanding.understanding import Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.mark.parametrize(
    "written", ["élu·es", "élu.es", "élu-e-s", "élu(e)s", "élu·e·s", "élu•es", "ÉLU·ES", "élus"]
)
def test_inclusive_writing_folds_to_the_plural(written: str) -> None:
    assert tokenize(f"les {written} du territoire") == ["elus", "territoire"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("conseiller·ère·s", "conseillers"),
        ("acteur·rice·s", "acteurs"),
        ("chargé·e", "chargé"),
        ("référent·es", "référents"),
    ],
)
def test_inclusive_writing_keeps_the_base_word(written: str, expected: str) -> None:
    assert fold_inclusive(written) == expected


def test_inclusive_folding_leaves_ordinary_hyphens_and_sentence_dots_alone() -> None:
    assert fold_inclusive("peut-être Saint-Denis. Les élus") == "peut-être Saint-Denis. Les élus"


@pytest.mark.parametrize(
    "apostrophe_text",
    ["l'AMO", "l’AMO", "L'amo", "d'AMO", "qu'AMO", "jusqu'AMO", "l`AMO"],
)
def test_elisions_are_dropped_with_any_apostrophe(apostrophe_text: str) -> None:
    assert tokenize(apostrophe_text) == ["amo"]


def test_each_folded_word_keeps_the_spelling_it_was_typed_in() -> None:
    assert spellings("L’État a-t-il une Régie ? <b>vérité</b>") == {
        "l": "l", "etat": "état", "a": "a", "t": "t", "il": "il", "une": "une", "regie": "régie", "verite": "vérité",
    }


def test_accents_case_and_ligatures_are_folded() -> None:
    assert fold("Élaboration ÉCOLOGIQUE œuvre Très") == "elaboration ecologique oeuvre tres"


@pytest.mark.parametrize("amount", ["50 M€", "50M€", "50 millions d'euros", "50 MEUR", "50 m"])
def test_amounts_in_millions_are_written_one_way(amount: str) -> None:
    assert tokenize(f"seuil de {amount}") == ["seuil", "50", "millions", "euros"]


@pytest.mark.parametrize("reference", ["L2111-3", "L. 2111-3", "l 2111 - 3", "article L2111-3"])
def test_article_references_become_one_token(reference: str) -> None:
    assert "l21113" in tokenize(reference)


def test_stop_words_and_framing_words_are_dropped(analyzer: Analyzer) -> None:
    assert tokenize("Bonjour, je voudrais savoir ce que c'est, le COPIL svp") == ["copil"]
    assert analyzer.terms("SPASER signification") == analyzer.terms("SPASER")


def test_markup_urls_and_scripts_are_not_searched() -> None:
    text = '<b>COPIL</b> <script>alert("x")</script> [lien](https://exemple.fr/amo) www.a.fr'
    assert strip_markup(text).split() == ["COPIL", "lien"]


@pytest.mark.parametrize(
    "forms",
    [
        ("associer", "associe", "associés", "associées", "associent"),
        ("aligner", "alignées", "alignees", "aligné"),
        ("durée", "duree", "durées"),
        ("indicateurs", "indicateur", "INDICATEURS"),
    ],
)
def test_inflections_with_or_without_accents_share_one_term(
    analyzer: Analyzer, forms: tuple[str, ...]
) -> None:
    assert len({tuple(analyzer.terms(form)) for form in forms}) == 1


@pytest.mark.parametrize(
    ("word", "other"),
    [("publication", "publique"), ("qualitatives", "qualité"), ("quantitatives", "quantité"), ("associations", "associer")],
)
def test_snowball_conflations_that_mislead_are_undone(
    analyzer: Analyzer, word: str, other: str
) -> None:
    assert analyzer.terms(word) != analyzer.terms(other)


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("comité de pilotage", "COPIL"),
        ("comités de pilotage", "copil"),
        ("comité technique", "COTECH"),
        ("comité de suivi", "COTECH"),
        ("assistance à maîtrise d'ouvrage", "AMO"),
        ("plan national pour des achats durables", "PNAD"),
        ("économie sociale et solidaire", "ESS"),
        ("directeur général des services", "DGS"),
        ("élu·es", "élus"),
        ("clause d'insertion", "clause sociale"),
        ("schéma de promotion des achats socialement et écologiquement responsables", "SPASER"),
    ],
)
def test_acronyms_and_synonyms_meet_on_one_term(
    analyzer: Analyzer, variant: str, canonical: str
) -> None:
    assert analyzer.terms(variant)[0] == analyzer.terms(canonical)[0]
    assert len(analyzer.terms(canonical)) == 1


def test_the_words_of_an_expanded_acronym_count_too(analyzer: Analyzer) -> None:
    """« promotion » was never indexed: the whole expansion became the one term « spaser »."""
    terms = analyzer.terms("schéma de promotion des achats socialement et écologiquement responsables")
    assert terms[0] == "spaser" and analyzer.terms("promotion")[0] in terms
    assert analyzer.terms("clause d'insertion") == analyzer.terms("clause sociale"), "not an acronym: one term"


def test_domain_terms_come_from_the_lexicon(analyzer: Analyzer) -> None:
    assert set(analyzer.terms("COPIL SPASER indicateurs")) <= analyzer.domain_terms
    assert not set(analyzer.terms("météo recette")) & analyzer.domain_terms


def test_lexicon_groups_are_read_from_markdown_lines() -> None:
    lexicon = parse_lexicon(
        "Commentaire libre.\n## Synonymes et sigles\n- RGPD = règlement général\n"
        "## Termes du domaine\n- SPASER\n"
    )
    assert lexicon.synonym_groups[0].canonical == "RGPD"
    assert lexicon.synonym_groups[0].variants == ("règlement général",)
    assert lexicon.domain_terms == ("SPASER",)
    assert Analyzer(lexicon).terms("règlement général")[0] == "rgpd"


@pytest.mark.parametrize(
    ("text", "message_part"),
    [
        ("## Autre chose\n- a = b\n", "section inconnue"),
        ("- a = b\n", "sous une section"),
        ("## Synonymes et sigles\n- seul\n", "forme retenue = variante"),
        ("## Synonymes et sigles\n- a = \n", "forme retenue = variante"),
    ],
)
def test_lexicon_mistakes_are_reported_in_french(text: str, message_part: str) -> None:
    with pytest.raises(KnowledgeFileError, match=message_part):
        parse_lexicon(text, "lexique.md")


def test_a_phrase_in_two_groups_is_refused() -> None:
    lexicon = parse_lexicon(
        "## Synonymes et sigles\n- COPIL = comité de pilotage\n- COTECH = comités de pilotage\n"
    )
    with pytest.raises(KnowledgeFileError, match="à la fois dans le groupe"):
        Analyzer(lexicon)


def test_shipped_lexicon_loads_without_conflicts() -> None:
    lexicon = Lexicon.from_file()
    assert len(lexicon.synonym_groups) >= 20
    Analyzer(lexicon)


def test_consulting_people_is_not_hiring_a_consultant(analyzer: Analyzer) -> None:
    """« consultant » was a variant of AMO: every « consultez… » and « consultés » read as AMO."""
    assert "amo" not in analyzer.terms("Les représentants du personnel doivent-ils être consultés ?")
    assert "amo" in analyzer.terms("on a pris un consultant extérieur")


def test_texted_words_are_stop_words() -> None:
    assert tokenize("ke doit contenir 1 spaser, c'est quoi ce truc") == ["doit", "contenir", "1", "spaser"]


def test_a_lexicon_phrase_left_with_one_everyday_word_does_not_rewrite_that_word() -> None:
    """« en ligne » (publication) lost « en » as a stop word: every « quelques lignes » read as publishing."""
    analyzer = Analyzer(parse_lexicon("## Synonymes et sigles\n- publication = mettre en ligne = en ligne\n- intégrer = prendre en compte\n"))
    assert "publication" not in analyzer.terms("expliquez-moi en quelques lignes")
    assert "integrer" not in analyzer.terms("ça compte comme une clause ?")
    assert "publication" in analyzer.terms("faut-il mettre en ligne le schéma ?")


@pytest.mark.parametrize(
    ("text", "not_read"),
    [
        ("il n'est en ligne nulle part", "part"),
        ("les grandes parties du schéma", "part"),
        ("on est d'accord ?", "accord"),
        ("on m'en parle à tout bout de champ", "champ"),
        ("j'ai une réunion tout à l'heure", "heure"),
    ],
)
def test_set_phrases_do_not_read_as_their_words(analyzer: Analyzer, text: str, not_read: str) -> None:
    assert not set(analyzer.terms(not_read)) & set(analyzer.terms(text))


def test_a_share_is_still_read_after_the_set_phrases_are_left_out(analyzer: Analyzer) -> None:
    assert analyzer.terms("la part des PME")[0] == analyzer.terms("le pourcentage")[0]
    assert "accord" in analyzer.terms("un accord-cadre")
    assert analyzer.terms("parties prenantes") == analyzer.terms("partie prenante")


def test_two_phrasings_of_one_lexicon_term_are_told_apart_from_one_repeated(analyzer: Analyzer) -> None:
    assert analyzer.names_one_thing_twice(tokenize("le cotech et le comité de suivi"))
    assert not analyzer.names_one_thing_twice(tokenize("la clause sociale et les clauses sociales"))
    assert not analyzer.names_one_thing_twice(tokenize("le copil et le cotech"))


def test_approximate_counts_read_alike(analyzer: Analyzer) -> None:
    """« une soixantaine », « une dizaine »: the entries say « une dizaine d'indicateurs »."""
    assert analyzer.terms("une soixantaine") == analyzer.terms("une dizaine") == analyzer.terms("une quinzaine")


def test_subject_terms_are_the_acronyms_and_phrases_of_the_lexicon(analyzer: Analyzer) -> None:
    assert {"copil", "pnad", "clause_sociale"} <= analyzer.subject_terms
    assert not {"achat", "obligation"} & analyzer.subject_terms


@pytest.mark.parametrize("who", ["conseillère municipale", "conseillers municipaux", "conseiller délégué", "maire adjointe"])
def test_a_councillor_is_read_as_an_elected_member(analyzer: Analyzer, who: str) -> None:
    assert analyzer.terms(who) == analyzer.terms("élue")


def test_an_inventory_is_not_read_as_the_state(analyzer: Analyzer) -> None:
    # « faire un état des lieux de nos achats » is a diagnosis, not a question on the State's SPASER.
    assert analyzer.terms("état des lieux") == analyzer.terms("diagnostic")
    assert analyzer.terms("l'État")[0] not in analyzer.terms("un état des lieux de nos achats")


@pytest.mark.parametrize(
    ("ours", "other"),
    [
        ("nous publions le schéma", "publier le schéma"),
        ("devons-nous publier", "vous devez publier"),
        ("nous le mettons en ligne", "vous le mettez en ligne"),
        ("que nous mettions", "vous mettez"),
        ("nous rédigeons le schéma", "rédiger le schéma"),
        ("nous lançons la démarche", "lancer la démarche"),
        ("nous y associons les élus", "associer les élus"),
        ("adoptons-nous le schéma", "adopter le schéma"),
    ],
)
def test_the_first_person_plural_meets_the_other_forms_of_the_verb(analyzer: Analyzer, ours: str, other: str) -> None:
    assert analyzer.terms(ours) == analyzer.terms(other)


def test_nouns_in_ons_are_not_read_as_verbs(analyzer: Analyzer) -> None:
    assert tokenize("les maisons, les raisons et les saisons") == ["maisons", "raisons", "saisons"]
    assert tokenize("nous avons des questions sur les actions") == ["questions", "actions"]


def test_a_domain_phrase_the_lexicon_does_not_join_names_no_domain_word_alone(analyzer: Analyzer) -> None:
    # « marché réservé » gave « réservé » as a domain term: « c'est réservé aux communes ? » looked on topic.
    assert "reserv" not in analyzer.domain_terms and "march" in analyzer.domain_terms


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011", "\u2212"])
def test_a_code_copied_from_a_card_reads_as_typed(hyphen):
    """Cards and reports print « IND‑09 » with a no-break hyphen; pasted back into the chat it is IND-09."""
    assert fold(f"IND{hyphen}09") == "ind-09" and typed_fold(f"corriger IND{hyphen}09") == "corriger ind-09"
    understood = demo_understander().understand(f"valeur de IND{hyphen}09")
    assert understood.kind is Understood.INTENT and understood.reading.slots.indicator == "IND-09"


def test_every_form_of_suivre_shares_one_term(analyzer: Analyzer) -> None:
    """« comment on suit le SPASER » is about its « suivi »: Snowball gave « suit », « suivr », « suiv »."""
    assert len({tuple(analyzer.terms(form)) for form in ("on suit", "suivre", "le suivi", "suivons", "suivie")}) == 1


def test_a_population_is_no_amount_of_the_spaser() -> None:
    """« 50 000 habitants » would match « 50 millions » of the threshold."""
    assert tokenize("une ville de 50 000 habitants") == ["ville", "habitants"]
    assert tokenize("plus de 50 millions d'achats") == ["50", "millions", "euros", "achats"]


def test_texted_forms_of_address_are_no_words_of_the_question() -> None:
    assert tokenize("Madame, Monsieur, slt, ainsi que avc") == []
