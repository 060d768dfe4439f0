"""What a question names, read against a small catalogue: indicators, directorates, committees."""

from __future__ import annotations

import pytest

from domain.knowledge.retrieval import KnowledgeBase
from domain.understanding.intents import INTENTS, PHRASINGS_FILES, read_phrasings
from domain.understanding.slots import DirectorateName, IndicatorName, SlotReader
from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander

INDICATORS = [
    IndicatorName("IND-17", "Part des produits biologiques dans la restauration collective"),
    IndicatorName("IND-18", "Repas végétariens servis par semaine dans les restaurants collectifs"),
    IndicatorName("IND-19", "Consommation d’énergie du patrimoine bâti"),
]
DIRECTORATES = [
    DirectorateName("DPB", "Direction du patrimoine bâti"),
    DirectorateName("DRC", "Direction de la restauration collective"),
]


@pytest.fixture(scope="module")
def reader() -> SlotReader:
    knowledge = KnowledgeBase.from_directory()
    return SlotReader(INDICATORS, DIRECTORATES, knowledge.analyzer, knowledge.common_terms())


def test_words_naming_a_directorate_do_not_also_name_an_indicator(reader):
    slots = reader.read("Il manque quoi pour le trimestre côté patrimoine bâti ?").slots
    assert (slots.directorate, slots.indicator) == ("DPB", None)


def test_an_indicator_named_by_code_stays_next_to_a_directorate(reader):
    slots = reader.read("la valeur de IND-19 pour le patrimoine bâti").slots
    assert (slots.directorate, slots.indicator) == ("DPB", "IND-19")


def test_a_time_expression_is_not_a_subject(reader):
    assert reader.read("qui a modifié le chiffre du bio à la cantine la semaine dernière ?").slots.indicator == "IND-17"


@pytest.mark.parametrize(
    ("question", "when", "status"),
    [
        ("le copil c'est quand déjà", True, False),
        ("quand faut-il réunir le copil ?", False, False),
        ("où en est le SPASER ?", False, True),
        ("où en sont les autres collectivités ?", False, False),
    ],
)
def test_questions_asking_when_or_where_things_stand(reader, question, when, status):
    reading = reader.read(question)
    assert (reading.asks_when, reading.asks_status) == (when, status)


def test_every_intent_has_phrasings_in_the_file():
    files = [read_phrasings(path.read_text(encoding="utf-8")) for path in PHRASINGS_FILES]
    assert {intent.id for intent in INTENTS} == {intent_id for phrasings in files for intent_id in phrasings}
    assert sum(len(phrasings) for phrasings in files) == len(INTENTS), "each intent in one file"
    assert all(len(intent.examples) >= 5 for intent in INTENTS)


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


def test_a_directorate_named_by_a_phrase_of_everyday_words(understander):
    reading = understander.slots.read("la restauration collective a pas rempli ses indicateurs ?")
    assert reading.slots.directorate == "DRC"
    assert {"restauration", "collective"} <= reading.explained


def test_late_indicators_of_a_directorate_named_by_its_words(understander):
    understood = understander.understand("la restauration collective a pas rempli ses indicateurs ? lesquels sont en retard")
    assert (understood.intent.id, understood.reading.slots.directorate) == ("late_indicators", "DRC")


def test_an_amount_asked_about_a_named_indicator_is_its_value(understander):
    understood = understander.understand("Combien de repas végétariens par semaine on sert aujourd'hui dans nos restaurants ?")
    assert (understood.kind, understood.intent.id) == (Understood.INTENT, "indicator_value")


def test_a_named_indicator_without_an_amount_asked_is_not_a_data_question(understander):
    assert understander.understand("Quelle sanction disciplinaire pour un agent en retard ?").kind is not Understood.INTENT


def test_ind_is_short_for_indicateur(understander):
    assert understander.understand("ind en retard ?").intent.id == "late_indicators"


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("combien de marchés réservés on a passé ce semestre ?", "IND-06"),
        ("le montant des marchés réservés ?", "IND-26"),
        ("les marchés réservés, vous les comptez comment ?", "IND-06"),
    ],
)
def test_the_count_or_the_amount_of_one_subject(understander, question, code):
    understood = understander.understand(question)
    assert (understood.kind, understood.reading.slots.indicator) == (Understood.INTENT, code)


def test_an_amount_of_a_neighbouring_subject_stays_out_of_scope(understander):
    assert understander.understand("avance obligatoire a partir de combien ? 5 % ou 30 % pour les PME ?").kind is Understood.OUT_OF_SCOPE


def test_a_request_diluted_in_its_context_is_read_from_its_clause(understander):
    understood = understander.understand(
        "Avant le COPIL de jeudi, j'aimerais savoir quels indicateurs n'ont pas été renseignés à temps, "
        "pour ne pas être prise au dépourvu devant mes collègues élus."
    )
    assert understood.intent.id == "late_indicators"


def test_our_own_figure_asked_about_an_indicator_is_its_value_not_the_topic(understander):
    understood = understander.understand("les achats auprès de l'ESS, on en est à combien d'euros ?")
    assert (understood.intent.id, understood.reading.slots.indicator) == ("indicator_value", "IND-04")


def test_a_subject_two_indicators_share_names_both_as_candidates(understander):
    understood = understander.understand("où en est la considération sociale ?")
    assert understood.reading.slots.indicator is None
    assert {candidate.code for candidate in understood.reading.candidates} == {"IND-02", "IND-24"}
    assert sorted(command for _, command in understood.choices) == ["valeur de IND-02", "valeur de IND-24"]


def test_a_share_asked_is_the_share_counted_unless_an_amount_is_asked(understander):
    counted = understander.understand("part des marchés avec clause sociale, dernier chiffre ?")
    in_amount = understander.understand("part des marchés avec clause sociale en montant, dernier chiffre ?")
    assert (counted.intent.id, counted.reading.slots.indicator) == ("indicator_value", "IND-02")
    assert in_amount.reading.slots.indicator == "IND-24"


def test_a_knowledge_question_on_a_shared_subject_names_no_candidates(understander):
    understood = understander.understand("c'est quoi une clause sociale ?")
    assert understood.kind is Understood.KNOWLEDGE and understood.choices == []


@pytest.mark.parametrize(
    ("reply", "code"),
    [("IND-24", "IND-24"), ("ind 24 stp", "IND-24"), ("24", "IND-24"), ("l'indicateur 2", "IND-02"), ("bonjour", None), ("IND-05", None)],
)
def test_the_reply_to_a_question_back_picks_a_candidate(reply, code):
    from domain.understanding.choices import chosen_code

    assert chosen_code(reply, ["IND-24", "IND-02"]) == code


@pytest.mark.parametrize(
    ("question", "intent", "code"),
    [
        ("IND-15 defnition", "indicator_definition", "IND-15"),
        ("d'où sortent les données des déchets de chantier valorisés ?", "indicator_definition", "IND-12"),
        ("les repas végétariens, ça mesure quoi ?", "indicator_definition", "IND-18"),
        ("par qui a été saisi le délai de paiement ?", "indicator_history", "IND-11"),
        ("qui a corrigé les déchets de chantier valorisés ?", "indicator_history", "IND-12"),
    ],
)
def test_what_is_asked_of_a_named_indicator_in_plain_words(understander, question, intent, code):
    understood = understander.understand(question)
    assert (understood.kind, understood.intent.id, understood.reading.slots.indicator) == (Understood.INTENT, intent, code)


def test_the_words_naming_an_axis_leave_what_is_asked_of_it(understander):
    understood = understander.understand("un point sur l'axe social stp")
    assert (understood.intent.id, understood.reading.slots.axis.value) == ("summary", "social")


def test_a_committee_named_as_a_deadline_leaves_the_request(understander):
    deadline = understander.understand("avant le copil, vous pouvez me donner les directions qui n'ont pas fait leur saisie ?")
    about_it = understander.understand("Qui anime le comité technique, le responsable SPASER ?")
    assert deadline.intent.id == "directorates_not_up_to_date"
    assert about_it.kind is Understood.KNOWLEDGE


def test_how_often_is_not_how_much(understander):
    understood = understander.understand("les comités du spaser, on les fait tous les combien ?")
    assert understood.kind is Understood.KNOWLEDGE


def test_the_next_meeting_is_asked_with_a_word_of_time(understander):
    who_sits = understander.understand("Pour la lettre de mission : le COPIL du schéma, qui doit y siéger en pratique ?")
    assert who_sits.intent is None or who_sits.intent.id != "next_meeting"
    assert understander.understand("le prochain cotech c'est quand ?").intent.id == "next_meeting"


@pytest.mark.parametrize(
    "question", ["quels indicateurs on suit dans le schéma ?", "tous les indicateurs suivis dans notre schéma"]
)
def test_the_indicators_we_follow_in_the_spaser_are_the_catalogue(understander, question):
    """« dans le schéma » names what every data question is about: it used to outweigh the request."""
    assert understander.understand(question).intent.id == "catalogue"


def test_the_spaser_alone_with_one_word_stays_a_question_on_the_spaser(understander):
    assert understander.understand("quels axes pour notre futur schéma").kind is Understood.KNOWLEDGE


def test_a_data_request_before_its_purpose_is_read_from_its_clause(understander):
    """A weak knowledge match on the purpose (« …au conseil municipal ») hid the request before it."""
    understood = understander.understand(
        "Est-ce qu'il y a des indicateurs déjà au vert que je pourrais citer lors de mon passage au conseil municipal mardi prochain ?"
    )
    assert understood.intent.id == "reached_indicators"


def test_as_a_referent_is_not_a_question_on_referents(understander):
    understood = understander.understand("En tant que référente, je vais au comité technique de jeudi : on y parle de quoi ?")
    assert understood.intent is None or understood.intent.id != "directorate_referent"


@pytest.mark.parametrize(
    "question",
    ["faites-moi le point : ce qui va bien et ce qui est en retard", "nos réussites et nos points faibles, en bref ?"],
)
def test_what_goes_well_and_what_goes_badly_is_the_summary(understander, question):
    assert understander.understand(question).intent.id == "summary"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        # So diluted that the whole question suggests nothing: its request alone is surely about
        # the entry the whole question ranked first.
        (
            "Entre trois dossiers urgents, un audit, deux départs en retraite et un déménagement ; "
            "si on repousse l'adoption du SPASER, qu'est-ce qu'on risque ?",
            "sanction",
        ),
        # The first suggestion (another entry) is not the entry ranked first.
        (
            "Ma cheffe part en congé, le budget supplémentaire arrive et les arbitrages traînent ; "
            "le COPIL, qui doit y siéger ?",
            "copil",
        ),
        # The request alone is fairly, not surely, about that entry: it still agrees with it.
        (
            "Les directions ont chacune leur liste de vœux après le séminaire ; sur quels principes "
            "s'appuyer pour retenir nos indicateurs ?",
            "indicateurs-choix",
        ),
    ],
)
def test_a_request_agreeing_with_the_entry_ranked_first_answers_a_diluted_question(understander, question, entry_id):
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == entry_id


@pytest.mark.parametrize(
    "question",
    [
        "Avenant de plus de 15 % sur un marché de travaux, c'est possible ?",
        "Peut-on ajouter une clause de réexamen à un marché déjà notifié ?",
        "Le prestataire réclame une rallonge : jusqu'où peut-on modifier un marché en cours ?",
    ],
)
def test_changing_a_contract_under_way_is_a_neighbouring_subject(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.OUT_OF_SCOPE and understood.answer.entry.id == "hors-sujet-modification"


def test_counting_a_contract_changed_several_times_stays_a_spaser_question(understander):
    understood = understander.understand("Pour nos indicateurs, comment compter un marché modifié plusieurs fois ?")
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "calcul-indicateurs-decp"


@pytest.mark.parametrize(
    "question",
    [
        "le référent de ma direction, son rôle ?",
        "Les référents des directions, leur rôle exact ?",
        "Notre schéma prévoit un correspondant achats responsables dans chaque direction, mais ce que "
        "recouvre cette fonction reste flou : vous pouvez m'expliquer ?",
    ],
)
def test_what_a_role_does_is_the_knowledge_entry_not_who_holds_it(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == "referent"


def test_the_duties_of_a_directorates_referent_are_not_its_name(understander):
    understood = understander.understand("Le référent de la direction des systèmes d'information, quelles sont ses attributions ?")
    assert understood.intent is None or understood.intent.id != "directorate_referent"


@pytest.mark.parametrize("question", ["qui est le référent de la DRH ?", "c'est qui le référent chez nous ?"])
def test_who_holds_a_role_is_still_asked_of_the_data(understander, question):
    understood = understander.understand(question)
    assert understood.kind is Understood.INTENT and understood.intent.id == "directorate_referent"


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("Est-ce le CGCT qui impose le SPASER ?", "base-legale"),  # the acronym of the code général des collectivités territoriales
        ("Une grande réunion par an avec tout le monde, c'est suffisant ?", "comitologie"),
        ("faut-il impliquer les élus ou c'est trop technique pour eux ?", "elus"),
        ("Un référent par direction, la loi l'exige ou c'est juste une bonne pratique ?", "referent"),
        ("On refond notre vieux schéma : quelles grandes parties y mettre ?", "structure"),
        (
            "Ma directrice affirme que seules les collectivités territoriales sont visées par l'obligation, elle a raison ?",
            "acheteurs-concernes",
        ),
        ("Le maire attend que le schéma soit terminé pour s'y intéresser, c'est gênant ?", "elus"),
    ],
)
def test_the_words_leads_and_elected_members_use_reach_their_entry(understander, question, entry_id):
    understood = understander.understand(question)
    assert understood.kind is Understood.KNOWLEDGE and understood.answer.entry.id == entry_id
