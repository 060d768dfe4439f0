"""The indicators on the database: the catalogue (`IndicatorCatalogue`) and the values (`IndicatorValues`)."""

from __future__ import annotations

from domain.clock import DEFAULT_TIMEZONE, Clock
from storage.db import Database
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.reads import EntriesCache
from storage.indicators.values import IndicatorValues


def indicator_repositories(
    database: Database, *, clock: Clock | None = None, timezone: str = DEFAULT_TIMEZONE
) -> tuple[IndicatorCatalogue, IndicatorValues]:
    """The catalogue and the values of one database, sharing what recording remembers of the catalogue
    (a catalogue edit empties it)."""
    entries = EntriesCache()
    return IndicatorCatalogue(database, entries), IndicatorValues(database, entries, clock=clock, timezone=timezone)
