"""The committee chat words the cadence as the summary does (issue #17): one sentence per committee,
« cadence recommandée » for the founding text's range and « cadence retenue » for one the lead set,
and the indicator that counts a committee's meetings named."""

from __future__ import annotations

import pytest

from tests.conftest import texts
from tests.indicators_support import EXAMPLE, EXAMPLE_DIRECTORATES


@pytest.fixture
def lead(talk):
    return talk("lead-aad", "Camille Martin")


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


async def test_the_cadence_check_says_one_sentence_per_committee_and_names_the_indicator_counting_it(runtime, lead):
    for code in EXAMPLE_DIRECTORATES:
        await runtime.directorates.add(code, f"Direction {code}")
    await runtime.catalogue.import_catalogue(EXAMPLE.read_bytes())  # IND-14 counts the comités techniques

    reply = plain(texts(await lead.say("vérifier la cadence")))

    lines = [line for line in reply.split("\n") if line.startswith(("⚠", "✅"))]
    assert lines == [
        "⚠ Comité de pilotage : aucune réunion planifiée avec l’assistant au cours des 12 derniers mois ni dans les 12 "
        "prochains mois (les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé par le document « Rencontre acheteurs : le SPASER » est de 1 à 2 par an.",
        "⚠ Comité technique : aucune réunion planifiée avec l’assistant dans "
        "les 12 prochains mois (les réunions organisées sans l’assistant ne sont pas comptées), alors que le rythme conseillé "
        "par le document « Rencontre acheteurs : le SPASER » est de 3 à 4 par an ; indicateur IND-14, aucune valeur saisie.",
    ]


async def test_the_year_plan_says_the_retained_cadence_once_the_lead_set_one(runtime, lead):
    await lead.say("cadence du COPIL 1 à 1")
    await lead.say("proposer un calendrier")
    await lead.say("tout accepter")

    again = plain(texts(await lead.say("proposer un calendrier")))

    assert "atteignent la cadence retenue : je n’ai rien à proposer de plus." in again
    assert "recommandée" not in again


def test_the_rhythm_s_source_is_the_founding_text_named_by_its_published_title():
    """Issue 17, reader 14: « conseillé par le document « Rencontre acheteurs : le SPASER » » named no document
    one can find; the rhythm cites the founding text by its title (../shared/seed/)."""
    from pathlib import Path

    from domain.committees.cadence import RECOMMENDED_RHYTHM, SOURCE_TITLE

    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "rencontre-acheteurs-spaser.md"
    if not seed.exists():
        pytest.skip("../shared is not checked out here")
    [title] = [line[2:].strip() for line in seed.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert plain(SOURCE_TITLE) == title
    assert plain(RECOMMENDED_RHYTHM) == f"le rythme conseillé par le document « {title} »"
    assert "rencontre régionale" not in RECOMMENDED_RHYTHM
