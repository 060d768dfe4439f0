"""Shared pieces of the meeting dialogs: asking "when" in French, and choosing a meeting.

Not a dialog itself: the prompts' partial answers (a day without an hour, an hour without a
day) travel in `PromptOptions.validations` as plain strings, so they survive in dialog state.
"""

from __future__ import annotations

import re
from datetime import date, time

from botbuilder.core import MessageFactory
from botbuilder.dialogs.choices import Choice, FindChoicesOptions, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions, PromptValidatorContext

from domain.clock import format_date_fr, format_datetime_fr
from domain.committees.cadence import CommitteeKind, committee_kind_in
from domain.committees.meeting_dates import DATE_EXAMPLES, MeetingDateReader, ResolvedWhen
from domain.committees.meetings import MeetingView
from domain.errors import DomainError
from domain.text import fold

NONE_WORDS = frozenset({"aucun", "aucune", "rien", "non", "pas encore", "plus tard", "a definir", "a preciser", "-", "/"})


def kind_in(text: str) -> CommitteeKind | None:
    return committee_kind_in(fold(text))


def is_none_answer(text: str | None) -> bool:
    return fold(text) in NONE_WORDS


def partial(day: date | None, at: time | None) -> dict[str, str]:
    return {"day": day.isoformat() if day else "", "at": at.strftime("%H:%M") if at else ""}


def known_parts(validations: dict | None) -> tuple[date | None, time | None]:
    validations = validations if isinstance(validations, dict) else {}
    day = date.fromisoformat(validations["day"]) if validations.get("day") else None
    at = time.fromisoformat(validations["at"]) if validations.get("at") else None
    return day, at


def when_question(day: date | None, at: time | None, subject: str = "le comité") -> str:
    if day and not at:
        return f"À quelle heure, le {format_date_fr(day)} ? Par exemple « 14 h » ou « 9 h 30 »."
    if at and not day:
        return f"Quel jour, à {at.hour} h {at.minute:02d} ? Par exemple « le 12 mars » ou « mardi prochain »."
    return f"Quand a lieu {subject} ? Par exemple {DATE_EXAMPLES}."


def when_prompt(day: date | None = None, at: time | None = None, subject: str = "le comité") -> PromptOptions:
    return PromptOptions(
        prompt=MessageFactory.text(when_question(day, at, subject)),
        retry_prompt=MessageFactory.text(
            f"Je n’ai pas reconnu de date ni d’heure. Écrivez par exemple {DATE_EXAMPLES} ; « annuler » pour arrêter."
        ),
        validations=partial(day, at),
    )


def when_validator(reader: MeetingDateReader):
    """Accepts an answer that gives a date or an hour; a past moment is refused with its reason."""

    async def validate(prompt: PromptValidatorContext) -> bool:
        if not prompt.recognized.succeeded:
            return False
        day, at = known_parts(prompt.options.validations)
        try:
            return reader.read(prompt.recognized.value or "", day, at) is not None
        except DomainError as error:
            await prompt.context.send_activity(error.message)
            return False

    return validate


def read_answer(reader: MeetingDateReader, text: str | None, validations: dict | None) -> ResolvedWhen | None:
    day, at = known_parts(validations)
    return reader.read(text or "", day, at)


def candidates_prompt(meetings: list[MeetingView], tz: str, question: str) -> PromptOptions:
    """The coming meetings by the number people type elsewhere (« annuler le comité n° 2 »), never
    by a line number that would name another meeting; `meeting_choice_prompt` reads the answer."""
    lines = [f"- {m.numbered} : {format_datetime_fr(m.starts_at, tz)}" for m in meetings]
    choices = [
        Choice(value=str(m.id), synonyms=[f"n° {m.id}", f"no {m.id}", f"numéro {m.id}", f"#{m.id}"]) for m in meetings
    ]
    example = meetings[0].id
    return PromptOptions(
        prompt=MessageFactory.text("\n".join([f"{question} Tapez son numéro, par exemple « {example} » :", *lines])),
        retry_prompt=MessageFactory.text(
            "Répondez par le numéro d’un comité de la liste, par exemple « " + str(example) + " », ou « annuler »."
        ),
        choices=choices,
        style=ListStyle.none,
    )


def meeting_choice_prompt() -> ChoicePrompt:
    """The prompt `candidates_prompt` asks: a typed « 2 » is the meeting n° 2, not the second line."""
    prompt = ChoicePrompt("meeting", default_locale="fr-fr")
    prompt.recognizer_options = FindChoicesOptions(recognize_numbers=False, recognize_ordinals=False)
    return prompt


MEETING_NUMBER = re.compile(r"(?<![a-z])(?:n°|nº|n o|no\.?|numero|#)\s*(\d{1,9})\b")


def meeting_number_in(text: str) -> int | None:
    """`n° 12`, `no 12`, `numéro 12` or `#12`: how meetings are named in the lists the bot shows."""
    found = MEETING_NUMBER.search(fold(text))
    return int(found.group(1)) if found else None


SPOKEN_MEETING_NUMBER = re.compile(r"(?<![^\W\d_])(?:n\s?°|nº|no\.?|num[ée]ro|#)\s*\d{1,9}\b", re.IGNORECASE)
NEXT_ONE = re.compile(r"\bprochaine? (copil|cotech|comite|reunion|seance)")
"""« le prochain COPIL », not « mardi prochain » (a date)."""


def without_meeting_number(text: str) -> str:
    """The sentence without its `n° 1`, so that « n° 1 au 13 avril » is not read as a range of days."""
    return SPOKEN_MEETING_NUMBER.sub(" ", text)


def names_the_next_one(text: str) -> bool:
    """« le prochain COPIL »: the coming meeting is meant, not a choice among them."""
    return NEXT_ONE.search(fold(text)) is not None


def remember_when(reader: MeetingDateReader, text: str | None, values: dict) -> None:
    """Merge what the person typed (a day, a time or both) into the dialog's `values`."""
    resolved = read_answer(reader, text, values) if text is not None else None
    if resolved is None:
        return
    values["day"] = resolved.day.isoformat() if resolved.day else values["day"]
    values["at"] = resolved.time.strftime("%H:%M") if resolved.time else values["at"]
    if resolved.starts_at is not None:
        values["starts_at"] = resolved.starts_at.isoformat()
