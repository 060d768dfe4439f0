from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays
import pytest

from domain.clock import SchedulingError, format_date_fr
from domain.committees.cadence import CommitteeKind
from domain.committees.reminder_plan import ReminderAudience, plan_reminders
from domain.committees.year_plan import MeetingProposal, YearPlanSettings, propose_year_plan, school_holiday_ranges

PARIS = ZoneInfo("Europe/Paris")
START = date(2026, 1, 1)


def of_kind(plan: list[MeetingProposal], kind: CommitteeKind) -> list[MeetingProposal]:
    return [p for p in plan if p.kind is kind]


def local_days(plan: list[MeetingProposal]) -> list[date]:
    return [p.starts_at.astimezone(PARIS).date() for p in plan]


def test_default_plan_has_two_copil_and_four_cotech_inside_the_twelve_months():
    plan = propose_year_plan(START)
    assert len(of_kind(plan, CommitteeKind.COPIL)) == 2
    assert len(of_kind(plan, CommitteeKind.COTECH)) == 4
    assert all(START <= day < date(2027, 1, 1) for day in local_days(plan))
    assert [p.starts_at for p in plan] == sorted(p.starts_at for p in plan)


def test_every_proposal_is_on_a_distinct_working_day_that_is_not_a_public_holiday():
    public = holidays.France(years=[2026, 2027])
    for start in (START, date(2026, 9, 1), date(2027, 3, 15)):
        days = local_days(propose_year_plan(start, YearPlanSettings(copil_count=2, cotech_count=4)))
        assert all(day.weekday() < 5 for day in days)
        assert not [day for day in days if day in public]
        assert len(set(days)) == len(days)


def test_dense_plan_never_puts_two_meetings_on_one_day():
    # COPILs every two weeks and a two-week lead: each feeding COTECH aims at the previous COPIL's day.
    settings = YearPlanSettings(copil_count=26, cotech_count=26, cotech_lead_weeks=2)
    plan = propose_year_plan(START, settings)
    days = local_days(plan)
    assert len(days) == 52
    assert len(set(days)) == 52
    assert any("un autre comité est proposé ce jour-là" in p.reason for p in plan)


def test_default_local_times_and_time_zone_hold_in_winter_and_summer():
    plan = propose_year_plan(START)
    for proposal in plan:
        assert proposal.starts_at.tzinfo == PARIS
        expected = time(10, 0) if proposal.kind is CommitteeKind.COPIL else time(14, 0)
        assert proposal.starts_at.time() == expected
    offsets = {p.starts_at.utcoffset() for p in plan}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}


def test_configured_counts_and_times_are_used():
    settings = YearPlanSettings(copil_count=1, cotech_count=3, copil_time=time(9, 30), cotech_time=time(15, 0))
    plan = propose_year_plan(START, settings)
    assert [p.starts_at.time() for p in of_kind(plan, CommitteeKind.COPIL)] == [time(9, 30)]
    assert [p.starts_at.time() for p in of_kind(plan, CommitteeKind.COTECH)] == [time(15, 0)] * 3


def test_each_copil_is_fed_by_a_cotech_about_three_weeks_before():
    plan = propose_year_plan(START)
    cotech_days = local_days(of_kind(plan, CommitteeKind.COTECH))
    for copil in of_kind(plan, CommitteeKind.COPIL):
        copil_day = copil.starts_at.date()
        leads = [(copil_day - day).days for day in cotech_days if day < copil_day]
        assert 14 <= min(leads) <= 28
    feeders = [p for p in of_kind(plan, CommitteeKind.COTECH) if "avant le comité de pilotage du" in p.reason]
    assert len(feeders) == 2
    assert "pour le préparer avec leurs données" in feeders[0].reason  # reader 11, B21
    assert all("trois semaines avant le comité de pilotage" in p.reason for p in feeders), feeders


def test_lead_weeks_setting_moves_the_feeding_cotech():
    plan = propose_year_plan(START, YearPlanSettings(copil_count=1, cotech_count=1, cotech_lead_weeks=5))
    cotech, copil = plan
    assert cotech.kind is CommitteeKind.COTECH and copil.kind is CommitteeKind.COPIL
    assert 33 <= (copil.starts_at.date() - cotech.starts_at.date()).days <= 37


def test_meetings_are_spread_evenly_over_the_year():
    plan = propose_year_plan(START)
    copil_days = local_days(of_kind(plan, CommitteeKind.COPIL))
    assert 170 <= (copil_days[1] - copil_days[0]).days <= 195
    cotech_days = local_days(of_kind(plan, CommitteeKind.COTECH))
    gaps = [(b - a).days for a, b in pairwise(cotech_days)]
    gaps.append((cotech_days[0] + timedelta(days=365) - cotech_days[-1]).days)
    assert all(75 <= gap <= 105 for gap in gaps), gaps


def test_cotech_only_plan_is_spread_evenly():
    # Without the summer break, which moves the mid-August aim to 1 September (tested below).
    plan = propose_year_plan(START, YearPlanSettings(copil_count=0, cotech_count=4, summer_break=None))
    days = local_days(plan)
    assert len(days) == 4 and {p.kind for p in plan} == {CommitteeKind.COTECH}
    assert all(75 <= (b - a).days <= 105 for a, b in pairwise(days))


def test_fewer_cotech_than_copil_feed_the_first_copil():
    plan = propose_year_plan(START, YearPlanSettings(copil_count=2, cotech_count=1))
    assert [p.kind for p in plan] == [CommitteeKind.COTECH, CommitteeKind.COPIL, CommitteeKind.COPIL]


def test_a_copil_aimed_at_bastille_day_is_moved_and_the_reason_says_why():
    # One COPIL aims at the middle of the period: 182 days after 13 January 2026 is 14 July.
    plan = propose_year_plan(date(2026, 1, 13), YearPlanSettings(copil_count=1, cotech_count=0))
    (copil,) = plan
    assert copil.starts_at.date() != date(2026, 7, 14)
    assert abs((copil.starts_at.date() - date(2026, 7, 14)).days) == 1
    moved_to = copil.starts_at.date().day
    assert copil.reason.endswith(
        f"Placé le {moved_to}\u00a0juillet plutôt que le 14\u00a0juillet, car c’est un jour férié (Fête nationale)."
    ), copil.reason
    assert "Reporté" not in copil.reason and "Avancé" not in copil.reason  # reader4 B13: « Avancé du mardi 14 juillet »


def test_alsace_moselle_subdivision_also_avoids_good_friday():
    # 182 days after 3 October 2025 is Good Friday 3 April 2026, a holiday only in Alsace-Moselle.
    settings = YearPlanSettings(copil_count=1, cotech_count=0)
    national = propose_year_plan(date(2025, 10, 3), settings)
    assert national[0].starts_at.date() == date(2026, 4, 3)
    for subdivision in ("57", "Alsace"):
        local = propose_year_plan(
            date(2025, 10, 3), YearPlanSettings(copil_count=1, cotech_count=0, holiday_subdivision=subdivision)
        )
        assert local[0].starts_at.date() != date(2026, 4, 3)
        assert "Vendredi saint" in local[0].reason


def test_configured_school_holidays_are_avoided():
    free_plan = propose_year_plan(START)
    blocked = tuple((day - timedelta(days=10), day + timedelta(days=10)) for day in local_days(free_plan))
    plan = propose_year_plan(START, YearPlanSettings(school_holidays=blocked))
    for day in local_days(plan):
        assert not any(first <= day <= last for first, last in blocked)
    assert any(", car il tombait pendant les vacances scolaires." in p.reason for p in plan)


def test_school_holiday_ranges_come_from_the_library_as_contiguous_ranges():
    ranges = school_holiday_ranges("Zone C", [2026])
    assert any(first <= date(2026, 8, 1) <= last for first, last in ranges)
    assert all(first <= last for first, last in ranges)
    assert all(b[0] - a[1] > timedelta(days=1) for a, b in pairwise(ranges))
    plan = propose_year_plan(START, YearPlanSettings(school_holidays=tuple(ranges)))
    assert not [d for d in local_days(plan) if any(first <= d <= last for first, last in ranges)]


def test_busy_dates_are_avoided():
    free_plan = propose_year_plan(START)
    busy = set(local_days(free_plan))
    plan = propose_year_plan(START, busy_dates=busy)
    assert not busy & set(local_days(plan))
    assert any(", car la date est déjà occupée." in p.reason for p in plan)


def test_plan_is_deterministic():
    settings = YearPlanSettings(holiday_subdivision="57", copil_count=2, cotech_count=4)
    assert propose_year_plan(START, settings) == propose_year_plan(START, settings)


def test_reasons_are_french_sentences():
    plan = propose_year_plan(START)
    assert of_kind(plan, CommitteeKind.COPIL)[0].reason.startswith(
        "Premier comité de pilotage de l’année avec les élu·es."
    )
    assert any(p.reason.startswith("Comité technique intermédiaire") for p in plan)


def test_no_free_day_at_all_is_a_clear_error():
    whole_year = ((date(2025, 12, 1), date(2027, 2, 1)),)
    with pytest.raises(SchedulingError, match="Impossible de placer le comité de pilotage"):
        propose_year_plan(START, YearPlanSettings(school_holidays=whole_year))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"copil_count": -1}, "Nombre de comités de pilotage"),
        ({"cotech_count": 100}, "Nombre de comités techniques"),
        ({"cotech_lead_weeks": 0}, "Délai entre comité technique"),
        ({"timezone": "Mars/Olympus"}, "Fuseau horaire inconnu"),
        ({"school_holidays": ((date(2026, 5, 10), date(2026, 5, 1)),)}, "Période de vacances scolaires invalide"),
        ({"copil_time": "10h"}, "Heure par défaut du comité de pilotage"),
    ],
)
def test_bad_settings_are_refused_in_french(kwargs, message):
    with pytest.raises(SchedulingError, match=message):
        YearPlanSettings(**kwargs)


def test_unknown_subdivision_and_bad_start_are_refused_in_french():
    with pytest.raises(SchedulingError, match="Subdivision inconnue"):
        propose_year_plan(START, YearPlanSettings(holiday_subdivision="Bretagne"))
    with pytest.raises(SchedulingError, match="Zone de vacances scolaires inconnue"):
        school_holiday_ranges("Zone Z", [2026])
    with pytest.raises(SchedulingError, match="doit être une date"):
        propose_year_plan(datetime(2026, 1, 1, tzinfo=PARIS))


def test_french_dates_are_written_out():
    assert format_date_fr(date(2026, 10, 1)) == "jeudi 1er octobre 2026"
    assert format_date_fr(date(2026, 8, 15)) == "samedi 15 août 2026"


def test_no_meeting_in_the_summer_break_without_a_school_holiday_zone():
    for start in (START, date(2026, 12, 1), date(2027, 3, 15)):
        for settings in (YearPlanSettings(), YearPlanSettings(copil_count=0, cotech_count=4), YearPlanSettings(copil_count=4, cotech_count=8)):
            days = local_days(propose_year_plan(start, settings))
            assert not [day for day in days if (7, 14) <= (day.month, day.day) <= (8, 31)], (start, days)
    moved = [p for p in propose_year_plan(START, YearPlanSettings(copil_count=0, cotech_count=4)) if "congés d’été" in p.reason]
    assert len(moved) == 1 and moved[0].starts_at.date() == date(2026, 9, 1)


def test_a_planned_copil_takes_its_segment_and_the_new_one_fills_the_other_half():
    start = date(2026, 12, 1)
    kept = [(CommitteeKind.COPIL, date(2027, 4, 6))]

    plan = propose_year_plan(start, YearPlanSettings(copil_count=1, cotech_count=4), kept=kept)

    [copil] = of_kind(plan, CommitteeKind.COPIL)
    assert date(2027, 9, 1) <= copil.starts_at.date() <= date(2027, 10, 31)
    # Reader 6, A4: « Placé le 22 septembre plutôt que le 1er septembre » under a COTECH on 1 September.
    assert copil.reason == (
        f"Second comité de pilotage de l’année avec les élu·es. Fixé au {copil.starts_at.day}\u00a0septembre pour que "
        "son comité technique préparatoire ne tombe pas pendant les congés d’été."
    )
    fed = [p for p in of_kind(plan, CommitteeKind.COTECH) if "avant le comité de pilotage du" in p.reason]
    assert {p.reason.split("pilotage du ")[1].split(",")[0] for p in fed} == {
        format_date_fr(date(2027, 4, 6)),
        format_date_fr(copil.starts_at.date()),
    }
    assert date(2027, 4, 6) not in local_days(plan)


def test_a_copil_already_fed_by_a_planned_cotech_gets_no_second_feeder():
    kept = [(CommitteeKind.COPIL, date(2027, 4, 6)), (CommitteeKind.COTECH, date(2027, 3, 16))]

    plan = propose_year_plan(date(2026, 12, 1), YearPlanSettings(copil_count=1, cotech_count=3), kept=kept)

    feeding = [p.reason for p in of_kind(plan, CommitteeKind.COTECH) if "avant le comité de pilotage du" in p.reason]
    assert len(feeding) == 1 and format_date_fr(date(2027, 4, 6)) not in feeding[0]


def test_an_intermediate_cotech_says_why_in_plain_words():
    """reader4 B14: « au milieu de la plus longue période sans comité technique » described the algorithm."""
    plan = propose_year_plan(date(2026, 12, 1), YearPlanSettings(copil_count=1, cotech_count=4))

    reasons = [p.reason for p in plan if p.reason.startswith("Comité technique intermédiaire")]
    assert reasons and all(
        "pour éviter un trop long intervalle entre deux comités techniques." in reason for reason in reasons
    ), reasons
    assert not any("plus longue période" in p.reason for p in plan)


def test_the_directorates_are_reminded_of_their_data_days_before_the_cotech_that_reviews_it():
    """Reader 6, A4: the COPIL's first data reminder went out at the very minute of the comité
    technique proposed three weeks before it « pour préparer ce comité de pilotage avec leurs données »."""
    copil_at = datetime(2027, 3, 12, 14, tzinfo=PARIS)
    plan = propose_year_plan(date(2026, 12, 6), kept=[(CommitteeKind.COPIL, date(2027, 3, 12))])
    [feeder] = [p for p in of_kind(plan, CommitteeKind.COTECH) if "vendredi 12 mars 2027" in p.reason.replace("\u00a0", " ")]
    data = [r.send_at for r in plan_reminders(1, copil_at, PARIS) if r.audience is ReminderAudience.DATA_COLLECTION]

    assert min(data) <= feeder.starts_at - timedelta(days=5)
    assert 8 <= min(data).astimezone(PARIS).hour < 18
