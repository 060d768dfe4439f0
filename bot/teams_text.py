"""Line breaks as Teams shows them: messages are written with single newlines, Teams reads Markdown.

Teams (and the Agents Playground) render a message's text as Markdown, where a single newline is
only a space: « Enregistré : IND-03.\nReste à renseigner : … » shows as one run-on line, and a
sentence after a bulleted list is glued to the last bullet. The bot's texts are written for the
terminal REPL with single newlines, so the Teams channel adds the blank lines Markdown needs when
the text leaves the bot (turn replies and proactive messages); the REPL keeps the texts as they are.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, TextFormatTypes

_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s")
_FENCE = "```"


def teams_markdown(text: str) -> str:
    """A blank line before every line that starts a new paragraph; list items stay one per line.

    A line that is not a list item and follows a non-empty line becomes its own paragraph (so it is
    neither merged into the previous sentence nor into the previous bullet); consecutive bullets,
    a list right after its heading line and indented continuation lines are left as they are.
    Text with a fenced code block is returned unchanged. Applying it twice changes nothing more.
    """
    if not text or "\n" not in text or _FENCE in text:
        return text
    lines = text.split("\n")
    shaped = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        starts_paragraph = (
            previous.strip() and line.strip() and not _LIST_ITEM.match(line) and not line[:1].isspace()
        )
        if starts_paragraph:
            shaped.append("")
        shaped.append(line)
    return "\n".join(shaped)


def shape_message(activity: Activity) -> Activity:
    """The activity with its text shaped for Teams, when it is a Markdown message (the default)."""
    if (
        isinstance(activity, Activity)
        and (activity.type or ActivityTypes.message) == ActivityTypes.message
        and activity.text
        and activity.text_format in (None, TextFormatTypes.markdown)
    ):
        activity.text = teams_markdown(activity.text)
    return activity


class TeamsMarkdownMiddleware(Middleware):
    """Shapes the text of every message a turn sends (replies, prompts, errors) for Teams."""

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable]):
        async def shape(_context: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[None]]):
            for activity in activities:
                shape_message(activity)
            await send()

        context.on_send_activities(shape)
        return await logic()
