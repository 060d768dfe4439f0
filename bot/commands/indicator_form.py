"""What reaches the indicators other than typed text: the form card submitted back (checked on
the server, saved all at once or not at all, once per card) and the catalogue CSV file the lead
sends in the chat (imported all or nothing)."""

from __future__ import annotations

from botbuilder.core import MessageFactory, TurnContext

from bot.attachments import IncomingFile, fetched
from bot.commands.indicators import ALREADY_SAVED_AS_SENT, already_saved
from dialogs.cards import card_message
from domain.errors import DomainError
from domain.indicators.cards import (
    CONFIRM_TITLE,
    CONFIRMED_KEY,
    SUBMIT_ACTION,
    indicator_form_card,
    read_form,
    saved_line,
    sent_as_drawn,
)
from domain.indicators.catalogue_csv import MAX_BYTES
from domain.indicators.plausibility import FormJump, jumps_in_form
from domain.indicators.rules import EntryErrors, NotAllowed, check_directorate_allowed
from domain.people import PersonView, Role
from domain.text import agreed, counted, counted_in_words, lower_first
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues
from storage.people import DirectorateRepository


def form_codes(form) -> list[str]:
    """The indicators a submitted form is about: those given a value first, else all of its fields."""
    return list(dict.fromkeys([entry.code for entry in form.entries] or [code for code, _ in form.pairs]))


def build_card_actions(values: IndicatorValues, directorates: DirectorateRepository) -> dict:
    """`indicators.submit`: the form card, validated on the server, saved all at once or not at all."""

    async def submit_form(turn_context: TurnContext, person: PersonView | None, value: dict) -> None:
        directorate = str(value.get("directorate") or "").strip().upper()[:32]
        card_id = str(value.get("card_id") or "").strip()[:64]
        try:
            check_directorate_allowed(person, directorate)
        except NotAllowed as error:
            await turn_context.send_activity(f"{error.message}\nRien n’a été enregistré.")
            return
        known = await directorates.get_by_code(directorate) if directorate else None
        if known is None or not card_id:
            await turn_context.send_activity(
                "Ce formulaire n’est pas valable : rien n’a été enregistré. Tapez « formulaire des indicateurs » pour en obtenir un nouveau."
            )
            return
        form = read_form(value)
        submission = f"card:{person.id}:{card_id}"
        # Nothing typed since the card was drawn: once its card id saved anything, it is this card
        # clicked again (redrawn by Teams with the values it was sent with, maybe none).
        drawn = sent_as_drawn(value, form)
        if await values.submission_saved(submission, directorate, None if drawn else form.pairs):
            # Sent again after it was saved (a second click, or fields changed since): the values
            # stay as saved, whatever the card now carries.
            await turn_context.send_activity(await again(submission, directorate, form, drawn))
            return
        if not form.entries and not form.errors:
            await turn_context.send_activity("Aucune valeur saisie dans le formulaire : rien n’a été enregistré.")
            return
        today = values.today()
        errors = dict(form.errors)
        try:
            if errors:
                if form.entries:
                    await values.record_values(person, directorate, form.entries, today, dry_run=True)
                raise EntryErrors(errors)
            items, _ = await values.describe_items(directorate, form.pairs)
            jumps = jumps_in_form(form.entries, items, confirmed_tokens(value))
            if jumps:
                # Far from the previous values: nothing is saved until they are confirmed, and the
                # rest of the form is checked first, so that a confirmation is not refused afterwards.
                await values.record_values(person, directorate, form.entries, today, dry_run=True)
                await ask_to_confirm(turn_context, card_id, known, items, form, jumps)
                return
            outcome = await values.record_values(person, directorate, form.entries, today, submission_key=submission)
        except EntryErrors as error:
            errors.update(error.errors)
            await send_back(turn_context, card_id, known, form, errors)
            return
        except DomainError as error:
            await turn_context.send_activity(f"{error.message}\nRien n’a été enregistré.")
            return
        if outcome.duplicate:
            await turn_context.send_activity(await again(submission, directorate, form, drawn))
            return
        remaining = await values.due_for_directorate(directorate, today)
        lines = [f"Enregistré pour la direction {directorate} ({counted(len(outcome.saved), 'valeur')}) :"]
        lines += [saved_line(view) for view in outcome.saved]
        lines += [view.legal_warning for view in outcome.saved if view.legal_warning]
        if remaining:
            lines.append("Reste à renseigner : " + ", ".join(f"{i.indicator.code} ({i.period.label})" for i in remaining) + ".")
        else:
            # Reader 10, C1: « à jour » right after a legal warning read as « everything is fine ».
            lines.append(f"Toutes les valeurs attendues de la direction {directorate} sont saisies. Merci !")
        await turn_context.send_activity("\n".join(lines))

    async def again(submission: str, directorate: str, form, drawn: bool) -> str:
        """The reply to a card sent again: the same values (a second click, Teams sending it twice,
        or the card clicked again as Teams redrew it, `drawn`) are simply there (reader 9, C7:
        « le renvoyer ne change rien » read as an error to someone who had not resent anything);
        changed ones are not taken, and how to change a value is said."""
        if drawn or (not form.errors and await values.submission_unchanged(submission, directorate, form.entries)):
            return ALREADY_SAVED_AS_SENT
        return already_saved(form_codes(form))

    async def send_back(turn_context: TurnContext, card_id: str, directorate, form, errors: dict[str, str]) -> None:
        items, problems = await values.describe_items(directorate.code, form.pairs)
        placed = {item.key for item in items}
        general = [message for key, message in {**problems, **errors}.items() if key not in placed]
        card = refilled_form(
            card_id, directorate, items, form,
            errors={key: message for key, message in errors.items() if key in placed}, general_errors=general,
        )
        await turn_context.send_activity(
            MessageFactory.text(
                "Rien n’a été enregistré : "
                f"{lower_first(counted_in_words(len(errors), 'champ est à corriger', 'champs sont à corriger'))}. "
                "Je vous renvoie le formulaire avec vos saisies."
            )
        )
        await turn_context.send_activity(card_message(card, "Formulaire à corriger"))

    async def ask_to_confirm(turn_context: TurnContext, card_id: str, directorate, items, form, jumps: list[FormJump]) -> None:
        """The form back, refilled, each suspicious value flagged: « Confirmer ces valeurs » saves it
        as it is (once: the same card id), « Enregistrer » sends it corrected."""
        count = len(jumps)
        lines = [
            "Rien n’a été enregistré, car "
            + lower_first(counted_in_words(count, "valeur est très loin de la précédente", "valeurs sont très loin des précédentes", feminine=True))
            + "\u00a0:"
        ]
        lines += [f"- {jump.line}" for jump in jumps]
        lines.append(
            f"{agreed(count, 'Si elle est juste', 'Si elles sont justes')}, cliquez sur «\u00a0{CONFIRM_TITLE}\u00a0»\u00a0; "
            f"sinon, {agreed(count, 'corrigez-la', 'corrigez-les')} dans le formulaire et cliquez sur «\u00a0Enregistrer\u00a0»."
        )
        card = refilled_form(
            card_id, directorate, items, form,
            warnings={jump.item.key: f"Vous avez saisi {jump.jump.comparison()}." for jump in jumps},
            confirmed=[jump.token for jump in jumps],
        )
        await turn_context.send_activity(MessageFactory.text("\n".join(lines)))
        await turn_context.send_activity(card_message(card, "Valeurs à confirmer"))

    return {SUBMIT_ACTION: submit_form}


def confirmed_tokens(value: dict) -> frozenset[str]:
    """The values a « Confirmer ces valeurs » click confirms (client data: it only spares the
    question, every value is still checked and the rights at the save)."""
    return frozenset(str(value.get(CONFIRMED_KEY) or "")[:4000].split(";")) - {""}


def build_file_handlers(catalogue: IndicatorCatalogue) -> dict:
    """A CSV file sent by the lead is imported as the catalogue (all rows, or none)."""

    async def import_catalogue_file(turn_context: TurnContext, person: PersonView | None, file: IncomingFile) -> None:
        if person is None or person.role is not Role.LEAD:
            await turn_context.send_activity("Seules les personnes responsables du SPASER peuvent importer le catalogue des indicateurs.")
            return
        try:
            data = fetched(turn_context, file, MAX_BYTES)
            result = await catalogue.import_catalogue(data)
        except DomainError as error:
            await turn_context.send_activity(f"{error.message}\n\nLe catalogue n’a pas été modifié.")
            return
        await turn_context.send_activity(f"« {file.name} » : {result.message}")

    return {".csv": import_catalogue_file}


def refilled_form(card_id: str, directorate, items, form, **flags) -> dict:
    """The directorate's form card again, with what the person typed, and `flags` (errors to
    correct, or values to confirm)."""
    return indicator_form_card(
        card_id=card_id, directorate_code=directorate.code, directorate_name=directorate.name,
        items=items, typed=form.typed, comments=form.comments, **flags,
    )
