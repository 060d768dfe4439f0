"""Adaptive Cards (schema 1.5, what Teams renders) and their plain-text rendering for the REPL."""

from __future__ import annotations

from typing import Any

from botbuilder.core import CardFactory, MessageFactory
from botbuilder.schema import Activity, Attachment

from domain.people import Role
from domain.people import PersonView

CARD_VERSION = "1.5"

ROLE_INTRODUCTIONS = {
    Role.LEAD: (
        "En tant que **responsable SPASER**, vous pouvez enregistrer les directions et les personnes, "
        "suivre les indicateurs, planifier les comités et relancer les directions."
    ),
    Role.CONTRIBUTOR: (
        "En tant que **contributeur·rice** de votre direction, vous pouvez mettre à jour vos indicateurs "
        "SPASER et connaître les prochaines échéances."
    ),
    Role.OFFICIAL: (
        "En tant qu'**élu·e ou directeur·rice**, vous pouvez demander où en est le SPASER et consulter "
        "la synthèse avant les comités."
    ),
    None: (
        "Je ne vous connais pas encore : posez-moi vos questions sur le SPASER, et demandez au "
        "responsable SPASER de vous enregistrer pour suivre les indicateurs de votre direction."
    ),
}


def im_back(title: str, text: str) -> dict[str, Any]:
    """A button that posts `text` as if the person had typed it (works in Teams and the REPL)."""
    return {"type": "Action.Submit", "title": title, "data": {"msteams": {"type": "imBack", "value": text}}}


def adaptive_card(body: list[dict], actions: list[dict] | None = None) -> Attachment:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": body,
    }
    if actions:
        card["actions"] = actions
    return CardFactory.adaptive_card(card)


def welcome_card(person: PersonView | None, examples: list[tuple[str, str]]) -> Attachment:
    role = person.role if person else None
    greeting = f"Bonjour {person.name.split()[0]} !" if person and person.name else "Bonjour !"
    body = [
        {"type": "TextBlock", "text": greeting, "size": "Large", "weight": "Bolder", "wrap": True},
        {
            "type": "TextBlock",
            "wrap": True,
            "text": "Je suis l'assistant du SPASER, le schéma de promotion des achats socialement et "
            "écologiquement responsables de votre organisme.",
        },
        {"type": "TextBlock", "wrap": True, "text": ROLE_INTRODUCTIONS[role]},
        {"type": "TextBlock", "wrap": True, "isSubtle": True, "text": "Tapez « aide » à tout moment pour voir ce que je sais faire."},
    ]
    return adaptive_card(body, [im_back(title, text) for title, text in examples[:4]])


def help_card(commands, examples: list[str]) -> Attachment:
    """The commands a person may use, grouped by topic, with buttons for the most useful ones."""
    body: list[dict] = [
        {"type": "TextBlock", "text": "Ce que je sais faire", "size": "Medium", "weight": "Bolder", "wrap": True}
    ]
    topics: dict[str, list[str]] = {}
    for command in commands:
        topics.setdefault(command.topic, []).append(command.help_line)
    for topic, lines in topics.items():
        body.append({"type": "TextBlock", "text": topic, "weight": "Bolder", "spacing": "Medium", "wrap": True})
        body += [{"type": "TextBlock", "wrap": True, "spacing": "None", "text": f"• {line}"} for line in lines]
    body.append(
        {
            "type": "TextBlock",
            "wrap": True,
            "isSubtle": True,
            "spacing": "Medium",
            "text": "Vous pouvez aussi me poser une question sur le SPASER, par exemple « qui doit adopter un SPASER ? ». "
            "Dans un dialogue, « annuler » arrête à tout moment.",
        }
    )
    return adaptive_card(body, [im_back(example, example) for example in examples])


def card_message(attachment: Attachment, summary: str = "") -> Activity:
    activity = MessageFactory.attachment(attachment)
    if summary:
        activity.summary = summary
    return activity


def render_as_text(activity: Activity) -> str:
    """A readable rendering of text and Adaptive Cards, for the terminal REPL."""
    parts: list[str] = []
    if activity.text:
        parts.append(activity.text)
    for attachment in activity.attachments or []:
        content = attachment.content
        if not isinstance(content, dict):
            content = content.serialize() if hasattr(content, "serialize") else {}
        if content.get("title") or content.get("text"):
            parts.extend(str(content[key]) for key in ("title", "text") if content.get(key))
        parts.extend(_render_elements(content.get("body", [])))
        buttons = [a.get("title", "") for a in content.get("actions", []) + content.get("buttons", []) if a.get("title")]
        if buttons:
            parts.append("Boutons : " + " | ".join(f"[{b}]" for b in buttons))
    return "\n".join(p for p in parts if p)


def _render_elements(elements: list[dict], indent: str = "") -> list[str]:
    lines: list[str] = []
    for element in elements:
        kind = element.get("type")
        if kind == "TextBlock":
            lines.append(indent + str(element.get("text", "")))
        elif kind == "FactSet":
            lines.extend(f"{indent}{f.get('title', '')} {f.get('value', '')}" for f in element.get("facts", []))
        elif kind in ("Container", "Column"):
            lines.extend(_render_elements(element.get("items", []), indent))
        elif kind == "ColumnSet":
            for column in element.get("columns", []):
                lines.extend(_render_elements(column.get("items", []), indent))
        elif kind and kind.startswith("Input."):
            label = element.get("label") or element.get("placeholder") or element.get("id")
            typed = f" : {element['value']}" if element.get("value") else ""
            lines.append(f"{indent}[champ] {label}{typed}")
        elif kind == "Image":
            lines.append(f"{indent}[image] {element.get('altText', '')}")
    return lines
