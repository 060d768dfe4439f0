from dataclasses import replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.clock import SchedulingError
from domain.committees.cadence import (
    CadenceProblem,
    CadenceWindow,
    CommitteeKind,
    CommitteeType,
    MeetingRecord,
    MeetingStatus,
    check_cadence,
    default_committee_types,
    merged_cadence_message,
)

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 6, 15)


def meeting(year: int, month: int, day: int, status: MeetingStatus = MeetingStatus.PLANNED) -> MeetingRecord:
    return MeetingRecord(datetime(year, month, day, 14, 0, tzinfo=PARIS), status)


def test_default_types_follow_the_founding_text_ranges():
    types = default_committee_types()
    assert (types[CommitteeKind.COPIL].min_per_year, types[CommitteeKind.COPIL].max_per_year) == (1, 2)
    assert (types[CommitteeKind.COTECH].min_per_year, types[CommitteeKind.COTECH].max_per_year) == (3, 4)
    assert "élu·es" in types[CommitteeKind.COPIL].participants


def test_default_types_are_a_fresh_mapping_each_call():
    first = default_committee_types()
    first[CommitteeKind.COPIL] = replace(first[CommitteeKind.COPIL], max_per_year=5)
    assert default_committee_types()[CommitteeKind.COPIL].max_per_year == 2


def test_no_coming_copil_warns_with_the_expected_french_message():
    past_ok = [meeting(2025, 11, 20, MeetingStatus.HELD)]
    warnings = check_cadence(CommitteeKind.COPIL, past_ok, TODAY, PARIS)
    assert len(warnings) == 1
    warning = warnings[0]
    assert (warning.window, warning.problem, warning.count) == (CadenceWindow.COMING, CadenceProblem.BELOW, 0)
    assert merged_cadence_message(default_committee_types()[CommitteeKind.COPIL], [warning]) == (
        # Reader 10, A4: the assistant knows the meetings planned with it, and the advice has a source.
        "Comité de pilotage\u00a0: aucune réunion planifiée avec l’assistant dans les 12\u00a0prochains mois "
        "(les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » "
        "est de 1 à 2 par an."
    )


def test_too_many_coming_cotech_warns_above_with_plural_message():
    past_ok = [meeting(2025, m, 10, MeetingStatus.HELD) for m in (8, 11)] + [meeting(2026, 2, 10)]
    coming = [meeting(2026, m, 10) for m in (7, 9, 10, 11, 12)]
    warnings = check_cadence("cotech", past_ok + coming, TODAY, PARIS)
    assert [(w.window, w.problem, w.count) for w in warnings] == [
        (CadenceWindow.COMING, CadenceProblem.ABOVE, 5)
    ]
    assert merged_cadence_message(default_committee_types()[CommitteeKind.COTECH], warnings) == (
        "Comité technique\u00a0: 5\u00a0réunions planifiées avec l’assistant dans les 12\u00a0prochains mois "
        "(les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » "
        "est de 3 à 4 par an."
    )


def test_counts_within_range_give_no_warning():
    meetings = [meeting(2025, 12, 1, MeetingStatus.HELD), meeting(2026, 10, 1)]
    assert check_cadence(CommitteeKind.COPIL, meetings, TODAY, PARIS) == []


def test_cancelled_meetings_do_not_count():
    meetings = [meeting(2025, 12, 1, MeetingStatus.HELD), meeting(2026, 10, 1, MeetingStatus.CANCELLED)]
    warnings = check_cadence(CommitteeKind.COPIL, meetings, TODAY, PARIS)
    assert [(w.window, w.count) for w in warnings] == [(CadenceWindow.COMING, 0)]


def test_past_window_counts_held_and_planned_and_warns_below():
    meetings = [meeting(2025, 9, 1, MeetingStatus.HELD), meeting(2026, 3, 1, MeetingStatus.PLANNED)]
    meetings += [meeting(2026, 11, 1), meeting(2026, 12, 1), meeting(2027, 2, 1)]
    warnings = check_cadence(CommitteeKind.COTECH, meetings, TODAY, PARIS)
    assert [(w.window, w.problem, w.count) for w in warnings] == [(CadenceWindow.PAST, CadenceProblem.BELOW, 2)]
    assert merged_cadence_message(default_committee_types()[CommitteeKind.COTECH], warnings) == (
        # Reader 7, A5: « le prochain » had no antecedent; reader 9, A8: without « avec l’assistant », a
        # committee held outside it read as never held; reader 10, A4: said once, with its limit.
        "Comité technique\u00a0: 2\u00a0réunions planifiées avec l’assistant au cours des 12\u00a0derniers mois "
        "(les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » "
        "est de 3 à 4 par an\u00a0; la prochaine est prévue le dimanche 1er\u00a0novembre\u00a02026."
    )


def test_a_meeting_planned_before_the_next_one_is_due_leaves_nothing_to_warn_about():
    """Reader 10, A4: « aucune réunion au cours des 12 derniers mois » in red in the report prepared
    for tomorrow's COPIL: the assistant was installed recently, and the COPIL is planned."""
    assert check_cadence(CommitteeKind.COPIL, [meeting(2026, 6, 16)], TODAY, PARIS) == []
    assert check_cadence(CommitteeKind.COPIL, [meeting(2026, 12, 1)], TODAY, PARIS) == []  # within 6 months
    late = check_cadence(CommitteeKind.COPIL, [meeting(2027, 1, 15)], TODAY, PARIS)
    assert [(w.window, w.count) for w in late] == [(CadenceWindow.PAST, 0)]
    # 3 to 4 a year: the next one is due within 4 months.
    cotech = [meeting(2026, 9, 1), meeting(2026, 12, 1), meeting(2027, 3, 1)]
    assert check_cadence(CommitteeKind.COTECH, cotech, TODAY, PARIS) == []
    assert check_cadence(CommitteeKind.COTECH, [meeting(2026, 11, 1), *cotech[1:]], TODAY, PARIS) != []


def test_window_bounds_today_is_coming_and_one_year_ahead_is_excluded():
    today_meeting = meeting(2026, 6, 15)
    one_year_ahead = meeting(2027, 6, 15)
    one_year_ago = meeting(2025, 6, 15, MeetingStatus.HELD)
    warnings = check_cadence(CommitteeKind.COPIL, [today_meeting, one_year_ahead, one_year_ago], TODAY, PARIS)
    assert warnings == []
    only_edges = check_cadence(CommitteeKind.COPIL, [one_year_ahead, one_year_ago], TODAY, PARIS)
    assert [(w.window, w.count) for w in only_edges] == [(CadenceWindow.COMING, 0)]


def test_meeting_day_is_read_in_the_local_time_zone():
    just_after_midnight_paris = datetime(2026, 6, 14, 22, 30, tzinfo=UTC)  # 00:30 on 15 June in Paris
    one_past = meeting(2025, 12, 1, MeetingStatus.HELD)
    in_paris = check_cadence(CommitteeKind.COPIL, [(just_after_midnight_paris, "planned"), one_past], TODAY, PARIS)
    in_utc = check_cadence(CommitteeKind.COPIL, [(just_after_midnight_paris, "planned"), one_past], TODAY, "UTC")
    assert in_paris == []
    assert [(w.window, w.problem) for w in in_utc] == [(CadenceWindow.COMING, CadenceProblem.BELOW)]


def test_edited_range_is_used_in_the_check_and_the_message():
    strict = CommitteeType(CommitteeKind.COPIL, "Comité de pilotage", "les élu·es", 2, 2)
    meetings = [meeting(2027, 1, 1), meeting(2025, 9, 1), meeting(2026, 1, 1)]
    warnings = check_cadence(strict, meetings, TODAY, PARIS)
    assert merged_cadence_message(strict, warnings) == (
        "Comité de pilotage\u00a0: 1\u00a0réunion planifiée avec l’assistant dans les 12\u00a0prochains mois "
        "(les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme retenu par l’organisme est de 2 par an."
    )


def test_range_starting_at_zero_reads_au_plus():
    relaxed = CommitteeType(CommitteeKind.COPIL, "Comité de pilotage", "les élu·es", 0, 1)
    warnings = check_cadence(relaxed, [meeting(2026, 9, 1), meeting(2026, 10, 1)], TODAY, PARIS)
    assert merged_cadence_message(relaxed, warnings).endswith("alors que le rythme retenu par l’organisme est d’au plus 1 par an.")


def test_range_with_minimum_above_maximum_is_refused_in_french():
    with pytest.raises(SchedulingError, match="le minimum \\(3\\) dépasse le maximum \\(2\\)"):
        CommitteeType(CommitteeKind.COPIL, "Comité de pilotage", "les élu·es", 3, 2)


def test_negative_range_is_refused():
    with pytest.raises(SchedulingError, match="négatif"):
        CommitteeType(CommitteeKind.COTECH, "Comité technique", "les directions", -1, 2)


def test_bad_inputs_give_french_errors():
    with pytest.raises(SchedulingError, match="Type de comité inconnu"):
        check_cadence("comex", [], TODAY, PARIS)
    with pytest.raises(SchedulingError, match="fuseau horaire"):
        check_cadence(CommitteeKind.COPIL, [(datetime(2026, 9, 1, 14), "planned")], TODAY, PARIS)
    with pytest.raises(SchedulingError, match="Statut de réunion inconnu"):
        check_cadence(CommitteeKind.COPIL, [(datetime(2026, 9, 1, 14, tzinfo=PARIS), "reporté")], TODAY, PARIS)
    with pytest.raises(SchedulingError, match="date \\(sans heure\\)"):
        check_cadence(CommitteeKind.COPIL, [], datetime(2026, 6, 15, tzinfo=PARIS), PARIS)
    with pytest.raises(SchedulingError, match="Fuseau horaire inconnu"):
        check_cadence(CommitteeKind.COPIL, [], TODAY, "Europe/Paname")
    with pytest.raises(SchedulingError, match="\\(date-heure, statut\\)"):
        check_cadence(CommitteeKind.COPIL, [datetime(2026, 9, 1, tzinfo=PARIS)], TODAY, PARIS)


def test_custom_mapping_without_the_kind_is_a_clear_error():
    only_copil = {CommitteeKind.COPIL: default_committee_types()[CommitteeKind.COPIL]}
    with pytest.raises(SchedulingError, match="Aucune cadence"):
        check_cadence(CommitteeKind.COTECH, [], TODAY, PARIS, committee_types=only_copil)


def test_the_cadence_lines_use_the_house_warning_sign():
    """Reader 1, C4: « ⚠️ » (with its emoji selector) next to the « ⚠ » of every other warning."""
    from domain.committees.cadence import default_committee_types
    from domain.committees.messages import cadence_lines

    types = default_committee_types()
    warnings = check_cadence(CommitteeKind.COPIL, [], TODAY, PARIS)
    lines = cadence_lines(types, warnings)
    assert lines[0].startswith("⚠ Comité de pilotage") and "\ufe0f" not in "".join(lines)
    assert lines[-1].replace("\u00a0", " ") == "✅ Comité technique : le rythme conseillé par le document « Rencontre acheteurs : le SPASER », de 3 à 4 par an, est respecté."
