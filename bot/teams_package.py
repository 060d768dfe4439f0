"""Builds the Teams app package (manifest with the bot id, two icons) and refuses an invalid one.

The manifest is checked against Microsoft's own JSON schema of its version (vendored in
`teams_app/schema/`, from the npm package `@microsoft/app-manifest`) before anything is written:
the Teams admin centre refuses a package that fails it. Its version is the project's version
(`pyproject.toml`), so that each release can be uploaded over the previous one.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path
from urllib.parse import urlparse

from bot.settings import Settings

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "teams_app"
MANIFEST_VERSION = "1.22"
SCHEMA_FILE = PACKAGE_DIR / "schema" / f"v{MANIFEST_VERSION}" / "MicrosoftTeams.schema.json"
LOCAL_BOT_ID = "00000000-0000-0000-0000-000000000000"
APP_NAMESPACE = uuid.UUID("6f1c6a52-3f55-4a0e-9d7e-5f2b4a1c9e01")
PRIVACY_PATH = "/confidentialite"
TERMS_PATH = "/conditions"

PERSONAL_COMMANDS = (
    ("aide", "Ce que l’assistant sait faire pour vous"),
    ("qui suis-je", "Votre rôle et votre direction"),
    ("synthèse", "Où en est le SPASER : indicateurs, comités, complétude"),
    ("mettre à jour mes indicateurs", "Renseigner les indicateurs de votre direction"),
    ("prochain comité", "La date, le lieu et l’ordre du jour du prochain comité"),
    ("mon agenda", "Les comités dans votre calendrier Outlook"),
    ("qu’est-ce que le SPASER ?", "Une question sur le SPASER, en français"),
)
"""What the Teams command menu offers: nothing reserved to the SPASER lead (the menu is the same
for everyone); each title is routed to its command by a test."""
CHANNEL_COMMANDS = (
    ("aide", "Ce que l’assistant sait faire"),
    ("prochain comité", "La date, le lieu et l’ordre du jour du prochain comité"),
    ("qu’est-ce que le SPASER ?", "Une question sur le SPASER, en français"),
)


class InvalidPackageError(ValueError):
    """The manifest fails the official schema: the package is not written."""


def project_version() -> str:
    try:
        return installed_version("spaser-bot")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0"


def build_manifest(settings: Settings, version: str | None = None) -> dict:
    bot_id = settings.app_id or LOCAL_BOT_ID
    host = urlparse(settings.public_url).hostname or "localhost"

    def commands(listed) -> list[dict]:
        return [{"title": title, "description": description} for title, description in listed]

    return {
        "$schema": f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json",
        "manifestVersion": MANIFEST_VERSION,
        "version": version or project_version(),
        "id": str(uuid.uuid5(APP_NAMESPACE, bot_id)),
        "localizationInfo": {"defaultLanguageTag": "fr-fr"},
        "developer": {
            "name": "Équipe SPASER",
            "websiteUrl": settings.public_url,
            "privacyUrl": f"{settings.public_url}{PRIVACY_PATH}",
            "termsOfUseUrl": f"{settings.public_url}{TERMS_PATH}",
        },
        "name": {"short": "Assistant SPASER", "full": "Assistant pour la gouvernance du SPASER"},
        "description": {
            "short": "Suivi du SPASER : questions, indicateurs, comités",
            "full": (
                "L’assistant du schéma de promotion des achats publics socialement et écologiquement "
                "responsables (SPASER) : il répond aux questions sur le SPASER, recueille les indicateurs des directions, "
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
                    {"scopes": ["personal"], "commands": commands(PERSONAL_COMMANDS)},
                    {"scopes": ["team", "groupChat"], "commands": commands(CHANNEL_COMMANDS)},
                ],
            }
        ],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
    }


def schema_errors(manifest: dict) -> list[str]:
    """Every place where `manifest` fails the official schema, in French, empty when it is valid."""
    from jsonschema import Draft4Validator, FormatChecker  # only the CLI builds packages: not at start-up

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.absolute_path))
    return [f"« {'/'.join(str(p) for p in error.absolute_path) or 'racine'} » : {error.message}" for error in errors]


def build_teams_package(settings: Settings, output: Path, *, manifest: dict | None = None) -> Path:
    """Writes the zip; raises InvalidPackageError (nothing written) when the schema refuses the manifest."""
    manifest = manifest if manifest is not None else build_manifest(settings)
    errors = schema_errors(manifest)
    if errors:
        raise InvalidPackageError(
            f"le manifeste ne respecte pas le schéma officiel de Teams v{MANIFEST_VERSION} :\n- " + "\n- ".join(errors)
        )
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        package.write(PACKAGE_DIR / "color.png", "color.png")
        package.write(PACKAGE_DIR / "outline.png", "outline.png")
    return output
