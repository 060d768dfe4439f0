"""The SPASER lead answers a question the assistant could not answer; the answer becomes an entry.

    show_question_step --> ask_answer_step --> confirm_step --yes--> save_step --> end
         (unknown or already answered: end)          --no---> end (nothing saved)
    `annuler` at any step: nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.core import MessageFactory
from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, TextPrompt

from dialogs.base import SpaserDialog, current_person, is_yes, yes_no_options, yes_no_prompt
from domain.errors import DomainError
from storage.knowledge.service import KnowledgeService

MAX_ANSWER_CHARS = 2_000


@dataclass
class AnswerQuestionOptions:
    question_id: int = 0


class AnswerQuestionDialog(SpaserDialog):
    help_text = (
        "Écrivez la réponse telle que les agent·es la liront (quelques lignes, avec la source si possible). "
        "Elle sera donnée à toute personne qui posera une question proche."
    )
    cancel_text = "C’est annulé : aucune réponse n’a été enregistrée."

    def __init__(self, knowledge: KnowledgeService) -> None:
        super().__init__()
        self._knowledge = knowledge
        self.add_dialog(TextPrompt("answer", self._valid_answer))
        self.add_dialog(yes_no_prompt("confirm"))
        self.add_dialog(
            WaterfallDialog("steps", [self.show_question_step, self.ask_answer_step, self.confirm_step, self.save_step])
        )
        self.initial_dialog_id = "steps"

    @staticmethod
    async def _valid_answer(prompt) -> bool:
        text = (prompt.recognized.value or "").strip()
        return prompt.recognized.succeeded and 0 < len(text) <= MAX_ANSWER_CHARS

    async def show_question_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, AnswerQuestionOptions) else AnswerQuestionOptions()
        question = await self._knowledge.get_open_question(options.question_id)
        if question is None:
            await step.context.send_activity(
                f"La question n° {options.question_id} n’existe pas ou a déjà une réponse. "
                "Tapez « questions sans réponse » pour voir la liste."
            )
            return await step.end_dialog(None)
        step.values["question_id"] = options.question_id
        step.values["question"] = question
        return await step.next(None)

    async def ask_answer_step(self, step: WaterfallStepContext):
        return await step.prompt(
            "answer",
            PromptOptions(
                prompt=MessageFactory.text(f"Question n° {step.values['question_id']} : « {step.values['question']} »\n\nQuelle est la réponse ?"),
                retry_prompt=MessageFactory.text(f"La réponse doit faire entre 1 et {MAX_ANSWER_CHARS} caractères."),
            ),
        )

    async def confirm_step(self, step: WaterfallStepContext):
        step.values["answer"] = step.result.strip()
        return await step.prompt(
            "confirm",
            yes_no_options(f"Je l’enregistre et la donnerai désormais :\n\n{step.values['answer']}\n\nConfirmez-vous ?"),
        )

    async def save_step(self, step: WaterfallStepContext):
        if not is_yes(step.result):
            await step.context.send_activity("Rien n’a été enregistré.")
            return await step.end_dialog(None)
        lead = current_person(step.context)
        try:
            entry = await self._knowledge.answer_question(step.values["question_id"], step.values["answer"], lead)
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        await step.context.send_activity(
            f"C’est enregistré : la réponse à « {entry.title} » sera donnée à partir de maintenant."
        )
        return await step.end_dialog(entry.id)
