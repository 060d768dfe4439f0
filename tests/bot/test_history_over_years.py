"""A span of years is no indicator's code: « historique 2019-2023 » asks the history of an indicator
left to name, « historique d'IND-03 2019-2023 » that of IND-03 (real bot, real SQLite file, the
example catalogue)."""

from __future__ import annotations

import pytest

from tests.conftest import texts
from tests.indicators_support import seed


@pytest.fixture
async def seeded(runtime):
    await seed(runtime)
    return runtime


@pytest.mark.parametrize(
    "question",
    ["historique 2019-2023", "l'historique de 2020 à 2024", "historique des valeurs 2021-2024 ?", "l'historique entre 2019 et 2023 stp"],
)
async def test_the_history_over_years_asks_which_indicator(seeded, talk, question):
    reply = texts(await talk().say(question))
    assert reply.startswith("De quel indicateur parlez-vous\u00a0?")


@pytest.mark.parametrize(
    "question",
    ["historique d'IND-03 2019-2023", "l'historique de IND-03 de 2020 à 2024", "l'historique des heures d'insertion de 2020 à 2024"],
)
async def test_the_history_of_a_named_indicator_over_years_is_its_history(seeded, talk, question):
    reply = texts(await talk().say(question))
    assert reply.startswith("**IND-03** — Heures d'insertion professionnelle")


async def test_the_history_of_the_spaser_itself_is_the_knowledge_entry(seeded, talk):
    reply = texts(await talk().say("l'historique du spaser de 2019 à 2023"))
    assert "De quel indicateur" not in reply and "loi" in reply.lower()
