"""The SPASER lead moves a planned meeting; its members are told through the outbox.

    choose_step --> ask_when_step --> complete_when_step --> confirm_step --> save_step
    (which meeting,   (new date and     (missing hour          (oui / non)      (old reminders
     unless named)     hour)             or day)                                  superseded, new
                                                                                  ones planned)
    `annuler` at any step: nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import FoundChoice
from botbuilder.dialogs.prompts import ChoicePrompt, TextPrompt

from dialogs.base import SpaserDialog, current_person, is_yes, yes_no_options
from dialogs.committees.meeting_when import (
    candidates_prompt,
    known_parts,
    meeting_choice_prompt,
    read_answer,
    remember_when,
    when_prompt,
    when_validator,
)
from domain.clock import format_datetime_fr
from domain.committees.cadence import CommitteeKind, default_committee_types
from domain.committees.meeting_dates import MeetingDateReader
from domain.committees.messages import no_meeting_text
from domain.errors import DomainError
from domain.text import agreed, counted
from storage.committees.service import CommitteeService


@dataclass
class RescheduleMeetingOptions:
    meeting_id: int = 0
    kind: str = ""
    starts_at: str = ""
    day: str = ""
    at: str = ""
    next_only: bool = False
    """« le prochain COPIL »: the first coming meeting (of `kind`), without asking which."""


async def choose_meeting(
    step: WaterfallStepContext, service: CommitteeService, meeting_id: int, kind: str, question: str, next_only: bool = False
):
    """Shared first step: the meeting named, the next one (« le prochain »), the only one planned, or
    a choice among the coming ones."""
    if meeting_id:
        named = await service.repository.get_meeting(meeting_id)
        if named is not None and kind and named.kind != CommitteeKind(kind):
            await step.context.send_activity(
                f"Le comité n° {meeting_id} est un {named.label.lower()}, pas un "
                f"{default_committee_types()[CommitteeKind(kind)].label.lower()}. Tapez « lister les comités » pour "
                "voir leurs numéros."
            )
            return await step.end_dialog(None)
        return await step.next(meeting_id)
    wanted = CommitteeKind(kind) if kind else None
    upcoming = await service.upcoming(wanted)
    if not upcoming:
        plan = "planifier un COPIL" if wanted in (None, CommitteeKind.COPIL) else "planifier un comité"
        await step.context.send_activity(f"{no_meeting_text(wanted)} Tapez « {plan} » pour en créer un.")
        return await step.end_dialog(None)
    if len(upcoming) == 1 or next_only:
        return await step.next(upcoming[0].id)
    step.values["candidates"] = [m.id for m in upcoming]
    return await step.prompt("meeting", candidates_prompt(upcoming, service.timezone, question))


def chosen_meeting_id(step: WaterfallStepContext) -> int:
    if isinstance(step.result, FoundChoice):
        return step.values["candidates"][step.result.index]
    return int(step.result)


class RescheduleMeetingDialog(SpaserDialog):
    help_text = "Je déplace un comité planifié à une nouvelle date ; ses membres en sont prévenus et les rappels suivent."
    cancel_text = "C’est annulé : le comité garde sa date."

    def __init__(self, service: CommitteeService, dates: MeetingDateReader) -> None:
        super().__init__()
        self._service = service
        self._dates = dates
        self.add_dialog(meeting_choice_prompt())
        self.add_dialog(TextPrompt("when", when_validator(dates)))
        self.add_dialog(ChoicePrompt("confirm", default_locale="fr-fr"))
        self.add_dialog(
            WaterfallDialog(
                "steps",
                [self.choose_step, self.ask_when_step, self.complete_when_step, self.confirm_step, self.save_step],
            )
        )
        self.initial_dialog_id = "steps"

    async def choose_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, RescheduleMeetingOptions) else RescheduleMeetingOptions()
        step.values.update(starts_at=options.starts_at, day=options.day, at=options.at)
        return await choose_meeting(
            step, self._service, options.meeting_id, options.kind, "Quel comité voulez-vous déplacer ?", options.next_only
        )

    async def ask_when_step(self, step: WaterfallStepContext):
        meeting = await self._service.repository.get_meeting(chosen_meeting_id(step))
        if meeting is None:
            await step.context.send_activity("Je ne trouve pas ce comité. Tapez « lister les comités ».")
            return await step.end_dialog(None)
        step.values["meeting_id"] = meeting.id
        step.values["current"] = meeting.starts_at.isoformat()
        step.values["label"] = meeting.label
        if step.values["starts_at"]:
            return await step.next(None)
        day, at = known_parts(step.values)
        subject = f"désormais le {meeting.label.lower()} du {format_datetime_fr(meeting.starts_at, self._service.timezone)}"
        return await step.prompt("when", when_prompt(day, at, subject))

    async def complete_when_step(self, step: WaterfallStepContext):
        remember_when(self._dates, step.result, step.values)
        if step.values["starts_at"]:
            return await step.next(None)
        day, at = known_parts(step.values)
        return await step.prompt("when", when_prompt(day, at))

    async def confirm_step(self, step: WaterfallStepContext):
        if step.result is not None:
            resolved = read_answer(self._dates, step.result, step.values)
            step.values["starts_at"] = resolved.starts_at.isoformat() if resolved and resolved.starts_at else ""
        if not step.values["starts_at"]:
            await step.context.send_activity("Il me manque toujours le jour ou l’heure : rien n’a changé.")
            return await step.end_dialog(None)
        tz = self._service.timezone
        old = format_datetime_fr(datetime.fromisoformat(step.values["current"]), tz)
        new = format_datetime_fr(datetime.fromisoformat(step.values["starts_at"]), tz)
        return await step.prompt(
            "confirm",
            yes_no_options(f"Je déplace le {step.values['label'].lower()} du {old} au **{new}** et je préviens ses membres ?"),
        )

    async def save_step(self, step: WaterfallStepContext):
        if not is_yes(step.result):
            await step.context.send_activity(self.cancel_text)
            return await step.end_dialog(None)
        try:
            person = current_person(step.context)
            change = await self._service.reschedule(
                step.values["meeting_id"],
                datetime.fromisoformat(step.values["starts_at"]),
                actor_id=person.id if person else None,
            )
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        tz = self._service.timezone
        await step.context.send_activity(
            f"C’est fait : le {change.meeting.label.lower()} a lieu le "
            f"{format_datetime_fr(change.meeting.starts_at, tz)}. Ses membres vont recevoir le changement de date, "
            f"et {counted(len(change.new_reminders), 'rappel')} "
            f"{agreed(len(change.new_reminders), 'est reprogrammé', 'sont reprogrammés')}."
        )
        return await step.end_dialog(change.meeting.id)
