"""A question back when a data question names several indicators about equally (« où en est la
considération sociale ? »: the share of contracts counted, or in amount): the candidates by code
and name, a button for each, and the reply that picks one (its code, or the button)."""

from __future__ import annotations

import re
from typing import Any

from domain.cards import card, im_back
from domain.text import counted, fold
from domain.understanding.slots import CODE_NUMBER, IndicatorName

CHOICE_SUMMARY = "Quel indicateur\u00a0?"
BUTTON_LABEL_CHARS = 40
"""A button shows the code and the start of the name: the full names are in the card's text."""
_NUMBER_ONLY = re.compile(r"^\s*(?:le |la |l'|l )?(?:n°\s?)?0*(\d{1,3})\s*[.!?]*\s*$")


def choice_text(candidates: list[IndicatorName]) -> str:
    lines = [
        f"Votre question peut porter sur {counted(len(candidates), 'indicateur')}\u00a0: "
        "lequel voulez-vous consulter\u00a0?"
    ]
    lines += [f"- **{candidate.code}** — {candidate.label}" for candidate in candidates]
    lines.append(f"Choisissez-le ci-dessous ou tapez son code (par exemple « {candidates[0].code} »).")
    return "\n".join(lines)


def choice_card(choices: list[tuple[IndicatorName, str]]) -> dict[str, Any]:
    """`choices`: each candidate with the command that answers the question about it."""
    body = [{"type": "TextBlock", "text": choice_text([candidate for candidate, _ in choices]), "wrap": True}]
    labels = [candidate.label for candidate, _ in choices]
    buttons = [
        im_back(f"{candidate.code} — {short_label(candidate.label, labels)}", command) for candidate, command in choices
    ]
    return card(body, buttons)


def chosen_code(reply: str, codes: list[str]) -> str | None:
    """The code among `codes` that a reply names: « IND-24 », « ind 24 », « 24 », « le IND-24 stp »."""
    folded = fold(reply)
    for code in codes:
        if re.search(rf"(?<![a-z0-9]){re.escape(fold(code))}(?![a-z0-9])", folded):
            return code
    found = CODE_NUMBER.search(folded) or _NUMBER_ONLY.match(folded)
    if found:
        for code in codes:
            digits = re.findall(r"\d+", code)
            if digits and int(digits[-1]) == int(found[1]):
                return code
    return None


def short_label(label: str, labels: list[str]) -> str:
    """The label cut at a word to fit a button, keeping what tells it from the other `labels`: its
    start when it differs from theirs at the first word; else not the start they share (« Part des
    marchés notifiés ») but « … » and the words from the first that differs, as many as fit, with the
    words before it that still fit (« … une considération environnementale »); when those do not fit,
    what it says after its last comma if no other label ends so (« en montant », « en nombre de
    marchés »: reader 9, C5, « … sociale, en nombre de marchés » was cut mid-phrase), else the end of
    the label, where such names say what they count (« … au moins une considération sociale »),
    unless another label ends the same way."""
    if len(label) <= BUTTON_LABEL_CHARS:
        return label
    words = label.split(" ")
    others = [other.split(" ") for other in labels if other != label]
    shared = max((_shared_words(words, other) for other in others), default=0)
    if shared == 0:
        return _cut(_fitting(words, BUTTON_LABEL_CHARS - 1)) + "…"
    room = BUTTON_LABEL_CHARS - 2
    if len(" ".join(words[shared:])) <= room:
        start = shared
        while start > 1 and len(" ".join(words[start - 1 :])) <= room:
            start -= 1
        return f"…\u00a0{_cut(words[start:])}"
    clause = _last_clause(label)
    if clause and len(clause) <= BUTTON_LABEL_CHARS and not any(
        fold(" ".join(other)).endswith(fold(clause)) for other in others
    ):
        return clause
    tail = _fitting(words[::-1], room)[::-1]
    if not any(_shared_words(tail[::-1], other[::-1]) == len(tail) for other in others):
        return f"…\u00a0{_cut(tail)}"
    return f"…\u00a0{_cut(_fitting(words[shared:], room - 1))}…"


def _last_clause(label: str) -> str:
    """What a name says after its last comma (« en montant », « en nombre de marchés »): how it
    counts, which tells two names apart that share their start and their middle."""
    return label.rsplit(", ", 1)[1].strip() if ", " in label else ""


def _shared_words(words: list[str], other: list[str]) -> int:
    """How many words two labels share from their start."""
    count = 0
    for mine, theirs in zip(words, other):
        if fold(mine) != fold(theirs):
            break
        count += 1
    return count


def _fitting(words: list[str], limit: int) -> list[str]:
    """The first words that fit in `limit` characters, at least one."""
    kept: list[str] = []
    for word in words:
        if kept and len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    return kept


def _cut(words: list[str]) -> str:
    return " ".join(words).rstrip(" ,;:")
