"""Shared set-up of the catalogue tests: a valid row, CSV lines and files, French checks."""

from __future__ import annotations

import re

import pytest

from domain.indicators.catalogue import (
    CATALOGUE_COLUMNS,
)
from domain.indicators.catalogue_csv import (
    CatalogueImportError,
    parse_catalogue_csv,
)
from tests.paths import DATA

EXAMPLE_FILE = DATA / "catalogue_exemple.csv"
DIRECTORATES = ["DCP", "DPB", "DFIN", "DEE", "DRM", "DEJ", "DRH", "DSI", "DAJ"]
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|de|des|du|un|une|est|pas|ou|et|à|au|en|pour|exemple|ne|je|ce|cet|cette|inconnue?|possibles?|"
    r"indiquez|choisissez|trop|aucune?|ligne|colonnes?|valeur|fichier)\b",
    re.I,
)
ENGLISH_WORDS = re.compile(r"\b(the|is|must|should|invalid|expected|error|not|value|cannot|please|line|row)\b", re.I)

VALID_FIELDS = {
    "code": "IND-01",
    "libelle": "Part des marchés avec une considération environnementale",
    "axe": "environnemental",
    "unite": "%",
    "directions": "DCP",
    "frequence": "trimestrielle",
    "valeur_reference": "42,5",
    "cible": "100",
    "annee_cible": "2030",
    "sens": "hausse",
    "source": "OECP",
    "preexistant": "oui",
    "actif": "oui",
    "definition": "Marchés notifiés avec au moins une considération environnementale / marchés notifiés",
    "agregation": "",
    "base_ponderation": "",
    "calcul": "saisie",
    "unite_libelle": "",
    "seuil_legal": "",
    "base_legale": "",
}


def assert_french(message: str) -> None:
    assert message.strip(), "empty message"
    assert FRENCH_WORDS.search(message), f"not French: {message!r}"
    assert not ENGLISH_WORDS.search(message), f"English word in: {message!r}"


def csv_line(fields: dict[str, str], delimiter: str = ";") -> str:
    return delimiter.join(fields[column] for column in CATALOGUE_COLUMNS)


def csv_file(*rows: dict[str, str], delimiter: str = ";") -> str:
    return "\n".join([delimiter.join(CATALOGUE_COLUMNS), *(csv_line(row, delimiter) for row in rows)]) + "\n"


def row_with(**changes: str) -> dict[str, str]:
    return {**VALID_FIELDS, **changes}


def import_errors(data: str | bytes, **options) -> CatalogueImportError:
    with pytest.raises(CatalogueImportError) as caught:
        parse_catalogue_csv(data, **options)
    return caught.value


def example_bytes() -> bytes:
    return EXAMPLE_FILE.read_bytes()
