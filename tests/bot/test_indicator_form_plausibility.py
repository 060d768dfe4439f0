"""The form card applies the plausibility rule of the update dialog: a value far from the
directorate's last one (4 800 hours after 48) stores nothing until it is confirmed with
« Confirmer ces valeurs », which saves the form once, however many times it is clicked or
redelivered. Through the real bot on real SQLite (ConsoleConversation) and the real HTTP endpoint."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app import RUNTIME
from domain.indicators.rules import ValueEntry
from domain.indicators.values import warm_up
from domain.people import Role
from tests.bot.test_indicator_http import Sender, card_from
from tests.conftest import texts
from tests.indicators_support import card_inputs, card_of, card_texts, seed, submit_data, value_rows

IND03 = "valeur|IND-03|2026-T3"
LINE = ("- IND-03 (3\u1d49\u00a0trimestre 2026)\u00a0: 4\u202f800\u00a0heures, soit 100\u00a0fois la valeur du "
        "2\u1d49\u00a0trimestre 2026 (48\u00a0heures)")


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


async def reported_48_hours(runtime) -> None:
    """DCP reported 48 hours of insertion (IND-03) for the 2nd quarter; the 3rd is due."""
    lead = await runtime.people.assign("camille@ville.fr", Role.LEAD)
    await runtime.values.record_value(lead, "DCP", ValueEntry("IND-03", "2026-T2", "48"), runtime.values.today())


@pytest.fixture
async def nadia(runtime, talk):
    await seed(runtime)
    await reported_48_hours(runtime)
    return talk("nadia-aad", "Nadia Benali")


async def t3_rows(runtime) -> list[tuple]:
    return [(row[0], row[2]) for row in await value_rows(runtime) if row[1] != "2026-T2"]


def confirm_data(card: dict) -> dict:
    """What « Confirmer ces valeurs » posts: its data and the inputs as refilled."""
    action = card["actions"][0]
    assert action["title"] == "Confirmer ces valeurs"
    data = dict(action["data"])
    data.update({input_id: element.get("value", "") for input_id, element in card_inputs(card).items()})
    return data


async def test_a_suspicious_value_stores_nothing_and_asks_to_confirm_it_against_the_previous_one(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))

    replies = await nadia.submit(submit_data(card, **{IND03: "4 800", "valeur|IND-01|2026-T3": "45 %"}))

    said = texts(replies)
    assert "Rien n’a été enregistré, car une valeur est très loin de la précédente\u00a0:" in said
    assert LINE in said
    assert "Si elle est juste, cliquez sur «\u00a0Confirmer ces valeurs\u00a0»\u00a0; sinon, corrigez-la dans le formulaire" in said
    assert await t3_rows(runtime) == []
    back = card_of(replies)
    assert [action["title"] for action in back["actions"]] == ["Confirmer ces valeurs", "Enregistrer"]
    assert card_inputs(back)[IND03]["value"] == "4 800"
    assert ("⚠ Vous avez saisi 4\u202f800\u00a0heures, soit 100\u00a0fois la valeur du 2\u1d49\u00a0trimestre 2026 "
            "(48\u00a0heures).") in card_texts(back)


async def test_confirming_stores_each_value_once_even_when_clicked_twice(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    back = card_of(await nadia.submit(submit_data(card, **{IND03: "4 800", "valeur|IND-01|2026-T3": "45 %"})))

    saved = texts(await nadia.submit(confirm_data(back)))
    again = texts(await nadia.submit(confirm_data(back)))

    assert "Enregistré pour la direction DCP (2\u00a0valeurs)" in saved
    assert again == "Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié."  # reader 9, C7
    assert sorted(await t3_rows(runtime)) == [("IND-01", Decimal(45)), ("IND-03", Decimal(4800))]


async def test_a_value_changed_before_confirming_is_checked_again(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    back = card_of(await nadia.submit(submit_data(card, **{IND03: "4 800"})))
    changed = confirm_data(back) | {IND03: "9 000"}

    replies = texts(await nadia.submit(changed))

    assert "Vous avez saisi 9\u202f000\u00a0heures" in replies
    assert await t3_rows(runtime) == []


async def test_the_form_corrected_and_sent_again_is_saved_without_a_question(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))
    back = card_of(await nadia.submit(submit_data(card, **{IND03: "4 800"})))
    corrected = dict(back["actions"][1]["data"]) | {IND03: "52"}

    assert "Enregistré pour la direction DCP (1\u00a0valeur)" in texts(await nadia.submit(corrected))
    assert await t3_rows(runtime) == [("IND-03", Decimal(52))]


async def test_a_plausible_form_is_stored_at_once_as_before(runtime, nadia):
    card = card_of(await nadia.say("formulaire indicateurs"))

    said = texts(await nadia.submit(submit_data(card, **{IND03: "60", "valeur|IND-01|2026-T3": "45 %"})))

    assert "Enregistré pour la direction DCP (2\u00a0valeurs)" in said
    assert "Confirmer" not in said
    assert sorted(await t3_rows(runtime)) == [("IND-01", Decimal(45)), ("IND-03", Decimal(60))]


async def test_through_the_endpoint_a_confirmation_redelivered_saves_once(client, connector):
    runtime = client.server.app[RUNTIME]
    await reported_48_hours(runtime)
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")
    card = card_from(await nadia.post(type="message", text="formulaire indicateurs"))
    data = dict(card["actions"][0]["data"]) | {input_id: "" for input_id in card_inputs(card)} | {IND03: "4 800"}
    asked = await nadia.post(type="message", value=data)
    assert any(LINE in (reply.get("text") or "") for reply in asked)
    assert await t3_rows(runtime) == []

    confirm = nadia.activity(type="message", value=confirm_data(card_from(asked)))
    for _ in range(2):  # Teams redelivers the same activity when our answer was late
        response = await client.post("/api/messages", json=confirm)
        assert response.status in (200, 201)
    nadia.count += 1
    clicked_again = await nadia.post_via_connector(type="message", value=confirm_data(card_from(asked)))

    assert "Ce formulaire a déjà été enregistré\u00a0: rien n’a été modifié." in clicked_again
    assert await t3_rows(runtime) == [("IND-03", Decimal(4800))]
