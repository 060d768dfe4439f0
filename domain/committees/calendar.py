""".ics export of committee meetings, one at a time or as a subscribable feed.

Outlook matches events by UID: the UID is derived only from the meeting id so a rescheduled or
cancelled meeting replaces the one already in the calendar, and SEQUENCE (the number of times the
meeting was moved) tells which version is newer. Times carry TZID=Europe/Paris with its VTIMEZONE
so clients do not have to guess the rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import STATUS, TRANSP, Calendar, Event, vDuration

from domain.clock import DEFAULT_TIMEZONE, SchedulingError, load_timezone, require_aware, to_utc
from domain.committees.cadence import (
    CommitteeKind,
    MeetingStatus,
    default_committee_types,
    parse_committee_kind,
    parse_meeting_status,
)

DEFAULT_DURATION = timedelta(hours=2)
DEFAULT_UID_DOMAIN = "spaser-bot"
PRODUCT_ID = "-//SPASER//Assistant Teams SPASER//FR"
FEED_REFRESH = timedelta(hours=1)


@dataclass(frozen=True)
class CalendarMeeting:
    """What a calendar needs about a meeting; `sequence` grows by one at each reschedule."""

    meeting_id: int | str
    kind: CommitteeKind
    starts_at: datetime
    ends_at: datetime | None = None
    title: str | None = None
    location: str | None = None
    agenda: str | None = None
    teams_url: str | None = None
    status: MeetingStatus = MeetingStatus.PLANNED
    sequence: int = 0
    last_modified: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", parse_committee_kind(self.kind))
        object.__setattr__(self, "status", parse_meeting_status(self.status))
        require_aware(self.starts_at, "début de la réunion")
        if self.ends_at is not None and require_aware(self.ends_at, "fin de la réunion") <= self.starts_at:
            raise SchedulingError("La fin de la réunion doit être après son début.")
        if isinstance(self.sequence, bool) or not isinstance(self.sequence, int) or self.sequence < 0:
            raise SchedulingError(f"Numéro de version de la réunion invalide : « {self.sequence} ».")
        if self.teams_url is not None and not self.teams_url.startswith("https://"):
            raise SchedulingError(f"Le lien Teams doit commencer par https:// (reçu : « {self.teams_url} »).")
        if self.last_modified is not None:
            require_aware(self.last_modified, "date de dernière modification")

    @property
    def effective_end(self) -> datetime:
        return self.ends_at if self.ends_at is not None else self.starts_at + DEFAULT_DURATION

    @property
    def summary(self) -> str:
        title = self.title or f"{default_committee_types()[self.kind].label} du SPASER"
        return f"Annulé : {title}" if self.status is MeetingStatus.CANCELLED else title


def meeting_uid(meeting_id: int | str, domain: str = DEFAULT_UID_DOMAIN) -> str:
    """Never change `domain` once calendars have subscribed: every event would be duplicated."""
    return f"spaser-meeting-{meeting_id}@{domain}"


def ics_filename(meeting: CalendarMeeting, tz: ZoneInfo | str = DEFAULT_TIMEZONE) -> str:
    local_day = meeting.starts_at.astimezone(load_timezone(tz)).date()
    return f"{meeting.kind.value}-{local_day.isoformat()}.ics"


def _description(meeting: CalendarMeeting) -> str:
    parts: list[str] = []
    if meeting.status is MeetingStatus.CANCELLED:
        parts.append("Cette réunion est annulée.")
    if meeting.agenda:
        parts.append(f"Ordre du jour :\n{meeting.agenda.strip()}")
    if meeting.teams_url:
        parts.append(f"Rejoindre la réunion Teams : {meeting.teams_url}")
    return "\n\n".join(parts)


def build_event(
    meeting: CalendarMeeting,
    stamp: datetime,
    tz: ZoneInfo | str = DEFAULT_TIMEZONE,
    uid_domain: str = DEFAULT_UID_DOMAIN,
) -> Event:
    """One VEVENT; `stamp` (DTSTAMP) is when the file is produced, from the injected clock."""
    zone = load_timezone(tz)
    stamp_utc = to_utc(stamp, "date de production du calendrier")
    cancelled = meeting.status is MeetingStatus.CANCELLED
    location = meeting.location or ("Réunion Microsoft Teams" if meeting.teams_url else None)
    return Event.new(
        uid=meeting_uid(meeting.meeting_id, uid_domain),
        start=meeting.starts_at.astimezone(zone),
        end=meeting.effective_end.astimezone(zone),
        summary=meeting.summary,
        location=location,
        description=_description(meeting) or None,
        url=meeting.teams_url,
        sequence=meeting.sequence,
        status=STATUS.CANCELLED if cancelled else STATUS.CONFIRMED,
        transparency=TRANSP.TRANSPARENT if cancelled else TRANSP.OPAQUE,
        stamp=stamp_utc,
        last_modified=to_utc(meeting.last_modified) if meeting.last_modified else stamp_utc,
    )


def _calendar(events: list[Event], meetings: list[CalendarMeeting], uid: str, name: str | None) -> bytes:
    calendar = Calendar.new(
        prodid=PRODUCT_ID,
        method="PUBLISH",
        uid=uid,
        name=name,
        refresh_interval=FEED_REFRESH if name else None,
        subcomponents=events,
    )
    if name:
        calendar.add("X-PUBLISHED-TTL", vDuration(FEED_REFRESH).to_ical().decode())
    if meetings:
        # Whole years around the meetings keep the VTIMEZONE short yet starting in winter time.
        first = date(min(m.starts_at for m in meetings).year - 1, 1, 1)
        last = date(max(m.effective_end for m in meetings).year + 2, 1, 1)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def meeting_ics(
    meeting: CalendarMeeting,
    stamp: datetime,
    tz: ZoneInfo | str = DEFAULT_TIMEZONE,
    uid_domain: str = DEFAULT_UID_DOMAIN,
) -> bytes:
    """A one-event .ics to download or attach; opening it again after a change updates the event."""
    event = build_event(meeting, stamp, tz, uid_domain)
    return _calendar([event], [meeting], f"spaser-meeting-{meeting.meeting_id}-calendar@{uid_domain}", None)


def calendar_feed_ics(
    meetings: Iterable[CalendarMeeting],
    stamp: datetime,
    tz: ZoneInfo | str = DEFAULT_TIMEZONE,
    name: str = "SPASER – comités",
    feed_id: str = "all",
    uid_domain: str = DEFAULT_UID_DOMAIN,
) -> bytes:
    """A whole calendar for a subscription URL; cancelled meetings stay in it, marked cancelled,
    so subscribed clients replace the event instead of keeping a stale copy."""
    ordered = sorted(meetings, key=lambda m: (to_utc(m.starts_at), str(m.meeting_id)))
    events = [build_event(meeting, stamp, tz, uid_domain) for meeting in ordered]
    return _calendar(events, ordered, f"spaser-feed-{feed_id}@{uid_domain}", name)


class CalendarLinks:
    """The URLs of a person's calendar feed and of one meeting's .ics (served by bot/calendar_http.py)."""

    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def feed_url(self, token: str) -> str:
        return f"{self._public_url}/calendar/{token}.ics"

    def meeting_url(self, token: str, meeting_id: int) -> str:
        return f"{self._public_url}/calendar/{token}/meeting-{meeting_id}.ics"
