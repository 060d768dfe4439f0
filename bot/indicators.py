"""The indicators feature assembled: repository, dialogs, chat commands, card form, CSV files.

`IndicatorsFeature(...)` is built by the composition root (bot/runtime.py), which calls
`install(dialogs, router)`, passes `card_actions()` and `file_handlers()` to the bot, plugs
`directorates_due_for_meeting` into the committee reminders, and calls `start_warm_up()` when the
app starts (the French number recognizer takes seconds to build; the first person to type a value
should not wait for it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection

from botbuilder.dialogs import DialogSet

from bot.router import Router
from bot.settings import Settings
from domain.clock import Clock, load_timezone
from storage.db import Database
from domain.indicators.values import warm_up
from storage.indicators import IndicatorRepository
from storage.repositories import DirectorateRepository


class IndicatorsFeature:
    def __init__(self, settings: Settings, database: Database, clock: Clock, directorates: DirectorateRepository) -> None:
        self.settings = settings
        self.repository = IndicatorRepository(database, clock=clock, timezone=settings.timezone)
        self.directorates = directorates
        self._warm_up: asyncio.Future | None = None

    def install(self, dialogs: DialogSet, router: Router) -> None:
        from bot.commands import indicators as indicator_commands
        from dialogs.add_indicator_dialog import AddIndicatorDialog
        from dialogs.update_indicators_dialog import UpdateIndicatorsDialog

        dialogs.add(UpdateIndicatorsDialog(self.repository, self.directorates))
        dialogs.add(AddIndicatorDialog(self.repository, self.directorates))
        router.add(*indicator_commands.build_commands(self))

    def card_actions(self) -> dict:
        from bot.commands import indicators as indicator_commands

        return indicator_commands.build_card_actions(self)

    def file_handlers(self) -> dict:
        from bot.commands import indicators as indicator_commands

        return indicator_commands.build_file_handlers(self)

    def start_warm_up(self) -> asyncio.Future:
        """Build the number recognizers in a worker thread; turns go on meanwhile."""
        if self._warm_up is None:
            self._warm_up = asyncio.get_running_loop().run_in_executor(None, warm_up)
        return self._warm_up

    async def directorates_due_for_meeting(self, meeting) -> Collection[int] | None:
        """Ids of the directorates with indicators still due on the meeting day (committee reminders).

        None (« every directorate ») while the catalogue has no active indicator, so reminders
        still reach the directorates before the first import.
        """
        if await self.repository.active_count() == 0:
            return None
        day = meeting.starts_at.astimezone(load_timezone(self.settings.timezone)).date()
        return {due.directorate_id for due in await self.repository.directorates_with_due_indicators(day)}
