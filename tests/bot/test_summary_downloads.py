"""Download endpoint: genuine links serve the document; forged → 404, expired → 403, revoked → 404."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook

from bot.download_http import DOWNLOADS_PER_PERSON, DownloadBudget, SummaryDocuments
from domain.clock import FakeClock
from domain.indicators.catalogue import Axis
from domain.people import Role
from domain.summary.compute import compute_summary
from domain.summary.documents import ExportFormat, parse_resource_id, resource_id
from domain.summary.model import DirectorateInfo
from domain.summary.request import SummaryRequest
from domain.summary.scope import Scope
from domain.summary.tokens import DownloadTokens
from storage.indicators import indicator_repositories
from storage.people import DirectorateRepository, PeopleRepository
from storage.summary.repository import SummaryRepository
from storage.summary.service import SummaryService

CATALOGUE = (
    "code;libelle;axe;unite;directions;frequence;valeur_reference;cible;annee_cible;sens;source;preexistant;actif\n"
    "SOC-01;Heures d’insertion;social;heures;DRC|DCP;annuelle;10;50;2028;hausse;;non;oui\n"
)


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


@pytest.fixture
def tokens(clock):
    return DownloadTokens("k" * 32, clock)


@pytest.fixture
async def sources(sqlite_database, clock):
    """Person 1 is the lead (everything), person 2 a contributor of DRC; SOC-01 has 2025 values."""
    directorates = DirectorateRepository(sqlite_database)
    for code, name in (("DRC", "Ressources"), ("DCP", "Commande publique")):
        await directorates.add(code, name)
    people = PeopleRepository(sqlite_database)
    lead = await people.assign("lead@ville.fr", Role.LEAD)
    await people.assign("drc@ville.fr", Role.CONTRIBUTOR, "DRC")
    catalogue, values = indicator_repositories(sqlite_database, clock=clock)
    await catalogue.import_catalogue(CATALOGUE)
    await values.seed_values(
        {"code": "SOC-01", "directorate": code, "period": "2025", "value": value, "comment": comment,
         "entered_by_id": lead.id, "entered_at": clock.now()}
        for code, value, comment in (("DRC", 12, ""), ("DCP", 30, "note DCP"))
    )
    summaries = SummaryService(SummaryRepository(sqlite_database), catalogue, directorates, clock, "Europe/Paris")
    return summaries, people


@pytest.fixture
async def documents(sources, tokens):
    built = SummaryDocuments(tokens, *sources)
    yield built
    built.close()


@pytest.fixture
async def client(documents):
    app = web.Application()
    documents.add_routes(app)
    async with TestClient(TestServer(app, host="127.0.0.1")) as test_client:
        yield test_client


async def test_a_genuine_link_serves_the_pdf_as_an_attachment(client, tokens):
    response = await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.PDF), 1)}")
    assert response.status == 200
    assert response.content_type == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="synthese-spaser-toutes-directions-2026-03-01.pdf"')
    assert response.headers["Cache-Control"] == "private, no-store"
    assert (await response.read()).startswith(b"%PDF-")


async def test_the_chart_is_served_inline_as_png(client, tokens):
    response = await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.CHART), 1)}")
    assert response.status == 200 and response.content_type == "image/png"
    assert "Content-Disposition" not in response.headers
    assert (await response.read()).startswith(b"\x89PNG")


async def test_the_html_report_is_sandboxed(client, tokens):
    response = await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.HTML), 1)}")
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.charset == "utf-8"


async def test_the_reports_say_the_time_they_were_produced_in_the_organisation_s_time_zone(client, tokens, clock):
    """Reader 7, B26: « Document produit le dimanche 6 décembre 2026 » gave no time, while the values
    change during the day; the clock is the service's (9:00 UTC is 10 h 00 in Paris in March)."""
    from pypdf import PdfReader

    expected = "Document produit le dimanche 1er mars 2026 à 10 h 00, avec les chiffres connus à cette heure."
    html = await (await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.HTML), 1)}")).text()
    assert expected in html.replace("\u00a0", " ").replace("\u202f", " ")
    pdf = await (await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.PDF), 1)}")).read()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "à 10 h 00, avec les chiffres connus à cette heure" in " ".join(text.replace("\u00a0", " ").split())


async def test_a_contributor_link_serves_only_their_directorate(client, tokens):
    response = await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.XLSX), 2)}")
    workbook = load_workbook(io.BytesIO(await response.read()))
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row]
    assert "DRC" in cells and not [c for c in cells if "DCP" in c]


async def test_a_contributor_link_to_another_directorate_is_not_found(client, tokens):
    token = tokens.issue(resource_id(ExportFormat.CSV, SummaryRequest(directorate="DCP")), 2)
    response = await client.get(f"/synthese/{token}")
    assert response.status == 404
    assert await response.text() == "Ce lien de téléchargement n’existe pas."


async def test_an_expired_link_is_forbidden_with_a_french_message(client, tokens, clock):
    token = tokens.issue(resource_id(ExportFormat.CSV), 1)
    clock.advance(timedelta(hours=2))
    response = await client.get(f"/synthese/{token}")
    assert response.status == 403
    assert "a expiré" in await response.text()


@pytest.mark.parametrize("token", ["forge", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."])
async def test_a_forged_link_is_not_found(client, token):
    response = await client.get(f"/synthese/{token}")
    assert response.status == 404


async def test_a_link_of_a_person_no_longer_known_is_not_found(client, tokens):
    response = await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.CSV), 99)}")
    assert response.status == 404


def test_resource_ids_round_trip_and_reject_others():
    request = SummaryRequest(axis=Axis.RESPONSIBLE_ECONOMY, directorate="DRC")
    assert parse_resource_id(resource_id(ExportFormat.PDF, request)) == (ExportFormat.PDF, request)
    assert parse_resource_id(resource_id(ExportFormat.CHART)) == (ExportFormat.CHART, SummaryRequest())
    for other in ("calendar:1", "summary:exe:-:-", "summary:pdf:SPORT:-", "summary:pdf:-"):
        assert parse_resource_id(other) is None


async def test_documents_render_off_the_event_loop(documents):
    summary = compute_summary([], [DirectorateInfo("DRC", "Ressources")], date(2026, 3, 1), scope=Scope.everything())
    download = await documents.render(summary, ExportFormat.CSV)
    assert download.filename.endswith(".csv") and download.body.startswith(b"\xef\xbb\xbf")


async def test_a_person_past_their_download_budget_gets_429_and_others_are_served(client, tokens):
    """30 fetches of one link at once made another person's export wait 20 s."""
    lead_link = f"/synthese/{tokens.issue(resource_id(ExportFormat.CSV), 1)}"
    statuses = [(await client.get(lead_link)).status for _ in range(DOWNLOADS_PER_PERSON + 1)]
    refused = await client.get(lead_link)
    other = await client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.CSV), 2)}")

    assert statuses == [200] * DOWNLOADS_PER_PERSON + [429]
    assert refused.status == 429 and 1 <= int(refused.headers["Retry-After"]) <= 60
    assert (await refused.text()).startswith("Vous avez téléchargé beaucoup de documents en peu de temps")
    assert other.status == 200


def test_the_download_budget_frees_up_as_the_window_slides():
    now = [0.0]
    budget = DownloadBudget(limit=2, window=60, now=lambda: now[0])
    assert [budget.take(1), budget.take(1)] == [None, None]
    assert budget.take(1) == 60
    now[0] = 59.0
    assert budget.take(1) == 1 and budget.take(2) is None
    now[0] = 60.0
    assert budget.take(1) is None


async def test_past_the_documents_being_built_a_download_gets_503(sources, tokens):
    bounded = SummaryDocuments(tokens, *sources, max_renders=1)
    app = web.Application()
    bounded.add_routes(app)
    async with TestClient(TestServer(app, host="127.0.0.1")) as bounded_client:
        responses = await asyncio.gather(
            bounded_client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.PDF), 1)}"),
            bounded_client.get(f"/synthese/{tokens.issue(resource_id(ExportFormat.PDF), 2)}"),
        )
        statuses = sorted(response.status for response in responses)
        busy = next(response for response in responses if response.status == 503)
        assert statuses == [200, 503]
        assert busy.headers["Retry-After"] == "5"
        assert "réessayez dans quelques secondes" in await busy.text()
    bounded.close()
