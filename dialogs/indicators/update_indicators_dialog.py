"""A directorate reports its indicator values one by one: value, optional comment, confirmation.

    choose_directorate_step --> list_due_step --(nothing due)--> end
      (contributor: own          |
       directorate; lead:        v
       asks unless given)   "item" loop, once per due indicator:
                              ask_value_step --> ask_comment_step --> confirm_step --> save_step
                                 ^  (3 unreadable values, or « passer »: nothing saved,  |
                                 |   next indicator)                                     |
                                 +------------- next indicator (replace_dialog) ---------+
                            --> summarize_step: what was saved, what remains
    `annuler` at any step: the values already confirmed stay saved, nothing else is.
    A value far from the directorate's last one (4 800 after 48) is questioned, Oui/Non, inside the
    value prompt before the comment (value_check.py); « non » asks it again.

The whole state (queue, position, what was saved) is plain JSON in the dialog state, stored in
the database: after a restart the conversation resumes at the same question. Each confirmed save
carries a submission key made of the run id and the position, so a step replayed after a failure
saves once. What became of an indicator (« Enregistré : … », « laissé de côté ») opens the message
that asks the next one, or the closing summary: one message per answer, not two.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogContext, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import Choice, FoundChoice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions, PromptValidatorContext, TextPrompt

from dialogs.base import SpaserDialog, current_person, is_yes, turn_unit, yes_no_options, yes_no_prompt
from dialogs.cards import adaptive_card
from dialogs.indicators.value_check import answer_to_pending, asked_about_jump, previous_validations
from domain.errors import DomainError
from domain.indicators.cards import CORRECTION_HINT, describe_item, update_buttons
from domain.indicators.periods import InvalidPeriod, Period, parse_period
from domain.indicators.rules import MAX_COMMENT_LENGTH, DueItem, ValueEntry
from domain.indicators.units import Unit, format_value
from domain.indicators.values import InvalidValue, parse_value
from domain.people import Role
from domain.text import agreed, counted, counted_in_words, fold, joined, shown
from storage.indicators.values import IndicatorValues
from storage.people import DirectorateRepository

MAX_VALUE_ATTEMPTS = 3
LEAD_IN = "lead_in"
SKIP = "\u0000skip"
GAVE_UP = "\u0000gave-up"
SKIP_WORDS = frozenset({"passer", "passe", "suivant", "plus tard", "je ne sais pas", "je sais pas", "sais pas", "inconnu"})
NO_COMMENT_WORDS = frozenset(
    {"aucun", "aucune", "non", "rien", "pas de commentaire", "sans commentaire", "sans", "-", "ras", "non merci", "ok",
     "passer", "passe", "suivant", "aucun commentaire"}
)
"""At the comment prompt, « passer » skips the comment (not the value already given)."""


@dataclass
class UpdateIndicatorsOptions:
    """How the dialog was started: inline directorate/period (lead), codes to correct."""

    directorate_code: str = ""
    period_code: str = ""
    codes: list[str] = field(default_factory=list)
    correction: bool = False


@dataclass(frozen=True)
class QueuedItem:
    """A due item as the loop keeps it: a short list of strings in the stored state.

    Dialog state is hashed (jsonpickle) and serialised at every turn, so the queue is kept as
    compact as possible: one list per item rather than a dict.
    """

    code: str
    period: str
    unit: str
    label: str
    description: str
    counted_noun: str = ""
    """Missing from a queue stored before the catalogue said what a count counts."""
    previous: str = ""
    previous_period: str = ""
    """The directorate's last value before this period and its period code, to question a jump
    (`value_check`); missing from a queue stored before."""
    replaces: str = ""
    """« 1 » when the period had a value already (a correction): the save takes its place at once
    (`IndicatorValues.record_value(replacing=True)`); missing from a queue stored before."""

    @classmethod
    def of(cls, item: DueItem) -> list[str]:
        indicator = item.indicator
        last = item.last
        return [indicator.code, item.period.code, indicator.unit.value, indicator.label, describe_item(item),
                indicator.counted_noun, "" if last is None else str(last.value), "" if last is None else last.period.code,
                "" if item.existing is None else "1"]

    @classmethod
    def load(cls, stored: list[str]) -> QueuedItem:
        return cls(*stored)

    def show(self, value: str) -> str:
        """The typed value as it is saved: « 2 repas végétariens »."""
        return format_value(Decimal(value), Unit(self.unit), self.counted_noun)

    @property
    def period_label(self) -> str:
        """« 3ᵉ trimestre 2026 »: the stored code as people read it."""
        return parse_period(self.period).label


async def _read_value(prompt: PromptValidatorContext) -> bool:
    """Accept a value readable for the unit; explain and re-ask otherwise; give up after 3 tries."""
    text = (prompt.recognized.value or "").strip()
    answered = await answer_to_pending(prompt, text)
    if answered is not None:
        return answered
    if fold(text) in SKIP_WORDS:
        prompt.recognized.value = SKIP
        return True
    validations = prompt.options.validations or {}
    unit = Unit(validations["unit"])
    try:
        value = parse_value(text, unit)
        if await asked_about_jump(prompt, value):
            return False
        prompt.recognized.value = str(value)
        return True
    except InvalidValue as error:
        failures = int(prompt.state.get("failures", 0)) + 1
        prompt.state["failures"] = failures
        if failures >= MAX_VALUE_ATTEMPTS:
            prompt.recognized.value = GAVE_UP
            return True
        await prompt.context.send_activity(retry_text(error, validations["code"], failures + 1))
        return False


def retry_text(error: InvalidValue, code: str, attempt: int) -> str:
    """Why the value was refused and what to do, said once, then how many tries are left: « « 6O % »
    contient la lettre O au lieu du chiffre zéro. Retapez la valeur en chiffres, par exemple « 60 % »,
    ou tapez « passer ». Il vous reste 2 essais. »"""
    left = remaining_tries_text(MAX_VALUE_ATTEMPTS - attempt + 1)
    if error.retyped:
        return f"{error.reason} Retapez la valeur en chiffres, par exemple « {error.retyped} », ou tapez « passer ». {left}"
    return f"{error.message}\nRetapez la valeur de l’indicateur {code}, ou tapez « passer » pour la laisser de côté. {left}"


def remaining_tries_text(left: int) -> str:
    """« Il vous reste 2 essais. », « C’est votre dernier essai. »"""
    return "C’est votre dernier essai." if left <= 1 else f"Il vous reste {counted(left, 'essai')}."


class _ValuePrompt(TextPrompt):
    """The value question, opened the first time by what became of the previous indicator (the
    `LEAD_IN` validation); asked again (« aide »), it is the bare question."""

    async def on_prompt(self, turn_context, state: dict, options: PromptOptions, is_retry: bool) -> None:
        lead_in = "" if is_retry or options.validations is None else options.validations.pop(LEAD_IN, "")
        if lead_in and options.prompt is not None:
            await turn_context.send_activity(MessageFactory.text(f"{lead_in}\n{options.prompt.text}"))
            return
        await super().on_prompt(turn_context, state, options, is_retry)


async def _read_comment(prompt: PromptValidatorContext) -> bool:
    text = " ".join((prompt.recognized.value or "").split())
    if len(text) > MAX_COMMENT_LENGTH:
        await prompt.context.send_activity(
            f"Ce commentaire est trop long ({len(text)} caractères, {MAX_COMMENT_LENGTH} au plus) : raccourcissez-le, "
            "ou tapez « aucun »."
        )
        return False
    return prompt.recognized.succeeded


class UpdateIndicatorsDialog(SpaserDialog):
    help_text = (
        "Je vous demande, indicateur par indicateur, la valeur de sa période, un commentaire facultatif, puis "
        "une confirmation avant d’enregistrer. Écrivez les nombres à la française (par exemple 12,5 % ; 1 200 ; "
        "1 200,50 €). « passer » laisse un indicateur de côté ; « formulaire des indicateurs » ouvre un formulaire "
        "pour tout saisir d’un coup."
    )
    cancel_text = "Saisie arrêtée : seules les valeurs que vous avez confirmées sont enregistrées."
    allowed_roles = frozenset({Role.LEAD, Role.CONTRIBUTOR})

    def __init__(self, values: IndicatorValues, directorates: DirectorateRepository) -> None:
        super().__init__()
        self._values = values
        self._directorates = directorates
        self.add_dialog(ChoicePrompt("directorate", default_locale="fr-fr"))
        self.add_dialog(_ValuePrompt("value", _read_value))
        self.add_dialog(TextPrompt("comment", _read_comment))
        self.add_dialog(yes_no_prompt("confirm"))
        self.add_dialog(
            WaterfallDialog("steps", [self.choose_directorate_step, self.list_due_step, self.summarize_step])
        )
        self.add_dialog(
            WaterfallDialog("item", [self.ask_value_step, self.ask_comment_step, self.confirm_step, self.save_step])
        )
        self.initial_dialog_id = "steps"

    def cancel_message(self, inner_dc: DialogContext) -> str:
        """« Saisie arrêtée. Trois valeurs enregistrées (IND-01, IND-02 et IND-03). Sept indicateurs
        restent à saisir. »: what the loop saved before « annuler », and what is left."""
        loops = [entry.state.get("options") for entry in inner_dc.stack if entry.id == "item"]
        loop = loops[0] if loops and isinstance(loops[0], dict) else None
        if loop is None:
            return self.cancel_text
        codes = [line.split(" ", 1)[0] for line in loop["saved"]]
        left = len(loop["items"]) - len(codes)
        saved = (
            f"{counted_in_words(len(codes), 'valeur enregistrée', 'valeurs enregistrées', feminine=True)} ({joined(codes)})."
            if codes else "Aucune valeur n’a été enregistrée."
        )
        correcting = any(entry.id == "steps" and entry.state.get("values", {}).get("correction") for entry in inner_dc.stack)
        what = "à corriger" if correcting else "à renseigner"
        return f"Saisie arrêtée. {saved} {counted_in_words(left, 'indicateur')} {agreed(left, 'reste', 'restent')} {what}."

    # ----- start: who, which directorate, what is due ----------------------------------------

    async def choose_directorate_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, UpdateIndicatorsOptions) else UpdateIndicatorsOptions()
        person = current_person(step.context)
        role = person.role if person else None
        step.values["period"] = ""
        step.values["codes"] = list(options.codes)
        step.values["correction"] = options.correction
        if role not in (Role.LEAD, Role.CONTRIBUTOR):
            await step.context.send_activity(
                "La saisie des indicateurs est réservée aux personnes responsables du SPASER et aux contributeur·rices des directions. "
                "Vous pouvez consulter une valeur : « valeur d’IND-01 »."
            )
            return await step.end_dialog(None)
        if options.period_code:
            if role is not Role.LEAD:
                await step.context.send_activity(
                    "Seules les personnes responsables du SPASER peuvent choisir une autre période ; je vous propose celle à renseigner maintenant."
                )
            else:
                try:
                    step.values["period"] = parse_period(options.period_code).code
                except InvalidPeriod as error:
                    await step.context.send_activity(error.message)
                    return await step.end_dialog(None)
        if role is Role.CONTRIBUTOR:
            if not person.directorate_code:
                await step.context.send_activity(
                    "Vous n’êtes rattaché·e à aucune direction : demandez à la personne responsable du SPASER de vous y affecter."
                )
                return await step.end_dialog(None)
            if options.directorate_code and options.directorate_code.upper() != person.directorate_code:
                # Said in the message that follows, so that her own list does not start without a word.
                step.values["refusal"] = (
                    f"Vous ne pouvez saisir que les indicateurs de votre direction ({person.directorate_code}) : "
                    "voici les siens."
                )
            return await step.next(person.directorate_code)
        if options.directorate_code:
            return await step.next(options.directorate_code.upper())
        return await self._ask_directorate(step)

    async def _ask_directorate(self, step: WaterfallStepContext):
        today = self._values.today()
        if step.values["period"]:
            choices = [Choice(value=d.code, synonyms=[d.name]) for d in await self._directorates.list()]
        else:
            due = await self._values.directorates_with_due_indicators(today)
            choices = [Choice(value=d.code, synonyms=[d.name]) for d in due]
        if not choices:
            await step.context.send_activity("Toutes les directions ont renseigné leurs indicateurs, chacun pour sa période. Rien à saisir !")
            return await step.end_dialog(None)
        return await step.prompt(
            "directorate",
            PromptOptions(
                prompt=MessageFactory.text("Pour quelle direction ? Voici celles qui ont des indicateurs à renseigner."),
                retry_prompt=MessageFactory.text("Choisissez une direction de la liste, par son code (par exemple DCP)."),
                choices=choices,
                style=ListStyle.hero_card,
            ),
        )

    async def list_due_step(self, step: WaterfallStepContext):
        directorate_code = step.result.value if isinstance(step.result, FoundChoice) else str(step.result)
        step.values["directorate"] = directorate_code
        period = parse_period(step.values["period"]) if step.values["period"] else None
        try:
            items = await self._values.due_for_directorate(
                directorate_code,
                self._values.today(),
                period=period,
                codes=step.values["codes"] or None,
                include_entered=step.values["correction"],
            )
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        refusal = [step.values.pop("refusal")] if step.values.get("refusal") else []
        if not items:
            await step.context.send_activity("\n".join([*refusal, self._nothing_due_text(directorate_code, period, step.values)]))
            return await step.end_dialog(None)
        intro = "à corriger" if step.values["correction"] else "à renseigner"
        lines = [*refusal, f"La direction **{directorate_code}** a {counted(len(items), 'indicateur')} {intro} :"]
        lines += [f"- **{item.indicator.code}** {item.indicator.label} · {item.period.label}" for item in items]
        lines.append(
            ("Je vais vous les demander un par un." if len(items) > 1 else "Je vais vous le demander.")
            + " Tapez « passer » pour laisser un indicateur de côté, « annuler » pour arrêter (ce qui est confirmé reste enregistré)."
        )
        loop = {
            "directorate": directorate_code,
            "items": [QueuedItem.of(item) for item in items],
            "index": 0,
            "saved": [],
            "not_saved": [],
            "run": uuid.uuid4().hex,
            # The list opens the first question, as « Enregistré : … » opens the next ones: Teams shows
            # a message's first line without bold, and « (1/10) IND-01 » alone lost the bold of
            # « (2/10) **IND-02** » (reader 9, C6).
            "note": "\n".join(lines),
        }
        return await step.begin_dialog("item", loop)

    async def summarize_step(self, step: WaterfallStepContext):
        loop = step.result
        if not isinstance(loop, dict):
            return await step.end_dialog(None)
        directorate_code = loop["directorate"]
        period = parse_period(step.values["period"]) if step.values["period"] else None
        remaining = []
        if not step.values["correction"]:
            remaining = await self._values.still_due(directorate_code, self._values.today(), period=period)
        lines = [loop["note"]] if loop.get("note") else []
        lines.append("C’est terminé.")
        if loop["saved"]:
            lines.append("Enregistré :")
            lines += [f"- {line}" for line in loop["saved"]]
        else:
            lines.append("Aucune valeur n’a été enregistrée.")
        if remaining:
            lines.append(f"Reste à renseigner pour la direction {directorate_code} :")
            lines += [f"- {code} ({parse_period(period_code).label})" for code, period_code in remaining]
            lines.append("Reprenez quand vous voulez : « mettre à jour mes indicateurs » ou le formulaire.")
        elif not step.values["correction"]:
            # Reader 10, C1: « à jour » right after a legal warning read as « everything is fine ».
            when = f" pour {period.with_article()}" if period else ""
            lines.append(f"Toutes les valeurs attendues de la direction {directorate_code}{when} sont saisies. Merci !")
        message = MessageFactory.text("\n".join(lines))
        if remaining:
            person = current_person(step.context)
            target = directorate_code if person is not None and person.role is Role.LEAD else None
            body = [{"type": "TextBlock", "text": "\n".join(lines), "wrap": True}]
            message = MessageFactory.attachment(adaptive_card(body, update_buttons(target)))
        await step.context.send_activity(message)
        return await step.end_dialog(loop["saved"])

    @staticmethod
    def _nothing_due_text(directorate_code: str, period: Period | None, values: dict) -> str:
        if values["codes"]:
            return (
                f"Rien à {'corriger' if values['correction'] else 'renseigner'} pour {', '.join(values['codes'])} "
                f"à la direction {directorate_code}."
            )
        when = f" pour {period.with_article()}" if period else ""
        return f"Rien à renseigner pour la direction {directorate_code}{when} : tout est à jour. {CORRECTION_HINT}"

    # ----- one indicator ---------------------------------------------------------------------

    async def ask_value_step(self, step: WaterfallStepContext):
        loop = step.options
        item = QueuedItem.load(loop["items"][loop["index"]])
        position = f"({loop['index'] + 1}/{len(loop['items'])}) " if len(loop["items"]) > 1 else ""
        text = (
            f"{position}**{item.code}** — {item.label}\n{item.description}\n"
            f"Quelle valeur pour la direction {loop['directorate']} ?"
        )
        if loop.get("retry"):
            text = f"Quelle valeur pour {item.code} ({item.period_label}) ?"
        validations = {"unit": item.unit, "code": item.code, LEAD_IN: loop.pop("note", ""),
                       **previous_validations(item.previous, item.previous_period, item.counted_noun)}
        return await step.prompt("value", PromptOptions(prompt=MessageFactory.text(text), validations=validations))

    async def ask_comment_step(self, step: WaterfallStepContext):
        loop = step.options
        item = QueuedItem.load(loop["items"][loop["index"]])
        if step.result == SKIP:
            loop["not_saved"].append(item.code)
            return await self._next_item(step, loop, f"{item.code} laissé de côté : rien n’est enregistré.")
        if step.result == GAVE_UP:
            loop["not_saved"].append(item.code)
            return await self._next_item(
                step,
                loop,
                f"Je n’ai pas réussi à lire la valeur après {MAX_VALUE_ATTEMPTS} essais : rien n’est enregistré pour "
                f"{item.code}. Vous pourrez la saisir plus tard, ou dans le formulaire. Passons à la suite.",
            )
        step.values["value"] = step.result
        value_text = item.show(step.result)
        return await step.prompt(
            "comment",
            PromptOptions(
                prompt=MessageFactory.text(
                    f"Un commentaire sur {item.code} ({value_text}) ? Il est facultatif : tapez « aucun » si vous n’en avez pas."
                )
            ),
        )

    async def confirm_step(self, step: WaterfallStepContext):
        loop = step.options
        item = QueuedItem.load(loop["items"][loop["index"]])
        comment = " ".join((step.result or "").split())
        step.values["comment"] = "" if fold(comment) in NO_COMMENT_WORDS else comment
        value_text = item.show(step.values["value"])
        note = f", commentaire « {shown(step.values['comment'])} »" if step.values["comment"] else ""
        options = yes_no_options(
            f"J’enregistre **{value_text}** pour {item.code} (direction {loop['directorate']}, {item.period_label}){note} ?"
        )
        options.retry_prompt = MessageFactory.text("Répondez « oui » pour enregistrer, « non » pour retaper la valeur.")
        return await step.prompt("confirm", options)

    async def save_step(self, step: WaterfallStepContext):
        loop = step.options
        item = QueuedItem.load(loop["items"][loop["index"]])
        if not is_yes(step.result):
            return await step.replace_dialog(
                "item", {**loop, "retry": True, "note": f"D’accord, rien n’est enregistré pour {item.code}."}
            )
        entry = ValueEntry(item.code, item.period, Decimal(step.values["value"]), step.values["comment"])
        # Unless the summary that ends the loop reads what remains, nothing else touches the database
        # in this turn: the value is committed with the dialog state that moves on.
        is_last = loop["index"] + 1 >= len(loop["items"])
        try:
            outcome = await self._values.record_value(
                current_person(step.context),
                loop["directorate"],
                entry,
                self._values.today(),
                submission_key=f"dialog:{loop['run']}:{loop['index']}",
                uow=None if is_last else turn_unit(step.context),
                replacing=bool(item.replaces),
            )
        except DomainError as error:
            loop["not_saved"].append(item.code)
            return await self._next_item(step, loop, f"{error.message}\nRien n’est enregistré pour {item.code}.")
        value_text = item.show(step.values["value"])
        loop["saved"].append(f"{item.code} ({item.period_label}) : {value_text}")
        saved = outcome.saved[0] if outcome.saved else None
        replaced = f" (remplace {saved.previous_shown}, conservé dans l’historique)" if saved and saved.previous_value is not None else ""
        warning = f"\n{saved.legal_warning}" if saved and saved.legal_warning else ""
        return await self._next_item(step, loop, f"Enregistré : {value_text} pour {item.code}{replaced}.{warning}")

    @staticmethod
    async def _next_item(step: WaterfallStepContext, loop: dict, note: str):
        """The next indicator's question, or the summary, opened by `note` (what became of this one)."""
        following = {**loop, "index": loop["index"] + 1, "retry": False, "note": note}
        if following["index"] < len(following["items"]):
            return await step.replace_dialog("item", following)
        return await step.end_dialog(following)
