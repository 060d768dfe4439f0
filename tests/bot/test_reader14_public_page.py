"""Reader 14 on the public page through the real app: where residents ask for the adopted SPASER
(`SPASER_PUBLIC_CONTACT`), and the CSV instruction checked against the file the page links."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient

from app import RUNTIME
from bot.commands.public_page import no_document_warning
from bot.console import ConsoleConversation
from bot.settings import Settings
from tests.conftest import texts
from tests.decp_support import DECP, catalogue_csv, decp_client
from tests.files_support import file_message

CONTACT = "achats-responsables@rivebelle.fr"


@pytest.fixture
async def client(tmp_path, clock) -> AsyncIterator[TestClient]:
    async with decp_client(tmp_path / "decp.db", clock, catalogue_csv(), public_contact=CONTACT) as test_client:
        yield test_client


async def publish(client: TestClient, file_server) -> str:
    lead = ConsoleConversation(client.server.app[RUNTIME], aad_object_id="lead-aad", name="Camille Martin")
    file_server.files["nested.json"] = (DECP / "nested.json").read_bytes()
    await lead.send(file_message(lead, file_server, "nested.json"))
    return texts(await lead.say("publier la page SPASER pour Ville de Rivebelle"))


def test_the_contact_is_read_from_the_environment():
    assert Settings.from_env({"SPASER_PUBLIC_CONTACT": "  achats@ville.fr "}).public_contact == "achats@ville.fr"
    assert Settings.from_env({}).public_contact == ""


async def test_the_page_gives_the_configured_contact_and_the_lead_is_told_what_it_says(client, file_server):
    """m11: « vous pouvez le demander à la Ville de Démoville », with no address to write to."""
    published = await publish(client, file_server)
    assert no_document_warning(CONTACT) in published and f"en écrivant à {CONTACT}." in published
    html = await (await client.get("/spaser")).text()
    assert ("vous pouvez le demander à la Ville de Rivebelle en écrivant à "
            f'<a href="mailto:{CONTACT}">{CONTACT}</a>.</p>') in html


async def test_the_csv_the_page_links_is_the_one_its_instruction_describes(client, file_server):
    """Reader 14, not counted: « la virgule comme séparateur de colonnes et le point comme séparateur
    décimal » next to a link; the team's own export uses « ; » and decimal commas. The served file is read
    as the instruction says, and every number in it parses with a decimal point."""
    await publish(client, file_server)
    html = (await (await client.get("/spaser")).text()).replace("\u00a0", " ")
    link = re.search(r'<a href="([^"]+)" download>les indicateurs au format CSV</a>\. (.+?)</p>', html)
    assert "la virgule comme séparateur de colonnes et le point comme séparateur décimal" in link[2]
    served = await client.get(link[1])
    assert served.status == 200 and served.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(await served.text()), delimiter=","))
    header, body = rows[0], rows[1:]
    assert body and all(len(row) == len(header) for row in body) and ";" not in ",".join(header)
    numeric = [header.index(name) for name in ("valeur", "valeur_reference", "cible", "progression_pct")]
    numbers = [row[index] for row in body for index in numeric if row[index]]
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", number) for number in numbers)
    assert any("." in number for number in numbers)
