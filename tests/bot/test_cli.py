"""The command line as a newcomer uses it: `demo`, then `chat` answering in French."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.paths import ROOT


def run_cli(tmp_path: Path, *args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "SPASER_ADMINS": "", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


def test_demo_then_chat_answers_in_french(tmp_path):
    demo = run_cli(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "Organisation de démonstration chargée : 7 directions, 10 personnes." in demo.stdout
    again = run_cli(tmp_path, "demo")
    assert again.returncode == 0, "demo is idempotent"

    chat = run_cli(tmp_path, "chat", "--as", "nadia.benali@demo-spaser.fr", stdin="qui suis-je\naide\nquitter\n")
    assert chat.returncode == 0, chat.stderr
    assert "Bonjour Nadia" in chat.stdout
    assert "renseignez les indicateurs SPASER de la direction de la commande publique (**DCP**)" in chat.stdout
    assert "Ce que je sais faire" in chat.stdout


def test_chat_as_an_unknown_address_says_so(tmp_path):
    chat = run_cli(tmp_path, "chat", "--as", "personne@nulle-part.fr", stdin="")
    assert "Personne inconnue" in chat.stdout


def test_teams_package_holds_manifest_and_icons(tmp_path):
    result = run_cli(
        tmp_path, "teams-package", "--output", str(tmp_path / "app.zip"),
        env={"MicrosoftAppId": "11111111-2222-3333-4444-555555555555"},
    )
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / "app.zip") as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(package.read("manifest.json"))
        color = package.read("color.png")
        outline = package.read("outline.png")
    assert manifest["bots"][0]["botId"] == "11111111-2222-3333-4444-555555555555"
    assert set(manifest["bots"][0]["scopes"]) >= {"personal", "team"}
    assert "aide" in [c["title"] for c in manifest["bots"][0]["commandLists"][0]["commands"]]
    assert png_size(color) == (192, 192) and png_size(outline) == (32, 32)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_import_spaser_from_the_command_line_then_chat_quotes_it(tmp_path):
    sample = ROOT / "tests" / "data" / "spaser-exemple.md"
    imported = run_cli(tmp_path, "import-spaser", str(sample))
    assert imported.returncode == 0, imported.stderr
    assert "est importé" in imported.stdout
    chat = run_cli(tmp_path, "chat", stdin="Que dit notre SPASER sur les clauses sociales ?\n")
    assert "40 000\u00a0heures d'insertion" in chat.stdout, "quoted as written, the count joined to its word"


def test_import_spaser_refuses_a_fake_pdf_in_french(tmp_path):
    fake = tmp_path / "faux.pdf"
    fake.write_bytes(b"pas un pdf")
    result = run_cli(tmp_path, "import-spaser", str(fake))
    assert result.returncode != 0 and "Rien n’a été modifié" in result.stderr
