"""Shared set-up of the DECP tests: the body's SIRETs, the fixture files, a catalogue of computed indicators."""

from __future__ import annotations

from domain.indicators.catalogue import CATALOGUE_COLUMNS
from tests.paths import DATA

DECP = DATA / "decp"
BODY = ["21990000100015", "21990000200013"]
COMPUTED = {
    "SOC-N": ("%", "trimestrielle", "decp:part-sociale-nombre"),
    "SOC-M": ("%", "trimestrielle", "decp:part-sociale-montant"),
    "ENV-N": ("%", "trimestrielle", "decp:part-environnementale-nombre"),
    "ENV-M": ("%", "trimestrielle", "decp:part-environnementale-montant"),
    "RES-N": ("nombre", "trimestrielle", "decp:marches-reserves-nombre"),
    "RES-M": ("€", "trimestrielle", "decp:marches-reserves-montant"),
    "SOC-AN": ("%", "annuelle", "decp:part-sociale-nombre"),
    "IND-01": ("heures", "trimestrielle", "saisie"),
}


def catalogue_csv() -> bytes:
    """The indicators above, all reported by DCP: seven computed from the DECP, one typed."""
    lines = [";".join(CATALOGUE_COLUMNS)]
    for code, (unit, frequency, computation) in COMPUTED.items():
        target = ";;30;2030" if unit == "%" else ";;;"
        lines.append(f"{code};Indicateur {code};social;{unit};DCP;{frequency}{target};hausse;DECP;non;oui;;;;{computation}")
    return ("\n".join(lines) + "\n").encode("utf-8")
