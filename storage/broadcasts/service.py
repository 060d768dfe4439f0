"""Broadcasts by the SPASER lead: who receives them when the lead confirms, and the delivery
report once every delivery is final.

Delivery goes through the outbox (same sender, same rate limiting, same proactive channel as
reminders): one delivery per recipient with the unique key `broadcast:<id>:<recipient>`. The
audience is resolved on the server from the people registered then; only the SPASER lead may
send (checked here too, not only by the chat command).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from domain.broadcasts import (
    AudienceKind,
    BroadcastAlreadySent,
    BroadcastAudience,
    BroadcastNotAllowed,
    BroadcastView,
    ResolvedAudience,
    check_text,
    delivery_report,
    message_card,
    message_summary,
    people_count,
)
from domain.clock import Clock, format_datetime_fr, start_of_day
from domain.delivery_problems import ADVICE_MARK
from domain.errors import DomainError
from domain.outbox import FINAL_STATES, OutboxMessage, Recipient, SourceKind
from domain.people import PersonView, Role
from domain.text import collation_key
from storage.broadcasts.repository import BroadcastRepository
from storage.committees.audience import Audience
from storage.db import Database
from storage.indicators.values import IndicatorValues
from storage.outbox import OutboxRepository
from storage.people import ConversationRefRepository, DirectorateRepository, PeopleRepository


class BroadcastService:
    def __init__(
        self,
        database: Database,
        repository: BroadcastRepository,
        outbox: OutboxRepository,
        people: PeopleRepository,
        directorates: DirectorateRepository,
        conversation_refs: ConversationRefRepository,
        values: IndicatorValues,
        audience: Audience,
        clock: Clock,
        timezone: str,
        wake_outbox: Callable[[], None] = lambda: None,
        installs_app: bool = False,
    ) -> None:
        """`installs_app`: the outbox installs the assistant, through Microsoft Graph, for someone who
        never opened it (then that person can be reached)."""
        self._db = database
        self.repository = repository
        self._outbox = outbox
        self._people = people
        self._directorates = directorates
        self._conversation_refs = conversation_refs
        self._values = values
        self._audience = audience
        self._clock = clock
        self.timezone = timezone
        self._wake_outbox = wake_outbox
        self._installs_app = installs_app

    def now(self) -> datetime:
        return self._clock.now()

    async def check_directorates(self, codes: Sequence[str]) -> tuple[str, ...]:
        """The codes if every one is a known directorate; otherwise a French error listing them."""
        known = [d.code for d in await self._directorates.list()]
        unknown = [code for code in codes if code not in known]
        if not codes or unknown:
            listed = ", ".join(known) or "aucune direction enregistrée"
            which = f"Je ne connais pas {', '.join(unknown)}. " if unknown else ""
            raise DomainError(f"{which}Indiquez un ou plusieurs codes de direction parmi : {listed}.")
        return tuple(codes)

    async def resolve(self, audience: BroadcastAudience, author: PersonView) -> ResolvedAudience:
        people = [p for p in await self._people.list() if p.role is not None and p.id != author.id]
        label = audience.label
        if audience.kind is AudienceKind.EVERYONE:
            chosen = people
        elif audience.kind is AudienceKind.DIRECTORATES:
            wanted = set(await self.check_directorates(audience.directorates))
            chosen = [p for p in people if p.directorate_code in wanted]
        elif audience.kind is AudienceKind.DUE:
            due = await self._values.directorates_with_due_indicators(self._values.today())
            codes = [d.code for d in due]
            label = f"{label} ({', '.join(codes)})" if codes else label
            chosen = [p for p in people if p.directorate_code in set(codes)]
        else:
            return await self._committee_audience(audience, author, people)
        recipients = tuple(_recipient(person) for person in sorted(chosen, key=_sort_key))
        return ResolvedAudience(audience, label, recipients, await self._without_reference(chosen), self._installs_app)

    async def _committee_audience(
        self, audience: BroadcastAudience, author: PersonView, people: list[PersonView]
    ) -> ResolvedAudience:
        members = [m for m in await self._audience.members(audience.committee) if m.person_id != author.id]
        by_id = {p.id: p for p in people}
        chosen = [by_id[m.person_id] for m in members if m.person_id in by_id]
        recipients = tuple(m for m in members if m.person_id is None or m.person_id in by_id)
        return ResolvedAudience(
            audience, audience.label, recipients, await self._without_reference(chosen), self._installs_app
        )

    async def _without_reference(self, people: Sequence[PersonView]) -> tuple[str, ...]:
        references = await self._conversation_refs.personal_for([p.aad_object_id for p in people if p.aad_object_id])
        return tuple(sorted((_label(p) for p in people if not p.aad_object_id or p.aad_object_id not in references), key=collation_key))

    async def send(
        self, author: PersonView | None, audience: BroadcastAudience, text: str, run_key: str | None = None
    ) -> tuple[BroadcastView, ResolvedAudience]:
        """Record the broadcast and queue one delivery per recipient, atomically; once per `run_key`
        (the dialog run that confirmed it), else `BroadcastAlreadySent`."""
        if author is None or author.role is not Role.LEAD:
            raise BroadcastNotAllowed(
                "Seules les personnes responsables du SPASER peuvent diffuser un message. Tapez « qui suis-je » pour connaître votre rôle."
            )
        text = check_text(text)
        resolved = await self.resolve(audience, author)
        if not resolved.recipients:
            raise DomainError(_nobody(audience))
        now = self.now()
        author_name = author.name or author.email or ""
        card = message_card(text, author_name, now, self.timezone)
        summary = message_summary(text, author_name)

        def messages_for(broadcast_id: int) -> list[OutboxMessage]:
            return [
                OutboxMessage(
                    key=f"broadcast:{broadcast_id}:{recipient.key}",
                    source_kind=SourceKind.BROADCAST,
                    source_id=str(broadcast_id),
                    text=summary,
                    card=card,
                    person_id=recipient.person_id,
                    conversation_id=recipient.conversation_id,
                    recipient_label=recipient.label,
                )
                for recipient in resolved.recipients
            ]

        broadcast, queued = await self._record(author, audience, resolved, text, messages_for, now, run_key)
        if queued == 0:
            raise BroadcastAlreadySent(
                f"Ce message est déjà parti le {format_datetime_fr(broadcast.created_at, self.timezone)} "
                f"({people_count(broadcast.recipient_count)}) : je ne l’envoie pas une seconde fois."
            )
        self._wake_outbox()
        return broadcast, resolved

    async def _record(self, author, audience, resolved, text, messages_for, now, run_key) -> tuple[BroadcastView, int]:
        """The audit row and its deliveries in one unit of work; 0 queued when this `run_key` was
        already recorded (that broadcast is returned, nothing is queued again)."""
        try:
            async with self._db.unit_of_work() as uow:
                broadcast_id = await self.repository.create(
                    author_id=author.id, audience_kind=audience.kind, audience_label=resolved.label, text=text,
                    now=now, run_key=run_key, uow=uow,
                )
                queued = await self._outbox.enqueue(messages_for(broadcast_id), now, uow=uow)
                await self.repository.queued(broadcast_id, queued, now, uow=uow)
        except IntegrityError:
            recorded = await self.repository.by_run_key(run_key) if run_key is not None else None
            if recorded is None:
                raise
            return recorded, 0
        return await self.repository.get(broadcast_id), queued


class BroadcastReports:
    """The lead's report of each broadcast whose deliveries are all final, queued once."""

    def __init__(self, repository: BroadcastRepository, clock: Clock, timezone: str, outbox: OutboxRepository) -> None:
        self.repository = repository
        self._clock = clock
        self._timezone = timezone
        self._outbox = outbox

    async def report_finished(self) -> int:
        """Queue the report of every broadcast whose deliveries are all final; returns how many."""
        reported = 0
        for broadcast in await self.repository.unreported():
            outcomes = await self.repository.outcomes(broadcast.id)
            if any(outcome.state not in FINAL_STATES for outcome in outcomes):
                continue
            # What to do about people not reached is said once a day to each lead (reader 14).
            since = start_of_day(self._clock.now(), self._timezone)
            advised = await self._outbox.advised_since([broadcast.author_id], since, ADVICE_MARK)
            notice = OutboxMessage(
                key=f"broadcast-report:{broadcast.id}:person-{broadcast.author_id}",
                source_kind=SourceKind.LEAD_NOTICE,
                source_id=f"broadcast:{broadcast.id}",
                text=delivery_report(broadcast, outcomes, self._timezone, advice=broadcast.author_id not in advised),
                person_id=broadcast.author_id,
                recipient_label=broadcast.author_name,
            )
            counts = Counter(outcome.state for outcome in outcomes)
            if await self.repository.finish(broadcast.id, counts, [notice], self._clock.now()):
                reported += 1
        return reported


def _nobody(audience: BroadcastAudience) -> str:
    if audience.kind is AudienceKind.DUE:
        return "Aucune direction n’a d’indicateur en attente (ou personne n’y est rattaché) : rien n’a été envoyé."
    return f"Personne n’est enregistré pour cet envoi ({audience.label}) : rien n’a été envoyé."


def _label(person: PersonView) -> str:
    return person.name or person.email or f"personne n° {person.id}"


def _sort_key(person: PersonView) -> tuple[int, ...]:
    return collation_key(_label(person))


def _recipient(person: PersonView) -> Recipient:
    return Recipient(key=f"person-{person.id}", label=_label(person), person_id=person.id,
                     directorate=person.directorate_code)

