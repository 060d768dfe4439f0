"""Who receives a reminder or a notice about a meeting: registered members, else the roles the
founding text names; for data reminders, the contributors of the directorates concerned."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection

from domain.committees.cadence import CommitteeKind
from domain.committees.meetings import DEFAULT_MEMBER_ROLES, MeetingView
from domain.committees.reminder_plan import ReminderAudience
from domain.outbox import Recipient
from domain.people import PersonView, Role
from storage.committees.repository import CommitteeRepository
from storage.people import PeopleRepository

DirectoratesConcerned = Callable[[MeetingView], Awaitable[Collection[int] | None]]
"""Seam for the indicators feature: `directorates_with_due_indicators()` returns the ids of the
directorates with indicators still due before the meeting; None means "all directorates"."""


async def all_directorates(_meeting: MeetingView) -> None:
    """Until the indicators feature is wired: every directorate with contributors is concerned."""
    return None


class Audience:
    """Who receives a reminder or a notice about a meeting."""

    def __init__(
        self,
        committees: CommitteeRepository,
        people: PeopleRepository,
        directorates_concerned: DirectoratesConcerned = all_directorates,
    ) -> None:
        self._committees = committees
        self._people = people
        self.directorates_concerned = directorates_concerned

    @staticmethod
    def _person(person: PersonView) -> Recipient:
        return Recipient(
            key=f"person-{person.id}",
            label=person.name or person.email or f"personne n° {person.id}",
            person_id=person.id,
            directorate=person.directorate_code,
        )

    async def members(self, kind: CommitteeKind) -> list[Recipient]:
        """Registered members (people and channels); by default the roles the founding text names."""
        people = {person.id: person for person in await self._people.list()}
        rows = await self._committees.members(kind)
        if not rows:
            roles = DEFAULT_MEMBER_ROLES[kind]
            return [self._person(p) for p in people.values() if p.role in roles]
        recipients = []
        for row in rows:
            if row.person_id is not None and row.person_id in people:
                recipients.append(self._person(people[row.person_id]))
            elif row.conversation_id:
                recipients.append(
                    Recipient(key=f"conversation-{row.id}", label=row.label or "canal Teams", conversation_id=row.conversation_id)
                )
        return recipients

    async def contributors(self, meeting: MeetingView) -> list[Recipient]:
        concerned = await self.directorates_concerned(meeting)
        return [
            self._person(person)
            for person in await self._people.list()
            if person.role is Role.CONTRIBUTOR
            and person.directorate_id is not None
            and (concerned is None or person.directorate_id in concerned)
        ]

    async def for_reminder(self, meeting: MeetingView, audience: ReminderAudience) -> list[Recipient]:
        if audience is ReminderAudience.MEMBERS:
            return await self.members(meeting.kind)
        return await self.contributors(meeting)

    async def leads(self) -> list[Recipient]:
        return [self._person(p) for p in await self._people.list() if p.role is Role.LEAD]
