"""Committee commands: plan, move, cancel, the year plan and the cadence (lead); the next meeting
and the calendar feed (everyone); committee members (lead).

Meeting commands name committees by their words (COPIL, comité technique…) so they never catch
the set-up commands (« ajouter une direction », « affecter une personne »); adding a member is
« inviter … au COPIL » for the same reason.
"""

from __future__ import annotations

import re

from bot.commands.people import EMAIL_IN_TEXT
from bot.router import LEAD_ONLY, REGISTERED, Command, CommandCall, GroupReply
from dialogs.cards import card_message
from dialogs.committees.cancel_meeting_dialog import CancelMeetingDialog, CancelMeetingOptions
from dialogs.committees.meeting_when import kind_in, meeting_number_in, names_the_next_one, without_meeting_number
from dialogs.committees.plan_meeting_dialog import PlanMeetingDialog, PlanMeetingOptions
from dialogs.committees.reschedule_meeting_dialog import RescheduleMeetingDialog, RescheduleMeetingOptions
from dialogs.committees.year_plan_dialog import YearPlanDialog
from domain.clock import load_timezone
from domain.committees.cadence import CommitteeKind
from domain.committees.calendar import CalendarLinks
from domain.committees.listing import year_in
from domain.committees.meeting_dates import MeetingDateReader
from domain.committees.messages import (
    KIND_NAMES,
    cadence_lines,
    meeting_card,
    meetings_list_card,
    meetings_list_title,
    no_meeting_text,
    none_of_hers_text,
)
from domain.errors import DomainError
from domain.summary.attention import counted_by
from domain.text import fold
from storage.committees.service import CommitteeService
from storage.people import PeopleRepository
from storage.summary.service import SummaryService

TOPIC = "Comités"
MAX_LISTED = 30

COMMITTEE = r"(copil|cotech|comite|comites|reunion|seance|pilotage|technique)"
TEAMS_LINK = r"https://\S+"
NOT_AS_A_DEADLINE = "".join(
    rf"(?<!{before} )" for before in ("pour le", "pour la", "avant le", "avant la", "lors du", "lors de la", "d'ici le", "d'ici la", "en vue du", "en vue de la")
)
"""« un sommaire pour la prochaine séance »: the committee is when the request is for, not what is asked."""


def _options_from_sentence(dates: MeetingDateReader, text: str) -> PlanMeetingOptions:
    """What the one-sentence request already says: committee, date and/or hour, Teams link."""
    options = PlanMeetingOptions()
    kind = kind_in(text)
    options.kind = kind.value if kind else ""
    link = re.search(TEAMS_LINK, text)
    if link:
        options.teams_url = link.group(0)
        text = text.replace(link.group(0), " ")
    resolved = dates.read(text)
    if resolved is not None:
        options.day = resolved.day.isoformat() if resolved.day else ""
        options.at = resolved.time.strftime("%H:%M") if resolved.time else ""
        options.starts_at = resolved.starts_at.isoformat() if resolved.starts_at else ""
    return options


WHICH_COMMITTEE = "Précisez le comité : « COPIL » (comité de pilotage) ou « comité technique »."


def build_commands(
    service: CommitteeService,
    dates: MeetingDateReader,
    people: PeopleRepository,
    links: CalendarLinks,
    tz: str,
    summaries: SummaryService,
) -> list[Command]:
    async def plan_meeting(call: CommandCall) -> None:
        try:
            options = _options_from_sentence(dates, call.text)
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        await call.dialog_context.begin_dialog(PlanMeetingDialog.__name__, options)

    async def year_plan(call: CommandCall) -> None:
        await call.dialog_context.begin_dialog(YearPlanDialog.__name__, {})

    async def reschedule(call: CommandCall) -> None:
        kind = kind_in(call.text)
        options = RescheduleMeetingOptions(
            meeting_id=meeting_number_in(call.text) or 0, kind=kind.value if kind else "", next_only=names_the_next_one(call.text)
        )
        try:
            mentions = dates.mentions(without_meeting_number(call.text))
            resolved = dates.resolve(mentions[-1]) if mentions else None
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        if resolved is not None:
            options.day = resolved.day.isoformat() if resolved.day else ""
            options.at = resolved.time.strftime("%H:%M") if resolved.time else ""
            options.starts_at = resolved.starts_at.isoformat() if resolved.starts_at else ""
        await call.dialog_context.begin_dialog(RescheduleMeetingDialog.__name__, options)

    async def cancel(call: CommandCall) -> None:
        kind = kind_in(call.text)
        options = CancelMeetingOptions(
            meeting_id=meeting_number_in(call.text) or 0, kind=kind.value if kind else "", next_only=names_the_next_one(call.text)
        )
        await call.dialog_context.begin_dialog(CancelMeetingDialog.__name__, options)

    async def next_meeting(call: CommandCall) -> None:
        """« prochain comité » without a kind: the next one of the committees the person belongs to."""
        kind = kind_in(call.text)
        upcoming = await service.upcoming(kind, limit=1)
        if kind is None and call.person is not None and upcoming:
            hers = await service.kinds_of(call.person)
            if hers and upcoming[0].kind not in hers:
                first = upcoming[0]
                upcoming = [m for m in await service.upcoming(None, limit=200) if m.kind in hers][:1]
                if not upcoming:
                    await call.turn_context.send_activity(none_of_hers_text(first, tz))
                    return
        if not upcoming:
            await call.turn_context.send_activity(no_meeting_text(kind))
            return
        meeting = upcoming[0]
        calendar_url = None
        if call.person is not None and call.person.role is not None:
            token = await service.repository.calendar_token(call.person.id)
            calendar_url = links.meeting_url(token, meeting.id)
        card = meeting_card(meeting, tz, title=f"Prochain {meeting.label.lower()}", calendar_url=calendar_url)
        await call.turn_context.send_activity(card_message(card, f"Prochain {meeting.label.lower()}"))

    async def list_meetings(call: CommandCall) -> None:
        """The meetings ahead in the person's scope (the lead: all; others: the committees they are
        reminded of), of the kind and the year named if any."""
        kind = kind_in(call.text)
        year = year_in(fold(call.text), service.today().year)
        zone = load_timezone(tz)
        ahead = [m for m in await service.upcoming(kind, limit=500) if year is None or m.starts_at.astimezone(zone).year == year]
        scoped = kind is None and call.person is not None and not call.person.is_lead
        hers = await service.kinds_of(call.person) if scoped else list(CommitteeKind)
        shown_meetings = [m for m in ahead if m.kind in hers][:MAX_LISTED]
        if not shown_meetings:
            if ahead and scoped:
                await call.turn_context.send_activity(none_of_hers_text(ahead[0], tz))
            else:
                await call.turn_context.send_activity(no_meeting_text(kind, year))
            return
        title = meetings_list_title(kind, year, scoped)
        await call.turn_context.send_activity(card_message(meetings_list_card(shown_meetings, tz, title), title))

    async def check_cadence(call: CommandCall) -> None:
        types = await service.types()
        warnings = await service.cadence_warnings()
        try:
            counted = counted_by(await summaries.for_person(call.person))
        except DomainError:
            counted = {}
        await call.turn_context.send_activity(
            "**Cadence des comités** (12 derniers mois et 12 prochains mois)\n\n"
            + "\n\n".join(cadence_lines(types, warnings, counted))
        )

    async def set_cadence(call: CommandCall) -> None:
        kind = kind_in(call.text)
        if kind is None:
            await call.turn_context.send_activity(WHICH_COMMITTEE)
            return
        low, high = int(call.match.group("low")), int(call.match.group("high"))
        try:
            updated = await service.repository.set_range(kind, low, high)
        except DomainError as error:
            await call.turn_context.send_activity(error.message)
            return
        await call.turn_context.send_activity(
            f"Cadence enregistrée : {updated.label.lower()}, {updated.recommended_range_fr()}."
        )

    async def calendar_link(call: CommandCall) -> None:
        rotate = "nouveau" in call.text.lower()
        token = await service.repository.calendar_token(call.person.id, rotate=rotate)
        prefix = "Votre nouveau lien (l’ancien ne fonctionne plus)" if rotate else "Votre agenda des comités SPASER"
        await call.turn_context.send_activity(
            f"{prefix} : {links.feed_url(token)}\n\nDans Outlook : *Ajouter un calendrier* → *À partir d’Internet*, "
            "puis collez ce lien. Il est personnel : ne le partagez pas (« nouveau lien d’agenda » en crée un autre)."
        )

    async def members(call: CommandCall) -> None:
        kind = kind_in(call.text)
        if kind is None:
            await call.turn_context.send_activity(WHICH_COMMITTEE)
            return
        rows, recipients = await service.members(kind)
        names = ", ".join(r.label for r in recipients) or "personne"
        if rows:
            text = f"Membres du {KIND_NAMES[kind]} : {names}."
        else:
            text = (
                f"Aucun membre n’est inscrit au {KIND_NAMES[kind]} : les rappels vont par défaut "
                f"{'aux élu·es et directeur·rices' if kind is CommitteeKind.COPIL else 'aux contributeur·rices des directions'} "
                f"et à la personne responsable du SPASER ({names}). Tapez « inviter marie.curie@ville.fr au {KIND_NAMES[kind]} »."
            )
        await call.turn_context.send_activity(text)

    async def invite(call: CommandCall) -> None:
        kind = kind_in(call.text)
        if kind is None:
            await call.turn_context.send_activity(WHICH_COMMITTEE)
            return
        emails = EMAIL_IN_TEXT.findall(call.text)
        added, unknown = [], []
        for email in emails:
            person = await people.get_by_email(email.strip("<>,;."))
            if person is None:
                unknown.append(email)
            elif await service.repository.add_person_member(kind, person.id, person.name):
                added.append(person.name or email)
        parts = []
        if added:
            parts.append(f"Inscrit·es au {KIND_NAMES[kind]} : {', '.join(added)}.")
        if unknown:
            parts.append(f"Inconnu·es : {', '.join(unknown)} — enregistrez-les d’abord (« affecter {unknown[0]} élu·e »).")
        if not parts:
            parts.append("Ces personnes étaient déjà membres." if emails else "Donnez une adresse e-mail : « inviter marie.curie@ville.fr au COPIL ».")
        await call.turn_context.send_activity(" ".join(parts))

    async def remove_member(call: CommandCall) -> None:
        kind = kind_in(call.text)
        if kind is None:
            await call.turn_context.send_activity(WHICH_COMMITTEE)
            return
        removed = []
        for email in EMAIL_IN_TEXT.findall(call.text):
            person = await people.get_by_email(email.strip("<>,;."))
            if person is not None and await service.repository.remove_person_member(kind, person.id):
                removed.append(person.name or email)
        await call.turn_context.send_activity(
            f"Retiré·es du {KIND_NAMES[kind]} : {', '.join(removed)}." if removed else "Personne n’a été retiré."
        )

    async def subscribe_channel(call: CommandCall) -> None:
        activity = call.turn_context.activity
        if (activity.conversation.conversation_type or "personal") == "personal":
            await call.turn_context.send_activity(
                "Tapez cette commande dans le canal d’équipe qui doit recevoir les rappels (en mentionnant l’assistant)."
            )
            return
        kind = kind_in(call.text)
        if kind is None:
            await call.turn_context.send_activity(WHICH_COMMITTEE)
            return
        label = (activity.conversation.name or "canal Teams")[:200]
        added = await service.repository.add_conversation_member(kind, activity.conversation.id, label)
        await call.turn_context.send_activity(
            f"Ce canal recevra les rappels du {KIND_NAMES[kind]}." if added else "Ce canal était déjà inscrit."
        )

    return [
        Command(
            "year_plan",
            (
                r"\b(propose[rz]?|prepare[rz]?|genere[rz]?) (moi )?(un |le |une )?(calendrier|planning|plan annuel|annee)\b",
                r"\bplanifie[rz]? (l'annee|l'annee des comites|les comites de l'annee|une annee)\b",
            ),
            year_plan,
            roles=LEAD_ONLY,
            help_line="« proposer un calendrier » : une année de comités, chacun à sa cadence",
            topic=TOPIC,
            example="proposer un calendrier",
            in_groups=GroupReply.HERE,
        ),
        Command(
            "plan_meeting",
            (rf"^(planifie[rz]?|programme[rz]?|organise[rz]?|prevoi[rst]|convoque[rz]?|fixe[rz]?) (un |une |le |la |l')?(nouveau |nouvelle |prochain |prochaine )?{COMMITTEE}\b",),
            plan_meeting,
            roles=LEAD_ONLY,
            help_line="« planifier un COPIL le 12 mars à 14 h » : planifier un comité",
            topic=TOPIC,
            example="planifier un comité",
            in_groups=GroupReply.HERE,
        ),
        Command(
            "reschedule_meeting",
            (rf"^(deplace[rz]?|reporte[rz]?|decale[rz]?|avance[rz]?|change[rz]? la date d[ue]) (le |la |l'|un |une )?(prochain |prochaine )?{COMMITTEE}",),
            reschedule,
            roles=LEAD_ONLY,
            help_line="« déplacer le prochain COPIL au 19 mars à 10 h » : changer la date d’un comité (j’en informe ses membres)",
            topic=TOPIC,
            in_groups=GroupReply.HERE,
        ),
        Command(
            "cancel_meeting",
            (rf"^(annule[rz]?|supprime[rz]?) (le |la |l'|un |une )?(prochain |prochaine )?{COMMITTEE}",),
            cancel,
            roles=LEAD_ONLY,
            help_line="« annuler le comité n° 3 » : annuler un comité planifié (j’en informe ses membres)",
            topic=TOPIC,
            in_groups=GroupReply.HERE,
        ),
        Command(
            "next_meeting",
            (
                rf"{NOT_AS_A_DEADLINE}\bprochaine? {COMMITTEE}",  # « les prochains comités »: the list (understanding)
                rf"\bquand (est|a lieu|aura lieu|se tient|se tiendra|se reunit)( le| la)? (prochain(e)? )?{COMMITTEE}",
                r"^prochaine? (reunion|echeance)$",
            ),
            next_meeting,
            roles=REGISTERED,
            intent="next_meeting",
            help_line="« prochain comité » ou « quand est le prochain COPIL ? » : la date, le lieu et l’ordre du jour",
            topic=TOPIC,
            example="prochain comité",
        ),
        Command(
            "list_meetings",
            (r"\b(liste[rz]?|voir|affiche[rz]?|montre[rz]?) (la liste )?(des |les )?(comites|reunions|copil|cotech)\b", r"^(les )?comites( prevus| a venir)?$"),
            list_meetings,
            roles=REGISTERED,
            intent="upcoming_meetings",
            help_line="« lister les comités » : les comités à venir",
            topic=TOPIC,
        ),
        Command(
            "set_cadence",
            (rf"^cadence (du |des |de )?{COMMITTEE}[^0-9]*(?P<low>\d{{1,3}}) ?(a|-) ?(?P<high>\d{{1,3}})",),
            set_cadence,
            roles=LEAD_ONLY,
            help_line="« cadence du COPIL 1 à 2 » : changer le nombre de réunions recommandé par an (ici 1 à 2)",
            topic=TOPIC,
            in_groups=GroupReply.HERE,
        ),
        Command(
            "check_cadence",
            (r"\b(verifie[rz]?|controle[rz]?|voir|quelle est) (la )?cadence\b", r"^cadence( des comites)?$"),
            check_cadence,
            roles=LEAD_ONLY,
            help_line="« vérifier la cadence » : comités trop rares ou trop fréquents",
            topic=TOPIC,
            example="vérifier la cadence",
        ),
        Command(
            "calendar_link",
            (
                # « faut que je bloque mon agenda »: a date is asked, the agenda is only where it goes
                r"(?<!bloque )(?<!bloquer )(?<!bloquez )\b(mon|nouveau) (lien (d'|de |du )?)?(agenda|calendrier)\b",
                r"\blien (d'|de |du )?(mon )?(agenda|calendrier)\b",
                r"\b(s'abonner|abonnement) (a l'|au |a mon )?(agenda|calendrier)\b",
            ),
            calendar_link,
            roles=REGISTERED,
            intent="calendar",
            help_line="« mon agenda » : le lien d’abonnement Outlook aux comités",
            topic=TOPIC,
            example="mon agenda",
        ),
        Command(
            "committee_members",
            (rf"^(les )?membres (du |des |de la )?{COMMITTEE}",),
            members,
            roles=LEAD_ONLY,
            help_line="« membres du COPIL », « inviter marie.curie@ville.fr au COPIL », « retirer marie.curie@ville.fr du COPIL » : qui est convié à un comité",
            topic=TOPIC,
        ),
        Command("invite_member", (rf"^(invite[rz]?) .+ (au|aux|a la) {COMMITTEE}",), invite, roles=LEAD_ONLY, in_groups=GroupReply.HERE),
        Command("remove_member", (rf"^(retire[rz]?|desinscri[rst]e?) .+ (du|des|de la) {COMMITTEE}",), remove_member, roles=LEAD_ONLY, in_groups=GroupReply.HERE),
        Command(
            "subscribe_channel",
            (rf"\b(abonne[rz]?|inscri[rst]e?) ce canal (au|aux|a la) {COMMITTEE}",),
            subscribe_channel,
            roles=LEAD_ONLY,
            in_groups=GroupReply.HERE,
        ),
    ]
