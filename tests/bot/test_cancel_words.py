"""« annuler » typed with nothing under way: the ways people say it (fillers, typos, slang) reach
the command that says there is nothing to cancel, and requests that merely start alike do not."""

from __future__ import annotations

import pytest

from bot.runtime import build_runtime
from tests.conftest import make_settings


@pytest.fixture(scope="module")
def router():
    return build_runtime(make_settings()).router


@pytest.mark.parametrize(
    "text", ["annuler", "anuler", "non rien, oublie", "bon ben, laisse béton !", "ok tant pis", "euh laisse tomber"]
)
def test_ways_of_cancelling_reach_the_cancel_command(router, text):
    found = router.find(text)
    assert found is not None and found[0].name == "nothing_to_cancel"


@pytest.mark.parametrize("text", ["annuler le prochain COPIL", "rien n'est saisi pour la DPB ?", "oublie pas le copil"])
def test_requests_starting_alike_are_not_cancelling(router, text):
    found = router.find(text)
    assert found is None or found[0].name != "nothing_to_cancel"


def test_an_agenda_to_block_for_a_date_asked_is_not_the_agenda_link(router):
    found = router.find("c'est quand le copil ? je bloque mon agenda")
    assert found is None or found[0].name != "calendar_link"
    assert router.find("mon agenda")[0].name == "calendar_link"
