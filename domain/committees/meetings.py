"""Meetings as the rest of the bot sees them, and the rules of planning them (plain values)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.committees.cadence import (
    CadenceWarning,
    CommitteeKind,
    CommitteeType,
    MeetingRecord,
    MeetingStatus,
    check_cadence,
    default_committee_types,
)
from domain.committees.calendar import CalendarMeeting
from domain.errors import DomainError
from domain.people import Role

MAX_MEETINGS_PER_YEAR = 52
MAX_AGENDA = 4000
MAX_LOCATION = 300
DEFAULT_MEMBER_ROLES = {
    CommitteeKind.COPIL: frozenset({Role.OFFICIAL, Role.LEAD}),
    CommitteeKind.COTECH: frozenset({Role.CONTRIBUTOR, Role.LEAD}),
}
"""Who is reminded when a committee has no registered member: the élu·es (COPIL) or the
directorates (comité technique), and the SPASER lead."""


class ReminderState(StrEnum):
    SCHEDULED = "scheduled"
    FANNED_OUT = "fanned_out"
    SKIPPED = "skipped"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class MeetingView:
    """A meeting as the rest of the bot sees it (detached from the session)."""

    id: int
    kind: CommitteeKind
    starts_at: datetime
    ends_at: datetime | None
    location: str | None
    teams_url: str | None
    agenda: str | None
    status: MeetingStatus
    sequence: int
    updated_at: datetime

    @property
    def label(self) -> str:
        return default_committee_types()[self.kind].label

    @property
    def numbered(self) -> str:
        """« comité technique n° 2 »: the kind with the number people type (« annuler le comité n° 2 »);
        numbers run across kinds, so the kind says which one is meant."""
        return f"{self.label.lower()} n°\u00a0{self.id}"

    def as_calendar(self) -> CalendarMeeting:
        return CalendarMeeting(
            meeting_id=self.id,
            kind=self.kind,
            starts_at=self.starts_at,
            ends_at=self.ends_at,
            location=self.location,
            agenda=self.agenda,
            teams_url=self.teams_url,
            status=self.status,
            sequence=self.sequence,
            last_modified=self.updated_at,
        )

    def as_record(self) -> MeetingRecord:
        return MeetingRecord(starts_at=self.starts_at, status=self.status)


def check_range(min_per_year: int, max_per_year: int) -> None:
    """A committee type's yearly range: 0 ≤ minimum ≤ maximum ≤ MAX_MEETINGS_PER_YEAR."""
    if not (0 <= min_per_year <= max_per_year <= MAX_MEETINGS_PER_YEAR):
        raise DomainError(
            f"Cadence invalide : {min_per_year} à {max_per_year} réunions par an "
            f"(il faut 0 ≤ minimum ≤ maximum ≤ {MAX_MEETINGS_PER_YEAR})."
        )


def check_teams_url(url: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if not url.startswith("https://") or len(url) > 1000 or " " in url:
        raise DomainError("Le lien de la réunion Teams doit commencer par https:// (copiez-le depuis l’invitation Teams).")
    return url


def clean_text(text: str | None, limit: int, label: str) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if len(text) > limit:
        raise DomainError(f"{label} est trop long ({len(text)} caractères, {limit} au plus).")
    return text or None


def cadence_warnings(
    types: Mapping[CommitteeKind, CommitteeType], meetings: Iterable[MeetingView], today: date, timezone: str
) -> list[CadenceWarning]:
    """Committee types below or above their range over the coming and the last 12 months."""
    meetings = list(meetings)
    warnings: list[CadenceWarning] = []
    for kind, committee_type in types.items():
        records = [m.as_record() for m in meetings if m.kind is kind]
        warnings.extend(check_cadence(committee_type, records, today, timezone))
    return warnings
