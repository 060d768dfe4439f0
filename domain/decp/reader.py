"""Reading a DECP file in a stream: the official JSON (nested or flat, one object or a list,
format 2019 or 2024) and the consolidated CSV, record by record, in bounded memory.

`read_decp_file` keeps the body's contracts (its SIRETs), one per contract at its latest state,
and every refused record with its reason. A file that cannot be read at all raises
`DecpFileError`: the caller then imports nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO, NamedTuple

import ijson

from domain.decp.contracts import Contract, RefusalReason, Refused, buyer_of, contract_from_record
from domain.errors import DomainError

MAX_RECORDS = 250_000
MAX_RECORD_EVENTS = 20_000
"""A single contract is a few hundred JSON tokens; past this it is refused, not built in memory."""
MAX_LISTED_PER_REASON = 1_000
"""Refused records listed by reference (all are counted)."""
CONTAINER_KEYS = frozenset({"marches", "marche", "contrat-concession"})
_CONTRACT_PREFIXES = {
    "marches.marche.item": "marche",
    "marches.marche": "marche",
    "marche.item": "marche",
    "marche": "marche",
    "marches.item": "marche",
    "item": "marche",
    "marches.contrat-concession.item": "concession",
    "marches.contrat-concession": "concession",
    "contrat-concession.item": "concession",
}
_CSV_ALIASES = {"acheteur.id": "acheteur_id", "acheteurid": "acheteur_id", "datenotification": "dateNotification"}
_DECP_CSV_MARKERS = ("datenotification", "acheteur_id", "acheteur.id", "considerationssociales")


class DecpFileError(DomainError):
    """The file cannot be read as DECP at all (syntax, encoding, columns, size)."""


class RawRecord(NamedTuple):
    reference: str
    """Where it is in the file, for the report: « marché n° 3 », « ligne 12 »."""
    kind: str
    """« marche », « concession », or « illisible » (then `problem` says why)."""
    data: dict | None
    problem: str = ""


@dataclass(frozen=True)
class RefusedRecord:
    reference: str
    reason: RefusalReason
    detail: str = ""
    contract_id: str = ""


@dataclass
class ParsedFile:
    """What a file holds for the body: its contracts by uid (latest state) and what was refused."""

    filename: str
    records: int = 0
    contracts: dict[str, Contract] = field(default_factory=dict)
    merged: int = 0
    """Records of a contract already read (republished, or one CSV row per holder)."""
    refused_counts: Counter = field(default_factory=Counter)
    refused: list[RefusedRecord] = field(default_factory=list)

    def refuse(self, record: RefusedRecord) -> None:
        self.refused_counts[record.reason] += 1
        if self.refused_counts[record.reason] <= MAX_LISTED_PER_REASON:
            self.refused.append(record)

    def keep(self, contract: Contract) -> None:
        known = self.contracts.get(contract.uid)
        if known is not None:
            self.merged += 1
            if contract.state < known.state:
                return
        self.contracts[contract.uid] = contract


def read_decp_file(path: Path, sirets: Collection[str], today: date, filename: str | None = None) -> ParsedFile:
    """The body's contracts in the file at `path`; raises `DecpFileError` when it cannot be read."""
    name = filename or path.name
    with path.open("rb") as stream:
        return read_decp(stream, name, sirets, today)


def read_decp(stream: BinaryIO, filename: str, sirets: Collection[str], today: date) -> ParsedFile:
    parsed = ParsedFile(filename)
    wanted = frozenset(sirets)
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)
    for reference, kind, record, problem in records(stream, filename):
        parsed.records += 1
        if parsed.records > MAX_RECORDS:
            raise DecpFileError(
                f"Le fichier « {filename} » contient plus de {MAX_RECORDS:,} marchés : découpez-le par année.".replace(",", "\u202f")
            )
        contract_id = str(record.get("id") or "")[:64] if isinstance(record, dict) else ""
        try:
            if kind == "concession" or "concession" in str((record or {}).get("_type", "")).lower():
                raise Refused(RefusalReason.CONCESSION)
            if record is None:
                raise Refused(RefusalReason.UNREADABLE, problem)
            buyer = buyer_of(record) if isinstance(record, dict) else None
            if buyer is not None and buyer not in wanted:
                raise Refused(RefusalReason.OTHER_BUYER, buyer)
            parsed.keep(contract_from_record(record, today))
        except Refused as refusal:
            parsed.refuse(RefusedRecord(reference, refusal.reason, refusal.detail, contract_id))
    return parsed


def records(stream: BinaryIO, filename: str) -> Iterator[RawRecord]:
    """Each record of the file, in order; `stream` must offer `peek` (a buffered file)."""
    head = stream.peek(64) if hasattr(stream, "peek") else b""
    start = head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1]
    if filename.lower().endswith(".json") or (not filename.lower().endswith(".csv") and start in (b"{", b"[")):
        return _json_records(stream, filename)
    return _csv_records(stream, filename)


def looks_like_decp_csv(head: bytes) -> bool:
    """Whether the first bytes of a CSV are a DECP header (rather than, say, the indicator catalogue)."""
    first_line = head.decode("utf-8", errors="ignore").lstrip("\ufeff").splitlines()[:1]
    folded = first_line[0].lower() if first_line else ""
    return any(marker in folded for marker in _DECP_CSV_MARKERS)


def _json_records(stream: BinaryIO, filename: str) -> Iterator[RawRecord]:
    builder: ijson.ObjectBuilder | None = None
    kind, depth, events, index = "marche", 0, 0, 0
    top_level_undecided = False
    skipping = False
    try:
        for prefix, event, value in ijson.parse(_without_bom(stream)):
            if builder is not None or skipping:
                if top_level_undecided and event == "map_key" and prefix == "":
                    top_level_undecided = False
                    if value in CONTAINER_KEYS:
                        builder, depth = None, 0
                        continue
                if event in ("start_map", "start_array"):
                    depth += 1
                elif event in ("end_map", "end_array"):
                    depth -= 1
                if not skipping:
                    builder.event(event, value)
                    events += 1
                    if events > MAX_RECORD_EVENTS:
                        builder, skipping = None, True
                if depth == 0:
                    index += 1
                    if skipping:
                        yield RawRecord(f"marché n° {index}", kind, None, "marché trop volumineux")
                    else:
                        yield RawRecord(f"marché n° {index}", kind, builder.value)
                    builder, skipping = None, False
                continue
            if event == "start_map" and (prefix in _CONTRACT_PREFIXES or prefix == ""):
                kind = _CONTRACT_PREFIXES.get(prefix, "marche")
                builder, depth, events = ijson.ObjectBuilder(), 1, 1
                builder.event(event, value)
                top_level_undecided = prefix == ""
    except ijson.JSONError as error:
        raise DecpFileError(
            f"Le fichier « {filename} » n’est pas un JSON valide ({_reason(error)})."
        ) from None
    except UnicodeDecodeError:
        raise DecpFileError(f"Le fichier « {filename} » n’est pas encodé en UTF-8.") from None
    if index == 0:
        raise DecpFileError(
            f"Le fichier « {filename} » ne contient aucun marché au format DECP "
            "(attendu : {\"marches\": {\"marche\": […]}})."
        )


def _csv_records(stream: BinaryIO, filename: str) -> Iterator[RawRecord]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        header_line = text.readline()
        delimiter = max(";,\t", key=header_line.count)
        header = next(csv.reader([header_line], delimiter=delimiter), [])
        columns = [_CSV_ALIASES.get(name.strip().lower(), name.strip()) for name in header]
        missing = [name for name in ("id", "dateNotification", "montant") if name not in columns]
        if "acheteur_id" not in columns and "uid" not in columns:
            missing.append("acheteur_id")
        if missing:
            raise DecpFileError(
                f"Le fichier « {filename} » n’a pas les colonnes DECP attendues ({', '.join(missing)} "
                "manquantes)."
            )
        for line, cells in enumerate(csv.reader(text, delimiter=delimiter), start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                yield RawRecord(f"ligne {line}", "marche", None, f"{len(cells)} colonnes au lieu de {len(columns)}")
                continue
            yield RawRecord(f"ligne {line}", "marche", dict(zip(columns, (cell.strip() for cell in cells), strict=True)))
    except UnicodeDecodeError:
        raise DecpFileError(
            f"Le fichier « {filename} » n’est pas encodé en UTF-8 : enregistrez-le en « CSV UTF-8 » et renvoyez-le."
        ) from None
    except csv.Error:
        raise DecpFileError(f"Le fichier « {filename} » n’est pas un CSV lisible (guillemets ou cellule trop longue).") from None
    finally:
        text.detach()


def _without_bom(stream: BinaryIO) -> BinaryIO:
    if hasattr(stream, "peek") and stream.peek(3)[:3] == codecs.BOM_UTF8:
        stream.read(3)
    return stream


def _reason(error: Exception) -> str:
    text = str(error).split("\n")[0]
    return "fichier tronqué" if "premature eof" in text.lower() or "incomplete" in text.lower() else "syntaxe incorrecte"
