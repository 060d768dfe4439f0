"""Indicators by chat: what is due, entering and correcting values, the form card, an indicator's
values, definition and history. The catalogue and its management are `bot.commands.indicator_catalogue`.

Every handler takes the person from the server (`call.person`); card data and typed text only
say what is asked, the repository decides whether it is allowed.
"""

from __future__ import annotations

import re
import uuid

from bot.router import REGISTERED, Command, CommandCall, GroupReply
from dialogs.cards import adaptive_card, card_message
from dialogs.indicators.update_indicators_dialog import UpdateIndicatorsDialog, UpdateIndicatorsOptions
from domain.cards import im_back
from domain.errors import DomainError
from domain.indicators.cards import (
    CORRECTION_HINT,
    due_list_text,
    history_line,
    indicator_form_card,
    update_buttons,
)
from domain.indicators.definitions import characteristics_text, definition_text
from domain.indicators.periods import InvalidPeriod, Period, parse_period
from domain.indicators.rules import IndicatorView
from domain.indicators.sources import ORGANISATION_FROM_DECP, computed_detail, is_computed
from domain.people import Role
from domain.summary.scope import scope_for
from domain.text import counted_in_words, fold, shown
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues
from storage.people import DirectorateRepository

REPORTERS = frozenset({Role.LEAD, Role.CONTRIBUTOR})
TOPIC = "Indicateurs"
OTHER_DIRECTORATES_ONLY = (
    "Cet indicateur n’est pas renseigné par votre direction : les valeurs des autres directions "
    "ne sont visibles que par les personnes responsables du SPASER, les élu·es et les directeur·rices."
)


ALREADY_SAVED_AS_SENT = "Ce formulaire a déjà été enregistré : rien n’a été modifié."
"""A form sent again as it was saved (a second click): nothing to do (reader 9, C7)."""


def already_saved(codes: list[str]) -> str:
    """A form sent again with other values than it saved: they are not taken, and the correction
    suggested is about the form's own indicator, not IND-01."""
    example = f", par exemple « corriger {codes[0]} »" if codes else ""
    return (
        "Ce formulaire est déjà enregistré : les changements faits depuis n’ont pas été pris en compte. "
        f"Pour changer une valeur, tapez « corriger » suivi du code de l’indicateur{example}."
    )


MAX_HISTORY_LINES = 25
YEARS = r"(?:19|20)\d{2}(?:\s*(?:-|/|a|à|au|et)\s*(?:19|20)?\d{2})?(?![\w.-])"
"""« 2019-2023 », « 2020 à 2024 », « 2025 »: a year or a span of years, never an indicator's code."""
_YEARS_ASIDE = re.compile(rf"(?<![\w-])(?:(?:de|entre|depuis|sur|en) )?{YEARS}", re.IGNORECASE)
CODE = rf"(?!{YEARS})(?P<code>[a-z0-9][a-z0-9_.-]*\d[a-z0-9_.-]*)"
PERIOD_IN_TEXT = re.compile(r"(?<![\w-])(\d{4}(?:[ -]?[sthq] ?\d)?|[sthq] ?\d[ -]\d{4})(?![\w-])", re.IGNORECASE)
FILLER_WORDS = frozenset({"de", "la", "du", "des", "pour", "direction", "periode", "d'", "a", "au", "en", "le", "les", "mes"})
def split_target(text: str) -> tuple[str, str]:
    """`de DPB pour 2025-T4` → ("DPB", "2025-T4"): a directorate code and a period, when present."""
    period = ""
    found = PERIOD_IN_TEXT.search(text)
    if found:
        period = found.group(1)
        text = text[: found.start()] + " " + text[found.end() :]
    words = [w.strip(",;:.!?") for w in text.split()]
    candidates = [w for w in words if w and fold(w) not in FILLER_WORDS and not fold(w).startswith("d'")]
    return (candidates[0].upper() if candidates else ""), period


def words_after(original: str, folded_prefix: str) -> str:
    """What was typed after the command words, with its case and accents."""
    return " ".join(original.split()[len(folded_prefix.split()) :])


def indicator_heading(indicator: IndicatorView) -> str:
    return f"**{indicator.code}** — {indicator.label}\n{characteristics_text(indicator, with_baseline=True)}."


def build_commands(
    catalogue: IndicatorCatalogue, values: IndicatorValues, directorates: DirectorateRepository, timezone: str
) -> list[Command]:
    async def say(call: CommandCall, text: str) -> None:
        await call.turn_context.send_activity(text)

    async def resolve_directorate(call: CommandCall, requested: str) -> str | None:
        """The directorate a command is about: the contributor's own one; the lead's named one."""
        person = call.person
        if person.role is Role.CONTRIBUTOR:
            if requested and requested != person.directorate_code and await directorates.get_by_code(requested):
                await say(call, f"Vous ne pouvez saisir que les indicateurs de votre direction ({person.directorate_code}).")
                return None
            if not person.directorate_code:
                await say(call, "Vous n’êtes rattaché·e à aucune direction : demandez à la personne responsable du SPASER de vous y affecter.")
                return None
            return person.directorate_code
        if requested:
            if await directorates.get_by_code(requested) is None:
                await say(call, f"La direction « {requested[:32]} » n’existe pas. Tapez « lister les directions ».")
                return None
            return requested
        return ""

    async def show_due(call: CommandCall) -> None:
        today = values.today()
        person = call.person
        if person.role is Role.CONTRIBUTOR:
            directorate = await resolve_directorate(call, "")
            if directorate is None:
                return
            items = await values.due_for_directorate(directorate, today)
            if not items:
                await say(call, f"Rien à renseigner pour la direction {directorate} : tous vos indicateurs sont à jour, chacun pour sa période. Merci !")
                return
            body = [{"type": "TextBlock", "text": due_list_text(directorate, items), "wrap": True}]
            await call.turn_context.send_activity(card_message(adaptive_card(body, update_buttons(None)), "Indicateurs à renseigner"))
            return
        due = await values.directorates_with_due_indicators(today)
        if not due:
            await say(call, "Toutes les directions ont renseigné leurs indicateurs, chacun pour sa période.")
            return
        lines = ["Indicateurs à renseigner, par direction :"]
        for directorate in due:
            codes = ", ".join(f"{code} ({parse_period(period).label})" for code, period in directorate.items)
            lines.append(f"- **{directorate.code}** ({directorate.name}) : {directorate.count} — {codes}")
        lines.append("Pour saisir à la place d’une direction : « mettre à jour les indicateurs de DPB » ou « formulaire des indicateurs DPB ».")
        await say(call, "\n".join(lines))

    async def start_update(call: CommandCall) -> None:
        directorate, period = split_target(words_after(call.text, fold(call.text)[: call.match.start("rest")]))
        options = UpdateIndicatorsOptions(directorate_code=directorate, period_code=period)
        if call.person.role is Role.LEAD and directorate and await directorates.get_by_code(directorate) is None:
            await say(call, f"La direction « {directorate[:32]} » n’existe pas. Tapez « lister les directions ».")
            return
        await call.dialog_context.begin_dialog(UpdateIndicatorsDialog.__name__, options)

    async def start_correction(call: CommandCall) -> None:
        code = call.match.group("code").upper()
        directorate, period = split_target(words_after(call.text, fold(call.text)[: call.match.start("rest")]))
        try:
            indicator = await catalogue.require(code)
            if period:
                parse_period(period, indicator.frequency)
        except DomainError as error:
            await say(call, error.message)
            return
        if call.person.role is Role.LEAD and not directorate:
            if len(indicator.directorates) != 1:
                await say(
                    call,
                    f"{code} est renseigné par plusieurs directions ({', '.join(indicator.directorates)}) : précisez "
                    f"laquelle, par exemple « corriger {code} {indicator.directorates[0]} ».",
                )
                return
            directorate = indicator.directorates[0]
        target = await resolve_directorate(call, directorate)
        if target is None:
            return
        options = UpdateIndicatorsOptions(directorate_code=target, period_code=period, codes=[code], correction=True)
        await call.dialog_context.begin_dialog(UpdateIndicatorsDialog.__name__, options)

    async def send_form(call: CommandCall) -> None:
        requested, period_text = split_target(words_after(call.text, fold(call.text)[: call.match.start("rest")]))
        directorate = await resolve_directorate(call, requested)
        if directorate is None:
            return
        period: Period | None = None
        if period_text:
            if call.person.role is not Role.LEAD:
                await say(call, "Seules les personnes responsables du SPASER peuvent choisir une autre période ; voici celle à renseigner maintenant.")
            else:
                try:
                    period = parse_period(period_text)
                except InvalidPeriod as error:
                    await say(call, error.message)
                    return
        today = values.today()
        if not directorate:
            due = await values.directorates_with_due_indicators(today)
            if not due:
                await say(call, "Toutes les directions ont renseigné leurs indicateurs, chacun pour sa période.")
                return
            body = [{"type": "TextBlock", "text": "Le formulaire de quelle direction ?", "wrap": True}]
            actions = [im_back(f"{d.code} ({d.count})", f"formulaire des indicateurs {d.code}") for d in due[:6]]
            await call.turn_context.send_activity(card_message(adaptive_card(body, actions)))
            if len(due) > 6:
                await say(call, "Autres directions : tapez « formulaire des indicateurs CODE » (par exemple « formulaire des indicateurs " + due[6].code + " »).")
            return
        items = await values.due_for_directorate(directorate, today, period=period)
        if not items:
            when = f" pour {period.label}" if period else ""
            await say(call, f"Rien à renseigner pour la direction {directorate}{when} : tout est à jour. {CORRECTION_HINT}")
            return
        name = (await directorates.get_by_code(directorate)).name
        card = indicator_form_card(card_id=uuid.uuid4().hex, directorate_code=directorate, directorate_name=name, items=items)
        await call.turn_context.send_activity(card_message(card, f"Formulaire des indicateurs {directorate}"))

    async def show_values(call: CommandCall) -> None:
        try:
            scope = scope_for(call.person.role, call.person.directorate_code)
            indicator, latest = await values.latest_values(call.match.group("code"))
        except DomainError as error:
            await say(call, error.message)
            return
        by_directorate = {value.directorate_code: value for value in latest}
        shown_codes = sorted(set(indicator.directorates) | set(by_directorate))
        if scope.is_restricted:
            shown_codes = [code for code in shown_codes if code == scope.directorate]
        latest_label = "Dernière valeur :" if len(shown_codes) == 1 else "Dernières valeurs :"
        lines = [indicator_heading(indicator), latest_label if shown_codes else OTHER_DIRECTORATES_ONLY]
        for code in shown_codes:
            value = by_directorate.get(code)
            if value is None:
                lines.append(f"- {code} : pas encore de valeur")
            elif is_computed(value.source):
                detail = computed_detail(shown(value.comment), value.source)
                lines.append(f"- {ORGANISATION_FROM_DECP} : **{value.shown}** {value.period.in_sentence()} — {detail}")
            else:
                comment = f" — « {shown(value.note)} »" if value.comment else ""
                lines.append(f"- {code} : **{value.shown}** {value.period.in_sentence()}{comment}")
        if not indicator.active:
            lines.append("Cet indicateur est désactivé.")
        await say(call, "\n".join(lines))

    async def show_definition(call: CommandCall) -> None:
        indicator = await catalogue.get(call.match.group("code").upper())
        if indicator is None:
            await say(call, f"Indicateur « {shown(call.match.group('code').upper())} » inconnu. Tapez « catalogue » pour la liste.")
            return
        await say(call, definition_text(indicator))

    async def show_history(call: CommandCall) -> None:
        person = call.person
        rest = _YEARS_ASIDE.sub(" ", words_after(call.text, fold(call.text)[: call.match.start("rest")]))
        requested = split_target(rest)[0]  # « historique d'IND-03 2019-2023 »: all of it, the years are no directorate
        try:
            directorate = scope_for(person.role, person.directorate_code).directorate or requested or None
        except DomainError as error:
            await say(call, error.message)
            return
        try:
            indicator, entries = await values.history(call.match.group("code"), directorate_code=directorate)
        except DomainError as error:
            await say(call, error.message)
            return
        scope = f" pour la direction {directorate}" if directorate else ""
        if not entries:
            await say(call, f"{indicator_heading(indicator)}\nAucune valeur saisie{scope} pour le moment.")
            return
        shown = entries[-MAX_HISTORY_LINES:]
        # Reader 7, C41: « Historique des saisies (4) » was notation; the count in words opens the line.
        count = counted_in_words(len(entries), "saisie", feminine=True)
        order = ", de la plus ancienne à la plus récente" if len(entries) > 1 else ""
        lines = [indicator_heading(indicator), f"{count}{scope}{order} :"]
        if len(entries) > len(shown):
            lines.append(f"(les {len(entries) - len(shown)} plus anciennes ne sont pas affichées)")
        lines += [history_line(value, timezone) for value in shown]
        await say(call, "\n".join(lines))

    return [
        Command(
            "indicators_due",
            (
                r"\bquels? (sont )?(les |mes |nos )?indicateurs\b.{0,60}?\b(renseigner|saisir|remplir|mettre a jour|completer)\b",
                r"\bindicateurs? (a renseigner|a saisir|en attente|restant a (renseigner|saisir)|manquants?)\b",
                r"\b(que|qu'est-ce que) (je )?dois[- ]je (renseigner|saisir|remplir)\b",
                r"\bqu'est-ce qu'il (me )?reste a (renseigner|saisir)\b",
                r"^mes indicateurs$",
            ),
            show_due,
            roles=REPORTERS,
            topic=TOPIC,
            intent="my_due",
            help_line="« quels indicateurs dois-je renseigner ? » : les indicateurs attendus et la période de chacun",
            example="quels indicateurs dois-je renseigner ?",
        ),
        Command(
            "indicators_update",
            (
                r"^(je veux |je voudrais |on )?(mettre a jour|mets a jour|met a jour|maj|saisir|renseigner|remplir|completer|actualiser) "
                r"(mes |les |nos |des )?indicateurs\b(?P<rest>.*)$",
            ),
            start_update,
            roles=REPORTERS,
            topic=TOPIC,
            intent="update_indicators",
            help_line="« mettre à jour mes indicateurs » : saisir les valeurs une par une",
            lead_help="(pour une autre direction : « mettre à jour les indicateurs de DPB pour 2025-T4 »)",
            example="mettre à jour mes indicateurs",
            in_groups=GroupReply.PERSONAL_ONLY,
        ),
        Command(
            "indicators_form",
            (r"^(ouvrir |envoie[rz]?(-moi)? |affiche[rz]? )?(le |un )?(formulaire|fiche de saisie)( de saisie)?( des| mes| les| d')?( indicateurs?)?\b(?P<rest>.*)$",),
            send_form,
            roles=REPORTERS,
            topic=TOPIC,
            help_line="« formulaire des indicateurs » : tous vos indicateurs dans un seul formulaire",
            example="formulaire des indicateurs",
        ),
        Command(
            "indicator_correct",
            (rf"^(corrige[rz]?|rectifie[rz]?) (la valeur (de |du |d')?)?(l'indicateur )?{CODE}\b(?P<rest>.*)$",),
            start_correction,
            roles=REPORTERS,
            topic=TOPIC,
            help_line="« corriger IND-01 » : changer une valeur déjà saisie (l’ancienne reste dans l’historique)",
            in_groups=GroupReply.PERSONAL_ONLY,
        ),
        Command(
            "indicator_values",
            (
                rf"^(quelle est |quelles sont )?(la |les )?(dernieres? )?valeurs? (de |du |d')?(l'indicateur )?{CODE}$",
                rf"^ou en est (l'indicateur )?{CODE}$",
            ),
            show_values,
            roles=REGISTERED,
            topic=TOPIC,
            intent="indicator_value",
            help_line="« valeur d’IND-03 » : les dernières valeurs, par direction",
        ),
        Command(
            "indicator_definition",
            (
                rf"^(la )?(definition|methode de calcul|mode de calcul) (de |du |d')?(l'indicateur )?{CODE}$",
                rf"^comment (est )?(calcule|mesure|defini)e? (l'indicateur )?{CODE}$",
            ),
            show_definition,
            roles=REGISTERED,
            topic=TOPIC,
            intent="indicator_definition",
            help_line="« définition d’IND-03 » : ce qu’il mesure et comment il est calculé",
        ),
        Command(
            "indicator_history",
            (rf"^(l')?historique (des valeurs )?(de |du |d')?(l'indicateur )?{CODE}\b(?P<rest>.*)$",),
            show_history,
            roles=REPORTERS,
            topic=TOPIC,
            intent="indicator_history",
            help_line="« historique d’IND-03 » : qui a saisi quoi et quand, corrections comprises",
        ),
    ]
