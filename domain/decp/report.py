"""What the lead reads about the DECP: the import report (card and text), where a computed figure
comes from, and the contracts notified without an environmental consideration since the law asks
for one. French wording only; the data comes from storage/decp."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from domain.cards import card, fact
from domain.clock import format_date_fr
from domain.decp.contracts import ENVIRONMENTAL_OBLIGATION_START, RefusalReason
from domain.decp.measures import NO_CONTRACT, PeriodFigure, in_value, is_share
from domain.decp.reader import RefusedRecord
from domain.indicators.aggregation import Computation
from domain.indicators.periods import Period
from domain.indicators.rules import MAX_COMMENT_LENGTH, IndicatorView, ValueView
from domain.indicators.units import Unit, format_number, format_value
from domain.text import directorates_text, excerpt, upper_first

CHANGES_SHOWN_PER_INDICATOR = 4
REFUSALS_SHOWN_PER_REASON = 5
CONTRACTS_LISTED = 30


def counted(number: int, singular: str, plural: str) -> str:
    """« 1 marché », « 12 345 marchés »: French digits, a real plural."""
    return f"{format_number(number)}\u00a0{singular if number < 2 else plural}"


def euros(amount: Decimal) -> str:
    return format_value(amount, Unit.EURO) + "\u00a0HT"


@dataclass(frozen=True)
class ImportSource:
    """One import of the DECP: the file, when, by whom, for which SIRETs."""

    id: int
    filename: str
    imported_at: datetime
    imported_by: str
    sirets: tuple[str, ...]

    @property
    def file_phrase(self) -> str:
        """« le fichier « decp.json », importé le lundi 30 novembre 2026 par Camille Martin »."""
        who = f" par {self.imported_by}" if self.imported_by else ""
        return f"le fichier « {self.filename} », importé le {format_date_fr(self.imported_at.date())}{who}"

    @property
    def described(self) -> str:
        return f"{self.file_phrase} (import\u00a0n°\u00a0{self.id})"


@dataclass(frozen=True)
class ValueChange:
    """A computed figure of this import next to the value it replaces (None: none before)."""

    indicator: IndicatorView
    figure: PeriodFigure
    previous: Decimal | None

    @property
    def line(self) -> str:
        period = self.figure.period.label
        if self.figure.value is None:
            return f"{period} : {NO_CONTRACT}"
        before = "nouvelle valeur" if self.previous is None else f"avant : {self.indicator.show(self.previous)}"
        return f"{period} : {self.indicator.show(self.figure.value)} ({before}) — {behind(self.indicator.computation, self.figure)}"


@dataclass(frozen=True)
class ImportReport:
    source: ImportSource
    records: int
    new: int
    updated: int
    unchanged: int
    merged: int
    refused_counts: dict[RefusalReason, int]
    refused: tuple[RefusedRecord, ...]
    changes: tuple[ValueChange, ...]
    computed_indicators: int
    unchanged_values: int = 0

    @property
    def kept(self) -> int:
        return self.new + self.updated + self.unchanged

    @property
    def refused_total(self) -> int:
        return sum(self.refused_counts.values())

    def summary_lines(self) -> list[str]:
        lines = [
            f"Marchés lus : {format_number(self.records)} ; retenus pour l’organisme : {format_number(self.kept)} "
            f"({counted(self.new, 'nouveau', 'nouveaux')}, {counted(self.updated, 'mis à jour', 'mis à jour')}, "
            f"{counted(self.unchanged, 'déjà connu', 'déjà connus')}) ; refusés : {format_number(self.refused_total)}.",
        ]
        if self.merged:
            lines.append(f"{counted(self.merged, 'ligne répétait', 'lignes répétaient')} un marché déjà lu : il compte une fois, dans son dernier état.")
        return lines

    def refusal_lines(self, shown_per_reason: int = REFUSALS_SHOWN_PER_REASON) -> list[str]:
        lines = []
        for reason, count in sorted(self.refused_counts.items(), key=lambda item: -item[1]):
            examples = [r for r in self.refused if r.reason is reason]
            shown = ", ".join(_refused_example(r) for r in examples[:shown_per_reason])
            more = count - min(len(examples), shown_per_reason)
            lines.append(f"{reason.value} : {format_number(count)} — {shown}{f' et {format_number(more)} autres' if more else ''}")
        return lines

    def value_lines(self) -> list[str]:
        if self.computed_indicators == 0:
            return [
                "Aucun indicateur du catalogue n’est calculé depuis les DECP : renseignez sa colonne « calcul » "
                "(par exemple decp:part-sociale-nombre) pour que ses valeurs le soient."
            ]
        by_code: dict[str, list[ValueChange]] = {}
        for change in self.changes:
            by_code.setdefault(change.indicator.code, []).append(change)
        if not by_code:
            return ["Aucune valeur nouvelle : les valeurs calculées sont inchangées."]
        lines = []
        for code, changes in sorted(by_code.items()):
            valued = [change for change in changes if change.figure.value is not None]
            empty = [change.figure.period.label for change in changes if change.figure.value is None]
            shown = valued[-CHANGES_SHOWN_PER_INDICATOR:]
            earlier = len(valued) - len(shown)
            lines.append(f"{code} {changes[0].indicator.label}")
            lines += [f"- {change.line}" for change in shown]
            if earlier:
                lines.append(f"- et {counted(earlier, 'période antérieure', 'périodes antérieures')}")
            if empty:
                lines.append(f"- {NO_CONTRACT} : {', '.join(empty)}")
        return lines

    def text(self, refusals_shown: int = REFUSALS_SHOWN_PER_REASON) -> str:
        """The report as plain text (command line)."""
        parts = [f"Import des DECP : {self.source.described}.", *self.summary_lines()]
        if self.refused_counts:
            parts += ["Refusés, par motif :", *(f"- {line}" for line in self.refusal_lines(refusals_shown))]
        parts += ["Valeurs calculées :", *self.value_lines()]
        return "\n".join(parts)


def _refused_example(record: RefusedRecord) -> str:
    label = record.reference + (f" ({excerpt(record.contract_id, 20)})" if record.contract_id else "")
    return label + (f" : {record.detail}" if record.detail else "")


def import_report_card(report: ImportReport) -> dict[str, Any]:
    body: list[dict] = [
        {"type": "TextBlock", "text": "Import des données essentielles (DECP)", "weight": "Bolder", "size": "Medium", "wrap": True},
        {"type": "TextBlock", "text": upper_first(report.source.described), "isSubtle": True, "wrap": True},
        {
            "type": "FactSet",
            "facts": [
                fact("Marchés lus", format_number(report.records)),
                fact("Retenus", f"{format_number(report.kept)} (nouveaux {report.new}, mis à jour {report.updated}, déjà connus {report.unchanged})"),
                fact("Lignes fusionnées", format_number(report.merged)),
                fact("Refusés", format_number(report.refused_total)),
            ],
        },
    ]
    if report.refused_counts:
        body.append({"type": "TextBlock", "text": "Refusés, par motif", "weight": "Bolder", "wrap": True})
        body += [{"type": "TextBlock", "text": f"- {line}", "wrap": True, "spacing": "None"} for line in report.refusal_lines()]
    body.append({"type": "TextBlock", "text": "Valeurs calculées", "weight": "Bolder", "wrap": True})
    body += [{"type": "TextBlock", "text": line, "wrap": True, "spacing": "None"} for line in report.value_lines()]
    return card(body)


def behind(computation: Computation, figure: PeriodFigure) -> str:
    """What a figure was computed from, in the indicator's own measure only: contracts for a number
    or a share in number (« 12 sur 30 marchés notifiés »), amounts for an amount or a share in value
    (« 1 200 000 € sur 3 000 000 € de marchés notifiés (montants HT) »), never a number of contracts
    behind an amount. « HT » is said once, after the amounts: written after each, « 260 100 € HT »
    differed from the indicator's value « 260 100 € » shown everywhere else."""
    notified = counted(figure.contracts, "marché notifié", "marchés notifiés")
    if not in_value(computation):
        if is_share(computation):
            return f"{format_number(figure.matching)} sur {notified}"
        return f"{counted(figure.matching, 'marché réservé', 'marchés réservés')} sur {notified}"
    matching, amount = format_value(figure.matching_amount, Unit.EURO), format_value(figure.amount, Unit.EURO)
    if is_share(computation):
        return f"{matching} sur {amount} de marchés notifiés (montants HT)"
    return f"{matching} de marchés réservés, sur {amount} de marchés notifiés au total (montants HT)"


def value_comment(computation: Computation, figure: PeriodFigure) -> str:
    """The comment recorded with a computed value: what it counts, and nothing else. Where it
    comes from is in the value's source columns (`domain.indicators.sources`), which write the
    « Calculé depuis les DECP : … ; source : … » that people read."""
    return behind(computation, figure)[:MAX_COMMENT_LENGTH]


@dataclass(frozen=True)
class Provenance:
    indicator: IndicatorView
    figure: PeriodFigure | None = None
    source: ImportSource | None = None
    empty_periods: tuple[Period, ...] = ()
    latest: tuple[ValueView, ...] = field(default_factory=tuple)


def provenance_text(provenance: Provenance) -> str:
    indicator = provenance.indicator
    head = f"{indicator.code} — {indicator.label}"
    if indicator.computation is Computation.REPORTED:
        lines = [head, f"Valeur saisie par {directorates_text(indicator.directorates)}."]
        if indicator.source:
            lines.append(f"Source indiquée au catalogue : {indicator.source}.")
        for value in provenance.latest:
            lines.append(
                f"Dernière saisie de la direction {value.directorate_code} : {value.shown} {value.period.in_sentence()}, par "
                f"{value.entered_by or 'une personne inconnue'} le {format_date_fr(value.entered_at.date())}."
            )
        if not provenance.latest:
            lines.append("Aucune valeur saisie pour l’instant.")
        return "\n".join(lines)
    lines = [head, f"Valeur calculée depuis les données essentielles de la commande publique (DECP) de l’organisme : {_definition(indicator.computation)}."]
    if provenance.figure is None or provenance.figure.value is None:
        lines.append("Aucune valeur calculée pour l’instant : importez les DECP de l’organisme (envoyez-moi le fichier JSON ou CSV).")
    else:
        figure = provenance.figure
        lines.append(f"Dernière valeur : {indicator.show(figure.value)} {figure.period.in_sentence()}, soit {behind(indicator.computation, figure)}.")
    if provenance.source is not None:
        sirets = ", ".join(provenance.source.sirets)
        lines.append(f"Source : {provenance.source.file_phrase} (import\u00a0n°\u00a0{provenance.source.id}, SIRET {sirets}).")
    if provenance.empty_periods:
        periods = ", ".join(p.label for p in provenance.empty_periods)
        lines.append(f"Sans valeur, faute de marché notifié : {periods}.")
    return "\n".join(lines)


_DEFINITIONS = {
    Computation.DECP_SOCIAL_COUNT: "part des marchés notifiés avec au moins une considération sociale (clause, critère ou marché réservé), en nombre",
    Computation.DECP_SOCIAL_AMOUNT: "part des marchés notifiés avec au moins une considération sociale (clause, critère ou marché réservé), en montant HT",
    Computation.DECP_ENVIRONMENTAL_COUNT: "part des marchés notifiés avec au moins une considération environnementale (clause ou critère), en nombre",
    Computation.DECP_ENVIRONMENTAL_AMOUNT: "part des marchés notifiés avec au moins une considération environnementale (clause ou critère), en montant HT",
    Computation.DECP_RESERVED_COUNT: "nombre de marchés réservés notifiés",
    Computation.DECP_RESERVED_AMOUNT: "montant HT des marchés réservés notifiés",
}


def _definition(computation: Computation) -> str:
    return _DEFINITIONS[computation]


@dataclass(frozen=True)
class ContractLine:
    contract_id: str
    object: str
    notified_on: date
    amount: Decimal


def missing_environmental_text(contracts: Sequence[ContractLine], total: int, since: date = ENVIRONMENTAL_OBLIGATION_START) -> str:
    start = format_date_fr(since)
    if total == 0:
        return (
            f"Aucun marché notifié à partir du {start} sans considération environnementale dans les DECP importées. "
            "La loi Climat et Résilience en demande une dans chaque marché dont la consultation est engagée à partir "
            "de cette date."
        )
    lines = [
        f"{counted(total, 'marché notifié', 'marchés notifiés')} à partir du {start} sans aucune considération "
        "environnementale. La loi Climat et Résilience en demande une dans chaque marché dont la consultation est "
        "engagée à partir de cette date : vérifiez la date d’engagement de la consultation de chacun, car un marché "
        "notifié depuis a pu être lancé avant."
    ]
    for line in contracts[:CONTRACTS_LISTED]:
        lines.append(
            f"- {excerpt(line.contract_id, 20)} — {excerpt(line.object, 90) or 'objet non renseigné'} "
            f"(notifié le {format_date_fr(line.notified_on)}, {euros(line.amount)})"
        )
    if total > CONTRACTS_LISTED:
        lines.append(f"… et {format_number(total - CONTRACTS_LISTED)} autres.")
    return "\n".join(lines)
