"""Free-text questions about the organisation's own data, answered from the database in the
asker's scope (real bot, real SQLite file, the example catalogue and its people)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.console import ConsoleConversation
from bot.demo import DEMO_PEOPLE, load_demo
from bot.runtime import build_runtime
from domain.committees.cadence import CommitteeKind
from tests.conftest import make_settings, texts
from tests.indicators_support import seed
from tests.reader_support import plain


@pytest.fixture
async def seeded(runtime):
    await seed(runtime)
    return runtime


async def test_the_lead_asks_what_is_late_and_who_has_not_reported(seeded, talk):
    lead = talk()
    late = texts(await lead.say("quels indicateurs sont en retard ?"))
    behind = texts(await lead.say("qui n'a pas encore rempli ses chiffres ?"))
    assert "Indicateurs à surveiller — Toutes les directions" in late  # a card's bold title (reader 11, C27)
    assert "Indicateurs non renseignés pour les périodes attendues (" in late and "IND-03" in late
    assert "Saisies manquantes — " in behind and "période en cours" not in behind and "- **DCP**\u00a0: " in behind


async def test_a_contributor_gets_late_indicators_of_her_directorate_only(seeded, talk):
    late = texts(await talk("nadia-aad", "Nadia Benali").say("qu'est-ce qui est en retard chez nous ?"))
    assert "— Direction DCP" in late
    assert "IND-12" not in late, "a DPB indicator"


async def test_who_is_the_lead_and_who_reports_for_a_directorate(seeded, talk):
    official = talk("maire-aad", "Hélène Dubois")
    await talk().say("qui suis-je")  # the lead's first message registers her Teams identity
    lead_answer = texts(await official.say("c'est qui le responsable spaser ?"))
    referents = texts(await official.say("qui remplit les indicateurs de la direction DPB ?"))
    assert lead_answer.startswith("La personne responsable du SPASER est **Camille Martin**")
    assert referents == "Pour la direction **DPB** (Direction DPB), Julien Petit renseigne les indicateurs."


async def test_an_indicator_is_found_by_its_subject_or_code(seeded, talk):
    nadia = talk("nadia-aad", "Nadia Benali")
    hours = texts(await nadia.say("combien d'heures d'insertion on a fait ?"))
    defined = texts(await nadia.say("comment est calculé IND-02 ?"))
    vague = texts(await nadia.say("on en est où sur cet indicateur ?"))
    assert hours.startswith("**IND-03** — Heures d'insertion professionnelle")
    assert defined.startswith("**IND-02** — Part des marchés notifiés comportant au moins une considération sociale")
    assert "Renseigné par la direction DCP" in defined
    assert vague.startswith("De quel indicateur parlez-vous\u00a0?")


async def test_an_everyday_word_or_a_committee_does_not_name_an_indicator(seeded, talk):
    nadia = talk("nadia-aad", "Nadia Benali")
    time_of_day = texts(await nadia.say("Quelle heure est-il ?"))
    cotech = texts(await nadia.say("c'est quoi un cotech ?"))
    assert "IND-03" not in time_of_day and "De quel indicateur" not in time_of_day
    assert "IND-14" not in cotech and "comité technique" in cotech.lower()


async def test_the_next_committee_in_everyday_words(seeded, talk):
    reply = texts(await talk("nadia-aad", "Nadia Benali").say("c quand le prochain copil"))
    assert reply == "Aucune réunion de COPIL n’est planifiée pour le moment."


async def test_cancel_with_nothing_in_progress_says_so(seeded, talk):
    assert texts(await talk().say("annuler")).startswith("Il n’y a rien en cours à annuler.")
    assert texts(await talk().say("laisse tomber, annule")).startswith("Il n’y a rien en cours à annuler.")


async def test_an_unregistered_person_asking_about_the_data_is_told_how_to_be_registered(seeded, talk):
    reply = texts(await talk("stranger-aad", "Paul Inconnu").say("quels indicateurs sont en retard ?"))
    assert "IND-" not in reply
    assert "enregistr" in reply


async def test_a_question_the_lead_attaches_to_an_entry_is_answered_by_it_on_every_instance(seeded, talk, sqlite_database, clock):
    question = "Le logo du schéma doit-il figurer sur les courriers aux fournisseurs ?"
    first = texts(await talk("nadia-aad", "Nadia Benali").say(question))
    assert "Je ne sais pas" in first
    [(question_id, _, _)] = await seeded.knowledge.open_questions()

    lead = talk()
    attached = texts(await lead.say(f"rattacher la question {question_id} à equipe-projet"))
    other_instance = build_runtime(make_settings(sqlite_database.url), database=sqlite_database, clock=clock)
    later = texts(await ConsoleConversation(other_instance, aad_object_id="julien-aad", name="Julien Petit").say(question))

    assert attached.startswith("C’est noté")
    assert await seeded.knowledge.open_questions() == []
    assert later.startswith(f"**{(await seeded.knowledge.knowledge_base()).get('equipe-projet').title}**")


async def test_an_indicator_renamed_by_the_lead_is_found_by_its_new_subject_at_once(seeded, talk):
    lead = talk()
    before = texts(await lead.say("où en sont les trottinettes électriques ?"))
    await lead.say("modifier IND-03 libellé Trottinettes électriques en service")
    after = texts(await lead.say("où en sont les trottinettes électriques ?"))
    assert "IND-03" not in before
    assert after.startswith("**IND-03** — Trottinettes électriques en service")


async def test_when_is_a_committee_asks_for_its_date_not_for_what_it_is(seeded, talk):
    nadia = talk("nadia-aad", "Nadia Benali")
    when = texts(await nadia.say("le copil c'est quand déjà"))
    advice = texts(await nadia.say("quand faut-il réunir le copil ?"))
    assert when == "Aucune réunion de COPIL n’est planifiée pour le moment."
    assert "COPIL n’est planifiée" not in advice and "par an" in advice


async def test_where_do_we_stand_gives_the_summary(seeded, talk):
    lead = talk()
    overall = await lead.say("Où en est le SPASER globalement ?")
    assert any(card.content_type == "application/vnd.microsoft.card.adaptive" for a in overall for card in a.attachments or [])
    assert "Je ne peux pas vous aider sur ce point" not in texts(overall)



async def test_an_indicator_named_in_a_question_about_everything_is_asked_about_itself(seeded, talk):
    reply = texts(await talk().say("IND-08 est-il en retard ?"))
    assert reply.startswith("**IND-08**")


async def test_a_time_expression_does_not_name_an_indicator(seeded, talk):
    reply = texts(await talk().say("qui a saisi les déchets de chantier valorisés cette année ?"))
    assert "IND-12" in reply and "IND-14" not in reply


async def test_who_entered_an_indicator_named_by_its_subject_gets_its_history(seeded, talk):
    """« qui a saisi… » was answered with the value; and the history then read the directorate from
    the words typed after its subject (« La direction « CHANTIER » n’existe pas »)."""
    lead = talk()
    await lead.say("qui suis-je")
    typed = texts(await lead.say("qui a saisi les déchets de chantier valorisés cette année ?"))
    past_tense = texts(await lead.say("Je voudrais voir qui a renseigné quoi et quand pour le délai de paiement"))
    assert typed.startswith("**IND-12**") and "Aucune valeur saisie" in typed and "n’existe pas" not in typed
    assert past_tense.startswith("**IND-11**") and "Aucune valeur saisie" in past_tense


async def test_a_committee_named_as_a_deadline_is_not_a_question_about_its_date(seeded, talk):
    reply = texts(await talk().say("Le COTECH veut un sommaire pour la prochaine séance, quels grands axes prévoir dans le schéma ?"))
    assert "planifiée" not in reply and "axe" in reply.lower()


async def test_the_indicators_we_follow_in_the_schema_is_the_catalogue(seeded, talk):
    lead = talk()
    assert texts(await lead.say("quels indicateurs on suit dans le schéma ?")) == texts(await lead.say("catalogue"))


async def test_what_goes_well_and_what_is_late_is_the_summary_not_the_late_list(seeded, talk):
    lead = talk()
    asked = texts(await lead.say("Pour le bureau de lundi, faites-moi le point : ce qui va bien et ce qui est en retard"))
    assert asked == texts(await lead.say("synthèse"))



async def test_a_directorate_in_everyday_words_gets_its_own_data(runtime, talk, tmp_path):
    """« l'informatique » is the Direction des systèmes d'information; « a-t-elle rempli ? » asks
    what it has not entered, and « le service informatique » its indicators, not an indicator on
    computers nor the « comité de suivi »."""
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = talk(DEMO_PEOPLE[0].aad_object_id, DEMO_PEOPLE[0].name)
    entered = texts(await lead.say("l'informatique a bien rempli ses indicateurs ?"))
    listed = texts(await lead.say("les indicateurs que suit le service informatique"))
    assert entered == texts(await lead.say("indicateurs en retard direction DSI"))
    assert listed == texts(await lead.say("catalogue direction DSI")) and "IND-13" in listed and "IND-17" not in listed


async def test_small_talk_and_questions_about_the_assistant_get_their_own_answer(seeded, talk):
    lead = talk()
    greeting = texts(await lead.say("Salut, ça va ?"))
    can_do = texts(await lead.say("qu'est-ce que tu sais faire ?"))
    assert greeting.startswith("Bonjour\u00a0!")
    assert can_do == texts(await lead.say("aide"))


async def test_the_directorates_behind_asked_as_a_list_are_not_the_list_of_directorates(seeded, talk):
    lead = talk()
    assert texts(await lead.say("liste des directions qui n'ont pas saisi")) == texts(await lead.say("directions en retard"))


async def _plan_meetings(runtime) -> None:
    paris = ZoneInfo("Europe/Paris")
    await runtime.committees.plan(CommitteeKind.COPIL, datetime(2026, 12, 15, 14, tzinfo=paris))
    await runtime.committees.plan(CommitteeKind.COTECH, datetime(2027, 2, 16, 10, tzinfo=paris))
    await runtime.committees.plan(CommitteeKind.COPIL, datetime(2027, 3, 12, 14, tzinfo=paris))
    await runtime.committees.plan(CommitteeKind.COTECH, datetime(2028, 1, 11, 10, tzinfo=paris))


async def test_the_meetings_ahead_asked_in_everyday_words_are_listed_in_the_askers_scope(seeded, talk):
    """« calendrier des comités » from a contributor: her comités techniques, never the lead's
    year plan refused; an élu·e's, the COPIL of the year; the lead's, every committee of a year."""
    await _plan_meetings(seeded)
    nadia = talk("nadia-aad", "Nadia Benali")
    calendar = plain(texts(await nadia.say("calendrier des comités")))
    cotech = plain(texts(await nadia.say("c'est quand les prochains cotech ?")))
    this_year = plain(texts(await talk("maire-aad", "Hélène Dubois").say("toutes les dates de réunions prévues cette année")))
    planning = plain(texts(await talk().say("planning des comités 2027 ?")))

    assert "réservée" not in calendar and calendar.startswith("Vos comités à venir"), calendar
    assert "mardi 16 février 2027" in calendar and "mardi 11 janvier 2028" in calendar and "pilotage" not in calendar
    assert cotech.startswith("Comités techniques à venir") and cotech.count("Comité technique n°") == 2, cotech
    assert this_year.startswith("Vos comités prévus en 2026"), this_year
    assert "mardi 15 décembre 2026" in this_year and "2027" not in this_year
    assert planning.startswith("Comités prévus en 2027"), planning
    assert "mardi 16 février 2027" in planning and "vendredi 12 mars 2027" in planning
    assert "2026" not in planning and "2028" not in planning


async def test_the_agenda_link_is_still_asked_for_with_the_calendar_words(seeded, talk):
    link = plain(texts(await talk("nadia-aad", "Nadia Benali").say("s'abonner au calendrier des comités")))
    assert link.startswith("Votre agenda des comités SPASER : http"), link


async def test_the_value_of_an_indicator_on_a_neighbouring_subject_is_ours_its_rule_is_not(seeded, talk):
    """« le délai de paiement c'est combien de jours » asks the payment-delay indicator's figure, no
    longer the out-of-scope answer on payment deadlines; the legal delay stays out of scope."""
    nadia = talk("nadia-aad", "Nadia Benali")
    figure = texts(await nadia.say("le délai de paiement c'est combien de jours"))
    legal = texts(await nadia.say("quel est le délai légal de paiement ?"))
    assert figure.startswith("**IND-11** — Délai global de paiement des fournisseurs"), figure
    assert "Je ne peux pas vous aider sur ce point" in legal and "IND-11" not in legal, legal
