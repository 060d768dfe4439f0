"""The SPASER lead gives a role (and a directorate) to a person named by e-mail/UPN.

    ask_email_step --> ask_role_step --> [contributor?] --yes--> ask_directorate_step --> save_step
      (skipped when                 (skipped when         --no----------------------------^
       given inline)                 given inline)
    `annuler` at any step: nothing is changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from botbuilder.core import MessageFactory
from botbuilder.dialogs import WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import Choice, ListStyle
from botbuilder.dialogs.prompts import ChoicePrompt, PromptOptions, PromptValidatorContext, TextPrompt

from dialogs.base import SpaserDialog
from domain.errors import DomainError
from domain.people import GENDERED_ROLE_WORDS, Role, normalise_email
from domain.tenant import PeopleDirectory
from domain.text import fold, of
from storage.people import DirectorateRepository, PeopleRepository

ROLE_CHOICES = {
    "Responsable du SPASER": Role.LEAD,
    "Contributeur·rice de direction": Role.CONTRIBUTOR,
    "Élu·e ou directeur·rice": Role.OFFICIAL,
}
ROLE_SYNONYMS = {
    Role.LEAD: ["responsable", "pilote", "lead", "admin"],
    Role.CONTRIBUTOR: ["contributeur", "contributrice", "contributeur·rice", "référent", "referent", "agent"],
    Role.OFFICIAL: ["élu", "élue", "elu", "elue", "élu·e", "directeur", "directrice", "dgs", "officiel"],
}


EXAMPLE_NAME = "Prénom Nom"
"""What stands for the name in « affecter … nom Prénom Nom »: never a real name, which may be one of
the organisation's people (reader 9, A10: « Camille Martin » was the SPASER's own lead, and a lead
who copied the example made a namesake)."""
ROLE_WITHOUT_NOUN = {
    Role.CONTRIBUTOR: "pourra renseigner les indicateurs SPASER de la direction {code}",
    Role.OFFICIAL: "pourra suivre l’avancement du SPASER et consulter sa synthèse",
}
"""What a person given a role may do, when the lead typed no role word of the person's own form: the
reply names someone, and « le rôle d’élu·e ou de directeur·rice » read like a form left unticked
(reader 10, B6)."""


def _role_given(role: Role, typed: str, directorate_code: str | None) -> str:
    """« a désormais le rôle d’élue », in the form the lead typed (« élue », « contributrice »), else
    what the person may do: « pourra suivre l’avancement du SPASER et consulter sa synthèse »."""
    gendered = GENDERED_ROLE_WORDS.get(fold(typed))
    if role is Role.CONTRIBUTOR:
        where = f" pour la direction {directorate_code}"
    else:
        where = f" (direction {directorate_code})" if directorate_code else ""
    if role is Role.LEAD:
        return f"a désormais le rôle de responsable du SPASER{where}"
    if gendered is not None and gendered[0] is role:
        return f"a désormais le rôle {gendered[1]}{where}"
    if role is Role.CONTRIBUTOR:
        return ROLE_WITHOUT_NOUN[role].format(code=directorate_code)
    return ROLE_WITHOUT_NOUN[role] + where
ROLE_WORDS_TYPED = {Role.LEAD: "responsable", Role.CONTRIBUTOR: "contributrice", Role.OFFICIAL: "élue"}
"""A role word anyone can type (no point médian), for when the lead chose the role on the card."""


@dataclass
class AssignRoleOptions:
    email: str = ""
    role: Role | None = None
    directorate_code: str = ""
    name: str = ""
    role_word: str = ""
    """The role word as the lead typed it (« contributrice »), echoed in the command suggested back."""


async def _valid_email(prompt: PromptValidatorContext) -> bool:
    try:
        normalise_email(prompt.recognized.value or "")
        return prompt.recognized.succeeded
    except DomainError:
        return False


class AssignRoleDialog(SpaserDialog):
    help_text = (
        "J’attribue un rôle à une personne à partir de son adresse e-mail professionnelle (celle de Teams) : "
        "responsable du SPASER, contributeur·rice d’une direction, élu·e ou directeur·rice."
    )

    def __init__(
        self,
        people: PeopleRepository,
        directorates: DirectorateRepository,
        directory: tuple[PeopleDirectory, str] | None = None,
    ) -> None:
        """`directory`: Microsoft 365's directory and its tenant, to take the person's name and identity."""
        super().__init__()
        self._people = people
        self._directorates = directorates
        self._directory = directory
        self.add_dialog(TextPrompt("email", _valid_email))
        self.add_dialog(ChoicePrompt("role", default_locale="fr-fr"))
        self.add_dialog(ChoicePrompt("directorate", default_locale="fr-fr"))
        self.add_dialog(
            WaterfallDialog(
                "steps", [self.ask_email_step, self.ask_role_step, self.ask_directorate_step, self.save_step]
            )
        )
        self.initial_dialog_id = "steps"

    async def ask_email_step(self, step: WaterfallStepContext):
        options = step.options if isinstance(step.options, AssignRoleOptions) else AssignRoleOptions()
        step.values["role"] = options.role.value if options.role else ""
        step.values["directorate_code"] = options.directorate_code
        step.values["name"] = options.name
        step.values["role_word"] = options.role_word
        if options.email:
            return await step.next(options.email)
        return await step.prompt(
            "email",
            PromptOptions(
                prompt=MessageFactory.text("Quelle est l’adresse e-mail professionnelle de la personne (celle de Teams) ?"),
                retry_prompt=MessageFactory.text("Je n’ai pas reconnu une adresse e-mail. Exemple : marie.curie@ville.fr"),
            ),
        )

    async def ask_role_step(self, step: WaterfallStepContext):
        step.values["email"] = normalise_email(step.result)
        if step.values["role"]:
            return await step.next(None)
        choices = [Choice(value=label, synonyms=ROLE_SYNONYMS[role]) for label, role in ROLE_CHOICES.items()]
        return await step.prompt(
            "role",
            PromptOptions(
                prompt=MessageFactory.text(f"Quel rôle pour {step.values['email']} ?"),
                retry_prompt=MessageFactory.text("Choisissez l’un des trois rôles proposés."),
                choices=choices,
                style=ListStyle.hero_card,
            ),
        )

    async def ask_directorate_step(self, step: WaterfallStepContext):
        if step.result is not None:
            step.values["role"] = ROLE_CHOICES[step.result.value].value
        role = Role(step.values["role"])
        if role is not Role.CONTRIBUTOR and not step.values["directorate_code"]:
            return await step.next(None)
        if step.values["directorate_code"]:
            return await step.next(None)
        directorates = await self._directorates.list()
        if not directorates:
            await step.context.send_activity(
                "Aucune direction n’est encore enregistrée. Créez-en une avec « ajouter une direction », puis recommencez."
            )
            return await step.end_dialog(None)
        return await step.prompt(
            "directorate",
            PromptOptions(
                prompt=MessageFactory.text("De quelle direction ?"),
                retry_prompt=MessageFactory.text("Choisissez une direction de la liste."),
                choices=[Choice(value=d.code, synonyms=[d.name]) for d in directorates],
                style=ListStyle.hero_card,
            ),
        )

    async def save_step(self, step: WaterfallStepContext):
        if step.result is not None:
            step.values["directorate_code"] = step.result.value
        role = Role(step.values["role"])
        name = step.values.get("name", "")
        entry, tenant_id = None, ""
        if self._directory is not None:
            directory, tenant_id = self._directory
            entry = await directory.find_person(step.values["email"])
        try:
            person = await self._people.assign(
                step.values["email"], role, step.values["directorate_code"] or None, name=name,
                directory=entry, tenant_id=tenant_id,
            )
        except DomainError as error:
            await step.context.send_activity(error.message)
            return await step.end_dialog(None)
        # As a sentence rather than a quoted field (reader 8, A13), the directorate after; the role
        # noun in the person's own form or not at all (reader 10, B6).
        what = _role_given(role, step.values.get("role_word", ""), person.directorate_code)
        # A name Teams or the lead gave (not the address's start): it already shows, nothing to add.
        named = bool(person.name) and person.name != person.email.split("@")[0]
        who = f"**{person.name}** ({person.email})" if named else f"**{person.email}**"
        notes = []
        if self._directory is not None and entry is None:
            notes.append("Attention : je ne trouve pas cette adresse dans l’annuaire Microsoft 365 ; vérifiez-la.")
        elif self._directory is None and not name and not named:
            # Reader 8, B25: a whole command to copy rather than « … nom » puis, sur la même ligne, …;
            # « Prénom Nom » rather than a name that reads like a real one (reader 9, A10).
            word = step.values.get("role_word") or ROLE_WORDS_TYPED[role]
            again = " ".join(filter(None, [person.email, word, person.directorate_code]))
            placeholder = f"d’« {person.name} »" if of(person.name).startswith("d’") else f"de « {person.name} »"
            notes.append(
                f"Pour afficher son nom à la place {placeholder} dès maintenant, tapez « affecter {again} nom {EXAMPLE_NAME} »."
            )
        # Reader 7, B33: what « son rôle s’appliquera » meant. The assistant writes to a person only
        # in their chat with it, which Teams opens when they install it; one known to the directory
        # has it installed for them (scheduler/tenant_tasks.py) when a message is due.
        if person.aad_object_id is None:
            when = "Cette personne ne recevra rien tant qu’elle n’aura pas installé l’assistant dans Teams."
        else:
            when = "Son rôle s’appliquera dès son prochain message à l’assistant."
        await step.context.send_activity(" ".join([f"C’est noté : {who} {what}. {when}", *notes]))
        return await step.end_dialog(person.id)
