"""The indicator catalogue by chat: reading it (« catalogue », per axis) and the lead's management
(add, edit a field, deactivate, reactivate, import). Values, due lists and history are
`bot.commands.indicators`."""

from __future__ import annotations

import re
from collections import defaultdict

from bot.commands.indicators import CODE, TOPIC, indicator_heading, words_after
from bot.router import LEAD_ONLY, REGISTERED, Command, CommandCall, GroupReply
from dialogs.indicators.add_indicator_dialog import AddIndicatorDialog, AddIndicatorOptions
from domain.errors import DomainError
from domain.indicators.catalogue import Axis, catalogue_size_warning
from domain.indicators.rules import IndicatorView
from domain.people import Role
from domain.text import agreed, counted, fold, joined, of
from storage.indicators.catalogue import IndicatorCatalogue

CATALOGUE_DETAIL_MAX = 20
"""Past this many active indicators, « catalogue » gives codes per axis, each axis's detail on demand."""
EDITABLE_FIELDS = {
    "libelle": "libelle",
    "intitule": "libelle",
    "nom": "libelle",
    "axe": "axe",
    "unite": "unite",
    "directions": "directions",
    "direction": "directions",
    "frequence": "frequence",
    "valeur de reference": "valeur_reference",
    "valeur_reference": "valeur_reference",
    "reference": "valeur_reference",
    "cible": "cible",
    "annee cible": "annee_cible",
    "annee_cible": "annee_cible",
    "sens": "sens",
    "source": "source",
    "preexistant": "preexistant",
    "actif": "actif",
    "definition": "definition",
    "methode de calcul": "definition",
    "agregation": "agregation",
    "base de ponderation": "base_ponderation",
    "base_ponderation": "base_ponderation",
    "calcul": "calcul",
    "unite_libelle": "unite_libelle",
    "unite libelle": "unite_libelle",
    "libelle unite": "unite_libelle",
    "unite comptee": "unite_libelle",
    "seuil legal": "seuil_legal",
    "seuil_legal": "seuil_legal",
    "minimum legal": "seuil_legal",
    "maximum legal": "seuil_legal",
    "base legale": "base_legale",
    "base_legale": "base_legale",
}
FIELD_PATTERN = "|".join(sorted((re.escape(name) for name in EDITABLE_FIELDS), key=len, reverse=True))
IMPORT_HELP = (
    "Pour importer le catalogue des indicateurs, envoyez-moi le fichier CSV dans cette conversation "
    "(séparateur ; — en-tête : code;libelle;axe;unite;directions;frequence;valeur_reference;cible;annee_cible;"
    "sens;source;preexistant;actif), ou utilisez `spaser-bot import-catalogue FICHIER.csv`. "
    "Pour l’exporter : `spaser-bot export-catalogue FICHIER.csv`. Un import crée ou met à jour les indicateurs "
    "du fichier ; s’il contient une seule erreur, rien n’est importé."
)


def catalogue_line(indicator: IndicatorView) -> str:
    """« IND-03 — Heures d’insertion (clauses sociales) · en heures, fréquence trimestrielle · directions
    DCP et DPB »: the details after a dot, never a second parenthesis after a label that ends with one."""
    return (
        f"- {indicator.code} — {indicator.label} · en {indicator.unit.label}, fréquence {indicator.frequency.value} · "
        f"{agreed(len(indicator.directorates), 'direction', 'directions')} {joined(list(indicator.directorates))}"
    )


def axis_detail(axis: Axis, active: list[IndicatorView]) -> str:
    of_axis = [i for i in active if i.axis is axis]
    if not of_axis:
        return f"Aucun indicateur actif sur l’axe {axis.value}."
    return "\n".join([f"**Axe {axis.value}** ({len(of_axis)})", *(catalogue_line(i) for i in of_axis)])


def directorate_detail(code: str, active: list[IndicatorView]) -> str:
    """The active indicators a directorate reports (« catalogue direction DSI »)."""
    of_directorate = [i for i in active if code in i.directorates]
    if not of_directorate:
        return f"Aucun indicateur actif pour la direction {code}."
    return "\n".join([f"**Direction {code}** ({len(of_directorate)})", *(catalogue_line(i) for i in of_directorate)])


def build_commands(catalogue: IndicatorCatalogue) -> list[Command]:
    async def say(call: CommandCall, text: str) -> None:
        await call.turn_context.send_activity(text)

    async def show_catalogue(call: CommandCall) -> None:
        """The whole catalogue when it is short; past `CATALOGUE_DETAIL_MAX` active indicators, one
        line of codes per axis, each axis's detail on demand (« catalogue axe social »)."""
        is_lead = call.person is not None and call.person.role is Role.LEAD
        indicators = await catalogue.list_indicators(include_inactive=is_lead)
        if not indicators:
            hint = " Importez-le : « importer le catalogue »." if is_lead else ""
            await say(call, "Le catalogue des indicateurs est vide." + hint)
            return
        asked = call.match.groupdict() if call.match else {}
        if asked.get("directorate"):
            await say(call, directorate_detail(asked["directorate"].upper(), [i for i in indicators if i.active]))
            return
        asked_axis = asked.get("axis") or ""
        if asked_axis:
            try:
                axis = Axis.parse(asked_axis.strip())
            except DomainError as error:
                await say(call, error.message)
                return
            await say(call, axis_detail(axis, [i for i in indicators if i.active]))
            return
        active = [i for i in indicators if i.active]
        by_axis: dict[Axis, list[IndicatorView]] = defaultdict(list)
        for indicator in active:
            by_axis[indicator.axis].append(indicator)
        overview = len(active) > CATALOGUE_DETAIL_MAX
        lines = [f"Catalogue : {counted(len(active), 'indicateur actif', 'indicateurs actifs')}."]
        for axis in Axis:
            if not by_axis.get(axis):
                continue
            if overview:
                lines.append(f"**Axe {axis.value}** ({len(by_axis[axis])}) : {', '.join(i.code for i in by_axis[axis])}")
            else:
                lines.append(f"**Axe {axis.value}**")
                lines += [catalogue_line(i) for i in by_axis[axis]]
        if overview:
            example = next(axis for axis in Axis if by_axis.get(axis))
            lines.append(f"Pour le détail d’un axe, tapez « catalogue axe {example.value} » ; pour un indicateur, « définition {of(active[0].code)} ».")
        inactive = [i.code for i in indicators if not i.active]
        if inactive:
            lines.append(f"Désactivés : {', '.join(inactive)}.")
        if is_lead:
            warning = catalogue_size_warning(len(active))
            if warning:
                lines.append(warning)
            lines.append(
                "Gérer : « ajouter un indicateur », « modifier IND-03 cible 25 000 », « désactiver IND-03 », "
                "« importer le catalogue »."
            )
        await say(call, "\n".join(lines))

    async def add_indicator(call: CommandCall) -> None:
        rest = words_after(call.text, fold(call.text)[: call.match.start("rest")]).strip()
        await call.dialog_context.begin_dialog(AddIndicatorDialog.__name__, AddIndicatorOptions(code=rest.split()[0] if rest else ""))

    async def edit_indicator(call: CommandCall) -> None:
        column = EDITABLE_FIELDS[call.match.group("field")]
        value_words = words_after(call.text, fold(call.text)[: call.match.end("field")]).split()
        if value_words and fold(value_words[0]) in {":", "=", "a", "en", "par", "->"}:
            value_words = value_words[1:]
        try:
            indicator = await catalogue.update_field(call.match.group("code").upper(), column, " ".join(value_words))
        except DomainError as error:
            await say(call, f"{error.message}\nRien n’a été modifié.")
            return
        await say(call, f"C’est modifié.\n{indicator_heading(indicator)}\nDirections : {', '.join(indicator.directorates)}.")

    async def set_active(call: CommandCall, active: bool) -> None:
        try:
            indicator = await catalogue.set_active(call.match.group("code").upper(), active)
        except DomainError as error:
            await say(call, error.message)
            return
        if active:
            warning = catalogue_size_warning(await catalogue.active_count())
            await say(call, f"{indicator.code} est réactivé : il sera de nouveau demandé aux directions." + (f"\n{warning}" if warning else ""))
        else:
            await say(
                call,
                f"{indicator.code} est désactivé : il n’est plus demandé aux directions, son historique est conservé. "
                f"« réactiver {indicator.code} » pour revenir en arrière.",
            )

    async def deactivate(call: CommandCall) -> None:
        await set_active(call, False)

    async def reactivate(call: CommandCall) -> None:
        await set_active(call, True)

    async def explain_import(call: CommandCall) -> None:
        await say(call, IMPORT_HELP)

    return [
        Command(
            "indicator_catalogue",
            (
                r"^(le )?catalogue( des indicateurs)?$",
                r"^(le )?catalogue( des indicateurs)?( de)?( l'| l )? ?axe (?P<axis>[a-z' ]{2,40})$",
                r"^(le )?catalogue( des indicateurs)?( de)?( la)? direction (?P<directorate>[a-z0-9]{2,10})$",
                r"\b(liste[rz]?|voir|affiche[rz]?|montre[rz]?)( la liste)?( des| les| du| le)? (indicateurs|catalogue)\b",
                r"^(les |tous les )?indicateurs$",
            ),
            show_catalogue,
            roles=REGISTERED,
            topic=TOPIC,
            intent="catalogue",
            help_line="« catalogue » : les indicateurs suivis, par axe (« catalogue axe social » : le détail d’un axe)",
            example="catalogue",
        ),
        Command(
            "indicator_add",
            (r"^(ajoute[rz]?|cree[rz]?|nouvel) (un )?(nouvel )?indicateur\b(?P<rest>.*)$",),
            add_indicator,
            roles=LEAD_ONLY,
            topic=TOPIC,
            help_line="« ajouter un indicateur » : au catalogue, question par question",
            in_groups=GroupReply.HERE,
        ),
        Command(
            "indicator_edit",
            (rf"^modifie[rz]? (l'indicateur )?{CODE} (?P<field>{FIELD_PATTERN})\b",),
            edit_indicator,
            roles=LEAD_ONLY,
            topic=TOPIC,
            help_line="« modifier IND-03 cible 25 000 » : changer un champ du catalogue",
            in_groups=GroupReply.HERE,
        ),
        Command("indicator_deactivate", (rf"^desactive[rz]? (l'indicateur )?{CODE}$",), deactivate, roles=LEAD_ONLY, topic=TOPIC,
                help_line="« désactiver IND-03 » : ne plus le demander (l’historique est gardé)", in_groups=GroupReply.HERE),
        Command("indicator_reactivate", (rf"^reactive[rz]? (l'indicateur )?{CODE}$",), reactivate, roles=LEAD_ONLY, topic=TOPIC,
                in_groups=GroupReply.HERE),
        Command(
            "indicator_import",
            (
                r"\b(importe[rz]?|charge[rz]?) (le |un |du |mon |notre )?(catalogue|fichier (des )?indicateurs)\b",
                r"\bexporte[rz]? (le )?catalogue\b",
            ),
            explain_import,
            roles=LEAD_ONLY,
            topic=TOPIC,
            help_line="« importer le catalogue » : charger le catalogue depuis un fichier CSV",
            in_groups=GroupReply.HERE,
        ),
    ]
