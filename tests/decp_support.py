"""Shared set-up of the DECP tests: the body's SIRETs, the fixture files, a catalogue of computed indicators."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp.test_utils import TestClient, TestServer

from app import RUNTIME, create_app
from domain.indicators.catalogue import CATALOGUE_COLUMNS
from tests.conftest import make_settings
from tests.indicators_support import seed
from tests.paths import DATA

DECP = DATA / "decp"
BODY = ["21990000100015", "21990000200013"]
COMPUTED = {
    "SOC-N": ("%", "trimestrielle", "decp:part-sociale-nombre"),
    "SOC-M": ("%", "trimestrielle", "decp:part-sociale-montant"),
    "ENV-N": ("%", "trimestrielle", "decp:part-environnementale-nombre"),
    "ENV-M": ("%", "trimestrielle", "decp:part-environnementale-montant"),
    "RES-N": ("nombre", "trimestrielle", "decp:marches-reserves-nombre"),
    "RES-M": ("€", "trimestrielle", "decp:marches-reserves-montant"),
    "SOC-AN": ("%", "annuelle", "decp:part-sociale-nombre"),
    "IND-01": ("heures", "trimestrielle", "saisie"),
}


def catalogue_csv() -> bytes:
    """The indicators above, all reported by DCP: seven computed from the DECP, one typed."""
    lines = [";".join(CATALOGUE_COLUMNS)]
    for code, (unit, frequency, computation) in COMPUTED.items():
        target = ";;30;2030" if unit == "%" else ";;;"
        lines.append(f"{code};Indicateur {code};social;{unit};DCP;{frequency}{target};hausse;DECP;non;oui;;;;{computation}")
    return ("\n".join(lines) + "\n").encode("utf-8")


@asynccontextmanager
async def decp_client(database_path, clock, catalogue: bytes, **settings) -> AsyncIterator[TestClient]:
    """The real app with the body's SIRETs set, the example people (`lead-aad` is the lead) and `catalogue`;
    `settings` overrides others (`public_contact=…`)."""
    app = create_app(make_settings(f"sqlite+aiosqlite:///{database_path}", sirets=tuple(BODY), **settings), clock=clock)
    test_client = TestClient(TestServer(app))
    await test_client.start_server()
    runtime = test_client.server.app[RUNTIME]
    await seed(runtime)
    await runtime.catalogue.import_catalogue(catalogue)
    try:
        yield test_client
    finally:
        await test_client.close()
