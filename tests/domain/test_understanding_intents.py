"""Which data intent a free-text question is, read against the demo organisation: the rules that
tell apart intents close in words (a trend is an indicator's history, « c'est quoi IND-07 » its
definition)."""

from __future__ import annotations

import pytest

from domain.understanding.understanding import Understander, Understood
from tests.understanding_support import demo_understander


@pytest.fixture(scope="module")
def understander() -> Understander:
    return demo_understander()


def intent_and_slots(understander: Understander, question: str) -> tuple[str | None, dict]:
    understood = understander.understand(question)
    if understood.kind is not Understood.INTENT:
        return None, {}
    slots = understood.reading.slots
    named = {"indicator": slots.indicator, "directorate": slots.directorate, "axis": slots.axis}
    return understood.intent.id, {name: value for name, value in named.items() if value}


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("les heures d'insertion, elles augmentent ?", "IND-03"),
        ("la tendance du délai global de paiement", "IND-11"),
        ("les déchets de chantier valorisés, ça recule depuis janvier ?", "IND-12"),
        ("quelle évolution pour la part des marchés avec une considération sociale en montant", "IND-24"),
    ],
)
def test_a_trend_asked_of_an_indicator_is_its_history(understander, question, code):
    assert intent_and_slots(understander, question) == ("indicator_history", {"indicator": code})


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("c'est quoi au juste IND-07 ?", "IND-07"),
        ("le matériel informatique reconditionné, ça inclut les téléphones ?", "IND-13"),
    ],
)
def test_what_a_named_indicator_is_or_includes_is_its_definition(understander, question, code):
    assert intent_and_slots(understander, question) == ("indicator_definition", {"indicator": code})


@pytest.mark.parametrize(
    ("question", "intent", "named"),
    [
        ("quels indicateurs sont atteints à ce jour", "reached_indicators", {}),
        ("des cibles dépassées ce semestre ?", "reached_indicators", {}),
        ("ils sont dans les clous, nos indicateurs ?", "reached_indicators", {}),
        ("quels objectifs on ne tient pas", "late_indicators", {}),
        ("les indicateurs qui ne sont pas dans les clous", "late_indicators", {}),
        ("des indicateurs toujours pas renseignés côté restauration collective ?", "late_indicators", {"directorate": "DRC"}),
    ],
)
def test_the_state_of_the_indicators_is_read_with_its_negation(understander, question, intent, named):
    assert intent_and_slots(understander, question) == (intent, named)


@pytest.mark.parametrize(
    "question",
    ["que faire si un indicateur n'est pas atteint ?", "trente indicateurs, c'est un plafond à ne pas dépasser ?"],
)
def test_advice_on_indicators_is_not_their_state(understander, question):
    assert intent_and_slots(understander, question)[0] not in {"late_indicators", "reached_indicators"}


@pytest.mark.parametrize(
    ("question", "intent", "named"),
    [
        ("qui coordonne le SPASER ici ?", "who_is_lead", {}),
        ("c'est qui la cheffe de projet du schéma", "who_is_lead", {}),
        ("c'est qui le référent SPASER", "who_is_lead", {}),
        ("qui renseigne les chiffres pour le patrimoine bâti ?", "directorate_referent", {"directorate": "DPB"}),
    ],
)
def test_who_holds_a_role_here_is_the_data_not_the_knowledge_entry(understander, question, intent, named):
    assert intent_and_slots(understander, question) == (intent, named)


@pytest.mark.parametrize("question", ["qui doit piloter le SPASER ?", "qui porte le schéma d'habitude ?"])
def test_who_should_hold_a_role_stays_a_knowledge_question(understander, question):
    assert understander.understand(question).kind is Understood.KNOWLEDGE


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("les indicateurs climat", {"axis": "environnemental"}),
        ("quels indicateurs sociaux on suit", {"axis": "social"}),
        ("affiche les indicateurs de la direction des systèmes d'information", {"directorate": "DSI"}),
    ],
)
def test_the_indicators_of_an_axis_or_a_directorate_are_their_catalogue(understander, question, named):
    intent, slots = intent_and_slots(understander, question)
    assert (intent, {name: getattr(value, "value", value) for name, value in slots.items()}) == ("catalogue", named)


def test_an_axis_is_not_read_from_the_state_of_the_indicators(understander):
    assert intent_and_slots(understander, "les indicateurs au vert ?") == ("reached_indicators", {})


@pytest.mark.parametrize("question", ["des idées d'indicateurs sociaux ?", "quels indicateurs environnementaux utiliser ?"])
def test_advice_on_the_indicators_of_an_axis_is_not_the_catalogue(understander, question):
    assert intent_and_slots(understander, question)[0] != "catalogue"


@pytest.mark.parametrize(
    "question",
    ["qui n'est toujours pas à jour ?", "@assistant c'est qui qui a rien transmis", "qui est à la traîne ce trimestre"],
)
def test_who_is_behind_is_the_directorates_not_up_to_date(understander, question):
    assert intent_and_slots(understander, question) == ("directorates_not_up_to_date", {})


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("la prochaine séance SPASER", "next_meeting"),
        ("le COPIL tombe quand ? faut que je prévienne mon équipe", "next_meeting"),
    ],
)
def test_the_next_meeting_named_or_asked_for_ones_own_needs(understander, question, intent):
    assert intent_and_slots(understander, question)[0] == intent


def test_the_next_meeting_as_the_time_of_a_request_is_not_asked(understander):
    question = "pour la prochaine séance, quels grands axes prévoir dans le schéma ?"
    assert intent_and_slots(understander, question)[0] != "next_meeting"


def test_what_one_named_directorate_has_not_entered_is_its_late_list(understander):
    question = "la liste de ce qui n'est pas saisi pour les systèmes d'information"
    assert intent_and_slots(understander, question) == ("late_indicators", {"directorate": "DSI"})


@pytest.mark.parametrize(("question", "intent"), [("et moi je suis qui pour toi ?", "whoami"), ("tu fais quoi toi ?", "help")])
def test_a_question_of_function_words_only_is_read_by_its_whole_wording(understander, question, intent):
    assert intent_and_slots(understander, question) == (intent, {})


@pytest.mark.parametrize("question", ["et toi tu es qui ?", "oui et alors ?", "pourquoi ?"])
def test_function_words_worded_unlike_any_phrasing_stay_unknown(understander, question):
    assert understander.understand(question).kind is Understood.UNKNOWN


def test_the_referent_of_a_directorate_named_short_is_asked(understander):
    assert intent_and_slots(understander, "le ref de l'info, c'est qui ?") == ("directorate_referent", {"directorate": "DSI"})


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("on en est à combien sur les voitures propres ?", "IND-08"),  # « faibles émissions », in IND-08's title
        ("les kilomètres en voiture électrique, on est à combien ?", "IND-21"),  # « électriques », typed, in IND-21's
    ],
)
def test_of_two_indicators_named_through_synonyms_the_one_titled_with_what_was_meant_is_read(understander, question, code):
    intent, slots = intent_and_slots(understander, question)
    assert (intent, slots.get("indicator")) == ("indicator_value", code)


@pytest.mark.parametrize(
    "question",
    ["je réserve une salle pour la DRC ?", "tu peux me réserver le créneau ?", "faut-il réserver une salle ?", "c'est réservé aux communes ?"],
)
def test_a_word_used_as_a_verb_names_no_indicator(understander, question):
    assert not understander.slots.read(question).names_indicator  # « réserver », not the « marchés réservés »


def test_the_same_word_as_a_noun_s_adjective_still_names_its_indicator(understander):
    assert understander.slots.read("combien de marchés réservés cette année ?").slots.indicator == "IND-06"


@pytest.mark.parametrize(
    "question", ["il me faudrait l'état des lieux du schéma pour le maire", "l'avancement de notre démarche, en bref ?"]
)
def test_the_state_of_the_spaser_asked_is_the_organisation_s_summary(understander, question):
    assert intent_and_slots(understander, question)[0] == "summary"


def test_advice_on_the_spaser_s_review_is_no_summary(understander):
    assert understander.understand("le bilan du schéma doit-il passer en conseil ?").kind is Understood.KNOWLEDGE


def test_how_many_indicators_and_which_is_the_catalogue(understander):
    assert intent_and_slots(understander, "on suit combien d'indicateurs au juste, et lesquels ?") == ("catalogue", {})


@pytest.mark.parametrize(
    "question", ["combien d'indicateurs dans un SPASER, et lesquels ?", "combien d'indicateurs faut-il prévoir et lesquels ?"]
)
def test_how_many_indicators_any_spaser_should_have_is_advice(understander, question):
    assert understander.understand(question).kind is Understood.KNOWLEDGE


@pytest.mark.parametrize("question", ["quelles directions sont à la traîne sur la saisie ?", "dans quels services ça bloque ?"])
def test_which_directorates_are_behind_asked_by_their_state(understander, question):
    assert intent_and_slots(understander, question) == ("directorates_not_up_to_date", {})


def test_the_asker_s_own_directorate_asked_in_the_first_person_is_whoami(understander):
    assert intent_and_slots(understander, "je suis dans quel service déjà ?") == ("whoami", {})
    assert intent_and_slots(understander, "je suis directrice, quelle direction doit saisir ?")[0] != "whoami"


@pytest.mark.parametrize("question", ["tu es un robot ?", "comment tu t'appelles ?", "vous êtes une vraie personne ?"])
def test_small_talk_about_the_assistant_itself_is_help(understander, question):
    # « t'appelles » is no « appel » of the directorates; « agent », « mairie » no training entry.
    assert intent_and_slots(understander, question)[0] == "help"


def test_the_directorates_missing_at_the_roll_call_are_still_asked(understander):
    assert intent_and_slots(understander, "qui manque à l'appel pour les chiffres ?")[0] == "directorates_not_up_to_date"


@pytest.mark.parametrize("question", ["c quoi l'IND-05", "c'est quoi l'IND-12 ?"])
def test_what_an_indicator_named_by_its_code_is_is_its_definition(understander, question):
    assert intent_and_slots(understander, question)[0] == "indicator_definition"


@pytest.mark.parametrize("question", ["qu'est-ce que je dois remplir sur la période en cours ?", "je dois renseigner quoi pour la période ?"])
def test_what_i_must_enter_asked_in_the_first_person_is_my_due(understander, question):
    assert intent_and_slots(understander, question) == ("my_due", {})


def test_how_the_asker_is_registered_is_whoami(understander):
    # « l’assistant » asks no help.
    assert intent_and_slots(understander, "je suis déclarée comment dans l'assistant ?")[0] == "whoami"


def test_entering_the_figures_of_an_indicator_named_opens_its_entry(understander):
    assert intent_and_slots(understander, "je dois saisir les repas végétariens du T2") == ("update_indicators", {"indicator": "IND-18"})
