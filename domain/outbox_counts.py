"""The outbox's counts in French, for the `rappels` command: one line per kind of message, so that
the figures read against the chat's reports, each line in the same form (« Rappels aux membres :
2 remis ; 11 non remis (10 personnes injoignables) »). « Messages : 8 remis, 18 non remis » mixed
reminders, broadcasts and digests (reader 7, B15); « 4 rappels remis » counted the lead's copies
with the members' reminders, and « 11 non remis à 10 personnes injoignables » read as if the
reminders had been sent to them (reader 9, A9 and B11)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.clock import format_date_fr
from domain.outbox import TASK_KINDS, SourceKind
from domain.text import NO_BREAK_SPACE, counted, joined

LEAD_COPY = "reminder:lead_copy"
"""The copy of a members' reminder sent to a lead: counted apart from the members' reminders."""
DATA_REMINDER = "reminder:data_collection"
"""The reminder to the directorates' contributors to enter their indicators before a meeting."""
SKIPPED_CONSULTED = "skipped:consulted"
SKIPPED_RECEIVED = "skipped:received"
"""A digest not sent (state `skipped`) because the person had consulted the same summary that day, or
had been sent it: counted apart (reader 14, B3: « a déjà reçu la synthèse » in Teams, no summary
delivered in `rappels`)."""


@dataclass(frozen=True)
class _Label:
    """What a line counts, in the plural as a list heading (« Diffusions : 1 remise »), and the
    gender the participles agree with."""

    plural: str
    feminine: bool = False


_TO_LEAD = "à la personne responsable du SPASER"
_TO_LEADS = "aux personnes responsables du SPASER"
_LABELS = {
    SourceKind.REMINDER.value: _Label("Rappels aux membres"),
    LEAD_COPY: _Label(f"Copies des rappels {_TO_LEAD}", feminine=True),
    DATA_REMINDER: _Label("Relances des directions pour leurs indicateurs", feminine=True),
    SourceKind.MEETING_NOTICE.value: _Label("Annonces des changements de comité", feminine=True),
    SourceKind.BROADCAST.value: _Label("Diffusions", feminine=True),
    SourceKind.DIGEST.value: _Label("Synthèses", feminine=True),
    # Reader 10, C20: « Messages aux personnes responsables » did not say which messages.
    SourceKind.LEAD_NOTICE.value: _Label(f"Comptes rendus envoyés {_TO_LEAD}"),
    SourceKind.PRIVATE_REPLY.value: _Label("Réponses en conversation personnelle", feminine=True),
    SourceKind.TURN_REPLY.value: _Label("Réponses envoyées en différé", feminine=True),
    SourceKind.INSTALLATION.value: _Label("Installations de l’assistant dans Teams", feminine=True),
    SourceKind.OUTLOOK_EVENT.value: _Label("Mises à jour d’invitations Outlook", feminine=True),
}
_ORDER = [
    SourceKind.REMINDER.value, LEAD_COPY, DATA_REMINDER,
    *(kind.value for kind in SourceKind if kind is not SourceKind.REMINDER),
]

_STATES = ("sent", SKIPPED_RECEIVED, SKIPPED_CONSULTED, "unreachable", "failed", "pending", "sending", "cancelled")
"""The order of a line: what arrived, what was not sent because it had arrived otherwise, then what
did not arrive, then what is still to go."""

# (masculine singular, masculine plural, feminine singular, feminine plural)
_MESSAGE_WORDS = {
    "sent": ("remis", "remis", "remise", "remises"),
    "unreachable": ("non remis", "non remis", "non remise", "non remises"),
    "failed": ("en échec",) * 4,
    "pending": ("à envoyer",) * 4,
    "sending": ("en cours d’envoi",) * 4,
    "cancelled": ("retiré", "retirés", "retirée", "retirées"),
    SKIPPED_CONSULTED: tuple(
        f"non envoyé{ending} (déjà consulté{ending} le jour même)" for ending in ("", "s", "e", "es")
    ),
    SKIPPED_RECEIVED: tuple(f"non envoyé{ending} (déjà reçu{ending} le jour même)" for ending in ("", "s", "e", "es")),
}
_TASK_WORDS = {
    **_MESSAGE_WORDS,
    "sent": ("fait", "faits", "faite", "faites"),
    "unreachable": ("impossible", "impossibles", "impossible", "impossibles"),
    "pending": ("à faire",) * 4,
    "sending": ("en cours",) * 4,
}
_TASKS = frozenset(kind.value for kind in TASK_KINDS)
_SEPARATOR = f"{NO_BREAK_SPACE}; "
HEADING = "Envois de l’assistant"


def lead_copies_in_reports(counts: Mapping[str, Mapping[str, int]], people: Mapping[str, int]) -> str:
    """« Dans Teams, les comptes rendus comptent ensemble les rappels et les copies : 11 envois non remis
    (9 rappels et 2 copies) à 10 personnes. »

    Reader 10, A9: Teams named the lead among those who did not get the reminder, the command line
    counted her copy apart; reader 11, A3: the sentence that said so did not let the figures be
    added up (9 here, 3 + 8 in Teams); readers 12, A3 and 15, minor 15: that sentence was hard to read."""
    members = counts.get(SourceKind.REMINDER.value, {}).get("unreachable", 0)
    copies = counts.get(LEAD_COPY, {}).get("unreachable", 0)
    who = people.get(SourceKind.REMINDER.value, 0) + people.get(LEAD_COPY, 0)
    total = counted(members + copies, "envoi non remis", "envois non remis")
    split = joined([counted(members, 'rappel'), counted(copies, 'copie')]) if members else counted(copies, "copie")
    whom = f" à {counted(who, 'personne')}" if who else ""
    return f"Dans Teams, les comptes rendus comptent ensemble les rappels et les copies : {total} ({split}){whom}."


def outbox_counts_text(
    counts: Mapping[str, Mapping[str, int]], unreachable_people: Mapping[str, int] | None = None, lead_count: int = 1,
    since: date | None = None,
) -> str:
    """`counts`: kind → state → rows (the kinds of `SourceKind`, with `LEAD_COPY` and `DATA_REMINDER`
    told apart from the members' reminders); `unreachable_people`: kind → people not reached. «
    Envois de l’assistant, par type de message : » then « Rappels aux membres : 2 remis ; 11 non
    remis (10 personnes injoignables) », « Diffusions : 1 remise »…: the people are counted apart
    from the messages (one person who never installed the assistant misses every reminder).
    `lead_count` says whether the messages to the lead went to one person or to several; `since`, the
    day of the first message counted (reader 10, A9: « par type de message » gave no period)."""
    people = unreachable_people or {}
    kinds = [kind for kind in _ORDER if kind in counts]
    kinds += sorted(set(counts) - set(kinds))
    labels = dict(_LABELS)
    if lead_count >= 2:
        # Reader 8, A10: « à la personne responsable » with two of them.
        for kind in (LEAD_COPY, SourceKind.LEAD_NOTICE.value):
            labels[kind] = _Label(labels[kind].plural.replace(_TO_LEAD, _TO_LEADS), labels[kind].feminine)
    lines = [_kind_line(kind, counts[kind], people.get(kind, 0), labels) for kind in kinds]
    lines = [line for line in lines if line]
    if not lines:
        return f"{HEADING} : aucun pour l’instant."
    heading = f"{HEADING} depuis le {format_date_fr(since)}" if since else HEADING
    notes = [lead_copies_in_reports(counts, people)] if counts.get(LEAD_COPY, {}).get("unreachable") else []
    return "\n".join([f"{heading}, par type de message :", *(f"  {line}" for line in lines), *notes])


def _kind_line(kind: str, states: Mapping[str, int], unreachable_people: int, labels: Mapping[str, _Label]) -> str:
    label = labels.get(kind) or _Label(f"Messages « {kind} »")
    words = _TASK_WORDS if kind in _TASKS else _MESSAGE_WORDS
    order = [*_STATES, *sorted(set(states) - set(_STATES))]
    parts = []
    for state in order:
        count = states.get(state, 0)
        if not count:
            continue
        forms = words.get(state, (state,) * 4)
        part = f"{count}{NO_BREAK_SPACE}{forms[(2 if label.feminine else 0) + (1 if count >= 2 else 0)]}"
        if state == "unreachable" and unreachable_people:
            part += f" ({counted(unreachable_people, 'personne injoignable', 'personnes injoignables')})"
        parts.append(part)
    return f"{label.plural} : {_SEPARATOR.join(parts)}" if parts else ""
