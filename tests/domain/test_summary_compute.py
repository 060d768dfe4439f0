"""Status summary rules: statuses, trends, aggregation, completeness, scoping (no Teams, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from domain.errors import DomainError
from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency, InvalidPeriod, Period
from domain.indicators.units import Unit
from domain.people import Role
from domain.summary.compute import compute_summary
from domain.summary.model import (
    TOLERANCE_PERCENT_OF_TARGET,
    DirectorateInfo,
    IndicatorSnapshot,
    Status,
    TrendDirection,
    UpcomingMeeting,
)
from domain.summary.reading_rules import CARD_RULES_TEXT, RULES_ITEMS
from domain.summary.scope import Scope, SummaryAccessDenied, SummaryError, scope_for
from domain.summary.snapshots import snapshot_from_views
from domain.summary.trajectory_wording import progress_text

TODAY = date(2026, 3, 1)  # annual indicators are due for 2025, quarterly ones for 2025-T4
EVERYONE = Scope.everything()
DIRECTORATES = [DirectorateInfo("DRC", "Ressources et commande"), DirectorateInfo("DCP", "Commande publique")]


def indicator(code="IND-1", *, values=(), unit=Unit.HOURS, direction=ImprovementDirection.UP, baseline="100",
              target="200", target_year=2027, frequency=Frequency.ANNUAL, directorates=("DRC",),
              axis=Axis.SOCIAL, label="Heures d’insertion") -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code=code,
        label=label,
        axis=axis,
        unit=unit,
        frequency=frequency,
        directorates=directorates,
        direction=direction,
        baseline=None if baseline is None else Decimal(baseline),
        target=None if target is None else Decimal(target),
        target_year=target_year,
        values=tuple(values),
    )


def only_line(summary):
    (line,) = summary.lines
    return line


def test_rising_indicator_ahead_of_its_linear_path_is_on_track_and_improving():
    # Path: 100 at the end of 2024 → 200 on 31 Dec 2027; a third of the way at the end of 2025 ≈ 133.
    line = only_line(compute_summary(
        [indicator(values=[("2024", "DRC", 100), ("2025", "DRC", 140)])], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.status is Status.ON_TRACK
    assert line.latest_value == Decimal(140)
    assert line.latest_period.code == "2025"
    assert Decimal("133") < line.expected_value < Decimal("134")
    assert line.trend.direction is TrendDirection.UP and line.trend.improved is True
    assert line.trend.previous_period.code == "2024"
    assert round(line.progress_percent) == 40


def test_rising_indicator_behind_its_path_is_late():
    line = only_line(compute_summary(
        [indicator(values=[("2024", "DRC", 100), ("2025", "DRC", 120)])], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.status is Status.LATE


def test_an_indicator_whose_shown_progress_equals_the_expected_one_is_not_late():
    """« avancement 33 % (attendu 33 %) » next to « En retard » contradicts itself."""
    line = only_line(compute_summary(
        [indicator(values=[("2024", "DRC", 100), ("2025", "DRC", 133)])], DIRECTORATES, TODAY, scope=EVERYONE))
    assert round(line.progress_percent) == round(line.expected_progress_percent) == 33
    assert line.status is Status.ON_TRACK


def test_rising_indicator_at_its_target_is_achieved_even_before_the_target_year():
    line = only_line(compute_summary(
        [indicator(values=[("2024", "DRC", 100), ("2025", "DRC", 200)])], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.status is Status.ACHIEVED


def test_falling_indicator_going_down_is_an_improvement_but_late_when_slower_than_the_path():
    emissions = indicator(unit=Unit.TCO2E, direction=ImprovementDirection.DOWN, baseline="1000", target="600",
                          values=[("2024", "DRC", 1000), ("2025", "DRC", 950)])
    line = only_line(compute_summary([emissions], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.trend.direction is TrendDirection.DOWN and line.trend.improved is True
    assert line.status is Status.LATE  # expected ≈ 867 tCO2e at the end of 2025


def test_falling_indicator_below_its_path_is_on_track_and_at_target_achieved():
    def status(value):
        emissions = indicator(unit=Unit.TCO2E, direction=ImprovementDirection.DOWN, baseline="1000", target="600",
                              values=[("2024", "DRC", 1000), ("2025", "DRC", value)])
        return only_line(compute_summary([emissions], DIRECTORATES, TODAY, scope=EVERYONE)).status

    assert status(800) is Status.ON_TRACK
    assert status(600) is Status.ACHIEVED
    assert status(900) is Status.LATE


def test_falling_indicator_going_up_is_a_worsening():
    emissions = indicator(unit=Unit.TCO2E, direction=ImprovementDirection.DOWN, baseline="1000", target="600",
                          values=[("2024", "DRC", 1000), ("2025", "DRC", 1050)])
    trend = only_line(compute_summary([emissions], DIRECTORATES, TODAY, scope=EVERYONE)).trend
    assert trend.direction is TrendDirection.UP and trend.improved is False


def test_unchanged_value_is_a_flat_trend_without_judgement():
    trend = only_line(compute_summary(
        [indicator(values=[("2024", "DRC", 150), ("2025", "DRC", 150)])], DIRECTORATES, TODAY, scope=EVERYONE)).trend
    assert trend.direction is TrendDirection.FLAT and trend.improved is None


def test_indicator_without_target_says_so_and_has_no_progress():
    line = only_line(compute_summary(
        [indicator(target=None, target_year=None, values=[("2025", "DRC", 10)])], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.status is Status.NO_TARGET
    assert line.target_note == "sans cible"
    assert line.progress_percent is None and line.expected_value is None
    assert line.latest_value == Decimal(10)


def test_indicator_without_values_is_not_reported():
    line = only_line(compute_summary([indicator()], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.status is Status.NOT_REPORTED
    assert line.latest_value is None and line.trend is None


def test_without_baseline_the_first_value_starts_the_path():
    line = only_line(compute_summary(
        [indicator(baseline=None, values=[("2024", "DRC", 50), ("2025", "DRC", 100)])], DIRECTORATES, TODAY, scope=EVERYONE))
    # From 50 (end of 2024) to 200 (end of 2027): 100 at the end of 2025 is on the path (≈ 100).
    assert line.status is Status.ON_TRACK
    assert round(line.progress_percent) == 33


def test_a_target_needs_its_year():
    with pytest.raises(SummaryError, match="année"):
        indicator(target="10", target_year=None)


def test_counts_add_up_across_directorates_and_rates_are_averaged():
    hours = indicator("H", directorates=("DRC", "DCP"), values=[("2025", "DRC", 100), ("2025", "DCP", 50)])
    rate = indicator("P", unit=Unit.PERCENT, baseline="10", target="30", directorates=("DRC", "DCP"),
                     values=[("2025", "DRC", 20), ("2025", "DCP", 25)])
    lines = {line.code: line for line in compute_summary([hours, rate], DIRECTORATES, TODAY, scope=EVERYONE).lines}
    assert lines["H"].latest_value == Decimal(150) and lines["H"].aggregation is AggregationRule.SUM
    assert lines["P"].latest_value == Decimal("22.5") and lines["P"].aggregation is AggregationRule.MEAN


def test_a_sum_is_judged_on_the_last_period_every_directorate_reported():
    hours = indicator(directorates=("DRC", "DCP"), frequency=Frequency.QUARTERLY, values=[
        ("2025-T3", "DRC", 100), ("2025-T3", "DCP", 100), ("2025-T4", "DRC", 110)])
    line = only_line(compute_summary([hours], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.latest_period.code == "2025-T3"
    assert line.latest_value == Decimal(200)
    assert line.pending_period.code == "2025-T4" and line.pending_count == 1


def test_a_sum_nobody_completed_uses_the_latest_period_marked_partial():
    hours = indicator(directorates=("DRC", "DCP"), values=[("2024", "DRC", 100), ("2025", "DRC", 110)])
    line = only_line(compute_summary([hours], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.latest_period.code == "2025" and line.is_partial
    assert (line.reporting_count, line.responsible_count) == (1, 2)


def test_trend_compares_only_directorates_that_reported_both_periods():
    # DCP did not report 2025: comparing 2025 (DRC: 21) with the 2024 mean of both (30) would
    # show a false fall.
    rate = indicator(unit=Unit.PERCENT, baseline="10", target="30", directorates=("DRC", "DCP"),
                     values=[("2024", "DRC", 20), ("2024", "DCP", 40), ("2025", "DRC", 21)])
    trend = only_line(compute_summary([rate], DIRECTORATES, TODAY, scope=EVERYONE)).trend
    assert trend.direction is TrendDirection.UP and trend.previous_value == Decimal(20)


def test_completeness_counts_the_period_due_today_per_directorate():
    annual = indicator("A", directorates=("DRC", "DCP"), values=[("2025", "DRC", 1)])
    quarterly = indicator("Q", frequency=Frequency.QUARTERLY, directorates=("DRC",),
                          values=[("2025-T3", "DRC", 1)])
    completeness = compute_summary([annual, quarterly], DIRECTORATES, TODAY, scope=EVERYONE).completeness
    rows = {row.directorate.code: row for row in completeness}
    assert (rows["DRC"].reported, rows["DRC"].expected) == (1, 2)
    assert [(m.indicator_code, m.period.code) for m in rows["DRC"].missing] == [("Q", "2025-T4")]
    assert (rows["DCP"].reported, rows["DCP"].expected) == (0, 1)
    assert [row.directorate.code for row in completeness] == ["DCP", "DRC"]  # least complete first


def test_completeness_counts_only_what_the_directorate_fills_and_the_computed_apart():
    """Issue 17: « DCP : 3 indicateurs remontés sur 13 » while 3 of the 13 come from the DECP and
    nobody in the directorate fills them."""
    import dataclasses

    from domain.summary.wording import completeness_headline, completeness_sentence, completeness_text

    typed = [indicator(f"T{n}", directorates=("DCP",), values=[("2025", "DCP", 1)] if n < 2 else []) for n in range(4)]
    computed = [dataclasses.replace(indicator(f"C{n}", directorates=("DCP",)), computed=True) for n in range(3)]
    everyone = compute_summary([*typed, *computed], DIRECTORATES, TODAY, scope=EVERYONE)
    [row] = everyone.completeness
    assert (row.reported, row.expected, row.computed) == (2, 4, 3)
    assert [m.indicator_code for m in row.missing] == ["T2", "T3"], "a computed indicator is nobody's to report"
    assert completeness_sentence(row).replace("\u00a0", " ") == (
        "2 indicateurs saisis sur 4 (50 %), plus 3 calculés automatiquement"
    )
    assert completeness_text(row).replace("\u00a0", " ") == "2 sur 4 (50 %), plus 3 calculés automatiquement"
    assert completeness_headline(everyone).replace("\u00a0", " ") == (
        # Reader 8, B27: « 3 autres » named.
        "La direction DCP a saisi 2 indicateurs sur 4 pour l’année 2025. C0, C1 et C2 sont calculés automatiquement "
        "à partir des données essentielles (DECP)."
    )
    one = compute_summary([*typed, computed[0]], DIRECTORATES, TODAY, scope=EVERYONE)
    assert completeness_headline(one).endswith("C0 est calculé automatiquement à partir des données essentielles (DECP).")
    only_computed = compute_summary(computed[:1], DIRECTORATES, TODAY, scope=EVERYONE, directorate="DCP")
    assert completeness_text(only_computed.completeness[0]).replace("\u00a0", " ") == (
        "aucun indicateur à saisir (1 indicateur calculé automatiquement)"
    )


def test_a_computed_indicator_of_the_catalogue_is_marked_computed_in_its_snapshot():
    from domain.indicators.aggregation import Computation

    view = SimpleNamespace(code="IND-26", label="Montant des marchés réservés notifiés", axis=Axis.SOCIAL,
                           unit=Unit.EURO, frequency=Frequency.HALF_YEARLY, directorates=["DCP"],
                           improvement=ImprovementDirection.UP, baseline=None, target=None, target_year=None,
                           computation=Computation.DECP_RESERVED_AMOUNT)
    assert snapshot_from_views(view, []).computed is True
    assert snapshot_from_views(SimpleNamespace(**{**vars(view), "computation": Computation.REPORTED}), []).computed is False


def test_empty_catalogue_gives_an_empty_summary_without_error():
    summary = compute_summary([], DIRECTORATES, TODAY, scope=EVERYONE)
    assert summary.lines == () and summary.sections == () and summary.completeness == ()
    assert summary.catalogue_warning is None and summary.catalogue_size == 0


def test_more_than_thirty_indicators_brings_the_advice():
    catalogue = [indicator(f"I{n}") for n in range(31)]
    assert "trentaine" in compute_summary(catalogue, DIRECTORATES, TODAY, scope=EVERYONE).catalogue_warning
    assert compute_summary(catalogue[:30], DIRECTORATES, TODAY, scope=EVERYONE).catalogue_warning is None


def test_axis_filter_keeps_only_that_axis_and_accepts_french_words():
    social = indicator("S", axis=Axis.SOCIAL)
    green = indicator("E", axis=Axis.ENVIRONMENTAL)
    summary = compute_summary([social, green], DIRECTORATES, TODAY, axis="environnement", scope=EVERYONE)
    assert [line.code for line in summary.lines] == ["E"]
    with pytest.raises(DomainError, match="axe"):
        compute_summary([social], DIRECTORATES, TODAY, axis="sportif", scope=EVERYONE)


SECRET = "commentaire confidentiel DCP"


def shared_catalogue():
    return [
        indicator("H", directorates=("DRC", "DCP"),
                  values=[("2025", "DRC", 100, "RAS"), ("2025", "DCP", 999, SECRET)]),
        indicator("P", unit=Unit.PERCENT, baseline="10", target="30", directorates=("DRC", "DCP"),
                  values=[("2025", "DRC", 20), ("2025", "DCP", 99)]),
        indicator("X", directorates=("DCP",), values=[("2025", "DCP", 5, SECRET)]),
    ]


def test_contributor_summary_holds_nothing_of_another_directorate():
    summary = compute_summary(shared_catalogue(), DIRECTORATES, TODAY, scope=Scope.only("DRC"))
    assert [line.code for line in summary.lines] == ["H", "P"]
    everything = repr(summary)
    assert "DCP" not in everything and SECRET not in everything and "999" not in everything
    assert {value.directorate for ind in summary.visible_indicators for value in ind.values} == {"DRC"}
    assert [row.directorate.code for row in summary.completeness] == ["DRC"]
    lines = {line.code: line for line in summary.lines}
    assert lines["H"].latest_value == Decimal(100)
    assert lines["P"].latest_value == Decimal(20)


@pytest.mark.parametrize("asked", ["DCP", "dcp", "ZZZ"])
def test_contributor_cannot_filter_on_another_directorate_and_learns_nothing_from_the_refusal(asked):
    with pytest.raises(SummaryAccessDenied) as refused:
        compute_summary(shared_catalogue(), DIRECTORATES, TODAY, scope=Scope.only("DRC"), directorate=asked)
    assert str(refused.value) == "Vous ne pouvez consulter que la synthèse de votre direction (DRC)."


def test_contributor_may_name_their_own_directorate():
    summary = compute_summary(shared_catalogue(), DIRECTORATES, TODAY, scope=Scope.only("drc"), directorate="DRC")
    assert "DCP" not in repr(summary)


def test_lead_directorate_filter_shows_that_directorate_only():
    summary = compute_summary(shared_catalogue(), DIRECTORATES, TODAY, directorate="dcp", scope=EVERYONE)
    assert summary.directorate_filter == "DCP"
    assert {value.directorate for ind in summary.visible_indicators for value in ind.values} == {"DCP"}
    assert "RAS" not in repr(summary)


def test_unknown_directorate_filter_is_a_french_error_listing_the_known_ones():
    with pytest.raises(SummaryError, match="Directions\u00a0: DCP, DRC"):
        compute_summary(shared_catalogue(), DIRECTORATES, TODAY, directorate="DXX", scope=EVERYONE)


def test_a_directorate_view_of_a_shared_sum_has_no_comparable_target_but_rates_keep_theirs():
    lines = {line.code: line for line in compute_summary(shared_catalogue(), DIRECTORATES, TODAY,
                                                          scope=Scope.only("DRC")).lines}
    assert lines["H"].status is Status.NO_TARGET
    assert lines["H"].target_note == "cible fixée pour l’ensemble des directions"
    assert lines["P"].status is Status.ON_TRACK  # DRC's 20 % against the 10 % → 30 % path
    assert lines["P"].target_note is None


def test_scope_follows_the_role():
    assert scope_for(Role.LEAD, None) == Scope.everything()
    assert scope_for(Role.OFFICIAL, "DRC") == Scope.everything()
    assert scope_for(Role.CONTRIBUTOR, "drc") == Scope.only("DRC")
    with pytest.raises(SummaryAccessDenied, match="direction n’est pas renseignée"):
        scope_for(Role.CONTRIBUTOR, None)
    with pytest.raises(SummaryAccessDenied, match="enregistrées"):
        scope_for(None, None)


def test_values_may_be_plain_tuples_but_must_match_the_frequency():
    line = only_line(compute_summary([indicator(values=[("2025", "drc", "12,5", None)])], DIRECTORATES, TODAY, scope=EVERYONE))
    assert line.latest_value == Decimal("12.5")
    with pytest.raises(InvalidPeriod, match="annuel"):
        indicator(values=[("2025-T1", "DRC", 1)])
    with pytest.raises(SummaryError, match="pas un nombre"):
        indicator(values=[("2025", "DRC", "beaucoup")])


def test_only_coming_meetings_are_kept_in_date_order():
    meetings = [
        UpcomingMeeting("Comité de pilotage", datetime(2026, 6, 1, 9, tzinfo=UTC)),
        UpcomingMeeting("Comité technique", datetime(2026, 3, 20, 9, tzinfo=UTC)),
        UpcomingMeeting("Comité technique", datetime(2026, 1, 20, 9, tzinfo=UTC)),
    ]
    summary = compute_summary([], DIRECTORATES, TODAY, next_meetings=meetings, scope=EVERYONE)
    assert [m.starts_at.month for m in summary.next_meetings] == [3, 6]


def test_snapshots_are_built_from_the_repository_views_with_current_values_only():
    view = SimpleNamespace(code="SOC-01", label="Heures", axis=Axis.SOCIAL, unit=Unit.HOURS,
                           frequency=Frequency.ANNUAL, directorates=("DRC",), improvement=ImprovementDirection.UP,
                           baseline=Decimal(1), target=Decimal(9), target_year=2028)
    values = [
        SimpleNamespace(period=Period(2025, Frequency.ANNUAL), directorate_code="DRC", value=Decimal(3),
                        comment="", is_current=False),
        SimpleNamespace(period=Period(2025, Frequency.ANNUAL), directorate_code="DRC", value=Decimal(4),
                        comment="corrigé", is_current=True),
    ]
    snapshot = snapshot_from_views(view, values)
    assert snapshot.direction is ImprovementDirection.UP
    assert [(v.period.code, v.directorate, v.value, v.comment) for v in snapshot.values] == [
        ("2025", "DRC", Decimal(4), "corrigé")]


def test_contributor_with_an_axis_filter_still_sees_only_their_directorate():
    summary = compute_summary(shared_catalogue(), DIRECTORATES, TODAY, scope=Scope.only("DRC"), axis="social")
    assert summary.lines and "DCP" not in repr(summary) and SECRET not in repr(summary)


def test_a_value_behind_its_path_by_less_than_one_percent_of_the_target_is_on_track():
    """Reader 1, B8: IND-04 « En retard » and in « Rattraper le retard » for 1 280 € on a target of
    1 200 000 €. 2025 expects 133,33 (a third of the way from 100 to 200): 1 % of the target is 2."""
    def line_with(value):
        return only_line(compute_summary(
            [indicator(values=[("2024", "DRC", 100), ("2025", "DRC", value)])], DIRECTORATES, TODAY, scope=EVERYONE))

    close = line_with(132)
    assert close.expected_value == Decimal("133.33") and close.status is Status.ON_TRACK
    assert progress_text(close).replace("\u00a0", " ") == (
        # Reader 10, B5: « écart toléré » read as jargon.
        "légèrement en deçà de la trajectoire, qui prévoit 133 heures pour 2025, écart inférieur à la marge admise (1 % de la cible, soit 2 heures)"
    )
    assert line_with(131).status is Status.LATE  # 2,33 behind: more than 1 % of 200
    assert any("1\u00a0% de la cible" in rule for rule in RULES_ITEMS) and "1\u00a0% de la cible" in CARD_RULES_TEXT
    assert TOLERANCE_PERCENT_OF_TARGET == 1, "the rules shown to readers say 1 %"
