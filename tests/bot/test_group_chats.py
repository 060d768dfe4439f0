"""Group chats and channels, through the real endpoint: a dialog belongs to whoever started it, every
step that writes checks the speaker's role, and personal or scoped content goes to the person's
personal chat, never to the group."""

from __future__ import annotations

import json
import re

from app import RUNTIME
from domain.committees.cadence import CommitteeKind
from domain.people import Role
from tests.http_support import Sender

GROUP = "19:group-spaser@thread.v2"


def people(client, connector) -> dict[str, Sender]:
    return {
        "lead": Sender(client, connector, "lead-aad", "Camille Martin"),
        "nadia": Sender(client, connector, "nadia-aad", "Nadia Benali"),
        "maire": Sender(client, connector, "maire-aad", "Hélène Dubois"),
    }


async def test_a_member_cannot_finish_the_role_assignment_the_lead_started_in_a_group(client, connector):
    everyone = people(client, connector)
    lead, nadia = everyone["lead"].in_group(GROUP), everyone["nadia"].in_group(GROUP)
    await lead.say("affecter une personne")

    await nadia.say("nadia@ville.fr")
    await nadia.say("responsable")

    runtime = client.server.app[RUNTIME]
    assert (await runtime.people.get_by_email("nadia@ville.fr")).role is Role.CONTRIBUTOR
    asked_again = await lead.say("nadia@ville.fr")
    assert "rôle" in asked_again, "the lead's own dialog is still waiting for her"


async def test_an_official_cannot_finish_the_leads_answer_to_a_question_in_a_group(client, connector):
    runtime = client.server.app[RUNTIME]
    everyone = people(client, connector)
    await everyone["maire"].say("Quelle est la couleur du logo du SPASER de la ville ?")
    [(question_id, _, _)] = await runtime.knowledge.open_questions()
    lead, maire = everyone["lead"].in_group(GROUP), everyone["maire"].in_group(GROUP)
    await lead.say(f"répondre à la question {question_id}")

    await maire.say("Voir [le site](https://exemple.invalid/phishing)")
    await maire.say("oui")

    assert question_id in [question for question, _, _ in await runtime.knowledge.open_questions()]


async def test_a_contributor_cannot_finish_the_meeting_the_lead_is_planning_in_a_group(client, connector):
    runtime = client.server.app[RUNTIME]
    everyone = people(client, connector)
    lead, nadia = everyone["lead"].in_group(GROUP), everyone["nadia"].in_group(GROUP)
    await lead.say("planifier un COPIL le 12 mars 2027 à 14h")

    for answer in ("Salle du conseil", "aucun", "Bilan annuel", "oui"):
        await nadia.say(answer)

    assert await runtime.committees.upcoming(CommitteeKind.COPIL) == []


async def test_a_lead_who_lost_the_role_cannot_finish_her_dialog(client, connector):
    runtime = client.server.app[RUNTIME]
    nadia = people(client, connector)["nadia"]
    await runtime.people.assign("nadia@ville.fr", Role.LEAD, "DCP")
    await nadia.say("ajouter une direction")
    await runtime.people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DCP")

    refused = await nadia.say("DJS")
    await nadia.say("Direction de la jeunesse et des sports")

    assert "réservé" in refused
    assert await runtime.directorates.get_by_code("DJS") is None


async def test_personal_links_asked_in_a_group_go_to_the_personal_chat(client, connector):
    runtime = client.server.app[RUNTIME]
    everyone = people(client, connector)
    await everyone["lead"].say("bonjour")  # opens her personal chat: its reference is stored
    await runtime.committees.plan(CommitteeKind.COPIL, runtime.clock.now().replace(year=2027, month=3, day=12))
    lead = everyone["lead"].in_group(GROUP)

    in_group = [await lead.say(text) for text in ("mon agenda", "exporter la synthèse en CSV", "synthèse", "prochain comité")]
    await runtime.jobs.drain_outbox()

    for answer in in_group:
        assert "/calendar/" not in answer and "/synthese/" not in answer
        assert "message privé" in answer
    private = json.dumps([body for body in connector.sent if body["_conversation_id"] == "a:lead-aad"])
    assert re.search(r"/calendar/[\w-]+\.ics", private) and "/synthese/" in private


async def test_without_a_personal_chat_nothing_personal_is_posted_in_the_group(client, connector):
    nadia = people(client, connector)["nadia"].in_group(GROUP)

    answer = await nadia.say("mon agenda")

    assert "/calendar/" not in answer
    assert "conversation privée" in answer


async def test_the_update_dialog_is_not_run_in_a_group(client, connector):
    nadia = people(client, connector)["nadia"].in_group(GROUP, conversation_type="channel")

    answer = await nadia.say("mettre à jour mes indicateurs")

    assert "IND-01" not in answer and "conversation privée" in answer
