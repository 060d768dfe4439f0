"""A number typed by a person or put in a link is looked up only if it can be a row id: on
PostgreSQL an id beyond INTEGER is an error from the driver, which would end the turn or the
request in a 500."""

from __future__ import annotations

import pytest

from storage.committees.repository import CommitteeRepository
from storage.knowledge.repository import KnowledgeRepository

OUT_OF_RANGE = [0, -1, 2**31, 10**20]


@pytest.mark.parametrize("number", OUT_OF_RANGE)
async def test_a_meeting_number_out_of_the_id_range_finds_no_meeting(database, number):
    assert await CommitteeRepository(database).get_meeting(number) is None


@pytest.mark.parametrize("number", OUT_OF_RANGE)
async def test_a_question_number_out_of_the_id_range_finds_no_question(database, number):
    assert await KnowledgeRepository(database).get_open_question(number) is None


async def test_the_largest_row_id_is_looked_up(database):
    assert await CommitteeRepository(database).get_meeting(2**31 - 1) is None
