from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.clock import FakeClock, SchedulingError, SystemClock, local_datetime
from domain.committees.reminder_plan import (
    PlannedReminder,
    ReminderAudience,
    ReminderSettings,
    days_until,
    due_reminders,
    plan_reminders,
    reminder_key,
    send_instant,
    should_send,
)

PARIS = ZoneInfo("Europe/Paris")
MEMBERS = ReminderAudience.MEMBERS
DATA = ReminderAudience.DATA_COLLECTION


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def summary(reminders: list[PlannedReminder]) -> list[tuple[ReminderAudience, int]]:
    return [(r.audience, r.offset_days) for r in reminders]


# --- clock -----------------------------------------------------------------------------------


def test_system_clock_gives_aware_utc():
    now = SystemClock().now()
    assert now.tzinfo is UTC


def test_fake_clock_is_set_and_advanced_in_utc():
    clock = FakeClock(paris(2026, 3, 1, 9, 0))
    assert clock.now() == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert clock.advance(timedelta(days=2)) == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    clock.set(datetime(2026, 4, 1, tzinfo=UTC))
    assert clock.now() == datetime(2026, 4, 1, tzinfo=UTC)


def test_fake_clock_refuses_naive_start_and_going_back():
    with pytest.raises(SchedulingError, match="fuseau horaire"):
        FakeClock(datetime(2026, 3, 1, 9, 0))
    with pytest.raises(SchedulingError, match="ne peut pas reculer"):
        FakeClock(paris(2026, 3, 1)).advance(timedelta(seconds=-1))


# --- planning --------------------------------------------------------------------------------


def test_default_plan_is_j28_j10_for_data_and_j7_j1_for_members_at_the_meeting_local_time():
    meeting_at = paris(2026, 6, 18, 14, 0)
    planned = plan_reminders(42, meeting_at, PARIS)
    assert summary(planned) == [(DATA, 28), (DATA, 10), (MEMBERS, 7), (MEMBERS, 1)]
    for reminder in planned:
        local = reminder.send_at.astimezone(PARIS)
        assert local.time() == time(14, 0)
        assert local.date() == date(2026, 6, 18) - timedelta(days=reminder.offset_days)
        assert reminder.send_at.tzinfo is UTC
        assert reminder.meeting_at == meeting_at


def test_j1_at_14h_before_the_march_2026_change_stays_at_14h_local():
    # Summer time starts on Sunday 29 March 2026 at 02:00: the day before is still UTC+1.
    meeting_at = paris(2026, 3, 29, 14, 0)
    j1 = send_instant(meeting_at, 1, PARIS)
    assert j1.astimezone(PARIS) == paris(2026, 3, 28, 14, 0)
    assert j1 == datetime(2026, 3, 28, 13, 0, tzinfo=UTC)
    assert j1 - meeting_at.astimezone(UTC) == -timedelta(hours=23)  # not 24 real hours before


def test_j7_for_a_weekday_meeting_after_the_march_change_stays_at_14h_local():
    planned = plan_reminders(1, paris(2026, 4, 2, 14, 0), PARIS)
    j7 = next(r for r in planned if r.offset_days == 7)
    assert j7.send_at == datetime(2026, 3, 26, 13, 0, tzinfo=UTC)
    assert j7.send_at.astimezone(PARIS).time() == time(14, 0)


def test_j1_at_14h_before_the_october_2026_change_stays_at_14h_local():
    # Winter time starts on Sunday 25 October 2026 at 03:00: the day before is still UTC+2.
    meeting_at = paris(2026, 10, 25, 14, 0)
    j1 = send_instant(meeting_at, 1, PARIS)
    assert j1 == datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
    assert j1.astimezone(PARIS).time() == time(14, 0)


def test_j7_for_a_weekday_meeting_after_the_october_change_stays_at_14h_local():
    planned = plan_reminders(1, paris(2026, 10, 27, 14, 0), PARIS)
    j7 = next(r for r in planned if r.offset_days == 7)
    assert j7.send_at == datetime(2026, 10, 20, 12, 0, tzinfo=UTC)


def test_fixed_send_time_is_local_on_both_sides_of_the_change():
    settings = ReminderSettings(send_time=time(9, 0))
    planned = plan_reminders(5, paris(2026, 4, 9, 14, 0), PARIS, settings)
    assert {r.send_at.astimezone(PARIS).time() for r in planned} == {time(9, 0)}
    assert {r.send_at.utcoffset() for r in planned} == {timedelta(0)}
    assert {r.send_at.astimezone(PARIS).utcoffset() for r in planned} == {timedelta(hours=1), timedelta(hours=2)}


def test_nonexistent_local_time_moves_forward_by_the_gap():
    # 02:30 does not exist on 29 March 2026 in Paris.
    assert local_datetime(date(2026, 3, 29), time(2, 30), PARIS) == paris(2026, 3, 29, 3, 30)
    settings = ReminderSettings(
        member_offsets_days=(1,), data_collection_offsets_days=(), send_time=time(2, 30), working_days_only=False
    )
    (j1,) = plan_reminders(7, paris(2026, 3, 30, 10, 0), PARIS, settings)
    assert j1.send_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_ambiguous_local_time_takes_the_first_occurrence():
    # 02:30 happens twice on 25 October 2026 in Paris: first in summer time (UTC+2).
    settings = ReminderSettings(
        member_offsets_days=(1,), data_collection_offsets_days=(), send_time=time(2, 30), working_days_only=False
    )
    (j1,) = plan_reminders(7, paris(2026, 10, 26, 10, 0), PARIS, settings)
    assert j1.send_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert plan_reminders(7, paris(2026, 10, 26, 10, 0), PARIS, settings) == [j1]


def test_a_j1_for_a_monday_meeting_goes_out_on_friday_at_the_meeting_time():
    (j1,) = plan_reminders(3, paris(2026, 12, 7, 10, 0), PARIS, ReminderSettings(data_collection_offsets_days=(), member_offsets_days=(1,)))
    assert j1.send_at.astimezone(PARIS) == paris(2026, 12, 4, 10, 0)
    assert j1.key == "meeting-3:members:J-1"


def test_a_reminder_on_a_public_holiday_moves_to_the_working_day_before():
    # Friday 25 December 2026 is Christmas: the J-3 of Monday 28 December goes out on Thursday 24.
    settings = ReminderSettings(member_offsets_days=(3,), data_collection_offsets_days=())
    (j3,) = plan_reminders(4, paris(2026, 12, 28, 9, 30), PARIS, settings)
    assert j3.send_at.astimezone(PARIS) == paris(2026, 12, 24, 9, 30)


def test_a_local_public_holiday_counts_only_for_its_subdivision():
    # 26 December is a public holiday in Moselle (57), not in the rest of France.
    national = ReminderSettings(member_offsets_days=(1,), data_collection_offsets_days=())
    moselle = ReminderSettings(member_offsets_days=(1,), data_collection_offsets_days=(), holiday_subdivision="57")
    meeting = paris(2028, 12, 27, 10, 0)  # Wednesday; J-1 is Tuesday 26 December 2028
    assert plan_reminders(5, meeting, PARIS, national)[0].send_at.astimezone(PARIS).date() == date(2028, 12, 26)
    assert plan_reminders(5, meeting, PARIS, moselle)[0].send_at.astimezone(PARIS).date() == date(2028, 12, 22)


def test_two_offsets_moved_to_the_same_day_give_one_reminder_the_closer_one():
    settings = ReminderSettings(member_offsets_days=(2, 1), data_collection_offsets_days=())
    planned = plan_reminders(6, paris(2026, 12, 7, 10, 0), PARIS, settings)  # Monday: J-2 Saturday, J-1 Sunday
    assert summary(planned) == [(MEMBERS, 1)]
    assert planned[0].send_at.astimezone(PARIS) == paris(2026, 12, 4, 10, 0)


def test_a_same_day_reminder_never_moves_and_calendar_days_can_be_kept():
    sunday_meeting = paris(2026, 12, 6, 15, 0)
    same_day = ReminderSettings(member_offsets_days=(0,), data_collection_offsets_days=(), send_time=time(9, 0))
    assert plan_reminders(7, sunday_meeting, PARIS, same_day)[0].send_at.astimezone(PARIS) == paris(2026, 12, 6, 9, 0)
    calendar = ReminderSettings(member_offsets_days=(1,), data_collection_offsets_days=(), working_days_only=False)
    assert plan_reminders(8, paris(2026, 12, 7, 10, 0), PARIS, calendar)[0].send_at.astimezone(PARIS) == paris(2026, 12, 6, 10, 0)


def test_a_moved_reminder_already_past_when_planned_keeps_its_calendar_day():
    # Planned on Saturday for Monday: Friday is gone, so the J-1 stays on Sunday rather than vanish.
    settings = ReminderSettings(member_offsets_days=(1,), data_collection_offsets_days=())
    (j1,) = plan_reminders(9, paris(2026, 12, 7, 10, 0), PARIS, settings, not_before=paris(2026, 12, 5, 11, 0))
    assert j1.send_at.astimezone(PARIS) == paris(2026, 12, 6, 10, 0)


def test_days_until_counts_local_calendar_days():
    meeting = paris(2026, 12, 7, 10, 0)
    assert days_until(meeting, paris(2026, 12, 4, 10, 0), PARIS) == 3
    assert days_until(meeting, paris(2026, 12, 6, 23, 30), PARIS) == 1
    assert days_until(meeting, paris(2026, 12, 7, 0, 5), PARIS) == 0


def test_meeting_given_in_utc_is_read_in_the_local_zone():
    meeting_utc = datetime(2026, 6, 18, 12, 0, tzinfo=UTC)  # 14:00 in Paris
    planned = plan_reminders(42, meeting_utc, "Europe/Paris")
    assert {r.send_at.astimezone(PARIS).time() for r in planned} == {time(14, 0)}


def test_reminders_not_before_the_meeting_are_dropped():
    settings = ReminderSettings(member_offsets_days=(0,), data_collection_offsets_days=(), send_time=time(15, 0))
    assert plan_reminders(1, paris(2026, 6, 18, 14, 0), PARIS, settings) == []
    morning = ReminderSettings(member_offsets_days=(0,), data_collection_offsets_days=(), send_time=time(8, 0))
    assert summary(plan_reminders(1, paris(2026, 6, 18, 14, 0), PARIS, morning)) == [(MEMBERS, 0)]


def test_not_before_drops_reminders_already_past_when_the_meeting_is_planned():
    planned = plan_reminders(1, paris(2026, 6, 18, 14, 0), PARIS, not_before=paris(2026, 6, 9, 9, 0))
    assert summary(planned) == [(MEMBERS, 7), (MEMBERS, 1)]


def test_duplicate_offsets_are_planned_once():
    settings = ReminderSettings(member_offsets_days=(1, 7, 1), data_collection_offsets_days=())
    assert summary(plan_reminders(1, paris(2026, 6, 18, 14, 0), PARIS, settings)) == [(MEMBERS, 7), (MEMBERS, 1)]


@pytest.mark.parametrize("offsets", [(-1,), ("7",), (400,), (True,)])
def test_bad_offsets_are_refused_in_french(offsets):
    with pytest.raises(SchedulingError, match="Délai de rappel invalide pour les membres"):
        ReminderSettings(member_offsets_days=offsets)


def test_bad_inputs_are_refused_in_french():
    with pytest.raises(SchedulingError, match="fuseau horaire"):
        plan_reminders(1, datetime(2026, 6, 18, 14, 0), PARIS)
    with pytest.raises(SchedulingError, match="Heure d’envoi des rappels invalide"):
        ReminderSettings(send_time=time(9, 0, tzinfo=UTC))
    with pytest.raises(SchedulingError, match="Fuseau horaire inconnu"):
        plan_reminders(1, paris(2026, 6, 18, 14, 0), "Paris")
    with pytest.raises(SchedulingError, match="Type de rappel inconnu"):
        reminder_key(1, "sms", 7)


# --- keys ------------------------------------------------------------------------------------


def test_reminder_keys_are_stable_and_distinct():
    first = plan_reminders(42, paris(2026, 6, 18, 14, 0), PARIS)
    again = plan_reminders(42, paris(2026, 6, 18, 14, 0), PARIS)
    assert [r.key for r in first] == [r.key for r in again]
    assert len({r.key for r in first}) == 4
    assert reminder_key(42, MEMBERS, 7) == "meeting-42:members:J-7"
    assert reminder_key(42, "data_collection", 21) == "meeting-42:data_collection:J-21"


def test_a_rescheduled_meeting_gets_new_keys_through_its_revision():
    original = plan_reminders(42, paris(2026, 6, 18, 14, 0), PARIS)
    moved = plan_reminders(42, paris(2026, 6, 25, 14, 0), PARIS, revision=1)
    assert not {r.key for r in original} & {r.key for r in moved}
    assert reminder_key(42, MEMBERS, 7, revision=1) == "meeting-42:r1:members:J-7"


# --- downtime and idempotence ----------------------------------------------------------------


def test_should_send_only_between_the_reminder_and_the_meeting():
    reminder_at, meeting_at = paris(2026, 6, 17, 14, 0), paris(2026, 6, 18, 14, 0)
    assert not should_send(reminder_at, meeting_at, reminder_at - timedelta(seconds=1))
    assert should_send(reminder_at, meeting_at, reminder_at)
    assert should_send(reminder_at, meeting_at, meeting_at - timedelta(minutes=1))
    assert not should_send(reminder_at, meeting_at, meeting_at)
    assert not should_send(reminder_at, meeting_at, meeting_at + timedelta(days=1))


def test_reminder_missed_during_downtime_is_sent_late_while_the_meeting_is_ahead():
    meeting_at = paris(2026, 6, 18, 14, 0)
    planned = plan_reminders(42, meeting_at, PARIS)
    clock = FakeClock(paris(2026, 6, 12, 9, 0))  # bot down from J-28 (sent) until after J-10 and J-7
    due = due_reminders(planned, clock.now())
    assert summary(due) == [(DATA, 10), (MEMBERS, 7)]
    sent = {r.key for r in due} | {reminder_key(42, DATA, 28)}
    assert due_reminders(planned, clock.now(), sent) == []
    clock.set(paris(2026, 6, 17, 14, 0))
    assert summary(due_reminders(planned, clock.now(), sent)) == [(MEMBERS, 1)]


def test_nothing_is_sent_for_a_meeting_already_past():
    meeting_at = paris(2026, 6, 18, 14, 0)
    planned = plan_reminders(42, meeting_at, PARIS)
    clock = FakeClock(meeting_at)
    assert due_reminders(planned, clock.now()) == []
    clock.advance(timedelta(days=3))
    assert due_reminders(planned, clock.now()) == []


def test_several_missed_reminders_collapse_to_the_latest_per_audience():
    planned = plan_reminders(42, paris(2026, 6, 18, 14, 0), PARIS)
    now = paris(2026, 6, 18, 9, 0)  # bot was down from before J-28 until the meeting morning
    assert summary(due_reminders(planned, now)) == [(DATA, 10), (MEMBERS, 1)]
    assert summary(due_reminders(planned, now, collapse_missed=False)) == [
        (DATA, 28), (DATA, 10), (MEMBERS, 7), (MEMBERS, 1)
    ]


def test_an_earlier_reminder_never_resurfaces_once_a_later_one_is_sent():
    planned = plan_reminders(42, paris(2026, 6, 18, 14, 0), PARIS)
    now = paris(2026, 6, 18, 9, 0)
    sent = {r.key for r in due_reminders(planned, now)}
    for hours in range(0, 5):
        assert due_reminders(planned, now + timedelta(hours=hours), sent) == []


def test_reminders_of_several_meetings_are_independent_and_ordered():
    first = plan_reminders(1, paris(2026, 6, 18, 14, 0), PARIS)
    second = plan_reminders(2, paris(2026, 6, 19, 10, 0), PARIS)
    due = due_reminders(second + first, paris(2026, 6, 18, 11, 0))
    assert [(r.meeting_id, r.offset_days) for r in due] == [(1, 10), (2, 10), (1, 1), (2, 1)]
    assert [r.send_at for r in due] == sorted(r.send_at for r in due)
