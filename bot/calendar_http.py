"""Calendar endpoints: a person's subscribable feed and one meeting's .ics, behind a secret token.

GET /calendar/{token}.ics                 the committees the person takes part in (Outlook subscribes)
GET /calendar/{token}/meeting-{id}.ics    one meeting, to open or attach
An unknown token answers 404 (not 401/403: a guessed URL learns nothing).
"""

from __future__ import annotations

from aiohttp import web

from domain.clock import Clock
from domain.committees.calendar import calendar_feed_ics, ics_filename, meeting_ics
from storage.committees.service import CommitteeService
from storage.people import PeopleRepository

CALENDAR_CONTENT_TYPE = "text/calendar"


def _ics(body: bytes, filename: str | None = None) -> web.Response:
    headers = {"Cache-Control": "private, max-age=300"}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return web.Response(body=body, content_type=CALENDAR_CONTENT_TYPE, charset="utf-8", headers=headers)


def _not_found() -> web.Response:
    return web.Response(status=404, text="Calendrier introuvable.")


class CalendarRoutes:
    def __init__(self, committees: CommitteeService, people: PeopleRepository, clock: Clock, timezone: str) -> None:
        self._committees = committees
        self._people = people
        self._clock = clock
        self._timezone = timezone

    async def _person(self, request: web.Request):
        person_id = await self._committees.repository.person_for_token(request.match_info["token"])
        return await self._people.get(person_id) if person_id is not None else None

    async def feed(self, request: web.Request) -> web.Response:
        person = await self._person(request)
        if person is None:
            return _not_found()
        meetings = await self._committees.repository.meetings(await self._committees.kinds_of(person))
        body = calendar_feed_ics(
            [m.as_calendar() for m in meetings], self._clock.now(), self._timezone, feed_id=f"person-{person.id}"
        )
        return _ics(body)

    async def meeting(self, request: web.Request) -> web.Response:
        person = await self._person(request)
        try:
            meeting_id = int(request.match_info["meeting_id"])
        except ValueError:
            return _not_found()
        meeting = await self._committees.repository.get_meeting(meeting_id) if person is not None else None
        if meeting is None:
            return _not_found()
        calendar_meeting = meeting.as_calendar()
        body = meeting_ics(calendar_meeting, self._clock.now(), self._timezone)
        return _ics(body, ics_filename(calendar_meeting, self._timezone))

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/calendar/{token}.ics", self.feed)
        app.router.add_get("/calendar/{token}/meeting-{meeting_id}.ics", self.meeting)
