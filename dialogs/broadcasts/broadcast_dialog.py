"""The SPASER lead broadcasts a message: audience, text, preview, confirmation, then the outbox.

    audience_step --> directorates_step --> message_step --> preview_step --> send_step
    (unless the       (only for "some      (the text)        (card: audience,  (oui: recorded and
     sentence named    directorates",                         recipients, who   queued, one delivery
     it)               codes checked)                         cannot be         per recipient; the
                                                              reached; oui/non) report comes later)
    `annuler` at any step, or « non » at the preview: nothing is sent. A second « oui » read from
    the same state (at another instance) is told the message already left: one broadcast per run.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from botbuilder.core import MessageFactory
from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import Choice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions, PromptValidatorContext, TextPrompt

from dialogs.base import SpaserDialog, current_person, is_yes, yes_no_options, yes_no_prompt
from dialogs.cards import card_message
from domain.broadcasts import (
    AudienceKind,
    BroadcastAudience,
    addressees,
    check_text,
    directorate_codes_in,
    preview_card,
    sending_text,
)
from domain.committees.cadence import CommitteeKind
from domain.errors import DomainError
from storage.broadcasts.service import BroadcastService


@dataclass
class BroadcastOptions:
    """What the lead's sentence already said (« diffuser un message au COPIL »)."""

    kind: str = ""
    committee: str = ""
    directorates: str = ""


AUDIENCE_CHOICES = (
    (Choice("Tout le monde", synonyms=["tous", "tout le monde", "toutes les personnes", "tout"]),
     {"kind": AudienceKind.EVERYONE.value}),
    (Choice("Membres du comité de pilotage", synonyms=["copil", "membres du copil", "comité de pilotage", "comite de pilotage", "pilotage", "élus", "elus"]),
     {"kind": AudienceKind.COMMITTEE.value, "committee": CommitteeKind.COPIL.value}),
    (Choice("Membres du comité technique", synonyms=["cotech", "comité technique", "comite technique", "technique"]),
     {"kind": AudienceKind.COMMITTEE.value, "committee": CommitteeKind.COTECH.value}),
    (Choice("Certaines directions", synonyms=["directions", "une direction", "des directions", "certaines"]),
     {"kind": AudienceKind.DIRECTORATES.value}),
    (Choice("Directions en retard", synonyms=["en retard", "retard", "retardataires", "indicateurs à remonter", "indicateurs à saisir"]),
     {"kind": AudienceKind.DUE.value}),
)


class BroadcastDialog(SpaserDialog):
    help_text = (
        "Je diffuse votre message à tout le monde, aux membres d’un comité, à des directions ou aux directions "
        "qui ont encore des indicateurs à saisir. Vous verrez un aperçu avant l’envoi, puis un compte rendu des envois."
    )
    cancel_text = "C’est annulé : aucun message n’a été envoyé."

    def __init__(self, service: BroadcastService) -> None:
        super().__init__()
        self._service = service
        self.add_dialog(ChoicePrompt("audience", default_locale="fr-fr"))
        self.add_dialog(TextPrompt("directorates", self._known_directorates))
        self.add_dialog(TextPrompt("message", _valid_text))
        self.add_dialog(yes_no_prompt("confirm"))
        self.add_dialog(
            WaterfallDialog(
                "steps",
                [self.audience_step, self.directorates_step, self.message_step, self.preview_step, self.send_step],
            )
        )
        self.initial_dialog_id = "steps"

    async def audience_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, BroadcastOptions) else BroadcastOptions()
        step.values["run"] = uuid.uuid4().hex  # the broadcast is recorded once per run (send_step)
        if options.kind:
            return await step.next({"kind": options.kind, "committee": options.committee,
                                    "directorates": options.directorates})
        return await step.prompt(
            "audience",
            PromptOptions(
                prompt=MessageFactory.text("À qui voulez-vous diffuser un message ?"),
                retry_prompt=MessageFactory.text("Choisissez dans la liste à qui envoyer le message (ou tapez « annuler »)."),
                choices=[choice for choice, _ in AUDIENCE_CHOICES],
                style=ListStyle.hero_card,
            ),
        )

    async def directorates_step(self, step: WaterfallStepContext):
        chosen = step.result if isinstance(step.result, dict) else dict(AUDIENCE_CHOICES[step.result.index][1])
        step.values["audience"] = {"kind": chosen["kind"], "committee": chosen.get("committee", ""),
                                   "directorates": chosen.get("directorates", "")}
        if chosen["kind"] != AudienceKind.DIRECTORATES.value:
            return await step.next(None)
        codes = [code for code in (chosen.get("directorates") or "").split(",") if code]
        if codes:
            try:
                await self._service.check_directorates(codes)
                return await step.next(",".join(codes))
            except DomainError as error:
                await step.context.send_activity(error.message)
        return await step.prompt(
            "directorates",
            PromptOptions(
                prompt=MessageFactory.text("Quelles directions ? Donnez leurs codes, par exemple « DCP, DRH »."),
                retry_prompt=MessageFactory.text("Donnez un ou plusieurs codes de direction, par exemple « DCP, DRH »."),
            ),
        )

    async def message_step(self, step: WaterfallStepContext):
        if step.values["audience"]["kind"] == AudienceKind.DIRECTORATES.value:
            step.values["audience"]["directorates"] = ",".join(directorate_codes_in(step.result or ""))
        audience = BroadcastAudience.from_state(step.values["audience"])
        return await step.prompt(
            "message",
            PromptOptions(
                prompt=MessageFactory.text(f"Quel message voulez-vous envoyer {audience.to_phrase} ?"),
                retry_prompt=MessageFactory.text("Écrivez le texte du message (4 000 caractères au plus)."),
            ),
        )

    async def preview_step(self, step: WaterfallStepContext):
        text = check_text(step.result)
        step.values["text"] = text
        person = current_person(step.context)
        audience = BroadcastAudience.from_state(step.values["audience"])
        try:
            resolved = await self._service.resolve(audience, person)
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        if not resolved.recipients:
            await step.context.send_activity(
                f"Personne n’est enregistré pour cet envoi ({resolved.label}) : rien n’a été envoyé."
            )
            return await step.end_dialog(None)
        author = person.name or person.email or ""
        card = preview_card(resolved, text, author)
        reachable = len(resolved.reachable)
        if not reachable:  # the card says why; there is nothing to confirm
            await step.context.send_activity(card_message(card, "Personne ne peut recevoir ce message"))
            return await step.end_dialog(None)
        await step.context.send_activity(card_message(card, "Aperçu de votre message"))
        return await step.prompt("confirm", yes_no_options(f"Voulez-vous envoyer ce message à {addressees(resolved.reachable)} ?"))

    async def send_step(self, step: WaterfallStepContext):
        if not is_yes(step.result):
            await step.context.send_activity(self.cancel_text)
            return await step.end_dialog(None)
        audience = BroadcastAudience.from_state(step.values["audience"])
        try:
            broadcast, resolved = await self._service.send(
                current_person(step.context), audience, step.values["text"], run_key=step.values.get("run")
            )
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        # Reader 9, C11: « Envoi en cours… le compte rendu (messages envoyés, envois en échec…) une fois
        # l’envoi terminé » said « envoi » three times in two lines.
        # Reader 10, C2: one recipient is not « qui l’a reçu et qui n’a pas pu ».
        then = (
            "Je vous confirmerai ensuite qu’il lui est bien parvenu."
            if len(resolved.reachable) == 1
            else "Je vous dirai ensuite qui l’a reçu et qui n’a pas pu le recevoir."
        )
        await step.context.send_activity(f"{sending_text(resolved, broadcast.recipient_count)} {then}")
        return await step.end_dialog(broadcast.id)

    async def _known_directorates(self, prompt: PromptValidatorContext) -> bool:
        if not prompt.recognized.succeeded:
            return False
        try:
            await self._service.check_directorates(directorate_codes_in(prompt.recognized.value or ""))
        except DomainError as error:
            prompt.options.retry_prompt = MessageFactory.text(error.message)
            return False
        return True


async def _valid_text(prompt: PromptValidatorContext) -> bool:
    if not prompt.recognized.succeeded:
        return False
    try:
        check_text(prompt.recognized.value)
    except DomainError as error:
        prompt.options.retry_prompt = MessageFactory.text(error.message)
        return False
    return True
