"""Catalogue CSV import (every row validated, errors by line, all or nothing) and export."""

from __future__ import annotations

import codecs
import csv
import io
from decimal import Decimal

import pytest

from domain.indicators.aggregation import AggregationRule, Computation
from domain.indicators.catalogue import (
    CATALOGUE_COLUMNS,
    OPTIONAL_COLUMNS,
    Axis,
    CatalogueRow,
    ImprovementDirection,
)
from domain.indicators.catalogue_csv import (
    EXPECTED_HEADER,
    CatalogueImportError,
    export_catalogue,
    parse_catalogue_csv,
)
from domain.indicators.periods import Frequency
from domain.indicators.units import Unit
from tests.catalogue_support import (
    DIRECTORATES,
    VALID_FIELDS,
    assert_french,
    csv_file,
    csv_line,
    example_bytes,
    import_errors,
    row_with,
)

# --- a valid catalogue -----------------------------------------------------------------------


def test_example_catalogue_is_imported_whole() -> None:
    rows = parse_catalogue_csv(example_bytes(), known_directorates=DIRECTORATES)
    assert [row.code for row in rows] == [f"IND-{n:02d}" for n in range(1, 17)]
    first = rows[0]
    assert first == CatalogueRow(
        code="IND-01",
        label="Part des marchés notifiés comportant au moins une considération environnementale",
        axis=Axis.ENVIRONMENTAL,
        unit=Unit.PERCENT,
        directorates=("DCP",),
        frequency=Frequency.QUARTERLY,
        improvement=ImprovementDirection.UP,
        baseline=Decimal("42.5"),
        target=Decimal("100"),
        target_year=2030,
        source="Recensement économique de la commande publique (OECP)",
        preexisting=True,
        active=True,
    )
    assert first.line == 2
    assert rows[6].directorates == ("DEE", "DCP") and rows[6].improvement is ImprovementDirection.DOWN
    assert rows[14].baseline is None and rows[14].target is None and rows[14].target_year is None
    assert rows[15].active is False


def decoded_example() -> str:
    return example_bytes().decode("utf-8")


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
        lambda text: text.encode("cp1252"),
        lambda text: text.encode("utf-16"),
        lambda text: text,
        lambda text: "\ufeff" + text,
        lambda text: text.replace("\n", "\r\n").encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "utf-16", "str", "str-bom", "cp1252-crlf"],
)
def test_encodings_excel_writes_give_the_same_rows(encode) -> None:
    expected = parse_catalogue_csv(example_bytes())
    assert parse_catalogue_csv(encode(decoded_example())) == expected
    assert parse_catalogue_csv(encode(decoded_example()))[0].label.startswith("Part des marchés")


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_comma_and_tab_separated_files_give_the_same_rows(delimiter: str) -> None:
    rows = parse_catalogue_csv(example_bytes())
    text = export_catalogue(rows)
    converted = io.StringIO()
    writer = csv.writer(converted, delimiter=delimiter)
    writer.writerows(csv.reader(io.StringIO(text), delimiter=";"))
    assert parse_catalogue_csv(converted.getvalue()) == rows


def test_header_is_tolerant_of_case_accents_spaces_and_order() -> None:
    header = ";".join(
        ["Libellé", "CODE", "Axe", "Unité", "Directions", "Fréquence", "Valeur référence", "Cible", "Année cible",
         "Sens", "Source", "Préexistant", "Actif"]
    )
    order = ["libelle", "code", *[c for c in CATALOGUE_COLUMNS if c not in ("libelle", "code", *OPTIONAL_COLUMNS)]]
    line = ";".join(VALID_FIELDS[column] for column in order)
    rows = parse_catalogue_csv(f"{header}\n{line}\n")
    assert rows == parse_catalogue_csv(csv_file({**VALID_FIELDS, "definition": ""}))


def test_a_file_without_the_newer_columns_reads_with_their_defaults() -> None:
    older = [c for c in CATALOGUE_COLUMNS if c not in OPTIONAL_COLUMNS]
    text = ";".join(older) + "\n" + ";".join(VALID_FIELDS[c] for c in older) + "\n"
    [row] = parse_catalogue_csv(text)
    assert (row.definition, row.aggregation, row.weighting_base, row.computation) == ("", None, None, Computation.REPORTED)
    assert row.aggregation_rule is AggregationRule.MEAN, "a percentage is averaged by default"


def test_aggregation_rules_and_computations_are_read_and_checked() -> None:
    weighted = {**VALID_FIELDS, "agregation": "Moyenne pondérée", "base_ponderation": "ind-90"}
    computed = {**VALID_FIELDS, "code": "IND-02", "calcul": "decp:part-sociale-nombre"}
    [first, second] = parse_catalogue_csv(csv_file(weighted, computed))
    assert (first.aggregation, first.weighting_base) == (AggregationRule.WEIGHTED_MEAN, "IND-90")
    assert second.computation is Computation.DECP_SOCIAL_COUNT

    problems = {
        "no base": {**VALID_FIELDS, "agregation": "moyenne pondérée"},
        "base without weighting": {**VALID_FIELDS, "base_ponderation": "IND-90"},
        "own base": {**VALID_FIELDS, "agregation": "moyenne pondérée", "base_ponderation": "IND-01"},
        "single value, two directorates": {**VALID_FIELDS, "agregation": "valeur unique", "directions": "DCP|DPB"},
        "a count computed as a share": {**VALID_FIELDS, "unite": "nombre", "valeur_reference": "", "cible": "",
                                        "annee_cible": "", "calcul": "decp:part-sociale-nombre"},
        "unknown rule": {**VALID_FIELDS, "agregation": "médiane"},
    }
    for name, fields in problems.items():
        with pytest.raises(CatalogueImportError) as refused:
            parse_catalogue_csv(csv_file(fields), known_directorates=DIRECTORATES)
        assert_french(str(refused.value)), name


def test_blank_lines_and_empty_trailing_columns_from_excel_are_ignored() -> None:
    text = EXPECTED_HEADER + ";;\n\n" + csv_line(VALID_FIELDS) + ";;\n;;;;;;;;;;;;\n\n"
    assert [row.code for row in parse_catalogue_csv(text)] == ["IND-01"]


def test_header_only_gives_an_empty_catalogue() -> None:
    assert parse_catalogue_csv(EXPECTED_HEADER + "\r\n") == []


@pytest.mark.parametrize(
    ("column", "typed", "expected"),
    [
        ("code", " ind-07 ", "IND-07"),
        ("libelle", "  Heures  d'insertion ", "Heures d'insertion"),
        ("axe", "Économie responsable", Axis.RESPONSIBLE_ECONOMY),
        ("axe", "economie responsable", Axis.RESPONSIBLE_ECONOMY),
        ("axe", "Gouvernance et suivi", Axis.GOVERNANCE),
        ("axe", "SOCIAL", Axis.SOCIAL),
        ("unite", "pourcentage", Unit.PERCENT),
        ("frequence", "Trimestriel", Frequency.QUARTERLY),
        ("sens", "Baisse", ImprovementDirection.DOWN),
        ("preexistant", "NON", False),
        ("preexistant", "", False),
        ("actif", "non", False),
        ("actif", "", True),
        ("source", "", ""),
    ],
)
def test_fields_are_read_tolerantly(column: str, typed: str, expected) -> None:
    fields = row_with(**{column: typed})
    if column == "sens":
        fields["cible"] = "10"
    (row,) = parse_catalogue_csv(csv_file(fields))
    attribute = {
        "code": "code", "libelle": "label", "axe": "axis", "unite": "unit", "frequence": "frequency",
        "sens": "improvement", "preexistant": "preexisting", "actif": "active", "source": "source",
    }[column]
    assert getattr(row, attribute) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("DCP|DRH", ("DCP", "DRH")),
        ('"DCP;DRH"', ("DCP", "DRH")),
        ("dcp | drh", ("DCP", "DRH")),
        ("DCP, DRH", ("DCP", "DRH")),
        ("DCP|DCP|DRH", ("DCP", "DRH")),
        ("DIR-ACHATS", ("DIR-ACHATS",)),
    ],
)
def test_directorates_are_split_on_pipe_or_semicolon(typed: str, expected: tuple[str, ...]) -> None:
    (row,) = parse_catalogue_csv(csv_file(row_with(directions=typed)))
    assert row.directorates == expected


@pytest.mark.parametrize(
    ("unit", "typed", "expected"),
    [
        ("%", "12,5", "12.5"),
        ("%", "12.5", "12.5"),
        ("%", "45 %", "45"),
        ("€", "1 200,50", "1200.5"),
        ("€", "1\u00a0200,50 €", "1200.5"),
        ("€", "1.200,50", "1200.5"),
        ("€", "1.5", "1.5"),
        ("€", "1200,5", "1200.5"),
        ("€", "3 millions", "3000000"),
        ("heures", "12500", "12500"),
        ("nombre", "douze", "12"),
    ],
)
def test_baseline_accepts_french_decimals(unit: str, typed: str, expected: str) -> None:
    (row,) = parse_catalogue_csv(csv_file(row_with(unite=unit, valeur_reference=typed, cible="", annee_cible="")))
    assert row.baseline == Decimal(expected)


# --- every row validated, errors by line -----------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "fragment"),
    [
        ({"code": ""}, "code", "obligatoire"),
        ({"code": "IND 01"}, "code", "IND-03"),
        ({"libelle": ""}, "libelle", "obligatoire"),
        ({"libelle": "x" * 201}, "libelle", "trop long"),
        ({"libelle": "=HYPERLINK(\"http://x\")"}, "libelle", "formule"),
        ({"libelle": "@SUM(A1)"}, "libelle", "formule"),
        ({"axe": "eco"}, "axe", "social, environnemental, économie responsable, gouvernance"),
        ({"axe": ""}, "axe", "obligatoire"),
        ({"unite": "kg"}, "unite", "%, €, nombre"),
        ({"directions": ""}, "directions", "obligatoire"),
        ({"directions": "D@J"}, "directions", "invalide"),
        ({"directions": "|".join(f"D{n}" for n in range(11))}, "directions", "trop de directions"),
        ({"frequence": "mensuelle"}, "frequence", "annuelle, semestrielle, trimestrielle"),
        ({"valeur_reference": "abc"}, "valeur_reference", "nombre"),
        ({"valeur_reference": "120"}, "valeur_reference", "dépasser 100"),
        ({"valeur_reference": "-5"}, "valeur_reference", "négative"),
        ({"cible": "beaucoup"}, "cible", "nombre"),
        ({"cible": "12 €"}, "cible", "euros"),
        ({"cible": "", "annee_cible": "2030"}, "cible", "sans cible"),
        ({"annee_cible": ""}, "annee_cible", "année"),
        ({"annee_cible": "20x6"}, "annee_cible", "2000 et 2100"),
        ({"annee_cible": "1999"}, "annee_cible", "2000 et 2100"),
        ({"sens": "haut"}, "sens", "hausse ou baisse"),
        ({"sens": ""}, "sens", "obligatoire"),
        ({"cible": "30"}, "cible", "mauvais sens"),
        ({"source": "+33 1 23"}, "source", "formule"),
        ({"preexistant": "peut-être"}, "preexistant", "oui ou non"),
        ({"actif": "2"}, "actif", "oui ou non"),
    ],
)
def test_each_kind_of_bad_field_is_reported_with_line_and_column(changes: dict, column: str, fragment: str) -> None:
    error = import_errors(csv_file(VALID_FIELDS | {"code": "IND-00"}, row_with(**changes)))
    assert [(e.line, e.column) for e in error.errors] == [(3, column)]
    assert fragment in error.errors[0].message
    assert str(error.errors[0]).startswith(f"Ligne 3, colonne « {column} » : ")
    assert_french(str(error.errors[0]))


@pytest.mark.parametrize(("typed", "problem"), [("1 23", "plusieurs nombres"), ("1.200.5", "nombre")])
def test_baseline_is_read_like_a_chat_answer_when_not_in_export_format(typed: str, problem: str) -> None:
    error = import_errors(csv_file(row_with(unite="heures", valeur_reference=typed, cible="", annee_cible="")))
    assert error.errors[0].column == "valeur_reference" and problem in error.errors[0].message


def test_unknown_unit_still_reports_a_baseline_that_is_no_number() -> None:
    error = import_errors(csv_file(row_with(unite="kg", valeur_reference="beaucoup")))
    assert [e.column for e in error.errors] == ["unite", "valeur_reference"]


def test_unit_rules_apply_to_the_target_of_a_count() -> None:
    error = import_errors(csv_file(row_with(unite="nombre", valeur_reference="3", cible="7,5")))
    assert error.errors[0].column == "cible" and "entier" in error.errors[0].message


def test_all_errors_of_all_lines_are_reported_not_only_the_first() -> None:
    text = csv_file(
        row_with(code="IND-01"),
        row_with(code="IND-02", unite="kg", axe="eco"),
        row_with(code="IND-03"),
        row_with(code="IND-04", frequence="mensuelle"),
        row_with(code="IND-05"),
        row_with(code="IND-06", valeur_reference="beaucoup"),
    )
    error = import_errors(text)
    assert [(e.line, e.column) for e in error.errors] == [
        (3, "axe"), (3, "unite"), (5, "frequence"), (7, "valeur_reference")
    ]


def test_nothing_is_returned_when_a_single_row_of_many_is_wrong() -> None:
    rows = [row_with(code=f"IND-{n:02d}") for n in range(1, 30)]
    rows[17]["unite"] = "litres"
    error = import_errors(csv_file(*rows))
    assert len(error.errors) == 1 and error.errors[0].line == 19
    assert "aucun indicateur n’a été importé" in error.message


def test_duplicate_codes_are_reported_with_the_first_line_case_insensitively() -> None:
    error = import_errors(csv_file(row_with(code="IND-01"), row_with(code="IND-02"), row_with(code="ind-01")))
    assert [(e.line, e.column) for e in error.errors] == [(4, "code")]
    assert "IND-01" in error.errors[0].message and "ligne 2" in error.errors[0].message


def test_duplicate_of_an_invalid_row_is_still_reported() -> None:
    error = import_errors(csv_file(row_with(code="IND-01", axe="?"), row_with(code="IND-01")))
    assert (3, "code") in [(e.line, e.column) for e in error.errors]


def test_row_with_missing_columns_is_reported_with_the_expected_header() -> None:
    error = import_errors(EXPECTED_HEADER + "\nIND-01;Libellé;social\n")
    assert error.errors[0].line == 2
    assert f"3 colonnes au lieu de {len(CATALOGUE_COLUMNS)}" in error.errors[0].message
    assert EXPECTED_HEADER in error.errors[0].message


def test_line_numbers_count_blank_lines_and_multiline_cells() -> None:
    multiline = csv_line(row_with(code="IND-01", libelle='"Deux\nlignes"'))
    text = EXPECTED_HEADER + "\n\n" + multiline + "\n" + csv_line(row_with(code="IND-02", axe="?")) + "\n"
    error = import_errors(text)
    assert error.errors[0].line == 5


def test_cell_line_breaks_and_control_characters_become_spaces() -> None:
    (row,) = parse_catalogue_csv(csv_file(row_with(libelle='"Deux\nlignes\x00ici"')))
    assert row.label == "Deux lignes ici"


@pytest.mark.parametrize(
    ("header", "fragments"),
    [
        ("code;libelle;axe", ["colonnes manquantes : unite, directions"]),
        (EXPECTED_HEADER + ";commentaire", [f"la colonne n° {len(CATALOGUE_COLUMNS) + 1} n’est pas connue"]),
        (EXPECTED_HEADER.replace("cible;", "target;", 1), ["colonnes manquantes : cible", "la colonne n° 8 n’est pas connue"]),
        (EXPECTED_HEADER + ";code", ["colonnes en double : code"]),
        ("a,b,c", ["colonnes manquantes : code"]),
    ],
)
def test_wrong_header_is_one_error_listing_the_expected_header(header: str, fragments: list[str]) -> None:
    error = import_errors(header + "\n" + csv_line(VALID_FIELDS) + "\n")
    assert len(error.errors) == 1 and error.errors[0].line == 1
    for fragment in fragments:
        assert fragment in error.errors[0].message
    assert f"En-tête attendu : {EXPECTED_HEADER}" in error.errors[0].message
    assert_french(str(error))


@pytest.mark.parametrize("data", ["", "\n\n  \n", b"", codecs.BOM_UTF8])
def test_empty_file_is_refused(data) -> None:
    error = import_errors(data)
    assert "vide" in error.message


def test_bytes_in_no_known_encoding_are_refused() -> None:
    error = import_errors(b"code;libelle\n\x81\x8d\x8f\x90\x9d\n")
    assert "Encodage" in error.message and "UTF-8" in error.message


def test_unclosed_quote_is_refused_with_its_line() -> None:
    error = import_errors(csv_file(row_with(code="IND-01")) + 'IND-02;"Libellé sans fin\n')
    assert error.errors[0].line == 3
    assert "illisible" in error.errors[0].message


# --- directorates known by the caller --------------------------------------------------------


def test_unknown_directorate_is_reported_by_line_with_a_suggestion() -> None:
    text = csv_file(row_with(code="IND-01"), row_with(code="IND-02", directions="DCP|DJA|XYZ"))
    error = import_errors(text, known_directorates=["DAJ", "DCP"])
    assert [(e.line, e.column) for e in error.errors] == [(3, "directions")]
    message = error.errors[0].message
    assert "« DJA » inconnue" in message and "« DAJ »" in message and "« XYZ » inconnue" in message


def test_known_directorates_are_compared_case_insensitively() -> None:
    (row,) = parse_catalogue_csv(csv_file(row_with(directions="dcp")), known_directorates=[" dcp "])
    assert row.directorates == ("DCP",)


def test_without_known_directorates_only_the_format_is_checked() -> None:
    (row,) = parse_catalogue_csv(csv_file(row_with(directions="NOUVELLE")))
    assert row.directorates == ("NOUVELLE",)


def test_a_count_may_say_what_it_counts_and_it_round_trips() -> None:
    """Issue 17: column `unite_libelle`, optional, for count indicators only."""
    meals = row_with(code="IND-18", unite="nombre", valeur_reference="1", cible="2", annee_cible="2027",
                     definition="", unite_libelle="repas végétarien")
    [row] = parse_catalogue_csv(csv_file(meals), known_directorates=DIRECTORATES)
    assert row.counted_noun == "repas végétarien"
    assert "unite_libelle" in OPTIONAL_COLUMNS
    [again] = parse_catalogue_csv(export_catalogue([row]), known_directorates=DIRECTORATES)
    assert again.counted_noun == "repas végétarien"
    older = CATALOGUE_COLUMNS[: CATALOGUE_COLUMNS.index("unite_libelle")]
    old_file = ";".join(older) + "\n" + ";".join(meals[c] for c in older) + "\n"
    assert parse_catalogue_csv(old_file, known_directorates=DIRECTORATES)[0].counted_noun == ""


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"unite": "%"}, "ne se précise que pour un indicateur en nombre"),
        ({"unite": "nombre", "unite_libelle": "2 repas"}, "au singulier et sans chiffre"),
        ({"unite": "nombre", "unite_libelle": "a|b|c"}, "au singulier et sans chiffre"),
    ],
)
def test_what_a_count_counts_is_checked(changes: dict[str, str], problem: str) -> None:
    fields = row_with(**{"unite_libelle": "repas", "valeur_reference": "", "cible": "", "annee_cible": "", **changes})
    error = import_errors(csv_file(fields), known_directorates=DIRECTORATES)
    assert error.errors[0].column == "unite_libelle" and problem in error.errors[0].message.replace("\u00a0", " ")
    assert_french(error.errors[0].message)
