"""Issue 17, what the last French readers still found: a date broken before its year (« au dimanche
6 décembre / 2026 »), « pour la période attendue » over indicators due for different periods, a chat
list of one « - » item, and a committee alert that ignored the meeting planned next month."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from pypdf import PdfReader

from domain.committees.cadence import check_cadence, default_committee_types
from domain.committees.messages import cadence_lines
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.answers import late_answer, not_up_to_date_answer, reached_answer
from domain.summary.attention import cadence_alerts
from domain.summary.card import summary_card_content
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot
from domain.summary.report import report_html
from domain.summary.report_pdf import report_pdf
from domain.summary.scope import Scope
from domain.summary.wording import scope_text

NBSP = "\u00a0"
TODAY = date(2026, 12, 6)
DIRECTORATES = [DirectorateInfo("DCP", "Direction de la commande publique"), DirectorateInfo("DRH", "Ressources humaines")]


def indicator(code, *, frequency=Frequency.ANNUAL, values=(), target=200, directorates=("DCP",)) -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code=code, label=f"Heures d’insertion {code}", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=frequency,
        directorates=directorates, direction=ImprovementDirection.UP, baseline=Decimal(100), target=Decimal(target),
        target_year=2027, values=tuple(values),
    )


def summarise(indicators, **options):
    return compute_summary(indicators, DIRECTORATES, TODAY, scope=Scope.everything(), **options)


def test_the_report_keeps_its_date_whole_in_the_pdf_the_html_the_card_and_the_chat():
    summary = summarise([indicator("A")])
    whole = f"6{NBSP}décembre{NBSP}2026"
    assert scope_text(summary).endswith(f"au {whole}")  # reader 6, C5: a situation at a date, no weekday
    assert whole in report_html(summary).decode()
    assert whole in json.dumps(summary_card_content(summary), ensure_ascii=False)
    assert whole in late_answer(summary)
    header = PdfReader(io.BytesIO(report_pdf(summary))).pages[0].extract_text().split("\n")
    assert any("au 6 décembre 2026" in line.replace(NBSP, " ") for line in header), header


def test_indicators_due_for_different_periods_are_not_said_due_for_one():
    yearly, quarterly = indicator("A"), indicator("T", frequency=Frequency.QUARTERLY)
    several = summarise([yearly, quarterly])
    assert "Indicateurs non renseignés pour les périodes attendues (2)" in late_answer(several)
    assert "Indicateurs non renseignés pour les périodes attendues (2)" in report_html(several).decode()
    one = summarise([yearly, indicator("B")])
    assert "Indicateurs non renseignés pour l’année 2025 (2)" in late_answer(one)
    assert "Indicateurs non renseignés pour l’année 2025 (2)" in report_html(one).decode()


def test_one_item_of_a_chat_answer_is_a_sentence_not_a_list_of_one_dash():
    late = late_answer(summarise([indicator("A")])).split("\n")
    assert late[2] == "**A** Heures d’insertion A — aucune valeur saisie."
    assert not any(line.startswith("- ") for line in late)
    reached = reached_answer(summarise([indicator("A", values=[("2025", "DCP", 300)])])).split("\n")
    assert reached[1].startswith("**A** Heures d’insertion A — ") and reached[1].endswith(".")
    behind = not_up_to_date_answer(summarise([indicator("A", directorates=("DCP", "DRH"))]))
    assert "- **" in behind, "two directorates behind: a list"
    alone = not_up_to_date_answer(summarise([indicator("A")])).split("\n")
    assert alone[1].startswith("**DCP**") and alone[1].endswith(".") and not any(line.startswith("- ") for line in alone)
    two = late_answer(summarise([indicator("A"), indicator("B")]))
    assert "\n- **A** " in two and "\n- **B** " in two


def test_a_committee_alert_names_the_meeting_planned_next():
    copil = default_committee_types()[next(iter(default_committee_types()))]
    planned = [(datetime(2027, 7, 12, 9, 0, tzinfo=UTC), "planned")]  # past the 6 months (reader 10, A4)
    warnings = check_cadence(copil, planned, TODAY)
    summary = summarise([indicator("A")], cadence_warnings=warnings)
    (alert,) = cadence_alerts(summary)
    assert alert.replace(NBSP, " ").startswith(f"{copil.label} : aucune réunion planifiée avec l’assistant au cours des 12 derniers mois")
    # Reader 7, A5: « le prochain » had no masculine antecedent.
    assert alert.endswith(f"{NBSP}; la prochaine est prévue le lundi 12{NBSP}juillet{NBSP}2027.")
    assert cadence_lines({copil.kind: copil}, warnings) == [f"⚠ {alert}"], "the committee chat says the same"
    nothing = check_cadence(copil, [], TODAY)
    assert "prévu le" not in cadence_alerts(summarise([indicator("A")], cadence_warnings=nothing))[0]
