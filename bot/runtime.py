"""Composition root of the bot: builds every service from settings, for the server and the REPL.

Nothing is global: each call builds a fresh set (tests build one per database).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from botbuilder.core import BotAdapter, ConversationState, TurnContext, UserState
from botbuilder.dialogs import DialogSet

from bot.commands import general, people
from bot.gc_tuning import freeze_long_lived_objects, thaw_long_lived_objects
from bot.committees import CommitteesFeature, build_committees
from bot.commands import knowledge as knowledge_commands_module
from bot.handler import SpaserBot
from bot.commands import indicators as indicator_commands
from dialogs.add_indicator_dialog import AddIndicatorDialog
from dialogs.update_indicators_dialog import UpdateIndicatorsDialog
from domain.indicators.values import warm_up as warm_up_recognizers
from storage.indicators import indicator_repositories
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues
from storage.knowledge.service import KnowledgeService
from bot.middleware import (
    ConversationLockMiddleware,
    DeduplicationMiddleware,
    HoldRepliesMiddleware,
    TenantGuardMiddleware,
    TurnAdmissionMiddleware,
    TurnUnitMiddleware,
)
from bot.router import Router
from bot.summary.feature import SummaryFeature, build_summary
from bot.settings import Settings
from dialogs import STATE_TYPES
from dialogs.add_directorate_dialog import AddDirectorateDialog
from dialogs.answer_question_dialog import AnswerQuestionDialog
from dialogs.assign_role_dialog import AssignRoleDialog
from domain.clock import Clock, SystemClock
from scheduler.service import SchedulerService
from bot.state.codec import StateCodec
from storage.db import Database, database_unavailable
from storage.knowledge.repository import KnowledgeRepository
from domain.people import Role
from storage.people import ConversationRefRepository, DirectorateRepository, PeopleRepository
from storage.activities import ProcessedActivityRepository
from bot.state.storage import SqlStorage, TrackedConversationState, TrackedUserState
from storage.bot_state import BotStateRepository, StateConflictError

log = logging.getLogger(__name__)

TURN_ERROR_REPLY = (
    "Désolé, une erreur inattendue m'a empêché de répondre. Ce qui avait déjà été confirmé est bien "
    "enregistré ; le dialogue en cours a été interrompu. Vous pouvez recommencer."
)
CONFLICT_REPLY = "Votre message est arrivé en même temps qu'un autre et n'a pas été pris en compte : renvoyez-le, s'il vous plaît."
DATABASE_DOWN_REPLY = (
    "Je ne peux pas accéder à ma base de données pour le moment : votre message n'a pas pu être traité. "
    "Réessayez dans quelques minutes ; un échange en cours reprendra là où il en était."
)


@dataclass
class BotRuntime:
    settings: Settings
    database: Database
    clock: Clock
    storage: SqlStorage
    conversation_state: ConversationState
    user_state: UserState
    people: PeopleRepository
    directorates: DirectorateRepository
    conversation_refs: ConversationRefRepository
    processed_activities: ProcessedActivityRepository
    router: Router
    dialogs: DialogSet
    bot: SpaserBot
    knowledge: KnowledgeService
    catalogue: IndicatorCatalogue
    values: IndicatorValues
    scheduler: SchedulerService
    committees: CommitteesFeature | None = None
    summary: SummaryFeature | None = None
    _settling: asyncio.Task | None = field(default=None, init=False, repr=False)
    _warm_up: asyncio.Future | None = field(default=None, init=False, repr=False)

    async def start(self) -> None:
        """Migrate the schema, then start the scheduler (only once the tables exist)."""
        await self.database.migrate()
        self.start_warm_up()
        self.scheduler.add_housekeeping(self.processed_activities.prune)
        if self.committees is not None:
            await self.committees.start(self.scheduler)
        if self.summary is not None:
            await self.summary.start(self.scheduler)
        self.scheduler.start()
        self._settling = asyncio.get_running_loop().create_task(self._settle())

    async def _settle(self) -> None:
        """Once the start-up reads are done, keep full garbage collections off what they built."""
        try:
            await asyncio.shield(self.start_warm_up())
            if self.summary is not None:
                await self.summary.warmed_up()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the warm-ups log their own failures; freeze anyway
            log.warning("A start-up warm-up failed", exc_info=True)
        freeze_long_lived_objects()

    def start_warm_up(self) -> asyncio.Future:
        """Build the French number recognizers in a worker thread, once; turns go on meanwhile (the
        first person to type a value should not wait for them)."""
        if self._warm_up is None:
            self._warm_up = asyncio.get_running_loop().run_in_executor(None, warm_up_recognizers)
        return self._warm_up

    async def settled(self) -> None:
        """Wait until the start-up reads are done and their objects frozen (benchmarks measure the
        app as it runs after start-up)."""
        if self._settling is not None:
            await asyncio.shield(self._settling)

    async def close(self) -> None:
        if self._settling is not None:
            self._settling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._settling
            if not self._settling.cancelled():
                thaw_long_lived_objects()
        self.scheduler.shutdown()
        await self.processed_activities.flush()
        if self.committees is not None:
            self.committees.close()
        if self.summary is not None:
            await self.summary.close()
        await self.database.dispose()

    @property
    def warming_up(self) -> bool:
        """`start` has begun the start-up work (recognizers, summary values) and it is not done:
        the first turns would wait for it."""
        return self._settling is not None and not self._settling.done()

    async def health(self) -> dict:
        """200 only when a turn would be answered at full speed: database reachable, scheduler not
        stopped, start-up warm-up finished (a load balancer then sends nobody to an instance still
        starting)."""
        database_ok = await self.database.ping()
        scheduler_state = self.scheduler.state
        if not (database_ok and scheduler_state != "stopped"):
            status = "unavailable"
        else:
            status = "starting" if self.warming_up else "ok"
        return {
            "status": status,
            "database": "ok" if database_ok else "unreachable",
            "scheduler": scheduler_state,
            "warm_up": "running" if self.warming_up else "done",
        }

    def install_middleware(self, adapter: BotAdapter) -> None:
        adapter.use(TenantGuardMiddleware(self.settings.allowed_tenants))
        adapter.use(ConversationLockMiddleware())
        adapter.use(TurnAdmissionMiddleware())
        adapter.use(DeduplicationMiddleware(self.processed_activities, self.clock))
        adapter.use(HoldRepliesMiddleware())
        adapter.use(TurnUnitMiddleware(self.database, self.processed_activities, self.clock))
        adapter.on_turn_error = self.on_turn_error

    async def on_turn_error(self, turn_context: TurnContext, error: Exception) -> None:
        """Log, tell the person in French, and drop the dialog stack so the next turn starts clean."""
        if isinstance(error, StateConflictError):
            log.warning("State conflict: %s", error)
            await turn_context.send_activity(CONFLICT_REPLY)
            return
        if database_unavailable(error):
            # The state is intact, only out of reach: it is kept, so the dialog resumes afterwards.
            log.warning("Database unavailable during a turn: %s: %s", error.__class__.__name__, error)
            try:
                await turn_context.send_activity(DATABASE_DOWN_REPLY)
            except Exception:  # noqa: BLE001 - the connector may be down too
                log.exception("Could not tell the user the database is unavailable")
            return
        log.exception("Unhandled error in turn", exc_info=error)
        try:
            await turn_context.send_activity(TURN_ERROR_REPLY)
            await self.conversation_state.delete(turn_context)
        except Exception:  # noqa: BLE001 - the reply itself may fail (e.g. connector down)
            log.exception("Could not report the error to the user")


def build_runtime(settings: Settings, *, database: Database | None = None, clock: Clock | None = None) -> BotRuntime:
    database = database or Database(settings.database_url)
    clock = clock or SystemClock()
    codec = StateCodec()
    for state_type in (*STATE_TYPES, Role):
        codec.register(state_type)
    storage = SqlStorage(BotStateRepository(database), database, codec)
    conversation_state = TrackedConversationState(storage, codec)
    user_state = TrackedUserState(storage, codec)
    people_repo = PeopleRepository(database, settings.admins)
    directorates = DirectorateRepository(database)
    conversation_refs = ConversationRefRepository(database)

    dialogs = DialogSet(conversation_state.create_property("DialogState"))
    dialogs.add(AddDirectorateDialog(directorates))
    dialogs.add(AssignRoleDialog(people_repo, directorates))
    knowledge = KnowledgeService(KnowledgeRepository(database))
    dialogs.add(AnswerQuestionDialog(knowledge))

    router = Router()
    router.add(*general.build_commands(router))
    router.add(*people.build_commands(people_repo, directorates))
    catalogue, values = indicator_repositories(database, clock=clock, timezone=settings.timezone)
    dialogs.add(UpdateIndicatorsDialog(values, directorates))
    dialogs.add(AddIndicatorDialog(catalogue, directorates))
    router.add(*indicator_commands.build_commands(catalogue, values, directorates, settings.timezone))
    committees = build_committees(settings, database, clock, people_repo, directorates_concerned=values.directorates_concerned)
    committees.install(dialogs, router)
    summary = build_summary(settings, database, clock, people_repo, directorates, conversation_refs, catalogue, values, committees)
    summary.install(dialogs, router)
    knowledge_commands, router.fallback = knowledge_commands_module.build_commands(knowledge)
    router.add(*knowledge_commands)
    file_handlers = knowledge_commands_module.build_file_handlers(knowledge)
    file_handlers.update(indicator_commands.build_file_handlers(catalogue))

    bot = SpaserBot(
        conversation_state=conversation_state,
        user_state=user_state,
        dialogs=dialogs,
        router=router,
        people=people_repo,
        conversation_refs=conversation_refs,
        file_handlers=file_handlers,
        card_actions=indicator_commands.build_card_actions(values, directorates),
    )
    return BotRuntime(
        settings=settings,
        database=database,
        clock=clock,
        storage=storage,
        conversation_state=conversation_state,
        user_state=user_state,
        people=people_repo,
        directorates=directorates,
        conversation_refs=conversation_refs,
        processed_activities=ProcessedActivityRepository(database),
        router=router,
        dialogs=dialogs,
        bot=bot,
        knowledge=knowledge,
        scheduler=SchedulerService(enabled=settings.scheduler_enabled, timezone=settings.timezone),
        committees=committees,
        catalogue=catalogue,
        values=values,
        summary=summary,
    )
