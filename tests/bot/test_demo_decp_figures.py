"""The demo's computed indicators recomputed by hand from its generated DECP file (reader 15, B2):
IND-24 and IND-25 (shares in value, social and environmental) for the 1st quarter of 2024, where the demo republishes contract 202400001 with a
modification whose `montant` (its new total, format 2024) is 1.1 times the initial amount.

The recount below reads the JSON itself: the body's contracts notified in the quarter, each once
(the republished record replaces the first), at the amount of its latest modification."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from bot.demo import load_demo
from bot.demo_decp import DEMO_DECP_FILENAME, DEMO_SIRET
from bot.runtime import build_runtime
from domain.clock import FakeClock
from tests.conftest import make_settings

NOW = datetime(2026, 12, 6, 19, 40, tzinfo=UTC)


def recount(path) -> tuple[int, Decimal, Decimal, Decimal]:
    """(contracts, total amount, amount with a social consideration, with an environmental one) in 2024-T1."""
    latest: dict[str, dict] = {}
    for record in json.loads(path.read_text(encoding="utf-8"))["marches"]["marche"]:
        if record["acheteur"]["id"] == DEMO_SIRET and "2024-01-01" <= record["dateNotification"] <= "2024-03-31":
            latest[record["id"]] = record  # the demo writes the republished record after the first one
    amounts, social, environmental = {}, set(), set()
    for number, record in latest.items():
        changes = sorted((m["modification"]["dateNotificationModification"], m["modification"]["montant"])
                         for m in record.get("modifications", []))
        amounts[number] = Decimal(str(changes[-1][1] if changes else record["montant"]))
        if set(record["considerationsSociales"]["considerationSociale"]) - {"Pas de considération sociale"}:
            social.add(number)
        if set(record["considerationsEnvironnementales"]["considerationEnvironnementale"]) - {"Pas de considération environnementale"}:
            environmental.add(number)
    return len(amounts), sum(amounts.values()), sum(amounts[n] for n in social), sum(amounts[n] for n in environmental)


def share(part: Decimal, whole: Decimal) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


async def test_the_demo_first_quarter_2024_counts_the_modified_contract_at_its_new_total(sqlite_database, tmp_path):
    runtime = build_runtime(make_settings(sqlite_database.url), database=sqlite_database, clock=FakeClock(NOW))
    await load_demo(runtime, "demo-tenant", tmp_path)
    document = json.loads((tmp_path / DEMO_DECP_FILENAME).read_text(encoding="utf-8"))["marches"]["marche"]
    amended = [r for r in document if r["id"] == "202400001"]
    assert len(amended) == 2 and Decimal(str(amended[1]["modifications"][0]["modification"]["montant"])) == Decimal("105160")

    contracts, total, social, environmental = recount(tmp_path / DEMO_DECP_FILENAME)
    assert (contracts, total) == (38, Decimal("4157860"))  # 4 052 700 € for the 37 others, and 105 160 €
    figures = {}
    for code in ("IND-24", "IND-25"):
        _, history = await runtime.values.history(code)
        figures[code] = next(v for v in history if v.period.code == "2024-T1" and v.is_current)
    assert (figures["IND-24"].value, figures["IND-25"].value) == (share(social, total), share(environmental, total))
    assert (figures["IND-24"].value, figures["IND-25"].value) == (Decimal("18.6"), Decimal("46.7"))
    for figure in figures.values():
        assert figure.comment.endswith("sur 4\u202f157\u202f860\u00a0€ de marchés notifiés (montants HT)"), figure.comment
