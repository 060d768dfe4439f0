"""Imports every table module so that SQLModel.metadata is complete (migrations, schema test)."""

from storage import activities, bot_state, data_versions, health, outbox, people, public_page  # noqa: F401
from storage.broadcasts import repository as broadcast_tables  # noqa: F401
from storage.committees import tables as committee_tables  # noqa: F401
from storage.decp import tables as decp_tables  # noqa: F401
from storage.indicators import tables as indicator_tables  # noqa: F401
from storage.knowledge import repository as knowledge_tables  # noqa: F401
from storage.summary import repository as summary_tables  # noqa: F401
