"""Questions about the SPASER through the real bot: answers, honest unknowns, the lead's answers,
the organisation's own SPASER sent as a Teams file, and bad input."""

from __future__ import annotations

import pytest

from bot.console import ConsoleConversation
from bot.runtime import build_runtime
from domain.people import UNREGISTERED_REFUSAL, Role
from domain.text import shown
from tests.conftest import make_settings, texts
from tests.files_support import file_message
from tests.paths import DATA

SAMPLE_SPASER = DATA / "spaser-exemple.md"
UNKNOWN_QUESTION = "Où est rangé le modèle de délibération ?"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("c'est quoi un spaser ?", "Schéma de promotion des achats publics socialement et écologiquement responsables"),
        ("a partir de quel montant d'achat on doit faire un spaser", "50\u00a0millions"),
        ("combien de fois par an réunir les élu·es ?", "1 à 2\u00a0fois par an"),
        ("ca prend combien de temps d'elaborer le spaser", "6\u00a0mois"),
        ("le SPASER, c'est obligatoire à partir de combien ?", "50\u00a0millions"),
    ],
)
async def test_founding_text_questions_are_answered_with_their_source(talk, question, expected):
    reply = texts(await talk().say(question))
    assert expected.lower() in reply.lower()
    assert "Source" in reply


async def test_a_long_question_is_answered_by_its_last_clause_when_the_context_dilutes_it(talk, runtime):
    question = (
        "Je prépare une note pour le cabinet du maire avant la séance de jeudi soir : au niveau "
        "national, quelle part des marchés comporte une clause environnementale ?"
    )
    reply = texts(await talk().say(question))
    assert "Source" in reply and "Je ne sais pas" not in reply
    assert await runtime.knowledge.open_questions() == []


async def test_small_talk_before_a_spaser_question_does_not_make_it_off_topic(talk):
    question = "Je sors d'une réunion avec le DGS et il m'a posé une colle : le SPASER, c'est obligatoire à partir de combien ?"
    reply = texts(await talk().say(question))
    assert "50\u00a0millions" in reply and "Je ne peux pas vous aider sur ce point" not in reply


async def test_off_topic_gets_an_honest_not_my_subject_and_stays_out_of_the_leads_queue(talk, runtime):
    reply = texts(await talk("agent-aad", "Paul").say("Quel temps fera-t-il demain à Lyon ?"))
    assert "Je ne peux pas vous aider sur ce point" in reply and "Source" not in reply
    assert await runtime.knowledge.open_questions() == []


async def test_a_neighbouring_procurement_subject_says_where_to_look(talk, runtime):
    reply = texts(await talk("agent-aad", "Paul").say("c'est quoi le seuil des MAPA pour les travaux ?"))
    assert reply.startswith("Je ne peux pas vous aider sur ce point") and "economie.gouv.fr/daj" in reply
    assert "direction des affaires juridiques des ministères économiques et financiers" in " ".join(reply.split())
    assert "Bercy" not in reply and "pas mon sujet" not in reply
    assert await runtime.knowledge.open_questions() == []


async def test_unanswered_question_reaches_the_lead_who_answers_and_the_next_user_gets_it(talk, runtime):
    asker = talk("agent-aad", "Paul Martin")
    first = texts(await asker.say(UNKNOWN_QUESTION))
    assert "Je ne sais pas" in first and "transmis votre question" in first

    lead = talk()
    listing = texts(await lead.say("questions sans réponse"))
    assert shown(UNKNOWN_QUESTION) in listing, "as others read it: « délibération\u00a0? »"
    question_id = (await runtime.knowledge.open_questions())[0][0]
    assert "Quelle est la réponse" in texts(await lead.say(f"répondre à la question {question_id}"))
    assert "Confirmez-vous" in texts(await lead.say("Le modèle est sur l'intranet, rubrique Achats > SPASER."))
    assert "sera donnée à partir de maintenant" in texts(await lead.say("oui"))

    later = texts(await talk("other-aad", "Zoé").say("ou est range le modele de deliberation ?"))
    assert "intranet, rubrique Achats" in later
    assert await runtime.knowledge.open_questions() == []


async def test_a_lead_answer_is_used_by_another_instance_on_the_same_database(sqlite_database, clock, runtime, talk):
    await talk("agent-aad", "Paul").say(UNKNOWN_QUESTION)
    lead = await runtime.people.get_by_identity("local-tenant", "lead-aad") or await runtime.people.identify(
        "local-tenant", "lead-aad", "Camille"
    )
    question_id = (await runtime.knowledge.open_questions())[0][0]
    other_instance = build_runtime(make_settings(sqlite_database.url), database=sqlite_database, clock=clock)
    await other_instance.knowledge.knowledge_base()
    await runtime.knowledge.answer_question(question_id, "Sur l'intranet, rubrique Achats.", lead)
    reply = texts(await ConsoleConversation(other_instance, aad_object_id="x-aad", name="X").say(UNKNOWN_QUESTION))
    assert "rubrique Achats" in reply


async def test_answering_is_for_the_lead_only(talk, runtime):
    await talk("agent-aad", "Paul").say(UNKNOWN_QUESTION)
    assert texts(await talk("agent-aad", "Paul").say("répondre à la question 1")) == UNREGISTERED_REFUSAL


async def test_lead_imports_our_spaser_as_a_teams_file_and_it_is_quoted(talk, runtime, file_server):
    file_server.files["spaser-valmont.md"] = SAMPLE_SPASER.read_bytes()
    lead = talk()
    imported = texts(await lead.send(file_message(lead, file_server, "spaser-valmont.md")))
    assert "est importé" in imported and "sections" in imported
    quoted = texts(await talk("agent-aad", "Paul").say("Que dit notre SPASER sur les clauses sociales ?"))
    assert "Votre SPASER" in quoted and "40 000\u00a0heures d'insertion" in quoted


async def test_reimport_replaces_the_previous_version(talk, runtime, file_server):
    file_server.files["v1.md"] = SAMPLE_SPASER.read_bytes()
    file_server.files["v2.md"] = "# SPASER v2\n\n## Clauses sociales\n\nDésormais 55 000 heures d'insertion par an.\n".encode()
    lead = talk()
    await lead.send(file_message(lead, file_server, "v1.md"))
    second = texts(await lead.send(file_message(lead, file_server, "v2.md")))
    assert "remplace « v1.md »" in second
    quoted = texts(await talk("agent-aad", "Paul").say("Que dit notre SPASER sur les clauses sociales ?"))
    assert "55 000\u00a0heures" in quoted and "40 000" not in quoted


async def test_a_pdf_that_is_not_a_pdf_is_refused_and_the_previous_version_kept(talk, runtime, file_server):
    file_server.files["v1.md"] = SAMPLE_SPASER.read_bytes()
    file_server.files["faux.pdf"] = b"ceci n'est pas un PDF"
    lead = talk()
    await lead.send(file_message(lead, file_server, "v1.md"))
    refused = texts(await lead.send(file_message(lead, file_server, "faux.pdf")))
    assert "Rien n’a été modifié" in refused
    assert (await runtime.knowledge._repository.current_document()).filename == "v1.md"


async def test_only_the_lead_can_import_and_unknown_file_types_are_explained(talk, runtime, file_server):
    await runtime.directorates.add("DCP", "Commande publique")
    await runtime.people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DCP")
    file_server.files["v1.md"] = SAMPLE_SPASER.read_bytes()
    file_server.files["photo.jpg"] = b"\xff\xd8"
    agent = talk("agent-aad", "Paul")
    assert "Seules les personnes responsables du SPASER peuvent importer" in texts(await agent.send(file_message(agent, file_server, "v1.md")))
    assert await runtime.knowledge._repository.current_document() is None
    assert "Formats acceptés" in texts(await agent.send(file_message(agent, file_server, "photo.jpg")))


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("a" * 10_000, "trop long"),
        ("🙂🙂🎉", "aucun mot"),
        ("<script>alert('x')</script>", "aucun mot"),
        ("**[clique](javascript:alert(1))**", "Je n’ai pas compris votre message"),
    ],
)
async def test_bad_input_gets_a_clear_french_reply_and_is_not_queued_for_the_lead(talk, runtime, message, expected):
    reply = texts(await talk("agent-aad", "Paul").say(message))
    assert expected in reply
    assert "<script>" not in reply
    assert all(len(text) < 1_100 for _, text, _ in await runtime.knowledge.open_questions())


async def test_asking_for_agreement_is_not_a_question_on_framework_agreements(talk):
    """« on est d'accord ? » read as « accord » (accord-cadre): the SPASER question was sent away."""
    reply = texts(await talk().say("Le SPASER, c'est le schéma des achats responsables, on est d'accord ?"))
    assert "Qu’est-ce que le SPASER" in reply and "Je ne peux pas vous aider sur ce point" not in reply


async def test_how_many_indicators_for_a_small_town_is_not_the_threshold(talk):
    """« combien d'indicateurs pour une petite commune ? » was answered with the 50 M€ threshold."""
    reply = texts(await talk().say("combien d'indicateurs pour une petite commune ?"))
    assert reply.startswith("**Combien d’indicateurs prévoir dans le SPASER")


@pytest.mark.parametrize(
    ("question", "title"),
    [
        (
            "Vous pouvez m'expliquer ce qu'est un marché réservé, pour que je puisse répondre à une élue sans me tromper ?",
            "Qu’est-ce qu’un marché réservé",
        ),
        ("Expliquez-moi simplement le PNAD pour que je puisse le présenter demain au bureau des adjoints sans hésiter", "PNAD"),
        # « afin d’en… », « pour qu’il… »: the purpose read only when a space followed « d’ » or « qu’ ».
        ("Expliquez-moi simplement le PNAD afin d'en parler demain au bureau des adjoints sans hésiter", "PNAD"),
        ("Expliquez-moi simplement le PNAD pour qu'il soit présenté demain au bureau des adjoints sans hésiter", "PNAD"),
    ],
)
async def test_a_question_is_answered_without_its_purpose_clause(talk, runtime, question, title):
    """« …, pour que je puisse répondre à une élue » diluted the request into « je ne sais pas »."""
    reply = texts(await talk().say(question))
    assert title in reply.split("\n")[0] and "Source" in reply
    assert await runtime.knowledge.open_questions() == []


@pytest.mark.parametrize("question", ["Au-dessus de quel seuil la CAO est-elle obligatoire ?", "la CAO se réunit combien de fois par an ?"])
async def test_an_acronym_of_a_neighbouring_subject_names_it(talk, question):
    """« seuil » and « obligatoire » answered on the SPASER's threshold a question on the CAO."""
    reply = texts(await talk().say(question))
    assert reply.startswith("Je ne peux pas vous aider sur ce point") and "50\u00a0millions" not in reply


@pytest.mark.parametrize(
    "question", ["Faut-il consulter les syndicats sur le SPASER ?", "Les partenaires sociaux ont-ils leur mot à dire sur le schéma ?"]
)
async def test_staff_representatives_are_stakeholders(talk, question):
    reply = texts(await talk().say(question))
    assert reply.startswith("**Quelles parties prenantes associer au SPASER")


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("Mon chef n'arrête pas de parler du COTECH à chaque réunion, c'est quoi ce truc ?", "Qu’est-ce que le COTECH"),
        ("Au conseil on a évoqué le PNAD plusieurs fois, c'est quoi exactement ?", "Que prévoit le PNAD"),
        (
            "Dans les marchés on me parle sans arrêt de considération environnementale, vous pouvez me dire ce que c'est ?",
            "Qu’est-ce qu’une considération environnementale",
        ),
        (
            "Ma directrice veut savoir ce que signifie le sigle DECP avant la réunion de demain, vous avez la forme développée ?",
            "Que sont les DECP",
        ),
    ],
)
async def test_what_this_thing_is_asks_of_the_subject_named_before(talk, question, title):
    """« c'est quoi ce truc ? » after « on parle du COTECH à chaque réunion » went to the project team."""
    reply = texts(await talk().say(question))
    assert reply.split("\n")[0].startswith(f"**{title}")


async def test_a_contract_change_says_where_to_look_and_stays_out_of_the_leads_queue(talk, runtime):
    reply = texts(await talk("agent-aad", "Paul").say("Comment passer un avenant pour prolonger un marché de nettoyage ?"))
    assert reply.startswith("Je ne peux pas vous aider sur ce point") and "economie.gouv.fr/daj" in reply
    assert "Source" not in reply
    assert await runtime.knowledge.open_questions() == []


async def test_the_role_of_someone_else_is_what_a_referent_does_not_who_i_am(talk):
    reply = texts(await talk().say("le référent de ma direction, son rôle ?"))
    assert "relais, dans sa direction" in reply and "Source" in reply


async def test_one_meeting_a_year_with_everyone_gets_the_advised_rhythm(talk):
    reply = texts(await talk().say("Une grande réunion par an avec tout le monde, c'est suffisant ?"))
    assert "1 à 2\u00a0fois par an" in reply and "3 à 4" in reply and "Source" in reply


async def test_the_european_thresholds_refusal_is_short_and_says_where_to_look(talk, runtime):
    """Reader 7, B34: five sentences that refused, then helped at length; three now, the place to look first."""
    reply = texts(await talk("agent-aad", "Paul").say("le seuil des marchés européens c’est combien"))
    sentences = [s for s in " ".join(reply.replace("\u00a0", " ").split()).replace("? ».", "?».").split(". ") if s]
    assert reply.startswith("Je ne peux pas vous aider sur ce point") and "(economie.gouv.fr/daj). " in " ".join(reply.split())
    # Reader 10, C7: « changent régulièrement » → when they change; « votre service des marchés » to
    # someone who may work there.
    assert "sont révisés tous les deux ans" in reply.replace("\u00a0", " ") and "service des marchés" not in reply
    assert len(sentences) == 3, sentences
    assert "induirait en erreur" not in reply


@pytest.mark.parametrize(
    ("farewell", "reply"),
    [
        ("bonne journée !", "Merci, à vous aussi\u00a0!"),
        ("Bon week-end à tous", "Merci, à vous aussi\u00a0!"),
        ("merci, bonne soirée", "Merci, à vous aussi\u00a0!"),
        ("à demain", "À bientôt\u00a0!"),
        ("au revoir", "À bientôt\u00a0!"),
    ],
)
async def test_a_farewell_is_answered_as_one_and_never_sent_to_the_lead(talk, runtime, farewell, reply):
    """« bonne journée » got « Je n’ai pas compris votre message » and went to the lead's unanswered questions."""
    assert texts(await talk("agent-aad", "Paul").say(farewell)) == reply
    assert await runtime.knowledge.open_questions() == []
