"""What a careful French reader circled in the conversations, the help, the people commands and the
refusals of one end-to-end run (the assistant is « l’assistant », never « le bot »; the help says
things plainly; the lead may be one of several)."""

from __future__ import annotations

import re

from bot.cli import build_parser
from bot.console import render_as_text
from bot.demo import DEMO_PEOPLE, load_demo
from domain.people import Role
from tests.conftest import texts, whole_help


def _person(role: Role):
    return next(p for p in DEMO_PEOPLE if p.role is role)


async def test_the_help_writes_times_and_numbers_as_in_french_and_explains_instead_of_notation(runtime, talk, tmp_path):
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = _person(Role.LEAD)

    shown = (await whole_help(talk(lead.aad_object_id, lead.name))).replace("«\u00a0", "« ").replace("\u00a0»", " »")

    assert "« planifier un COPIL le 12\u00a0mars à 14\u00a0h »" in shown and "14h" not in shown
    assert "« déplacer le prochain COPIL au 19\u00a0mars à 10\u00a0h »" in shown and "10h" not in shown
    assert "« modifier IND-03 cible 25\u202f000 »" in shown and "25000" not in shown
    assert "(pour une seule direction\u00a0: « indicateurs en retard direction DCP »)" in shown and "[direction" not in shown
    assert "mentionner la personne avec @ au lieu d’écrire son adresse" in shown and "@mention" not in shown
    assert "« personnes référentes de la direction DCP »\u00a0: qui y renseigne les indicateurs" in shown
    assert "référents" not in shown
    assert "« qui suis-je\u00a0? »\u00a0: votre rôle et votre direction" in shown


async def test_the_who_am_i_button_is_a_question(runtime, talk):
    shown = texts(await talk("stranger-aad", "Alex Morin").say("aide"))

    assert "[Qui suis-je\u00a0?]" in shown
    assert re.search(r"\[Qui suis-je\]", shown) is None


async def test_the_people_who_report_for_a_directorate_are_asked_for_inclusively(runtime, talk, tmp_path):
    await load_demo(runtime, "local-tenant", tmp_path)
    lead = _person(Role.LEAD)
    conversation = talk(lead.aad_object_id, lead.name)

    answer = texts(await conversation.say("personnes référentes de la direction DCP"))
    old_phrasing = texts(await conversation.say("référents de la direction DCP"))

    assert answer == old_phrasing
    assert answer.startswith("Pour la direction **DCP** (Direction de la commande publique), Nadia Benali renseigne")


async def test_a_role_given_applies_at_the_first_message_of_someone_who_never_wrote(runtime, talk):
    await runtime.directorates.add("DRH", "Direction des ressources humaines")

    reply = texts(await talk().say("affecter Marie.Curie@Ville.fr contributrice DRH"))

    assert "Cette personne ne recevra rien tant qu’elle n’aura pas installé l’assistant dans Teams." in reply
    assert "bot" not in reply


def test_the_command_line_help_says_the_assistant():
    parser = build_parser(lambda settings: None)

    shown = parser.format_help() + "".join(
        action.format_help() for action in parser._subparsers._group_actions[0].choices.values()
    )
    described = " ".join(choice.help or "" for choice in parser._subparsers._group_actions[0]._choices_actions)

    assert "lancer l’assistant (POST /api/messages, GET /healthz)" in described
    assert "discuter avec l’assistant dans le terminal" in described
    assert not re.search(r"\b(le|du|au) bot\b", shown + described)


async def test_refusals_name_the_leads_in_the_plural(runtime, talk, tmp_path):
    await load_demo(runtime, "local-tenant", tmp_path)
    contributor = _person(Role.CONTRIBUTOR)

    refusal = "\n".join(
        render_as_text(a) for a in await talk(contributor.aad_object_id, contributor.name).say("diffuser un message à tout le monde")
    )

    assert refusal == (
        "Cette action est réservée aux personnes responsables du SPASER. Tapez «\u00a0qui suis-je\u00a0» pour connaître votre rôle."
    )


async def test_the_welcome_notification_has_a_typographic_apostrophe(runtime, talk):
    [welcome] = await talk("stranger-aad", "Alex Morin").install()

    assert welcome.summary == "Bienvenue dans l’assistant du SPASER"


async def test_the_assign_and_broadcast_dialogs_ask_in_plain_words(runtime, talk):
    lead = talk()

    asked = texts(await lead.say("affecter une personne"))
    helped = texts(await lead.say("aide"))
    await lead.say("annuler")
    await lead.say("diffuser un message")
    retried = texts(await lead.say("les pompiers"))

    assert "Quelle est l’adresse e-mail professionnelle de la personne (celle de Teams)\u00a0?" in asked and "UPN" not in asked
    assert "responsable du SPASER, contributeur·rice d’une direction, élu·e ou directeur·rice." in helped
    assert "Choisissez dans la liste à qui envoyer le message" in retried and "audience" not in retried


async def test_the_help_example_of_provenance_is_an_indicator_computed_from_the_decp(runtime, talk):
    """Reader 10, C12: « d’où vient IND-01 ? » promised a number of contracts for an indicator
    entered by hand; IND-24 is computed from the DECP."""
    helped = texts(await talk().say("aide")).replace("\u00a0", " ")

    assert "« d’où vient IND-24 ? » : la source d’un indicateur" in helped, helped
    assert "IND-01 ?" not in helped
