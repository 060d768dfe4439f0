"""One look per status for the card, the chart, the reports and the spreadsheet: « En retard »
red on the card is the same red in the PDF.

Adaptive Cards only take named colours; `TEAMS_HEX` is the shade each name has on Teams' light
theme, for the files we draw. Teams' yellow `Warning` is hard to read on white, so « non
renseigné » and « sans cible » keep the default text colour everywhere.

« Non conforme à la loi » is told apart from « en retard » (reader 9: the chart's legend gave both
the same red): a darker red in the files we draw, with hatched bars on the chart; the card has one
red only, so there its badge starts with ⚠.
"""

from __future__ import annotations

from domain.summary.model import Status

TEAMS_HEX = {"Good": "#2e7d32", "Accent": "#6264a7", "Attention": "#c4314b", "Default": "#212121"}
"""Teams' own shades of `Accent` and `Attention` (reader 11, C25: « en bonne voie » blue in the PDF,
violet on the card); `Good` is drawn a darker green than Teams' #92C353, too pale for white labels."""
STATUS_COLORS = {
    Status.ACHIEVED: "Good",
    Status.ON_TRACK: "Accent",
    Status.LATE: "Attention",
    Status.NOT_REPORTED: "Default",
    Status.NO_TARGET: "Default",
    Status.OUTSIDE_LEGAL_LIMIT: "Attention",
}
"""The Adaptive Card colour of each status."""
LEGAL_HEX = "#7b1010"
"""Darker than « en retard » red (#c4314b), and still 10:1 against white for the text."""
STATUS_HEX = {status: TEAMS_HEX[name] for status, name in STATUS_COLORS.items()} | {
    Status.OUTSIDE_LEGAL_LIMIT: LEGAL_HEX,
}
"""The colours for the chart, the HTML and PDF reports and the spreadsheet."""
STATUS_HATCH = {Status.OUTSIDE_LEGAL_LIMIT: "///"}
"""The chart's bars (and their legend) of these statuses are hatched, in `HATCH_HEX`."""
HATCH_HEX = "#e57373"
STATUS_MARK = {Status.OUTSIDE_LEGAL_LIMIT: "⚠ ", Status.ACHIEVED: "✓ "}
"""Written before the card's badge, where the colour alone cannot tell the status."""
CARD_COLORS = {**STATUS_COLORS, Status.ACHIEVED: "Default"}
"""The card's colours. Teams draws `Good` as #92C353 on its light theme: 2.1:1 on white, where WCAG
asks 4.5:1 (3:1 for large bold text), so « Atteint » and its counter read poorly (reader 9, C13).
Adaptive Cards have no darker green to offer (named colours only: Default, Dark, Light, Accent, Good,
Warning, Attention; « Bolder », already used, does not make up for the contrast), so « atteint »
keeps the default text colour on the card, with a ✓ before its badge (reader 11, C25: black, it read like
« sans cible »), and the green in the files we draw.
`Accent` (#6264A7) and `Attention` (#C4314B) reach 5.4:1."""
