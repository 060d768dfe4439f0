"""Where a stored value comes from, as facts kept apart from the comment a person typed.

The source of a value computed from the DECP used to be a sentence appended to its comment, and
the COPIL report parsed it back: a person's comment containing « ; source : » then read as a
source. The kind of source, the file and the import are columns of the value now; the words
people read about them are written here, from those facts, never read back from text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.clock import format_date_fr

SOURCE_FILE_LENGTH = 255
"""As `decp_import.filename`: a longer name is cut, never refused."""

COMPUTED_COMMENT_PREFIX = "Calculé à partir des DECP : "
"""What a computed value's note starts with where people read it (the comment stored is what follows);
« à partir des », not « depuis » (reader 10, C6)."""

ORGANISATION_FROM_DECP = "Ensemble de l’organisme (calculé à partir des DECP)"
"""Where a value computed from the DECP is listed among the directorates' values: it covers every
contract the organisation publishes, whichever directorate it is filed under (reader 10, A12: « DCP :
35,2 % » read as that directorate's figure)."""


class SourceKind(StrEnum):
    """How a value was recorded (stored as these values; NULL for rows recorded before 0017)."""

    MANUAL = "manual"
    DECP_IMPORT = "decp_import"


@dataclass(frozen=True)
class ValueSource:
    """A value's source: its kind and, for an import, the file and the import's number; when read
    back, who imported it and when (the value's own author and time)."""

    kind: SourceKind
    file: str | None = None
    import_id: int | None = None
    imported_at: datetime | None = None
    imported_by: str = ""
    contracts: int | None = None
    """For a value computed from the DECP, read back: the contracts notified in its period that it was
    computed on (`decp_figure.contracts`); None when not known."""

    @classmethod
    def decp(cls, filename: str, import_id: int) -> ValueSource:
        return cls(SourceKind.DECP_IMPORT, filename[:SOURCE_FILE_LENGTH], import_id)

    @classmethod
    def stored(
        cls, kind: str | None, file: str | None, import_id: int | None,
        imported_at: datetime | None = None, imported_by: str = "", contracts: int | None = None,
    ) -> ValueSource | None:
        """The source read from a row's columns; None for a row older than them (source unknown)."""
        if not kind:
            return None
        try:
            known = SourceKind(kind)
        except ValueError:
            return None
        return cls(known, file, import_id, imported_at, imported_by or "", contracts)

    @property
    def is_decp(self) -> bool:
        return self.kind is SourceKind.DECP_IMPORT

    def _import_number(self) -> str:
        """« (import n° 7) » only when neither the date nor the author is known: an import's number is
        the assistant's bookkeeping, which nobody reading a value or the COPIL report knows (reader 9,
        C8); who imported the file and when says which import it was."""
        if self.import_id is None or self._imported():
            return ""
        return f" (import n°\u00a0{self.import_id})"

    def _imported(self) -> str:
        """« le lundi 30 novembre 2026 par Camille Martin », or less when not known."""
        when = f" le {format_date_fr(self.imported_at.date())}" if self.imported_at else ""
        who = f" par {self.imported_by}" if self.imported_by else ""
        return when + who

    @property
    def plain_described(self) -> str:
        """« les données essentielles importées le … par Camille Martin »: what a
        contributor or an élue reads next to a computed value, without a file name."""
        return f"les données essentielles importées{self._imported()}{self._import_number()}"

    @property
    def report_described(self) -> str:
        """« le fichier des données essentielles, importé le … par Camille Martin »: the COPIL report
        names the file by what it holds, not by its name, which officials do not know (reader 3)."""
        imported = f", importé{self._imported()}" if self._imported() else ""
        return f"le fichier des données essentielles{imported}{self._import_number()}"


def is_computed(source: ValueSource | None) -> bool:
    return source is not None and source.is_decp


def computed_detail(comment: str, source: ValueSource) -> str:
    """What a computed value was computed from and its import, after a label that already says it is
    computed: « 2 356 800 € sur 6 695 200 € de marchés notifiés (montants HT) ; source : … »."""
    return f"{comment} ; source : {source.plain_described}."


def comment_with_source(comment: str, source: ValueSource | None) -> str:
    """The note people read next to a value: the comment as typed, or for a computed value what it
    was computed from and the import it came from, written from the source's facts."""
    if not is_computed(source):
        return comment
    return f"{COMPUTED_COMMENT_PREFIX}{computed_detail(comment, source)}"
