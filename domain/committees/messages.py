"""French texts and Adaptive Cards of the committees feature (plain dicts, stored in the outbox).

Each function returns (text, card): the text is the notification summary and what the REPL and
the lead's problem reports quote; the card is what Teams shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from domain.cards import card, fact, im_back, open_url
from domain.clock import format_date_fr, format_datetime_fr, load_timezone
from domain.committees.cadence import (
    CadenceWarning,
    CommitteeKind,
    CommitteeType,
    cadence_sentence,
    committee_type_of,
    rhythm_name,
)
from domain.committees.meetings import MeetingView
from domain.committees.reminder_plan import ReminderAudience
from domain.committees.year_plan import MeetingProposal
from domain.text import agreed, counted, joined, shown, sorted_names, upper_first

UPDATE_INDICATORS_COMMAND = "mettre à jour mes indicateurs"
KIND_NAMES = {CommitteeKind.COPIL: "COPIL", CommitteeKind.COTECH: "comité technique"}


def no_meeting_text(kind: CommitteeKind | None = None, year: int | None = None) -> str:
    """« Aucune réunion de comité n’est planifiée pour le moment. »: one wording wherever no meeting is
    ahead (« prochain comité », « lister les comités », « déplacer un comité »), « en 2027 » when a
    year was asked."""
    what = f"de {KIND_NAMES[kind]}" if kind else "de comité"
    when = f" en {year}" if year else ""
    return f"Aucune réunion {what} n’est planifiée{when} pour le moment."


_PLURAL_NAMES = {None: "Comités", CommitteeKind.COPIL: "COPIL", CommitteeKind.COTECH: "Comités techniques"}


def meetings_list_title(kind: CommitteeKind | None, year: int | None, own: bool) -> str:
    """« Comités à venir », « Vos comités prévus en 2027 », « COPIL à venir »: what the list shows;
    `own`, the committees the person is a member of."""
    what = "Vos comités" if own else _PLURAL_NAMES[kind]
    return f"{what} prévus en {year}" if year else f"{what} à venir"


def none_of_hers_text(first: MeetingView, timezone: str) -> str:
    """« prochain comité » asked by a member of committees none of which is planned: say so, and
    still give the next committee (« Prochain comité de pilotage : vendredi 12 mars 2027 à 14 h 00. »)."""
    return (
        "Aucun comité dont vous êtes membre n’est planifié. "
        f"Prochain {first.label.lower()} : {format_datetime_fr(first.starts_at, timezone)}."
    )


def _title(text: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "size": "Medium", "weight": "Bolder", "wrap": True}


def _para(text: str, subtle: bool = False) -> dict[str, Any]:
    block = {"type": "TextBlock", "text": text, "wrap": True}
    if subtle:
        block["isSubtle"] = True
    return block


def meeting_title(meeting: MeetingView, tz: str) -> str:
    return f"{meeting.label} du SPASER, le {format_datetime_fr(meeting.starts_at, tz)}"


def meeting_facts(meeting: MeetingView, tz: str) -> dict[str, Any]:
    facts = [fact("Date", format_datetime_fr(meeting.starts_at, tz))]
    if meeting.location:
        facts.append(fact("Lieu", shown(meeting.location)))
    if meeting.teams_url:
        facts.append(fact("Réunion Teams", f"[rejoindre]({meeting.teams_url})"))
    if not meeting.location and not meeting.teams_url:
        facts.append(fact("Lieu", "à préciser"))
    facts.append(fact("Ordre du jour", shown(meeting.agenda) or "à venir"))
    return {"type": "FactSet", "facts": facts}


def _join_actions(meeting: MeetingView) -> list[dict]:
    return [open_url("Rejoindre la réunion Teams", meeting.teams_url)] if meeting.teams_url else []


def _in_days(days_ahead: int) -> str:
    if days_ahead <= 0:
        return "aujourd’hui"
    if days_ahead == 1:
        return "demain"
    return f"dans {days_ahead} jours"


def member_reminder_title(meeting: MeetingView, days_ahead: int) -> str:
    """« Rappel : comité technique du SPASER demain »: the card's title and the start of the text the
    notification, the lead's reports and the REPL quote, so that they never differ."""
    return f"Rappel : {meeting.label.lower()} du SPASER {_in_days(days_ahead)}"


def member_reminder(
    meeting: MeetingView, days_ahead: int, tz: str, leads: Sequence[str] = (), to_lead: bool = False
) -> tuple[str, dict]:
    """The members' reminder; `leads` are the names of the people responsible for the SPASER, whom a
    member who cannot come tells (a lead is not told to tell themself).

    The card gives the date once, in its facts: the title says when from now (« demain »), the
    sentence what to do (reader 9, C3: the date three times). No « Prochain comité » button: it
    showed the next meeting of any committee, not always this one (reader 9, C2)."""
    title = member_reminder_title(meeting, days_ahead)
    when = format_datetime_fr(meeting.starts_at, tz)
    text = f"{title}, le {when}"
    what = (
        "Vous êtes membre de ce comité : votre présence est attendue. "
        f"Si vous ne pouvez pas venir, prévenez {_whom_to_tell(leads)} avant la réunion."
    )
    body = [_title(title), _para(what), meeting_facts(meeting, tz)]
    if to_lead:
        # A lead gets it whether or not they sit on this committee: titled as the copy it is (reader 7,
        # B13), with exactly the text the members received (reader 10, A8), set apart as a quote:
        # « Vous êtes membre de ce comité… prévenez Alex Wilber » addressed the lead herself (reader 11, A4).
        title = f"Rappel envoyé aux membres du {meeting.label.lower()} (votre copie)"
        text = f"{title} : réunion {_in_days(days_ahead)}, le {when}"
        intro = {**_para("Voici le rappel envoyé aux membres :"), "id": LEAD_COPY_INTRO}
        body = [_title(title), intro, _quoted(body)]
    return text, card(body, _join_actions(meeting))


LEAD_COPY_INTRO = "lead-copy-intro"
"""The id of the copy's first sentence: written when the copy is queued (« Voici le rappel envoyé aux
membres : », true whatever happens), then, when the copy leaves after the members' messages, saying
who received it (`with_members_reached`)."""


def members_reached_text(received: int, others: int) -> str:
    """« Ce rappel a été reçu par 1 des 4 autres membres ; 3 ne l’ont pas reçu. Le voici : »: what
    became of the members' messages, counted (reader 14: « Voici le rappel que les membres ont reçu »
    when most had not). The lead reading it is a member too: the others are counted."""
    missed = others - received
    if others == 0:
        said = "Ce rappel n’a été envoyé qu’à vous."
    elif others == 1:
        said = "L’autre membre a reçu ce rappel." if received else "L’autre membre n’a pas reçu ce rappel."
    elif missed == 0:
        said = f"Les {counted(others, 'autre membre', 'autres membres')} ont reçu ce rappel."
    elif received == 0:
        said = f"Aucun des {counted(others, 'autre membre', 'autres membres')} n’a reçu ce rappel."
    else:
        said = (f"Ce rappel a été reçu par {received} des {counted(others, 'autre membre', 'autres membres')} ; "
                f"{missed} ne {agreed(missed, 'l’a', 'l’ont')} pas reçu.")
    return f"{said} Le voici :"


def with_members_reached(card_content: dict[str, Any], received: int, others: int) -> dict[str, Any]:
    """The lead's copy with its first sentence saying how many of the other members received the
    reminder; a card without that sentence is returned as it is."""
    body = [
        {**block, "text": members_reached_text(received, others)} if block.get("id") == LEAD_COPY_INTRO else block
        for block in card_content.get("body", [])
    ]
    return {**card_content, "body": body}


def _quoted(items: list[dict[str, Any]]) -> dict[str, Any]:
    """A message quoted in a card: its blocks in a shaded container, set apart from what is said to
    the reader."""
    return {"type": "Container", "style": "emphasis", "items": items}


def _next_of_its_kind(meeting: MeetingView) -> dict[str, Any]:
    """« Prochain comité technique »: the next meeting of the committee a notice is about, not of
    any committee (reader 9, C2)."""
    return im_back(f"Prochain {meeting.label.lower()}", f"prochain {KIND_NAMES[meeting.kind]}")


def _whom_to_tell(leads: Sequence[str]) -> str:
    """« Alex Wilber, responsable du SPASER, », « Alex Wilber ou Camille Martin, responsables du
    SPASER, »; « la personne responsable du SPASER » when nobody is named."""
    names = sorted_names(leads)
    if not names:
        return "la personne responsable du SPASER"
    label = "responsable du SPASER" if len(names) == 1 else "responsables du SPASER"
    return f"{joined(names, 'ou')}, {label},"


def data_collection_title(meeting: MeetingView, tz: str) -> str:
    """« Indicateurs SPASER à mettre à jour avant le vendredi 12 mars 2027 »: what to do and by when,
    the card's title and the start of its text."""
    day = format_date_fr(meeting.starts_at.astimezone(load_timezone(tz)).date())
    return f"Indicateurs SPASER à mettre à jour avant le {day}"


def data_collection_reminder(meeting: MeetingView, days_ahead: int, tz: str, directorate: str | None) -> tuple[str, dict]:
    whose = f"de la direction {directorate}" if directorate else "de votre direction"
    title = data_collection_title(meeting, tz)
    text = f"{title}, jour du {meeting.label.lower()}"
    body = [
        _title(title),
        _para(
            f"Le {meeting.label.lower()} se réunit {_in_days(days_ahead)}, le {format_datetime_fr(meeting.starts_at, tz)}. "
            f"Mettez à jour les indicateurs {whose} avant cette date : ils alimentent le bilan présenté en séance."
        ),
        meeting_facts(meeting, tz),
    ]
    return text, card(body, [im_back("Mettre à jour mes indicateurs", UPDATE_INDICATORS_COMMAND)])


def reminder_message(
    audience: ReminderAudience,
    meeting: MeetingView,
    days_ahead: int,
    tz: str,
    directorate: str | None = None,
    leads: Sequence[str] = (),
    to_lead: bool = False,
) -> tuple[str, dict]:
    if audience is ReminderAudience.MEMBERS:
        return member_reminder(meeting, days_ahead, tz, leads, to_lead)
    return data_collection_reminder(meeting, days_ahead, tz, directorate)


def moved_notice(meeting: MeetingView, previous: datetime, tz: str) -> tuple[str, dict]:
    text = (
        f"Changement de date : le {meeting.label.lower()} du {format_datetime_fr(previous, tz)} est déplacé au "
        f"{format_datetime_fr(meeting.starts_at, tz)}"
    )
    body = [
        _title(f"{meeting.label} déplacé"),
        _para(f"Il n’aura pas lieu le {format_datetime_fr(previous, tz)}. Nouvelle date :"),
        meeting_facts(meeting, tz),
    ]
    return text, card(body, [*_join_actions(meeting), _next_of_its_kind(meeting)])


def cancelled_notice(meeting: MeetingView, tz: str) -> tuple[str, dict]:
    text = f"Annulation : le {meeting.label.lower()} du {format_datetime_fr(meeting.starts_at, tz)} n’aura pas lieu"
    body = [
        _title(f"{meeting.label} annulé"),
        _para(f"Le {meeting.label.lower()} prévu le {format_datetime_fr(meeting.starts_at, tz)} est annulé."),
    ]
    return text, card(body, [_next_of_its_kind(meeting)])


def no_recipient_notice(meeting: MeetingView, audience: ReminderAudience, tz: str) -> str:
    who = "membre" if audience is ReminderAudience.MEMBERS else "contributeur·rice de direction"
    return (
        f"Le rappel du {meeting.label.lower()} du {format_datetime_fr(meeting.starts_at, tz)} n’a été envoyé à "
        f"personne : aucun·e {who} n’est enregistré·e. Tapez « membres du {KIND_NAMES[meeting.kind]} » ou "
        "« affecter une personne »."
    )


def meeting_card(
    meeting: MeetingView, tz: str, title: str | None = None, calendar_url: str | None = None, note: str | None = None
) -> dict:
    body = [_title(title or meeting_title(meeting, tz)), meeting_facts(meeting, tz)]
    if note:
        body.append(_para(note, subtle=True))
    actions = _join_actions(meeting)
    if calendar_url:
        actions.append(open_url("Ajouter à mon agenda", calendar_url))
    return card(body, actions)


def meetings_list_card(meetings: Sequence[MeetingView], tz: str, title: str) -> dict:
    body: list[dict] = [_title(title)]
    for meeting in meetings:
        where = f" — {shown(meeting.location)}" if meeting.location else (" — Teams" if meeting.teams_url else "")
        body.append(_para(f"**{upper_first(meeting.numbered)}** · {format_datetime_fr(meeting.starts_at, tz)}{where}"))
    return card(body)


def year_plan_card(proposals: Sequence[MeetingProposal], tz: str, note: str | None = None) -> dict:
    body: list[dict] = [_title("Proposition de calendrier sur 12 mois")]
    if note:
        body.append(_para(note, subtle=True))
    labels = {CommitteeKind.COPIL: "Comité de pilotage", CommitteeKind.COTECH: "Comité technique"}
    for number, proposal in enumerate(proposals, start=1):
        body.append(_para(f"**{number}. {labels[proposal.kind]}** — {format_datetime_fr(proposal.starts_at, tz)}"))
        body.append(_para(proposal.reason, subtle=True))
    body.append(
        _para(
            "Pour changer une date : « modifier 2 le 9 mars à 10 h ». Pour tout enregistrer : « tout accepter ».",
            subtle=True,
        )
    )
    return card(body, [im_back("Tout accepter", "tout accepter"), im_back("Annuler", "annuler")])


def cadence_lines(
    types: Mapping[CommitteeKind, CommitteeType],
    warnings: Sequence[CadenceWarning],
    counted_by: Mapping[CommitteeKind, str] | None = None,
) -> list[str]:
    """One sentence per committee, worded as the summary's cadence alert: ⚠ past and coming 12 months
    together when off, ✅ for a committee of `types` whose cadence is kept. `counted_by`: per
    committee, the clause naming the indicator that counts its meetings (`cadence_sentence`)."""
    counted_by = counted_by or {}
    lines = []
    for kind in CommitteeKind:
        of_kind = [warning for warning in warnings if warning.kind is kind]
        committee_type = types.get(kind) or (committee_type_of(of_kind[0]) if of_kind else None)
        if committee_type is None:
            continue
        counted = counted_by.get(kind)
        alert = cadence_sentence(committee_type, of_kind, counted)
        if alert:
            lines.append(f"⚠ {alert}")
        elif kind in types:
            kept = f"{rhythm_name(committee_type)}, {committee_type.range_with_preposition()}, est respecté"
            if counted:
                lines.append(f"✅ {committee_type.label} : {kept} dans les 12 prochains mois ; {counted}.")
            else:
                lines.append(f"✅ {committee_type.label} : {kept}.")
    return lines
