"""The indicator form (Adaptive Card 1.5) and the French wording shared by the chat and the card.

The card carries one text input per due indicator, named `valeur|CODE|PERIOD`, and an optional
comment input `commentaire|CODE|PERIOD`; its submit data names the action, the card id and the
directorate. None of it is trusted: the handler re-checks everything against the server-side
person (see storage/indicators.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.cards import card, im_back
from domain.clock import format_datetime_fr
from domain.indicators.rules import DueItem, IndicatorView, ValueEntry, ValueView, entry_key
from domain.indicators.units import Unit, format_value
from domain.text import agreed, counted, directorate_title, lower_first, plural_of, shown, upper_first

SUBMIT_ACTION = "indicators.submit"
CONFIRMED_KEY = "confirmed"
"""Submit data of « Confirmer ces valeurs »: the tokens of the values confirmed, `;`-separated
(`domain.indicators.plausibility.confirmation_token`)."""
CONFIRM_TITLE = "Confirmer ces valeurs"
DRAWN_KEY = "drawn"
"""Submit data: the digest of the values the card was sent with (`fields_digest`). Teams redraws a
card from its JSON (the Agents Playground after each new message): a card clicked again after its
save then posts the values it was sent with, not those saved (a refilled card: the refused ones)."""
VALUE_PREFIX = "valeur"
COMMENT_PREFIX = "commentaire"
KEY_SEPARATOR = "|"
MAX_FORM_FIELDS = 200
CORRECTION_HINT = "Pour corriger une valeur, tapez « corriger » suivi du code de l’indicateur, par exemple « corriger IND-01 »."


@dataclass
class FormContent:
    """What a submitted card holds, read without trusting it: entries, typed texts, local errors."""

    entries: list[ValueEntry] = field(default_factory=list)
    typed: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def value_input_id(item: DueItem) -> str:
    return KEY_SEPARATOR.join((VALUE_PREFIX, item.indicator.code, item.period.code))


def comment_input_id(item: DueItem) -> str:
    return KEY_SEPARATOR.join((COMMENT_PREFIX, item.indicator.code, item.period.code))


def describe_item(item: DueItem) -> str:
    """« 3ᵉ trimestre 2026 · en pourcentage (%) · dernière valeur : 42,5 % au 2ᵉ trimestre 2026 »,
    « Année 2025 · … »: no period code, nobody types one while answering; a line of its own, so it
    starts with a capital."""
    parts = [item.period.label, f"en {item.indicator.unit_name}"]
    if item.existing is not None:
        parts.append(f"déjà saisi : {item.existing.shown} par {item.existing.entered_by or '?'}")
    if item.last is not None:
        parts.append(f"dernière valeur : {item.last.shown} {item.last.period.in_sentence()}")
    return upper_first(" · ".join(parts))


def due_list_text(directorate_code: str, items: list[DueItem]) -> str:
    lines = [f"La direction **{directorate_code}** a {counted(len(items), 'indicateur')} à renseigner :"]
    for item in items:
        lines.append(f"- **{item.indicator.code}** {item.indicator.label} — {lower_first(describe_item(item))}")
    return "\n".join(lines)


def saved_line(view: ValueView) -> str:
    """« - IND-02 (3ᵉ trimestre 2026) : 24 %, commentaire « Deux marchés… » »: the comment typed is
    said saved too."""
    corrected = f" (corrige {view.previous_shown})" if view.previous_value is not None else ""
    comment = f", commentaire « {shown(view.note)} »" if view.comment else ""
    return f"- {view.indicator_code} ({view.period.label}) : {view.shown}{corrected}{comment}"


def history_line(view: ValueView, timezone: str) -> str:
    """« - Année 2022, direction DCP : … »: a line of its own starts with a capital (reader 6, B10)."""
    when = format_datetime_fr(view.entered_at, timezone)
    change = f"{view.previous_shown} → {view.shown}" if view.previous_value is not None else view.shown
    comment = f" — « {shown(view.note)} »" if view.comment else ""
    status = "" if view.is_current else " (remplacée)"
    return (
        f"- {upper_first(view.period.label)}, direction {view.directorate_code} : {change}{status}, par {shown(view.entered_by) or '?'} "
        f"le {when}{comment}"
    )


def update_buttons(directorate_code: str | None) -> list[dict]:
    """The two ways to report, as buttons (chat dialog or form) for a directorate."""
    suffix = f" de {directorate_code}" if directorate_code else ""
    form_suffix = f" {directorate_code}" if directorate_code else ""
    return [
        im_back("Saisir par le chat", f"mettre à jour les indicateurs{suffix}" if directorate_code else "mettre à jour mes indicateurs"),
        im_back("Ouvrir le formulaire", f"formulaire des indicateurs{form_suffix}"),
    ]


def placeholder(indicator: IndicatorView) -> str:
    """The example shown in an empty value field, in one form for every unit (reader 9, C17: « ex. 30
    jours », « ex. 12 », « nombre de comités techniques »): « par exemple 28 jours », « par exemple
    3 comités techniques » (a count says what it counts: « ex. 12 » read oddly for committees), « par
    exemple 12 personnes » (reader 11, B23: « par exemple 12 » alone for people)."""
    if indicator.unit is Unit.COUNT and indicator.counted_noun:
        return f"par exemple {format_value(Decimal(3), indicator.unit, indicator.counted_noun)}"
    if indicator.unit is Unit.PEOPLE:
        return f"par exemple {format_value(Decimal(12), indicator.unit, indicator.counted_noun)}"
    return f"par exemple {indicator.unit.example}"


def indicator_form_card(
    *,
    card_id: str,
    directorate_code: str,
    directorate_name: str,
    items: list[DueItem],
    typed: Mapping[str, str] | None = None,
    comments: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
    general_errors: Iterable[str] = (),
    warnings: Mapping[str, str] | None = None,
    confirmed: Iterable[str] = (),
) -> dict[str, Any]:
    """One card with every item; `typed`/`comments` (by input id) refill it after an error.

    `warnings` (by entry key) flag values far from the previous ones; with `confirmed` (their
    tokens) the card leads with « Confirmer ces valeurs », which sends the same form confirmed,
    while « Enregistrer » sends it as corrected (and checks it again)."""
    warnings = warnings or {}
    typed = typed or {}
    comments = comments or {}
    errors = errors or {}
    drawn: dict[str, str] = {}
    body: list[dict] = [
        {"type": "TextBlock", "text": "Indicateurs SPASER à renseigner", "size": "Large", "weight": "Bolder", "wrap": True},
        {"type": "TextBlock", "text": directorate_title(directorate_code, directorate_name), "wrap": True},
        {
            "type": "TextBlock",
            "isSubtle": True,
            "wrap": True,
            "text": "Laissez vide un indicateur que vous ne pouvez pas encore renseigner. Écrivez les nombres "
            "à la française, par exemple : 12,5 % ; 1 200 ; 1 200,50 €.",
        },
    ]
    for message in general_errors:
        body.append({"type": "TextBlock", "text": f"⚠ {message}", "color": "Attention", "wrap": True})
    if errors:
        body.append(
            {
                "type": "TextBlock",
                # The message sent with the card says « Rien n’a été enregistré » (not twice in a row).
                "text": agreed(len(errors), "Corrigez le champ signalé", "Corrigez les champs signalés")
                + ", puis renvoyez le formulaire.",
                "color": "Attention",
                "weight": "Bolder",
                "wrap": True,
            }
        )
    for item in items:
        value_id, comment_id = value_input_id(item), comment_input_id(item)
        value_input: dict = {
            "type": "Input.Text",
            "id": value_id,
            "label": f"Valeur ({value_unit_label(item.indicator)})",
            "placeholder": placeholder(item.indicator),
            "maxLength": 60,
        }
        if typed.get(value_id):
            value_input["value"] = drawn[value_id] = typed[value_id]
        comment_input: dict = {
            "type": "Input.Text",
            "id": comment_id,
            "label": "Commentaire (facultatif)",
            "placeholder": "source, explication d’un écart…",
            "maxLength": 500,
        }
        if comments.get(comment_id):
            comment_input["value"] = drawn[comment_id] = comments[comment_id]
        items_body: list[dict] = [
            {"type": "TextBlock", "text": f"**{item.indicator.code}** — {item.indicator.label}", "wrap": True},
            {"type": "TextBlock", "text": describe_item(item), "isSubtle": True, "wrap": True, "spacing": "None"},
            value_input,
        ]
        error = errors.get(entry_key(item.indicator.code, item.period.code))
        if error:
            items_body.append({"type": "TextBlock", "text": f"⚠ {error}", "color": "Attention", "wrap": True, "spacing": "None"})
        warning = warnings.get(item.key)
        if warning:
            items_body.append({"type": "TextBlock", "text": f"⚠ {warning}", "color": "Attention", "wrap": True, "spacing": "None"})
        items_body.append(comment_input)
        body.append({"type": "Container", "separator": True, "spacing": "Medium", "items": items_body})
    submit = {
        "type": "Action.Submit",
        "title": "Enregistrer",
        "data": {"action": SUBMIT_ACTION, "card_id": card_id, "directorate": directorate_code, DRAWN_KEY: fields_digest(drawn)},
    }
    actions = [submit]
    confirmed = ";".join(confirmed)
    if confirmed:
        confirm = {"type": "Action.Submit", "title": CONFIRM_TITLE, "data": {**submit["data"], CONFIRMED_KEY: confirmed}}
        actions = [confirm, submit]
    return card(body, actions)


def read_form(value: Mapping) -> FormContent:
    """Entries from a submitted card; inputs with no value are left out, comments without a value flagged."""
    content = FormContent()
    for key, raw in list(value.items())[:MAX_FORM_FIELDS]:
        parts = str(key).split(KEY_SEPARATOR)
        if len(parts) != 3 or parts[0] not in (VALUE_PREFIX, COMMENT_PREFIX):
            continue
        kind, code, period = parts
        text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
        if (code, period) not in content.pairs:
            content.pairs.append((code, period))
        if kind == VALUE_PREFIX:
            content.typed[str(key)] = text
        else:
            content.comments[str(key)] = text
    for code, period in content.pairs:
        text = content.typed.get(KEY_SEPARATOR.join((VALUE_PREFIX, code, period)), "").strip()
        comment = content.comments.get(KEY_SEPARATOR.join((COMMENT_PREFIX, code, period)), "").strip()
        if text:
            content.entries.append(ValueEntry(code=code, period=period, value=text, comment=comment))
        elif comment:
            content.errors[entry_key(code, period)] = (
                f"{code} : un commentaire sans valeur. Indiquez la valeur, ou effacez le commentaire."
            )
    return content


def fields_digest(fields: Mapping[str, str]) -> str:
    """A short digest of a card's filled inputs (input id → text; blank ones left out, as the
    Playground leaves them out of what it posts, and spaces trimmed)."""
    filled = sorted((str(key), text.strip()) for key, text in fields.items() if isinstance(text, str) and text.strip())
    return hashlib.sha256(json.dumps(filled, ensure_ascii=False).encode()).hexdigest()[:16]


def sent_as_drawn(value: Mapping, form: FormContent) -> bool:
    """Whether a submitted card carries exactly the values it was sent with: nothing was typed in
    it since it was drawn. Client data: it only chooses a reply, never what is saved."""
    return str(value.get(DRAWN_KEY) or "") == fields_digest({**form.typed, **form.comments})


def value_unit_label(indicator: IndicatorView) -> str:
    """« marchés réservés » for a count that says what it counts, else the unit (« % », « jours »):
    « Valeur (nombre) » said nothing next to « Valeur (personnes) »."""
    if indicator.unit is Unit.COUNT and indicator.counted_noun:
        return plural_of(indicator.counted_noun)
    return indicator.unit.value
