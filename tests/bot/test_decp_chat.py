"""The DECP and the public page through the real app: files sent in the chat, the lead's commands,
GET /spaser, /spaser.xlsx and /spaser.csv."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from openpyxl import load_workbook

from app import RUNTIME
from bot.commands.public_page import no_document_warning
from bot.console import ConsoleConversation
from bot.public_http import XLSX_TYPE
from tests.conftest import texts
from tests.decp_support import DECP, catalogue_csv, decp_client
from tests.files_support import file_message
from tests.indicators_support import EXAMPLE, card_of, card_texts


@pytest.fixture
async def client(tmp_path, clock) -> AsyncIterator[TestClient]:
    """The app with the body's SIRETs set, DCP and the DECP catalogue; `lead-aad` is the lead."""
    async with decp_client(tmp_path / "decp.db", clock, catalogue_csv()) as test_client:
        yield test_client


def chat(client: TestClient, aad: str = "lead-aad", name: str = "Camille Martin") -> ConsoleConversation:
    return ConsoleConversation(client.server.app[RUNTIME], aad_object_id=aad, name=name)


async def send_file(conversation: ConsoleConversation, file_server, name: str, data: bytes | None = None):
    file_server.files[name] = data if data is not None else (DECP / name).read_bytes()
    return await conversation.send(file_message(conversation, file_server, name))


async def test_the_lead_sends_the_decp_and_reads_the_report_card_then_asks_where_a_figure_comes_from(client, file_server):
    lead = chat(client)
    card = card_of(await send_file(lead, file_server, "nested.json"))
    shown = "\n".join(card_texts(card))
    assert "Import des données essentielles (DECP)" in shown
    assert "Le fichier « nested.json », importé le " in shown.replace("\u00a0", " ")
    facts = {fact["title"]: fact["value"] for fact in card["body"][2]["facts"]}
    assert (facts["Marchés lus\u00a0:"], facts["Refusés\u00a0:"]) == ("11", "7")
    assert "- autre acheteur que l’organisme\u00a0: 1 — marché n° 4 (2025-004)\u00a0: 20000000300011" in shown
    assert "- 1er\u00a0trimestre 2025\u00a0: 66,7\u00a0% (nouvelle valeur) — 2 sur 3\u00a0marchés notifiés" in shown
    answer = texts(await lead.say("d’où vient SOC-N\u00a0?"))
    assert "Dernière valeur\u00a0: 100\u00a0% au 2\u1d49\u00a0trimestre 2025, soit 1 sur 1\u00a0marché notifié." in answer
    assert "Source : le fichier « nested.json », importé le " in answer.replace("\u00a0", " ")
    assert "(import n° 1, SIRET " in answer.replace("\u00a0", " ")


async def test_a_decp_csv_is_imported_and_a_catalogue_csv_still_goes_to_the_catalogue(client, file_server):
    lead = chat(client)
    card = card_of(await send_file(lead, file_server, "consolidated.csv"))
    assert "Lignes fusionnées" in str(card) and "contradictoires" in "\n".join(card_texts(card))
    catalogue = texts(await send_file(lead, file_server, "catalogue.csv", EXAMPLE.read_bytes()))
    assert "Catalogue importé" in catalogue


async def test_contracts_without_environmental_consideration_are_listed_for_the_lead(client, file_server):
    lead = chat(client)
    await send_file(lead, file_server, "single.json")
    answer = texts(await lead.say("marchés sans considération environnementale"))
    assert "1\u00a0marché notifié à partir du vendredi 21\u00a0août\u00a02026 sans aucune considération environnementale" in answer
    # Reader 4, B8: the obligation depends on when the consultation was engaged, not on the notification.
    assert "vérifiez la date d’engagement de la consultation de chacun" in answer
    # Reader 1, B18: the obligation applies to consultations launched from that date, not to every notification.
    assert "dans chaque marché dont la consultation est engagée à partir de cette date" in answer.replace("\u00a0", " ")
    assert "2026-101 — Impression des supports de communication (notifié le jeudi 10 septembre 2026, 45\u202f000\u00a0€\u00a0HT)" in answer


async def test_a_broken_file_imports_nothing_and_others_may_not_import(client, file_server):
    lead = chat(client)
    broken = texts(await send_file(lead, file_server, "broken.json", b'{"marches": {"marche": [{"id": '))
    assert "n’est pas un JSON valide (fichier tronqué)" in broken and "Rien n’a été importé." in broken
    nadia = chat(client, "nadia-aad", "Nadia Benali")
    refused = texts(await send_file(nadia, file_server, "nested.json"))
    assert "Seules les personnes responsables du SPASER peuvent importer les données essentielles" in refused
    assert "réservée aux personnes responsables du SPASER" in texts(await nadia.say("d’où vient SOC-N\u00a0?"))
    assert await client.server.app[RUNTIME].decp.contract_count() == 0


async def test_the_public_page_is_published_by_the_lead_without_anything_personal(client, file_server):
    lead = chat(client)
    assert (await client.get("/spaser")).status == 404
    assert "Indiquez le nom de l’organisme" in texts(await lead.say("publier la page SPASER"))
    await send_file(lead, file_server, "nested.json")
    assert "réservée aux personnes responsables du SPASER" in texts(await chat(client, "nadia-aad", "Nadia").say("publier la page SPASER"))
    published = texts(await lead.say("publier la page SPASER pour Ville de Rivebelle"))
    assert "La page publique du SPASER est en ligne au nom de « Ville de Rivebelle » : http://localhost:3978/spaser" in published
    # Reader 9, C10: the lead learns that the adopted SPASER is missing when she publishes, not from the page.
    assert no_document_warning("") in published

    page = await client.get("/spaser")
    html = await page.text()
    assert page.status == 200 and page.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert '<html lang="fr">' in html and '<p class="organisation">Ville de Rivebelle</p>' in html
    assert "Éditeur de la page\u00a0: Ville de Rivebelle. Page réalisée avec l’assistant SPASER." in html
    assert "par Ville de" not in html and "par\u00a0:" not in html
    assert "SOC-N — Indicateur SOC-N</th><td data-label=\"Dernière valeur\">100\u00a0% <span class=\"note\">(2\u1d49\u00a0trimestre 2025)</span>" in html
    for private in ("Camille", "Nadia", "Calculé à partir des DECP", "nested.json"):
        assert private not in html
    rows = (await (await client.get("/spaser.csv")).text()).splitlines()
    assert rows[0].startswith("code,libelle,axe,unite,origine,periode,valeur")
    # Without a baseline in the catalogue, the path starts at the first value: its period says so (reader 14, m9).
    assert "SOC-N,Indicateur SOC-N,social,%,calculé à partir des marchés notifiés (DECP),2025-T2,100,66.7,2025-T1,30,2030," \
        in "\n".join(rows)

    spreadsheet = await client.get("/spaser.xlsx")
    assert spreadsheet.status == 200 and spreadsheet.content_type == XLSX_TYPE
    assert "SOC-N" in [cell.value for cell in load_workbook(io.BytesIO(await spreadsheet.read())).active["A"]]

    assert "retirée" in texts(await lead.say("retirer la page SPASER"))
    assert (await client.get("/spaser")).status == 404 and (await client.get("/spaser.csv")).status == 404
    assert (await client.get("/spaser.xlsx")).status == 404
