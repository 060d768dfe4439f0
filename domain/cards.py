"""Adaptive Cards (schema 1.5, what Teams renders) as plain dicts: the building blocks, and the
welcome and help cards. Each feature's own cards live with its rules (domain/<feature>/…)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from domain.people import PersonView, Role

CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"


def card(body: list[dict], actions: list[dict] | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        content["actions"] = actions
    return content


def button_title(text: str) -> str:
    """Buttons are written in sentence case: the first letter upper-case, the rest as written
    (« lister les personnes » → « Lister les personnes »; codes and proper nouns keep theirs)."""
    return text[:1].upper() + text[1:]


def im_back(title: str, text: str) -> dict[str, Any]:
    """A button that posts `text` as if the person had typed it (works in Teams and the REPL);
    its title in sentence case (`button_title`), the text posted as given."""
    return {"type": "Action.Submit", "title": button_title(title), "data": {"msteams": {"type": "imBack", "value": text}}}


def open_url(title: str, url: str) -> dict[str, Any]:
    return {"type": "Action.OpenUrl", "title": button_title(title), "url": url}


def fact(title: str, value: str) -> dict[str, str]:
    """One line of a FactSet. The house convention for every card: the title ends with « : »
    after a no-break space, as a label followed by its value does in a sentence."""
    return {"title": f"{title}\u00a0:", "value": value}


ROLE_INTRODUCTIONS = {
    Role.LEAD: (
        "En tant que **responsable du SPASER**, vous pouvez enregistrer les directions et les personnes, "
        "suivre les indicateurs, planifier les comités et relancer les directions."
    ),
    Role.CONTRIBUTOR: (
        "En tant que **contributeur·rice** de votre direction, vous pouvez mettre à jour vos indicateurs "
        "SPASER et connaître les prochaines échéances."
    ),
    Role.OFFICIAL: (
        "Avec le rôle **« élu·e ou directeur·rice »**, vous pouvez demander où en est le SPASER et consulter "
        "la synthèse avant les comités."
    ),
    None: (
        "Vous n’avez pas encore de rôle dans le SPASER : posez-moi vos questions, et demandez à la "
        "personne responsable du SPASER de vous enregistrer pour suivre les indicateurs de votre direction."
    ),
}


def welcome_card(person: PersonView | None, examples: list[tuple[str, str]]) -> dict[str, Any]:
    role = person.role if person else None
    greeting = f"Bonjour {person.name.split()[0]} !" if person and person.name else "Bonjour !"
    body = [
        {"type": "TextBlock", "text": greeting, "size": "Large", "weight": "Bolder", "wrap": True},
        {
            "type": "TextBlock",
            "wrap": True,
            "text": "Je suis l’assistant du SPASER, le schéma de promotion des achats socialement et "
            "écologiquement responsables de votre organisme.",
        },
        {"type": "TextBlock", "wrap": True, "text": ROLE_INTRODUCTIONS[role]},
        {"type": "TextBlock", "wrap": True, "isSubtle": True, "text": "Tapez « aide » à tout moment pour voir ce que je sais faire."},
    ]
    return card(body, [im_back(title, text) for title, text in examples[:4]])


def help_card(lines_by_topic: Iterable[tuple[str, str]], examples: list[str]) -> dict[str, Any]:
    """The (topic, help line) of each command a person may use, grouped by topic, with buttons for
    the most useful ones."""
    body: list[dict] = [
        {"type": "TextBlock", "text": "Ce que je sais faire", "size": "Medium", "weight": "Bolder", "wrap": True}
    ]
    topics: dict[str, list[str]] = {}
    for topic, line in lines_by_topic:
        topics.setdefault(topic, []).append(line)
    for topic, lines in topics.items():
        body.append({"type": "TextBlock", "text": topic, "weight": "Bolder", "spacing": "Medium", "wrap": True})
        body += [{"type": "TextBlock", "wrap": True, "spacing": "None", "text": f"• {line}"} for line in lines]
    body.append(
        {
            "type": "TextBlock",
            "wrap": True,
            "isSubtle": True,
            "spacing": "Medium",
            "text": "Vous pouvez aussi me poser une question sur le SPASER, par exemple « qui doit adopter un SPASER ? ». "
            "Pendant une saisie guidée, tapez « annuler » pour l’arrêter à tout moment.",
        }
    )
    return card(body, [im_back(example, example) for example in examples])
