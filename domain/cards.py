"""Adaptive Cards (schema 1.5, what Teams renders) as plain dicts: the building blocks, and the
welcome and help cards. Each feature's own cards live with its rules (domain/<feature>/…)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from domain.people import PersonView, Role
from domain.text import counted, fold, lower_first, upper_first, without_emphasis

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
    return upper_first(text)


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
    # Written to one known person: no « élu·e ou directeur·rice » nor « contributeur·rice », a form
    # with its boxes left unticked (reader 10, B6); what they may do says their role.
    Role.LEAD: (
        "En tant que **responsable du SPASER**, vous pouvez enregistrer les directions et les personnes, "
        "suivre les indicateurs, planifier les comités et relancer les directions."
    ),
    Role.CONTRIBUTOR: (
        "Vous pouvez mettre à jour les indicateurs SPASER de votre direction et connaître les prochaines "
        "échéances."
    ),
    Role.OFFICIAL: (
        "Vous pouvez suivre l’avancement du SPASER et consulter sa synthèse avant les comités."
    ),
    None: (
        "Vous n’avez pas encore de rôle dans le SPASER : posez-moi vos questions, et demandez à la "
        "personne responsable du SPASER de vous enregistrer pour suivre les indicateurs de votre direction."
    ),
}


_BOLD_TITLE = re.compile(r"^\*\*[^*\n]+\*\*")


def titled_text_card(text: str) -> dict[str, Any] | None:
    """A text whose first line opens with a bold title (« **Indicateurs à surveiller** — … ») as a
    card: that line as a bold TextBlock, as every card's title, then one TextBlock per line (their
    Markdown kept). Sent as text, Teams loses the title's bold: a text message's first line is sent
    without emphasis, for the notification (`bot.teams_text.plain_first_line`; reader 11, C27).
    None for a text without such a title."""
    first, _, rest = text.partition("\n")
    if not _BOLD_TITLE.match(first):
        return None
    body = [{"type": "TextBlock", "text": without_emphasis(first), "weight": "Bolder", "wrap": True}]
    body += [{"type": "TextBlock", "text": line, "wrap": True, "spacing": "Small"} for line in rest.split("\n") if line.strip()]
    return card(body)


def welcome_card(person: PersonView | None, examples: list[tuple[str, str]]) -> dict[str, Any]:
    role = person.role if person else None
    greeting = f"Bonjour {person.name.split()[0]} !" if person and person.name else "Bonjour !"
    body = [
        {"type": "TextBlock", "text": greeting, "size": "Large", "weight": "Bolder", "wrap": True},
        {
            "type": "TextBlock",
            "wrap": True,
            "text": "Je suis l’assistant du SPASER, le schéma de promotion des achats publics socialement "
            "et écologiquement responsables de votre organisme.",
        },
        {"type": "TextBlock", "wrap": True, "text": ROLE_INTRODUCTIONS[role]},
        {"type": "TextBlock", "wrap": True, "isSubtle": True, "text": "Tapez « aide » à tout moment pour voir ce que je sais faire."},
    ]
    return card(body, [im_back(title, text) for title, text in examples[:4]])


DECP_TOPIC = "Données essentielles de la commande publique (DECP)"
HELP_TOPICS = {
    "Organisation": "organisation",
    "Indicateurs": "indicateurs",
    "Comités": "comités",
    "Synthèse": "synthèse",
    DECP_TOPIC: "DECP",
    "Questions sur le SPASER": "questions",
    "Général": "général",
}
"""Each help section's title and the word typed after « aide » to see all of it (« aide comités »)."""
TOPIC_ORDER = {
    Role.LEAD: ("Organisation", "Indicateurs", "Comités", "Synthèse", DECP_TOPIC, "Questions sur le SPASER", "Général"),
    Role.CONTRIBUTOR: ("Indicateurs", "Comités", "Synthèse", "Général"),
    Role.OFFICIAL: ("Synthèse", "Comités", "Indicateurs", "Général"),
}
"""What each role does most comes first."""
LINES_PER_TOPIC = 2
HELP_FOOTER = "Vous pouvez aussi me poser une question sur le SPASER, par exemple « qui doit adopter un SPASER ? »."
CANCEL_HINT = "Pendant une saisie guidée, tapez « annuler » pour l’arrêter à tout moment."
GUIDED_ROLES = frozenset({Role.LEAD, Role.CONTRIBUTOR})
"""Who can start a guided entry (the others read no word about « annuler »: reader 6, B13)."""


def help_summary_line(topics: Iterable[str], role: Role | None) -> str:
    """The help line of « aide », naming only sections the person has (someone without a role has
    only « Général »): « aide comités » and « aide indicateurs » when they have them."""
    order = TOPIC_ORDER.get(role, ())
    sections = sorted(
        {t for t in topics if t in HELP_TOPICS and t != "Général"},
        key=lambda t: (t not in ("Comités", "Indicateurs"), order.index(t) if t in order else len(order), t),
    )
    named = [f"« aide {HELP_TOPICS[t]} »" for t in sections[:2]]
    if not named:
        return "« aide » : ce sommaire"
    if len(named) == 1:
        return f"« aide » : ce sommaire ; {named[0]} : cette section en entier"
    return f"« aide » : ce sommaire ; {named[0]}, {named[1]} : une section en entier"


def help_topic_named(folded_word: str) -> str | None:
    """The section a folded word after « aide » names (« comites », « comite », « decp »), if any."""
    word = folded_word.strip()
    for topic, typed in HELP_TOPICS.items():
        typed = fold(typed)
        if word and (word == typed or word.rstrip("s") == typed.rstrip("s")):
            return topic
    return None


def help_card(
    lines_by_topic: Iterable[tuple[str, str]], examples: list[str], role: Role | None = None, topic: str | None = None
) -> dict[str, Any]:
    """The help in short titled sections, in the order that suits the role: the first lines of each
    section, and « aide comités » for the rest; with `topic`, that section whole."""
    topics: dict[str, list[str]] = {}
    for name, line in lines_by_topic:
        topics.setdefault(name, []).append(line)
    order = TOPIC_ORDER.get(role, ())
    ordered = sorted(topics, key=lambda name: order.index(name) if name in order else len(order))
    title = "Ce que je sais faire" + (f" : {lower_first(topic)}" if topic in topics else "")
    body: list[dict] = [{"type": "TextBlock", "text": title, "size": "Medium", "weight": "Bolder", "wrap": True}]
    for name in [topic] if topic in topics else ordered:
        lines = topics[name]
        shown = lines if topic in topics or len(lines) <= LINES_PER_TOPIC + 1 else lines[:LINES_PER_TOPIC]
        if topic not in topics:
            body.append({"type": "TextBlock", "text": name, "weight": "Bolder", "spacing": "Medium", "wrap": True})
        body += [{"type": "TextBlock", "wrap": True, "spacing": "None", "text": f"• {line}"} for line in shown]
        if len(lines) > len(shown):
            body.append({
                "type": "TextBlock", "wrap": True, "spacing": "None", "isSubtle": True,
                "text": f"Et {counted(len(lines) - len(shown), 'autre commande', 'autres commandes')} : tapez « aide {HELP_TOPICS.get(name, fold(name))} ».",
            })
    footer = "Tapez « aide » pour revoir toutes les sections." if topic in topics else HELP_FOOTER
    if role in GUIDED_ROLES and topic not in topics:
        footer = f"{footer} {CANCEL_HINT}"
    body.append({"type": "TextBlock", "wrap": True, "isSubtle": True, "spacing": "Medium", "text": footer})
    return card(body, [im_back(example, example) for example in examples])
