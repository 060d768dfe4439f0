"""Reader 8, a fresh French reader of the e2e artifacts: the « sans cible » tile and the decision
« Fixer une cible », an indicator outside the law read as « en avance », trajectories of countable
things in fractions. Each test fails on the wording or count they read."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from domain.indicators.units import Unit
from domain.summary.attention import attention_points, cadence_alerts
from domain.summary.card import summary_card_content
from domain.summary.compute import compute_summary
from domain.summary.indicator_wording import judged_text
from domain.summary.model import Status
from domain.summary.reading_rules import RULES_ITEMS
from domain.summary.scope import Scope
from tests.domain.test_summary_issue17 import DIRECTORATES, RESERVED, TODAY, catalogue, plain
from tests.domain.test_summary_issue17 import summary as _with_cadence
from tests.summary_support import texts_in


def _untargeted_catalogue():
    """Two indicators without a target: one reported for the period due, one only for an older period."""
    by_code = {snapshot.code: snapshot for snapshot in catalogue()}
    return [
        *catalogue(),
        replace(by_code["PART"], code="SANS1", target=None, target_year=None, baseline=None),
        replace(by_code["RES"], code="SANS2", target=None, target_year=None, baseline=None),  # 2024 only: stale
    ]


def _named_in_target_decision(summary) -> list[str]:
    (decision,) = [text for text in attention_points(summary).decisions if text.startswith("Fixer une cible")]
    return re.findall(r"\(([A-Z][A-Z0-9-]+)[,)]", decision)


def test_a5_a6_the_no_target_tile_counts_exactly_the_indicators_named_in_the_target_decision():
    """« 1 sans cible » next to « Fixer une cible pour IND-15 … et IND-23 »: IND-15, without a target
    and not reported for the period due, counted as « non renseigné » but named as needing a target."""
    for scope in (Scope.everything(), Scope.only("DEE"), Scope.only("DCP")):
        summary = compute_summary(_untargeted_catalogue(), DIRECTORATES, TODAY, scope=scope)
        named = _named_in_target_decision(summary)
        assert summary.status_counts[Status.NO_TARGET] == len(named)
        assert {line.code for line in summary.lines if line.status is Status.NO_TARGET} == set(named)
    summary = compute_summary(_untargeted_catalogue(), DIRECTORATES, TODAY, scope=Scope.everything())
    assert _named_in_target_decision(summary) == ["SANS1", "SANS2"]
    shown = plain(texts_in(summary_card_content(summary)))
    # Reader 9, A6: SANS2, not reported either, is said so: the not reported add up; reader 10, A2: in a
    # sentence of its own, the groups of the counts staying disjoint.
    assert "2 sans cible." in shown and "(dont" not in shown
    assert ("Au total, 2 indicateurs attendent la valeur de leur dernière période : l’indicateur non renseigné "
            "et SANS2 (sans cible).") in shown
    dee = compute_summary(_untargeted_catalogue(), DIRECTORATES, TODAY, scope=Scope.only("DEE"))
    assert "heures d’insertion (HRS, cible fixée pour l’ensemble des directions)" in plain(
        " ".join(attention_points(dee).decisions))


def test_a8_a9_the_path_of_countable_things_is_in_whole_numbers():
    """« qui prévoit 3,5 comités techniques », « qui prévoit 4,9 marchés réservés »."""
    lines = {line.code: line for line in compute_summary(catalogue(), DIRECTORATES, TODAY, scope=Scope.everything()).lines}
    committees = lines["COT"]  # 3 held in 2025, 4 expected (reader 10, A3: whole meetings)
    assert committees.latest_value == 3 and committees.expected_value == 4
    assert "qui en prévoit 4 (" in plain(judged_text(committees))
    reserved = replace(committees, snapshot=replace(committees.snapshot, code="RES", label=RESERVED,
                                                    counted_noun="marché réservé"),
                       latest_value=Decimal(3), expected_value=Decimal("4.9"))
    # Reader 11, A1: the whole number the path has reached (4,9 → 4), never the next one ahead of time.
    assert "qui en prévoit 4 (" in plain(judged_text(reserved))
    ahead = replace(reserved, status=Status.ON_TRACK, latest_value=Decimal(6))
    assert "en avance sur la trajectoire, qui en prévoit 4 (" in plain(judged_text(ahead))
    people = replace(reserved, snapshot=replace(reserved.snapshot, unit=Unit.PEOPLE, counted_noun=""),
                     latest_value=Decimal(78), expected_value=Decimal("135.6"))
    assert "qui en prévoit 135 (" in plain(judged_text(people))


def test_a12_the_reading_rules_say_the_limit_may_be_set_by_a_regulation():
    """The 30-day payment delay is in art. R. 2192-10, a regulation, not a law."""
    rules = plain(" ".join(RULES_ITEMS))
    assert "sous le minimum fixé par la loi ou le règlement (au-dessus du maximum" in rules


def test_b16_the_catch_up_decision_names_the_late_indicators_by_code():
    """« Rattraper le retard pour IND-13, IND-22, IND-12 et IND-14 »: in no order a reader sees; reader 12,
    B10: by code there, by gap in « Indicateurs en retard »: both now keep the furthest behind first."""
    renamed = {"PART": "IND-13", "GES": "IND-2", "HRS": "IND-12", "COT": "IND-14"}
    indicators = [replace(snapshot, code=renamed.get(snapshot.code, snapshot.code)) for snapshot in catalogue()]
    summary = compute_summary(indicators, DIRECTORATES, TODAY, scope=Scope.everything())
    late = [line.code for line in attention_points(summary).late]
    assert len(late) == 3 and late != sorted(late)  # the list keeps the furthest behind first
    (decision,) = [text for text in attention_points(summary).decisions if text.startswith("Rattraper le retard")]
    named = re.findall(r"\((IND-\d+)\)", decision)
    assert named == late


def test_a7_three_committees_are_below_the_spaser_s_own_target_not_late_next_to_the_advised_three_to_four():
    (cotech,) = [alert for alert in cadence_alerts(_with_cadence()) if alert.startswith("Comité technique")]
    # Reader 9, B12: « 3 tenus » left out its noun.
    # Reader 10, A4: a target for 2026 is not compared with the 3 held in 2025.
    assert plain(cotech).endswith("; 3 réunions tenues en 2025 (indicateur COT).") and "pour une cible" not in cotech
    assert "en retard" not in cotech
