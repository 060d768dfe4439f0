"""A turn's first transaction reads the person and the dialog state in one statement
(`PeopleRepository.known_with_state_in`, bot/prefetch.py): each half is there or NULL on its own,
and the result is what the two separate reads gave, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from domain.people import Role
from storage.bot_state import BotStateRepository
from storage.people import DirectorateRepository, PeopleRepository


@pytest.fixture
def people(database):
    return PeopleRepository(database)


async def _both(database, people, name="Nadia Benali", key="conv/1"):
    async with database.transaction() as connection:
        combined = await people.known_with_state_in(connection, "tenant", "nadia-aad", name, key)
        separate = (
            await people.known_in(connection, "tenant", "nadia-aad", name),
            await BotStateRepository.read_in(connection, key),
        )
    assert combined == separate
    return combined


async def test_neither_the_person_nor_the_state_is_stored(database, people):
    assert await _both(database, people) == (None, None)


async def test_the_person_without_a_state_and_then_with_one(database, people):
    await DirectorateRepository(database).add("DRH", "Ressources humaines")
    await people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DRH", name="Nadia Benali")
    await people.identify("tenant", "nadia-aad", "Nadia Benali")  # not linked by e-mail: a new person
    person, state = await _both(database, people)
    assert person is not None and person.name == "Nadia Benali" and state is None
    async with database.transaction() as connection:
        etag = await BotStateRepository.write_in(connection, "conv/1", '{"a": 1}', None)
    person, state = await _both(database, people)
    assert person is not None and state == (etag, '{"a": 1}')


async def test_a_state_without_the_person_and_a_renamed_person(database, people):
    async with database.transaction() as connection:
        etag = await BotStateRepository.write_in(connection, "conv/1", '{"a": 1}', None)
    assert await _both(database, people) == (None, (etag, '{"a": 1}'))
    await people.identify("tenant", "nadia-aad", "Nadia Benali")
    person, state = await _both(database, people, name="Nadia Benali-Roux")
    assert person is None, "a new Teams name is for `identify` to write"
    assert state == (etag, '{"a": 1}')
