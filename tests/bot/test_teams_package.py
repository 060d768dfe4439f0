"""The Teams app package as the Teams admin centre checks it: Microsoft's official schema, the
project's version, pages that exist, a command menu everyone may use."""

from __future__ import annotations

import json
import zipfile
from importlib.metadata import version

import pytest
from aiohttp.test_utils import TestClient, TestServer

from app import create_app
from bot.router import LEAD_ONLY
from bot.runtime import build_runtime
from bot.teams_package import (
    CHANNEL_COMMANDS,
    PERSONAL_COMMANDS,
    SCHEMA_FILE,
    build_manifest,
    build_teams_package,
    schema_errors,
)
from domain.summary.organisation import Organisation
from tests.bot.test_cli import run_cli
from tests.conftest import make_settings
from tests.paths import ROOT

APP_ID = "11111111-2222-3333-4444-555555555555"
NPM_SCHEMA = ROOT / "e2e" / "node_modules" / "@microsoft" / "app-manifest" / "build" / "json-schemas" / "teams" / "v1.22"


def test_the_vendored_schema_is_microsofts_own():
    official = NPM_SCHEMA / "MicrosoftTeams.schema.json"
    if not official.exists():
        pytest.skip("e2e/node_modules has no @microsoft/app-manifest (run npm ci in e2e/)")
    assert json.loads(SCHEMA_FILE.read_text()) == json.loads(official.read_text())


@pytest.mark.parametrize("app_id", ["", APP_ID])
def test_manifest_passes_the_official_schema(app_id):
    manifest = build_manifest(make_settings(app_id=app_id, public_url="https://spaser.ville.fr"))
    assert schema_errors(manifest) == []
    assert manifest["localizationInfo"] == {"defaultLanguageTag": "fr-fr"}
    assert "defaultLanguageTag" not in manifest
    assert manifest["version"] == version("spaser-bot")
    assert manifest["developer"]["privacyUrl"] == "https://spaser.ville.fr/confidentialite"


def test_the_schema_check_catches_the_old_top_level_language_tag():
    manifest = build_manifest(make_settings())
    manifest["defaultLanguageTag"] = "fr-fr"
    assert any("defaultLanguageTag" in error for error in schema_errors(manifest))


def test_every_menu_command_reaches_a_command_nobody_is_refused_for_their_role():
    runtime = build_runtime(make_settings())
    for title, _ in PERSONAL_COMMANDS + CHANNEL_COMMANDS:
        found = runtime.router.find(title)
        if found is None:  # a question: answered by the knowledge base, for everyone
            assert title.startswith("qu’est-ce")
            continue
        command, _ = found
        assert command.roles != LEAD_ONLY, title
    personal = [title for title, _ in PERSONAL_COMMANDS]
    assert {"synthèse", "mettre à jour mes indicateurs", "prochain comité"} <= set(personal)


def test_cli_writes_a_valid_package(tmp_path):
    result = run_cli(tmp_path, "teams-package", "--output", str(tmp_path / "app.zip"),
                     env={"MicrosoftAppId": APP_ID, "SPASER_PUBLIC_URL": "https://spaser.ville.fr"})
    assert result.returncode == 0, result.stderr
    assert "conforme au schéma officiel" in result.stdout
    with zipfile.ZipFile(tmp_path / "app.zip") as package:
        assert schema_errors(json.loads(package.read("manifest.json"))) == []


def test_cli_refuses_an_invalid_package_and_says_why_in_french(tmp_path):
    result = run_cli(tmp_path, "teams-package", "--output", str(tmp_path / "app.zip"),
                     env={"MicrosoftAppId": "pas-un-guid"})
    assert result.returncode == 4
    assert "Paquet non écrit" in result.stderr and "bots/0/botId" in result.stderr
    assert not (tmp_path / "app.zip").exists()


def test_build_refuses_a_manifest_the_schema_refuses(tmp_path):
    manifest = build_manifest(make_settings())
    del manifest["developer"]
    with pytest.raises(ValueError, match="racine"):
        build_teams_package(make_settings(), tmp_path / "app.zip", manifest=manifest)
    assert not (tmp_path / "app.zip").exists()


@pytest.mark.parametrize("path, words", [
    ("/confidentialite", ["Ce qui est enregistré", "Combien de temps", "deux jours", "dpo@ville-exemple.fr",
                          "Ville d’Exemple"]),
    ("/conditions", ["conditions d’utilisation", "dpo@ville-exemple.fr"]),
])
async def test_privacy_and_terms_pages_are_served_in_french(tmp_path, path, words):
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'legal.db'}", organisation=Organisation("la Ville d’Exemple"),
                             dpo_contact="dpo@ville-exemple.fr")
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    try:
        response = await client.get(path)
        assert response.status == 200
        assert response.content_type == "text/html" and response.charset == "utf-8"
        body = await response.text()
        assert '<html lang="fr">' in body
        for word in words:
            assert word in body, word
        # Issue 17: the title at 2em filled a 375 px line (« Assistant SPASER : ») in three lines of 48 px.
        assert "h1{font-size:clamp(1.45rem," in body and "line-height:1.25" in body
    finally:
        await client.close()
