"""Shared set-up of the summary and broadcast tests: a small catalogue with values, and people
reachable through the fake Teams connector."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.people import PersonView, Role
from storage.db import Database
from storage.indicators import indicator_repositories
from storage.indicators.catalogue import IndicatorCatalogue
from storage.indicators.values import IndicatorValues
from storage.people import ConversationRefRepository, DirectorateRepository
from tests.committees_support import TENANT, add_person, reference

SECRET = "s" * 40
NO_CONNECTOR = "http://127.0.0.1:9/"
"""A service URL for people who opened the assistant, in tests that send nothing."""
CATALOGUE = "\n".join(
    [
        "code;libelle;axe;unite;directions;frequence;valeur_reference;cible;annee_cible;sens;source;preexistant;actif",
        "SOC-01;Heures d'insertion réalisées;social;heures;DCP|DPB;trimestrielle;100;400;2030;hausse;Facilitateur;oui;oui",
        "ENV-01;Part des marchés avec une clause environnementale;environnemental;%;DPB;trimestrielle;20;50;2030;hausse;OECP;oui;oui",
        "GOV-01;Acheteurs formés;gouvernance;personnes;DCP;annuelle;;;;hausse;RH;non;oui",
    ]
)
DPB_SECRET_COMMENT = "Chantier de l'école Jules-Ferry"
VALUES = (
    ("SOC-01", "DCP", "2026-T2", 150, "Marché de nettoyage"),
    ("SOC-01", "DPB", "2026-T2", 130, DPB_SECRET_COMMENT),
    ("SOC-01", "DCP", "2026-T1", 120, ""),
    ("SOC-01", "DPB", "2026-T1", 110, ""),
    ("ENV-01", "DPB", "2026-T2", 35, ""),
    ("GOV-01", "DCP", "2025", 12, ""),
)


async def seed_catalogue(database: Database, clock, entered_by_id: int) -> tuple[IndicatorCatalogue, IndicatorValues]:
    """The three-indicator catalogue over DCP and DPB, with two quarters of values."""
    directorates = DirectorateRepository(database)
    for code in ("DCP", "DPB"):
        if await directorates.get_by_code(code) is None:
            await directorates.add(code, f"Direction {code}")
    catalogue, values = indicator_repositories(database, clock=clock)
    await catalogue.import_catalogue(CATALOGUE.encode("utf-8"))
    await values.seed_values(
        {
            "code": code,
            "directorate": directorate,
            "period": period,
            "value": value,
            "comment": comment,
            "entered_by_id": entered_by_id,
            "entered_at": datetime(2026, 10, 10, tzinfo=UTC),
        }
        for code, directorate, period, value, comment in VALUES
    )
    return catalogue, values


async def organisation(database: Database, url: str) -> dict[str, PersonView]:
    """A lead, two élu·es, a contributor per directorate; all have opened the assistant (at `url`)."""
    await DirectorateRepository(database).add("DCP", "Commande publique")
    await DirectorateRepository(database).add("DPB", "Patrimoine bâti")
    return {
        "lead": await add_person(database, "camille@ville.fr", Role.LEAD, url, name="Camille Martin"),
        "marc": await add_person(database, "marc@ville.fr", Role.OFFICIAL, url, name="Marc Lefèvre"),
        "lucie": await add_person(database, "lucie@ville.fr", Role.OFFICIAL, url, name="Lucie Roux"),
        "nadia": await add_person(database, "nadia@ville.fr", Role.CONTRIBUTOR, url, "DCP", name="Nadia Benali"),
        "julien": await add_person(database, "julien@ville.fr", Role.CONTRIBUTOR, url, "DPB", name="Julien Petit"),
    }


def aad(person: PersonView) -> str:
    return person.aad_object_id


async def reachable_again(database: Database, person: PersonView, url: str) -> None:
    """Make the loopback reference the person's latest one again (a console chat saved another)."""
    await ConversationRefRepository(database).save(
        reference(f"a:{person.email}", url, person.aad_object_id),
        tenant_id=TENANT,
        aad_object_id=person.aad_object_id,
        conversation_type="personal",
    )


def card_of(activities) -> dict:
    for activity in reversed(activities):
        for attachment in activity.attachments or []:
            if attachment.content_type == "application/vnd.microsoft.card.adaptive":
                return attachment.content
    raise AssertionError("no Adaptive Card in the replies")


def card_nodes(node):
    """Every element of a card, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from card_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from card_nodes(value)


def find_elements(card: dict, kind: str) -> list[dict]:
    found: list[dict] = []

    def walk(element):
        if isinstance(element, dict):
            if element.get("type") == kind:
                found.append(element)
            for value in element.values():
                walk(value)
        elif isinstance(element, list):
            for item in element:
                walk(item)

    walk(card)
    return found


def texts_in(card: dict) -> str:
    """Every « text » of a card, in order, no-break spaces read as spaces."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            found.extend(value for key, value in node.items() if key == "text")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card)
    # Non-breaking hyphens (« IND‑23 », reader 10, C5) read as the hyphens people type.
    return "\n".join(found).replace("\u00a0", " ").replace("\u2011", "-")
