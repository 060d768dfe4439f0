"""Each value carries its period: a value older than the period due is shown as such and counted as
not reported, in the card's counts, its chart, the COPIL report and the exports."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook
from pypdf import PdfReader

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.attention import attention_points
from domain.summary.compute import compute_summary
from domain.summary.exports import values_xlsx
from domain.summary.indicator_wording import value_text
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, Status
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from domain.summary.wording import completeness_headline, headline_text

DECEMBER = date(2026, 12, 4)  # due: 2025 (annual), 2026-T3 (quarterly)
EVERYONE = Scope.everything()
DIRECTORATES = [DirectorateInfo("DRC", "Restauration collective"), DirectorateInfo("DCP", "Commande publique")]


def indicator(code="IND-1", values=(), *, frequency=Frequency.ANNUAL, directorates=("DRC",), target="200",
              unit=Unit.HOURS):
    return IndicatorSnapshot(
        code=code, label="Heures d’insertion", axis=Axis.SOCIAL, unit=unit, frequency=frequency,
        directorates=directorates, direction=ImprovementDirection.UP, baseline=Decimal(100),
        target=None if target is None else Decimal(target), target_year=None if target is None else 2030,
        values=tuple(values),
    )


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_in_december_2026_an_annual_value_of_2024_is_not_reported_for_2025():
    # Was « en bonne voie » with « 0 non renseigné » next to « 0 direction à jour sur 7 ».
    summary = compute_summary([indicator(values=[("2023", "DRC", 110), ("2024", "DRC", 150)])], DIRECTORATES,
                              DECEMBER, scope=EVERYONE)
    (line,) = summary.lines
    assert line.status is Status.NOT_REPORTED and line.is_stale
    assert line.latest_period.code == "2024" and line.due_period.code == "2025"
    assert line.latest_value == Decimal(150)  # the last value stays visible, with its period
    assert line.progress_percent is None and line.expected_value is None
    assert summary.status_counts[Status.NOT_REPORTED] == 1 and summary.status_counts[Status.ON_TRACK] == 0
    assert plain(value_text(line)) == "dernière valeur : 150 heures en 2024 ; l’année 2025 reste à saisir"
    assert plain(headline_text(summary)) == "Un indicateur non renseigné."


def test_a_value_for_the_period_due_is_judged_as_before():
    summary = compute_summary([indicator(values=[("2024", "DRC", 100), ("2025", "DRC", 160)])], DIRECTORATES,
                              DECEMBER, scope=EVERYONE)
    (line,) = summary.lines
    assert line.status is Status.ON_TRACK and not line.is_stale
    assert plain(value_text(line)) == "160 heures en 2025"


def test_an_indicator_without_target_but_with_an_old_value_counts_as_without_target():
    # Reader 8: counted « non renseigné » but named in « Fixer une cible », the « sans cible » tile
    # disagreed with the decision; the missing value stays in the completeness rows.
    summary = compute_summary([indicator(target=None, values=[("2024", "DRC", 7)])], DIRECTORATES, DECEMBER,
                              scope=EVERYONE)
    (line,) = summary.lines
    assert line.status is Status.NO_TARGET
    assert plain(value_text(line)).startswith("dernière valeur : 7 heures en 2024")
    assert summary.completeness[0].missing


def test_a_sum_whose_period_due_is_incomplete_is_not_reported_and_says_who_answered():
    # 2026-T2: both directorates (a total); 2026-T3, due in December: DRC only. The organisation's
    # T3 total is not known, so the line shows T2's total and counts as not reported.
    hours = indicator(frequency=Frequency.QUARTERLY, directorates=("DRC", "DCP"), values=[
        ("2026-T2", "DRC", 100), ("2026-T2", "DCP", 50), ("2026-T3", "DRC", 120)])
    (line,) = compute_summary([hours], DIRECTORATES, DECEMBER, scope=EVERYONE).lines
    assert line.status is Status.NOT_REPORTED
    expected = "dernière valeur : 150 heures au 2ᵉ trimestre 2026 ; pour le 3ᵉ trimestre 2026, 1 des 2 directions concernées a répondu"
    assert plain(value_text(line)) == expected


def test_a_provisional_value_of_the_running_period_counts_as_current():
    # The lead may record 2026-T4 before it ends; a value newer than the one due is not stale.
    (line,) = compute_summary([indicator(frequency=Frequency.QUARTERLY, values=[("2026-T4", "DRC", 150)])],
                              DIRECTORATES, DECEMBER, scope=EVERYONE).lines
    assert not line.is_stale and line.status is not Status.NOT_REPORTED


def test_stale_values_are_points_of_attention_and_read_the_same_in_the_report_and_the_workbook():
    summary = compute_summary(
        [indicator("OLD", [("2024", "DRC", 150)]), indicator("NEW", [("2024", "DRC", 100), ("2025", "DRC", 101)])],
        DIRECTORATES, DECEMBER, scope=EVERYONE)
    points = attention_points(summary)
    assert [line.code for line in points.late] == ["NEW"] and [line.code for line in points.not_reported] == ["OLD"]
    html = plain(report_html(summary).decode())
    assert "dernière valeur : 150 heures en 2024 ; l’année 2025 reste à saisir" in html
    first_page = plain(" ".join(PdfReader(io.BytesIO(report_pdf(summary))).pages[0].extract_text().split()))
    assert "dernière valeur : 150 heures en 2024 ; l’année 2025 reste à saisir" in first_page
    overview = list(load_workbook(io.BytesIO(values_xlsx(summary)))["Synthèse"].iter_rows(values_only=True))
    old = next(row for row in overview if row[0] == "OLD")
    assert old[4] == "non renseigné" and old[6] == "2024" and old[7] == "2025"


def test_directorates_up_to_date_are_counted_among_those_concerned():
    # « 6 directions à jour sur 7 » while 8 directorates exist: the 7 are those with indicators.
    both = indicator(directorates=("DRC", "DCP"), values=[("2025", "DRC", 160)])
    summary = compute_summary([both], DIRECTORATES, DECEMBER, scope=EVERYONE)
    assert plain(completeness_headline(summary)) == "À jour : 1 direction sur 2 ; il manque la direction DCP (IND-1, année 2025)."


def test_the_directorates_that_answered_read_as_a_count_of_those_concerned_not_a_fraction():
    """Reader 7, B36: « 1 direction sur 2 a répondu » read as « half of the directorates »."""
    hours = indicator(frequency=Frequency.QUARTERLY, directorates=("DRC", "DCP", "DEE"), values=[
        ("2026-T2", "DRC", 100), ("2026-T2", "DCP", 50), ("2026-T2", "DEE", 10),
        ("2026-T3", "DRC", 120), ("2026-T3", "DCP", 60)])
    (line,) = compute_summary([hours], DIRECTORATES, DECEMBER, scope=EVERYONE).lines
    text = plain(value_text(line))
    assert text.endswith("pour le 3ᵉ trimestre 2026, 2 des 3 directions concernées ont répondu"), text
    assert " sur " not in text
