"""The wording rules of the understanding layer, read against the demo organisation: what a
question's words allow (« j'ai… » is the asker's own due, a date needs a meeting), what names a
directorate or an axis in everyday words, and what is only context (a deadline, a format)."""

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
    named = {"indicator": slots.indicator, "directorate": slots.directorate, "axis": getattr(slots.axis, "value", None)}
    return understood.intent.id, {name: value for name, value in named.items() if value}


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("les indicateurs que suit le service informatique", {"directorate": "DSI"}),
        ("quels indicateurs sont suivis par l'informatique ?", {"directorate": "DSI"}),
    ],
)
def test_a_directorate_named_by_a_word_of_the_family_of_its_name(understander, question, named):
    assert intent_and_slots(understander, question) == ("catalogue", named)


def test_tracked_indicators_name_no_committee(understander):
    assert understander.slots.read("les indicateurs suivis par la DRH").slots.committee is None


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("la personne qui saisit pour la commande publique ?", {"directorate": "DCP"}),
        ("à qui je demande les chiffres des ressources humaines ?", {"directorate": "DRH"}),
    ],
)
def test_a_directorate_named_by_everyday_domain_words_has_its_referent(understander, question, named):
    assert intent_and_slots(understander, question) == ("directorate_referent", named)


def test_a_directorate_introduced_as_such_is_named_by_an_everyday_word(understander):
    assert understander.slots.read("état des lieux direction environnement").slots.directorate == "DEE"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("la DSI a bien rempli ses indicateurs ?", {"directorate": "DSI"}),
        ("qu'est-ce qui n'a pas été saisi côté systèmes d'information ?", {"directorate": "DSI"}),
        ("rien d'oublié du côté du patrimoine bâti ?", {"directorate": "DPB"}),
    ],
)
def test_what_a_directorate_named_has_not_entered_is_its_late_list(understander, question, named):
    assert intent_and_slots(understander, question) == ("late_indicators", named)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("qu'est-ce qui est au vert ce trimestre ?", "reached_indicators"),
        ("quels indicateurs atteignent leur cible ?", "reached_indicators"),
        ("des indicateurs en souffrance ?", "late_indicators"),
        ("quelles équipes sont à la bourre ?", "directorates_not_up_to_date"),
        ("quelles directions ont oublié de remplir leurs indicateurs", "directorates_not_up_to_date"),
    ],
)
def test_the_state_of_the_indicators_in_everyday_words(understander, question, intent):
    assert intent_and_slots(understander, question) == (intent, {})


@pytest.mark.parametrize(
    "question",
    [
        "j'ai quelque chose à remettre bientôt ?",
        "j'ai des dossiers à rendre bientôt ?",
        "il me reste des indicateurs à compléter ce mois-ci ?",
        "je suis bien à jour dans mes saisies ?",
        "mes indicateurs sont à jour ?",
        "qu'est-ce que j'ai à saisir cette fois ?",
        "que dois-je saisir avant la date limite ?",
    ],
)
def test_what_the_asker_has_to_enter_is_asked_in_the_first_person(understander, question):
    assert intent_and_slots(understander, question) == ("my_due", {})


@pytest.mark.parametrize("question", ["je voudrais rentrer les valeurs du trimestre", "je commence à remplir mes indicateurs"])
def test_the_asker_about_to_enter_values_opens_the_entry(understander, question):
    assert intent_and_slots(understander, question) == ("update_indicators", {})


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("donne-moi le chiffre du bio à la cantine ce trimestre", "IND-17"),
        ("c'est quoi le chiffre des kilomètres en véhicules électriques ce mois-ci", "IND-21"),
        ("le délai global de paiement, il est calculé comment ?", "IND-11"),
        ("c'est quoi un déchet valorisé dans l'indicateur ?", "IND-12"),
    ],
)
def test_an_indicator_named_by_its_subject_is_asked_its_figure_or_its_definition(understander, question, code):
    intent, slots = intent_and_slots(understander, question)
    assert (intent, slots.get("indicator")) == ("indicator_definition" if "calcul" in question or "quoi un" in question else "indicator_value", code)


@pytest.mark.parametrize(
    "question",
    ["une formation sur les achats durables pour nos acheteurs ?", "l'article L2113-13, ça correspond à quoi ?"],
)
def test_the_words_naming_an_indicator_count_for_the_intents_about_other_things(understander, question):
    assert understander.understand(question).kind is Understood.KNOWLEDGE


def test_how_to_measure_a_subject_is_advice_unless_the_indicator_is_named(understander):
    assert understander.understand("comment mesurer la part de bio dans nos cantines ?").kind is Understood.KNOWLEDGE
    assert intent_and_slots(understander, "comment calculer l'indicateur IND-17 ?") == ("indicator_definition", {"indicator": "IND-17"})


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("un résumé sur l'économie responsable", {"axis": "économie responsable"}),
        ("bilan gouvernance stp", {"axis": "gouvernance"}),
    ],
)
def test_an_axis_named_by_its_very_name_is_the_summary_of_that_axis(understander, question, named):
    assert intent_and_slots(understander, question) == ("summary", named)


@pytest.mark.parametrize("question", ["un point rapide sur le SPASER pour le maire, en trois lignes", "une vue globale stp"])
def test_a_format_asked_is_no_subject(understander, question):
    assert intent_and_slots(understander, question) == ("summary", {})


def test_all_the_indicators_asked_is_the_catalogue(understander):
    assert intent_and_slots(understander, "tous les indicateurs stp") == ("catalogue", {})


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("calendrier des comités", "upcoming_meetings"),
        ("c'est quand les prochains cotech ?", "upcoming_meetings"),
        ("les dates des copil 2027", "upcoming_meetings"),
        ("c'est quand le prochain cotech ?", "next_meeting"),
        ("s'abonner au calendrier des comités", "calendar"),
    ],
)
def test_meetings_ahead_in_the_plural_or_for_a_year_are_listed(understander, question, expected):
    assert intent_and_slots(understander, question)[0] == expected


@pytest.mark.parametrize(
    "question",
    [
        "quels comités mettre en place pour le spaser ?",
        "les comités prévus par la loi",
        "combien de réunions par an pour les comités ?",
        "qui participe aux prochains comités ?",
    ],
)
def test_committees_in_general_are_no_list_of_meetings(understander, question):
    assert intent_and_slots(understander, question)[0] != "upcoming_meetings"


def test_the_year_of_a_list_of_meetings_is_a_slot_its_command_carries(understander):
    understood = understander.understand("planning des copil de l'année prochaine")
    assert understood.intent.id == "upcoming_meetings" and understood.command == "lister les copil l’année prochaine"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("le délai de paiement c'est combien de jours", Understood.INTENT),
        ("notre délai de paiement moyen ?", Understood.INTENT),
        ("quel est le délai légal de paiement ?", Understood.OUT_OF_SCOPE),
        ("Délai global de paiement : 30 jours ou 50 jours ?", Understood.OUT_OF_SCOPE),
        ("Quel délai de paiement maximum pour l'État ?", Understood.OUT_OF_SCOPE),
        ("combien de jours pour payer une facture ?", Understood.OUT_OF_SCOPE),
    ],
)
def test_an_indicator_sharing_a_neighbouring_subject_answers_its_figure_not_the_rule(understander, question, kind):
    understood = understander.understand(question)
    assert understood.kind is kind
    if kind is Understood.INTENT:
        assert (understood.intent.id, understood.reading.slots.indicator) == ("indicator_value", "IND-11")
