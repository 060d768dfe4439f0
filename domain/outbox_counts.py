"""The outbox's counts in French, for the `rappels` command: one line per kind of message, so that
the figures read against the chat's reports (« 3 rappels remis, 9 non remis à 5 personnes
injoignables »); « Messages : 8 remis, 18 non remis » mixed reminders, broadcasts and digests and
could not be reconciled with any of them (reader 7, B15)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.outbox import TASK_KINDS, SourceKind
from domain.text import counted, plural_of


@dataclass(frozen=True)
class _Noun:
    singular: str
    feminine: bool = False


_NOUNS = {
    SourceKind.REMINDER: _Noun("rappel"),
    SourceKind.MEETING_NOTICE: _Noun("avis de changement de comité"),
    SourceKind.BROADCAST: _Noun("diffusion", feminine=True),
    SourceKind.DIGEST: _Noun("synthèse", feminine=True),
    SourceKind.LEAD_NOTICE: _Noun("message à la personne responsable du SPASER"),
    SourceKind.PRIVATE_REPLY: _Noun("réponse en conversation personnelle", feminine=True),
    SourceKind.TURN_REPLY: _Noun("réponse envoyée en différé", feminine=True),
    SourceKind.INSTALLATION: _Noun("installation de l’assistant dans Teams", feminine=True),
    SourceKind.OUTLOOK_EVENT: _Noun("mise à jour d’invitation Outlook", feminine=True),
}

_STATES = ("sent", "unreachable", "failed", "pending", "sending", "cancelled")
"""The order of a line: what arrived, then what did not, then what is still to go."""

# (masculine singular, masculine plural, feminine singular, feminine plural)
_MESSAGE_WORDS = {
    "sent": ("remis", "remis", "remise", "remises"),
    "unreachable": ("non remis", "non remis", "non remise", "non remises"),
    "failed": ("en échec",) * 4,
    "pending": ("à envoyer",) * 4,
    "sending": ("en cours d’envoi",) * 4,
    "cancelled": ("retiré", "retirés", "retirée", "retirées"),
}
_TASK_WORDS = {
    **_MESSAGE_WORDS,
    "sent": ("fait", "faits", "faite", "faites"),
    "unreachable": ("impossible", "impossibles", "impossible", "impossibles"),
    "pending": ("à faire",) * 4,
    "sending": ("en cours",) * 4,
}
HEADING = "Envois de l’assistant, par type de message"


_TO_LEADS = _Noun("message aux personnes responsables du SPASER")
"""When there are several leads (reader 8, A10: « à la personne responsable » with two of them)."""


def outbox_counts_text(
    counts: Mapping[str, Mapping[str, int]], unreachable_people: Mapping[str, int] | None = None, lead_count: int = 1
) -> str:
    """`counts`: kind → state → rows; `unreachable_people`: kind → people not reached. « Envois de
    l’assistant, par type de message : » then « 3 rappels remis, 9 non remis à 5 personnes
    injoignables », « 1 diffusion remise »…: the people are counted apart from the messages (one
    person who never installed the assistant misses every reminder). `lead_count` says whether the
    messages to the lead went to one person or to several."""
    people = unreachable_people or {}
    kinds = [kind.value for kind in SourceKind if kind.value in counts]
    kinds += sorted(set(counts) - set(kinds))
    nouns = {**_NOUNS, SourceKind.LEAD_NOTICE: _TO_LEADS} if lead_count >= 2 else _NOUNS
    lines = [_kind_line(kind, counts[kind], people.get(kind, 0), nouns) for kind in kinds]
    lines = [line for line in lines if line]
    if not lines:
        return f"{HEADING} : aucun pour l’instant."
    return "\n".join([f"{HEADING} :", *(f"  {line}" for line in lines)])


def _kind_line(kind: str, states: Mapping[str, int], unreachable_people: int, nouns: Mapping[SourceKind, _Noun]) -> str:
    known = kind in SourceKind.__members__.values()
    noun = nouns.get(SourceKind(kind), _Noun(kind)) if known else _Noun(f"message « {kind} »")
    words = _TASK_WORDS if known and SourceKind(kind) in TASK_KINDS else _MESSAGE_WORDS
    order = [*_STATES, *sorted(set(states) - set(_STATES))]
    parts = []
    for state in order:
        count = states.get(state, 0)
        if not count:
            continue
        forms = words.get(state, (state,) * 4)
        word = forms[(2 if noun.feminine else 0) + (1 if count >= 2 else 0)]
        part = f"{counted(count, noun.singular, plural_of(noun.singular))} {word}" if not parts else f"{count} {word}"
        if state == "unreachable" and unreachable_people:
            part += f" à {counted(unreachable_people, 'personne injoignable', 'personnes injoignables')}"
        parts.append(part)
    return ", ".join(parts)
