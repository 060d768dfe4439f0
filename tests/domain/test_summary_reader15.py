"""Reader 15's findings on the summary: its decisions (blocking 3) and its wording (minors)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency, Period
from domain.indicators.units import Unit
from domain.summary.answers import late_answer
from domain.summary.attention import attention_points
from domain.summary.chart_notes import bar_note
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateCompleteness, DirectorateInfo, IndicatorSnapshot, MissingReport
from domain.summary.scope import Scope
from domain.summary.wording import missing_sentence, missing_text
from tests.domain.test_summary_legal_limit import DIRECTORATES, egalim, payment_delay, plain


def test_b3_a_path_outside_the_law_is_to_revise_whatever_the_freshness_of_the_value():
    """IND-11's last value is 2026's while 2027 is due: the SPASER's path, which stays above the
    30-day maximum until 2028, is unchanged and still needs revising, said for the period due."""
    ceiling = replace(payment_delay(38), target=Decimal(30), target_year=2028)
    floor = replace(egalim(42), values=(("2025", "DRC", 30), ("2026", "DRC", 42), ("2027", "DRC", 44)),
                    target=Decimal(60), target_year=2030)
    shown = compute_summary([floor, ceiling], DIRECTORATES, date(2028, 3, 1), scope=Scope.everything())
    assert [line.is_stale for line in shown.lines] == [False, True]
    (decision,) = map(plain, attention_points(shown).decisions)
    assert decision.endswith(
        "La trajectoire du SPASER est à réviser : pour IND-09, elle prévoit 42 % en 2027 et n’atteint le "
        "minimum légal qu’en 2029 ; pour IND-11, elle prévoit 35 jours en 2027 et ne revient au maximum "
        "légal qu’en 2028."
    ), decision


def _behind() -> DirectorateCompleteness:
    quarter, year = Period(2026, Frequency.QUARTERLY, 3), Period(2025, Frequency.ANNUAL, 1)
    missing = [MissingReport(code, year) for code in ("IND-04", "IND-05")]
    missing += [MissingReport(code, quarter) for code in ("IND-01", "IND-02", "IND-03")]
    return DirectorateCompleteness(DirectorateInfo("DCP", "Commande publique"), 6, 1, tuple(missing))


def test_minor_11_12_codes_end_with_et_and_a_cell_starts_upper_case():
    """« IND-01, IND-02, IND-03 » read as a list cut short; « année 2025 : IND-04 » opened a table cell
    in lower case. Mid-sentence, after « ; », the period stays lower case."""
    row = _behind()
    assert plain(missing_text(row)) == "Année 2025 : IND-04 et IND-05 ; 3ᵉ trimestre 2026 : IND-01, IND-02 et IND-03"
    assert plain(missing_sentence(row)) == (
        "à saisir pour l’année 2025 : IND-04 et IND-05 ; pour le 3ᵉ trimestre 2026 : IND-01, IND-02 et IND-03"
    )


def test_minor_12_a_chart_row_without_a_bar_starts_upper_case():
    """« année 2026 : valeur non renseignée » under a chart row: a label's head takes its capital."""
    line = compute_summary(
        [payment_delay(38)], DIRECTORATES, date(2028, 3, 1), scope=Scope.everything()
    ).lines[0]
    assert line.is_stale
    assert plain(bar_note(line)).startswith("Année 2027 : valeur non renseignée ; dernière valeur connue non conforme")


def test_minor_8_the_chat_says_a_last_value_is_the_total_of_the_directorates():
    """« IND-03 … dernière valeur : 14 461 heures » in the chat, « (ensemble des directions) » in the report."""
    hours = IndicatorSnapshot(
        code="IND-03", label="Heures d’insertion", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.ANNUAL,
        directorates=("DRC", "DCP"), direction=ImprovementDirection.UP, baseline=Decimal(100),
        target=Decimal(400), target_year=2030, values=(("2024", "DRC", 150), ("2024", "DCP", 130)),
    )
    answer = plain(late_answer(compute_summary([hours], DIRECTORATES, date(2026, 12, 4), scope=Scope.everything())))
    assert "dernière valeur : 280 heures en 2024 (ensemble des directions) ; l’année 2025 reste à saisir" in answer
