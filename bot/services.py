"""The application without Teams: every repository, service and job, built from settings.

`build_services` is the composition of the floors below `bot/` (storage services, scheduler jobs);
the Teams parts (`bot/runtime.py`) are built on top of it. The only thing that comes from above is
the proactive channel (the outbox's `ProactiveChannel`, implemented with botbuilder in
`bot/proactive.py`), given here. Nothing is global: each call builds a fresh set.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.observability import Metrics
from bot.proactive import TeamsProactiveChannel, build_proactive_adapter
from bot.settings import Settings
from domain.clock import Clock
from domain.committees.calendar import CalendarLinks
from domain.committees.meeting_dates import MeetingDateReader
from domain.committees.settings import CommitteeSettings
from domain.outbox import RateLimits, SourceKind, Window
from domain.summary.links import SummaryLinks
from domain.summary.tokens import DownloadTokens
from scheduler.graph import GraphClient
from scheduler.instance_lock import SenderLock
from scheduler.jobs import Jobs
from scheduler.leadership import PostgresLeadership
from scheduler.outbox import OutboxSender, OutboxTask, ProactiveChannel
from scheduler.rate_limit import SlidingWindowLimiter
from scheduler.reminders import ReminderEngine
from scheduler.service import SchedulerService
from scheduler.tenant_tasks import AppInstaller, OutlookInvitations
from storage.activities import ProcessedActivityRepository
from storage.broadcasts.repository import BroadcastRepository
from storage.broadcasts.service import BroadcastReports, BroadcastService
from storage.committees.audience import Audience
from storage.committees.outlook import OutlookEventRepository
from storage.committees.repository import CommitteeRepository
from storage.committees.service import CommitteeService
from storage.db import Database
from storage.decp.service import DecpService
from storage.health import DatabaseHealth
from storage.indicators import indicator_repositories
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues
from storage.knowledge.repository import KnowledgeRepository
from storage.knowledge.service import KnowledgeService
from storage.knowledge.understanding import UnderstandingService
from storage.outbox import OutboxRepository
from storage.people import ConversationRefRepository, DirectorateRepository, PeopleRepository
from storage.public_page import PublicPageService
from storage.summary.digests import DigestService
from storage.summary.repository import SummaryRepository
from storage.summary.service import SummaryService


@dataclass
class Services:
    settings: Settings
    database: Database
    database_health: DatabaseHealth
    clock: Clock
    people: PeopleRepository
    directorates: DirectorateRepository
    conversation_refs: ConversationRefRepository
    processed_activities: ProcessedActivityRepository
    catalogue: IndicatorCatalogue
    values: IndicatorValues
    outbox: OutboxRepository
    audience: Audience
    committees: CommitteeService
    dates: MeetingDateReader
    calendar_links: CalendarLinks
    summary: SummaryService
    summary_links: SummaryLinks
    digests: DigestService
    broadcasts: BroadcastService
    knowledge: KnowledgeService
    understanding: UnderstandingService
    decp: DecpService
    public_page: PublicPageService
    scheduler: SchedulerService
    jobs: Jobs
    metrics: Metrics
    send_limiter: SlidingWindowLimiter
    """Teams' send limits, counted for the outbox and the turns' replies alike."""
    graph: GraphClient | None
    """Microsoft Graph, when configured (names, proactive installation, Outlook invitations)."""
    channel: ProactiveChannel
    """The outbox's way to Teams; closed with the runtime when it has a `close`."""

    @property
    def ephemeral_download_secret(self) -> bool:
        return not self.settings.download_secret


def build_services(
    settings: Settings,
    database: Database,
    clock: Clock,
    *,
    committee_settings: CommitteeSettings | None = None,
    channel: ProactiveChannel | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    monotonic: Callable[[], float] | None = None,
    graph: GraphClient | None = None,
) -> Services:
    """`channel`, `graph`, `sleep` and `monotonic` are the network and time seams (tests give fakes)."""
    config = committee_settings or settings.committees
    tz = settings.timezone
    people = PeopleRepository(database, settings.admins)
    directorates = DirectorateRepository(database)
    conversation_refs = ConversationRefRepository(database)
    processed_activities = ProcessedActivityRepository(database)
    catalogue, values = indicator_repositories(database, clock=clock, timezone=tz)
    outbox = OutboxRepository(database)
    committee_repository = CommitteeRepository(database)
    audience = Audience(committee_repository, people, values.directorates_concerned)

    summary_repository = SummaryRepository(database)
    summary = SummaryService(
        summary_repository, catalogue, directorates, clock, tz, committee_repository, settings.organisation
    )
    tokens = DownloadTokens(settings.download_secret or secrets.token_urlsafe(48), clock)
    summary_links = SummaryLinks(tokens, settings.public_url, tz)
    digests = DigestService(database, summary_repository, summary, people, outbox, summary_links, clock, tz)
    broadcast_repository = BroadcastRepository(database, outbox)

    scheduler = SchedulerService(enabled=settings.scheduler_enabled, timezone=tz)
    if channel is None:
        channel = TeamsProactiveChannel(build_proactive_adapter(settings), settings.app_id)
    limiter_args = {"now": monotonic} if monotonic else {}
    metrics = Metrics()
    if graph is None and settings.graph.configured:
        graph = GraphClient(settings.graph)
    outlook_events = OutlookEventRepository(database) if graph and settings.graph.sends_invitations else None
    tasks, installer = tenant_tasks(
        settings, graph, outbox, people, conversation_refs, committee_repository, outlook_events, audience,
        clock,
    )
    send_limiter = SlidingWindowLimiter(config.sending.limits, sleep=sleep, **limiter_args)
    sender = OutboxSender(
        outbox,
        channel,
        clock,
        settings=config.sending,
        local_mode=settings.local_mode,
        limiter=send_limiter,
        sleep=sleep,
        leads=people.lead_names,
        tasks=tasks,
        installer=installer,
        task_limiter=SlidingWindowLimiter(
            RateLimits(per_conversation=(), per_app=tuple(Window(n, s) for n, s in settings.graph.rate)), sleep=sleep,
            **limiter_args,
        ),
        on_outcome=metrics.count_send,
        timezone=tz,
    )
    jobs = Jobs(
        scheduler,
        clock,
        engine=ReminderEngine(database, committee_repository, outbox, audience, clock, tz),
        committees=committee_repository,
        sender=sender,
        sending=config.sending,
        lock=SenderLock(database.sqlite_file),
        digests=digests,
        broadcast_reports=BroadcastReports(broadcast_repository, clock, tz, outbox),
        processed_activities=processed_activities,
        recover_at_once=database.is_sqlite,
        leadership=None if database.is_sqlite else PostgresLeadership(database),
    )
    committees = CommitteeService(
        database, committee_repository, outbox, audience, clock, tz, config, jobs=jobs, invitations=outlook_events,
    )
    broadcasts = BroadcastService(
        database, broadcast_repository, outbox, people, directorates, conversation_refs, values, audience, clock, tz,
        wake_outbox=jobs.wake_outbox, installs_app=installer is not None,
    )
    knowledge_repository = KnowledgeRepository(database)
    knowledge = KnowledgeService(knowledge_repository)
    decp = DecpService(database, catalogue, values, clock, tz, settings.sirets)
    return Services(
        settings=settings,
        database=database,
        database_health=DatabaseHealth(database, clock),
        clock=clock,
        people=people,
        directorates=directorates,
        conversation_refs=conversation_refs,
        processed_activities=processed_activities,
        catalogue=catalogue,
        values=values,
        outbox=outbox,
        audience=audience,
        committees=committees,
        dates=MeetingDateReader(clock, tz),
        calendar_links=CalendarLinks(settings.public_url),
        summary=summary,
        summary_links=summary_links,
        digests=digests,
        broadcasts=broadcasts,
        knowledge=knowledge,
        understanding=UnderstandingService(knowledge, catalogue, directorates, database),
        decp=decp,
        public_page=PublicPageService(database, summary, knowledge_repository, decp, contact=settings.public_contact),
        scheduler=scheduler,
        jobs=jobs,
        metrics=metrics,
        send_limiter=send_limiter,
        graph=graph,
        channel=channel,
    )


def tenant_tasks(settings, graph, outbox, people, conversation_refs, committees, events, audience, clock):
    """The outbox's Microsoft Graph work that the settings turn on: installing the app for people
    without a conversation, and the committees' Outlook invitations."""
    tasks: dict[str, OutboxTask] = {}
    installer = None
    if graph is not None and settings.graph.installs_app:
        installer = AppInstaller(graph, outbox, people, conversation_refs, clock, bot_id=settings.app_id)
        tasks[SourceKind.INSTALLATION] = installer
    if graph is not None and events is not None:
        tasks[SourceKind.OUTLOOK_EVENT] = OutlookInvitations(
            graph, events, committees, audience, people, clock, settings.timezone
        )
    return tasks, installer
