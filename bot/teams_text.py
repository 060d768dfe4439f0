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

from domain.text import excerpt, plain_excerpt, shown

_LIST_ITEM = re.compile(r"^\s*(?:[-*+•]|\d{1,3}[.)])\s")
_FENCE = "```"
SUMMARY_LIMIT = 200


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


def notification_summary(text: str) -> str | None:
    """What Teams' chat list and notifications show of a message, where Markdown is not rendered
    (« C’est planifié : **… » showed its asterisks): the text without its Markdown marks, or None
    when it has none."""
    plain = plain_excerpt(text, SUMMARY_LIMIT)
    return plain if plain != shown(excerpt(text, SUMMARY_LIMIT)) else None


def shape_message(activity: Activity) -> Activity:
    """The activity with its text shaped for Teams and a plain notification summary, when it is a
    Markdown message (the default)."""
    if (
        isinstance(activity, Activity)
        and (activity.type or ActivityTypes.message) == ActivityTypes.message
        and activity.text
        and activity.text_format in (None, TextFormatTypes.markdown)
    ):
        if activity.summary is None:
            activity.summary = notification_summary(activity.text)
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
