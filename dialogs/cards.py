"""Adaptive Cards (plain dicts, domain/cards.py) as botbuilder attachments and messages."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, Attachment

from domain.cards import card


def adaptive_card(body: list[dict], actions: list[dict] | None = None) -> Attachment:
    return CardFactory.adaptive_card(card(body, actions))


def card_message(content: dict[str, Any] | Attachment, summary: str = "") -> Activity:
    """A message carrying one card; `summary` is what Teams shows in notifications and previews."""
    attachment = content if isinstance(content, Attachment) else CardFactory.adaptive_card(content)
    activity = MessageFactory.attachment(attachment)
    if summary:
        activity.summary = summary
    return activity
