"""`spaser-bot demo`, `export-catalogue` and `import-catalogue` as the lead runs them."""

from __future__ import annotations

import csv
import io

import pytest

from app import main
from bot.demo import DEMO_DIRECTORATES
from tests.indicators_support import EXAMPLE


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SPASER_SCHEDULER", "off")
    return tmp_path


def exported_rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig")), delimiter=";"))


def test_demo_loads_a_living_catalogue_that_exports_and_reimports(cli_env, capsys):
    main(["demo"])
    assert "Catalogue : 24 indicateurs actifs ; " in capsys.readouterr().out
    main(["export-catalogue", "catalogue.csv"])
    assert "Catalogue exporté : 26 indicateurs" in capsys.readouterr().out
    rows = exported_rows(cli_env / "catalogue.csv")
    used = {code for row in rows for code in row["directions"].split("|")}
    assert used == {code for code, _ in DEMO_DIRECTORATES}, "every demo directorate has indicators, and only them"
    main(["import-catalogue", "catalogue.csv"])
    assert "0 indicateur créé, 26 mis à jour" in capsys.readouterr().out
    main(["demo"])
    assert "0 valeurs passées ajoutées" in capsys.readouterr().out, "demo is idempotent"


def test_an_import_with_errors_prints_them_by_line_and_changes_nothing(cli_env, capsys):
    main(["demo"])
    main(["export-catalogue", "before.csv"])
    with pytest.raises(SystemExit) as refused:
        main(["import-catalogue", str(EXAMPLE)])
    message = str(refused.value.code)
    assert "Import refusé, aucun indicateur n’a été importé" in message
    assert "Ligne 5, colonne « directions » : direction « DFIN » inconnue" in message
    assert "Le catalogue n’a pas été modifié." in message
    main(["export-catalogue", "after.csv"])
    assert (cli_env / "before.csv").read_bytes() == (cli_env / "after.csv").read_bytes()
    with pytest.raises(SystemExit, match="Fichier introuvable"):
        main(["import-catalogue", "absent.csv"])
