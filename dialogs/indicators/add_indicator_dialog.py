"""The SPASER lead adds an indicator to the catalogue, one question per field.

    ask_code_step --> ask_label_step --> ask_axis_step --> ask_unit_step --> ask_directorates_step
      (skipped when given)
    --> ask_frequency_step --> ask_direction_step --> ask_targets_step --> ask_source_step
    --> ask_definition_step --> ask_preexisting_step --> confirm_step (summary, oui/non) --> save_step
    `annuler` at any step: nothing is created.

Each answer is checked with the catalogue import's own rules (`build_catalogue_row`), so an
indicator added by chat is exactly as valid as one imported from the CSV file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from botbuilder.core import MessageFactory
from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import Choice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions, PromptValidatorContext, TextPrompt
from botbuilder.schema import ActionTypes, CardAction

from dialogs.base import SpaserDialog, is_yes, yes_no_options, yes_no_prompt
from domain.cards import button_title
from domain.errors import DomainError
from domain.indicators.catalogue import (
    Axis,
    ImprovementDirection,
    InvalidCatalogueRow,
    build_catalogue_row,
    catalogue_size_warning,
)
from domain.indicators.periods import Frequency
from domain.indicators.targets import target_figure_text
from domain.indicators.units import Unit
from domain.text import fold, joined, of
from storage.indicators.catalogue import IndicatorCatalogue
from storage.people import DirectorateRepository

NONE_WORDS = frozenset({"aucune", "aucun", "non", "rien", "-", "pas de cible", "sans", "sans objet", "n/a", "na"})
# Valid values for the fields not asked yet, so that one answer can be checked on its own.
PLACEHOLDERS = {
    "code": "X-1",
    "libelle": "x",
    "axe": "social",
    "unite": "nombre",
    "directions": "X",
    "frequence": "annuelle",
    "sens": "hausse",
}


@dataclass
class AddIndicatorOptions:
    code: str = ""


def field_problems(fields: dict[str, str], columns: Iterable[str], known_directorates: list[str] | None = None) -> list[str]:
    """French problems of `columns` once `fields` fill a row (the other required fields are placeholders)."""
    columns = set(columns)
    row = {**PLACEHOLDERS, **fields}
    try:
        build_catalogue_row(row, known_directorates=known_directorates if "directions" in columns else None)
    except InvalidCatalogueRow as error:
        return [str(problem) for problem in error.problems if problem.column in columns]
    return []


def split_targets(text: str) -> dict[str, str]:
    """« 42,5 ; 60 ; 2030 » → baseline, target, target year; « aucune » → all empty."""
    if fold(text) in NONE_WORDS:
        return {"valeur_reference": "", "cible": "", "annee_cible": ""}
    parts = [part.strip() for part in re.split(r"[;/|]", text)]
    parts += [""] * (3 - len(parts))
    cleaned = ["" if fold(part) in NONE_WORDS else part for part in parts[:3]]
    return dict(zip(("valeur_reference", "cible", "annee_cible"), cleaned)) | ({"_extra": "1"} if len(parts) > 3 else {})


class AddIndicatorDialog(SpaserDialog):
    help_text = (
        "J’ajoute un indicateur au catalogue : code (par exemple IND-20), libellé, axe, unité, directions responsables, "
        "fréquence, sens d’amélioration, valeur de référence / cible / année cible, source. Pour en ajouter "
        "beaucoup d’un coup, envoyez plutôt le fichier CSV du catalogue."
    )
    cancel_text = "C’est annulé : aucun indicateur n’a été ajouté."

    def __init__(self, catalogue: IndicatorCatalogue, directorates: DirectorateRepository) -> None:
        super().__init__()
        self._catalogue = catalogue
        self._directorates = directorates
        self.add_dialog(TextPrompt("code", self._valid_code))
        self.add_dialog(TextPrompt("label", self._valid_field))
        self.add_dialog(TextPrompt("unit", self._valid_field))
        self.add_dialog(TextPrompt("directorates", self._valid_directorates))
        self.add_dialog(TextPrompt("targets", self._valid_targets))
        self.add_dialog(TextPrompt("source", self._valid_field))
        self.add_dialog(ChoicePrompt("choice", default_locale="fr-fr"))
        self.add_dialog(yes_no_prompt("yes_no"))
        self.add_dialog(
            WaterfallDialog(
                "steps",
                [
                    self.ask_code_step,
                    self.ask_label_step,
                    self.ask_axis_step,
                    self.ask_unit_step,
                    self.ask_directorates_step,
                    self.ask_frequency_step,
                    self.ask_direction_step,
                    self.ask_targets_step,
                    self.ask_source_step,
                    self.ask_definition_step,
                    self.ask_preexisting_step,
                    self.confirm_step,
                    self.save_step,
                ],
            )
        )
        self.initial_dialog_id = "steps"

    # ----- validators ------------------------------------------------------------------------

    async def _refuse(self, prompt: PromptValidatorContext, problems: list[str]) -> bool:
        if problems:
            await prompt.context.send_activity("\n".join(problems) + "\nRéessayez, ou tapez « annuler ».")
            return False
        return True

    async def _valid_code(self, prompt: PromptValidatorContext) -> bool:
        text = (prompt.recognized.value or "").strip()
        if not await self._refuse(prompt, field_problems({"code": text}, ["code"])):
            return False
        if await self._catalogue.get(text) is not None:
            return await self._refuse(prompt, [f"Le code {text.upper()} existe déjà : choisissez-en un autre."])
        return True

    async def _valid_field(self, prompt: PromptValidatorContext) -> bool:
        column = prompt.options.validations["column"]
        text = (prompt.recognized.value or "").strip()
        if column in ("source", "definition") and fold(text) in NONE_WORDS:
            return True
        return await self._refuse(prompt, field_problems({column: text}, [column]))

    async def _valid_directorates(self, prompt: PromptValidatorContext) -> bool:
        known = [d.code for d in await self._directorates.list()]
        text = prompt.recognized.value or ""
        return await self._refuse(prompt, field_problems({"directions": text}, ["directions"], known))

    async def _valid_targets(self, prompt: PromptValidatorContext) -> bool:
        fields = dict(prompt.options.validations["fields"])
        targets = split_targets(prompt.recognized.value or "")
        if targets.pop("_extra", None):
            return await self._refuse(prompt, ["Trois valeurs au plus : référence ; cible ; année cible."])
        return await self._refuse(
            prompt, field_problems({**fields, **targets}, ["valeur_reference", "cible", "annee_cible"])
        )

    # ----- steps -----------------------------------------------------------------------------

    async def ask_code_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, AddIndicatorOptions) else AddIndicatorOptions()
        if options.code and not field_problems({"code": options.code}, ["code"]) and await self._catalogue.get(options.code) is None:
            return await step.next(options.code)
        return await step.prompt(
            "code", PromptOptions(prompt=MessageFactory.text("Quel code pour ce nouvel indicateur ? Par exemple IND-20."))
        )

    async def ask_label_step(self, step: WaterfallStepContext):
        step.values["code"] = step.result.strip().upper()
        return await step.prompt(
            "label",
            PromptOptions(
                prompt=MessageFactory.text(f"Libellé {of(step.values['code'])} ? Par exemple « Part des marchés avec une clause sociale »."),
                validations={"column": "libelle"},
            ),
        )

    async def ask_axis_step(self, step: WaterfallStepContext):
        step.values["libelle"] = step.result.strip()
        return await self._choose(step, "Quel axe du SPASER ?", [axis.value for axis in Axis])

    async def ask_unit_step(self, step: WaterfallStepContext):
        step.values["axe"] = step.result.value
        units = ", ".join(unit.value for unit in Unit)
        return await step.prompt(
            "unit",
            PromptOptions(prompt=MessageFactory.text(f"Quelle unité ? Au choix : {units}."), validations={"column": "unite"}),
        )

    async def ask_directorates_step(self, step: WaterfallStepContext):
        step.values["unite"] = Unit.parse(step.result).value
        known = ", ".join(d.code for d in await self._directorates.list()) or "aucune"
        return await step.prompt(
            "directorates",
            PromptOptions(
                prompt=MessageFactory.text(
                    f"Quelles directions le renseignent ? Une seule, ou plusieurs séparées par des virgules (directions : {known})."
                )
            ),
        )

    async def ask_frequency_step(self, step: WaterfallStepContext):
        step.values["directions"] = step.result.strip()
        return await self._choose(step, "À quelle fréquence est-il renseigné ?", [f.value for f in Frequency])

    async def ask_direction_step(self, step: WaterfallStepContext):
        step.values["frequence"] = step.result.value
        return await self._choose(
            step, "Il s’améliore quand il est à la hausse ou à la baisse ?", [d.value for d in ImprovementDirection]
        )

    async def ask_targets_step(self, step: WaterfallStepContext):
        step.values["sens"] = step.result.value
        unit = Unit(step.values["unite"])
        return await step.prompt(
            "targets",
            PromptOptions(
                prompt=MessageFactory.text(
                    f"Valeur de référence ; cible ; année cible ? Par exemple « {unit.example} ; … ; 2030 », "
                    "ou « aucune » s’il n’y en a pas encore."
                ),
                validations={"fields": self._fields(step)},
            ),
        )

    async def ask_source_step(self, step: WaterfallStepContext):
        step.values.update(split_targets(step.result))
        return await step.prompt(
            "source",
            PromptOptions(
                prompt=MessageFactory.text("D’où vient la donnée ? Indiquez sa source, par exemple Recensement OECP, ou tapez « aucune »."),
                validations={"column": "source"},
            ),
        )

    async def ask_definition_step(self, step: WaterfallStepContext):
        source = step.result.strip()
        step.values["source"] = "" if fold(source) in NONE_WORDS else source
        return await step.prompt(
            "source",
            PromptOptions(
                prompt=MessageFactory.text(
                    "Que mesure-t-il et comment est-il calculé ? Répondez en une ou deux phrases, reprises quand on me le "
                    "demande, ou tapez « aucune »."
                ),
                validations={"column": "definition"},
            ),
        )

    async def ask_preexisting_step(self, step: WaterfallStepContext):
        definition = step.result.strip()
        step.values["definition"] = "" if fold(definition) in NONE_WORDS else definition
        return await step.prompt("yes_no", yes_no_options("Cet indicateur existait-il déjà avant le SPASER (indicateur préexistant) ?"))

    async def confirm_step(self, step: WaterfallStepContext):
        step.values["preexistant"] = "oui" if is_yes(step.result) else "non"
        fields = self._fields(step)
        targets = ""
        if fields.get("cible"):
            targets = f"\n- référence : {fields.get('valeur_reference') or '—'} ; cible : {self._target_text(fields)}"
        summary = (
            f"Je récapitule :\n- **{fields['code']}** — {fields['libelle']}\n- axe {fields['axe']}, unité {fields['unite']}, "
            f"{fields['frequence']}, à la {fields['sens']}\n- directions : {fields['directions']}{targets}\n"
            f"- source : {fields['source'] or '—'} ; préexistant : {fields['preexistant']}\n"
            f"- définition : {fields.get('definition') or '—'}\nJ’ajoute cet indicateur ?"
        )
        return await step.prompt("yes_no", yes_no_options(summary))

    async def save_step(self, step: WaterfallStepContext):
        if not is_yes(step.result):
            await step.context.send_activity(self.cancel_text)
            return await step.end_dialog(None)
        try:
            known = [d.code for d in await self._directorates.list()]
            row = build_catalogue_row(self._fields(step), known_directorates=known)
            indicator = await self._catalogue.add_indicator(row)
        except InvalidCatalogueRow as error:
            await step.context.send_activity(" ".join(str(p) for p in error.problems) + "\nRien n’a été ajouté.")
            return await step.end_dialog(None)
        except DomainError as error:
            await step.context.send_activity(f"{error.message}\nRien n’a été ajouté.")
            return await step.end_dialog(None)
        warning = catalogue_size_warning(await self._catalogue.active_count())
        codes = list(indicator.directorates)
        who = f"à la direction {codes[0]}" if len(codes) == 1 else f"aux directions {joined(codes)}"
        text = f"L’indicateur **{indicator.code}** est ajouté au catalogue ; il sera demandé {who}."
        await step.context.send_activity(text + (f"\n{warning}" if warning else ""))
        return await step.end_dialog(indicator.code)

    # ----- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _target_text(fields: dict[str, str]) -> str:
        """« 20 000 heures par trimestre en 2028 », as the summary says it (`target_figure_text`); the
        answers as typed if they do not make a row yet."""
        try:
            row = build_catalogue_row({**PLACEHOLDERS, **fields})
        except InvalidCatalogueRow:
            return f"{fields['cible']} en {fields['annee_cible']}"
        return target_figure_text(row.target, row.target_year, row.unit, row.frequency, row.counted_noun)

    @staticmethod
    def _fields(step: WaterfallStepContext) -> dict[str, str]:
        return {key: value for key, value in step.values.items() if isinstance(value, str)}

    @staticmethod
    async def _choose(step: WaterfallStepContext, question: str, values: list[str]):
        return await step.prompt(
            "choice",
            PromptOptions(
                prompt=MessageFactory.text(question),
                retry_prompt=MessageFactory.text("Choisissez l’une des réponses proposées."),
                choices=[
                    Choice(value=value, action=CardAction(type=ActionTypes.im_back, title=button_title(value), value=value))
                    for value in values
                ],
                style=ListStyle.hero_card,
            ),
        )
