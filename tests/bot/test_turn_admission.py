"""The bot runs a bounded number of turns at once; the others wait their turn at the door.

Under 200 simultaneous users (benchmarks/load_200_users.py) every request used to start at once:
turns kept their database connections across the steps of hundreds of others, the pool ran dry and
some turns failed after 30 s with the "database unavailable" answer.
"""

from __future__ import annotations

import asyncio

from botbuilder.core.adapters import TestAdapter

from bot.console import teams_activity
from bot.middleware import MAX_CONCURRENT_TURNS, ConversationLockMiddleware, TurnAdmissionMiddleware


def _message(conversation_id: str, text: str, activity_id: str):
    return teams_activity(aad_object_id=f"aad-{conversation_id}", name="Agent", conversation_id=conversation_id,
                          text=text, id=activity_id, type="message")


async def test_the_bot_runs_at_most_a_bounded_number_of_turns_at_once_and_every_other_one_after(runtime):
    running = most = 0
    handled: list[str] = []
    all_places_taken = asyncio.Event()

    async def logic(turn_context) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        if running == MAX_CONCURRENT_TURNS:
            all_places_taken.set()
        await all_places_taken.wait()
        await asyncio.sleep(0.05)  # a turn waiting on I/O: without a bound, more would start meanwhile
        running -= 1
        handled.append(turn_context.activity.conversation.id)

    adapter = TestAdapter(logic)
    runtime.install_middleware(adapter)
    count = 3 * MAX_CONCURRENT_TURNS
    await asyncio.gather(*(adapter.receive_activity(_message(f"a:user-{n}", "bonjour", f"m-{n}")) for n in range(count)))

    assert most == MAX_CONCURRENT_TURNS
    assert sorted(handled) == sorted(f"a:user-{n}" for n in range(count)), "every turn ran once"


async def test_turns_queued_behind_their_own_conversation_leave_the_places_to_other_conversations():
    release_first = asyncio.Event()
    finished: list[str] = []

    async def logic(turn_context) -> None:
        if turn_context.activity.text == "a0":
            await release_first.wait()
        finished.append(turn_context.activity.text)

    adapter = TestAdapter(logic)
    adapter.use(ConversationLockMiddleware())
    adapter.use(TurnAdmissionMiddleware(limit=2))
    same_conversation = [
        asyncio.create_task(adapter.receive_activity(_message("a:busy", f"a{n}", f"a-{n}"))) for n in range(5)
    ]
    await asyncio.sleep(0)

    await asyncio.wait_for(adapter.receive_activity(_message("a:other", "b", "b-0")), timeout=10)
    assert finished == ["b"], "another conversation is served while the busy one waits for itself"

    release_first.set()
    await asyncio.gather(*same_conversation)
    assert finished == ["b", "a0", "a1", "a2", "a3", "a4"]
