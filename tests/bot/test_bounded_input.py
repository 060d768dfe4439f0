"""Every input is bounded: a huge message is refused in French before anything reads it, a long one is
not matched against commands, and no routing pattern can take quadratic time."""

from __future__ import annotations

import re

from app import RUNTIME
from bot.handler import MAX_MESSAGE_CHARS, MAX_ROUTED_CHARS, TOO_LONG_TO_UNDERSTAND
from tests.http_support import Sender

UNBOUNDED = re.compile(r"(?<!\\)\.[*+]|\\[sSwWdD][*+]|\[\^?[^\]]*\][*+]")


async def test_a_huge_message_from_a_stranger_is_refused_in_french_before_any_matching(client, connector):
    stranger = Sender(client, connector, "stranger-aad", "Inconnu")

    answer = await stranger.say("quels indicateurs " * 12_000)

    assert answer.startswith("Votre message est trop long (215\u202f999\xa0caractères") and "4\u202f000 au plus" in answer


async def test_a_long_message_is_not_matched_against_commands(client, connector):
    nadia = Sender(client, connector, "nadia-aad", "Nadia Benali")

    answer = await nadia.say("mettre à jour mes indicateurs " + "et encore " * (MAX_ROUTED_CHARS // 9))

    assert answer == TOO_LONG_TO_UNDERSTAND


async def test_an_answer_longer_than_any_field_is_refused_and_the_dialog_goes_on(client, connector):
    lead = Sender(client, connector, "lead-aad", "Camille Martin")
    await lead.say("ajouter une direction")

    refused = await lead.say("X" * (MAX_MESSAGE_CHARS + 1))
    asked = await lead.say("DJS")

    assert "trop long" in refused and "DJS" in asked
    assert await client.server.app[RUNTIME].directorates.get_by_code("DJS") is None


def test_no_routing_pattern_can_run_away_on_a_long_message(runtime):
    """A pattern searched anywhere in the text has only bounded repetitions (no `.*`, `\\S+`…):
    each place it starts costs a bounded number of steps; an anchored one starts once."""
    offending = [
        (command.name, pattern.pattern)
        for command in runtime.router.commands
        for pattern in command.compiled
        if not pattern.pattern.startswith("^") and UNBOUNDED.search(pattern.pattern)
    ]
    assert offending == []
