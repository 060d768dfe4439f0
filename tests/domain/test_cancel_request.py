"""« annuler » typed in its everyday ways is one rule: the router's (nothing under way) and every
dialog's (at any step), where « rien » alone answers the prompt instead."""

from __future__ import annotations

import pytest

from domain.understanding.cancel import cancel_request


@pytest.mark.parametrize("text", ["annuler", "anule", "Anuler !", "bon ben, laisse béton !", "non rien, oublie", "euh laisse tomber", "stop"])
def test_everyday_ways_of_cancelling_cancel_even_while_answering(text):
    assert cancel_request(text) is not None
    assert cancel_request(text, answering=True) is not None


@pytest.mark.parametrize("text", ["rien", "ok tant pis", "pas grave"])
def test_what_may_also_answer_a_prompt_cancels_only_with_nothing_under_way(text):
    assert cancel_request(text) is not None
    assert cancel_request(text, answering=True) is None


@pytest.mark.parametrize(
    "text", ["annuler le prochain COPIL", "rien n'est saisi pour la DPB ?", "oublie pas le copil", "arrêté du 3 mars", "stop au plastique"]
)
def test_a_text_that_merely_starts_alike_is_no_cancel(text):
    assert cancel_request(text) is None
    assert cancel_request(text, answering=True) is None
