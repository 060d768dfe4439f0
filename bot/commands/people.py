"""The SPASER lead's set-up commands: directorates, people and roles."""

from __future__ import annotations

import logging
import re

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsInfo

from bot.router import LEAD_ONLY, REGISTERED, Command, CommandCall, GroupReply
from dialogs.people.add_directorate_dialog import AddDirectorateDialog, AddDirectorateOptions
from dialogs.people.assign_role_dialog import ROLE_SYNONYMS, AssignRoleDialog, AssignRoleOptions
from domain.people import Role
from domain.text import directorate_title, joined, shown
from storage.people import DirectorateRepository, PeopleRepository

PERSON_WORDS = r"(personne|utilisateur|utilisatrice|membre|contributeur|contributrice|elue?|directeur|directrice|role)"
MENTION_TAG = re.compile(r"<at>.{0,300}?</at>", re.IGNORECASE)
EMAIL_IN_TEXT = re.compile(r"[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+")
log = logging.getLogger(__name__)
ROLE_WORDS = {word: role for role, words in ROLE_SYNONYMS.items() for word in words}


def original_words_after(original: str, folded_prefix: str) -> str:
    """The part of what was typed that follows the command words, with its case and accents."""
    skip = len(folded_prefix.split())
    return " ".join(original.split()[skip:])


async def mentioned_member(turn_context: TurnContext):
    """The Teams roster entry of the first person @mentioned (not the bot), to assign a role by name."""
    activity = turn_context.activity
    bot_id = activity.recipient.id if activity.recipient else None
    for entity in activity.entities or []:
        if entity.type != "mention":
            continue
        mentioned = (entity.additional_properties or {}).get("mentioned") or getattr(entity, "mentioned", None) or {}
        mentioned_id = mentioned.get("id") if isinstance(mentioned, dict) else getattr(mentioned, "id", None)
        if mentioned_id and mentioned_id != bot_id:
            try:
                return await TeamsInfo.get_member(turn_context, mentioned_id)
            except Exception:  # noqa: BLE001 - not in a Teams conversation with a roster
                log.info("Mentioned member %s not found in the roster", mentioned_id, exc_info=True)
                return None
    return None


NAME_IN_TEXT = re.compile(r"«\s*(?P<quoted>[^»]{1,200}?)\s*»|\bnom\s*:?\s+(?P<after>.{1,200})$", re.IGNORECASE)


def parse_assignment(text: str) -> AssignRoleOptions:
    """`affecter marie@ville.fr contributrice DRH nom Marie Curie` → e-mail, role, directorate and
    name (after « nom », or between « »), when present."""
    options = AssignRoleOptions()
    named = NAME_IN_TEXT.search(text)
    if named:
        options.name = " ".join((named.group("quoted") or named.group("after")).split())
        text = text[: named.start()] + " " + text[named.end():]
    email = EMAIL_IN_TEXT.search(text)
    if email:
        options.email = email.group(0)
        text = text.replace(email.group(0), " ")
    for word in text.split():
        lowered = word.lower().strip(",;.")
        if options.role is None and lowered in ROLE_WORDS:
            options.role = ROLE_WORDS[lowered]
            options.role_word = lowered
        elif options.role is not None and word.isupper() and len(word) <= 32:
            options.directorate_code = word.strip(",;.")
    return options


def build_commands(people: PeopleRepository, directorates: DirectorateRepository) -> list[Command]:
    async def list_people(call: CommandCall) -> None:
        everyone = await people.list()
        if not everyone:
            await call.turn_context.send_activity("Personne n’est encore enregistré.")
            return
        lines = []
        for role in (*Role, None):
            group = [p for p in everyone if p.role is role]
            if not group:
                continue
            title = role.counted_label(len(group)) if role else "sans rôle"
            lines.append(f"**{title[0].upper() + title[1:]}** ({len(group)})")
            for p in group:
                where = f" — {p.directorate_code}" if p.directorate_code else ""
                lines.append(f"- {shown(p.name) or '?'} ({shown(p.email) or 'e-mail inconnu'}){where}")
        await call.turn_context.send_activity("\n".join(lines))

    async def who_is_lead(call: CommandCall) -> None:
        leads = [p for p in await people.list() if p.role is Role.LEAD]
        if not leads:
            await call.turn_context.send_activity("Aucune personne responsable du SPASER n’est encore enregistrée.")
            return
        named = [f"**{shown(p.name) or shown(p.email)}**" + (f" ({shown(p.email)})" if p.name and p.email else "") for p in leads]
        subject = "La personne responsable du SPASER est" if len(leads) == 1 else "Les personnes responsables du SPASER sont"
        await call.turn_context.send_activity(f"{subject} {joined(named)}.")

    async def referents(call: CommandCall) -> None:
        code = (call.match["code"] or "").upper() if call.match and call.match["code"] else None
        code = code or (call.person.directorate_code if call.person else None)
        if not code:
            await call.turn_context.send_activity(
                "De quelle direction parlez-vous ? Par exemple « personnes référentes de la direction DCP »."
            )
            return
        directorate = await directorates.get_by_code(code)
        if directorate is None:
            await call.turn_context.send_activity(f"Je ne connais pas la direction « {shown(code)} » : « lister les directions ».")
            return
        contributors = [p for p in await people.list() if p.role is Role.CONTRIBUTOR and p.directorate_code == code]
        if not contributors:
            await call.turn_context.send_activity(
                f"Personne ne renseigne encore les indicateurs de la direction {code} ({directorate.name})."
            )
            return
        named = [shown(p.name) or shown(p.email) for p in contributors]
        verb = "renseigne" if len(named) == 1 else "renseignent"
        await call.turn_context.send_activity(
            f"Pour la direction **{code}** ({directorate.name}), {joined(named)} {verb} les indicateurs."
        )

    async def list_directorates(call: CommandCall) -> None:
        found = await directorates.list()
        if not found:
            await call.turn_context.send_activity("Aucune direction enregistrée. Tapez « ajouter une direction ».")
            return
        await call.turn_context.send_activity(
            "Directions enregistrées :\n" + "\n".join(f"- {directorate_title(d.code, d.name)}" for d in found)
        )

    async def add_directorate(call: CommandCall) -> None:
        words = original_words_after(call.text, call.match.group("prefix")).split(maxsplit=1)
        options = AddDirectorateOptions(code=words[0] if words else "", name=words[1] if len(words) > 1 else "")
        await call.dialog_context.begin_dialog(AddDirectorateDialog.__name__, options)

    async def assign_role(call: CommandCall) -> None:
        rest = MENTION_TAG.sub(" ", original_words_after(call.text, call.match.group("prefix")))
        options = parse_assignment(rest)
        if not options.email:
            member = await mentioned_member(call.turn_context)
            if member is not None:
                options.email = getattr(member, "user_principal_name", None) or getattr(member, "email", None) or ""
                options.name = getattr(member, "name", None) or ""
        await call.dialog_context.begin_dialog(AssignRoleDialog.__name__, options)

    return [
        Command(
            "who_is_lead",
            (
                r"^(le |la |les )?(personnes? )?responsables? (du )?spaser$",
                r"^(c'?est )?qui (est |sont )?(le |la |les |l')?(ou la )?(personnes? )?responsables? (du |de notre |de la )?"
                r"(spaser|schema|demarche)( chez nous| ici)?( c'?est qui)?$",
            ),
            who_is_lead,
            roles=REGISTERED,
            help_line="« responsable SPASER » : qui pilote le SPASER",
            in_groups=GroupReply.HERE,
            intent="who_is_lead",
        ),
        Command(
            "referents",
            (r"^(les )?(personnes )?referent(e|s|es)? (de (la )?direction (?P<code>[a-z0-9_-]{1,32})|de ma direction)$",),
            referents,
            roles=REGISTERED,
            help_line="« personnes référentes de la direction DCP » : qui y renseigne les indicateurs",
            in_groups=GroupReply.HERE,
            intent="directorate_referent",
        ),
        Command(
            "list_people",
            (r"\b(liste[rz]?|voir|affiche[rz]?|montre[rz]?)( la liste)? (des |les )?(personnes|utilisateurs|membres|roles|contributeurs)\b", r"^qui fait quoi\b"),
            list_people,
            roles=LEAD_ONLY,
            help_line="« lister les personnes » : qui a quel rôle",
            topic="Organisation",
            example="lister les personnes",
        ),
        Command(
            "list_directorates",
            (
                # « liste des directions qui n'ont pas saisi » asks of their state, a data question
                r"\b(liste[rz]?|voir|affiche[rz]?|montre[rz]?)( la liste)? (des |les )?directions\b(?! (qui|dont|en retard|pas|non|sans|a jour))",
                r"^directions$",
            ),
            list_directorates,
            roles=LEAD_ONLY,
            help_line="« lister les directions » : les directions enregistrées, avec leur code",
            topic="Organisation",
            example="lister les directions",
        ),
        Command(
            "add_directorate",
            (r"^(?P<prefix>(ajoute[rz]?|cree[rz]?|enregistre[rz]?|nouvelle) (une )?direction)\b",),
            add_directorate,
            roles=LEAD_ONLY,
            help_line="« ajouter une direction DRH Direction des ressources humaines » : enregistrer une direction (code, puis nom)",
            topic="Organisation",
            example="ajouter une direction",
            in_groups=GroupReply.HERE,
        ),
        Command(
            "assign_role",
            (
                r"^(?P<prefix>(affecte[rz]?|inscri[rst]e?|nomme[rz]?)( (une |un )?" + PERSON_WORDS + r")?"
                r"|(ajoute[rz]?|enregistre[rz]?) (une |un )?" + PERSON_WORDS + r")(\s|$)",
                r"^(?P<prefix>(donne[rz]?|attribue[rz]?) (un |le )?role)\b",
            ),
            assign_role,
            roles=LEAD_ONLY,
            help_line="« affecter marie.curie@ville.fr contributrice DRH nom Marie Curie » : donner un rôle (dans une équipe, "
                      "vous pouvez aussi mentionner la personne avec @ au lieu d’écrire son adresse)",
            topic="Organisation",
            example="affecter une personne",
            in_groups=GroupReply.HERE,
        ),
    ]
