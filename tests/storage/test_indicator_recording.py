"""Recording a value on the fast path (catalogue rows remembered between turns, one statement for a
period's first value): the database still decides who may write, and the history is kept."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from domain.indicators.periods import Frequency, Period
from domain.indicators.rules import NotAllowed, ValueEntry
from domain.people import Role
from storage.indicators import indicator_repositories
from storage.people import DirectorateRepository, PeopleRepository
from tests.indicators_support import EXAMPLE, EXAMPLE_DIRECTORATES

TODAY = date(2026, 11, 30)
DUE = "2026-T3"


@pytest.fixture
async def repositories(database):
    """This process's repository, another process's (same database, its own memory), a contributor."""
    directorates = DirectorateRepository(database)
    for code in EXAMPLE_DIRECTORATES:
        await directorates.add(code, f"Direction {code}")
    here = SimpleNamespace(**dict(zip(("catalogue", "values"), indicator_repositories(database))))
    elsewhere = SimpleNamespace(**dict(zip(("catalogue", "values"), indicator_repositories(database))))
    await here.catalogue.import_catalogue(EXAMPLE.read_bytes())
    nadia = await PeopleRepository(database).assign("nadia@ville.fr", Role.CONTRIBUTOR, "DCP", name="Nadia")
    return here, elsewhere, nadia


async def test_a_value_is_refused_once_another_process_deactivated_the_indicator(repositories):
    here, elsewhere, nadia = repositories
    await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(10)), TODAY)
    await elsewhere.catalogue.set_active("IND-01", False)

    with pytest.raises(NotAllowed, match="IND-01 est désactivé"):
        await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(11)), TODAY)
    _, history = await here.values.history("IND-01")
    assert [view.value for view in history] == [Decimal(10)]


async def test_a_period_first_value_is_refused_once_another_process_deactivated_the_indicator(repositories, database):
    here, elsewhere, _ = repositories
    lead = await PeopleRepository(database).assign("lead@ville.fr", Role.LEAD, name="Camille")
    await here.values.record_value(lead, "DCP", ValueEntry("IND-01", "2026-T2", Decimal(10)), TODAY)
    await elsewhere.catalogue.set_active("IND-01", False)

    with pytest.raises(NotAllowed, match="IND-01 est désactivé"):
        await here.values.record_value(lead, "DCP", ValueEntry("IND-01", DUE, Decimal(11)), TODAY)
    _, history = await here.values.history("IND-01")
    assert [view.period.code for view in history] == ["2026-T2"]


async def test_a_value_is_refused_once_another_process_took_the_indicator_from_the_directorate(repositories):
    here, elsewhere, nadia = repositories
    await here.values.record_value(nadia, "DCP", ValueEntry("IND-02", DUE, Decimal(10)), TODAY)
    await elsewhere.catalogue.update_field("IND-02", "directions", "DPB")

    with pytest.raises(NotAllowed, match="La direction DCP ne renseigne pas l’indicateur IND-02"):
        await here.values.record_value(nadia, "DCP", ValueEntry("IND-02", DUE, Decimal(11)), TODAY)


async def test_a_value_is_accepted_once_another_process_reactivated_the_indicator(repositories):
    here, elsewhere, nadia = repositories
    await elsewhere.catalogue.set_active("IND-01", False)
    with pytest.raises(NotAllowed):
        await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(10)), TODAY)
    await elsewhere.catalogue.set_active("IND-01", True)

    outcome = await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(10)), TODAY)
    assert [view.value for view in outcome.saved] == [Decimal(10)]


async def test_a_period_first_value_then_corrections_keep_one_current_value_and_the_history(repositories):
    here, _, nadia = repositories
    first = await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(10)), TODAY)
    second = await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(12)), TODAY)
    third = await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(15)), TODAY)

    assert first.saved[0].previous_value is None
    assert (second.saved[0].previous_value, third.saved[0].previous_value) == (Decimal(10), Decimal(12))
    _, history = await here.values.history("IND-01")
    assert [(view.value, view.is_current) for view in history] == [
        (Decimal(10), False), (Decimal(12), False), (Decimal(15), True)
    ]


async def test_a_repeated_submission_of_a_first_value_saves_once(repositories):
    here, _, nadia = repositories
    entry = ValueEntry("IND-01", DUE, Decimal(10))
    await here.values.record_value(nadia, "DCP", entry, TODAY, submission_key="card:1")
    again = await here.values.record_value(nadia, "DCP", entry, TODAY, submission_key="card:1")

    assert again.duplicate
    _, history = await here.values.history("IND-01")
    assert len(history) == 1 and history[0].is_current


async def test_what_is_still_due_is_what_the_full_due_list_finds(repositories):
    here, _, nadia = repositories
    await here.values.record_value(nadia, "DCP", ValueEntry("IND-01", DUE, Decimal(10)), TODAY)
    await here.catalogue.set_active("IND-02", False)

    for period in (None, Period(2026, Frequency.QUARTERLY, 3), Period(2025, Frequency.ANNUAL, 1)):
        full = await here.values.due_for_directorate("DCP", TODAY, period=period)
        expected = [(item.indicator.code, item.period.code) for item in full]
        assert await here.values.still_due("DCP", TODAY, period=period) == expected
    assert await here.values.still_due("NOPE", TODAY) == []
