"""One colour per status for the card, the chart, the reports and the spreadsheet: « En retard »
red on the card is the same red in the PDF.

Adaptive Cards only take named colours; `TEAMS_HEX` is the shade each name has on Teams' light
theme, for the files we draw. Teams' yellow `Warning` is hard to read on white, so « non
renseigné » and « sans cible » keep the default text colour everywhere.
"""

from __future__ import annotations

from domain.summary.model import Status

TEAMS_HEX = {"Good": "#2e7d32", "Accent": "#1565c0", "Attention": "#c62828", "Default": "#212121"}
STATUS_COLORS = {
    Status.ACHIEVED: "Good",
    Status.ON_TRACK: "Accent",
    Status.LATE: "Attention",
    Status.NOT_REPORTED: "Default",
    Status.NO_TARGET: "Default",
    Status.OUTSIDE_LEGAL_LIMIT: "Attention",
}
"""The Adaptive Card colour of each status."""
STATUS_HEX = {status: TEAMS_HEX[name] for status, name in STATUS_COLORS.items()}
"""The same colours for the chart, the HTML and PDF reports and the spreadsheet."""
