"""The status summary through the real bot and the real HTTP app: scope by role, chart and
export links served with expiring tokens, rights re-checked at download time."""

from __future__ import annotations

import io
import json
import logging
import re
import secrets
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from openpyxl import load_workbook
from pypdf import PdfReader

from app import RUNTIME, create_app
from bot.console import ConsoleConversation
from bot.settings import Settings, SettingsError
from domain.people import UNREGISTERED_REFUSAL, Role
from domain.summary.documents import ExportFormat, resource_id
from domain.summary.request import SummaryRequest
from domain.summary.tokens import DownloadTokens
from tests.conftest import make_settings
from tests.conftest import texts as raw_texts
from tests.summary_support import (
    DPB_SECRET_COMMENT,
    NO_CONNECTOR,
    SECRET,
    card_of,
    find_elements,
    organisation,
    seed_catalogue,
    texts_in,
)


@pytest.fixture
async def bot_app(sqlite_database, clock):
    """The HTTP app (download routes) and its runtime, on a seeded SQLite file; no connector needed."""
    app = create_app(make_settings(sqlite_database.url, download_secret=SECRET), clock=clock)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        runtime = app[RUNTIME]
        people = await organisation(runtime.database, NO_CONNECTOR)
        await seed_catalogue(runtime.database, clock, people["lead"].id)
        yield client, runtime, people


def texts(activities) -> str:
    return raw_texts(activities).replace("\u00a0", " ").replace("\u202f", " ")


def chat(runtime, person) -> ConsoleConversation:
    return ConsoleConversation(runtime, aad_object_id=f"aad-{person.email}", name=person.name)


def shown_text(card: dict) -> str:
    """The card as JSON text, with the non-breaking spaces of French numbers made plain."""
    return json.dumps(card, ensure_ascii=False).replace("\u00a0", " ").replace("\u202f", " ").replace("\u2011", "-")


def path_of(url: str) -> str:
    assert url.startswith("http://localhost:3978/synthese/")
    return url.removeprefix("http://localhost:3978")


def download_url(card: dict) -> str:
    [action] = [a for a in card["actions"] if a["type"] == "Action.OpenUrl"]
    return action["url"]


async def test_an_official_sees_the_compact_summary_and_the_detail_on_demand(bot_app):
    _, runtime, people = bot_app
    marc = chat(runtime, people["marc"])

    card = card_of(await marc.say("où en est-on ?"))
    shown = shown_text(card)
    # Reader 7, B20: no chart on the compact card (unreadable at card width); the report has it.
    assert find_elements(card, "Image") == []
    [detail_button] = [action for action in card["actions"] if action["title"] == "Voir le détail"]
    detail = shown_text(card_of(await marc.say(detail_button["data"]["msteams"]["value"])))

    assert "Toutes les directions" in shown and "Points d’attention" in shown
    # On 30 November 2026 the third quarter is due: the second quarter's values are stale.
    assert "Dernière valeur : 280 heures au 2ᵉ trimestre 2026 (ensemble des directions) ; le 3ᵉ trimestre 2026 reste à saisir" in shown  # DCP 150 + DPB 130
    # No target, reported for 2025: no point of attention, but a decision to take (reader 7, B19).
    assert shown.count("GOV-01") == 1 and "Fixer une cible : acheteurs formés (GOV-01)" in shown
    assert all(code in detail for code in ("SOC-01", "ENV-01", "GOV-01"))
    assert "Direction DCP (Commande publique)" in detail and "Direction DPB (Patrimoine bâti)" in detail
    assert find_elements(card_of(await marc.say("synthèse détaillée")), "Image") == []


async def test_a_contributor_sees_only_their_directorate_whatever_the_filter(bot_app):
    _, runtime, people = bot_app
    nadia = chat(runtime, people["nadia"])

    own = shown_text(card_of(await nadia.say("synthèse")))
    refused = texts(await nadia.say("synthèse direction DPB"))
    unknown = texts(await nadia.say("état d’avancement direction XYZ"))

    assert "Direction DCP (Commande publique)" in own
    assert "150 heures au 2ᵉ trimestre 2026" in own and "280 heures" not in own
    assert "ENV-01" not in own and DPB_SECRET_COMMENT not in own and "DPB" not in own
    assert refused == "Vous ne pouvez consulter que la synthèse de votre direction (DCP)."
    assert unknown == "Vous ne pouvez consulter que la synthèse de votre direction (DCP)."


async def test_a_contributor_export_holds_their_rows_only_and_forged_links_are_404(bot_app):
    client, runtime, people = bot_app
    nadia = people["nadia"]

    card = card_of(await chat(runtime, nadia).say("exporter la synthèse en CSV"))
    own = await client.get(path_of(download_url(card)))
    csv_text = (await own.read()).decode("utf-8-sig")
    tokens = runtime.summary_links.tokens
    other_directorate = tokens.issue(resource_id(ExportFormat.CSV, SummaryRequest(directorate="DPB")), nadia.id)
    other_format = tokens.issue("summary:exe:-:-", nadia.id)
    someone_else = tokens.issue(resource_id(ExportFormat.CSV), 99_999)
    genuine = download_url(card).rsplit("/", 1)[1]
    tampered = genuine[:-4] + ("AAAA" if not genuine.endswith("AAAA") else "BBBB")
    answers = {
        name: (await client.get(f"/synthese/{token}")).status
        for name, token in {
            "other directorate": other_directorate,
            "other format": other_format,
            "unknown person": someone_else,
            "tampered signature": tampered,
            "garbage": "not-a-token",
        }.items()
    }

    assert own.status == 200 and own.content_type == "text/csv"
    assert 'filename="synthese-spaser-DCP-2026-11-30.csv"' in own.headers["Content-Disposition"]
    header = "Code;Indicateur;Axe;Unité;Direction;Période;Valeur;Cible;Année cible;Enregistré le;Origine;Commentaire"
    assert csv_text.startswith(header)
    # Entered on 10 October 2026 at 0:00 UTC by the lead: 2:00 in Paris.
    assert ";DCP;2026-T2;150;400;2030;10/10/2026 02:00;saisie par Camille Martin;Marché de nettoyage" in csv_text
    assert ";DPB;" not in csv_text and DPB_SECRET_COMMENT not in csv_text
    assert answers == dict.fromkeys(answers, 404)


async def test_rights_are_checked_again_when_the_link_is_followed(bot_app):
    client, runtime, people = bot_app
    card = card_of(await chat(runtime, people["nadia"]).say("exporter la synthèse en XLSX direction DCP"))
    path = path_of(download_url(card))

    before = await client.get(path)
    workbook = load_workbook(io.BytesIO(await before.read()), read_only=True)
    await runtime.people.assign("nadia@ville.fr", Role.CONTRIBUTOR, "DPB")  # moved to another directorate
    after_move = await client.get(path)

    assert before.status == 200 and "Synthèse" in workbook.sheetnames
    assert after_move.status == 404


async def test_an_expired_link_is_403_with_a_french_reason(bot_app, clock):
    client, runtime, people = bot_app
    card = card_of(await chat(runtime, people["marc"]).say("exporter la synthèse en PDF"))
    path = path_of(download_url(card))

    fresh = await client.get(path)
    pdf = await fresh.read()
    clock.advance(timedelta(hours=1, seconds=1))
    expired = await client.get(path)

    assert fresh.status == 200 and pdf.startswith(b"%PDF")
    assert expired.status == 403
    assert "a expiré" in await expired.text()


async def test_an_empty_catalogue_still_renders_and_exports(sqlite_database, clock):
    app = create_app(make_settings(sqlite_database.url, download_secret=SECRET), clock=clock)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        runtime = app[RUNTIME]
        people = await organisation(runtime.database, NO_CONNECTOR)
        official = chat(runtime, people["marc"])
        card = card_of(await official.say("synthèse"))
        export = card_of(await official.say("exporter la synthèse en HTML"))
        html = await client.get(path_of(download_url(export)))
        page = await html.text()

    assert "Le catalogue d’indicateurs est vide" in shown_text(card)
    assert find_elements(card, "Image") == []
    assert html.status == 200 and "Le catalogue d’indicateurs est vide" in page


async def test_unregistered_people_are_refused_politely_and_bad_filters_explained(bot_app):
    _, runtime, people = bot_app
    stranger = ConsoleConversation(runtime, aad_object_id="aad-stranger", name="Visiteur")
    official = chat(runtime, people["marc"])

    refused = texts(await stranger.say("synthèse"))
    refused_export = texts(await stranger.say("exporter la synthèse en PDF"))
    refused_weekly = texts(await stranger.say("synthèse hebdomadaire oui"))
    bad_axis = texts(await official.say("synthèse axe sport"))
    no_code = texts(await official.say("synthèse direction"))
    which_format = card_of(await official.say("exporter la synthèse axe social"))

    assert refused == refused_export == refused_weekly == UNREGISTERED_REFUSAL.replace("\u00a0", " ")
    assert bad_axis.startswith("Axe « sport » inconnu. Axes possibles : social")
    assert no_code == "Indiquez le code de la direction, par exemple « synthèse direction DRC »."
    buttons = [action["data"]["msteams"]["value"] for action in which_format["actions"]]
    assert buttons == [f"exporter la synthese axe social en {f}" for f in ("pdf", "page web", "tableur", "csv")]
    assert [action["title"] for action in which_format["actions"]] == ["PDF", "Page web", "Tableur Excel", "Fichier CSV"]


async def test_the_weekly_digest_choice_is_stored_per_person(bot_app):
    _, runtime, people = bot_app
    lead, marc = chat(runtime, people["lead"]), chat(runtime, people["marc"])

    on = texts(await lead.say("synthèse hebdomadaire oui"))
    status = texts(await marc.say("synthèse hebdomadaire"))
    off = texts(await lead.say("synthèse hebdo non"))

    assert on.startswith("C’est noté : vous recevrez la synthèse SPASER chaque lundi à 8 h.")
    assert status.startswith("Vous ne recevez pas la synthèse hebdomadaire")
    assert off == "C’est noté : vous ne recevrez plus la synthèse hebdomadaire."
    assert not await runtime.summary.repository.is_weekly(people["lead"].id)


def test_production_refuses_to_start_without_a_download_secret():
    base = {"MicrosoftAppId": "app", "MicrosoftAppPassword": "pw", "SPASER_ENV": "production",
            "SPASER_ALLOWED_TENANTS": "tenant-de-la-ville"}
    with pytest.raises(SettingsError, match="SPASER_DOWNLOAD_SECRET is empty"):
        Settings.from_env(base)
    with pytest.raises(SettingsError, match="too short"):
        Settings.from_env({**base, "SPASER_DOWNLOAD_SECRET": "short"})
    settings = Settings.from_env({**base, "SPASER_DOWNLOAD_SECRET": SECRET})
    assert settings.download_secret == SECRET and SECRET not in repr(settings)


async def test_local_mode_draws_an_ephemeral_secret_and_says_so(sqlite_database, clock, caplog):
    app = create_app(make_settings(sqlite_database.url), clock=clock)
    another_process = DownloadTokens(secrets.token_urlsafe(48), clock)
    with caplog.at_level(logging.WARNING):
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            elsewhere = await client.get(f"/synthese/{another_process.issue(resource_id(ExportFormat.CSV), 1)}")

    assert app[RUNTIME].ephemeral_download_secret
    assert elsewhere.status == 404
    assert any("EPHEMERAL" in record.getMessage() for record in caplog.records)


async def test_the_copil_report_carries_the_organisations_name_and_logo(sqlite_database, clock, tmp_path):
    from PIL import Image
    from pypdf import PdfReader

    from bot.settings import read_organisation

    Image.new("RGB", (90, 30), (10, 90, 160)).save(tmp_path / "logo.png")
    organisation = read_organisation("Ville de Montreuil-sur-Loire", str(tmp_path / "logo.png"))
    app = create_app(make_settings(sqlite_database.url, download_secret=SECRET, organisation=organisation), clock=clock)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        runtime = app[RUNTIME]
        people = await organisation_people(runtime)
        official = chat(runtime, people["marc"])
        card = card_of(await official.say("synthèse"))
        export = card_of(await official.say("exporter la synthèse en PDF"))
        pdf = await (await client.get(path_of(download_url(export)))).read()

    first_page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "Ville de Montreuil-sur-Loire · Toutes les directions" in shown_text(card)
    assert first_page.extract_text().startswith("Ville de Montreuil-sur-Loire\nSynthèse SPASER")
    assert "Points d’attention" in first_page.extract_text()
    # The logo; the chart of « Saisies attendues » follows the attention points when it fits (reader 14, minor 26).
    assert [image.image.size for image in first_page.images].count((90, 30)) == 1


async def organisation_people(runtime):
    people = await organisation(runtime.database, NO_CONNECTOR)
    await seed_catalogue(runtime.database, runtime.clock, people["lead"].id)
    return people


async def test_the_export_card_says_what_the_report_holds_then_for_whom_then_how_long_the_link_lasts(bot_app):
    """Reader 1, B22: the sentence and the scope ran together, and « valable jusqu’au … à 2 h 50 » hid
    that the link lasts one hour."""
    _, runtime, people = bot_app
    card = card_of(await chat(runtime, people["marc"]).say("exporter la synthèse en PDF"))
    blocks = [block["text"].replace("\u00a0", " ") for block in find_elements(card, "TextBlock")]
    assert blocks[1] == (
        "Rapport pour le comité de pilotage : les points d’attention, puis le détail de chaque indicateur et les commentaires "
        "des directions."
    )
    assert blocks[2].startswith("Toutes les directions · au ")
    assert re.fullmatch(
        r"Ce lien est personnel et valable une heure \((jusqu’à \d+ h \d\d|jusqu’au .+)\)\. Ne le transférez pas : "
        r"pour un nouveau lien, redemandez l’export\.",
        blocks[3],
    ), blocks[3]


async def test_the_report_is_for_the_comite_de_pilotage_written_out(bot_app):
    """Issue 17, C18: « Rapport pour le COPIL » in the chat, « comité de pilotage » on the report itself."""
    _, runtime, people = bot_app
    talk = chat(runtime, people["marc"])
    asked = texts_in(card_of(await talk.say("exporter la synthèse")))
    assert "Le rapport pour le comité de pilotage en PDF ou en page web" in asked
    exported = texts_in(card_of(await talk.say("exporter la synthèse en page web")))
    assert exported.split("\n")[1].startswith("Rapport pour le comité de pilotage : ")
    help_text = raw_texts(await talk.say("aide synthèse"))
    assert "rapport pour le comité de pilotage" in help_text.replace("\u00a0", " ")
    assert "COPIL" not in asked + exported


async def test_a_comment_the_lead_typed_for_a_directorate_names_her_in_the_report(bot_app):
    """Reader 15, minor 9: « Commentaires des directions » credited the directorate with words the
    person responsible for the SPASER typed: the report names who typed them, the PDF as the HTML."""
    client, runtime, people = bot_app
    official = chat(runtime, people["marc"])
    page = await (await client.get(path_of(download_url(card_of(await official.say("exporter la synthèse en HTML")))))).text()
    pdf = await (await client.get(path_of(download_url(card_of(await official.say("exporter la synthèse en PDF")))))).read()
    printed = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\u00a0", " ")
    said = "2ᵉ trimestre 2026, saisi par Camille Martin, responsable du SPASER : « Marché de nettoyage »"
    assert said in page.replace("\u00a0", " ")
    assert " ".join(said.split()) in " ".join(printed.replace("\u202f", " ").split())
