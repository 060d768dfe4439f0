"""One contract of the DECP (données essentielles de la commande publique) as the SPASER reads it,
and the rules that turn a raw record — any of the shapes buyers publish — into it or refuse it.

A record is a dict: a JSON contract (nested `{"considerationSociale": [...]}`, flat lists, one
value instead of a list) or a CSV row (values joined in one cell, « Sans objet » for none).
Refusals carry a reason the lead can act on; nothing here reads a file (reader.py does).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from domain.errors import quoted_input
from domain.text import fold

FORMAT_2024_START = date(2024, 1, 1)
"""Contracts notified since then are published with their social and environmental considerations."""
ENVIRONMENTAL_OBLIGATION_START = date(2026, 8, 21)
"""Loi Climat et Résilience (art. 35), in force by décret n° 2022-767 (art. 13) on 21 August 2026 for every
consultation engaged from that day: the contract carries an environmental consideration."""
MAX_CONTRACT_ID_LENGTH = 64
MAX_OBJECT_LENGTH = 300
MAX_AMOUNT = Decimal(10) ** 13
_CENT = Decimal("0.01")
_SIRET = re.compile(r"^\d{14}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+)?(?:Z|[+-]\d{2}:?\d{2})?$")
_VALUE_SEPARATORS = re.compile(r"[,;|]")

SOCIAL_CONSIDERATIONS = {"clause sociale": "Clause sociale", "critere social": "Critère social", "marche reserve": "Marché réservé"}
ENVIRONMENTAL_CONSIDERATIONS = {
    "clause environnementale": "Clause environnementale",
    "critere environnemental": "Critère environnemental",
}
RESERVED = "Marché réservé"
_NONE_VALUES = {
    "social": {"pas de consideration sociale", "sans objet", "aucune", "non"},
    "environmental": {"pas de consideration environnementale", "sans objet", "aucune", "non"},
}


class RefusalReason(StrEnum):
    """Why a record was not kept; the values are the French words of the import report."""

    OTHER_BUYER = "autre acheteur que l’organisme"
    CONCESSION = "contrat de concession (pas un marché)"
    BEFORE_2024 = "notifié avant 2024 sans considérations (ancien format)"
    NO_CONSIDERATIONS = "considérations sociales ou environnementales absentes"
    BAD_ID = "identifiant du marché absent ou invalide"
    BAD_BUYER = "SIRET de l’acheteur absent ou invalide"
    BAD_DATE = "date de notification absente ou invalide"
    FUTURE_DATE = "date de notification à venir"
    BAD_AMOUNT = "montant absent ou invalide"
    UNKNOWN_CONSIDERATION = "considération inconnue"
    CONTRADICTORY = "considérations contradictoires"
    UNREADABLE = "ligne illisible"


class Refused(Exception):
    """A record that cannot be kept, with its reason and what was wrong (quoted for the report)."""

    def __init__(self, reason: RefusalReason, detail: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Contract:
    """A contract's latest known state: `state` sorts the versions of one contract (latest
    modification date, number of modifications, publication date), so a republished contract
    counts once, as it stands now."""

    buyer_siret: str
    contract_id: str
    object: str
    notified_on: date
    amount: Decimal
    social: tuple[str, ...]
    environmental: tuple[str, ...]
    modification_count: int = 0
    state: str = ""

    @property
    def uid(self) -> str:
        return self.buyer_siret + self.contract_id

    @property
    def has_social(self) -> bool:
        return bool(self.social)

    @property
    def has_environmental(self) -> bool:
        return bool(self.environmental)

    @property
    def is_reserved(self) -> bool:
        return RESERVED in self.social


def normalise_siret(text: object) -> str | None:
    """14 digits (spaces ignored), or None."""
    digits = "".join(str(text or "").split())
    return digits if _SIRET.match(digits) else None


def buyer_of(record: dict) -> str | None:
    """The buyer's SIRET: `acheteur.id` (nested), `acheteur_id` (flat), or the start of `uid`."""
    buyer = record.get("acheteur")
    if isinstance(buyer, dict):
        buyer = buyer.get("id")
    if buyer in (None, ""):
        buyer = record.get("acheteur_id") or record.get("acheteur.id")
    siret = normalise_siret(buyer)
    if siret is None and buyer in (None, "") and isinstance(record.get("uid"), str):
        siret = normalise_siret(record["uid"][:14])
    return siret


def contract_from_record(record: object, today: date) -> Contract:
    """The contract a record describes; raises `Refused` with the first problem found."""
    if not isinstance(record, dict):
        raise Refused(RefusalReason.UNREADABLE)
    siret = buyer_of(record)
    if siret is None:
        raise Refused(RefusalReason.BAD_BUYER, _shown(_raw_buyer(record)))
    contract_id = " ".join(str(record.get("id") if record.get("id") is not None else "").split())
    if not contract_id or len(contract_id) > MAX_CONTRACT_ID_LENGTH:
        raise Refused(RefusalReason.BAD_ID, _shown(contract_id))
    notified_on = _date(record.get("dateNotification"))
    if notified_on is None:
        raise Refused(RefusalReason.BAD_DATE, _shown(record.get("dateNotification")))
    if notified_on > today:
        raise Refused(RefusalReason.FUTURE_DATE, notified_on.isoformat())
    modifications = _modifications(record.get("modifications"))
    amount = _latest_amount(_amount(record.get("montant")), modifications)
    social = _considerations(record.get("considerationsSociales"), SOCIAL_CONSIDERATIONS, "social", notified_on)
    environmental = _considerations(
        record.get("considerationsEnvironnementales"), ENVIRONMENTAL_CONSIDERATIONS, "environmental", notified_on
    )
    last_change = max((_date(m.get("dateNotificationModification")) or date.min for m in modifications), default=date.min)
    published = _date(record.get("datePublicationDonnees")) or date.min
    return Contract(
        buyer_siret=siret,
        contract_id=contract_id,
        object=" ".join(str(record.get("objet") or "").split())[:MAX_OBJECT_LENGTH],
        notified_on=notified_on,
        amount=amount,
        social=social,
        environmental=environmental,
        modification_count=len(modifications),
        state=f"{last_change.isoformat()}|{len(modifications):04d}|{published.isoformat()}",
    )


def _raw_buyer(record: dict) -> object:
    buyer = record.get("acheteur")
    return buyer.get("id") if isinstance(buyer, dict) else buyer or record.get("acheteur_id")


def _shown(value: object) -> str:
    return "vide" if value in (None, "") else f"« {quoted_input(value, 30)} »"


def _date(value: object) -> date | None:
    match = _DATE.match(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return day if day.year >= 2000 else None


def _amount(value: object) -> Decimal:
    """An amount HT in euros, to the cent; « 12 345,67 » and « 12345.67 » alike."""
    if isinstance(value, bool):
        raise Refused(RefusalReason.BAD_AMOUNT, _shown(value))
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = "".join(value.replace("\u202f", " ").replace("\u00a0", " ").split()).removesuffix("€")
        if "," in text and "." in text:
            raise Refused(RefusalReason.BAD_AMOUNT, _shown(value))
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise Refused(RefusalReason.BAD_AMOUNT, _shown(value)) from None
    else:
        raise Refused(RefusalReason.BAD_AMOUNT, _shown(value))
    if not number.is_finite() or number < 0 or number >= MAX_AMOUNT:
        raise Refused(RefusalReason.BAD_AMOUNT, _shown(value))
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def _latest_amount(initial: Decimal, modifications: list[dict]) -> Decimal:
    """The contract's amount after its latest modification that gives one, else its initial amount.

    In the format 2024, `modification.montant` is the contract's new total amount HT (not an
    increment): the one notified last (`dateNotificationModification`, then its place in the list
    for equal or missing dates) is the amount the contract stands at, whatever order the file
    lists its modifications in."""
    amounts = [
        (_date(m.get("dateNotificationModification")) or date.min, index, _amount(m.get("montant")))
        for index, m in enumerate(modifications)
        if m.get("montant") not in (None, "")
    ]
    return max(amounts)[2] if amounts else initial


def _modifications(value: object) -> list[dict]:
    """`[{"modification": {...}}]`, `{"modification": [...]}`, `[{...}]` or one object: a list of dicts."""
    if value in (None, ""):
        return []
    if isinstance(value, dict):
        value = value.get("modification", value)
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("modification"), (dict, list)):
            inner = item["modification"]
            found += [m for m in (inner if isinstance(inner, list) else [inner]) if isinstance(m, dict)]
        elif isinstance(item, dict):
            found.append(item)
    return found


def _considerations(value: object, known: dict[str, str], kind: str, notified_on: date) -> tuple[str, ...]:
    """The considerations given, canonical and in order; « Pas de considération… », « Sans objet » or
    an empty list: none. Absent (or an empty cell before 2024, when the field did not exist): refused."""
    absent = value is None or (notified_on < FORMAT_2024_START and value == "")
    if absent:
        reason = RefusalReason.BEFORE_2024 if notified_on < FORMAT_2024_START else RefusalReason.NO_CONSIDERATIONS
        raise Refused(reason)
    tokens = _tokens(value)
    if tokens is None:
        raise Refused(RefusalReason.UNREADABLE, "considérations")
    found: list[str] = []
    said_none = False
    for token in tokens:
        folded = fold(token)
        if folded in known:
            if known[folded] not in found:
                found.append(known[folded])
        elif folded in _NONE_VALUES[kind] or not folded:
            said_none = said_none or bool(folded)
        else:
            raise Refused(RefusalReason.UNKNOWN_CONSIDERATION, f"« {quoted_input(token, 40)} »")
    if found and said_none:
        raise Refused(RefusalReason.CONTRADICTORY, f"« {quoted_input(', '.join(tokens), 60)} »")
    return tuple(found)


def _tokens(value: object) -> list[str] | None:
    """Every value named, whatever the shape: nested object, list, one string of joined values."""
    if isinstance(value, dict):
        return _flatten(list(value.values()))
    if isinstance(value, list):
        return _flatten(value)
    if isinstance(value, str):
        return [part.strip() for part in _VALUE_SEPARATORS.split(value)]
    return None


def _flatten(items: list) -> list[str] | None:
    tokens: list[str] = []
    for item in items:
        found = _tokens(item)
        if found is None:
            return None
        tokens += found
    return tokens
