"""Line breaks on the Teams channel: texts written with single newlines keep their lines in Teams.

Found in the Agents Playground (e2e): Teams renders a message as Markdown, so the update dialog's
« Je vais vous les demander un par un… » was glued to the last bullet of the list above it, and
« (1/3) IND-03 — …\\n3e trimestre…\\nQuelle valeur ? » read as one run-on line.
"""

from __future__ import annotations

import pytest
from botbuilder.core import TurnContext
from botbuilder.core.adapters import TestAdapter
from botbuilder.schema import Activity, TextFormatTypes

from app import ADAPTER, create_app
from bot.console import teams_activity
from bot.proactive import build_message
from bot.teams_text import TeamsMarkdownMiddleware, TypographyMiddleware, teams_markdown
from tests.conftest import make_settings


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("Enregistré : IND-03.\nReste à renseigner : IND-12.", "Enregistré : IND-03.\n\nReste à renseigner : IND-12."),
        ("DPB : 2 indicateurs.\n- IND-03\n- IND-12\nJe vous les demande.", "DPB : 2 indicateurs.\n- IND-03\n- IND-12\n\nJe vous les demande."),
        ("Étapes :\n1. valeur\n2) commentaire\nFin", "Étapes :\n1. valeur\n2) commentaire\n\nFin"),
        ("- élément\n  suite du même élément", "- élément\n  suite du même élément"),
        ("Premier.\n\nSecond.", "Premier.\n\nSecond."),
        ("Une seule ligne", "Une seule ligne"),
        ("Code :\n```\nligne 1\nligne 2\n```", "Code :\n```\nligne 1\nligne 2\n```"),
        ("", ""),
    ],
)
def test_teams_markdown_starts_a_paragraph_for_every_line_that_is_not_a_list_item(written, shown):
    assert teams_markdown(written) == shown
    assert teams_markdown(shown) == shown, "shaping twice changes nothing more"


async def test_the_middleware_shapes_markdown_messages_and_leaves_plain_text_alone():
    adapter = TestAdapter()
    adapter.use(TeamsMarkdownMiddleware())

    async def logic(context: TurnContext):
        await context.send_activity("Bilan :\n- Envoyés : 1\nRenvoyez si besoin.")
        await context.send_activity(Activity(type="message", text="a\nb", text_format=TextFormatTypes.plain))

    await adapter.send("bonjour")
    adapter.logic = logic
    await adapter.receive_activity("bonjour")
    shaped, plain = adapter.activity_buffer[-2:]
    assert shaped.text == "Bilan :\n- Envoyés : 1\n\nRenvoyez si besoin."
    assert plain.text == "a\nb"


def test_a_proactive_text_message_is_shaped_and_a_card_summary_is_one_plain_line():
    assert build_message("Bilan\n- Envoyés : 1\nSans conversation : 2", None).text == "Bilan\n- Envoyés : 1\n\nSans conversation : 2"
    assert build_message("Rappel\ndemain", {"type": "AdaptiveCard", "body": []}).summary == "Rappel demain"


async def test_the_update_dialog_through_the_endpoint_keeps_its_lines_apart(client, connector):
    activity = teams_activity(
        aad_object_id="nadia-aad", name="Nadia Benali", conversation_id="a:nadia", id="n-1",
        text="mettre à jour mes indicateurs", delivery_mode="expectReplies",
    )
    activity.service_url = connector.url
    response = await client.post("/api/messages", json=activity.serialize())
    [intro] = [reply["text"] for reply in (await response.json())["activities"]]
    assert "\n- **IND-01**" in intro, "the list stays a list"
    assert "2026\n\nJe vais vous les demander un par un" in intro, "the closing sentence is not glued to the last bullet"
    # Reader 9, C6: the first question follows the list in its message, its code in bold like the next
    # ones' (alone, its first line was shown without bold).
    assert "(ce qui est confirmé reste enregistré).\n\n(1/10) **IND-01** — " in intro
    assert "\n\nQuelle valeur pour la direction DCP\u00a0?" in intro


def test_the_served_app_typesets_each_reply_once():
    """The Teams shaping typesets (`shape_message`); the runtime's typography stage, for the console,
    is not stacked on it (every reply walked its texts and cards twice)."""
    adapter = create_app(make_settings())[ADAPTER]
    stages = [type(middleware) for middleware in adapter._middleware._middleware]

    assert stages.count(TeamsMarkdownMiddleware) == 1 and TypographyMiddleware not in stages
