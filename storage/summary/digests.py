"""The summary sent on its own: to every élu·e once a COPIL's member reminder went out, and every
week to whoever asked for it, each in their own scope. Queued through the outbox; the caller
(scheduler/jobs.py) drains it after.

A COPIL digest writes its `copil_digest` row in the unit of work that queues its deliveries, so
a second run, or a second scheduler, queues nothing.

A person who was sent or shown the same summary earlier that day (`summary_shown`: « où en
est-on ? » a minute before the COPIL digest, or the weekly digest the same morning) is not sent it
again; a summary that changed since is sent. What a digest sends is recorded in the same unit of
work as its deliveries, and so is what it does not send: a `skipped` row, with whether the person
had consulted the summary or been sent it (`rappels` counts them; reader 14, B3).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from domain.clock import Clock, format_datetime_fr, load_timezone
from domain.committees.meetings import MeetingView
from domain.outbox import SEEN_ON_REQUEST, SENT_EARLIER, About, OutboxMessage, Seen, SourceKind, Topic
from domain.people import PersonView, Role
from domain.summary import wording
from domain.summary.card import MAX_CARD_BYTES, summary_fingerprint
from domain.summary.links import SummaryLinks
from domain.summary.model import Summary
from domain.summary.scope import Scope, SummaryAccessDenied
from storage.db import Database
from storage.outbox import OutboxRepository
from storage.people import PeopleRepository
from storage.summary.repository import Shown, SummaryRepository
from storage.summary.service import SummaryService, scope_of

log = logging.getLogger(__name__)

PREFIX_ROOM = 400
"""Bytes kept free in a digest card for the sentence saying why it was sent."""


class DigestService:
    def __init__(
        self,
        database: Database,
        repository: SummaryRepository,
        summaries: SummaryService,
        people: PeopleRepository,
        outbox: OutboxRepository,
        links: SummaryLinks,
        clock: Clock,
        timezone: str,
    ) -> None:
        self._db = database
        self._repository = repository
        self._summaries = summaries
        self._people = people
        self._outbox = outbox
        self._links = links
        self._clock = clock
        self._timezone = timezone

    async def send_copil_digests(self) -> int:
        """The summary to every élu·e once the member reminder of a COPIL went out (J-7 normally)."""
        meetings = await self._repository.copil_meetings_awaiting_digest(self._clock.now())
        if not meetings:
            return 0
        officials = [p for p in await self._people.list() if p.role is Role.OFFICIAL]
        summary = await self._summaries.summary(Scope.everything())
        fingerprint = summary_fingerprint(summary, self._timezone)
        queued = 0
        for meeting in meetings:
            queued += await self._queue_copil_digest(meeting, officials, summary, fingerprint)
        return queued

    async def _queue_copil_digest(
        self, meeting: MeetingView, officials: Sequence[PersonView], summary: Summary, fingerprint: str
    ) -> int:
        shown = await self._repository.shown([person.id for person in officials])
        had_it = {person.id: shown[person.id] for person in officials if self._read_today(shown.get(person.id), fingerprint)}
        recipients = [person for person in officials if person.id not in had_it]
        if had_it:
            log.info("COPIL digest of meeting %s: %s official(s) read the same summary today, not sent again",
                     meeting.id, len(had_it))
        # Told to the lead if the digest does not reach someone: she is not left thinking they got it.
        seen = tuple(Seen(_label(person), had_it[person.id].at, had_it[person.id].requested)
                     for person in officials if person.id in had_it)
        when = format_datetime_fr(meeting.starts_at, self._timezone)
        reason = f"Voici la synthèse pour préparer le {meeting.label.lower()} du {when}."
        text = f"Synthèse SPASER avant le {meeting.label.lower()} du {when} : {wording.preview_text(summary)}"
        about = About(Topic.DIGEST, meeting.id, meeting.label, meeting.starts_at, seen)
        messages = [
            self._message(
                f"copil-digest:{meeting.id}:r{meeting.sequence}:person-{person.id}",
                person,
                None if person.id in had_it else self._with_reason(person.id, summary, reason),
                text,
                expires_at=meeting.starts_at,
                about=about,
                skipped=_why_not_sent(had_it.get(person.id)),
            )
            for person in officials
        ]
        try:
            async with self._db.unit_of_work() as uow:
                await self._repository.record_digest(meeting, len(recipients), uow=uow)
                added = await self._outbox.enqueue(messages, self._clock.now(), uow=uow) - len(had_it)
                await self._repository.record_shown(
                    {person.id: fingerprint for person in recipients}, self._clock.now(), uow=uow
                )
        except IntegrityError:
            log.info("COPIL digest of meeting %s already queued by another process", meeting.id)
            return 0
        log.info("COPIL digest of meeting %s: %s message(s) queued", meeting.id, added)
        return added

    async def send_weekly_digests(self) -> int:
        """The summary to everyone who asked for it weekly, each in their own scope; once a week."""
        subscribers = await self._repository.weekly_subscribers()
        if not subscribers:
            return 0
        local = self._clock.now().astimezone(load_timezone(self._timezone))
        year, week, _ = local.isocalendar()
        summaries: dict[Scope, tuple[Summary, str]] = {}
        shown = await self._repository.shown(subscribers)
        messages, skipped = [], []
        sent: dict[int, str] = {}
        for person_id in subscribers:
            person = await self._people.get(person_id)
            try:
                scope = scope_of(person)
                if scope not in summaries:
                    summary = await self._summaries.summary(scope)
                    summaries[scope] = summary, summary_fingerprint(summary, self._timezone)
            except SummaryAccessDenied:
                continue
            summary, fingerprint = summaries[scope]
            key = f"weekly-digest:{year}-W{week:02d}:person-{person.id}"
            text = f"Synthèse SPASER de la semaine : {wording.preview_text(summary)}"
            if self._read_today(had := shown.get(person.id), fingerprint):
                log.info("Weekly digest: person %s read the same summary today, not sent again", person.id)
                # Its own key, one a day: a run later in the week still sends the summary if it changed.
                skipped.append(self._message(f"{key}:seen-{local.date().isoformat()}", person, None, text,
                                             skipped=_why_not_sent(had), source_id=key.rsplit(":", 1)[0]))
                continue
            sent[person.id] = fingerprint
            reason = "Votre synthèse hebdomadaire (« synthèse hebdomadaire non » pour ne plus la recevoir)."
            messages.append(self._message(key, person, self._with_reason(person.id, summary, reason), text))
        async with self._db.unit_of_work() as uow:
            added = await self._outbox.enqueue(messages, self._clock.now(), uow=uow)
            await self._outbox.enqueue(skipped, self._clock.now(), uow=uow)
            await self._repository.record_shown(sent, self._clock.now(), uow=uow)
        return added

    def _read_today(self, shown: Shown | None, fingerprint: str) -> bool:
        """The person was sent or shown this very summary earlier today (local day)."""
        if shown is None or shown.fingerprint != fingerprint:
            return False
        zone = load_timezone(self._timezone)
        return shown.at.astimezone(zone).date() == self._clock.now().astimezone(zone).date()

    def _message(self, key: str, person: PersonView, card: dict[str, Any] | None, text: str,
                 expires_at: datetime | None = None, about: About | None = None, skipped: str | None = None,
                 source_id: str | None = None) -> OutboxMessage:
        return OutboxMessage(
            key=key,
            source_kind=SourceKind.DIGEST,
            source_id=(source_id or key.rsplit(":", 1)[0])[:64],
            text=text,
            card=card,
            person_id=person.id,
            recipient_label=_label(person),
            expires_at=expires_at,
            about=about,
            skipped=skipped,
        )

    def _with_reason(self, person_id: int, summary: Summary, reason: str) -> dict[str, Any]:
        card = self._links.card_content(summary, person_id, max_bytes=MAX_CARD_BYTES - PREFIX_ROOM)
        card["body"].insert(0, {"type": "TextBlock", "text": reason, "wrap": True, "isSubtle": True})
        return card


def _why_not_sent(had: Shown | None) -> str | None:
    """The reason stored with a digest not sent, None for one to send."""
    if had is None:
        return None
    return SEEN_ON_REQUEST if had.requested else SENT_EARLIER


def _label(person: PersonView) -> str:
    return person.name or person.email or f"personne n° {person.id}"
