"""The load and reliability scripts read the bot's real replies, typeset in French (typographic
apostrophes, no-break spaces before « : ; ? ! % », narrow ones in numbers): their checks match the
words whatever the typesetting (benchmarks/load_support.py, reliability/_support.py)."""

from __future__ import annotations

import pytest

from benchmarks.load_support import ERROR_REPLIES
from benchmarks.load_support import fold as load_fold
from bot.runtime import CONFLICT_REPLY
from domain.indicators.values import warm_up
from reliability._support import contains
from tests.conftest import texts
from tests.indicators_support import seed


@pytest.fixture(scope="module", autouse=True)
def recognizers():
    warm_up()


async def test_the_scripts_follow_an_update_dialog_as_the_bot_writes_it(runtime, talk):
    await seed(runtime)
    nadia = talk("nadia-aad", "Nadia Benali")
    started = texts(await nadia.say("mettre à jour mes indicateurs"))
    valued = texts(await nadia.say("45"))
    commented = texts(await nadia.say("aucun"))
    saved = texts(await nadia.say("oui"))

    assert contains([started], "Quelle valeur") and "Quelle valeur" in load_fold(started)
    assert contains([valued], "Un commentaire sur IND-01 (45 %) ?") and "Un commentaire" in load_fold(valued)
    assert contains([commented], "J'enregistre **45 %**") and "J'enregistre" in load_fold(commented)
    assert contains([saved], "Enregistré : 45 % pour IND-01.")


def test_a_french_error_reply_is_recognised_once_folded():
    assert any(marker in load_fold(CONFLICT_REPLY) for marker in ERROR_REPLIES)
