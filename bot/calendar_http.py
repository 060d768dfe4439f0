"""Calendar endpoints: a person's subscribable feed and one meeting's .ics, behind a secret token.

GET /calendar/{token}.ics                 the committees the person takes part in (Outlook subscribes)
GET /calendar/{token}/meeting-{id}.ics    one meeting, to open or attach
An unknown token answers 404 (not 401/403: a guessed URL learns nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from domain.committees.calendar import calendar_feed_ics, ics_filename, meeting_ics

if TYPE_CHECKING:
    from bot.committees import CommitteesFeature

CALENDAR_CONTENT_TYPE = "text/calendar"


def _ics(body: bytes, filename: str | None = None) -> web.Response:
    headers = {"Cache-Control": "private, max-age=300"}
    if filename:
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return web.Response(body=body, content_type=CALENDAR_CONTENT_TYPE, charset="utf-8", headers=headers)


def _not_found() -> web.Response:
    return web.Response(status=404, text="Calendrier introuvable.")


async def _person(feature: CommitteesFeature, request: web.Request):
    person_id = await feature.repository.person_for_token(request.match_info["token"])
    return await feature.people.get(person_id) if person_id is not None else None


def feed_handler(feature: CommitteesFeature):
    async def handle(request: web.Request) -> web.Response:
        person = await _person(feature, request)
        if person is None:
            return _not_found()
        meetings = await feature.repository.meetings(await feature.kinds_of(person))
        body = calendar_feed_ics(
            [m.as_calendar() for m in meetings],
            feature.clock.now(),
            feature.settings.timezone,
            feed_id=f"person-{person.id}",
        )
        return _ics(body)

    return handle


def meeting_handler(feature: CommitteesFeature):
    async def handle(request: web.Request) -> web.Response:
        person = await _person(feature, request)
        try:
            meeting_id = int(request.match_info["meeting_id"])
        except ValueError:
            return _not_found()
        meeting = await feature.repository.get_meeting(meeting_id) if person is not None else None
        if meeting is None:
            return _not_found()
        calendar_meeting = meeting.as_calendar()
        body = meeting_ics(calendar_meeting, feature.clock.now(), feature.settings.timezone)
        return _ics(body, ics_filename(calendar_meeting, feature.settings.timezone))

    return handle


def add_calendar_routes(app: web.Application, feature: CommitteesFeature) -> None:
    app.router.add_get("/calendar/{token}.ics", feed_handler(feature))
    app.router.add_get("/calendar/{token}/meeting-{meeting_id}.ics", meeting_handler(feature))
