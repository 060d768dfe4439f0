"""The SPASER lead plans a committee meeting; what the first sentence gave is not asked again.

    ask_kind_step --> ask_when_step --> complete_when_step --> ask_place_step --> ask_agenda_step
    (COPIL or          (a date and        (asks the missing      (a place, or the    (or « aucun »)
     technique?)        an hour)           hour or day)           Teams link)             |
                                                                                          v
                                              save_step <-- confirm_step (summary card, oui/non)
    `annuler` at any step: nothing is planned. A date already past is refused at the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from botbuilder.core import MessageFactory
from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions, PromptValidatorContext, TextPrompt

from dialogs.base import SpaserDialog, current_person, is_yes, yes_no_options
from dialogs.cards import card_message
from dialogs.committees.meeting_when import (
    is_none_answer,
    kind_in,
    known_parts,
    read_answer,
    remember_when,
    when_prompt,
    when_validator,
)
from domain.clock import (
    days_before_text,
    duration_text,
    format_datetime_fr,
    format_time_fr,
    load_timezone,
)
from domain.committees.cadence import CommitteeKind, MeetingStatus
from domain.committees.meeting_dates import MeetingDateReader
from domain.committees.meetings import MeetingView
from domain.committees.messages import KIND_NAMES, cadence_lines, meeting_card
from domain.committees.reminder_plan import ReminderAudience
from domain.errors import DomainError
from domain.summary import wording
from domain.summary.scope import Scope
from domain.text import agreed, counted, directorates_text, joined
from storage.committees.service import CommitteeService
from storage.summary.service import SummaryService


@dataclass
class PlanMeetingOptions:
    kind: str = ""
    starts_at: str = ""
    day: str = ""
    at: str = ""
    teams_url: str = ""
    location: str = ""


async def _valid_kind(prompt: PromptValidatorContext) -> bool:
    return prompt.recognized.succeeded and kind_in(prompt.recognized.value or "") is not None


def _preview(kind: CommitteeKind, values: dict) -> MeetingView:
    return MeetingView(
        id=0,
        kind=kind,
        starts_at=datetime.fromisoformat(values["starts_at"]),
        ends_at=None,
        location=values.get("location") or None,
        teams_url=values.get("teams_url") or None,
        agenda=values.get("agenda") or None,
        status=MeetingStatus.PLANNED,
        sequence=0,
        updated_at=datetime.fromisoformat(values["starts_at"]),
    )


class PlanMeetingDialog(SpaserDialog):
    help_text = (
        "Je planifie un comité : son type (comité de pilotage avec les élu·es ou comité technique avec les "
        "directions), sa date et son heure, son ordre du jour et son lieu (une salle ou le lien de la réunion Teams). "
        "Les membres recevront des rappels avant la réunion."
    )
    cancel_text = "C’est annulé : aucun comité n’a été planifié."

    def __init__(self, service: CommitteeService, dates: MeetingDateReader, summaries: SummaryService | None = None) -> None:
        super().__init__()
        self._service = service
        self._summaries = summaries
        self._dates = dates
        self.add_dialog(TextPrompt("kind", _valid_kind))
        self.add_dialog(TextPrompt("when", when_validator(dates)))
        self.add_dialog(TextPrompt("place"))
        self.add_dialog(TextPrompt("agenda"))
        self.add_dialog(ChoicePrompt("confirm", default_locale="fr-fr"))
        self.add_dialog(
            WaterfallDialog(
                "steps",
                [
                    self.ask_kind_step,
                    self.ask_when_step,
                    self.complete_when_step,
                    self.ask_place_step,
                    self.ask_agenda_step,
                    self.confirm_step,
                    self.save_step,
                ],
            )
        )
        self.initial_dialog_id = "steps"

    async def ask_kind_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, PlanMeetingOptions) else PlanMeetingOptions()
        step.values.update(
            starts_at=options.starts_at,
            day=options.day,
            at=options.at,
            teams_url=options.teams_url,
            location=options.location,
        )
        if options.kind:
            return await step.next(options.kind)
        return await step.prompt(
            "kind",
            PromptOptions(
                prompt=MessageFactory.text(
                    "Quel comité voulez-vous planifier : un **comité de pilotage** (COPIL, avec les élu·es) ou un "
                    "**comité technique** (avec les directions) ?"
                ),
                retry_prompt=MessageFactory.text("Répondez « COPIL », « comité technique » ou « annuler »."),
            ),
        )

    async def ask_when_step(self, step: WaterfallStepContext):
        step.values["kind"] = kind_in(step.result).value
        if step.values["starts_at"]:
            return await step.next(None)
        day, at = known_parts(step.values)
        return await step.prompt("when", when_prompt(day, at, f"le {KIND_NAMES[CommitteeKind(step.values['kind'])]}"))

    async def complete_when_step(self, step: WaterfallStepContext):
        remember_when(self._dates, step.result, step.values)
        if step.values["starts_at"]:
            return await step.next(None)
        day, at = known_parts(step.values)
        return await step.prompt("when", when_prompt(day, at))

    async def ask_place_step(self, step: WaterfallStepContext):
        if step.result is not None:
            resolved = read_answer(self._dates, step.result, step.values)
            step.values["starts_at"] = resolved.starts_at.isoformat() if resolved and resolved.starts_at else ""
        if not step.values["starts_at"]:
            await step.context.send_activity("Il me manque toujours le jour ou l’heure : recommencez avec « planifier un COPIL le 12 mars à 14 h ».")
            return await step.end_dialog(None)
        if step.values["location"] or step.values["teams_url"]:
            return await step.next(None)
        return await step.prompt(
            "place",
            PromptOptions(
                prompt=MessageFactory.text(
                    "Où se tiendra-t-il ? Indiquez une salle (par exemple « salle du conseil »), collez le lien de la réunion "
                    "Teams ou tapez « plus tard »."
                )
            ),
        )

    async def ask_agenda_step(self, step: WaterfallStepContext):
        if step.result is not None and not is_none_answer(step.result):
            answer = step.result.strip()
            if answer.lower().startswith("https://"):
                step.values["teams_url"] = answer.split()[0]
            else:
                step.values["location"] = answer
        return await step.prompt(
            "agenda",
            PromptOptions(
                prompt=MessageFactory.text(
                    "Quel est l’ordre du jour ? Écrivez une ou plusieurs lignes, ou tapez « plus tard » pour le préciser ensuite."
                )
            ),
        )

    async def confirm_step(self, step: WaterfallStepContext):
        step.values["agenda"] = "" if is_none_answer(step.result) else (step.result or "").strip()
        kind = CommitteeKind(step.values["kind"])
        preview = _preview(kind, step.values)
        card = meeting_card(
            preview,
            self._service.timezone,
            title=f"{preview.label} à planifier",
            note=self._service.day_note(preview.starts_at),
        )
        await step.context.send_activity(card_message(card))
        return await step.prompt(
            "confirm",
            yes_no_options("Voulez-vous que je le planifie et que je programme les rappels ?"),
        )

    async def save_step(self, step: WaterfallStepContext):
        if not is_yes(step.result):
            await step.context.send_activity(self.cancel_text)
            return await step.end_dialog(None)
        person = current_person(step.context)
        try:
            planned = await self._service.plan(
                CommitteeKind(step.values["kind"]),
                datetime.fromisoformat(step.values["starts_at"]),
                location=step.values["location"] or None,
                teams_url=step.values["teams_url"] or None,
                agenda=step.values["agenda"] or None,
                created_by_id=person.id if person else None,
            )
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        offsets = self._service.settings.reminders.data_collection_offsets_days
        missing = await self._missing_reports() if offsets else None
        await step.context.send_activity(
            planned_reply(planned, self._service.timezone, self._service.now(), offsets, missing)
        )
        return await step.end_dialog(planned.meeting.id)

    async def _missing_reports(self) -> list[tuple[str, list[str]]] | None:
        """(directorate code, indicator codes) still to report for the periods due now; None when
        unknown."""
        if self._summaries is None:
            return None
        summary = await self._summaries.summary(Scope.everything())
        return [
            (row.directorate.code, list(dict.fromkeys(missing.indicator_code for missing in row.missing)))
            for row in summary.completeness
            if row.expected > 0 and not row.is_complete
        ]


def planned_reply(
    planned,
    tz: str,
    now: datetime | None = None,
    chase_offsets: tuple[int, ...] = (28, 10),
    missing: list[tuple[str, list[str]]] | None = None,
) -> str:
    """What was planned and when each reminder leaves; for a COPIL, that the élu·es get the summary
    with the members' reminder, and for a meeting too close to chase the directorates, that they
    will not be (reader 9, C12: « Rappel aux membres : dans 1 minute » said nothing of either).
    `chase_offsets`: the days before a meeting the directorates are chased (none: never);
    `missing`: (directorate code, indicator codes) still to report, named when it is too late to
    chase them automatically (reader 11, A9: « trop tard pour relancer » read as « nothing to do »)."""
    meeting = planned.meeting
    lines = [f"C’est planifié : **{meeting.label.lower()}** le {format_datetime_fr(meeting.starts_at, tz)}."]
    members = [r for r in planned.reminders if r.audience == ReminderAudience.MEMBERS.value]
    contributors = [r for r in planned.reminders if r.audience == ReminderAudience.DATA_COLLECTION.value]
    if members:
        line = f"{agreed(len(members), 'Rappel')} aux membres : {_reminder_times(members, tz, now)}."
        if meeting.kind is CommitteeKind.COPIL:
            # Reader 10, A7: an élu·e sent the same summary that day is not sent it again (storage/summary/digests.py).
            line += (
                # The role as the app names it (reader 15, minor 13: « Élu·es ou directeur·rices »).
                f" Les élu·es et directeur·rices recevront la synthèse avec {'ce rappel' if len(members) == 1 else 'le premier rappel'}, "
                f"{wording.NOT_SENT_AGAIN_CLAUSE}."
            )
        lines.append(line)
    if contributors:
        lines.append(
            f"{agreed(len(contributors), 'Relance')} des directions pour leurs indicateurs : "
            f"{_reminder_times(contributors, tz, now)}."
        )
    elif members and chase_offsets:
        lines.append(_too_late_to_chase(chase_offsets, missing))
    if not planned.reminders:
        lines.append("La réunion est trop proche pour programmer des rappels.")
    if planned.warnings:
        lines.extend(cadence_lines({}, planned.warnings))
    return "\n\n".join(lines)


MISSING_NAMED = 3
"""Up to this many directorates behind are named with what they miss; more are counted."""


def _too_late_to_chase(offsets: tuple[int, ...], missing: list[tuple[str, list[str]]] | None) -> str:
    """« Les relances automatiques des directions (quatre semaines, puis dix jours avant la réunion) ne
    partiront pas : ces dates sont déjà passées. Il manque encore IND-07 pour la direction DEE :
    relancez-la directement si besoin. » (reader 12, A1: « elles partent quatre semaines et dix jours
    avant la réunion » read as one delay of 38 days)."""
    days = sorted(offsets, reverse=True)
    when = (f"{', puis '.join(duration_text(day) for day in days)} avant la réunion" if min(days) >= 2
            else ", puis ".join(days_before_text(day) for day in days))
    if len(days) == 1:
        said = f"La relance automatique des directions ({when}) ne partira pas : cette date est déjà passée."
    else:
        said = f"Les relances automatiques des directions ({when}) ne partiront pas : ces dates sont déjà passées."
    if missing is None:
        return said
    if not missing:
        return f"{said} Toutes les directions ont saisi leurs indicateurs."
    them = "la" if len(missing) == 1 else "les"
    if len(missing) > MISSING_NAMED:
        return (f"{said} Il manque encore des indicateurs pour {counted(len(missing), 'direction')} (tapez « directions "
                f"en retard » pour les voir) : relancez-{them} directement si besoin.")
    each = joined([f"{', '.join(codes)} pour {directorates_text([code])}" for code, codes in missing])
    return f"{said} Il manque encore {each} : relancez-{them} directement si besoin."


def _reminder_times(reminders, tz: str, now: datetime | None = None) -> str:
    """« une semaine avant (vendredi 5 mars 2027 à 14 h 00) et la veille (jeudi 11 mars 2027 à 14 h 00) »;
    a reminder that goes out today, « aujourd’hui à 1 h 51 » (« la veille (dimanche 6 décembre…) »
    read oddly for a meeting planned for tomorrow, the reminder leaving at once). Never « dans une
    minute, à 18 h 23 »: a delay from now is wrong once the message is read later (reader 14); the time stays true."""
    return joined([_reminder_time(reminder, tz, now) for reminder in reminders])


def _reminder_time(reminder, tz: str, now: datetime | None) -> str:
    zone = load_timezone(tz)
    if now is not None and reminder.send_at.astimezone(zone).date() == now.astimezone(zone).date():
        return f"aujourd’hui à {format_time_fr(reminder.send_at, tz)}"
    return f"{days_before_text(reminder.offset_days)} ({format_datetime_fr(reminder.send_at, tz)})"
