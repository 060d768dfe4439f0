"""The summary chart as PNG bytes: progress towards targets, and completeness by directorate.

Drawn with matplotlib's object API on the Agg canvas (no pyplot: no global figure state). Teams
shows an image inside an Adaptive Card when the card gives its URL, so the bot serves these
bytes behind an expiring token (`bot.summary.tokens`); Teams fetches the URL after the card
arrives, so drawing is off the card's critical path. A `data:` URI is only usable for images of a
few kilobytes, because the whole card must stay under ~28 KB (`data_uri_if_small`): with 30
indicators the chart weighs 50–90 KB, so URL it is. The PNG is reduced to a 64-colour palette,
which keeps it 4× smaller without visible loss on flat bars and text.

`card_chart_png` is the card's image (progress only, drawn at card width so labels stay legible
inline; "allowExpand" lets Teams enlarge it; no heading: the card's own says it); `summary_chart_png`
draws any panels, wide, for the reports, which print the heading above the image.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MultipleLocator
from PIL import Image

from domain.indicators.catalogue import Axis
from domain.summary import indicator_wording, wording
from domain.summary.chart_labels import (
    LABEL_EM,
    LABEL_POINTS,
    MARK_CLEARANCE_INCHES,
    PROGRESS_AXIS_MAX,
    RIGHT_MARGIN_INCHES,
    _units_per_inch,
    label_before_legal_mark,
    value_label_place,
)
from domain.summary.chart_notes import bar_note, unbarred_reasons
from domain.summary.model import (
    STATUS_ORDER,
    DirectorateCompleteness,
    IndicatorLine,
    Status,
    Summary,
    completeness_order,
)
from domain.summary.status_colours import HATCH_HEX, LEGAL_HEX, STATUS_HATCH, STATUS_HEX
from domain.text import NARROW_NO_BREAK_SPACE, NO_BREAK_SPACE, joined

COMPLETE_HEX = "#2e7d32"
PARTLY_HEX = "#ef6c00"
BEHIND_HEX = "#c62828"
PROGRESS_AXIS_LABEL = "Part du chemin parcouru vers la cible"
"""The bars' length; the label at a bar's end is the indicator's value in its unit (`progress_bar_label`)."""
ROW_HEIGHT_INCHES = 0.34
TITLE_INCHES = 0.5
PANEL_TITLE_INCHES = 0.35
LEGEND_OFFSET_INCHES = 0.6
"""From the bars' axis to the legend's first row: the axis's ticks and label."""
LEGEND_LINE_INCHES = 0.15
LEGEND_ROW_GAP_INCHES = 0.08
LEGEND_LABEL_LINES = 5
"""A legend label is never cut: « Sans barre : valeur de la période non renseignée ou indicateur sans cible »
takes four lines of a report's column."""
AXIS_LABEL_INCHES = 0.55
PANEL_GAP_INCHES = 0.25
DPI = 100
LABEL_LINES = 3
TALL_ROW = 1.4
"""Height of a row whose label takes three lines, in rows: the bar keeps its thickness."""
PALETTE_COLOURS = 64
DATA_URI_MAX_BYTES = 12_000


# No glyph hinting: a third faster to draw at this size, and as legible. No mathtext: a label
# holding "$" (a currency) must print as typed, not fail to parse. rc_context changes matplotlib's
# process-wide settings while drawing: draw from one worker thread at a time (a one-thread
# executor off the event loop), never from several at once.
_RC_PARAMS = {"text.hinting": "none", "text.parse_math": False}


class Panel(StrEnum):
    PROGRESS = "progress"
    COMPLETENESS = "completeness"


@dataclass(frozen=True)
class _Layout:
    width_inches: float
    labels_inches: float
    label_characters: int
    legend_columns: int
    legend_characters: int
    title_points: float


# WIDE for reports (A4 width, room for long labels); COMPACT is drawn at the width a Teams card
# shows it (~540 px), so that its 8-point labels are not scaled down to illegibility.
WIDE = _Layout(width_inches=8.0, labels_inches=2.9, label_characters=44, legend_columns=4, legend_characters=24,
               title_points=11)
COMPACT = _Layout(width_inches=5.4, labels_inches=2.3, label_characters=33, legend_columns=2, legend_characters=34,
                  title_points=9.5)


def summary_chart_png(
    summary: Summary,
    panels: Sequence[Panel] = (Panel.PROGRESS, Panel.COMPLETENESS),
    *,
    with_title: bool = True,
    compact: bool = False,
    panel_titles: bool = True,
) -> bytes:
    """The chart of `summary` with the panels asked for, as PNG bytes.

    `with_title=False` leaves out the summary title, for a card or report that already shows it;
    `panel_titles=False` leaves out each panel's title, for a report whose section heading says it;
    `compact=True` draws it at card width (see `card_chart_png`).

    Panels are placed in inches by hand rather than by matplotlib's constrained layout, which
    draws the figure twice and doubled the time; labels are wrapped to a fixed width instead.
    """
    with rc_context(_RC_PARAMS):
        return _summary_chart_png(summary, panels, with_title, COMPACT if compact else WIDE, panel_titles)


def card_chart_png(summary: Summary) -> bytes:
    """The image for the card: progress only (the card lists completeness as text), card-wide,
    under the card's title rather than a second one."""
    return summary_chart_png(summary, panels=(Panel.PROGRESS,), with_title=False, compact=True)


def _summary_chart_png(
    summary: Summary, panels: Sequence[Panel], with_title: bool, layout: _Layout, panel_titles: bool = True
) -> bytes:
    completeness = [row for row in summary.completeness if row.expected > 0]
    progress_rows = _progress_rows(summary)
    drawn = [
        panel
        for panel in panels
        if (panel is Panel.PROGRESS and summary.lines) or (panel is Panel.COMPLETENESS and completeness)
    ]
    if not drawn:
        return _empty_chart(summary, layout)
    progress_labels = _progress_labels(progress_rows, layout)
    heights = [
        sum(_row_units(progress_labels)) * ROW_HEIGHT_INCHES if panel is Panel.PROGRESS
        else len(completeness) * ROW_HEIGHT_INCHES
        for panel in drawn
    ]
    legend = _legend_inches([row for row in progress_rows if isinstance(row, IndicatorLine)], layout)
    below = [legend if panel is Panel.PROGRESS else AXIS_LABEL_INCHES for panel in drawn]
    title = TITLE_INCHES if with_title else 0.1
    panel_title = PANEL_TITLE_INCHES if panel_titles else 0.0
    total = title + sum(panel_title + height + after + PANEL_GAP_INCHES for height, after in zip(heights, below))
    figure = Figure(figsize=(layout.width_inches, total), dpi=DPI)
    if with_title:
        heading = f"{wording.TITLE} – {wording.scope_text(summary, with_organisation=False)}"
        figure.text(0.5, 1 - 0.25 / total, heading, ha="center", va="center", fontsize=layout.title_points,
                    fontweight="bold")
    top = total - title
    left = layout.labels_inches / layout.width_inches
    width = 1 - left - RIGHT_MARGIN_INCHES / layout.width_inches
    for panel, height, after in zip(drawn, heights, below):
        top -= panel_title
        axes = figure.add_axes((left, (top - height) / total, width, height / total))
        if panel is Panel.PROGRESS:
            _draw_progress(axes, progress_rows, progress_labels, layout, panel_titles)
        else:
            _draw_completeness(axes, completeness, layout, panel_titles)
        top -= height + after + PANEL_GAP_INCHES
    return _png(figure)


def data_uri_if_small(png: bytes, max_bytes: int = DATA_URI_MAX_BYTES) -> str | None:
    """A `data:` URI for an Image element, or None when it would weigh too much in a card."""
    if len(png) > max_bytes:
        return None
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _progress_rows(summary: Summary) -> list[Axis | IndicatorLine]:
    """The progress panel's rows: each axis heading followed by its indicators."""
    rows: list[Axis | IndicatorLine] = []
    for section in summary.sections:
        rows.append(section.axis)
        rows.extend(section.lines)
    return rows


PROGRESS_TITLE = "Avancement vers la cible"


def _progress_labels(rows: Sequence[Axis | IndicatorLine], layout: _Layout) -> list[str]:
    """Each row's label: « Axe social », or the code and the indicator's title (`wording.short_title`)
    wrapped on up to `LABEL_LINES` lines, cut only past that, between two words."""
    return [
        f"Axe {row.value}" if isinstance(row, Axis)
        else _wrap(f"{row.code} {wording.short_title(row)}", layout.label_characters)
        for row in rows
    ]


def _row_units(labels: Sequence[str]) -> list[float]:
    return [TALL_ROW if label.count("\n") >= 2 else 1.0 for label in labels]


def _draw_progress(
    axes, rows: Sequence[Axis | IndicatorLine], labels: Sequence[str], layout: _Layout, with_title: bool = True
) -> None:
    units = _row_units(labels)
    tops = [sum(units[:index]) for index in range(len(units))]
    positions = [top + unit / 2 for top, unit in zip(tops, units)]
    if with_title:
        axes.set_title(PROGRESS_TITLE, loc="left", fontsize=layout.title_points, fontweight="bold")
    for top, position, row in zip(tops, positions, rows):
        if isinstance(row, Axis):
            if top:
                axes.axhline(top, color="#bdbdbd", lw=0.8)
            continue
        _draw_progress_bar(axes, position, row, layout)
    axes.axvline(100, color="#424242", linestyle="--", lw=1)
    axes.set_yticks(positions, labels, fontsize=8)
    for row, tick in zip(rows, axes.get_yticklabels()):
        if isinstance(row, Axis):
            tick.set_fontweight("bold")
            tick.set_fontsize(9)
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(sum(units), 0)
    axes.set_xlim(0, PROGRESS_AXIS_MAX)
    _percent_axis(axes)
    axes.set_xlabel(PROGRESS_AXIS_LABEL, fontsize=8)
    handles = _legend_handles([row for row in rows if isinstance(row, IndicatorLine)], layout)
    legend_offset = (0.65 * 72) / (axes.get_window_extent().height or 1)
    # Centred on the figure, not on the bars: centred on them, the last column ran past the right edge
    # of the card's image (« Cible ( » cut).
    box = axes.get_position()
    centre = (0.5 - box.x0) / box.width
    axes.legend(handles=handles, loc="upper center", bbox_to_anchor=(centre, -legend_offset), ncol=layout.legend_columns,
                fontsize=8, frameon=False)


def _legend_handles(lines: Sequence[IndicatorLine], layout: _Layout) -> list:
    """The progress panel's legend, each label wrapped to its column so that a long one (« Sans
    barre : valeur de la période non renseignée ou indicateur sans cible ») no longer pushes the legend
    past both edges."""
    barred = [line.status for line in lines if line.progress_percent is not None]
    present = [status for status in STATUS_ORDER if status in barred]
    handles = [Patch(label=wording.status_title(status), **_bar_look(status)) for status in present]
    if any(line.expected_progress_percent is not None and line.status is not Status.ACHIEVED for line in lines):
        handles.append(Line2D([], [], color="#212121", lw=1.6, label="Attendu pour la période mesurée"))
    handles.append(Line2D([], [], color="#424242", lw=1, linestyle="--", label="Cible (100 %)"))
    legal = [line for line in lines if legal_limit_progress(line) is not None]
    if legal:
        floors = {line.snapshot.legal_limit.is_floor for line in legal}
        kind = "Minimum légal" if floors == {True} else "Maximum légal" if floors == {False} else "Minimum ou maximum légal"
        handles.append(Line2D([], [], **LEGAL_MARK, label=kind))
    reasons = unbarred_reasons(lines)
    if reasons:
        handles.append(Patch(facecolor="none", edgecolor="#9e9e9e", label=f"Sans barre : {joined(reasons, 'ou')}"))
    for handle in handles:
        handle.set_label(_wrap(handle.get_label(), layout.legend_characters, lines=LEGEND_LABEL_LINES))
    return handles


def _legend_inches(lines: Sequence[IndicatorLine], layout: _Layout) -> float:
    """Room under the progress panel for its axis label and its legend, whose rows are as tall as
    their longest wrapped label."""
    labels = [handle.get_label() for handle in _legend_handles(lines, layout)]
    rows = [labels[start:start + layout.legend_columns] for start in range(0, len(labels), layout.legend_columns)]
    text_lines = sum(max(label.count("\n") + 1 for label in row) for row in rows)
    return LEGEND_OFFSET_INCHES + text_lines * LEGEND_LINE_INCHES + LEGEND_ROW_GAP_INCHES * len(rows)


LEGAL_MARK = {"color": LEGAL_HEX, "lw": 2.2, "linestyle": (0, (1, 1))}
"""The legal limit on a hatched bar: dotted, in the legal colour, unlike the black « attendu » tick."""


def legal_limit_progress(line: IndicatorLine) -> float | None:
    """Where the legal limit of a value outside the law falls on its bar's axis (the way from the
    baseline to the target), so that the chart shows it: IND-09 and IND-11 sat right of the
    « attendu » tick and looked fine, the hatching alone told the breach (reader 10, C11). The baseline
    is the one the progress was measured from (`compute._progress`); None off the axis or unknown."""
    limit, target = line.snapshot.legal_limit, line.snapshot.target
    if line.status is not Status.OUTSIDE_LEGAL_LIMIT or limit is None or target is None:
        return None
    if line.progress_percent is None or line.latest_value is None or abs(line.progress_percent - 100) < 1e-9:
        return None
    share = line.progress_percent / 100
    baseline = (float(line.latest_value) - share * float(target)) / (1 - share)
    if abs(float(target) - baseline) < 1e-9:
        return None
    place = (float(limit.value) - baseline) / (float(target) - baseline) * 100
    return place if 0 <= place <= PROGRESS_AXIS_MAX else None


def progress_bar_label(line: IndicatorLine) -> str:
    """The indicator's own value in its unit (« 48,7 % », « 32,5 jours », « 1 334 tonnes »), as the
    report writes it: « 49 % » at the end of IND-09's bar, the share of its way to the target, read as
    its value (48,7 %), and « 44 % » on a payment delay of 32,5 days read as nothing (reader 9). The
    bar's length is the way to the target, as the axis says."""
    value = indicator_wording.shown_value(line)
    if line.progress_percent is not None and line.progress_percent > PROGRESS_AXIS_MAX:
        # The bar stops at the axis' end: say it goes further (reader 10, C11), in words: « 35,2 % (> 125 %) »
        # read as a value above 125 % (reader 11, A8).
        return f"{value} · cible dépassée"
    return value


def _bar_look(status: Status) -> dict:
    """The colour of a status's bars, and the hatching that tells « non conforme à la loi » from
    « en retard » (`domain.summary.status_colours`)."""
    hatch = STATUS_HATCH.get(status)
    if hatch is None:
        return {"facecolor": STATUS_HEX[status], "edgecolor": STATUS_HEX[status], "linewidth": 0}
    return {"facecolor": STATUS_HEX[status], "edgecolor": STATUS_HEX[status], "linewidth": 0, "hatch": hatch,
            "hatchcolor": HATCH_HEX}


LEGAL_MARK_ZORDER = 3
"""Over the bars, the ticks and the dashed target line (2), under the value labels (4)."""
NOTE_EM = 0.56
"""Average width of an italic DejaVu Sans character, in ems, to wrap a row's note to the bars' width."""


def _note_lines(note: str, width: int) -> str:
    """A row's note on two lines at most, cut after its « ; » when each half fits a line."""
    first, _, second = note.partition(" ; ")
    if second and len(first) + 2 <= width and len(second) <= width:
        return f"{first} ;\n{second}"
    return _wrap(note, width, lines=2)


def _note_characters(layout: _Layout) -> int:
    return int((layout.width_inches - layout.labels_inches - RIGHT_MARGIN_INCHES) * 72 / (LABEL_POINTS * NOTE_EM))
"""Average width of a bold DejaVu Sans character, in ems: enough to place a label, not to typeset it."""


def _draw_progress_bar(axes, position: float, line: IndicatorLine, layout: _Layout = WIDE) -> None:
    note = bar_note(line)
    if note is not None:
        # In the law's colour when it tells a breach, wrapped to the bars' width (two lines fit a row).
        unlawful = line.status is Status.OUTSIDE_LEGAL_LIMIT
        axes.text(1.5, position, _note_lines(note, _note_characters(layout)), va="center", fontsize=8,
                  style="italic", color=LEGAL_HEX if unlawful else "#616161", linespacing=1.1, zorder=4,
                  bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # over the dashed 100 % line
        return
    shown = max(0.0, min(PROGRESS_AXIS_MAX, line.progress_percent))
    axes.barh(position, shown, height=0.62, **_bar_look(line.status))
    label = progress_bar_label(line)
    tick = line.expected_progress_percent if line.status is not Status.ACHIEVED else None
    x, align, inside = value_label_place(shown, tick, label, layout, inside=line.status not in STATUS_HATCH)
    legal = legal_limit_progress(line)
    width = len(label) * LABEL_EM * LABEL_POINTS / 72 * _units_per_inch(layout)
    boxed = False
    if legal is not None and align == "left" and x - 1 <= legal <= x + width + 1:
        clearance = MARK_CLEARANCE_INCHES * _units_per_inch(layout)
        x, align, boxed = label_before_legal_mark(shown, tick, legal, width, clearance)
    # Over every line, on a box in the colour behind it: the dashed 100 % line crossed « 35,2 » (reader 11, A8).
    background = STATUS_HEX[line.status] if inside else "white"
    axes.text(
        x,
        position,
        label,
        va="center",
        ha=align,
        fontsize=LABEL_POINTS,
        color="white" if inside else "#212121",
        fontweight="bold",
        zorder=4,
        bbox={"facecolor": background, "edgecolor": "none", "pad": 2 if boxed else 1},
    )
    if tick is not None:
        axes.plot([tick] * 2, [position - 0.38, position + 0.38], color="#212121", lw=1.6)
    if legal is not None:
        # Above the dashed « Cible (100 %) » line: a limit equal to the target (a payment delay of 30 days
        # for a target of 30 days) sat under it, hidden (issue 17).
        axes.plot([legal] * 2, [position - 0.45, position + 0.45], **LEGAL_MARK, zorder=LEGAL_MARK_ZORDER)


def _draw_completeness(
    axes, rows: Sequence[DirectorateCompleteness], layout: _Layout, with_title: bool = True
) -> None:
    ordered = completeness_order(rows)  # as the report's table
    positions = list(range(len(ordered)))
    if with_title:
        axes.set_title(f"{wording.COMPLETENESS_HEADING}, par direction", loc="left", fontsize=layout.title_points,
                       fontweight="bold")
    for position, row in zip(positions, ordered):
        percent = row.percent or 0.0
        colour = COMPLETE_HEX if row.is_complete else PARTLY_HEX if percent >= 50 else BEHIND_HEX
        axes.barh(position, max(percent, 0.8), color=colour, height=0.62)
        inside = percent > 25
        axes.text(
            percent - 1.5 if inside else percent + 1.5,
            position,
            f"{row.reported}/{row.expected}",
            va="center",
            ha="right" if inside else "left",
            fontsize=8,
            color="white" if inside else "#212121",
            fontweight="bold",
        )
    axes.set_yticks(positions, [_wrap(row.directorate.display, layout.label_characters, lines=2) for row in ordered],
                    fontsize=8)
    axes.tick_params(axis="y", length=0)
    axes.set_ylim(len(ordered) - 0.5, -0.5)
    axes.set_xlim(0, 100)
    _percent_axis(axes)
    axes.set_xlabel("Part des indicateurs saisis pour la période à renseigner", fontsize=8)


def _percent_axis(axes) -> None:
    axes.xaxis.set_major_locator(MultipleLocator(25))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:.0f} %"))
    axes.tick_params(axis="x", labelsize=8)
    axes.grid(axis="x", color="#e0e0e0", lw=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _empty_chart(summary: Summary, layout: _Layout) -> bytes:
    """A one-line image saying there is nothing to draw, so a chart link never breaks."""
    figure = Figure(figsize=(layout.width_inches, 1.4), dpi=DPI)
    heading = f"{wording.TITLE} – {wording.scope_text(summary, with_organisation=False)}"
    figure.text(0.5, 0.75, heading, ha="center", va="center",
                fontsize=layout.title_points, fontweight="bold")
    figure.text(0.5, 0.35, wording.empty_text(summary) or "Aucune donnée à afficher.", ha="center", va="center",
                fontsize=10, wrap=True)
    return _png(figure)


def _png(figure: Figure) -> bytes:
    """Draw once on Agg, then let Pillow write a 64-colour palette PNG (4× smaller, same look)."""
    canvas = FigureCanvasAgg(figure)
    figure.set_facecolor("white")
    canvas.draw()
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    palette = image.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.FASTOCTREE)
    colours = palette.getpalette() or []
    for start in range(0, len(colours), 3):
        if min(colours[start : start + 3]) >= 250:  # the octree rounds white to 254: keep it white
            colours[start : start + 3] = [255, 255, 255]
    palette.putpalette(colours)
    output = io.BytesIO()
    palette.save(output, format="PNG")
    return output.getvalue()


_HELD, _HELD_NARROW = "\ue000", "\ue001"
"""Private-use characters standing for the no-break spaces while a label is wrapped."""


def _wrap(text: str, width: int, lines: int = LABEL_LINES) -> str:
    """At most `lines` lines of `width` characters, cut between words. A longer text keeps its
    start and ends with « … » after a whole word: never cut inside a word or in the middle of the
    label (« Part des marchés notifiés … considération sociale » read as a phrase)."""
    # textwrap cuts at any Unicode space: a no-break one (« barre : », « 12 % ») is held aside first.
    held = text.replace(NO_BREAK_SPACE, _HELD).replace(NARROW_NO_BREAK_SPACE, _HELD_NARROW)
    wrapped = [
        line.replace(_HELD, NO_BREAK_SPACE).replace(_HELD_NARROW, NARROW_NO_BREAK_SPACE)
        for line in textwrap.wrap(" ".join(held.split()), width=width, break_long_words=False)
    ] or [""]
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    kept = wrapped[:lines]
    last = kept[-1].split(" ")
    while len(last) > 1 and len(" ".join(last)) + 1 > width:
        last.pop()
    kept[-1] = " ".join(last).rstrip(" ,;:.-–—") + "…"
    return "\n".join(kept)
