"""The summary chart: a real PNG, small enough to serve, drawn for empty and odd data too."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from matplotlib.figure import Figure
from PIL import Image

from domain.indicators.catalogue import Axis, ImprovementDirection
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from domain.summary.chart import (
    COMPACT,
    LABEL_EM,
    LABEL_POINTS,
    WIDE,
    Panel,
    _draw_progress,
    _progress_labels,
    _progress_rows,
    _units_per_inch,
    _wrap,
    card_chart_png,
    data_uri_if_small,
    summary_chart_png,
    value_label_place,
)
from domain.summary.compute import compute_summary
from domain.summary.model import DirectorateInfo, IndicatorSnapshot
from domain.summary.scope import Scope

TODAY = date(2026, 3, 1)
EVERYONE = Scope.everything()
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_CHART_BYTES = 200 * 1024


def catalogue(indicators: int, directorates: int):
    infos = [DirectorateInfo(f"D{n:02d}", f"Direction numéro {n}") for n in range(directorates)]
    codes = tuple(info.code for info in infos)
    snapshots = [
        IndicatorSnapshot(
            code=f"IND-{n:02d}",
            label="Heures d'insertion réalisées dans les marchés de travaux et de services (coût en $)",
            axis=list(Axis)[n % 4],
            unit=Unit.HOURS,
            frequency=Frequency.ANNUAL,
            directorates=codes,
            direction=ImprovementDirection.UP,
            baseline=Decimal(100 * directorates),
            target=None if n % 9 == 8 else Decimal(200 * directorates),
            target_year=None if n % 9 == 8 else 2028,
            values=tuple(
                (year, code, 100 + n * 5 * (year == "2025")) for code in codes[: directorates - n % 3]
                for year in ("2024", "2025")
            ),
        )
        for n in range(indicators)
    ]
    return snapshots, infos


def image(png: bytes) -> Image.Image:
    assert png.startswith(PNG_SIGNATURE)
    picture = Image.open(io.BytesIO(png))
    picture.load()
    return picture


@pytest.fixture(scope="module")
def big_summary():
    return compute_summary(*catalogue(30, 40), TODAY, scope=EVERYONE)


@pytest.fixture(scope="module")
def big_chart(big_summary) -> bytes:
    return summary_chart_png(big_summary)


def test_chart_of_thirty_indicators_and_forty_directorates_is_a_png_under_200_kb(big_chart):
    png = big_chart
    picture = image(png)
    assert picture.format == "PNG"
    assert len(png) <= MAX_CHART_BYTES
    assert picture.width == 800 and picture.height > 2000  # both panels, one row per indicator and directorate
    assert picture.convert("RGB").getpixel((2, 2)) == (255, 255, 255)  # white, not the palette's 254


def test_one_panel_is_shorter_than_both():
    summary = compute_summary(*catalogue(5, 10), TODAY, scope=EVERYONE)
    both = image(summary_chart_png(summary))
    progress = image(summary_chart_png(summary, panels=(Panel.PROGRESS,)))
    completeness = image(summary_chart_png(summary, panels=(Panel.COMPLETENESS,), with_title=False))
    assert progress.height < both.height and completeness.height < both.height


def test_empty_catalogue_still_gives_an_image():
    picture = image(summary_chart_png(compute_summary([], [], TODAY, scope=EVERYONE)))
    assert picture.height < 200


def test_contributor_chart_draws_only_their_directorate():
    summary = compute_summary(*catalogue(3, 5), TODAY, scope=Scope.only("D01"))
    full = compute_summary(*catalogue(3, 5), TODAY, scope=EVERYONE)
    mine = image(summary_chart_png(summary, panels=(Panel.COMPLETENESS,)))
    everyone = image(summary_chart_png(full, panels=(Panel.COMPLETENESS,)))
    assert mine.height < everyone.height


def test_data_uri_only_for_small_images(big_chart):
    small = summary_chart_png(compute_summary([], [], TODAY, scope=EVERYONE))
    assert data_uri_if_small(small).startswith("data:image/png;base64,iVBOR")
    assert data_uri_if_small(big_chart) is None


def test_card_chart_is_drawn_at_card_width_with_progress_only(big_summary, big_chart):
    png = card_chart_png(big_summary)
    card = image(png)
    assert card.width == 540 and card.height < image(big_chart).height
    assert len(png) <= MAX_CHART_BYTES


def test_long_labels_are_whole_and_never_cut_in_the_middle():
    """Reader 1, B9: IND-01 and IND-02 both read « Part des marchés notifiés comportant au moins… ».
    Reader 3: « Part des marchés notifiés / … moins une considération sociale » cut the label mid-phrase:
    the whole label is wrapped instead, and a label too long even so ends with « … » after a word."""
    environmental = _wrap("IND-01 Part des marchés notifiés comportant au moins une considération environnementale",
                          COMPACT.label_characters)
    social = _wrap("IND-02 Part des marchés notifiés comportant au moins une considération sociale", COMPACT.label_characters)
    assert environmental.replace("\n", " ") == (
        "IND-01 Part des marchés notifiés comportant au moins une considération environnementale")
    assert social.endswith("considération sociale") and "…" not in environmental + social
    assert all(len(line) <= COMPACT.label_characters for line in (environmental + "\n" + social).split("\n"))
    text = "IND-09 " + "Part des produits durables et de qualité dans la restauration collective " * 2
    longer = _wrap(text, 33)
    assert longer.count("\n") == 2 and longer.endswith("…") and "..." not in longer
    kept = longer.removesuffix("…").replace("\n", " ").split()
    assert kept == text.split()[: len(kept)]


@pytest.mark.parametrize(("shown", "expected"), [(44.0, 44.0), (37.0, 38.0), (44.0, 37.0), (11.0, 38.0), (60.0, 37.0)])
def test_a_value_label_is_never_crossed_by_the_expected_tick(shown, expected):
    """Reader 1, B9: the « attendu à ce jour » tick crossed « 44 % » and « 37 % » (PDF p. 5)."""
    for layout in (WIDE, COMPACT):
        x, align, _ = value_label_place(shown, expected, f"{round(shown)} %", layout)
        width = len(f"{round(shown)} %") * LABEL_EM * LABEL_POINTS / 72 * _units_per_inch(layout)
        start, end = (x - width, x) if align == "right" else (x, x + width)
        assert not start <= expected <= end, (shown, expected, start, end)


def test_charts_under_a_heading_leave_out_their_own():
    """Reader 1, C5: the card's chart repeated the card's title, the report's its section heading."""
    summary = compute_summary(*catalogue(5, 10), TODAY, scope=EVERYONE)
    titled = image(summary_chart_png(summary, panels=(Panel.PROGRESS,), compact=True))
    assert image(card_chart_png(summary)).height < titled.height
    for panel in Panel:
        report = image(summary_chart_png(summary, panels=(panel,), with_title=False, panel_titles=False))
        assert report.height < image(summary_chart_png(summary, panels=(panel,), with_title=False)).height


def test_the_progress_axis_says_it_measures_the_way_to_the_target_not_the_value():
    """Reader 4, B18: an axis 0–125 % without a title made « 38 % » read as IND-01's value (64,5 %)."""
    summary = compute_summary(*catalogue(5, 10), TODAY, scope=EVERYONE)
    for layout in (WIDE, COMPACT):
        rows = _progress_rows(summary)
        axes = Figure(figsize=(layout.width_inches, 4)).add_axes((0.4, 0.3, 0.55, 0.6))
        _draw_progress(axes, rows, _progress_labels(rows, layout), layout)
        assert axes.get_xlabel() == "Part du chemin parcouru vers la cible"
