"""The Microsoft 365 tenant, as plain values: Graph settings, the Outlook invitation of a meeting,
the conversation reference of a chat Graph created, and the French words for what Graph answered.

Proactive installation, names from the directory and Outlook invitations are each off unless their
setting is given (see the README's admin guide); the network side is `scheduler/graph.py`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from domain.clock import SchedulingError, format_datetime_fr
from domain.committees.meetings import MeetingView
from domain.outbox import INSTALL_PREFIX, OutboxMessage, SourceKind, parse_windows

DEFAULT_GRAPH_URL = "https://graph.microsoft.com"
DEFAULT_LOGIN_URL = "https://login.microsoftonline.com"
DEFAULT_MEETING_DURATION = timedelta(hours=2)
@dataclass(frozen=True)
class DirectoryEntry:
    """A person as the Microsoft 365 directory knows them."""

    aad_object_id: str
    display_name: str
    email: str | None


@dataclass(frozen=True)
class GraphSettings:
    graph_url: str = DEFAULT_GRAPH_URL
    login_url: str = DEFAULT_LOGIN_URL
    tenant_id: str = ""
    client_id: str = ""
    client_secret: str = ""
    directory_names: bool = False
    """Look people added by e-mail up in the directory (permission User.Read.All)."""
    catalog_app_id: str = ""
    """The app's id in the organisation's catalogue: proactive installation (TeamsAppInstallation.ReadWriteSelfForUser.All)."""
    organiser_mailbox: str = ""
    """The mailbox that organises the committees' Outlook invitations (Calendars.ReadWrite)."""
    service_url: str = ""
    """Teams' connector for references built from a chat id, when no conversation of the tenant is stored."""
    rate: tuple = ((5, 1.0),)
    timeout_seconds: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.tenant_id and self.client_id and self.client_secret)

    @property
    def installs_app(self) -> bool:
        return self.configured and bool(self.catalog_app_id)

    @property
    def sends_invitations(self) -> bool:
        return self.configured and bool(self.organiser_mailbox)

    @property
    def looks_up_names(self) -> bool:
        return self.configured and self.directory_names

    @classmethod
    def from_values(cls, values: Mapping[str, str]) -> "GraphSettings":
        def get(name: str, fallback: str = "") -> str:
            return (values.get(name) or fallback).strip()

        try:
            rate = tuple((w.limit, w.seconds) for w in parse_windows(get("SPASER_GRAPH_RATE", "5/1")))
        except SchedulingError as error:
            raise SchedulingError(f"SPASER_GRAPH_RATE : {error}") from error
        settings = cls(
            graph_url=get("SPASER_GRAPH_URL", DEFAULT_GRAPH_URL).rstrip("/"),
            login_url=get("SPASER_LOGIN_URL", DEFAULT_LOGIN_URL).rstrip("/"),
            tenant_id=get("SPASER_GRAPH_TENANT_ID", values.get("MicrosoftAppTenantId", "")),
            client_id=get("SPASER_GRAPH_CLIENT_ID", values.get("MicrosoftAppId", "")),
            client_secret=get("SPASER_GRAPH_CLIENT_SECRET", values.get("MicrosoftAppPassword", "")),
            directory_names=get("SPASER_GRAPH_NAMES", "off").lower() in {"on", "1", "true", "oui"},
            catalog_app_id=get("SPASER_TEAMS_CATALOG_APP_ID"),
            organiser_mailbox=get("SPASER_OUTLOOK_ORGANISER"),
            service_url=get("SPASER_TEAMS_SERVICE_URL"),
            rate=rate or ((5, 1.0),),
        )
        wanted = settings.directory_names or settings.catalog_app_id or settings.organiser_mailbox
        if wanted and not settings.configured:
            raise SchedulingError(
                "Microsoft Graph est demandé (SPASER_GRAPH_NAMES, SPASER_TEAMS_CATALOG_APP_ID ou "
                "SPASER_OUTLOOK_ORGANISER) mais il manque le locataire, l’identifiant ou le secret de l’application "
                "(SPASER_GRAPH_TENANT_ID, SPASER_GRAPH_CLIENT_ID, SPASER_GRAPH_CLIENT_SECRET, ou à défaut "
                "MicrosoftAppTenantId, MicrosoftAppId, MicrosoftAppPassword)."
            )
        return settings


# --- what Graph answered, in the lead's words -------------------------------------------------

EVENT_REASONS = {
    403: "consentement administrateur manquant pour l’agenda (permission Calendars.ReadWrite ou stratégie "
         "d’accès Exchange qui exclut la boîte organisatrice)",
    404: "boîte aux lettres organisatrice ou invitation introuvable",
}


def install_failure(status: int | None, detail: str) -> str:
    """The `last_error` of a delivery held for an installation that failed (explained by domain/delivery_problems.py)."""
    return f"{INSTALL_PREFIX} {status or 'réseau'}: {detail}"[:500]


def event_failure_notices(kind: str, source_id: str, rows: list, leads: list[tuple[int, str]]) -> list[OutboxMessage]:
    """The lead's notice when a meeting's Outlook invitation could not be brought up to date."""
    row = rows[-1]
    code = (row.last_error or "").split(":", 1)[0].strip()
    reason = EVENT_REASONS.get(int(code)) if code.isdigit() else None
    subject = row.text.removeprefix("Invitation Outlook : ")
    subject = subject[:1].lower() + subject[1:]
    text = (
        f"L’invitation Outlook du {subject} n’a pas pu être créée ou modifiée : "
        f"{reason or 'erreur de Microsoft Graph (' + (row.last_error or 'inconnue')[:120] + ')'}. "
        "Les membres reçoivent bien les messages de l’assistant ; vérifiez le réglage Outlook de l’assistant."
    )
    return [
        OutboxMessage(
            key=f"lead-notice:{kind}:{source_id}:{rows[0].id}-{row.id}:person-{lead_id}",
            source_kind=SourceKind.LEAD_NOTICE,
            source_id=f"{kind}:{source_id}",
            text=text,
            person_id=lead_id,
            recipient_label=name,
        )
        for lead_id, name in leads
    ]


# --- the Outlook invitation of a meeting -------------------------------------------------------

def event_subject(meeting: MeetingView, timezone: str) -> str:
    return f"{meeting.label} du SPASER — {format_datetime_fr(meeting.starts_at, timezone)}"


def event_body(meeting: MeetingView, attendees: Sequence[str], transaction_id: str | None = None) -> dict[str, Any]:
    """The Graph event of a planned meeting (create and update send the same body)."""
    starts = meeting.starts_at
    ends = meeting.ends_at or starts + DEFAULT_MEETING_DURATION
    agenda = html.escape(meeting.agenda or "à venir").replace("\n", "<br>")
    body: dict[str, Any] = {
        "subject": f"{meeting.label} du SPASER",
        "body": {
            "contentType": "HTML",
            "content": f"<p>Ordre du jour : {agenda}</p><p>Invitation envoyée par l’assistant du SPASER.</p>",
        },
        "start": {"dateTime": _utc(starts), "timeZone": "UTC"},
        "end": {"dateTime": _utc(ends), "timeZone": "UTC"},
        "attendees": [{"emailAddress": {"address": address}, "type": "required"} for address in attendees],
        "isOnlineMeeting": True,
        "onlineMeetingProvider": "teamsForBusiness",
        "allowNewTimeProposals": False,
    }
    if meeting.location:
        body["location"] = {"displayName": meeting.location}
    if transaction_id:
        body["transactionId"] = transaction_id
    return body


def event_comment(meeting: MeetingView, timezone: str) -> str:
    return f"Le {meeting.label.lower()} du {format_datetime_fr(meeting.starts_at, timezone)} est annulé."


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


# --- a conversation reference for the chat an installation created ----------------------------

def chat_reference(
    chat_id: str, *, tenant_id: str, aad_object_id: str, bot_id: str, service_url: str
) -> dict[str, Any]:
    """What `continue_conversation` needs to post in the personal chat Graph reported."""
    return {
        "activityId": None,
        "user": {"id": "", "aadObjectId": aad_object_id},
        "bot": {"id": f"28:{bot_id}" if bot_id and not bot_id.startswith("28:") else bot_id, "name": "Assistant SPASER"},
        "conversation": {"id": chat_id, "conversationType": "personal", "tenantId": tenant_id, "isGroup": False},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


class PeopleDirectory(Protocol):
    """Looks a person up by e-mail/UPN in the organisation's directory (Microsoft Graph)."""

    async def find_person(self, email: str) -> DirectoryEntry | None: ...
