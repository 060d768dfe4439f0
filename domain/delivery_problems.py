"""The lead's notices about messages that did not reach people: why, in French, each reason in one
sentence naming the people it concerns, and the message named by what it is (« le rappel du … »).

The outbox's rules and states are in domain/outbox.py; the sender (scheduler/outbox.py) queues these.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from domain.clock import DEFAULT_TIMEZONE, format_date_fr, format_datetime_fr, load_timezone
from domain.outbox import (
    BLOCKED_ERROR_PREFIX,
    EXPIRED,
    INSTALL_PREFIX,
    NO_REFERENCE,
    UNTRUSTED,
    About,
    OutboxMessage,
    Seen,
    SourceKind,
    Topic,
)
from domain.people import ROLE_ADDRESSEES, Role
from domain.summary import wording
from domain.text import (
    agreed,
    counted,
    counted_in_words,
    joined,
    listed_names,
    lower_first,
    plain_excerpt,
    shown,
    sorted_names,
    upper_first,
)


@dataclass(frozen=True)
class Problem:
    """Why a message did not reach people, as a sentence naming them (`{names}`): `one` when one
    person, else `several`, then `advice` (with `{them}`: « lui » or « leur »). Each sentence names
    its people: a report lists several reasons, and « cette personne » would point at nobody."""

    prefix: str
    one: str
    several: str
    advice: str = ""

    def sentence(self, names: str, count: int, advice: bool = True) -> str:
        """`advice` False leaves out what to do, already said to the reader that day (reader 14)."""
        said = (self.one if count == 1 else self.several).format(names=names) + "."
        if not self.advice:
            return said
        # Said once a day in full; after that, where to find it (reader 15, minor 14: a later report
        # with no way forward read as if nothing could be done).
        return f"{said} {self.advice.format(them='lui' if count == 1 else 'leur') if advice else ADVICE_GIVEN}"


NOT_INSTALLED_ONE = "n’a pas encore installé l’assistant dans Teams : je ne peux pas lui écrire"
NOT_INSTALLED_SEVERAL = "n’ont pas encore installé l’assistant dans Teams : je ne peux pas leur écrire"
"""Why the assistant has no conversation with someone: it writes only in a person's own chat with it,
which Teams opens when they install it (writing to it in a team, or through the command line, opens
none); they may have used the assistant all the same, so never « n’ont pas encore écrit »."""


NOT_REACHED_ADVICE = (
    "Transmettez-{them} l’information par courriel ou par téléphone, et faites-{them} installer l’assistant "
    "dans Teams pour que les prochains messages {them} parviennent."
)
"""What the lead can do for people the assistant cannot write to: one sentence, the same in every
report (reader 11, B17: two reports of the same day gave two different advices; reader 10, B8: three
sentences in every report were no longer read; reader 9, B9: « ne renvoie pas »), given once a day
to each lead (reader 14: three times in a row, after a broadcast and a reminder): `ADVICE_MARK`
finds it in the notices already queued."""

ADVICE_MARK = "l’information par courriel ou par téléphone"
ADVICE_GIVEN = "Même marche à suivre que dans mon premier compte rendu d’aujourd’hui."
"""A part of `NOT_REACHED_ADVICE` found in every notice that gave it (`OutboxRepository.advised_since`)."""


PROBLEMS = (
    Problem(
        f"{INSTALL_PREFIX} 403",
        "L’application n’a pas pu être installée pour {names}",
        "L’application n’a pas pu être installée pour {names}",
        "Il manque le consentement administrateur (permission TeamsAppInstallation.ReadWriteSelfForUser.All).",
    ),
    Problem(
        f"{INSTALL_PREFIX} 404",
        "{names} est introuvable dans l’annuaire Microsoft 365",
        "{names} sont introuvables dans l’annuaire Microsoft 365",
    ),
    Problem(
        INSTALL_PREFIX,
        "Microsoft 365 a refusé d’installer l’application pour {names}",
        "Microsoft 365 a refusé d’installer l’application pour {names}",
    ),
    Problem(
        NO_REFERENCE[:20],
        f"{{names}} {NOT_INSTALLED_ONE}",
        f"{{names}} {NOT_INSTALLED_SEVERAL}",
        NOT_REACHED_ADVICE,
    ),
    Problem(
        BLOCKED_ERROR_PREFIX,
        "{names} a bloqué ou désinstallé l’assistant dans Teams",
        "{names} ont bloqué ou désinstallé l’assistant dans Teams",
    ),
    Problem(
        "404",
        "La conversation Teams avec {names} a disparu, sans doute parce que l’application a été désinstallée",
        "Les conversations Teams avec {names} ont disparu, sans doute parce que l’application a été désinstallée",
    ),
    Problem(
        UNTRUSTED[:20],
        "L’adresse du connecteur Teams utilisée pour {names} n’est pas autorisée",
        "L’adresse du connecteur Teams utilisée pour {names} n’est pas autorisée",
        "En mode local, seul un connecteur local comme l’Agents Playground est joignable.",
    ),
    Problem(
        EXPIRED,
        "Le message n’a pas été envoyé à {names}, car la réunion avait commencé",
        "Le message n’a pas été envoyé à {names}, car la réunion avait commencé",
    ),
)
"""Why a message did not reach someone, by the start of the recorded error."""


REPEATED_CHANGES = (
    "Les prochains changements de cette réunion ne leur parviendront pas non plus\u00a0: "
    "ce signalement ne sera pas répété pour les mêmes personnes."
)


def problem_of(error: str | None) -> Problem:
    for problem in PROBLEMS:
        if (error or "").startswith(problem.prefix):
            return problem
    detail = shown((error or "erreur inconnue")[:80]).replace("{", "{{").replace("}", "}}")
    return Problem(error or "", f"L’envoi à {{names}} a échoué ({detail})", f"L’envoi à {{names}} a échoué ({detail})")


def explain(error: str | None, names: Sequence[str] = ("…",), limit: int = 30, advice: bool = True) -> str:
    """The full sentence saying why `names` did not get a message, and what to do when something can
    be done (unless `advice` is False: said earlier that day); the names are typed text, shown escaped."""
    shown_names = [shown(name) for name in names]
    return problem_of(error).sentence(listed_names(shown_names, limit), len(names), advice)


def reasons_with_names(failures: Iterable[tuple[str, str | None]], limit: int = 30, advice: bool = True) -> list[str]:
    """One sentence per reason for (name, recorded error) pairs, each reason once, in order of first
    appearance: « Hélène Dubois et Marc Lefèvre n’ont pas encore ouvert de conversation avec
    l’assistant dans Teams. », not the reason per name."""
    grouped: dict[Problem, list[tuple[str, str | None]]] = defaultdict(list)
    for name, error in failures:
        grouped[problem_of(error)].append((name, error))
    return [explain(pairs[0][1], [name for name, _ in pairs], limit, advice) for pairs in grouped.values()]


def installed_sentence(names: Sequence[str]) -> str:
    """« L’assistant a été installé dans Teams pour Hélène Dubois : je lui ai écrit ensuite. »: worded
    so that nothing agrees with the gender of the people named; the assistant says « je » (reader 11, B18)."""
    them = "lui" if len(names) == 1 else "leur"
    return f"L’assistant a été installé dans Teams pour {listed_names([shown(name) for name in names])} : je {them} ai écrit ensuite."


def problem_notices(
    kind: str, source_id: str, rows: list, leads: list[tuple[int, str]], timezone: str = DEFAULT_TIMEZONE,
    advised: Set[int] = frozenset(),
) -> list[OutboxMessage]:
    """The lead's notice about a source's messages that did not arrive, and about the people for
    whom the app was installed before the message was delivered (`installed_at`): full sentences,
    each reason said once with the people it concerns. The message is named by what it is (« le
    rappel du comité technique du … »), quoted only when no facts were stored with it. The leads in
    `advised` were told what to do that day already (`NOT_REACHED_ADVICE`)."""
    [(subject, _)] = _message_names([(kind, source_id, rows)], timezone)
    installed = [row for row in rows if getattr(row, "installed_at", None) is not None and row.state == "sent"]
    problems = _each_person_once(row for row in rows if row not in installed)
    key = f"{kind}:{source_id}:{rows[0].id}-{rows[-1].id}"
    if kind == SourceKind.MEETING_NOTICE and problems and not installed:
        # Each move or cancellation of a meeting misses the same people: tell the lead once.
        reported = sorted({(shown(row.recipient_label) or "", problem_of(row.last_error).prefix) for row in problems})
        key = f"{kind}:{source_id}:not-reached:{hashlib.sha256(repr(reported).encode()).hexdigest()[:16]}"

    def lines_for(advice: bool) -> list[str]:
        lines, why = [], []
        if problems:
            count = len(problems)
            # « personnes », as in the report of an event (reader 15, minor 14: « 3 personnes » there,
            # « Huit destinataires » here).
            lines.append(f"{counted_in_words(count, 'personne', feminine=True)} n’{agreed(count, 'a', 'ont')} pas reçu {subject}.")
            failures = ((shown(row.recipient_label) or "destinataire inconnu", row.last_error) for row in problems)
            why += reasons_with_names(failures, advice=advice)
        if installed:
            names = [shown(row.recipient_label) or "destinataire inconnu" for row in installed]
            if not problems:
                lines.append(f"Tout le monde a bien reçu {subject}.")
            why.append(installed_sentence(names))
        lines += _bulleted(why)
        lines += _already_seen([rows], timezone)
        if kind == SourceKind.MEETING_NOTICE and problems and not installed:
            lines.append(REPEATED_CHANGES)
        return lines

    return _to_leads(leads, key, f"{kind}:{source_id}", lines_for, advised)


def _bulleted(sentences: list[str]) -> list[str]:
    """The reasons as a list when there are several; one reason is a paragraph (a single bullet read as
    a list cut short)."""
    return sentences if len(sentences) == 1 else [f"- {sentence}" for sentence in sentences]


def _seen(row_groups: Iterable[list]) -> list[Seen]:
    """The people a COPIL digest was not sent to because they had the same summary that day (names escaped)."""
    people: dict[str, Seen] = {}
    for rows in row_groups:
        about = _about(rows)
        if about is not None and about.topic is Topic.DIGEST:
            for one in about.already_seen:
                people.setdefault(shown(one.name), replace(one, name=shown(one.name)))
    return list(people.values())


def _seen_names(row_groups: Iterable[list]) -> list[str]:
    return [one.name for one in _seen(row_groups)]


def _already_seen(row_groups: Iterable[list], timezone: str) -> list[str]:
    """« Adele Vance a déjà consulté la synthèse aujourd’hui (à 19 h 42) : je ne la lui ai pas renvoyée. »,
    from the facts stored with a digest's deliveries (`wording.not_sent_again_text`)."""
    seen = _seen(row_groups)
    return [wording.not_sent_again_text(seen, timezone)] if seen else []


def _each_person_once(rows: Iterable) -> list:
    """Two changes of a meeting sent in the same round miss the same person twice: name her once."""
    seen: dict[tuple[str, str], Any] = {}
    for row in rows:
        seen.setdefault((row.recipient_label, problem_of(row.last_error).prefix), row)
    return list(seen.values())


def _to_leads(
    leads: list[tuple[int, str]], key: str, source_id: str, lines_for: Callable[[bool], list[str]], advised: Set[int]
) -> list[OutboxMessage]:
    """One notice per lead, with what to do unless the lead was told it that day (`advised`); its key
    names the deliveries it reports, so it is queued once."""
    return [
        OutboxMessage(
            key=f"lead-notice:{key}:person-{lead_id}",
            source_kind=SourceKind.LEAD_NOTICE,
            source_id=source_id,
            text="\n".join(lines_for(lead_id not in advised)),
            person_id=lead_id,
            recipient_label=name,
        )
        for lead_id, name in leads
    ]


def _subject(rows: list) -> str:
    """The first line of a message as the lead reads it quoted: without its Markdown marks."""
    return plain_excerpt(rows[0].text.split("\n")[0], 150)


def event_problem_notices(
    groups: list[tuple[str, str, list]], leads: list[tuple[int, str]], timezone: str = DEFAULT_TIMEZONE,
    advised: Set[int] = frozenset(),
) -> list[OutboxMessage]:
    """One notice per lead for the problems found together — one event, such as a COPIL reminder
    and the summary that goes with it. The same shape as for one message: who did not receive what
    (« Trois personnes n’ont pas reçu le rappel … ou la synthèse … »), then what each person
    missed (« Hélène Dubois n’a reçu ni le rappel ni la synthèse. »), then why, one bullet per reason
    naming the people it concerns (a bullet is read on its own).

    Each message is named by what it is (« le rappel », « la synthèse », « le message diffusé le
    … »), never by a number: Teams' transcripts and notifications drop the numbers of a Markdown
    list, and « le message 1 » then points at nothing."""
    if len(groups) == 1:
        return problem_notices(*groups[0], leads, timezone, advised)
    names = _message_names(groups, timezone)
    missed: dict[tuple[str, Problem | None], list[int]] = defaultdict(list)
    errors: dict[tuple[str, Problem | None], str | None] = {}
    for number, (_, _, rows) in enumerate(groups):
        for row in rows:
            name = shown(row.recipient_label) or "destinataire inconnu"
            installed = getattr(row, "installed_at", None) is not None and row.state == "sent"
            key = (name, None if installed else problem_of(row.last_error))
            errors.setdefault(key, row.last_error)
            if number not in missed[key]:
                missed[key].append(number)

    descriptions = [lower_first(description) for description, _ in names]
    failures = [(key[0], errors[key]) for key in missed if key[1] is not None]
    people = len({name for name, _ in failures})
    if not failures:
        lines = [f"Tout le monde a bien reçu {joined(descriptions)}."]
    elif len(groups) == 2:
        # Reader 10, B7: « n’ont pas reçu le rappel … ou la synthèse » read wrong: who got what follows.
        meeting = _meeting_of(groups, timezone)
        lines = (
            # A computed count inside a sentence, in digits (reader 11, B15: « : trois personnes »);
            # reader 14: « n’ont pas tout reçu » read colloquial; what each missed follows on the next line.
            [f"Envois pour le {meeting} : {counted(people, 'personne')} n’{agreed(people, 'a', 'ont')} pas reçu l’ensemble des envois."]
            if meeting
            else [f"{counted_in_words(people, 'personne', feminine=True)} n’{agreed(people, 'a', 'ont')} pas reçu {joined(descriptions, 'ou')}."]
        )
    else:
        lines = [f"{counted_in_words(people, 'personne', feminine=True)} n’{agreed(people, 'a', 'ont')} pas reçu certains de ces messages :"]
        lines += [f"- {description}" for description in descriptions]
    if failures:
        # The COPIL digest goes to the élu·es only: who missed only the reminder was not sent it.
        digests = {n for n, (_, _, rows) in enumerate(groups) if (about := _about(rows)) and about.topic is Topic.DIGEST}
        seen = set(_seen_names(rows for _, _, rows in groups))
        lines.append(_what_each_missed(missed, [reference for _, reference in names], digests, seen))
    installed = [key[0] for key in missed if key[1] is None]

    def lines_for(advice: bool) -> list[str]:
        why = reasons_with_names(failures, advice=advice) if failures else []
        if installed:
            why.append(installed_sentence(installed))
        elif len(why) == 1 and people >= 2:
            # Reader 9, B8: the people were just named with what each missed; their one reason does not
            # name them again (« Camille Martin, Hélène Dubois et Marc Lefèvre n’ont pas encore… »).
            why = [_those_named(failures, people, advice)]
        return lines + _bulleted(why) + _already_seen((rows for _, _, rows in groups), timezone)

    first = min(row.id for _, _, rows in groups for row in rows)
    last = max(row.id for _, _, rows in groups for row in rows)
    return _to_leads(leads, f"event:{first}-{last}", f"event:{first}-{last}", lines_for, advised)


def _meeting_of(groups: list[tuple[str, str, list]], timezone: str) -> str:
    """« comité de pilotage du lundi 7 décembre 2026 à 10 h 00 » when every message is about that
    meeting, else « »."""
    meetings = {(about.meeting_id, about.meeting(timezone)) for _, _, rows in groups if (about := _about(rows))}
    topics = {about.topic if (about := _about(rows)) else None for _, _, rows in groups}
    if len(meetings) != 1 or not topics <= {Topic.REMINDER, Topic.DIGEST}:
        return ""
    return next(iter(meetings))[1]


def _those_named(failures: list[tuple[str, str | None]], people: int, advice: bool = True) -> str:
    """The one reason of `people` just named: « Ces 3 personnes n’ont pas encore installé
    l’assistant dans Teams : … »."""
    subject = f"ces {counted(people, 'personne')}"
    return upper_first(problem_of(failures[0][1]).sentence(subject, people, advice))


def _about(rows: list) -> About | None:
    return getattr(rows[0], "about", None)


def _message_names(groups: list[tuple[str, str, list]], timezone: str) -> list[tuple[str, str]]:
    """(how the list describes each message, how the sentences refer to it), from the facts stored
    with it: « le rappel du comité de pilotage du lundi 7 décembre 2026 à 10 h 00 » then « le
    rappel », « la synthèse pour préparer ce comité » then « la synthèse »; a message without facts
    is named by its kind and quoted (alone, « le message « … » »). When two messages are of the same kind, the reference tells
    them apart: the meeting, or the start of the message's first line."""
    kinds = [_kind_name(kind, rows, timezone) for kind, _, rows in groups]
    reminded = {about.meeting_id for _, _, rows in groups if (about := _about(rows)) and about.topic is Topic.REMINDER}
    names = []
    for name, (_, _, rows) in zip(kinds, groups, strict=True):
        about = _about(rows)
        if about is not None and len({getattr(row, "about", None) for row in rows}) > 1:
            # A move and a cancellation sent in the same round: the messages are about one meeting.
            description = distinct = f"les annonces des changements du {about.meeting_label.lower()}"
        elif about is not None and about.topic is Topic.MOVED:
            own = f"{name} du {about.meeting_label.lower()}, désormais le {format_datetime_fr(about.meeting_at, timezone)}"
            description, distinct = own, own
        elif about is not None:
            linked = {Topic.DIGEST: "pour préparer le"}.get(about.topic, "du")
            own = f"{name} {linked} {about.meeting(timezone)}"
            here = about.topic is Topic.DIGEST and about.meeting_id in reminded
            description, distinct = ("la synthèse pour préparer ce comité" if here else own), own
        elif len(groups) == 1:
            description = distinct = f"le message « {_subject(rows)} »"
        else:
            description, distinct = f"{name} « {_subject(rows)} »", f"{name} « {plain_excerpt(_subject(rows), 60)} »"
        names.append((description, name if kinds.count(name) == 1 else distinct))
    return names


def _kind_name(kind: str, rows: list, timezone: str) -> str:
    about = _about(rows)
    if kind == SourceKind.REMINDER:
        return "le rappel"
    if kind == SourceKind.DIGEST:
        return "la synthèse"
    if kind == SourceKind.MEETING_NOTICE and about is not None:
        return "l’annonce de l’annulation" if about.topic is Topic.CANCELLED else "l’annonce du changement de date"
    if kind == SourceKind.BROADCAST:
        sent = min((row.created_at for row in rows if getattr(row, "created_at", None)), default=None)
        if sent is not None:
            local = (sent if sent.tzinfo else sent.replace(tzinfo=UTC)).astimezone(load_timezone(timezone))
            return f"le message diffusé le {format_date_fr(local.date())}"
        return "le message diffusé"
    return "le message"


def _what_each_missed(
    missed: dict[tuple[str, Problem | None], list[int]],
    references: list[str],
    copil_digests: Set[int] = frozenset(),
    seen: Set[str] = frozenset(),
) -> str:
    """« Hélène Dubois et Lucie Roux n’ont reçu ni le rappel ni la synthèse. Marc Lefèvre n’a pas reçu
    le rappel (la synthèse n’est envoyée qu’aux élu·es et directeur·rices). »: what each person did not receive, those
    who missed everything first. « n’a pas reçu le rappel » alone read as if the digest had reached
    them: the rule is said (who had already read it is told apart, by `_already_seen`)."""
    total = len(references)
    by_name: dict[str, set[int]] = defaultdict(set)
    for (name, problem), numbers in missed.items():
        if problem is not None:
            by_name[name].update(numbers)
    by_numbers: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for name, numbers in by_name.items():
        by_numbers[tuple(sorted(numbers))].append(name)
    every = tuple(range(total))
    sentences = []
    if names := by_numbers.get(every):
        nothing = f"ni {references[0]} ni {references[1]}" if total == 2 else "aucun de ces messages"
        sentences.append(f"{joined(sorted_names(names))} n’{agreed(len(names), 'a', 'ont')} reçu {nothing}")
    for numbers, names in sorted(by_numbers.items()):
        if numbers == every:
            continue
        sentence = f"{joined(sorted_names(names))} n’{agreed(len(names), 'a', 'ont')} pas reçu {joined([references[n] for n in numbers])}"
        if copil_digests - set(numbers) and not seen & set(names):
            # The role as the app names it (reader 15, minor 13), the élu·es and the directeur·rices.
            sentence += f" (la synthèse n’est envoyée qu’{ROLE_ADDRESSEES[Role.OFFICIAL]})"
        sentences.append(sentence)
    return ". ".join(sentences) + "."
