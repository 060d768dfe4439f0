"""Broadcasts by the SPASER lead: who receives them, what they read, and the delivery report.

Delivery goes through the committees feature's outbox (same sender, same rate limiting, same
proactive channel as reminders): one delivery per recipient with the unique key
`broadcast:<id>:<recipient>`. The lead's report is queued once every delivery is final.

The audience is resolved on the server when the lead confirms, from the people registered
then; only the SPASER lead may send (checked here too, not only by the chat command).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.text import excerpt, fold, listed_names
from domain.committees.cadence import CommitteeKind
from domain.clock import Clock, format_datetime_fr
from scheduler.outbox import names_by_reason
from scheduler.reminders import Recipient
from storage.broadcasts import (
    FINAL_STATES,
    MAX_BROADCAST_LENGTH,
    AudienceKind,
    BroadcastRepository,
    BroadcastView,
    DeliveryOutcome,
)
from domain.errors import DomainError
from storage.indicators.values import IndicatorValues
from domain.people import Role
from storage.outbox import DeliveryState, OutboxMessage, SourceKind
from storage.people import ConversationRefRepository, DirectorateRepository, PeopleRepository
from domain.people import PersonView

if TYPE_CHECKING:
    from bot.committees import CommitteesFeature

COMMITTEE_NAMES = {CommitteeKind.COPIL: "COPIL", CommitteeKind.COTECH: "comité technique"}
LISTED_NAMES = 30
PREVIEW_NAMES = 10
_CODE = re.compile(r"\b[a-z0-9][a-z0-9_-]{0,31}\b")
_EVERYONE = re.compile(r"\b(tout le monde|tous|toutes|tout le reseau|l'ensemble)\b")
_DUE = re.compile(
    r"\b(en retard|retardataires|indicateurs? (a remonter|a saisir|en attente|dus|manquants?)|"
    r"pas (encore )?(saisi|remonte|renseigne))"
)
_DIRECTORATES = re.compile(r"\bdirections? (?P<codes>[a-z0-9][a-z0-9_, -]*(?: et [a-z0-9_-]+)?)$")
_COMMITTEE = (
    (CommitteeKind.COPIL, re.compile(r"\b(copil|comite de pilotage)\b")),
    (CommitteeKind.COTECH, re.compile(r"\b(cotech|comite technique)\b")),
)


class BroadcastNotAllowed(DomainError):
    """Only the SPASER lead broadcasts."""


class BroadcastAlreadySent(DomainError):
    """The same confirmation arrived twice (two « oui » handled from the same dialog state)."""


@dataclass(frozen=True)
class BroadcastAudience:
    kind: AudienceKind
    committee: CommitteeKind | None = None
    directorates: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.kind is AudienceKind.COMMITTEE) != (self.committee is not None):
            raise ValueError("A committee audience names exactly one committee")
        if self.kind is AudienceKind.DIRECTORATES and not self.directorates:
            raise ValueError("A directorates audience names at least one directorate")

    @property
    def label(self) -> str:
        if self.kind is AudienceKind.EVERYONE:
            return "toutes les personnes enregistrées"
        if self.kind is AudienceKind.COMMITTEE:
            return f"membres du {COMMITTEE_NAMES[self.committee]}"
        if self.kind is AudienceKind.DIRECTORATES:
            noun = "direction" if len(self.directorates) == 1 else "directions"
            return f"{noun} {', '.join(self.directorates)}"
        return "directions ayant des indicateurs à remonter"

    @property
    def to_phrase(self) -> str:
        """« aux membres du COPIL », « à la direction DCP »: the audience after "envoyer"."""
        if self.kind is AudienceKind.EVERYONE:
            return "à toutes les personnes enregistrées"
        if self.kind is AudienceKind.DIRECTORATES and len(self.directorates) == 1:
            return f"à la direction {self.directorates[0]}"
        return f"aux {self.label}"

    def as_state(self) -> dict[str, str]:
        """JSON-able, for dialog state."""
        return {
            "kind": self.kind.value,
            "committee": self.committee.value if self.committee else "",
            "directorates": ",".join(self.directorates),
        }

    @classmethod
    def from_state(cls, state: dict[str, str]) -> BroadcastAudience:
        committee = state.get("committee") or ""
        codes = tuple(code for code in (state.get("directorates") or "").split(",") if code)
        return cls(AudienceKind(state["kind"]), CommitteeKind(committee) if committee else None, codes)


def directorate_codes_in(text: str) -> tuple[str, ...]:
    """`DCP, DRH et DSI` → ("DCP", "DRH", "DSI"): codes typed by the lead, in order, once each."""
    folded = fold(text).replace(" et ", ",")
    return tuple(dict.fromkeys(code.upper() for code in _CODE.findall(folded)))


def audience_in(text: str) -> BroadcastAudience | None:
    """The audience a sentence names (« diffuser un message au COPIL »), or None to ask for it."""
    folded = fold(text)
    if _DUE.search(folded):
        return BroadcastAudience(AudienceKind.DUE)
    for kind, pattern in _COMMITTEE:
        if pattern.search(folded):
            return BroadcastAudience(AudienceKind.COMMITTEE, committee=kind)
    if match := _DIRECTORATES.search(folded):
        codes = directorate_codes_in(match["codes"])
        if codes:
            return BroadcastAudience(AudienceKind.DIRECTORATES, directorates=codes)
    if _EVERYONE.search(folded):
        return BroadcastAudience(AudienceKind.EVERYONE)
    return None


def check_text(text: str | None) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise DomainError("Le message est vide : écrivez le texte à diffuser.")
    if len(cleaned) > MAX_BROADCAST_LENGTH:
        raise DomainError(
            f"Le message est trop long ({len(cleaned)} caractères, {MAX_BROADCAST_LENGTH} au plus) : raccourcissez-le."
        )
    return cleaned


@dataclass(frozen=True)
class ResolvedAudience:
    """Who the broadcast reaches now: recipients, and those who never opened the assistant."""

    audience: BroadcastAudience
    label: str
    recipients: tuple[Recipient, ...]
    without_reference: tuple[str, ...]


def people_count(count: int) -> str:
    return f"{count} destinataire" + ("s" if count > 1 else "")


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _card(body: list[dict]) -> dict[str, Any]:
    return {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": "1.5",
            "body": body}


def signature(author_name: str, sent_at: datetime, timezone: str) -> str:
    who = author_name or "le responsable SPASER"
    return f"Envoyé par {who}, responsable SPASER, le {format_datetime_fr(sent_at, timezone)}."


def message_card(text: str, author_name: str, sent_at: datetime, timezone: str) -> dict[str, Any]:
    """What each recipient receives."""
    return _card(
        [
            _text_block("Message du responsable SPASER", size="Medium", weight="Bolder"),
            _text_block(text),
            _text_block(signature(author_name, sent_at, timezone), size="Small", isSubtle=True, separator=True),
        ]
    )


def message_summary(text: str, author_name: str) -> str:
    first_line = text.strip().splitlines()[0][:150]
    return f"Message de {author_name or 'votre responsable SPASER'} (SPASER) : {first_line}"


def preview_card(resolved: ResolvedAudience, text: str, author_name: str, sent_at: datetime, timezone: str) -> dict[str, Any]:
    facts = [
        {"title": "Audience", "value": resolved.label},
        {"title": "Destinataires", "value": f"{people_count(len(resolved.recipients))} : "
                                            f"{listed_names([r.label for r in resolved.recipients], PREVIEW_NAMES)}"},
    ]
    body = [
        _text_block("Aperçu de votre message", size="Medium", weight="Bolder"),
        {"type": "FactSet", "facts": facts},
    ]
    if resolved.without_reference:
        several = len(resolved.without_reference) > 1
        body.append(
            _text_block(
                f"⚠ {listed_names(list(resolved.without_reference), PREVIEW_NAMES)} n'{'ont' if several else 'a'} encore "
                f"jamais échangé avec l'assistant dans Teams : le message ne pourra pas {'leur' if several else 'lui'} "
                "parvenir (le bilan d'envoi le signalera).",
                color="Warning",
            )
        )
    body.append(
        {
            "type": "Container",
            "style": "emphasis",
            "items": [
                _text_block("Message du responsable SPASER", weight="Bolder"),
                _text_block(text),
                _text_block(signature(author_name, sent_at, timezone), size="Small", isSubtle=True),
            ],
        }
    )
    return _card(body)


_STATE_TITLES = (
    (DeliveryState.SENT, "Envoyés"),
    (DeliveryState.FAILED, "En échec"),
    (DeliveryState.UNREACHABLE, "Injoignables"),
    (DeliveryState.CANCELLED, "Retirés"),
)


def delivery_report(broadcast: BroadcastView, outcomes: Sequence[DeliveryOutcome], timezone: str) -> str:
    """The lead's French report once every delivery of a broadcast is final; the people not reached
    are grouped by reason, each reason said once."""
    lines = [
        f"**Bilan de votre diffusion** du {format_datetime_fr(broadcast.created_at, timezone)} "
        f"({broadcast.audience_label}) : « {excerpt(broadcast.text, 80)} »",
    ]
    for state, title in _STATE_TITLES:
        concerned = [outcome for outcome in outcomes if outcome.state is state]
        if not concerned and state is DeliveryState.CANCELLED:
            continue
        if state is DeliveryState.SENT:
            who = listed_names([o.recipient_label for o in concerned], LISTED_NAMES)
        else:
            groups = names_by_reason((o.recipient_label, o.error) for o in concerned)
            who = " ; ".join(f"{reason} : {listed_names(names, LISTED_NAMES)}" for reason, names in groups)
        lines.append(f"- {title} : {len(concerned)}" + (f" — {who}" if concerned else ""))
    return "\n".join(lines)


class BroadcastService:
    def __init__(
        self,
        repository: BroadcastRepository,
        people: PeopleRepository,
        directorates: DirectorateRepository,
        conversation_refs: ConversationRefRepository,
        values: IndicatorValues,
        committees: CommitteesFeature | None,
        clock: Clock,
        timezone: str,
    ) -> None:
        self.repository = repository
        self._people = people
        self._directorates = directorates
        self._conversation_refs = conversation_refs
        self._values = values
        self._committees = committees
        self._clock = clock
        self.timezone = timezone

    def now(self) -> datetime:
        return self._clock.now()

    async def check_directorates(self, codes: Sequence[str]) -> tuple[str, ...]:
        """The codes if every one is a known directorate; otherwise a French error listing them."""
        known = [d.code for d in await self._directorates.list()]
        unknown = [code for code in codes if code not in known]
        if not codes or unknown:
            listed = ", ".join(known) or "aucune direction enregistrée"
            which = f"Je ne connais pas {', '.join(unknown)}. " if unknown else ""
            raise DomainError(f"{which}Indiquez un ou plusieurs codes de direction parmi : {listed}.")
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
        return ResolvedAudience(audience, label, recipients, await self._without_reference(chosen))

    async def _committee_audience(
        self, audience: BroadcastAudience, author: PersonView, people: list[PersonView]
    ) -> ResolvedAudience:
        if self._committees is None:
            raise DomainError("Les comités ne sont pas disponibles sur cette installation.")
        members = [m for m in await self._committees.audience.members(audience.committee) if m.person_id != author.id]
        by_id = {p.id: p for p in people}
        chosen = [by_id[m.person_id] for m in members if m.person_id in by_id]
        recipients = tuple(m for m in members if m.person_id is None or m.person_id in by_id)
        return ResolvedAudience(audience, audience.label, recipients, await self._without_reference(chosen))

    async def _without_reference(self, people: Sequence[PersonView]) -> tuple[str, ...]:
        references = await self._conversation_refs.personal_for([p.aad_object_id for p in people if p.aad_object_id])
        return tuple(sorted((_label(p) for p in people if not p.aad_object_id or p.aad_object_id not in references), key=fold))

    async def send(
        self, author: PersonView | None, audience: BroadcastAudience, text: str, run_key: str | None = None
    ) -> tuple[BroadcastView, ResolvedAudience]:
        """Record the broadcast and queue one delivery per recipient, atomically; once per `run_key`
        (the dialog run that confirmed it), else `BroadcastAlreadySent`."""
        if author is None or author.role is not Role.LEAD:
            raise BroadcastNotAllowed(
                "Seul le responsable SPASER peut diffuser un message. Tapez « qui suis-je » pour connaître votre rôle."
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

        broadcast, queued = await self.repository.create(
            author_id=author.id,
            audience_kind=audience.kind,
            audience_label=resolved.label,
            text=text,
            messages_for=messages_for,
            now=now,
            run_key=run_key,
        )
        if queued == 0:
            raise BroadcastAlreadySent(
                f"Ce message est déjà parti le {format_datetime_fr(broadcast.created_at, self.timezone)} "
                f"({people_count(broadcast.recipient_count)}) : je ne l'envoie pas une seconde fois."
            )
        if self._committees is not None:
            self._committees.kick_drain()
        return broadcast, resolved

    async def report_finished(self) -> int:
        """Queue the report of every broadcast whose deliveries are all final; returns how many."""
        reported = 0
        for broadcast in await self.repository.unreported():
            outcomes = await self.repository.outcomes(broadcast.id)
            if any(outcome.state not in FINAL_STATES for outcome in outcomes):
                continue
            notice = OutboxMessage(
                key=f"broadcast-report:{broadcast.id}:person-{broadcast.author_id}",
                source_kind=SourceKind.LEAD_NOTICE,
                source_id=f"broadcast:{broadcast.id}",
                text=delivery_report(broadcast, outcomes, self.timezone),
                person_id=broadcast.author_id,
                recipient_label=broadcast.author_name,
            )
            counts = Counter(outcome.state for outcome in outcomes)
            if await self.repository.finish(broadcast.id, counts, [notice], self.now()):
                reported += 1
        if reported and self._committees is not None:
            self._committees.kick_drain()
        return reported


def _nobody(audience: BroadcastAudience) -> str:
    if audience.kind is AudienceKind.DUE:
        return "Aucune direction n'a d'indicateur en attente (ou personne n'y est rattaché) : rien n'a été envoyé."
    return f"Personne n'est enregistré pour l'audience « {audience.label} » : rien n'a été envoyé."


def _label(person: PersonView) -> str:
    return person.name or person.email or f"personne n° {person.id}"


def _sort_key(person: PersonView) -> str:
    return fold(_label(person))


def _recipient(person: PersonView) -> Recipient:
    return Recipient(key=f"person-{person.id}", label=_label(person), person_id=person.id,
                     directorate=person.directorate_code)

