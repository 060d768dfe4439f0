"""The SPASER lead cancels a planned meeting; its members are told, its reminders withdrawn.

    choose_step --> confirm_step --> save_step
    (which meeting,   (oui / non)     (reminders superseded, unsent ones withdrawn,
     unless named)                     members told; the calendar feed shows it cancelled)
    `annuler` at any step: the meeting is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import ChoicePrompt

from dialogs.base import SpaserDialog, current_person, is_yes, yes_no_options
from dialogs.committees.meeting_when import meeting_choice_prompt
from dialogs.committees.reschedule_meeting_dialog import choose_meeting, chosen_meeting_id
from domain.clock import format_datetime_fr
from domain.errors import DomainError
from storage.committees.service import CommitteeService


@dataclass
class CancelMeetingOptions:
    meeting_id: int = 0
    kind: str = ""
    next_only: bool = False


class CancelMeetingDialog(SpaserDialog):
    help_text = "J’annule un comité planifié : ses membres en sont prévenus et ses rappels ne partiront pas."
    cancel_text = "D’accord, le comité est maintenu."

    def __init__(self, service: CommitteeService) -> None:
        super().__init__()
        self._service = service
        self.add_dialog(meeting_choice_prompt())
        self.add_dialog(ChoicePrompt("confirm", default_locale="fr-fr"))
        self.add_dialog(WaterfallDialog("steps", [self.choose_step, self.confirm_step, self.save_step]))
        self.initial_dialog_id = "steps"

    async def choose_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, CancelMeetingOptions) else CancelMeetingOptions()
        return await choose_meeting(
            step, self._service, options.meeting_id, options.kind, "Quel comité voulez-vous annuler ?", options.next_only
        )

    async def confirm_step(self, step: WaterfallStepContext):
        meeting = await self._service.repository.get_meeting(chosen_meeting_id(step))
        if meeting is None:
            await step.context.send_activity("Je ne trouve pas ce comité. Tapez « lister les comités ».")
            return await step.end_dialog(None)
        step.values["meeting_id"] = meeting.id
        when = format_datetime_fr(meeting.starts_at, self._service.timezone)
        return await step.prompt(
            "confirm",
            yes_no_options(f"J’annule le {meeting.label.lower()} du **{when}** et je préviens ses membres ?"),
        )

    async def save_step(self, step: WaterfallStepContext):
        if not is_yes(step.result):
            await step.context.send_activity(self.cancel_text)
            return await step.end_dialog(None)
        try:
            person = current_person(step.context)
            change = await self._service.cancel(step.values["meeting_id"], actor_id=person.id if person else None)
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        when = format_datetime_fr(change.meeting.starts_at, self._service.timezone)
        await step.context.send_activity(
            f"Le {change.meeting.label.lower()} du {when} est annulé. Ses membres vont en être prévenus ; "
            "ses rappels ne partiront pas."
        )
        return await step.end_dialog(change.meeting.id)
