"""Builds the sideloadable Teams app package: manifest (with the bot id) and the two icons."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from bot.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "teams_app"
MANIFEST_VERSION = "1.22"
LOCAL_BOT_ID = "00000000-0000-0000-0000-000000000000"
APP_NAMESPACE = uuid.UUID("6f1c6a52-3f55-4a0e-9d7e-5f2b4a1c9e01")

COMMANDS = (
    ("aide", "Ce que l'assistant sait faire"),
    ("qui suis-je", "Votre rôle et votre direction"),
    ("qu'est-ce que le SPASER ?", "Une question sur le SPASER, en français"),
    ("lister les personnes", "Responsable SPASER : qui a quel rôle"),
    ("affecter une personne", "Responsable SPASER : donner un rôle à une personne"),
    ("ajouter une direction", "Responsable SPASER : enregistrer une direction"),
)


def build_manifest(settings: Settings, version: str = "1.0.0") -> dict:
    bot_id = settings.app_id or LOCAL_BOT_ID
    host = urlparse(settings.public_url).hostname or "localhost"
    commands = [{"title": title, "description": description} for title, description in COMMANDS]
    return {
        "$schema": f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json",
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": str(uuid.uuid5(APP_NAMESPACE, bot_id)),
        "developer": {
            "name": "Équipe SPASER",
            "websiteUrl": settings.public_url,
            "privacyUrl": f"{settings.public_url}/confidentialite",
            "termsOfUseUrl": f"{settings.public_url}/conditions",
        },
        "name": {"short": "Assistant SPASER", "full": "Assistant pour la gouvernance du SPASER"},
        "description": {
            "short": "Suivi du SPASER : questions, indicateurs, comités",
            "full": (
                "L'assistant du schéma de promotion des achats socialement et écologiquement responsables "
                "(SPASER) : il répond aux questions sur le SPASER, recueille les indicateurs des directions, "
                "rappelle les comités de pilotage et techniques, et donne une synthèse aux élu·es."
            ),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#006847",
        "bots": [
            {
                "botId": bot_id,
                "scopes": ["personal", "team", "groupChat"],
                "supportsFiles": True,
                "isNotificationOnly": False,
                "commandLists": [
                    {"scopes": ["personal"], "commands": commands},
                    {"scopes": ["team", "groupChat"], "commands": commands[:3]},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
        "defaultLanguageTag": "fr-fr",
    }


def build_teams_package(settings: Settings, output: Path) -> Path:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(build_manifest(settings), ensure_ascii=False, indent=2))
        package.write(PACKAGE_DIR / "color.png", "color.png")
        package.write(PACKAGE_DIR / "outline.png", "outline.png")
    return output
