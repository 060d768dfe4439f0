"""Imports every table module so that SQLModel.metadata is complete (migrations, schema test)."""

from storage import activities, bot_state, people  # noqa: F401
from storage import indicators  # noqa: F401
from storage.knowledge import repository as knowledge  # noqa: F401
from storage.committees import tables as committee_tables  # noqa: F401
from storage import outbox  # noqa: F401
from storage import broadcasts  # noqa: F401
from storage.summary import repository as summary  # noqa: F401
