"""Questions tried in the Playground on the demo organisation, answered over the real bot: whether
one directorate is up to date, how to do a task with the assistant, who reports in my directorate, the report for a
committee asked plainly, the price of a SPASER."""

from __future__ import annotations

import pytest

from bot.demo import DEMO_PEOPLE, load_demo
from tests.conftest import texts


@pytest.fixture
async def demo(runtime, talk, tmp_path):
    await load_demo(runtime, "local-tenant", tmp_path)
    return talk


def lead(talk):
    return talk(DEMO_PEOPLE[0].aad_object_id, DEMO_PEOPLE[0].name)


@pytest.mark.parametrize(
    "question",
    [
        "bonjour, pouvez-vous me dire si la DRC est à jour de ses saisies ?",
        "la restauration collective a bien rempli ses indicateurs ?",
        "la DRC a tout saisi ?",
        "est-ce que la DRC a transmis ses chiffres ?",
    ],
)
async def test_whether_one_directorate_is_up_to_date_is_said_before_what_to_watch(demo, question):
    # The demo's DRC has entered all three of its indicators; one of them is under its legal minimum.
    reply = texts(await lead(demo).say(question))
    # Reader 12, B12: « est à jour de ses saisies pour …, selon l’indicateur : ses 10 indicateurs sont saisis ».
    assert reply.replace("\u00a0", " ").startswith(
        "La direction DRC a saisi ses 3 indicateurs (1er semestre 2026 et 3ᵉ trimestre 2026, selon l’indicateur).\n"
    )
    assert "**Indicateurs à surveiller**" in reply


async def test_a_directorate_with_entries_missing_is_not_said_up_to_date(demo):
    reply = texts(await lead(demo).say("la DEE est à jour de ses saisies ?"))  # IND-07 is missing for 2025
    assert "est à jour" not in reply and "IND-07" in reply


@pytest.mark.parametrize(
    ("question", "section"),
    [
        ("comment je fais pour ajouter un nouvel indicateur", "aide indicateurs"),
        ("comment on désactive un indicateur ?", "aide indicateurs"),
        ("comment ajouter une nouvelle direction ?", "aide organisation"),
        ("où est-ce qu'on planifie un copil ?", "aide comités"),
    ],
)
async def test_how_to_do_a_task_with_the_assistant_is_answered_by_its_help_section(demo, question, section):
    conversation = lead(demo)
    reply = texts(await conversation.say(question))
    assert reply == texts(await conversation.say(section))


async def test_the_help_for_adding_an_indicator_names_the_command(demo):
    assert "ajouter un indicateur\u00a0»\u00a0: au catalogue" in texts(await lead(demo).say("comment je fais pour ajouter un nouvel indicateur"))


async def test_who_in_my_directorate_must_report_is_its_referent(demo):
    nadia = demo(DEMO_PEOPLE[1].aad_object_id, DEMO_PEOPLE[1].name)
    reply = texts(await nadia.say("qui dans ma direction doit remplir le truc sur les repas bio"))
    assert reply == texts(await nadia.say("personnes référentes de ma direction")) and "Nadia Benali" in reply


@pytest.mark.parametrize("question", ["le rapport pour le copil", "je veux le PDF de la synthèse"])
async def test_the_report_asked_plainly_is_the_summary_card_with_its_export_buttons(demo, question):
    conversation = lead(demo)
    reply = texts(await conversation.say(question))
    assert "[Exporter]" in reply and reply == texts(await conversation.say("synthèse"))


async def test_the_report_asked_by_someone_unregistered_is_refused_after_matching(demo):
    reply = texts(await demo("aad-stranger", "Inconnu").say("le rapport pour le copil"))
    assert "[Exporter]" not in reply and reply == texts(await demo("aad-stranger", "Inconnu").say("synthèse"))


async def test_the_price_of_a_spaser_is_the_cost_entry_not_the_lead(demo):
    reply = texts(await lead(demo).say("le prix du SPASER ?"))
    assert "Nos sources ne donnent aucun montant" in reply and DEMO_PEOPLE[0].name not in reply
