"""An indicator of the catalogue: its columns, the values each accepts, and one row checked cell by
cell with every problem in French (how each cell reads: catalogue_cells.py; the CSV file around
the rows: catalogue_csv.py).

Directorate codes are checked against the ones the caller knows (`known_directorates`), which
comes from the database; without it only their format is checked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from domain.errors import DomainError, quoted_input
from domain.indicators.aggregation import AggregationRule, Computation, InvalidRule
from domain.indicators.catalogue_cells import (
    MAX_DEFINITION_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_LEGAL_BASIS_LENGTH,
    MAX_SOURCE_LENGTH,
    InvalidCatalogueValue,
    clean_cell,
    csv_number,
    fold_cell,
    read_code,
    read_counted_noun,
    read_directorates,
    read_number,
    read_text,
    read_year,
    read_yes_no,
)
from domain.indicators.periods import Frequency, InvalidPeriod
from domain.indicators.units import InvalidUnit, Unit
from domain.indicators.values import InvalidValue
from domain.text import lower_first, upper_first

CATALOGUE_COLUMNS = (
    "code",
    "libelle",
    "axe",
    "unite",
    "directions",
    "frequence",
    "valeur_reference",
    "cible",
    "annee_cible",
    "sens",
    "source",
    "preexistant",
    "actif",
    "definition",
    "agregation",
    "base_ponderation",
    "calcul",
    "unite_libelle",
    "seuil_legal",
    "base_legale",
)
OPTIONAL_COLUMNS = (
    "definition", "agregation", "base_ponderation", "calcul", "unite_libelle", "seuil_legal", "base_legale",
)
"""Columns added after the first catalogues: a file without them is read with their defaults."""
REQUIRED_COLUMNS = ("code", "libelle", "axe", "unite", "directions", "frequence", "sens")
DIRECTORATE_SEPARATOR = "|"
RECOMMENDED_MAX_ACTIVE_INDICATORS = 30
_T = TypeVar("_T")


class Axis(StrEnum):
    """Axis of the SPASER an indicator belongs to; the values are the French words shown."""

    SOCIAL = "social"
    ENVIRONMENTAL = "environnemental"
    RESPONSIBLE_ECONOMY = "économie responsable"
    GOVERNANCE = "gouvernance"

    @classmethod
    def parse(cls, text: str) -> Axis:
        axis = _AXIS_ALIASES.get(fold_cell(text))
        if axis is None:
            raise InvalidCatalogueValue(
                f"axe « {quoted_input(text)} » inconnu. Axes possibles : {', '.join(a.value for a in cls)}."
            )
        return axis


class ImprovementDirection(StrEnum):
    """Whether the indicator improves when it goes up (insertion hours) or down (emissions)."""

    UP = "hausse"
    DOWN = "baisse"

    @classmethod
    def parse(cls, text: str) -> ImprovementDirection:
        direction = _DIRECTION_ALIASES.get(fold_cell(text))
        if direction is None:
            raise InvalidCatalogueValue(f"sens « {quoted_input(text)} » inconnu : indiquez hausse ou baisse.")
        return direction


_AXIS_ALIASES = {
    "social": Axis.SOCIAL,
    "sociale": Axis.SOCIAL,
    "environnemental": Axis.ENVIRONMENTAL,
    "environnementale": Axis.ENVIRONMENTAL,
    "environnement": Axis.ENVIRONMENTAL,
    "ecologique": Axis.ENVIRONMENTAL,
    "economie responsable": Axis.RESPONSIBLE_ECONOMY,
    "economie": Axis.RESPONSIBLE_ECONOMY,
    "economique": Axis.RESPONSIBLE_ECONOMY,
    "economie responsable acces des pme": Axis.RESPONSIBLE_ECONOMY,
    "acces des pme": Axis.RESPONSIBLE_ECONOMY,
    "gouvernance": Axis.GOVERNANCE,
    "gouvernance et suivi": Axis.GOVERNANCE,
}
_DIRECTION_ALIASES = {
    "hausse": ImprovementDirection.UP,
    "augmentation": ImprovementDirection.UP,
    "augmenter": ImprovementDirection.UP,
    "baisse": ImprovementDirection.DOWN,
    "diminution": ImprovementDirection.DOWN,
    "diminuer": ImprovementDirection.DOWN,
}
@dataclass(frozen=True)
class RowProblem:
    """What is wrong in one row, with the column concerned (None when it spans several)."""

    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return upper_first(self.message)
        return f"Colonne « {self.column} » : {lower_first(self.message)}"


class InvalidCatalogueRow(DomainError):
    """A catalogue row with one or more wrong fields; `problems` lists them by column."""

    def __init__(self, problems: Iterable[RowProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(" ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class CatalogueRow:
    """One validated indicator of the catalogue; `line` is its line in the imported file."""

    code: str
    label: str
    axis: Axis
    unit: Unit
    directorates: tuple[str, ...]
    frequency: Frequency
    improvement: ImprovementDirection
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_year: int | None = None
    source: str = ""
    preexisting: bool = False
    active: bool = True
    definition: str = ""
    aggregation: AggregationRule | None = None
    """None: the unit's default (`AggregationRule.default_for`)."""
    weighting_base: str | None = None
    computation: Computation = Computation.REPORTED
    counted_noun: str = ""
    """What a count counts, singular (`unite_libelle`: « repas végétarien »; « travail|travaux » for an
    irregular plural): « 2 repas végétariens » rather than a bare « 2 ». Count indicators only."""
    legal_threshold: Decimal | None = None
    """A legal floor (`sens` hausse) or ceiling (baisse) the value must respect (`seuil_legal`):
    `domain.indicators.legal_limits`."""
    legal_basis: str = ""
    """The text that sets it, as cited after the limit (`base_legale`: « loi EGalim »); without a
    threshold, a legal obligation stated in words, shown under the indicator in the summary (« obligatoire
    pour les consultations engagées à compter du 21 août 2026 (loi Climat et résilience) »)."""
    line: int | None = field(default=None, compare=False)

    @property
    def aggregation_rule(self) -> AggregationRule:
        return self.aggregation or AggregationRule.default_for(self.unit)


def build_catalogue_row(
    fields: Mapping[str, str | None],
    *,
    known_directorates: Collection[str] | None = None,
    line: int | None = None,
) -> CatalogueRow:
    """Validate one row given as column → text (CSV line or chat answers) and build it.

    Raises `InvalidCatalogueRow` listing every problem of the row, each with its column.
    """
    values = {column: clean_cell(fields.get(column)) for column in CATALOGUE_COLUMNS}
    problems: list[RowProblem] = []

    def check(column: str, read: Callable[[str], _T]) -> _T | None:
        text = values[column]
        if not text:
            if column in REQUIRED_COLUMNS:
                problems.append(RowProblem(column, "valeur obligatoire manquante."))
            return None
        try:
            return read(text)
        except (InvalidCatalogueValue, InvalidUnit, InvalidPeriod, InvalidValue) as error:
            problems.append(RowProblem(column, error.message))
        except InvalidRule as error:
            problems.append(RowProblem(column, str(error)))
        return None

    code = check("code", read_code)
    label = check("libelle", lambda text: read_text(text, MAX_LABEL_LENGTH))
    axis = check("axe", Axis.parse)
    unit = check("unite", Unit.parse)
    directorates = check("directions", lambda text: read_directorates(text, known_directorates))
    frequency = check("frequence", Frequency.parse)
    improvement = check("sens", ImprovementDirection.parse)
    baseline = check("valeur_reference", lambda text: read_number(text, unit))
    target = check("cible", lambda text: read_number(text, unit))
    target_year = check("annee_cible", read_year)
    source = check("source", lambda text: read_text(text, MAX_SOURCE_LENGTH)) or ""
    preexisting = check("preexistant", read_yes_no)
    active = check("actif", read_yes_no)
    definition = check("definition", lambda text: read_text(text, MAX_DEFINITION_LENGTH)) or ""
    aggregation = check("agregation", AggregationRule.parse)
    weighting_base = check("base_ponderation", read_code)
    computation = check("calcul", Computation.parse) or Computation.REPORTED
    counted_noun = check("unite_libelle", read_counted_noun) or ""
    legal_threshold = check("seuil_legal", lambda text: read_number(text, unit))
    legal_basis = check("base_legale", lambda text: read_text(text, MAX_LEGAL_BASIS_LENGTH)) or ""
    if counted_noun and unit is not None and unit is not Unit.COUNT:
        problems.append(
            RowProblem(
                "unite_libelle",
                f"ce qui est compté ne se précise que pour un indicateur en nombre ; l’unité « {unit.value} » "
                "le dit déjà. Laissez la colonne vide.",
            )
        )

    if values["cible"] and not values["annee_cible"]:
        problems.append(RowProblem("annee_cible", "une cible doit avoir son année (par exemple 2030)."))
    if values["annee_cible"] and not values["cible"]:
        problems.append(RowProblem("cible", "une année cible est donnée sans cible."))
    if baseline is not None and target is not None and improvement is not None:
        if (improvement is ImprovementDirection.UP and target < baseline) or (
            improvement is ImprovementDirection.DOWN and target > baseline
        ):
            problems.append(
                RowProblem(
                    "cible",
                    f"la cible ({csv_number(target)}) va dans le mauvais sens par rapport à la valeur de "
                    f"référence ({csv_number(baseline)}) pour un indicateur à la {improvement.value}.",
                )
            )
    problems += _legal_problems(legal_threshold, target, improvement)
    problems += _rule_problems(code, unit, directorates, aggregation, weighting_base, computation)
    if problems:
        raise InvalidCatalogueRow(problems)
    return CatalogueRow(
        code=code,
        label=label,
        axis=axis,
        unit=unit,
        directorates=directorates,
        frequency=frequency,
        improvement=improvement,
        baseline=baseline,
        target=target,
        target_year=target_year,
        source=source,
        preexisting=preexisting if preexisting is not None else False,
        active=active if active is not None else True,
        definition=definition,
        aggregation=aggregation,
        weighting_base=weighting_base,
        computation=computation,
        counted_noun=counted_noun,
        legal_threshold=legal_threshold,
        legal_basis=legal_basis,
        line=line,
    )


def _legal_problems(
    threshold: Decimal | None, target: Decimal | None, improvement: ImprovementDirection | None
) -> list[RowProblem]:
    """A target never aims beyond the law (the law's text, `base_legale`, is optional: it is cited when given)."""
    if threshold is None or target is None or improvement is None:
        return []
    if improvement is ImprovementDirection.UP and target < threshold:
        return [RowProblem("cible", f"la cible ({csv_number(target)}) est sous le minimum légal ({csv_number(threshold)}).")]
    if improvement is ImprovementDirection.DOWN and target > threshold:
        return [RowProblem("cible", f"la cible ({csv_number(target)}) dépasse le maximum légal ({csv_number(threshold)}).")]
    return []


def _rule_problems(
    code: str | None,
    unit: Unit | None,
    directorates: tuple[str, ...] | None,
    aggregation: AggregationRule | None,
    weighting_base: str | None,
    computation: Computation,
) -> list[RowProblem]:
    """How the values are aggregated and computed must fit the indicator (the weighting base's
    existence is checked against the whole catalogue, at import)."""
    problems = []
    if aggregation is AggregationRule.WEIGHTED_MEAN and not weighting_base:
        problems.append(RowProblem("base_ponderation", "une moyenne pondérée a besoin de l’indicateur qui pondère (son code)."))
    if weighting_base and aggregation is not AggregationRule.WEIGHTED_MEAN:
        problems.append(RowProblem("base_ponderation", "une base de pondération ne sert qu’à une « moyenne pondérée »."))
    if weighting_base and code and weighting_base == code:
        problems.append(RowProblem("base_ponderation", "un indicateur ne peut pas se pondérer lui-même."))
    if aggregation is AggregationRule.SINGLE and directorates is not None and len(directorates) != 1:
        problems.append(RowProblem("agregation", "une « valeur unique » est renseignée par une seule direction."))
    if computation is not Computation.REPORTED and directorates is not None and len(directorates) != 1:
        problems.append(
            RowProblem(
                "directions",
                "un indicateur calculé depuis les DECP est une valeur de l’organisme : une seule direction, "
                "celle qui publie les données (par exemple la commande publique).",
            )
        )
    if unit is not None and unit not in computation.units:
        allowed = ", ".join(sorted(u.value for u in computation.units))
        problems.append(RowProblem("calcul", f"un indicateur calculé « {computation.value} » s’exprime en {allowed}."))
    return problems


def unknown_weighting_base(row: CatalogueRow, codes: Collection[str]) -> str | None:
    """The French problem when a weighted mean names an indicator the catalogue does not have."""
    if row.weighting_base and row.weighting_base not in codes:
        return f"l’indicateur de pondération {row.weighting_base} n’existe pas dans le catalogue."
    return None


def catalogue_row_fields(row: CatalogueRow) -> dict[str, str]:
    """A row as column → text, in the import format (also pre-fills an edit form)."""
    return {
        "code": row.code,
        "libelle": row.label,
        "axe": row.axis.value,
        "unite": row.unit.value,
        "directions": DIRECTORATE_SEPARATOR.join(row.directorates),
        "frequence": row.frequency.value,
        "valeur_reference": csv_number(row.baseline),
        "cible": csv_number(row.target),
        "annee_cible": "" if row.target_year is None else str(row.target_year),
        "sens": row.improvement.value,
        "source": row.source,
        "preexistant": "oui" if row.preexisting else "non",
        "actif": "oui" if row.active else "non",
        "definition": row.definition,
        "agregation": row.aggregation.value if row.aggregation else "",
        "base_ponderation": row.weighting_base or "",
        "calcul": row.computation.value,
        "unite_libelle": row.counted_noun,
        "seuil_legal": csv_number(row.legal_threshold),
        "base_legale": row.legal_basis,
    }


def catalogue_size_warning(active_count: int) -> str | None:
    """The founding text advises about thirty indicators: say so when the catalogue exceeds it."""
    if active_count <= RECOMMENDED_MAX_ACTIVE_INDICATORS:
        return None
    return (
        f"Attention : le catalogue compte {active_count} indicateurs actifs. Il est conseillé de s’en tenir "
        f"à une trentaine ({RECOMMENDED_MAX_ACTIVE_INDICATORS}) pour que le suivi reste faisable ; "
        "pensez à désactiver les moins utiles."
    )
