"""The SPASER lead registers a directorate.

    [code given?] --no--> ask_code_step --> [name given?] --no--> ask_name_step --> save_step --> end
                  --yes---------------------^               --yes-----------------^
    `annuler` at any step: nothing is created.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.core import MessageFactory
from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext, TextPrompt

from dialogs.base import SpaserDialog
from domain.errors import DomainError
from domain.people import normalise_directorate_code
from domain.text import directorate_introduced
from storage.people import DirectorateRepository


@dataclass
class AddDirectorateOptions:
    code: str = ""
    name: str = ""


async def _valid_code(prompt: PromptValidatorContext) -> bool:
    try:
        normalise_directorate_code(prompt.recognized.value or "")
        return prompt.recognized.succeeded
    except DomainError:
        return False


class AddDirectorateDialog(SpaserDialog):
    help_text = "Je crée une direction avec un code court (par exemple DRH) et son nom complet (par exemple Direction des ressources humaines)."

    def __init__(self, directorates: DirectorateRepository) -> None:
        super().__init__()
        self._directorates = directorates
        self.add_dialog(TextPrompt("code", _valid_code))
        self.add_dialog(TextPrompt("name"))
        self.add_dialog(
            WaterfallDialog("steps", [self.ask_code_step, self.ask_name_step, self.save_step])
        )
        self.initial_dialog_id = "steps"

    async def ask_code_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, AddDirectorateOptions) else AddDirectorateOptions()
        step.values["name"] = options.name
        if options.code:
            return await step.next(options.code)
        return await step.prompt(
            "code",
            PromptOptions(
                prompt=MessageFactory.text("Quel est le code court de la direction (par exemple DRH, DCP ou DSI) ?"),
                retry_prompt=MessageFactory.text(
                    "Le code doit contenir des lettres, des chiffres, - ou _ (32 caractères au plus). Exemple : DRH."
                ),
            ),
        )

    async def ask_name_step(self, step: WaterfallStepContext):
        step.values["code"] = normalise_directorate_code(step.result)
        if step.values["name"]:
            return await step.next(step.values["name"])
        return await step.prompt(
            "name",
            PromptOptions(prompt=MessageFactory.text(f"Quel est le nom complet de la direction {step.values['code']} ?")),
        )

    async def save_step(self, step: WaterfallStepContext):
        try:
            directorate = await self._directorates.add(step.values["code"], step.result or "")
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        await step.context.send_activity(
            f"La {directorate_introduced(directorate.code, directorate.name)} est enregistrée. "
            f"Vous pouvez maintenant y affecter des personnes : « affecter une personne »."
        )
        return await step.end_dialog(directorate.code)
