"""Sends a proactive message to a person the way reminders do: stored reference + continue_conversation.

The e2e scenario runs it while the Agents Playground is open, to prove that a message the bot
starts (no incoming turn) reaches the chat through the serviceUrl the Playground gave us.

    PYTHONPATH=<repo> python e2e/proactive_send.py --aad <aadObjectId> --text "Rappel : ..."

Reads DATABASE_URL (and the app's other settings) from the environment, like `python app.py`.
Exit code 0 when sent, 1 when the person has no personal conversation with the bot yet.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from botbuilder.core import TurnContext
from botbuilder.schema import ConversationReference

from app import create_adapter
from bot.settings import Settings
from storage.db import Database
from storage.people import ConversationRefRepository


async def send_proactive(settings: Settings, aad_object_id: str, text: str) -> str | None:
    """The id of the sent activity, or None when this person never talked to the bot."""
    database = Database(settings.database_url)
    try:
        references = await ConversationRefRepository(database).personal_for([aad_object_id])
    finally:
        await database.dispose()
    if aad_object_id not in references:
        return None
    reference = ConversationReference().deserialize(references[aad_object_id])
    sent: list[str] = []

    async def deliver(turn_context: TurnContext) -> None:
        response = await turn_context.send_activity(text)
        sent.append(response.id if response else "")

    await create_adapter(settings).continue_conversation(reference, deliver, bot_app_id=settings.app_id)
    return sent[0] if sent else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--aad", required=True, help="Azure AD object id of the recipient")
    parser.add_argument("--text", required=True, help="message to send")
    args = parser.parse_args(argv)
    activity_id = asyncio.run(send_proactive(Settings.from_env(), args.aad, args.text))
    if activity_id is None:
        print(f"Aucune conversation personnelle enregistrée pour {args.aad}.", file=sys.stderr)
        return 1
    print(f"Message proactif envoyé (activité {activity_id}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
