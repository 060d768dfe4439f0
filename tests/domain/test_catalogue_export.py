"""The catalogue file's limits, its export and round trip, and single rows typed in the chat."""

from __future__ import annotations

import codecs
import itertools
from decimal import Decimal

import pytest

from domain.errors import DomainError
from domain.indicators.catalogue import (
    CATALOGUE_COLUMNS,
    RECOMMENDED_MAX_ACTIVE_INDICATORS,
    Axis,
    CatalogueRow,
    ImprovementDirection,
    InvalidCatalogueRow,
    InvalidCatalogueValue,
    build_catalogue_row,
    catalogue_row_fields,
    catalogue_size_warning,
)
from domain.indicators.catalogue_csv import (
    EXPECTED_HEADER,
    MAX_LISTED_ERRORS,
    MAX_ROWS,
    LineError,
    export_catalogue,
    export_catalogue_bytes,
    parse_catalogue_csv,
)
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from tests.catalogue_support import (
    DIRECTORATES,
    VALID_FIELDS,
    assert_french,
    csv_file,
    example_bytes,
    import_errors,
    row_with,
)

# --- size limits -----------------------------------------------------------------------------


def test_hundred_thousand_rows_are_refused_with_a_single_error() -> None:
    text = csv_file(*(row_with(code=f"IND-{n}") for n in range(100_000)))
    error = import_errors(text)
    assert len(error.errors) == 1 and error.errors[0].line is None
    assert "trop gros" in error.message
    assert_french(error.message)


def test_hundred_thousand_rows_under_the_byte_limit_stop_at_the_row_limit() -> None:
    """Rows past the limit are invalid: seeing no error about them proves they were never read."""
    tiny_rows = "\n".join(["x"] * 100_000)
    text = csv_file(row_with(code="IND-01")) + tiny_rows
    assert len(text) < 1_000_000
    error = import_errors(text, max_rows=MAX_ROWS)
    assert len(error.errors) == 1
    assert "plus de 1\u202f000 indicateurs" in error.message


def test_oversized_bytes_are_refused_before_decoding() -> None:
    error = import_errors(b"\x81" * 2_000, max_bytes=1_000)
    assert "trop gros" in error.message and "Encodage" not in error.message


@pytest.mark.parametrize(("count", "accepted"), [(2, True), (3, False)])
def test_row_limit_is_inclusive(count: int, accepted: bool) -> None:
    text = csv_file(*(row_with(code=f"IND-{n}") for n in range(count)))
    if accepted:
        assert len(parse_catalogue_csv(text, max_rows=2)) == count
    else:
        assert "plus de 2 indicateurs" in import_errors(text, max_rows=2).message


def test_a_thousand_rows_are_accepted() -> None:
    text = csv_file(*(row_with(code=f"IND-{n:04d}") for n in range(MAX_ROWS)))
    assert len(parse_catalogue_csv(text)) == MAX_ROWS


def test_error_summary_lists_the_first_errors_and_counts_the_rest() -> None:
    rows = [row_with(code=f"IND-{n:02d}", axe="?") for n in range(30)]
    error = import_errors(csv_file(*rows))
    assert len(error.errors) == 30
    lines = error.message.splitlines()
    assert lines[0] == "Import refusé, aucun indicateur n’a été importé : 30 erreurs."
    assert len(lines) == 1 + MAX_LISTED_ERRORS + 1
    assert lines[-1] == f"- … et {30 - MAX_LISTED_ERRORS} autres erreurs."


# --- export and round trip -------------------------------------------------------------------


def test_export_then_import_gives_back_the_example_catalogue() -> None:
    rows = parse_catalogue_csv(example_bytes())
    exported = export_catalogue(rows)
    assert exported.splitlines()[0] == EXPECTED_HEADER
    assert parse_catalogue_csv(exported) == rows
    assert export_catalogue(parse_catalogue_csv(exported)) == exported


def generated_rows() -> list[CatalogueRow]:
    """Every unit, frequency, axis and direction, with awkward text, as hypothesis would try."""
    awkward_labels = ['Point-virgule ; et "guillemets"', "Accents éèàçœ – tiret", "Virgule, et | barre", "  espaces  "]
    numbers = {
        Unit.PERCENT: (Decimal("0"), Decimal("99.9999")),
        Unit.EURO: (Decimal("1200.5"), Decimal("999999999.99")),
        Unit.COUNT: (Decimal("0"), Decimal("12")),
        Unit.PEOPLE: (Decimal("3"), Decimal("60")),
        Unit.HOURS: (Decimal("0.25"), Decimal("20000")),
        Unit.DAYS: (Decimal("30"), Decimal("34.5")),
        Unit.TCO2E: (Decimal("38000.125"), Decimal("48200")),
        Unit.TONNES: (Decimal("1250"), Decimal("2000")),
    }
    rows = []
    combos = itertools.product(Unit, Frequency, Axis, [True, False])
    for index, (unit, frequency, axis, flag) in enumerate(combos):
        low, high = numbers[unit]
        improvement = ImprovementDirection.UP if index % 2 else ImprovementDirection.DOWN
        baseline, target = (low, high) if improvement is ImprovementDirection.UP else (high, low)
        with_target = index % 3 != 0
        rows.append(
            CatalogueRow(
                code=f"IND-{index:03d}",
                label=" ".join(awkward_labels[index % len(awkward_labels)].split()),
                axis=axis,
                unit=unit,
                directorates=tuple(DIRECTORATES[: 1 + index % 3]),
                frequency=frequency,
                improvement=improvement,
                baseline=baseline if index % 5 else None,
                target=target if with_target else None,
                target_year=2030 if with_target else None,
                source="" if index % 4 else "Source ; « citée »",
                preexisting=flag,
                active=not flag,
            )
        )
    return rows


def test_generated_rows_round_trip_through_export_and_import() -> None:
    rows = generated_rows()
    assert len(rows) == 8 * 3 * 4 * 2
    assert parse_catalogue_csv(export_catalogue(rows), known_directorates=DIRECTORATES) == rows


def test_export_bytes_have_a_bom_for_excel_and_round_trip() -> None:
    rows = parse_catalogue_csv(example_bytes())
    data = export_catalogue_bytes(rows)
    assert data.startswith(codecs.BOM_UTF8)
    assert parse_catalogue_csv(data) == rows


def test_exported_numbers_use_a_decimal_comma_without_thousand_separators() -> None:
    rows = parse_catalogue_csv(csv_file(row_with(unite="€", valeur_reference="1 200,5", cible="3 millions")))
    fields = catalogue_row_fields(rows[0])
    assert (fields["valeur_reference"], fields["cible"]) == ("1200,5", "3000000")
    assert list(fields) == list(CATALOGUE_COLUMNS)


def test_empty_catalogue_exports_the_header_only_and_round_trips() -> None:
    exported = export_catalogue([])
    assert exported == EXPECTED_HEADER + "\r\n"
    assert parse_catalogue_csv(exported) == []


# --- single rows (chat) and size warning -----------------------------------------------------


def test_build_catalogue_row_reports_every_problem_by_column() -> None:
    with pytest.raises(InvalidCatalogueRow) as caught:
        build_catalogue_row({"code": "IND 1", "unite": "kg"})
    columns = [problem.column for problem in caught.value.problems]
    assert columns == ["code", "libelle", "axe", "unite", "directions", "frequence", "sens"]
    for problem in caught.value.problems:
        assert_french(str(problem))
    assert isinstance(caught.value, DomainError)


def test_build_catalogue_row_from_chat_answers() -> None:
    row = build_catalogue_row(VALID_FIELDS, known_directorates=DIRECTORATES)
    assert row.code == "IND-01" and row.baseline == Decimal("42.5") and row.line is None


@pytest.mark.parametrize("parse", [Axis.parse, ImprovementDirection.parse])
def test_enum_parse_errors_are_french(parse) -> None:
    with pytest.raises(InvalidCatalogueValue) as caught:
        parse("inconnu")
    assert_french(caught.value.message)


@pytest.mark.parametrize(
    ("count", "warned"), [(0, False), (RECOMMENDED_MAX_ACTIVE_INDICATORS, False), (31, True), (90, True)]
)
def test_size_warning_beyond_thirty_active_indicators(count: int, warned: bool) -> None:
    warning = catalogue_size_warning(count)
    assert (warning is not None) is warned
    if warning:
        assert str(count) in warning and "trentaine" in warning
        assert_french(warning)


def test_line_error_without_line_reads_as_a_sentence() -> None:
    assert str(LineError(None, "le fichier est vide.")) == "Le fichier est vide."
    assert str(LineError(4, "Axe inconnu.", "axe")) == "Ligne 4, colonne « axe » : axe inconnu."
