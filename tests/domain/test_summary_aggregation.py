"""Aggregation across directorates by the rule the catalogue declares: sum, mean, mean weighted by
another indicator of the same directorate and period, single organisation-wide value. Every
expected figure is computed by hand in the comment above it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency, parse_period
from domain.indicators.units import Unit
from domain.summary.chart import progress_bar_label
from domain.summary.compute import compute_summary
from domain.summary.indicator_wording import (
    aggregation_text,
    detail_text,
    late_text,
    trend_text,
    value_text,
)
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status, TrendDirection
from domain.summary.reading_rules import RULES_ITEMS, rules_items
from domain.summary.scope import Scope
from domain.summary.trajectory_wording import progress_text

TODAY = date(2026, 3, 1)  # annual indicators are due for 2025
EVERYONE = Scope.everything()
DIRECTORATES = [DirectorateInfo("DCP"), DirectorateInfo("DPB"), DirectorateInfo("DSI")]


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def rate(values, *, directorates=("DCP", "DPB"), base="MARCHES", rule=AggregationRule.WEIGHTED_MEAN,
         frequency=Frequency.ANNUAL, baseline="10", target="40"):
    return IndicatorSnapshot(
        code="PART", label="Part des marchés avec clause d’insertion", axis=Axis.SOCIAL, unit=Unit.PERCENT,
        frequency=frequency, directorates=directorates, direction=ImprovementDirection.UP,
        baseline=None if baseline is None else Decimal(baseline), target=None if target is None else Decimal(target),
        target_year=None if target is None else 2028, values=tuple(values), aggregation=rule,
        weighting_base=base if rule is AggregationRule.WEIGHTED_MEAN else None,
    )


def contracts(values, *, frequency=Frequency.ANNUAL, code="MARCHES"):
    return IndicatorSnapshot(
        code=code, label="Marchés notifiés", axis=Axis.GOVERNANCE, unit=Unit.COUNT, frequency=frequency,
        directorates=("DCP", "DPB", "DSI"), direction=ImprovementDirection.UP, values=tuple(values),
    )


def line_of(catalogue, code="PART", **options):
    options.setdefault("scope", EVERYONE)
    summary = compute_summary(catalogue, DIRECTORATES, TODAY, **options)
    return next(line for line in summary.lines if line.code == code)


def test_a_weighted_mean_weights_each_rate_by_the_same_directorates_base_for_the_same_period():
    # 2025: DCP 20 % of 300 contracts, DPB 50 % of 100 → (20 × 300 + 50 × 100) / 400 = 27,5 %.
    # The plain mean would say 35 %; DSI's 900 contracts weigh nothing, it reported no rate.
    weights = contracts([("2025", "DCP", 300), ("2025", "DPB", 100), ("2025", "DSI", 900)])
    line = line_of([rate([("2025", "DCP", 20), ("2025", "DPB", 50)]), weights])
    assert line.aggregation is AggregationRule.WEIGHTED_MEAN
    assert line.latest_value == Decimal("27.50")
    assert (line.reporting_count, line.responsible_count) == (2, 2) and line.unweighted == ()


def test_a_weighted_mean_uses_the_weights_of_its_own_period_only():
    # 2024: DCP 10 % × 100, DPB 40 % × 300 → (1 000 + 12 000) / 400 = 32,5 %.
    # 2025: DCP 20 % × 300, DPB 50 % × 100 → 27,5 %: a fall, whatever the plain means (25 → 35).
    weights = contracts([("2024", "DCP", 100), ("2024", "DPB", 300), ("2025", "DCP", 300), ("2025", "DPB", 100)])
    values = [("2024", "DCP", 10), ("2024", "DPB", 40), ("2025", "DCP", 20), ("2025", "DPB", 50)]
    line = line_of([rate(values), weights])
    assert line.latest_value == Decimal("27.50")
    assert line.trend.direction is TrendDirection.DOWN and line.trend.previous_value == Decimal("32.50")


def test_a_directorate_without_its_weight_is_left_out_and_named():
    # DPB reported 50 % but not its number of contracts for 2025: the mean is DCP's alone, 20 %,
    # marked partial (1 of 2), and DPB is named rather than counted with a guessed weight.
    weights = contracts([("2025", "DCP", 300), ("2024", "DPB", 100)])
    line = line_of([rate([("2025", "DCP", 20), ("2025", "DPB", 50)]), weights])
    assert line.latest_value == Decimal("20.00")
    assert line.unweighted == ("DPB",) and line.is_partial
    assert plain(value_text(line)) == (
        "20 % en 2025 (d’après 1 des 2 directions concernées) ; la direction DPB n’est pas comptée (sans valeur pour l’indicateur de pondération MARCHES)"
    )


def test_without_any_weight_the_period_has_no_value_and_an_older_weighted_period_is_stale():
    # 2024 is weighted: DCP 10 % × 1, DPB 30 % × 3 → (10 + 90) / 4 = 25 %. 2025 has no weight at
    # all: no 2025 value, so the latest value is 2024's, older than the 2025 due: not reported.
    weights = contracts([("2024", "DCP", 1), ("2024", "DPB", 3)])
    values = [("2024", "DCP", 10), ("2024", "DPB", 30), ("2025", "DCP", 20), ("2025", "DPB", 50)]
    line = line_of([rate(values), weights])
    assert line.latest_period.code == "2024" and line.latest_value == Decimal("25.00")
    assert line.status is Status.NOT_REPORTED and line.is_stale
    never = line_of([rate([("2025", "DCP", 20)]), contracts([])])
    assert never.latest_value is None and never.status is Status.NOT_REPORTED and never.unweighted == ("DCP",)
    assert plain(value_text(never)) == (
        "aucune valeur saisie ; la direction DCP n’est pas comptée (sans valeur pour l’indicateur de pondération MARCHES)"
    )


def test_weights_adding_up_to_zero_give_no_value_rather_than_a_division_by_zero():
    zero = contracts([("2025", "DCP", 0), ("2025", "DPB", 0)])
    line = line_of([rate([("2025", "DCP", 20), ("2025", "DPB", 50)]), zero])
    assert line.latest_value is None and line.status is Status.NOT_REPORTED


def test_a_weighting_base_of_another_frequency_weighs_nothing():
    # Quarterly contract counts cannot weight an annual rate: the periods never match.
    weights = contracts([("2025-T4", "DCP", 300), ("2025-T4", "DPB", 100)], frequency=Frequency.QUARTERLY)
    line = line_of([rate([("2025", "DCP", 20), ("2025", "DPB", 50)]), weights])
    assert line.latest_value is None and line.unweighted == ("DCP", "DPB")


def test_an_inactive_weighting_base_passed_apart_still_weighs():
    weights = contracts([("2025", "DCP", 300), ("2025", "DPB", 100)])
    summary = compute_summary([rate([("2025", "DCP", 20), ("2025", "DPB", 50)])], DIRECTORATES, TODAY, scope=EVERYONE,
                              weighting_bases=[weights])
    assert [line.code for line in summary.lines] == ["PART"]
    assert summary.lines[0].latest_value == Decimal("27.50")


def test_a_directorates_view_of_a_weighted_mean_is_its_own_rate_against_the_target():
    # DPB alone: 50 % (its own weight, 100, divides out); the 10 % → 40 % target applies to its rate.
    weights = contracts([("2025", "DCP", 300), ("2025", "DPB", 100)])
    line = line_of([rate([("2024", "DPB", 30), ("2025", "DCP", 20), ("2025", "DPB", 50)]), weights],
                   scope=Scope.only("DPB"))
    assert line.latest_value == Decimal("50.00") and line.target_note is None
    assert line.status is Status.ACHIEVED


def test_a_plain_mean_is_still_unweighted_when_declared_so():
    # (20 + 50) / 2 = 35 %.
    line = line_of([rate([("2025", "DCP", 20), ("2025", "DPB", 50)], rule=AggregationRule.MEAN, base=None)])
    assert line.latest_value == Decimal("35.00") and line.aggregation is AggregationRule.MEAN


def test_a_single_value_is_the_organisations_one_not_a_sum():
    # Purchase emissions: the organisation's total, 48 200 → 38 000 tCO2e, reported by DEE alone.
    # Summed with a share reported elsewhere it once read 89 600 tCO2e (« avancement −406 % »).
    emissions = IndicatorSnapshot(
        code="IND-07", label="Émissions liées aux achats", axis=Axis.ENVIRONMENTAL, unit=Unit.TCO2E,
        frequency=Frequency.ANNUAL, directorates=("DEE",), direction=ImprovementDirection.DOWN,
        baseline=Decimal(48200), target=Decimal(38000), target_year=2030, aggregation=AggregationRule.SINGLE,
        values=(("2024", "DEE", 48200), ("2025", "DEE", 46100), ("2025", "DCP", 41400)),
    )
    line = line_of([emissions], code="IND-07")
    # Path from 48 200 (end of 2024) to 38 000 (end of 2030): one sixth by the end of 2025 ≈ 46 500.
    assert line.latest_value == Decimal(46100) and line.aggregation is AggregationRule.SINGLE
    assert line.status is Status.ON_TRACK
    assert round(line.progress_percent) == 21  # (48 200 − 46 100) / (48 200 − 38 000) = 20,6 %


def test_a_sum_still_adds_the_directorates_shares():
    hours = IndicatorSnapshot(
        code="H", label="Heures d’insertion", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.ANNUAL,
        directorates=("DCP", "DPB"), direction=ImprovementDirection.UP, aggregation=AggregationRule.SUM,
        values=(("2025", "DCP", 7500), ("2025", "DPB", 5000)),
    )
    assert line_of([hours], code="H").latest_value == Decimal(12500)


def committees_held(values):
    return IndicatorSnapshot(
        code="COT", label="Comités techniques tenus", axis=Axis.GOVERNANCE, unit=Unit.COUNT,
        frequency=Frequency.ANNUAL, directorates=("DCP",), direction=ImprovementDirection.UP,
        baseline=Decimal("2"), target=Decimal("6"), target_year=2028, values=tuple(values),
    )


def test_the_weighting_base_is_named_in_words_before_its_code():
    """Reader 4, B17: « moyenne pondérée par l’indicateur IND-23 » named a code, not what weighs."""
    weights = contracts([("2025", "DCP", 300), ("2025", "DPB", 100)])
    line = line_of([rate([("2025", "DCP", 20), ("2025", "DPB", 50)]), weights])
    assert plain(aggregation_text(line)) == "moyenne des directions pondérée par les marchés notifiés (MARCHES)"
    kilometres = replace(line, weighting_label="Kilomètres parcourus par les véhicules de service")
    assert plain(aggregation_text(kilometres)) == (
        "moyenne des directions pondérée par les kilomètres parcourus par les véhicules de service (MARCHES)"
    )
    count = replace(line, weighting_label="Nombre de marchés notifiés")
    assert plain(aggregation_text(count)) == (
        "moyenne des directions pondérée par l’indicateur « Nombre de marchés notifiés » (MARCHES)"
    )
    assert "indicateur IND" not in " ".join(RULES_ITEMS) and "directions constantes" not in " ".join(RULES_ITEMS)
    assert "selon un autre indicateur" not in " ".join(RULES_ITEMS)


def test_a_late_count_between_two_whole_numbers_gives_the_target_as_its_figure():
    # Reader 4, B7: « prévoit plus de 3 » gave no figure; reader 7, B22: the late line without « qui prévoit »
    # was the only one: the figure, even between two whole numbers; A8: the target is the SPASER's own.
    line = line_of([committees_held([("2023", "DCP", 2), ("2025", "DCP", 2)])], code="COT")
    assert line.status is Status.LATE
    assert plain(late_text(line)) == (
        "2 en 2025, en deçà de la trajectoire, qui en prévoit 3 (cible : 6 en 2028)"  # the report's words (issue 17)
    )  # 2 + (6 − 2) × 2/5 = 3,6: the path has reached 3, not yet 4 (reader 11, A1)


def test_a_path_of_meetings_expects_a_whole_number_the_one_the_status_uses():
    """Reader 1, A8 and reader 9, A4: « 3,5 comités techniques » is no count; reader 10, A3: « qui
    prévoit 3,5 comités techniques » read as a calculation artefact, and « en retard » rested on that
    half meeting. Reader 11, A1: rounded half up, the path « prévoit 4 » in 2025 for a target of 4 in
    2026, and the chart put the mark at 100 %. The path expects the whole number it has reached."""
    held = replace(committees_held([("2022", "DCP", 2), ("2025", "DCP", 3)]), target=Decimal(4), target_year=2026)
    line = line_of([held], code="COT")  # 2 + (4 − 2) × 3/4 = 3,5 → 3
    assert line.expected_value == 3 and line.status is Status.ON_TRACK
    assert line.expected_progress_percent == 50 == line.progress_percent
    assert "sur la trajectoire, qui en prévoit 3" in plain(detail_text(line))
    assert "prévoit 4" not in plain(detail_text(line))
    # One short of the whole number reached: late, and the sentence says that number.
    short = replace(held, target=Decimal(6), target_year=2026, values=(("2022", "DCP", 2), ("2025", "DCP", 3)))
    line = line_of([short], code="COT")  # 2 + (6 − 2) × 3/4 = 5
    assert line.expected_value == 5 and line.status is Status.LATE
    assert plain(late_text(line)) == "3 en 2025, en deçà de la trajectoire, qui en prévoit 5 (cible : 6 en 2026)"
    # A falling path of whole things rounds up, towards its baseline: 3,5 expected is 4 still allowed.
    falling = replace(held, baseline=Decimal(5), target=Decimal(2), target_year=2026,
                      direction=ImprovementDirection.DOWN, values=(("2022", "DCP", 5), ("2025", "DCP", 4)))
    line = line_of([falling], code="COT")  # 5 − 3 × 3/4 = 2,75 → 3
    assert line.expected_value == 3 and line.status is Status.LATE


def test_the_reading_rules_state_how_a_path_of_whole_things_is_rounded():
    held = replace(committees_held([("2022", "DCP", 2), ("2025", "DCP", 3)]), target=Decimal(4), target_year=2026)
    rules = plain(" ".join(rules_items(compute_summary([held], DIRECTORATES, TODAY, scope=EVERYONE))))
    # Reader 12, B17: « (3 comités techniques quand elle en est à 3,5 ; 4 pour… ») was not understood.
    assert ("(si la trajectoire prévoit 3,5 comités, on attend 3 comités pour un indicateur à la hausse, 4 pour "
            "un indicateur à la baisse)") in rules


def test_an_expected_value_is_never_rounded_into_the_value():
    # 9,96 % expected next to a value of 10 % reads « 9,96 % », not « 10 % ».
    line = line_of([committees_held([("2024", "DCP", 2), ("2025", "DCP", 3)])], code="COT")
    line = replace(line, snapshot=replace(line.snapshot, target=Decimal(4), target_year=2026), status=Status.LATE)
    percent = replace(line, snapshot=replace(line.snapshot, unit=Unit.PERCENT, target=Decimal(20)),
                      latest_value=Decimal(10), expected_value=Decimal("9.96"))
    assert "de la trajectoire, qui prévoit 9,96 %" in plain(late_text(percent))


def test_a_target_passed_reads_as_passed_rather_than_a_progress_above_100_percent():
    line = line_of([committees_held([("2023", "DCP", 2), ("2025", "DCP", 10)])], code="COT")
    assert line.progress_percent > 100
    assert progress_text(line) == "cible dépassée" and "%" not in detail_text(line).split("·")[1]


def test_a_progress_equal_to_the_path_says_so_rather_than_repeating_the_figure():
    # « avancement de 44 %, contre 44 % selon la trajectoire » read as a contrast that is not one.
    line = line_of([committees_held([("2023", "DCP", 2), ("2025", "DCP", 3)])], code="COT")
    line = replace(line, status=Status.ON_TRACK, progress_percent=44.2, expected_progress_percent=43.8,
                   expected_value=Decimal(3))
    # A fresh reader: « attendus à ce jour » while the path is computed for the period measured (2025).
    # Reader 7, B18: « 44 % du chemin parcouru » was a third kind of percentage: the value the path expects.
    assert plain(progress_text(line)) == "sur la trajectoire, qui en prévoit 3 pour 2025"
    quarter = replace(line, latest_period=parse_period("2026-T3", Frequency.QUARTERLY))
    assert plain(progress_text(quarter)) == "sur la trajectoire, qui en prévoit 3 au 3ᵉ trimestre 2026"
    assert "du chemin" not in plain(detail_text(line))


def test_the_chart_labels_a_bar_past_its_target_with_the_value_rather_than_a_percentage_above_100():
    # Reader 9: every bar says the indicator's value in its unit, never its share of the way (« 204 % »).
    line = line_of([committees_held([("2023", "DCP", 2), ("2025", "DCP", 10)])], code="COT")
    # Reader 10, C11: the bar stops at the axis' end (125 %): its label says it goes further.
    assert progress_bar_label(line) == "10 · cible dépassée"  # reader 11, A8: not « 10 (> 125 %) »


def test_an_indicator_without_a_target_goes_up_or_down_not_better_or_worse():
    kilometres = replace(committees_held([("2024", "DCP", 2), ("2025", "DCP", 4)]), target=None, target_year=None)
    line = line_of([kilometres], code="COT")
    assert line.status is Status.NO_TARGET
    assert trend_text(line, with_period=False) == "↑\u00a0en hausse"


def test_a_trend_says_which_way_only_the_status_says_whether_it_is_good():
    """Reader 1, B6: « ↑ en progrès » next to « En retard » read as a contradiction."""
    line = line_of([committees_held([("2023", "DCP", 2), ("2025", "DCP", 2.5)])], code="COT")
    assert line.status is Status.LATE and line.trend.improved
    assert plain(trend_text(line, with_period=False)) == "↑ en hausse, mais trop lentement"
    assert "progrès" not in detail_text(line, compact=True)


def test_a_trend_says_whether_it_goes_the_way_of_the_objective():
    """Reader 3: « ↓ en baisse » alone did not say whether falling was good news."""
    falling = line_of([committees_held([("2023", "DCP", 2), ("2024", "DCP", 5), ("2025", "DCP", 4)])], code="COT")
    late = replace(falling, status=Status.LATE)
    assert plain(trend_text(late)) == "↓ en baisse depuis 2024, à l’inverse de l’objectif"
    emissions = replace(committees_held([("2024", "DCP", 9), ("2025", "DCP", 7)]),
                        direction=ImprovementDirection.DOWN, baseline=Decimal(10), target=Decimal(2))
    assert plain(trend_text(line_of([emissions], code="COT"))) == "↓ en baisse depuis 2024, dans le bon sens"


def test_a_fall_on_track_does_not_contradict_the_status():
    """Reader 4, B6: « ↓ en baisse, à l’inverse de l’objectif » next to « En bonne voie »."""
    falling = line_of([committees_held([("2023", "DCP", 2), ("2024", "DCP", 5), ("2025", "DCP", 4)])], code="COT")
    assert falling.status is Status.ON_TRACK and falling.trend.improved is False
    # Reader 7, B23: « toujours sur la trajectoire » was false for a value just behind it.
    assert plain(trend_text(falling)) == "↓ en baisse depuis 2024, mais toujours en bonne voie"
    achieved = replace(falling, status=Status.ACHIEVED)
    assert plain(trend_text(achieved, with_period=False)) == "↓ en baisse, mais la cible reste atteinte"


def test_a_mean_is_shown_to_one_decimal_place_like_the_values_typed():
    """Reader 1, C4: « 31,85 % » with two decimals, when every other rate has one."""
    # (20,5 × 300 + 65,5 × 100) / 400 = 31,75 → « 31,8 % »; the value itself keeps its precision.
    weights = contracts([("2025", "DCP", 300), ("2025", "DPB", 100)])
    line = line_of([rate([("2025", "DCP", "20.5"), ("2025", "DPB", "65.5")]), weights])
    assert line.latest_value == Decimal("31.75")
    assert plain(value_text(line)).startswith("31,8 % en 2025")


def test_the_status_without_a_target_reads_the_same_in_the_counts_and_on_each_line():
    """Reader 1, C4: « 2 sans cible » in the counts, « Pas de cible » on the lines."""
    from domain.summary.wording import status_count_label, status_title

    assert (status_count_label(Status.NO_TARGET, 2), status_title(Status.NO_TARGET)) == ("sans cible", "Sans cible")


def test_the_emissions_unit_is_written_in_words_with_no_reading_rule():
    """Reader 4, B22: « t CO₂e » is a notation an élu·e may not know; issue 17, B15: read out once in
    the rules, it still met officials on every value: the values say « tonnes équivalent CO₂ »."""
    emissions = replace(committees_held([("2024", "DCP", 9), ("2025", "DCP", 7)]), unit=Unit.TCO2E,
                        direction=ImprovementDirection.DOWN, baseline=Decimal(10), target=Decimal(2))
    summary = compute_summary([emissions], [DirectorateInfo("DCP")], date(2026, 3, 1), scope=EVERYONE)
    (line,) = summary.lines
    assert plain(value_text(line)) == "7 tonnes équivalent CO₂ en 2025"
    assert plain(detail_text(line)).count("tonnes équivalent CO₂") == 3  # the value, the expected value, the target
    assert not any("CO₂" in item for item in rules_items(summary))


def test_a_mean_of_people_reads_as_a_mean_not_a_range():
    """« 3 à 4 personnes » read as a range what is the directorates' average, 3,5 people."""
    trained = IndicatorSnapshot(
        code="FORM", label="Personnes formées par direction", axis=Axis.SOCIAL, unit=Unit.PEOPLE,
        frequency=Frequency.ANNUAL, directorates=("DCP", "DPB"), direction=ImprovementDirection.UP,
        values=(("2025", "DCP", 3), ("2025", "DPB", 4)), aggregation=AggregationRule.MEAN,
    )
    assert plain(value_text(line_of([trained], code="FORM"))).startswith("3,5 personnes en 2025")
