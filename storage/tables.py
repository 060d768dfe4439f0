"""Imports every table module so that SQLModel.metadata is complete (migrations, schema test)."""

from storage import activities, bot_state, people  # noqa: F401
from storage import indicators  # noqa: F401
from storage.knowledge import repository as knowledge  # noqa: F401
from storage import committees, outbox  # noqa: F401
from storage import broadcasts, summary  # noqa: F401
