"""A generated DECP file for the demo organisation: its contracts since 2024 in the official JSON
(format 2024), with what real files hold too (another buyer's rows, pre-2024 rows without
considerations, a contract republished with a modification), so that `spaser-bot demo` shows
computed indicators next to the reported ones and an import report with refusals.

Deterministic for a given day: the same file twice imports nothing twice. Its reserved markets
(IND-26) start near the catalogue's reference and grow toward its target, as an organisation learns
to reserve them: they are drawn apart, among the contracts with a social consideration, so that
which contracts have one (IND-24) and every amount (IND-25) stay what they were.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from domain.decp.contracts import ENVIRONMENTAL_OBLIGATION_START, FORMAT_2024_START

DEMO_SIRET = "21990123400017"
OTHER_BUYER_SIRET = "20004567800015"
DEMO_DECP_FILENAME = "decp-demo.json"
CONTRACTS_PER_MONTH = (8, 20)
PUBLICATION_LAG_DAYS = 20
RESERVED_SEED = 154
"""Which social considerations are reserved markets is drawn from its own stream, so that the contracts'
draws (their considerations, amounts) stay what they were before reserved markets grew over time."""
RESERVED_SHARE = (0.03, 0.08)
"""The share of the contracts with a social consideration that are reserved markets, in January 2024
and from June 2028 on (in between, it grows month by month)."""
RESERVED_SHARE_MONTHS = 54
OBJECTS = (
    "Nettoyage des locaux administratifs", "Entretien des espaces verts", "Fourniture de repas pour la restauration scolaire",
    "Travaux de rénovation énergétique d’un groupe scolaire", "Maintenance des ascenseurs", "Fourniture de mobilier de bureau",
    "Location et maintenance de photocopieurs", "Acquisition de véhicules utilitaires électriques",
    "Prestations de conseil en mobilité", "Fourniture de papier recyclé", "Collecte et valorisation des déchets de chantier",
    "Travaux de voirie", "Maintenance du parc informatique", "Fourniture de produits d’entretien écolabellisés",
    "Blanchisserie des vêtements de travail", "Impression de documents de communication",
)


def demo_contracts(today: date, seed: int = 2024) -> list[dict]:
    """Contracts notified from January 2024 until a few weeks before `today`, plus the odd rows."""
    chance = random.Random(seed)
    reserving = random.Random(RESERVED_SEED)
    contracts: list[dict] = []
    day = FORMAT_2024_START
    last = today - timedelta(days=PUBLICATION_LAG_DAYS)
    number = 0
    while day <= last:
        for _ in range(chance.randint(*CONTRACTS_PER_MONTH)):
            notified = day + timedelta(days=chance.randrange(28))
            if notified > last:
                continue
            number += 1
            contracts.append(_contract(chance, number, notified, reserving))
        day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    if contracts:
        republished = dict(contracts[0])
        republished["modifications"] = [
            {"modification": {"id": 1, "dateNotificationModification": (contracts[0]["dateNotification"][:8] + "28"),
                              "montant": float(Decimal(str(contracts[0]["montant"])) * Decimal("1.1"))}}
        ]
        contracts.append(republished)
    contracts.append({**_contract(chance, 9001, date(2024, 3, 5), reserving), "acheteur": {"id": OTHER_BUYER_SIRET}})
    for extra, notified in ((9002, date(2023, 6, 12)), (9003, date(2023, 11, 20))):
        old = _contract(chance, extra, notified, reserving)
        del old["considerationsSociales"], old["considerationsEnvironnementales"]
        contracts.append(old)
    return contracts


def _contract(chance: random.Random, number: int, notified: date, reserving: random.Random) -> dict:
    months = (notified.year - 2024) * 12 + notified.month
    social = []
    if chance.random() < 0.18 + months * 0.006:
        social.append(chance.choice(("Clause sociale", "Critère social")))
    if chance.random() < 0.04 and not social:  # the 4 % once drawn as reserved markets
        social.append("Clause sociale")
    if reserving.random() < _reserved_share(months) and social:
        social.append("Marché réservé")
    environmental = []
    env_chance = 0.95 if notified >= ENVIRONMENTAL_OBLIGATION_START else 0.40 + months * 0.012
    if chance.random() < env_chance:
        environmental.append(chance.choice(("Clause environnementale", "Critère environnemental")))
    amount = round(40_000 * (1 + chance.paretovariate(1.6)), -2)
    return {
        "id": f"{notified.year}{number:05d}",
        "acheteur": {"id": DEMO_SIRET},
        "nature": "Marché",
        "objet": chance.choice(OBJECTS),
        "codeCPV": "90910000",
        "procedure": chance.choice(("Procédure adaptée", "Appel d'offres ouvert")),
        "dureeMois": chance.choice((12, 24, 36, 48)),
        "dateNotification": notified.isoformat(),
        "datePublicationDonnees": (notified + timedelta(days=PUBLICATION_LAG_DAYS)).isoformat(),
        "montant": min(amount, 4_000_000),
        "considerationsSociales": {"considerationSociale": social or ["Pas de considération sociale"]},
        "considerationsEnvironnementales": {
            "considerationEnvironnementale": environmental or ["Pas de considération environnementale"]
        },
    }


def _reserved_share(months: int) -> float:
    first, last = RESERVED_SHARE
    return first + (last - first) * min(months, RESERVED_SHARE_MONTHS) / RESERVED_SHARE_MONTHS


def write_demo_decp(folder: Path, today: date) -> Path:
    path = folder / DEMO_DECP_FILENAME
    document = {"marches": {"marche": demo_contracts(today), "contrat-concession": []}}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
