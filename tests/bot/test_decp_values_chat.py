"""« valeur de IND-… » for an indicator computed from the DECP, through the real app (reader 10, A12)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient

from app import RUNTIME
from bot.console import ConsoleConversation
from domain.indicators.catalogue import CATALOGUE_COLUMNS
from tests.conftest import texts
from tests.decp_support import DECP, decp_client
from tests.files_support import file_message


def _catalogue() -> bytes:
    lines = [";".join(CATALOGUE_COLUMNS),
             "SOC-1;Part sociale;social;%;DCP;trimestrielle;;30;2030;hausse;DECP;non;oui;;;;decp:part-sociale-nombre"]
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
async def client(tmp_path, clock) -> AsyncIterator[TestClient]:
    async with decp_client(tmp_path / "decp.db", clock, _catalogue()) as test_client:
        yield test_client


async def test_a_value_computed_from_the_decp_is_the_organisation_s_not_a_directorate_s(client, file_server):
    """« - DCP : 35,2 % … « Calculé depuis les DECP : … » »: the DECP cover every contract the
    organisation publishes, whichever directorate the indicator is filed under (reader 10, A12, C6)."""
    lead = ConsoleConversation(client.server.app[RUNTIME], aad_object_id="lead-aad", name="Camille Martin")
    file_server.files["nested.json"] = (DECP / "nested.json").read_bytes()
    await lead.send(file_message(lead, file_server, "nested.json"))
    values = texts(await lead.say("valeur de SOC-1")).replace("\u00a0", " ").replace("\u202f", " ")
    assert "- Ensemble de l’organisme (calculé à partir des DECP) : **100 %** au 2ᵉ trimestre 2025 — 1 sur 1 " in values
    assert "; source : les données essentielles importées le " in values
    assert "- DCP" not in values and "Calculé" not in values and "depuis" not in values
