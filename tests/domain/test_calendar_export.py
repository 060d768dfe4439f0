from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Event

from domain.clock import FakeClock, SchedulingError
from domain.committees.cadence import CommitteeKind, MeetingStatus
from domain.committees.calendar import CalendarMeeting, calendar_feed_ics, ics_filename, meeting_ics, meeting_uid

PARIS = ZoneInfo("Europe/Paris")
CLOCK = FakeClock(datetime(2026, 1, 5, 8, 0, tzinfo=UTC))
TEAMS_URL = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"


def copil(**changes) -> CalendarMeeting:
    meeting = CalendarMeeting(
        meeting_id=42,
        kind=CommitteeKind.COPIL,
        starts_at=datetime(2026, 4, 2, 10, 0, tzinfo=PARIS),
        location="Salle du conseil, hôtel de ville",
        agenda="1. Bilan des achats responsables\n2. Indicateurs, objectifs; suite",
        teams_url=TEAMS_URL,
    )
    return replace(meeting, **changes)


def only_event(ics: bytes) -> tuple[Calendar, Event]:
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.events
    return calendar, event


def test_single_meeting_round_trips_with_french_texts_and_teams_url():
    calendar, event = only_event(meeting_ics(copil(), CLOCK.now()))
    assert event.uid == "spaser-meeting-42@spaser-bot"
    assert event.summary == "Comité de pilotage du SPASER"
    assert event.location == "Salle du conseil, hôtel de ville"
    assert "Ordre du jour :\n1. Bilan des achats responsables\n2. Indicateurs, objectifs; suite" in event.description
    assert f"Rejoindre la réunion Teams : {TEAMS_URL}" in event.description
    assert event.url == TEAMS_URL
    assert event.status == "CONFIRMED"
    assert event.sequence == 0
    assert event.stamp == CLOCK.now()
    assert calendar["METHOD"] == "PUBLISH"


def test_times_carry_the_paris_tzid_and_a_matching_vtimezone():
    ics = meeting_ics(copil(), CLOCK.now())
    calendar, event = only_event(ics)
    assert b"DTSTART;TZID=Europe/Paris:20260402T100000" in ics
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.start == datetime(2026, 4, 2, 10, 0, tzinfo=PARIS)
    assert event.end == datetime(2026, 4, 2, 12, 0, tzinfo=PARIS)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Paris"]
    assert calendar.get_missing_tzids() == set()


def test_winter_and_summer_meetings_keep_their_local_hour():
    winter = copil(meeting_id=1, starts_at=datetime(2026, 3, 26, 13, 0, tzinfo=UTC))
    summer = copil(meeting_id=2, starts_at=datetime(2026, 4, 2, 12, 0, tzinfo=UTC))
    calendar = Calendar.from_ical(calendar_feed_ics([summer, winter], CLOCK.now()))
    starts = {str(e.uid): e.start for e in calendar.events}
    assert starts[meeting_uid(1)].hour == 14 and starts[meeting_uid(1)].utcoffset() == timedelta(hours=1)
    assert starts[meeting_uid(2)].hour == 14 and starts[meeting_uid(2)].utcoffset() == timedelta(hours=2)
    assert starts[meeting_uid(1)] == winter.starts_at


def test_reschedule_keeps_the_uid_and_increases_the_sequence():
    _, before = only_event(meeting_ics(copil(), CLOCK.now()))
    moved = copil(starts_at=datetime(2026, 4, 9, 10, 0, tzinfo=PARIS), sequence=1)
    _, after = only_event(meeting_ics(moved, CLOCK.now() + timedelta(days=1)))
    assert after.uid == before.uid
    assert after.sequence == before.sequence + 1
    assert after.start == datetime(2026, 4, 9, 10, 0, tzinfo=PARIS)


def test_cancelled_meeting_is_marked_cancelled_and_free():
    _, event = only_event(meeting_ics(copil(status=MeetingStatus.CANCELLED, sequence=2), CLOCK.now()))
    assert event.status == "CANCELLED"
    assert event.summary == "Annulé : Comité de pilotage du SPASER"
    assert event.description.startswith("Cette réunion est annulée.")
    assert event["TRANSP"] == "TRANSPARENT"
    assert event.uid == meeting_uid(42)
    assert event.sequence == 2


def test_meeting_without_place_shows_teams_and_explicit_end_is_kept():
    meeting = copil(location=None, ends_at=datetime(2026, 4, 2, 11, 30, tzinfo=PARIS), title="COPIL SPASER 2026")
    _, event = only_event(meeting_ics(meeting, CLOCK.now()))
    assert event.location == "Réunion Microsoft Teams"
    assert event.end == datetime(2026, 4, 2, 11, 30, tzinfo=PARIS)
    assert event.summary == "COPIL SPASER 2026"


def test_feed_holds_every_meeting_once_with_its_own_uid_and_a_refresh_hint():
    meetings = [
        copil(),
        copil(meeting_id=43, kind=CommitteeKind.COTECH, starts_at=datetime(2026, 3, 12, 14, 0, tzinfo=PARIS)),
        copil(meeting_id=44, kind="cotech", starts_at=datetime(2026, 6, 11, 14, 0, tzinfo=PARIS), status="cancelled"),
    ]
    ics = calendar_feed_ics(meetings, CLOCK.now(), name="SPASER – mes comités", feed_id="person-7")
    calendar = Calendar.from_ical(ics)
    assert [str(e.uid) for e in calendar.events] == [meeting_uid(43), meeting_uid(42), meeting_uid(44)]
    assert [e.summary for e in calendar.events] == [
        "Comité technique du SPASER",
        "Comité de pilotage du SPASER",
        "Annulé : Comité technique du SPASER",
    ]
    assert calendar.calendar_name == "SPASER – mes comités"
    assert calendar["X-PUBLISHED-TTL"] == "PT1H"
    assert calendar.refresh_interval == timedelta(hours=1)
    assert calendar.uid == "spaser-feed-person-7@spaser-bot"
    assert len(calendar.timezones) == 1


def test_same_input_gives_byte_identical_output():
    meetings = [copil(), copil(meeting_id=43, starts_at=datetime(2026, 10, 1, 10, 0, tzinfo=PARIS))]
    assert calendar_feed_ics(meetings, CLOCK.now()) == calendar_feed_ics(list(reversed(meetings)), CLOCK.now())
    assert meeting_ics(copil(), CLOCK.now()) == meeting_ics(copil(), CLOCK.now())


def test_empty_feed_is_a_valid_calendar():
    calendar = Calendar.from_ical(calendar_feed_ics([], CLOCK.now()))
    assert calendar.events == []


def test_uid_domain_is_configurable_and_filename_names_kind_and_day():
    _, event = only_event(meeting_ics(copil(), CLOCK.now(), uid_domain="spaser.example.fr"))
    assert event.uid == "spaser-meeting-42@spaser.example.fr"
    assert ics_filename(copil()) == "copil-2026-04-02.ics"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"starts_at": datetime(2026, 4, 2, 10, 0)}, "fuseau horaire"),
        ({"ends_at": datetime(2026, 4, 2, 9, 0, tzinfo=PARIS)}, "La fin de la réunion doit être après son début"),
        ({"teams_url": "http://teams.example/x"}, "doit commencer par https://"),
        ({"sequence": -1}, "Numéro de version de la réunion invalide"),
        ({"kind": "comex"}, "Type de comité inconnu"),
        ({"status": "reporté"}, "Statut de réunion inconnu"),
    ],
)
def test_bad_meetings_are_refused_in_french(changes, message):
    with pytest.raises(SchedulingError, match=message):
        copil(**changes)


def test_naive_stamp_is_refused_in_french():
    with pytest.raises(SchedulingError, match="fuseau horaire"):
        meeting_ics(copil(), datetime(2026, 1, 5, 8, 0))
