"""`spaser-bot import-decp` as an operator runs it, and the demo's computed indicators."""

from __future__ import annotations

import pytest

from app import main
from tests.decp_support import BODY, DECP


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SPASER_SCHEDULER", "off")
    monkeypatch.delenv("SPASER_SIRETS", raising=False)
    return tmp_path


def test_the_demo_imports_its_generated_decp_next_to_the_reported_values(cli_env, capsys):
    main(["demo"])
    out = capsys.readouterr().out
    assert "Données essentielles (DECP) : " in out and (cli_env / "decp-demo.json").is_file()
    main(["demo"])
    assert "; 0 valeurs calculées nouvelles ou mises à jour." in capsys.readouterr().out, "the same file adds nothing twice"


def test_import_decp_lists_every_refused_record_and_adds_nothing_twice(cli_env, capsys):
    main(["demo"])
    capsys.readouterr()
    arguments = ["import-decp", str(DECP / "nested.json"), "--siret", BODY[0], "--siret", BODY[1], "--par", "camille.martin@demo-spaser.fr"]
    main(arguments)
    report = capsys.readouterr().out
    assert "Marchés lus\u00a0: 11\u00a0; retenus pour l’organisme\u00a0: 4" in report
    assert "- identifiant du marché absent ou invalide\u00a0: 1 — marché n° 8\u00a0: vide" in report
    main(arguments)
    assert "0\u00a0nouveau, 0\u00a0mis à jour, 4\u00a0déjà connus" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="Fichier introuvable"):
        main(["import-decp", "absent.json"])
    (cli_env / "tronque.json").write_text('{"marches": {"marche": [', encoding="utf-8")
    with pytest.raises(SystemExit, match="n’est pas un JSON valide .*\nRien n’a été importé."):
        main(["import-decp", "tronque.json", "--siret", BODY[0]])
    with pytest.raises(SystemExit, match="invalide\u00a0: un SIRET compte 14\u00a0chiffres"):
        main(["import-decp", str(DECP / "nested.json"), "--siret", "1234"])
