"""Line breaks as Teams shows them: messages are written with single newlines, Teams reads Markdown.
And what every reply carries on its way out: the no-break spaces and hyphens that keep « L. 2113‑12 »
or « ↑ en progrès » on one line (`domain.text.unbreakable`, texts and cards), and on Teams a plain
notification summary (the chat list and notifications show it, without Markdown).

Teams (and the Agents Playground) render a message's text as Markdown, where a single newline is
only a space: « Enregistré : IND-03.\nReste à renseigner : … » shows as one run-on line, and a
sentence after a bulleted list is glued to the last bullet. The bot's texts are written for the
terminal REPL with single newlines, so the Teams channel adds the blank lines Markdown needs when
the text leaves the bot (turn replies and proactive messages); the REPL keeps the texts as they are.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from botbuilder.core import Middleware, TurnContext
from botbuilder.schema import Activity, ActivityTypes, TextFormatTypes

from domain.text import plain_excerpt, unbreakable, without_emphasis

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


def notification_summary(text: str) -> str:
    """What Teams' chat list and notifications show of a message, where Markdown is not rendered
    (« C’est planifié : **… » showed its asterisks): the text without its Markdown marks, on one line."""
    return plain_excerpt(text, SUMMARY_LIMIT)


_ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
_TEXT_ELEMENTS = ("TextBlock", "TextRun")
CARD_SUMMARY = "Message de l’assistant du SPASER"
"""A card without any text (never sent today): what its notification says all the same."""


def _card_texts(element: Any) -> Iterator[dict]:
    """The TextBlocks and TextRuns of a card, in reading order, wherever they are nested."""
    if isinstance(element, list):
        for item in element:
            yield from _card_texts(item)
    elif isinstance(element, dict):
        if element.get("type") in _TEXT_ELEMENTS and isinstance(element.get("text"), str):
            yield element
        for key in ("body", "items", "columns", "inlines", "card"):
            yield from _card_texts(element.get(key))


def _card_facts(element: Any) -> Iterator[dict]:
    if isinstance(element, list):
        for item in element:
            yield from _card_facts(item)
    elif isinstance(element, dict):
        if element.get("type") == "FactSet":
            yield from (fact for fact in element.get("facts") or [] if isinstance(fact, dict))
        for key in ("body", "items", "columns", "card"):
            yield from _card_facts(element.get(key))


def _adaptive_cards(activity: Activity) -> list[dict]:
    return [
        attachment.content
        for attachment in activity.attachments or []
        if attachment.content_type == _ADAPTIVE_CARD and isinstance(attachment.content, dict)
    ]


def card_summary(content: dict) -> str:
    """What a card is, for the chat list and notifications (which otherwise say « Send a card »):
    its first text, its title (« Synthèse SPASER », « Ce que je sais faire », « Rappel : comité de
    pilotage demain »), without Markdown."""
    for block in _card_texts(content.get("body")):
        if block["text"].strip():
            return plain_excerpt(block["text"].splitlines()[0], SUMMARY_LIMIT)
    return CARD_SUMMARY


def typeset_reply(activity: Activity) -> Activity:
    """The message with what must not break joined (`domain.text.unbreakable`): its text, and the
    texts and facts of its Adaptive Cards. Applying it twice changes nothing more."""
    if not isinstance(activity, Activity) or (activity.type or ActivityTypes.message) != ActivityTypes.message:
        return activity
    if activity.text:
        activity.text = unbreakable(activity.text)
    for content in _adaptive_cards(activity):
        for block in _card_texts(content.get("body")):
            block["text"] = unbreakable(block["text"])
        for fact in _card_facts(content.get("body")):
            for key in ("title", "value"):
                if isinstance(fact.get(key), str):
                    fact[key] = unbreakable(fact[key])
    return activity


def shape_message(activity: Activity) -> Activity:
    """The activity as it leaves for Teams: typeset (`typeset_reply`), its Markdown text shaped for
    Teams, and a plain summary on every message, a text or a card, unless it has its own."""
    if not isinstance(activity, Activity) or (activity.type or ActivityTypes.message) != ActivityTypes.message:
        return activity
    typeset_reply(activity)
    cards = _adaptive_cards(activity)
    if activity.summary is None or not activity.summary.strip():
        if activity.text:
            activity.summary = notification_summary(activity.text)
        elif cards:
            activity.summary = card_summary(cards[0])
    if activity.text and activity.text_format in (None, TextFormatTypes.markdown):
        activity.text = teams_markdown(activity.text)
        if not cards:
            activity.text = plain_first_line(activity.text)
    return activity


def plain_first_line(text: str) -> str:
    """Teams shows `summary` in notifications only for a message with an attachment; for a text
    message the chat list and the notification show the start of `text` as written, Markdown marks
    included (« Vous êtes **Alex… », « **Compte rendu… »: MicrosoftDocs/msteams-docs#1086, and the
    Agents Playground does the same). So the first line of a text message carries no emphasis."""
    first, newline, rest = text.partition("\n")
    return without_emphasis(first) + newline + rest


class _EveryMessageMiddleware(Middleware):
    """Applies `apply` to every activity a turn sends, just before it leaves."""

    apply: Callable[[Activity], Activity]

    async def on_turn(self, context: TurnContext, logic: Callable[[], Awaitable]):
        async def each(_context: TurnContext, activities: list[Activity], send: Callable[[], Awaitable[None]]):
            for activity in activities:
                type(self).apply(activity)
            await send()

        context.on_send_activities(each)
        return await logic()


class TeamsMarkdownMiddleware(_EveryMessageMiddleware):
    """Shapes every message a turn sends (replies, prompts, errors, cards) for Teams."""

    apply = staticmethod(shape_message)


class TypographyMiddleware(_EveryMessageMiddleware):
    """Typesets every message a turn sends (`typeset_reply`), on Teams and in the console alike."""

    apply = staticmethod(typeset_reply)
