"""The summary and broadcast feature assembled: chat commands, the broadcast dialog, download
links, the digests before each COPIL and every week, and the broadcast delivery reports.

`SummaryFeature(...)` is built by the composition root (bot/runtime.py), which calls
`install(dialogs, router)`; app.py calls `add_routes(app)`; `start(scheduler)` runs when the app
starts (after the committees feature, whose outbox delivers everything this feature sends).

Download links (chart, exports) are signed with `SPASER_DOWNLOAD_SECRET`; without it (local or
development use) a random secret is drawn at start-up, so links die with the process. Whoever
follows a link, the document is rebuilt for the person the link was issued to, with their role
and directorate as they are at download time.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import uuid
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from apscheduler.triggers.cron import CronTrigger
from botbuilder.dialogs import DialogSet
from sqlalchemy.exc import IntegrityError

from bot.broadcasts import BroadcastService
from bot.cards import CARD_VERSION, im_back
from bot.router import Router
from bot.settings import Settings
from domain.summary import wording
from domain.summary.card import MAX_CARD_BYTES, summary_card_content
from bot.summary.downloads import (
    DEFAULT_PREFIX,
    Download,
    ExportFormat,
    add_download_routes,
    parse_resource_id,
    render_off_loop,
    resource_id,
    single_worker,
)
from domain.summary.model import Scope, Summary, SummaryAccessDenied, SummaryError
from domain.summary.request import SummaryRequest
from bot.summary.service import SummaryService, scope_of
from domain.summary.tokens import MAX_LIFETIME, DownloadGrant, DownloadTokens
from scheduler import summary_jobs
from domain.clock import Clock, format_datetime_fr, load_timezone
from scheduler.service import SchedulerService
from storage.broadcasts import BroadcastRepository
from storage.committees import MeetingView
from storage.db import Database
from domain.people import Role
from storage.outbox import OutboxMessage, OutboxRepository, SourceKind
from storage.people import ConversationRefRepository, DirectorateRepository, PeopleRepository
from domain.people import PersonView
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues
from storage.summary import SummaryRepository

if TYPE_CHECKING:
    from bot.committees import CommitteesFeature

log = logging.getLogger(__name__)

CHART_LINK_LIFETIME = MAX_LIFETIME
"""The chart stays visible in the card for a week (a COPIL digest goes out at J-7)."""
WEEKLY_DIGEST_DAY = "mon"
WEEKLY_DIGEST_TIME = time(8, 0)
EXPORT_FORMATS = (ExportFormat.PDF, ExportFormat.HTML, ExportFormat.CSV, ExportFormat.XLSX)
EXPORT_BUTTONS = {
    ExportFormat.PDF: "Rapport PDF",
    ExportFormat.HTML: "Rapport HTML",
    ExportFormat.CSV: "Valeurs CSV",
    ExportFormat.XLSX: "Valeurs Excel",
}
_PREFIX_ROOM = 400
"""Bytes kept free in a digest card for the sentence saying why it was sent."""


def export_command(export_format: ExportFormat, axis=None, directorate: str | None = None) -> str:
    """What an export button posts; the export command reads the format and filters back."""
    parts = [f"exporter la synthèse en {export_format.value.upper()}"]
    if directorate:
        parts.append(f"direction {directorate}")
    if axis is not None:
        parts.append(f"axe {axis.value}")
    return " ".join(parts)


class SummaryFeature:
    def __init__(
        self,
        settings: Settings,
        database: Database,
        clock: Clock,
        people: PeopleRepository,
        directorates: DirectorateRepository,
        conversation_refs: ConversationRefRepository,
        catalogue: IndicatorCatalogue,
        values: IndicatorValues,
        committees: CommitteesFeature | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.people = people
        self.committees = committees
        if committees is not None:
            committees.after_fan_out(self.send_copil_digests)
        self.secret_is_ephemeral = not settings.download_secret
        self.tokens = DownloadTokens(settings.download_secret or secrets.token_urlsafe(48), clock)
        self.repository = SummaryRepository(database)
        self.service = SummaryService(
            self.repository, catalogue, directorates, clock, settings.timezone, committees
        )
        self.broadcasts = BroadcastService(
            BroadcastRepository(database),
            people,
            directorates,
            conversation_refs,
            values,
            committees,
            clock,
            settings.timezone,
        )
        self.outbox = OutboxRepository(database)
        self.executor = single_worker()
        self.scheduler: SchedulerService | None = None
        self._warm_up: asyncio.Task | None = None
        self.context_id = f"summary-{uuid.uuid4().hex[:12]}"
        summary_jobs.SUMMARY_CONTEXTS.register(self.context_id, self)

    # --- wiring into the bot ---------------------------------------------------------------

    def install(self, dialogs: DialogSet, router: Router) -> None:
        from bot.commands import summary as summary_commands
        from dialogs.broadcast_dialog import BroadcastDialog

        dialogs.add(BroadcastDialog(self.broadcasts))
        router.add(*summary_commands.build_commands(self))

    def add_routes(self, app: web.Application) -> None:
        add_download_routes(app, self.tokens, self.resolve, DEFAULT_PREFIX)

    # --- links and documents ---------------------------------------------------------------

    def link(
        self, person_id: int, export_format: ExportFormat, request: SummaryRequest, lifetime: timedelta
    ) -> tuple[str, datetime]:
        """A personal, expiring URL to the document; and when it expires."""
        token = self.tokens.issue(resource_id(export_format, request), person_id, lifetime)
        return f"{self.settings.public_url}{DEFAULT_PREFIX}/{token}", self.tokens.verify(token).expires_at

    async def resolve(self, grant: DownloadGrant) -> Download | None:
        """The document a link names, rebuilt for its person with their rights as they are now."""
        parsed = parse_resource_id(grant.resource_id)
        if parsed is None:
            return None
        export_format, request = parsed
        person = await self.people.get(grant.person_id)
        try:
            summary = await self.service.for_person(person, request)
        except SummaryError:
            return None
        return await render_off_loop(self.executor, summary, export_format)

    async def render(self, summary: Summary, export_format: ExportFormat) -> Download:
        return await render_off_loop(self.executor, summary, export_format)

    def card_content(self, summary: Summary, person_id: int, *, max_bytes: int = MAX_CARD_BYTES) -> dict[str, Any]:
        """The summary card for one person: their chart link and the export buttons."""
        request = SummaryRequest(axis=summary.axis_filter, directorate=summary.directorate_filter)
        chart_url, _ = self.link(person_id, ExportFormat.CHART, request, CHART_LINK_LIFETIME)
        return summary_card_content(
            summary,
            chart_url=chart_url if summary.lines else None,
            timezone=self.settings.timezone,
            extra_actions=[self._export_actions(summary)] if summary.catalogue_size else [],
            max_bytes=max_bytes,
        )

    @staticmethod
    def _export_actions(summary: Summary) -> dict[str, Any]:
        buttons = [
            im_back(EXPORT_BUTTONS[f], export_command(f, summary.axis_filter, summary.directorate_filter))
            for f in EXPORT_FORMATS
        ]
        return {"type": "Action.ShowCard", "title": "Exporter",
                "card": {"type": "AdaptiveCard", "version": CARD_VERSION, "body": [], "actions": buttons}}

    # --- digests ---------------------------------------------------------------------------

    def _digest_message(self, key: str, person: PersonView, card: dict[str, Any], text: str,
                        expires_at: datetime | None = None) -> OutboxMessage:
        return OutboxMessage(
            key=key,
            source_kind=SourceKind.DIGEST,
            source_id=key.rsplit(":", 1)[0][:64],
            text=text,
            card=card,
            person_id=person.id,
            recipient_label=person.name or person.email or f"personne n° {person.id}",
            expires_at=expires_at,
        )

    def _with_reason(self, person_id: int, summary: Summary, reason: str) -> dict[str, Any]:
        card = self.card_content(summary, person_id, max_bytes=MAX_CARD_BYTES - _PREFIX_ROOM)
        card["body"].insert(0, {"type": "TextBlock", "text": reason, "wrap": True, "isSubtle": True})
        return card

    async def send_copil_digests(self) -> int:
        """The summary to every élu·e once the member reminder of a COPIL went out (J-7 normally).

        Runs as soon as the committees feature has fanned out reminders (`after_fan_out`: the digest
        leaves with the reminder), and periodically for what a restart interrupted; the
        `copil_digest` row written with the deliveries makes a second run, or a second scheduler,
        queue nothing.
        """
        meetings = await self.repository.copil_meetings_awaiting_digest(self.clock.now())
        if not meetings:
            return 0
        officials = [p for p in await self.people.list() if p.role is Role.OFFICIAL]
        summary = await self.service.summary(Scope.everything())
        queued = 0
        for meeting in meetings:
            queued += await self._queue_copil_digest(meeting, officials, summary)
        if queued and self.committees is not None:
            self.committees.kick_drain()
        return queued

    async def _queue_copil_digest(self, meeting: MeetingView, officials: Sequence[PersonView], summary: Summary) -> int:
        when = format_datetime_fr(meeting.starts_at, self.settings.timezone)
        reason = f"Pour préparer le {meeting.label.lower()} du {when}."
        text = f"Synthèse SPASER avant le {meeting.label.lower()} du {when} : {wording.headline_text(summary)}"
        messages = [
            self._digest_message(
                f"copil-digest:{meeting.id}:r{meeting.sequence}:person-{person.id}",
                person,
                self._with_reason(person.id, summary, reason),
                text,
                expires_at=meeting.starts_at,
            )
            for person in officials
        ]
        try:
            async with self.repository.database.session() as session:
                self.repository.record_digest_in(session, meeting, len(messages))
                await session.flush()
                added = await OutboxRepository.enqueue_in(session, messages, self.clock.now())
        except IntegrityError:
            log.info("COPIL digest of meeting %s already queued by another process", meeting.id)
            return 0
        log.info("COPIL digest of meeting %s: %s message(s) queued", meeting.id, added)
        return added

    async def send_weekly_digests(self) -> int:
        """The summary to everyone who asked for it weekly, each in their own scope; once a week."""
        subscribers = await self.repository.weekly_subscribers()
        if not subscribers:
            return 0
        local = self.clock.now().astimezone(load_timezone(self.settings.timezone))
        year, week, _ = local.isocalendar()
        summaries: dict[Scope, Summary] = {}
        messages = []
        for person_id in subscribers:
            person = await self.people.get(person_id)
            try:
                scope = scope_of(person)
                if scope not in summaries:
                    summaries[scope] = await self.service.summary(scope)
            except SummaryAccessDenied:
                continue
            summary = summaries[scope]
            key = f"weekly-digest:{year}-W{week:02d}:person-{person.id}"
            reason = "Votre synthèse hebdomadaire (« synthèse hebdomadaire non » pour ne plus la recevoir)."
            messages.append(
                self._digest_message(
                    key, person, self._with_reason(person.id, summary, reason),
                    f"Synthèse SPASER de la semaine : {wording.headline_text(summary)}",
                )
            )
        added = await self.outbox.enqueue(messages, self.clock.now())
        if added and self.committees is not None:
            self.committees.kick_drain()
        return added

    async def report_broadcasts(self) -> int:
        return await self.broadcasts.report_finished()

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self, scheduler: SchedulerService) -> None:
        if self.secret_is_ephemeral:
            log.warning(
                "SPASER_DOWNLOAD_SECRET is not set: download links (summary chart, exports) are signed with an "
                "EPHEMERAL random secret and stop working when the bot restarts. Set it for any real deployment."
            )
        self.scheduler = scheduler
        self._warm_up = asyncio.get_running_loop().create_task(self._warm_cache())
        if not scheduler.enabled:
            return
        sending = self.committees.config.sending if self.committees is not None else None
        drain_seconds = sending.drain_interval_seconds if sending else 15.0
        sweep_seconds = sending.sweep_interval_seconds if sending else 60.0
        scheduler.add_every(
            summary_jobs.BROADCAST_REPORT_JOB_ID, summary_jobs.report_broadcasts, drain_seconds, (self.context_id,)
        )
        scheduler.add_every(
            summary_jobs.COPIL_DIGEST_JOB_ID, summary_jobs.send_copil_digests, sweep_seconds, (self.context_id,)
        )
        scheduler.scheduler.add_job(
            summary_jobs.send_weekly_digests,
            CronTrigger(
                day_of_week=WEEKLY_DIGEST_DAY,
                hour=WEEKLY_DIGEST_TIME.hour,
                minute=WEEKLY_DIGEST_TIME.minute,
                timezone=self.settings.timezone,
            ),
            id=summary_jobs.WEEKLY_DIGEST_JOB_ID,
            args=[self.context_id],
            replace_existing=True,
            max_instances=1,
            coalesce=True,
        )

    async def _warm_cache(self) -> None:
        """Read the values once at start-up, so the first « synthèse » does not pay for it."""
        try:
            await self.service.summary(Scope.everything())
        except Exception:  # noqa: BLE001 - a failed warm-up only means a slower first summary
            log.warning("Could not prepare the summary at start-up", exc_info=True)

    async def warmed_up(self) -> None:
        """Wait for the start-up read of the values (nothing to wait for if it never started)."""
        if self._warm_up is not None:
            await asyncio.shield(self._warm_up)

    async def close(self) -> None:
        summary_jobs.SUMMARY_CONTEXTS.unregister(self.context_id)
        if self._warm_up is not None:
            # Let the bounded start-up read finish: cancelling a query in flight leaves aiosqlite's
            # connection closing forever once the engine is disposed, and the loop never stops.
            await self._warm_up
        self.executor.shutdown(wait=False, cancel_futures=True)


def build_summary(
    settings: Settings,
    database: Database,
    clock: Clock,
    people: PeopleRepository,
    directorates: DirectorateRepository,
    conversation_refs: ConversationRefRepository,
    catalogue: IndicatorCatalogue,
    values: IndicatorValues,
    committees: CommitteesFeature | None = None,
) -> SummaryFeature:
    return SummaryFeature(settings, database, clock, people, directorates, conversation_refs, catalogue, values, committees)
