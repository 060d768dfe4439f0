"""The organisation logo the end-to-end run prints on the COPIL report (reader 15, minor 18)."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from bot.settings import read_organisation

E2E = Path(__file__).resolve().parents[2] / "e2e"


def test_the_e2e_report_logo_is_a_neutral_pictogram_not_the_bots_green_tick():
    """The bot's icon (teams_app/color.png, a green tick) next to « Synthèse SPASER », above « Deux
    indicateurs ne sont pas conformes à la loi », read as « all is well »."""
    (logo,) = re.findall(r'SPASER_ORGANISATION_LOGO="\$E2E_DIR/([^"]+)"', (E2E / "run.sh").read_text())
    path = E2E / logo
    assert read_organisation("Ville de Démoville", str(path)).logo == path.read_bytes()
    with Image.open(path) as image:
        colours = image.convert("RGBA").getcolors(maxcolors=1 << 16)
    # No status colour: each drawn pixel is a grey or slate, red, green and blue within 40 of each other.
    drawn = [colour for _, colour in colours if colour[3] > 0]
    assert drawn and all(max(colour[:3]) - min(colour[:3]) <= 40 for colour in drawn)
