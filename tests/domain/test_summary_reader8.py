"""Reader 8, a fresh French reader of the e2e artifacts: the « sans cible » tile and the decision
« Cible à définir », an indicator outside the law read as « en avance », trajectories of countable
things in fractions. Each test fails on the wording or count they read."""

from __future__ import annotations

import re
from dataclasses import replace

from domain.summary.attention import attention_points
from domain.summary.card import summary_card_content
from domain.summary.compute import compute_summary
from domain.summary.model import Scope, Status
from tests.domain.test_summary_issue17 import DIRECTORATES, TODAY, catalogue, plain
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
    (decision,) = [text for text in attention_points(summary).decisions if text.startswith("Cible à définir")]
    return re.findall(r"\b([A-Z][A-Z0-9-]+) \(", decision)


def test_a5_a6_the_no_target_tile_counts_exactly_the_indicators_named_in_the_target_decision():
    """« 1 sans cible » next to « Cible à définir pour IND-15 … et IND-23 »: IND-15, without a target
    and not reported for the period due, counted as « non renseigné » but named as needing a target."""
    for scope in (Scope.everything(), Scope.only("DEE"), Scope.only("DCP")):
        summary = compute_summary(_untargeted_catalogue(), DIRECTORATES, TODAY, scope=scope)
        named = _named_in_target_decision(summary)
        assert summary.status_counts[Status.NO_TARGET] == len(named)
        assert {line.code for line in summary.lines if line.status is Status.NO_TARGET} == set(named)
    summary = compute_summary(_untargeted_catalogue(), DIRECTORATES, TODAY, scope=Scope.everything())
    assert _named_in_target_decision(summary) == ["SANS1", "SANS2"]
    shown = plain(texts_in(summary_card_content(summary)))
    assert "2 sans cible." in shown
    dee = compute_summary(_untargeted_catalogue(), DIRECTORATES, TODAY, scope=Scope.only("DEE"))
    assert "HRS (Heures d’insertion, cible fixée pour l’ensemble des directions)" in plain(
        " ".join(attention_points(dee).decisions))
