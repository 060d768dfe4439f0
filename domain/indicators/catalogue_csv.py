"""The indicator catalogue as a CSV file: validated import (all or nothing) and export.

The lead keeps the catalogue in a spreadsheet: French Excel writes `;`-separated files in cp1252
or UTF-8 with a BOM, or UTF-16 for « texte Unicode ». Every row is checked (catalogue.py) and
every problem is reported with its line number in French; nothing is returned unless the whole
file is valid, so the caller imports all of it or nothing. A file bigger than `MAX_BYTES` or with
more than `MAX_ROWS` indicators is refused with one error before its rows are validated (the
founding text advises about thirty indicators; a thousand-row file is a wrong file, not a
catalogue).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from domain.errors import DomainError
from domain.indicators.catalogue import (
    CATALOGUE_COLUMNS,
    OPTIONAL_COLUMNS,
    CatalogueRow,
    InvalidCatalogueRow,
    build_catalogue_row,
    catalogue_row_fields,
)
from domain.indicators.catalogue_cells import french_int, header_key
from domain.text import lower_first, upper_first

EXPECTED_HEADER = ";".join(CATALOGUE_COLUMNS)
EXPORT_DELIMITER = ";"
MAX_ROWS = 1000
MAX_BYTES = 1_000_000
MAX_LISTED_ERRORS = 20
_CANDIDATE_DELIMITERS = (";", ",", "\t")


@dataclass(frozen=True)
class LineError:
    """A problem of the imported file; `line` is None for the file as a whole."""

    line: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        if self.line is None:
            return upper_first(self.message)
        where = f"Ligne {self.line}" + (f", colonne « {self.column} »" if self.column else "")
        return f"{where} : {lower_first(self.message)}"


class CatalogueImportError(DomainError):
    """The file was refused as a whole; `errors` holds every problem found, by line."""

    def __init__(self, errors: Iterable[LineError]) -> None:
        self.errors = tuple(errors)
        count = len(self.errors)
        heading = (
            "Import refusé, aucun indicateur n’a été importé : "
            + ("1 erreur." if count == 1 else f"{count} erreurs.")
        )
        listed = [f"- {error}" for error in self.errors[:MAX_LISTED_ERRORS]]
        if count > MAX_LISTED_ERRORS:
            listed.append(f"- … et {count - MAX_LISTED_ERRORS} autres erreurs.")
        super().__init__("\n".join([heading, *listed]))


def parse_catalogue_csv(
    data: str | bytes,
    *,
    known_directorates: Collection[str] | None = None,
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> list[CatalogueRow]:
    """Validate a whole catalogue file; return its rows only if every one of them is valid.

    `data` is the file's bytes (encoding detected) or already decoded text. Raises
    `CatalogueImportError` with every error by line number.
    """
    size = len(data)
    if size > max_bytes:
        message = (
            f"Le fichier est trop gros ({french_int(size)} octets, {french_int(max_bytes)} au plus) : "
            "un catalogue compte une trentaine d’indicateurs. Vérifiez qu’il s’agit du bon fichier."
        )
        raise CatalogueImportError([LineError(None, message)])
    text = _decode(data) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    header_line = next((line for line in text[:10_000].splitlines() if line.strip()), None)
    if header_line is None:
        raise CatalogueImportError([LineError(None, f"Le fichier est vide. En-tête attendu : {EXPECTED_HEADER}")])
    return _read_rows(text, _detect_delimiter(header_line), known_directorates, max_rows)


def export_catalogue(rows: Iterable[CatalogueRow]) -> str:
    """The catalogue in the import format (`;`, French decimals); write it with `utf-8-sig`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=EXPORT_DELIMITER, lineterminator="\r\n")
    writer.writerow(CATALOGUE_COLUMNS)
    for row in rows:
        fields = catalogue_row_fields(row)
        writer.writerow([fields[column] for column in CATALOGUE_COLUMNS])
    return buffer.getvalue()


def export_catalogue_bytes(rows: Iterable[CatalogueRow]) -> bytes:
    """UTF-8 with a BOM, so that Excel shows the accents of a double-clicked file."""
    return export_catalogue(rows).encode("utf-8-sig")


def _read_rows(
    text: str, delimiter: str, known_directorates: Collection[str] | None, max_rows: int
) -> list[CatalogueRow]:
    """Validate rows one by one, stopping at once past `max_rows` (nothing more is read)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    errors: list[LineError] = []
    rows: list[CatalogueRow] = []
    first_line_of_code: dict[str, int] = {}
    code_position: int | None = None
    columns: list[str] | None = None
    data_rows = 0
    previous_line = 0
    try:
        for record in reader:
            line = previous_line + 1
            previous_line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if columns is None:
                columns = _check_header(record, line)
                code_position = columns.index("code")
                continue
            data_rows += 1
            if data_rows > max_rows:
                message = (
                    f"Le fichier contient plus de {french_int(max_rows)} indicateurs : import refusé sans lire "
                    "la suite. Un catalogue compte une trentaine d’indicateurs ; vérifiez qu’il s’agit du bon fichier."
                )
                raise CatalogueImportError([LineError(None, message)])
            if len(record) > len(columns) and not any(cell.strip() for cell in record[len(columns) :]):
                record = record[: len(columns)]
            if len(record) < len(columns) and set(columns[len(record) :]) <= set(OPTIONAL_COLUMNS):
                record = record + [""] * (len(columns) - len(record))
            if len(record) != len(columns):
                message = f"{len(record)} colonnes au lieu de {len(columns)}. En-tête attendu : {EXPECTED_HEADER}"
                errors.append(LineError(line, message))
                continue
            code = record[code_position].strip().upper()
            if code and code in first_line_of_code:
                errors.append(
                    LineError(line, f"le code « {code} » est déjà utilisé ligne {first_line_of_code[code]}.", "code")
                )
            elif code:
                first_line_of_code[code] = line
            try:
                rows.append(
                    build_catalogue_row(dict(zip(columns, record)), known_directorates=known_directorates, line=line)
                )
            except InvalidCatalogueRow as error:
                errors.extend(LineError(line, problem.message, problem.column) for problem in error.problems)
    except csv.Error:
        message = (
            "Contenu illisible (guillemet non fermé ou cellule trop longue) : réenregistrez le fichier au format "
            "CSV depuis le tableur."
        )
        errors.append(LineError(previous_line + 1, message))
    if errors:
        raise CatalogueImportError(errors)
    return rows


def _check_header(record: list[str], line: int) -> list[str]:
    """Column names tolerant of case, accents and spaces (`Libellé`), in any order."""
    while record and not record[-1].strip():
        record = record[:-1]
    columns = [header_key(cell) for cell in record]
    missing = [column for column in CATALOGUE_COLUMNS if column not in columns and column not in OPTIONAL_COLUMNS]
    unknown = [position for position, column in enumerate(columns, start=1) if column not in CATALOGUE_COLUMNS]
    repeated = sorted({column for column in columns if column in CATALOGUE_COLUMNS and columns.count(column) > 1})
    if missing or unknown or repeated:
        details = []
        if missing:
            details.append("colonnes manquantes : " + ", ".join(missing))
        if unknown:
            # Positions, not names: what a fetched file holds is never quoted back (it may not be a catalogue).
            listed = ", ".join(map(str, unknown[:10]))
            details.append(
                f"la colonne n° {listed} n’est pas connue" if len(unknown) == 1 else f"les colonnes n° {listed} ne sont pas connues"
            )
        if repeated:
            details.append("colonnes en double : " + ", ".join(repeated))
        raise CatalogueImportError(
            [LineError(line, f"En-tête incorrect ({' ; '.join(details)}). En-tête attendu : {EXPECTED_HEADER}")]
        )
    return columns


def _decode(data: bytes) -> str:
    """UTF-16 (BOM), then UTF-8 (with or without BOM), then Windows-1252 as older Excel writes it."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CatalogueImportError(
        [LineError(None, "Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 » depuis le tableur.")]
    )


def _detect_delimiter(header_line: str) -> str:
    """The header is fixed, so the separator that occurs most in it is the file's one."""
    return max(_CANDIDATE_DELIMITERS, key=header_line.count)
