"""The bot as it runs: the application's services (bot/services.py) and the Teams parts built on
them (state, dialogs, commands, handler, middleware), with their start and stop.

Nothing is global: each call builds a fresh set (tests build one per database).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from botbuilder.core import BotAdapter, CloudAdapterBase, ConversationState, TurnContext, UserState
from botbuilder.dialogs import DialogSet

from bot.attachments import Downloads, IncomingFilesMiddleware
from bot.calendar_http import CalendarRoutes
from bot.commands import broadcasts as broadcast_commands
from bot.commands import committees as committee_commands
from bot.commands import decp as decp_commands
from bot.commands import general, indicator_catalogue, indicator_form, people
from bot.commands import indicators as indicator_commands
from bot.commands import knowledge as knowledge_commands
from bot.commands import public_page as public_page_commands
from bot.commands import summary as summary_commands
from bot.commands.decp import MAX_DECP_BYTES
from bot.commands.knowledge import DOCUMENT_EXTENSIONS
from bot.download_http import SummaryDocuments
from bot.gc_tuning import (
    MallocTrimmer,
    freeze_long_lived_objects,
    limit_malloc_arenas,
    thaw_long_lived_objects,
    trim_malloc,
)
from bot.handler import SpaserBot
from bot.middleware import (
    ConversationLockMiddleware,
    DeduplicationMiddleware,
    HoldRepliesMiddleware,
    TenantGuardMiddleware,
    TurnAdmissionMiddleware,
    TurnUnitMiddleware,
)
from bot.observability import TurnLogMiddleware
from bot.prefetch import TurnPrefetch
from bot.private_replies import PrivateReplies
from bot.public_http import PublicPageRoutes
from bot.recognizer_cache import RegexCache
from bot.recognizer_cache import install as install_regex_cache
from bot.replies import PacedRepliesMiddleware
from bot.router import Router
from bot.services import Services, build_services
from bot.settings import Settings
from bot.state.codec import StateCodec
from bot.state.storage import SqlStorage, TrackedConversationState, TrackedUserState
from bot.teams_text import TypographyMiddleware
from bot.word_frequencies import WordFrequencyBuild
from dialogs import STATE_TYPES
from dialogs.broadcasts.broadcast_dialog import BroadcastDialog
from dialogs.committees.cancel_meeting_dialog import CancelMeetingDialog
from dialogs.committees.plan_meeting_dialog import PlanMeetingDialog
from dialogs.committees.reschedule_meeting_dialog import RescheduleMeetingDialog
from dialogs.committees.year_plan_dialog import YearPlanDialog
from dialogs.indicators.add_indicator_dialog import AddIndicatorDialog
from dialogs.indicators.update_indicators_dialog import UpdateIndicatorsDialog
from dialogs.knowledge.answer_question_dialog import AnswerQuestionDialog
from dialogs.people.add_directorate_dialog import AddDirectorateDialog
from dialogs.people.assign_role_dialog import AssignRoleDialog
from domain.clock import Clock, SystemClock
from domain.committees import meeting_dates
from domain.committees.settings import CommitteeSettings
from domain.indicators.values import warm_up as warm_up_recognizers
from domain.knowledge.document import MAX_DOCUMENT_BYTES
from domain.people import Role
from domain.summary.scope import Scope
from domain.tenant import PeopleDirectory
from scheduler.graph import GraphClient
from scheduler.outbox import ProactiveChannel
from storage.bot_state import BotStateRepository, StateConflictError
from storage.db import Database, database_unavailable
from storage.health import DatabaseState

log = logging.getLogger(__name__)

TURN_ERROR_REPLY = (
    "Désolé, une erreur inattendue m’a empêché de répondre. Ce qui avait déjà été confirmé est bien "
    "enregistré ; le dialogue en cours a été interrompu. Vous pouvez recommencer."
)
ERROR_REFERENCE = "Si cela se reproduit, donnez ce numéro à la personne responsable du SPASER : {reference}."
"""The same reference is in the log line of the error, so that support finds it."""
CONFLICT_REPLY = "Votre message est arrivé en même temps qu’un autre et n’a pas été pris en compte : renvoyez-le, s’il vous plaît."
DATABASE_DOWN_REPLY = (
    "Je ne peux pas accéder à ma base de données pour le moment : votre message n’a pas pu être traité. "
    "Réessayez dans quelques minutes ; un échange en cours reprendra là où il en était."
)


@dataclass
class BotRuntime(Services):
    storage: SqlStorage
    conversation_state: ConversationState
    user_state: UserState
    router: Router
    dialogs: DialogSet
    bot: SpaserBot
    documents: SummaryDocuments
    downloads: Downloads
    calendar: CalendarRoutes
    public_routes: PublicPageRoutes
    paced_replies: PacedRepliesMiddleware
    _settling: asyncio.Task | None = field(default=None, init=False, repr=False)
    _warm_up: asyncio.Future | None = field(default=None, init=False, repr=False)
    _summary_warm_up: asyncio.Task | None = field(default=None, init=False, repr=False)
    _regex_cache: RegexCache | None = field(default=None, init=False, repr=False)
    _malloc_trimmer: MallocTrimmer = field(default_factory=MallocTrimmer, init=False, repr=False)

    async def start(self) -> None:
        """Migrate the schema, then start the jobs and the scheduler (only once the tables exist)."""
        limit_malloc_arenas()
        self._regex_cache = install_regex_cache(self.settings.cache_dir)
        self.start_warm_up()
        await self.database.migrate()
        await self.database_health.adopt()
        if self.ephemeral_download_secret:
            log.warning(
                "SPASER_DOWNLOAD_SECRET is not set: download links (summary chart, exports) are signed with an "
                "EPHEMERAL random secret and stop working when the bot restarts. Set it for any real deployment."
            )
        self._summary_warm_up = asyncio.get_running_loop().create_task(self._warm_summary())
        await self.jobs.start(self.settings.timezone)
        self.scheduler.start()
        self._settling = asyncio.get_running_loop().create_task(self._settle())

    async def _warm_summary(self) -> None:
        """Read the values once at start-up, so the first « synthèse » does not pay for it; and index
        the knowledge base, so the first question does not either (~0.7 s, 5 s seen under load)."""
        try:
            await self.summary.summary(Scope.everything())
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first summary
            log.warning("Could not prepare the summary at start-up", exc_info=True)
        try:
            await self.knowledge.knowledge_base()
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first question
            log.warning("Could not index the knowledge base at start-up", exc_info=True)

    async def _settle(self) -> None:
        """Once the start-up reads are done, keep full garbage collections off what they built."""
        try:
            await asyncio.shield(self.start_warm_up())
            if self._summary_warm_up is not None:
                await asyncio.shield(self._summary_warm_up)
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the warm-ups log their own failures; freeze anyway
            log.warning("A start-up warm-up failed", exc_info=True)
        freeze_long_lived_objects()
        trim_malloc()
        self._malloc_trimmer.install()

    def start_warm_up(self) -> asyncio.Future:
        """Build the French recognizers (numbers in a worker thread, dates in a daemon thread of
        their own) and load the word frequencies, once; turns go on meanwhile (the first person to
        type a value or a date should not wait for them). What the recognizers compiled is then
        kept for the next start (bot/recognizer_cache.py)."""
        if self._warm_up is None:
            dates = meeting_dates.start_warm_up()
            self._warm_up = asyncio.get_running_loop().run_in_executor(None, self._build_recognizers, dates)
        return self._warm_up

    def _build_recognizers(self, dates: threading.Thread) -> None:
        frequencies = WordFrequencyBuild()
        warm_up_recognizers()
        dates.join()
        frequencies.finish()
        if self._regex_cache is not None:
            self._regex_cache.save()

    async def settled(self) -> None:
        """Wait until the start-up reads are done and their objects frozen (benchmarks measure the
        app as it runs after start-up)."""
        if self._settling is not None:
            await asyncio.shield(self._settling)

    async def close(self) -> None:
        self._malloc_trimmer.uninstall()
        if self._settling is not None:
            self._settling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._settling
            if not self._settling.cancelled():
                thaw_long_lived_objects()
        self.scheduler.shutdown()
        await self.processed_activities.flush()
        await self.jobs.close()
        if self._summary_warm_up is not None:
            # Let the bounded start-up read finish: cancelling a query in flight leaves aiosqlite's
            # connection closing forever once the engine is disposed, and the loop never stops.
            await self._summary_warm_up
        self.documents.close()
        if self.graph is not None:
            await self.graph.close()
        close_channel = getattr(self.channel, "close", None)
        if close_channel is not None:
            await close_channel()
        await self.database.dispose()

    @property
    def warming_up(self) -> bool:
        """`start` has begun the start-up work (recognizers, summary values) and it is not done:
        the first turns would wait for it."""
        return self._settling is not None and not self._settling.done()

    async def health(self) -> dict:
        """200 only when a turn would be answered at full speed and kept: the database the bot started
        on takes a committed write, the scheduler is not stopped, the start-up warm-up is finished (a
        load balancer then sends nobody to an instance still starting)."""
        database_state = await self.database_health.check()
        scheduler_state = self.scheduler.state
        if not (database_state is DatabaseState.OK and scheduler_state != "stopped"):
            status = "unavailable"
        else:
            status = "starting" if self.warming_up else "ok"
        return {
            "status": status,
            "database": database_state.value,
            "scheduler": scheduler_state,
            "warm_up": "running" if self.warming_up else "done",
        }

    def install_middleware(self, adapter: BotAdapter, *, typeset: bool = True) -> None:
        """`typeset=False` when the adapter already typesets every reply (`app.create_adapter`'s
        Teams shaping does): a reply is typeset once."""
        if typeset:
            adapter.use(TypographyMiddleware())
        adapter.use(TurnLogMiddleware(self.metrics, self.settings.allowed_tenants, self.settings.download_secret))
        adapter.use(TenantGuardMiddleware(self.settings.allowed_tenants))
        adapter.use(ConversationLockMiddleware())
        adapter.use(IncomingFilesMiddleware(self.downloads))
        adapter.use(TurnAdmissionMiddleware())
        prefetch = TurnPrefetch(self.people, self.conversation_state)
        adapter.use(DeduplicationMiddleware(self.processed_activities, self.clock, prefetch=prefetch.reader))
        if isinstance(adapter, CloudAdapterBase):  # the console (REPL, tests) talks to no connector
            adapter.use(self.paced_replies)
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
        reference = secrets.token_hex(4).upper()
        log.exception("Unhandled error in turn (reference %s)", reference, exc_info=error)
        try:
            await turn_context.send_activity(f"{TURN_ERROR_REPLY} {ERROR_REFERENCE.format(reference=reference)}")
            await self.conversation_state.load(turn_context)  # delete() needs it loaded in this turn
            await self.conversation_state.delete(turn_context)
        except Exception:  # noqa: BLE001 - the reply itself may fail (e.g. connector down)
            log.exception("Could not report the error to the user")


def directory_of(services: Services) -> tuple[PeopleDirectory, str] | None:
    """Names from Microsoft 365 for people the lead adds by e-mail, when SPASER_GRAPH_NAMES is on."""
    if services.graph is None or not services.settings.graph.looks_up_names:
        return None
    return services.graph, services.settings.graph.tenant_id


def build_runtime(
    settings: Settings,
    *,
    database: Database | None = None,
    clock: Clock | None = None,
    committee_settings: CommitteeSettings | None = None,
    channel: ProactiveChannel | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    monotonic: Callable[[], float] | None = None,
    graph: GraphClient | None = None,
) -> BotRuntime:
    """The bot on `settings`; the keyword arguments after `clock` are network and time seams for tests."""
    database = database or Database(settings.database_url)
    services = build_services(
        settings, database, clock or SystemClock(),
        committee_settings=committee_settings, channel=channel, sleep=sleep, monotonic=monotonic, graph=graph,
    )
    tz = settings.timezone
    codec = StateCodec()
    for state_type in (*STATE_TYPES, Role):
        codec.register(state_type)
    storage = SqlStorage(BotStateRepository(database), database, codec)
    conversation_state = TrackedConversationState(storage, codec)
    user_state = TrackedUserState(storage, codec)
    documents = SummaryDocuments(services.summary_links.tokens, services.summary, services.people)

    dialogs = DialogSet(conversation_state.create_property("DialogState"))
    for dialog in (
        AddDirectorateDialog(services.directorates),
        AssignRoleDialog(services.people, services.directorates, directory_of(services)),
        AnswerQuestionDialog(services.knowledge),
        UpdateIndicatorsDialog(services.values, services.directorates),
        AddIndicatorDialog(services.catalogue, services.directorates),
        PlanMeetingDialog(services.committees, services.dates, services.summary),
        RescheduleMeetingDialog(services.committees, services.dates),
        CancelMeetingDialog(services.committees),
        YearPlanDialog(services.committees, services.dates),
        BroadcastDialog(services.broadcasts),
    ):
        dialogs.add(dialog)

    knowledge, fallback = knowledge_commands.build_commands(services.knowledge)
    router = Router(fallback=fallback)
    router.add(*general.build_commands(router))
    router.add(*people.build_commands(services.people, services.directorates))
    router.add(*indicator_commands.build_commands(services.catalogue, services.values, services.directorates, tz))
    router.add(*indicator_catalogue.build_commands(services.catalogue))
    router.add(
        *committee_commands.build_commands(
            services.committees, services.dates, services.people, services.calendar_links, tz, services.summary
        )
    )
    router.add(*summary_commands.build_commands(services.summary, services.summary_links, services.summary.repository, tz))
    router.add(*broadcast_commands.build_commands(services.broadcasts.repository, tz))
    router.add(*decp_commands.build_commands(services.decp))
    router.add(*public_page_commands.build_commands(services.public_page, settings.public_url))
    router.add(*knowledge)
    file_handlers = knowledge_commands.build_file_handlers(services.knowledge)
    catalogue_files = indicator_form.build_file_handlers(services.catalogue)
    file_handlers.update(decp_commands.build_file_handlers(services.decp, csv_fallback=catalogue_files[".csv"]))

    bot = SpaserBot(
        conversation_state=conversation_state,
        user_state=user_state,
        dialogs=dialogs,
        router=router,
        people=services.people,
        conversation_refs=services.conversation_refs,
        private_replies=PrivateReplies(services.outbox, services.conversation_refs, services.clock, services.jobs.wake_outbox),
        understanding=services.understanding,
        file_handlers=file_handlers,
        card_actions=indicator_form.build_card_actions(services.values, services.directorates),
    )
    return BotRuntime(
        **vars(services),
        storage=storage,
        conversation_state=conversation_state,
        user_state=user_state,
        router=router,
        dialogs=dialogs,
        bot=bot,
        documents=documents,
        downloads=Downloads(
            settings.local_mode,
            {**dict.fromkeys(DOCUMENT_EXTENSIONS, MAX_DOCUMENT_BYTES), ".csv": MAX_DECP_BYTES, ".json": MAX_DECP_BYTES},
        ),
        calendar=CalendarRoutes(services.committees, services.people, services.clock, tz),
        public_routes=PublicPageRoutes(services.public_page),
        paced_replies=PacedRepliesMiddleware(
            services.send_limiter, services.outbox, services.clock, services.jobs.wake_outbox,
            sleep=sleep, **({"monotonic": monotonic} if monotonic else {}),
        ),
    )
