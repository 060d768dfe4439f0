"""Dialog state between turns: written only when it changed, encoded once, prompt messages stored
as msrest writes them; and an update turn's value committed with the state that moves on."""

from __future__ import annotations

import pytest
from botbuilder.core import CardFactory, MessageFactory
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.schema import Activity, CardAction, ChannelAccount, HeroCard, InputHints

from bot.runtime import CONFLICT_REPLY
from bot.state.codec import StateCodec
from domain.indicators.values import warm_up
from storage.bot_state import StateConflictError
from tests.conftest import texts
from tests.indicators_support import seed, value_rows


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


@pytest.fixture
def writes(runtime):
    """The state items the bot wrote, turn after turn (alone, or in the turn's transaction)."""
    written: list[dict] = []
    write, write_in = runtime.storage.write, runtime.storage.write_in

    async def recording(changes):
        written.append(changes)
        await write(changes)

    async def recording_in(connection, changes):
        written.append(changes)
        await write_in(connection, changes)

    runtime.storage.write, runtime.storage.write_in = recording, recording_in
    return written


async def test_a_turn_that_changes_no_state_writes_none(runtime, talk, writes):
    lead = talk()
    await lead.say("qui suis-je")
    writes.clear()
    await lead.say("qui suis-je")
    assert writes == []


async def test_a_dialog_turn_writes_its_changed_state_once(runtime, talk, writes):
    lead = talk()
    await lead.say("ajouter une direction")
    writes.clear()
    await lead.say("DAF")
    assert len(writes) == 1
    [(key, state)] = writes[0].items()
    stored = await runtime.storage.read([key])
    assert stored[key].stored_text == runtime.storage._codec.dumps({k: v for k, v in state.items() if k != "e_tag"})


@pytest.mark.parametrize(
    "message",
    [
        MessageFactory.text("J'enregistre **12 %** ?"),
        MessageFactory.text("Quelle valeur ?", "Quelle valeur", InputHints.expecting_input),
        Activity(type="message", text="t", locale="fr-FR", id="1", channel_id="msteams", importance="high"),
    ],
)
def test_a_plain_prompt_message_is_stored_as_msrest_writes_it_and_read_back_equal(message):
    codec = StateCodec()
    text = codec.dumps({"prompt": message})
    assert codec.dumps({"prompt": Activity().deserialize(serializer_helper(message))}) == text
    restored = codec.loads(text)["prompt"]
    assert restored.__dict__ == Activity().deserialize(serializer_helper(message)).__dict__


@pytest.mark.parametrize(
    "message",
    [
        MessageFactory.attachment(
            CardFactory.hero_card(HeroCard(title="T", buttons=[CardAction(type="imBack", title="a", value="a")]))
        ),
        Activity(type="message", text="t", from_property=ChannelAccount(id="u", name="N")),
        Activity(type="message", text="t", value={"action": "x"}),
    ],
)
def test_a_message_with_nested_parts_still_goes_through_msrest(message):
    codec = StateCodec()
    text = codec.dumps({"prompt": message})
    assert codec.loads(text)["prompt"].__dict__ == Activity().deserialize(serializer_helper(message)).__dict__


async def test_a_saved_value_is_undone_with_its_turn_when_the_state_is_refused(runtime, talk):
    """The value and the dialog state that moves past it are one transaction: another instance
    having moved the conversation on (stale eTag), neither is kept and nothing says « Enregistré »."""
    await seed(runtime)
    nadia = talk("nadia-aad", "Nadia Benali")
    await nadia.say("mettre à jour mes indicateurs")
    await nadia.say("45")
    await nadia.say("aucun")
    write_in = runtime.storage.write_in

    async def refused(connection, changes):
        raise StateConflictError("changed by another instance")

    runtime.storage.write_in = refused
    replies = texts(await nadia.say("oui"))
    runtime.storage.write_in = write_in

    assert replies == CONFLICT_REPLY
    assert await value_rows(runtime) == []


async def test_values_saved_in_the_turns_transaction_are_seen_when_the_list_ends(runtime, talk):
    await seed(runtime)
    julien = talk("julien-aad", "Julien Petit")
    listing = texts(await julien.say("mettre à jour mes indicateurs"))
    count = int(listing.split("La direction **DPB** a ")[1].split("\u00a0")[0])
    for _ in range(count):
        await julien.say("10")
        await julien.say("aucun")
        closing = texts(await julien.say("oui"))

    assert len(await value_rows(runtime)) == count
    assert "Toutes les valeurs attendues de la direction DPB" in closing and "sont saisies. Merci\u00a0!" in closing
