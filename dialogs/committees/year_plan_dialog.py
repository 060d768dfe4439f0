"""The assistant proposes a year of committees; the SPASER lead accepts all, or edits one first.

    show_step --> act_step --[tout accepter]--> plan every proposal (meetings + reminders) --> end
    (card of the     |--[modifier 2 le 9 mars à 10h]--> replace_dialog with proposal 2 moved
     proposals)      |--[modifier 2]--> ask_when --> apply_step --> replace_dialog
    `annuler` at any step: nothing is planned. The proposals live in the dialog's options, as
    plain strings, so a restart in the middle keeps them.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from botbuilder.core import MessageFactory
from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt

from dialogs.base import SpaserDialog, current_person
from dialogs.cards import card_message
from dialogs.committees.meeting_when import read_answer, when_prompt, when_validator
from domain.clock import format_date_fr, format_datetime_fr
from domain.committees.cadence import CommitteeKind, cadence_name
from domain.committees.meeting_dates import MeetingDateReader
from domain.committees.messages import cadence_lines, year_plan_card
from domain.committees.year_plan import MeetingProposal
from domain.errors import DomainError
from domain.text import counted, fold, joined
from storage.committees.service import CommitteeService

ACCEPT = re.compile(r"^(tout accepter|accepter( tout)?|j'accepte|oui|ok|valider|d'accord|parfait|c'est bon|go)$")
MODIFY = re.compile(r"^(modifier|changer|deplacer|decaler) (la |le )?(proposition |comite |reunion |ligne )?(n° ?)?(?P<number>\d{1,3})\b")
PROPOSE_AGAIN = re.compile(r"^(proposer|propose|proposez)(-moi)? (un |le |une )?(calendrier|planning)")


def _encode(proposals: list[MeetingProposal]) -> list[dict]:
    return [{"kind": p.kind.value, "starts_at": p.starts_at.isoformat(), "reason": p.reason} for p in proposals]


def _decode(items: list[dict]) -> list[MeetingProposal]:
    return [MeetingProposal(CommitteeKind(i["kind"]), datetime.fromisoformat(i["starts_at"]), i["reason"]) for i in items]


class YearPlanDialog(SpaserDialog):
    help_text = (
        "Je propose une année de comités de pilotage et de comités techniques, chacun à sa cadence, "
        "sur des jours ouvrés hors jours fériés. Tapez « tout accepter » ou « modifier 2 le 9 mars à 10 h »."
    )
    cancel_text = "C’est annulé : aucun nouveau comité n’a été planifié."

    def __init__(self, service: CommitteeService, dates: MeetingDateReader) -> None:
        super().__init__()
        self._service = service
        self._dates = dates
        self.add_dialog(TextPrompt("choice", self._valid_choice))
        self.add_dialog(TextPrompt("when", when_validator(dates)))
        self.add_dialog(WaterfallDialog("steps", [self.show_step, self.act_step, self.apply_step]))
        self.initial_dialog_id = "steps"

    @staticmethod
    async def _valid_choice(prompt: PromptValidatorContext) -> bool:
        text = fold(prompt.recognized.value)
        if ACCEPT.match(text):
            return True
        found = MODIFY.match(text)
        count = len((prompt.options.validations or {}).get("proposals", []))
        if found and 1 <= int(found.group("number")) <= count:
            return True
        if PROPOSE_AGAIN.match(text):
            # Reader 10, C13: asked again while a proposal waits, the bare « Répondez… » gave no reason.
            await prompt.context.send_activity(
                "Une proposition de calendrier est déjà en cours : répondez « tout accepter », "
                "« modifier 2 le 9 mars à 10 h » ou « annuler »."
            )
            return False
        if found:
            # Said alone (no retry prompt after it): it says what to type too.
            await prompt.context.send_activity(
                f"Il n’y a pas de proposition n° {found.group('number')} (1 à {count}). Tapez « tout accepter », "
                "« modifier » suivi du numéro de la proposition ou « annuler »."
            )
        return False

    async def show_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, dict) else {}
        if "proposals" not in options:
            try:
                proposal = await self._service.propose_year()
            except DomainError as error:
                await step.context.send_activity(error.message)
                return await step.end_dialog(None)
            if not proposal.proposals:
                cadence = cadence_name((await self._service.types()).values())
                await step.context.send_activity(
                    (
                        f"Le comité déjà planifié sur les 12 prochains mois atteint {cadence}"
                        if len(proposal.kept) == 1
                        else f"Les {len(proposal.kept)} comités déjà planifiés sur les 12 prochains mois atteignent "
                        f"{cadence}"
                    )
                    + " : je n’ai rien à proposer de plus."
                )
                return await step.end_dialog(None)
            note = _kept_note(proposal.kept, self._service.timezone)
            options = {"proposals": _encode(list(proposal.proposals)), "note": note}
        step.values["proposals"] = options["proposals"]
        tz = self._service.timezone
        card = year_plan_card(_decode(options["proposals"]), tz, options.get("note") or None)
        await step.context.send_activity(card_message(card, "Proposition de calendrier"))
        return await step.prompt(
            "choice",
            PromptOptions(
                prompt=MessageFactory.text("Répondez « tout accepter », « modifier 2 le 9 mars à 10 h » ou « annuler »."),
                retry_prompt=MessageFactory.text(
                    "Tapez « tout accepter », « modifier » suivi du numéro de la proposition ou « annuler »."
                ),
                validations={"proposals": options["proposals"]},
            ),
        )

    async def act_step(self, step: WaterfallStepContext):
        text = step.result or ""
        folded = fold(text)
        if ACCEPT.match(folded):
            return await self._accept(step)
        number = int(MODIFY.match(folded).group("number"))
        step.values["number"] = number
        rest = re.sub(r"^\D*\d+", "", text, count=1)
        try:
            resolved = self._dates.read(rest) if rest.strip() else None
        except DomainError as error:
            await step.context.send_activity(error.message)
            resolved = None
        if resolved is not None and resolved.starts_at is not None:
            return await self._move(step, number, resolved.starts_at)
        current = _decode(step.values["proposals"])[number - 1]
        return await step.prompt("when", when_prompt(subject=f"la proposition {number} (actuellement le {format_datetime_fr(current.starts_at, self._service.timezone)})"))

    async def apply_step(self, step: WaterfallStepContext):
        resolved = read_answer(self._dates, step.result, {})
        if resolved is None or resolved.starts_at is None:
            await step.context.send_activity("Il faut un jour et une heure, par exemple « le 9 mars à 10 h ».")
            return await step.replace_dialog("steps", {"proposals": step.values["proposals"]})
        return await self._move(step, step.values["number"], resolved.starts_at)

    async def _move(self, step: WaterfallStepContext, number: int, starts_at: datetime):
        proposals = _decode(step.values["proposals"])
        old = proposals[number - 1]
        proposals[number - 1] = MeetingProposal(old.kind, starts_at, "Date choisie par la personne responsable du SPASER.")
        proposals.sort(key=lambda p: p.starts_at)
        return await step.replace_dialog("steps", {"proposals": _encode(proposals)})

    async def _accept(self, step: WaterfallStepContext):
        person = current_person(step.context)
        try:
            created = await self._service.accept(_decode(step.values["proposals"]), person.id if person else None)
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        tz = self._service.timezone
        lines = [f"C’est planifié : {counted(len(created), 'comité')}, avec leurs rappels."]
        lines += [f"- {m.numbered} : {format_datetime_fr(m.starts_at, tz)}" for m in created]
        warnings = await self._service.cadence_warnings()
        if warnings:
            lines += cadence_lines({}, warnings)
        await step.context.send_activity("\n".join(lines))
        return await step.end_dialog(len(created))


def _kept_note(kept, tz: str) -> str:
    """« Le comité de pilotage déjà planifié (vendredi 12 mars 2027) est conservé. »: each meeting the
    plan keeps, named with its date."""

    def day(meeting) -> str:
        return format_date_fr(meeting.starts_at.astimezone(ZoneInfo(tz)).date())

    if len(kept) == 1:
        return f"Le {kept[0].label.lower()} déjà planifié ({day(kept[0])}) est conservé."
    named = [f"{meeting.label.lower()} du {day(meeting)}" for meeting in kept]
    return f"Les comités déjà planifiés sont conservés : {joined(named)}." if named else ""
