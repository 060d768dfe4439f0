"""« quand faut-il réunir le COPIL ? » asks for advice on the rhythm, not for the organisation's next
date: a committee named no longer outweighs the modal of advice (it did once the report became an
intent about committees)."""

from __future__ import annotations

import pytest

from benchmarks.eval_understanding import Pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize(
    "question",
    [
        "quand faut-il réunir le copil ?",
        "le cotech, on doit le tenir quand ?",
        "quand devrait-on organiser le comité de pilotage",
        "vous conseillez de réunir le copil à quel moment de l'année ?",
    ],
)
def test_when_a_committee_should_meet_is_advice(pipeline, question):
    kind, what, _ = pipeline.route(question)
    assert kind == "knowledge", (question, kind, what)


@pytest.mark.parametrize(
    "question",
    ["le copil c'est quand déjà", "c'est quand le prochain cotech ?", "quand est le prochain comité de pilotage ?"],
)
def test_when_our_next_committee_is_stays_a_date(pipeline, question):
    assert pipeline.route(question)[:2] == ("intent", "next_meeting")
