"""What the fourth and fifth French readers found in the summary's sentences: nested brackets in the chat
answers, « a saisi 0 indicateur », the next meeting without its full stop, and two wordings for
« no meeting planned »."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from domain.committees.messages import no_meeting_text
from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.answers import late_answer
from domain.summary.card import summary_card_content, summary_detail_card_content
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, UpcomingMeeting
from domain.summary.report import report_html
from domain.summary.scope import Scope
from domain.summary.wording import completeness_headline, short_name
from domain.text import listed_names

TODAY = date(2026, 3, 1)
DIRECTORATES = [DirectorateInfo("DCP", "Direction de la commande publique"), DirectorateInfo("DRH", "Ressources humaines")]


def indicator(code: str, *, values=(), directorates=("DCP",)) -> IndicatorSnapshot:
    return IndicatorSnapshot(
        code=code, label=f"Heures d’insertion {code}", axis=Axis.SOCIAL, unit=Unit.HOURS, frequency=Frequency.ANNUAL,
        directorates=directorates, direction=ImprovementDirection.UP, baseline=Decimal(100), target=Decimal(200),
        target_year=2027, values=tuple(values),
    )


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def strings(node) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in strings(value)]
    return [node] if isinstance(node, str) else []


def test_a_directorate_answer_has_no_brackets_inside_brackets():
    summary = compute_summary([indicator("A"), indicator("B")], DIRECTORATES, TODAY, scope=Scope.only("DCP"))
    heading = plain(late_answer(summary)).split("\n")[0]
    assert heading.startswith("**Indicateurs à surveiller** — ")
    assert "((" not in heading and not ("(" in heading and heading.count("(") > 1)


def test_a_directorate_that_entered_nothing_is_said_so_in_words():
    summary = compute_summary([indicator("A"), indicator("B")], DIRECTORATES, TODAY, scope=Scope.only("DCP"))
    headline = plain(completeness_headline(summary))
    assert headline == "Aucun des 2 indicateurs de la direction DCP n’est saisi pour l’année 2025."
    assert "0 indicateur" not in headline


def test_the_next_meeting_line_ends_its_sentence():
    meeting = UpcomingMeeting("Comité de pilotage", datetime(2026, 3, 12, 13, 0, tzinfo=UTC), "salle du conseil")
    summary = compute_summary([indicator("A")], DIRECTORATES, TODAY, scope=Scope.everything(), next_meetings=[meeting])
    line = next(text for text in strings(summary_card_content(summary)) if text.startswith("Prochaine réunion"))
    assert plain(line).endswith("(salle du conseil).")


def test_no_meeting_planned_reads_as_in_chat_on_the_card_and_in_the_report():
    summary = compute_summary([indicator("A")], DIRECTORATES, TODAY, scope=Scope.everything())
    assert no_meeting_text() in strings(summary_card_content(summary))
    assert no_meeting_text() in report_html(summary).decode()


def test_a_cadence_warning_on_the_card_is_red_never_teams_yellow():
    """Reader 5, A3: the card's cadence warnings sat in a « warning » container, orange-yellow on white."""
    summary = compute_summary([indicator("A")], DIRECTORATES, TODAY, scope=Scope.everything(),
                              catalogue_warning="Le catalogue compte trop d’indicateurs.")
    content = summary_detail_card_content(summary)
    assert '"warning"' not in json.dumps(content).lower()
    warned = [node for node in nodes(content) if str(node.get("text", "")).startswith("⚠")]
    assert warned and all(node.get("color") == "Attention" for node in warned)


def test_a_list_of_names_ends_with_et():
    """Reader 5, A4: « …, Sophie Laurent, Thomas Moreau n’ont pas… » lacked its « et »."""
    assert listed_names(["Thomas Moreau", "Élise Garnier", "Sophie Laurent"]) == "Élise Garnier, Sophie Laurent et Thomas Moreau"


def test_one_late_indicator_is_said_in_the_singular():
    """Reader 5, A6: « Non renseignés pour la période attendue (1) : » for one indicator."""
    one = plain(late_answer(compute_summary([indicator("A")], DIRECTORATES, TODAY, scope=Scope.everything())))
    assert "Indicateur non renseigné pour l’année 2025 (1) :" in one
    two = plain(late_answer(compute_summary([indicator("A"), indicator("B")], DIRECTORATES, TODAY, scope=Scope.everything())))
    assert "Indicateurs non renseignés pour l’année 2025 (2) :" in two


def nodes(node) -> list[dict]:
    if isinstance(node, dict):
        return [node] + [found for value in node.values() for found in nodes(value)]
    if isinstance(node, list):
        return [found for value in node for found in nodes(value)]
    return []


def test_the_few_indicators_left_out_of_the_card_are_named_in_full():
    """Reader 5, B8: « IND-14 (Comités techniques SPASER tenus dans…) » cut the titles it named; named as
    in a sentence since reader 14 (minor 13): « comités techniques … (IND-14) »."""
    label = "Comités techniques SPASER tenus dans l’année avec les directions"
    line = compute_summary([indicator("A")], DIRECTORATES, TODAY, scope=Scope.everything()).lines[0]
    assert short_name(replace(line, snapshot=replace(line.snapshot, label=label))) == f"{label[0].lower()}{label[1:]} (A)"


def test_a_directorate_with_its_one_indicator_missing_is_said_so():
    """Review: « La direction DCP n’a encore saisi son indicateur » said the opposite of what it meant."""
    summary = compute_summary([indicator("A")], DIRECTORATES, TODAY, scope=Scope.only("DCP"))
    assert plain(completeness_headline(summary)).startswith("La direction DCP n’a pas encore saisi son indicateur")
