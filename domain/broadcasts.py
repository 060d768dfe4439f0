"""Broadcasts by the SPASER lead, as plain values: the audience a sentence names, the text's
limits, the card each recipient reads, the preview, and the lead's delivery report."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from domain.cards import card, fact
from domain.clock import format_datetime_fr
from domain.committees.cadence import CommitteeKind
from domain.delivery_problems import reasons_with_names
from domain.errors import DomainError
from domain.outbox import DeliveryState, Recipient
from domain.text import (
    agreed,
    counted,
    counted_in_words,
    fold,
    listed_names,
    of,
    plain_excerpt,
    shown,
    with_link_targets,
)

MAX_BROADCAST_LENGTH = 4000
COMMITTEE_NAMES = {CommitteeKind.COPIL: "comité de pilotage", CommitteeKind.COTECH: "comité technique"}
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


class AudienceKind(StrEnum):
    EVERYONE = "everyone"
    COMMITTEE = "committee"
    DIRECTORATES = "directorates"
    DUE = "due"


class BroadcastNotAllowed(DomainError):
    """Only the SPASER lead broadcasts."""


class BroadcastAlreadySent(DomainError):
    """The same confirmation arrived twice (two « oui » handled from the same dialog state)."""


@dataclass(frozen=True)
class BroadcastView:
    id: int
    author_id: int
    author_name: str
    audience_kind: AudienceKind
    audience_label: str
    text: str
    recipient_count: int
    sent_count: int
    failed_count: int
    unreachable_count: int
    created_at: datetime
    reported_at: datetime | None


@dataclass(frozen=True)
class DeliveryOutcome:
    """Where one delivery of a broadcast ended."""

    recipient_label: str
    state: DeliveryState
    error: str | None


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
        return "directions ayant des indicateurs à saisir"

    @property
    def to_phrase(self) -> str:
        """« aux membres du comité de pilotage », « à la direction DCP »: the audience after "envoyer"."""
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
        raise DomainError("Le message est vide : écrivez le texte à diffuser.")
    if len(cleaned) > MAX_BROADCAST_LENGTH:
        raise DomainError(
            f"Le message est trop long ({len(cleaned)} caractères, {MAX_BROADCAST_LENGTH} au plus) : raccourcissez-le."
        )
    return cleaned


@dataclass(frozen=True)
class ResolvedAudience:
    """Who the broadcast reaches now: recipients, and those who never opened the assistant (their
    names; `installs_app` when the assistant can install itself for them through Microsoft Graph)."""

    audience: BroadcastAudience
    label: str
    recipients: tuple[Recipient, ...]
    without_reference: tuple[str, ...]
    installs_app: bool = False

    @property
    def unreachable(self) -> tuple[str, ...]:
        """The names the message cannot reach: never opened the assistant, which cannot be installed for them."""
        return () if self.installs_app else self.without_reference

    @property
    def reachable(self) -> tuple[Recipient, ...]:
        """The recipients the message can reach (channels always can)."""
        left = Counter(self.unreachable)
        kept = []
        for recipient in self.recipients:
            if recipient.person_id is not None and left[recipient.label] > 0:
                left[recipient.label] -= 1
                continue
            kept.append(recipient)
        return tuple(kept)


def people_count(count: int) -> str:
    return counted(count, "destinataire")


def addressees(recipients: Sequence[Recipient]) -> str:
    """« Adele Vance » when the message goes to one person, « 3 destinataires » otherwise: « à 1
    destinataire » read as a count where a name was known."""
    if len(recipients) == 1 and recipients[0].person_id is not None:
        return recipients[0].label
    return people_count(len(recipients))


SENDING_NAMED = 10
"""Up to this many reachable recipients are named in « Message en cours d’envoi … »; more are counted."""


def sending_text(resolved: ResolvedAudience, recipient_count: int) -> str:
    """« Message en cours d’envoi aux membres du comité de pilotage (1 destinataire joignable : Adele
    Vance). »: the audience first, then who can be reached (reader 12, B15: « à Adele Vance (membres du
    comité de pilotage) » put one name before a plural group)."""
    audience = resolved.audience
    if audience.kind is AudienceKind.EVERYONE:
        to = "à toutes les personnes enregistrées"
    elif audience.kind is AudienceKind.DIRECTORATES and len(audience.directorates) == 1:
        to = f"à la direction {audience.directorates[0]}"
    else:
        to = f"aux {resolved.label}"  # the due directorates' codes included
    reachable = resolved.reachable
    if not reachable:
        return f"Message en cours d’envoi {to} ({people_count(recipient_count)})."
    count = f"{people_count(len(reachable))} {agreed(len(reachable), 'joignable')}"
    return (f"Message en cours d’envoi {to} ({count} : "
            f"{listed_names([shown(r.label) for r in reachable], SENDING_NAMED)}).")


def _text_block(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def message_title(author_name: str) -> str:
    """« Message d’Alex Wilber, responsable du SPASER »: who wrote it, in the title (reader 14, 21: « Message
    de la personne responsable du SPASER » said nothing with two leads, and the signature said it
    again); the name escaped, as everything people typed that others read."""
    name = shown(author_name)
    return f"Message {of(name)}, responsable du SPASER" if name else "Message de la personne responsable du SPASER"


def signature(sent_at: datetime, timezone: str) -> str:
    """« Envoyé le dimanche 6 décembre 2026 à 19 h 42. »: the author is in the title."""
    return f"Envoyé le {format_datetime_fr(sent_at, timezone)}."


def message_card(text: str, author_name: str, sent_at: datetime, timezone: str) -> dict[str, Any]:
    """What each recipient receives."""
    return card(
        [
            _text_block(message_title(author_name), size="Medium", weight="Bolder"),
            _text_block(with_link_targets(text)),
            _text_block(signature(sent_at, timezone), size="Small", isSubtle=True, separator=True),
        ]
    )


def message_summary(text: str, author_name: str) -> str:
    """What Teams shows in notifications and in the chat list, where Markdown is not rendered: the
    first line without its emphasis marks."""
    first_line = plain_excerpt(with_link_targets(text.strip().splitlines()[0]), 150)
    return f"Message {of(shown(author_name) or 'la personne responsable du SPASER')} (SPASER) : {first_line}"


def _names(names: Sequence[str]) -> str:
    return listed_names([shown(name) for name in names], PREVIEW_NAMES)


def nobody_reachable_text(resolved: ResolvedAudience) -> str:
    """Why nobody can receive the message (nobody aimed at installed the assistant in Teams), and what
    to do, the installation said once (reader 14: « n’ont pas encore installé l’assistant dans Teams.
    Faites-leur installer l’assistant »); nothing was sent yet, so « relancez », not « à nouveau »."""
    them = agreed(len(resolved.unreachable), "lui", "leur")
    return (
        f"Personne ne peut recevoir ce message pour l’instant : je ne peux pas encore écrire à "
        f"{_names(resolved.unreachable)}. Faites-{them} installer l’assistant dans Teams, puis relancez la diffusion."
    )


def preview_card(resolved: ResolvedAudience, text: str, author_name: str) -> dict[str, Any]:
    """What the lead checks before sending: the audience, each person reached listed once, and who
    cannot be reached (in red, the house colour for ⚠: Teams' yellow is hard to read on white)."""
    reachable = resolved.reachable
    facts = [fact("Envoi à", resolved.label)]
    if reachable:
        facts.append(fact(people_count(len(reachable)), _names([r.label for r in reachable])))
    body = [
        _text_block("Aperçu de votre message", size="Medium", weight="Bolder"),
        {"type": "FactSet", "facts": facts},
    ]
    if not reachable:
        body.append(_text_block(f"⚠ {nobody_reachable_text(resolved)}", weight="Bolder", color="Attention"))
    elif resolved.unreachable:
        several = len(resolved.unreachable) > 1
        body.append(
            _text_block(
                f"⚠ Ne {'le recevront' if several else 'le recevra'} pas : {_names(resolved.unreachable)}, "
                f"qui n’{'ont' if several else 'a'} pas encore installé l’assistant dans Teams.",
                weight="Bolder",
                color="Attention",
            )
        )
    elif resolved.without_reference:
        several = len(resolved.without_reference) > 1
        body.append(
            _text_block(
                f"{_names(resolved.without_reference)} n’{'ont' if several else 'a'} encore jamais ouvert l’assistant : "
                f"je l’installerai pour {'elles et eux' if several else 'cette personne'} dans Teams avant l’envoi.",
                isSubtle=True,
            )
        )
    body.append(
        {
            "type": "Container",
            "style": "emphasis",
            "items": [
                # As recipients will read it; the date is added when it is sent.
                _text_block(message_title(author_name), weight="Bolder"),
                _text_block(with_link_targets(text)),
            ],
        }
    )
    return card(body)


_STATE_COUNTS = (
    (DeliveryState.SENT, "Personne n’a reçu le message", ("message envoyé", "messages envoyés"), False),
    # Reader 10, C3: « Aucun envoi en échec » and « Aucune personne injoignable » added nothing.
    (DeliveryState.FAILED, "", ("envoi en échec", "envois en échec"), False),
    # Reader 11, B19: « Trois personnes injoignables. » read as an administrative note.
    (DeliveryState.UNREACHABLE, "", ("personne ne l’a pas reçu", "personnes ne l’ont pas reçu"), True),
    (DeliveryState.CANCELLED, "", ("envoi retiré", "envois retirés"), False),
)
"""Per final state: the line when none (empty: no line), the counted noun and whether it is feminine."""


def delivery_report(
    broadcast: BroadcastView, outcomes: Sequence[DeliveryOutcome], timezone: str, advice: bool = True
) -> str:
    """The lead's French report once every delivery of a broadcast is final: a count per outcome with
    real plurals, then who got it, and for the others one full sentence per reason (what to do about
    it unless `advice` is False: the lead was told that day)."""
    lines = [
        f"**Compte rendu de votre diffusion** du {format_datetime_fr(broadcast.created_at, timezone)} "
        f"({shown(broadcast.audience_label)}) : « {plain_excerpt(broadcast.text, 80)} »",
    ]
    for state, none, noun, feminine in _STATE_COUNTS:
        concerned = [outcome for outcome in outcomes if outcome.state is state]
        if not concerned:
            if none:
                lines.append(f"- {none}.")
            continue
        if state is DeliveryState.SENT:
            # Reader 11, A10: « Un message envoyé » did not confirm the delivery the lead was promised.
            names = listed_names([shown(o.recipient_label) for o in concerned], LISTED_NAMES)
            whom = names if len(concerned) == 1 else f"{counted(len(concerned), 'personne')} : {names}"
            lines.append(f"- Message bien reçu par {whom}.")
            continue
        count = counted_in_words(len(concerned), *noun, feminine=feminine)  # a line never starts with a figure
        reasons = reasons_with_names(((shown(o.recipient_label), o.error) for o in concerned), LISTED_NAMES, advice)
        lines.append(f"- {count}. " + " ".join(reasons))
    return "\n".join(lines)
