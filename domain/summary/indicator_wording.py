"""The words about one indicator of the summary: its value and period, target, path, trend and
progress, the same in the card, the chart, the reports and the chat answers.

Titles, counts, completeness and the reading rules are put together in domain/summary/wording.py;
where the value stands against its trajectory, and the value it expects, in
domain/summary/trajectory_wording.py.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from domain.committees.cadence import committee_kind_in
from domain.indicators import targets
from domain.indicators.aggregation import AggregationRule
from domain.indicators.catalogue import ImprovementDirection
from domain.indicators.legal_limits import printed_basis
from domain.indicators.periods import Frequency
from domain.indicators.sources import is_computed
from domain.indicators.units import Unit, format_value
from domain.summary.legal_path import in_force_text
from domain.summary.model import IndicatorLine, Status, TrendDirection
from domain.summary.trajectory_wording import expected_text, path_text
from domain.text import (
    NO_BREAK_SPACE,
    agreed,
    as_sentence,
    counted,
    directorates_text,
    fold,
    lower_first,
    plural_of,
    upper_first,
)


def value_text(line: IndicatorLine, *, aggregated: bool = False) -> str:
    """« 1 234 heures au 3ᵉ trimestre 2026 (d’après 4 des 5 directions concernées) », « dernière valeur :
    48 200 tonnes équivalent CO₂ en 2024 ; l’année 2025 reste à saisir » or « aucune valeur saisie »: a value
    never goes without its period, written as a French sentence says it (`Period.in_sentence`).
    `aggregated`: how the directorates' values make it, where nothing else says so (the card: « 84
    personnes au 1er semestre 2026 (total des directions) », reader 9, A7)."""
    if line.latest_value is None or line.latest_period is None:
        text = "aucune valeur saisie"
    else:
        value, pending = _value_and_pending(line, aggregated=aggregated)
        if line.is_stale:
            text = f"dernière valeur : {value} ; {pending}"
        else:
            text = f"{value} ; {pending}" if pending else value
    if line.unweighted:
        text += f" ; {unweighted_text(line)}"
    return text


def _value_and_pending(line: IndicatorLine, *, aggregated: bool = False) -> tuple[str, str]:
    """The value with its period (« 32,7 jours au 2ᵉ trimestre 2026 ») and what is still awaited
    (« le 3ᵉ trimestre 2026 reste à saisir », « pour le 1er semestre 2026, 1 des 2 directions
    concernées a répondu »), or "" when nothing is: apart, so that what is said of the value (« au-dessus
    du maximum légal… ») goes next to it."""
    value = f"{shown_value(line)} {line.latest_period.in_sentence()}"
    if line.is_partial:
        value += f" (d’après {_out_of(line.reporting_count, line.responsible_count)})"
    elif aggregated and line.responsible_count > 1 and line.aggregation is not AggregationRule.SINGLE:
        value += f" ({aggregation_sentence(line)})"
    pending = ""
    if line.is_stale:
        due = line.due_period.with_article()
        if line.pending_period == line.due_period:
            pending = f"pour {due}, {_answered(line.pending_count, line.responsible_count)}"
        else:
            pending = f"{due} reste à saisir"
    elif line.pending_period is not None:
        pending = f"pour {line.pending_period.with_article()}, {_answered(line.pending_count, line.responsible_count)}"
    return value, pending


def shown_value(line: IndicatorLine) -> str:
    """The latest value with its unit; a mean of the directorates' values to one decimal place
    (« 31,9 % », not « 31,85 % »: the directorates typed one)."""
    return line.show(shown_number(line.latest_value, line.aggregation))


def shown_number(value: Decimal, aggregation: AggregationRule) -> Decimal:
    """The number `shown_value` writes: a mean to one decimal place, any other value as it is; the
    public page shows the same figure as the card and the report."""
    if aggregation in (AggregationRule.MEAN, AggregationRule.WEIGHTED_MEAN) and value.as_tuple().exponent < -1:
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return value


def _out_of(count: int, total: int) -> str:
    """« 1 des 2 directions concernées », « 4 des 5 directions concernées »: « 1 direction sur 2 »
    read as « half of the directorates » (reader 7, B36)."""
    if count == 0:
        return f"aucune des {counted(total, 'direction concernée', 'directions concernées')}"
    return f"{count} des {counted(total, 'direction concernée', 'directions concernées')}"


def _answered(count: int, total: int) -> str:
    """« 1 des 2 directions concernées a répondu », « 2 des 5 directions concernées ont répondu »."""
    if count == 0:
        return f"{_out_of(count, total)} n’a répondu"
    return f"{_out_of(count, total)} {agreed(count, 'a répondu', 'ont répondu')}"


def unweighted_text(line: IndicatorLine) -> str:
    """« la direction DPB n’est pas comptée (sans valeur pour l’indicateur de pondération IND-23) »."""
    codes = list(line.unweighted)
    verb = agreed(len(codes), "n’est pas comptée", "ne sont pas comptées")
    return (
        f"{directorates_text(codes)} {verb} (sans valeur pour l’indicateur de pondération "
        f"{line.snapshot.weighting_base})"
    )


def aggregation_text(line: IndicatorLine) -> str:
    """How the directorates' values make the indicator's: « somme des directions », « moyenne des
    directions pondérée par les kilomètres parcourus par les véhicules de service (IND-23) »: the
    base named in words, its code after it."""
    rule = line.aggregation
    if rule is AggregationRule.SINGLE:
        return "valeur unique de l’organisme"
    if rule is AggregationRule.WEIGHTED_MEAN:
        text = f"moyenne des directions pondérée par {weighting_text(line)}"
    else:
        text = "somme des directions" if rule is AggregationRule.SUM else "moyenne des directions"
    # The catalogue's rule, even when one directorate reports: « somme des directions » next to « 1/1 » read
    # as a contradiction beside the « valeur unique » of other one-directorate indicators (reader 15, m20).
    return f"{text} (1 direction concernée)" if line.responsible_count == 1 else text


def aggregation_sentence(line: IndicatorLine) -> str:
    """« ensemble des directions », « moyenne pondérée des directions »: how the directorates' values
    make the indicator's, short under the value (« valeur de l’organisme : somme des directions » read
    as jargon, « total des directions » as a number of directorates, reader 9); the weighting base is
    named in the reading rules (`reading_rules.rules_items`)."""
    rule = line.aggregation
    if rule is AggregationRule.SINGLE:
        return "une seule valeur pour l’organisme, non additionnée entre directions"
    if rule is AggregationRule.WEIGHTED_MEAN:
        return "moyenne pondérée des directions"
    return "ensemble des directions" if rule is AggregationRule.SUM else "moyenne des directions"


def weighting_text(line: IndicatorLine) -> str:
    """« les kilomètres parcourus par les véhicules de service (IND-23) » when the label starts with
    a plural noun, « l’indicateur « Nombre de marchés » (IND-05) » otherwise."""
    code = line.snapshot.weighting_base
    label = line.weighting_label.strip()
    if not label:
        return f"l’indicateur {code}"
    first = lower_first(label).split(" ")[0]
    if first.endswith(("s", "x")) and plural_of(first) == first:
        return f"les {lower_first(label)} ({code})"
    return f"l’indicateur « {label} » ({code})"


def late_text(line: IndicatorLine) -> str:
    """« 1 270 tonnes en 2025, en deçà de la trajectoire, qui prévoit 1 400 tonnes (cible : 2 000 tonnes
    en 2030) »: where a late indicator stands against its path and its target, the same words as the
    card's line (`detail_text`) without the trend."""
    return judged_text(line)


def judged_text(line: IndicatorLine, *, aggregated: bool = False, cited: bool = False) -> str:
    """The value, where it stands against its path and the target, in one sentence: « 10,1 % en 2025,
    en deçà de la trajectoire, qui prévoit 16,5 % (cible : 25 % en 2028) », « 2 repas végétariens par
    semaine au 3ᵉ trimestre 2026, cible de 2 en 2027 atteinte ». One kind of figure: « 12 % du chemin
    parcouru vers la cible » next to two values read as a third value. `aggregated`: see `value_text`;
    `cited`: a value outside the law names the text that sets the limit (the card, whose badge no longer does)."""
    if line.status is Status.OUTSIDE_LEGAL_LIMIT and line.snapshot.legal_limit is not None:
        return _outside_law_text(line, aggregated=aggregated, cited=cited)
    text = value_text(line, aggregated=aggregated)
    joint = f"{NO_BREAK_SPACE};" if ";" in text else ","
    if line.snapshot.target is None:
        # « · sans cible » next to the badge « Sans cible » said it twice in a row (reader 14, minor 19).
        return text
    if line.target_note is not None or line.is_stale:
        return f"{text} · {target_text(line)}"
    if line.progress_percent is not None and line.progress_percent >= 100:
        reached = "dépassée" if line.progress_percent > 100 else "atteinte"
        return f"{text}{joint} {_target_named(line)} {reached}"
    path = path_text(line)
    if not path:
        return f"{text}, {target_text(line, joined_to_value=True)}"
    target = f"{target_label(line)}{NO_BREAK_SPACE}: {target_figure(line)}"
    if path.endswith(")"):
        # « …, écart inférieur à la marge admise (1 % de la cible, soit 4 000 €) · cible : 400 000 € »: no
        # second bracket, and « cible » not twice in one (reader 14, minor 18).
        return f"{text}{joint} {path} · {target}"
    return f"{text}{joint} {path} ({target})"


def _outside_law_text(line: IndicatorLine, *, aggregated: bool = False, cited: bool = False) -> str:
    """A value outside the law, the breach next to the value, since when the limit applies when known
    (reader 10, B3: « déjà applicable » dangled), then the target: « 48,7 % au 1er semestre 2026, sous
    le minimum légal de 50 % (en vigueur depuis le 1er janvier 2022) · cible : 60 % en 2028 ». When the
    SPASER's own path breaks the law, that is said once, in the decision (reader 10, A1); otherwise
    the value is behind a lawful path. A last known value says what is awaited (reader 9, A3)."""
    limit = line.snapshot.legal_limit
    value, pending = _value_and_pending(line, aggregated=aggregated)
    breach = limit.breach_text(line.unit, line.snapshot.counted_noun, cited=False)
    unlawful_path = line.expected_value is not None and not line.is_stale and limit.broken_by(line.expected_value)
    sources = in_force_text(limit)
    if cited and limit.basis:
        # « (loi EGalim, en vigueur depuis le 1er janvier 2022) »: on the card the badge is « ⚠ Non conforme »
        # alone; with the law it wrapped inside its parenthesis (reader 15), as the report's column did.
        sources = f" ({', '.join(part for part in (printed_basis(limit.basis), limit.in_force) if part)})"
    text = _with_awaited(line, f"{value}, {breach}{sources}", pending)
    target = ""
    if line.snapshot.target is not None:
        # Every line says its target, a last known value's too, and a target equal to the limit
        # (issue 17: IND-11's « cible : 30 jours en 2027 » alone was missing from the card).
        target = f"{target_label(line)}{NO_BREAK_SPACE}: {target_figure(line)}"
    if line.is_stale or line.expected_value is None:
        return f"{text} · {target}" if target else text
    if unlawful_path:
        # The SPASER's own path is in the decision « Se mettre en conformité avec la loi » (reader 10,
        # A1: said word for word in the decision and here); the target alone stays.
        return f"{text} · {target}" if target else text
    below = "en deçà" if limit.is_floor else "au-dessus"
    return f"{text} ; {below} de la trajectoire, qui prévoit {expected_text(line)}" + (f" ({target})" if target else "")


def target_label(line: IndicatorLine) -> str:
    """« cible », for every indicator: every target is the SPASER's (reader 10, C9: « cible fixée par
    le SPASER » on the committees alone suggested the others were not)."""
    return "cible"


def counts_committees(line: IndicatorLine) -> bool:
    """A count whose label names a committee (« Comités techniques SPASER tenus dans l’année »)."""
    label = fold(line.label)
    return line.unit is Unit.COUNT and "comit" in label and committee_kind_in(label) is not None


def target_figure(line: IndicatorLine) -> str:
    """« 25 % en 2028 », « 20 000 heures par trimestre en 2028 », « 4 comités techniques en 2026 »: a
    target in the same words wherever it is read: the report's column, the card's line, the cadence
    alert, the catalogue and the public page (`domain.indicators.targets.target_figure_text`). « 4 par
    an en 2026 » on the card next to « 4 comités techniques en 2026 » in the report read as two targets
    (issue 17); a count says what it counts, like its value (« 3 comités techniques en 2024 »)."""
    snapshot = line.snapshot
    return f"{line.show(snapshot.target)}{per_period_text(line)} en {snapshot.target_year}"


def _target_named(line: IndicatorLine) -> str:
    """« cible de 30 % en 2028 »; a count with its short noun, no figure without a unit (reader 10, B9:
    « cible de 2 en 2027 atteinte »), and without repeating the value's adjectives right after it (C55):
    « 2 repas végétariens par semaine en 2025, cible de 2 repas par semaine en 2028 atteinte »."""
    noun = _short_noun(line.snapshot.counted_noun)
    if line.unit is not Unit.COUNT or not noun:
        return f"{target_label(line)} de {target_figure(line)}"
    snapshot = line.snapshot
    per = targets.per_period_text(line.unit, snapshot.frequency, noun)
    return f"{target_label(line)} de {format_value(snapshot.target, line.unit, noun)}{per} en {snapshot.target_year}"


def _short_noun(noun: str) -> str:
    """« repas par semaine » for « repas végétarien par semaine », « marché » for « marché réservé »:
    the head noun and its rate, the adjectives being in the value just before."""
    words = noun.split()
    if not words:
        return ""
    rate = words.index("par") if "par" in words[1:] else len(words)
    return " ".join([words[0], *words[rate:]])


def target_text(line: IndicatorLine, *, joined_to_value: bool = False) -> str:
    """« cible : 40 % en 2026 », or after a value « pour une cible de 40 % en 2026 »."""
    snapshot = line.snapshot
    if snapshot.target is None:
        return "sans cible"
    target = target_figure(line)
    if line.target_note:
        return f"{line.target_note} ({target})"
    if joined_to_value:
        return f"pour une cible de {target}"
    text = f"{target_label(line)} : {target}"
    limit = snapshot.legal_limit
    if line.status is Status.OUTSIDE_LEGAL_LIMIT and limit is not None:
        # The law first: « cible : 30 jours en 2027 » alone read as a delay until 2027 (reader 9, A5); the
        # text that sets the limit here, where the column is wide enough, not in the status badge, which
        # wrapped on six lines of the PDF's narrow status column (issue 17).
        sources = ", ".join(part for part in (printed_basis(limit.basis), limit.in_force) if part)
        cited = f" ({sources})" if sources else ""
        text = f"{limit.limit_text(line.unit, snapshot.counted_noun, cited=False)}{cited} ; {text}"
    return text


def reference_text(line: IndicatorLine, *, with_side: bool = True) -> str:
    """Where the path to the target starts, so that the status and the progress can be redone (reader
    15, B1): « référence du catalogue : 25 %, trajectoire depuis la fin du 1er trimestre 2024 » (a
    declared baseline, never dated by a period whose measure differs), or without one « référence :
    18,6 % au 1er trimestre 2024 (première valeur) »; « , valeur actuelle en deçà de la référence » when
    the progress is negative (the XLSX's « Avancement (%) » and the public page give the same negative
    figure; `with_side` False leaves it to a progress cell next to it). Empty without a path."""
    if line.reference is None:
        return ""
    baseline, start = line.reference
    shown = line.show(shown_number(baseline, line.aggregation))
    if line.snapshot.baseline is not None:
        of_start = f"de l’{start.label}" if start.frequency is Frequency.ANNUAL else f"du {start.label}"
        text = f"référence du catalogue : {shown}, trajectoire depuis la fin {of_start}"
    else:
        text = f"référence : {shown} {start.in_sentence()} (première valeur)"
    if with_side and line.progress_percent is not None and line.progress_percent < 0:
        text += f", {below_reference_text(line.snapshot.direction)}"
    return text


def below_reference_text(direction: ImprovementDirection) -> str:
    """« valeur actuelle en deçà de la référence » (« au-dessus » for an indicator meant to go down): a
    negative progress, said the same way in the report and on the public page (reader 15, m6)."""
    side = "au-dessus" if direction is ImprovementDirection.DOWN else "en deçà"
    return f"valeur actuelle {side} de la référence"


def per_period_text(line: IndicatorLine) -> str:
    """« par trimestre » after the target of a quarterly amount (`domain.indicators.targets`)."""
    snapshot = line.snapshot
    return targets.per_period_text(line.unit, snapshot.frequency, snapshot.counted_noun)


def trend_text(line: IndicatorLine, *, with_period: bool = True) -> str:
    """« ↑ en hausse depuis le 2ᵉ trimestre 2026, dans le bon sens »: which way the value went and,
    for an indicator with a target, whether that is the way of the objective (« à l’inverse de
    l’objectif »); without a target, the way only. The status says whether the pace is enough."""
    trend = line.trend
    if trend is None or line.is_stale:
        # Reader 7, C47: « Non renseigné » next to « ↑ en hausse, dans le bon sens » told of an old change.
        return ""
    if trend.direction is TrendDirection.FLAT:
        way = "stable"
    else:
        way = "en hausse" if trend.direction is TrendDirection.UP else "en baisse"
    text = f"{trend.direction.value}\u00a0{way}"
    if with_period:
        previous = trend.previous_period
        since = str(previous.year) if previous.frequency is Frequency.ANNUAL else previous.with_article()
        text = f"{text} depuis {since}"
    limit = line.snapshot.legal_limit
    if trend.improved is not None and line.status is Status.OUTSIDE_LEGAL_LIMIT and limit is not None:
        # Reader 8: « dans le bon sens » alone next to « Sous le minimum légal » reassured about a
        # breach; reader 9, B4: « ↓ en baisse » alone read as worse for a payment delay.
        # Reader 11, B16: « mais encore au-dessus du maximum légal » repeated the value's « au-dessus du maximum
        # légal de 30 jours » on the same line.
        text += ", dans le bon sens, mais pas encore conforme" if trend.improved else ", à l’inverse de l’objectif"
    elif trend.improved is not None and line.snapshot.target is not None:
        if trend.improved and line.status is Status.LATE:
            # « dans le bon sens » next to « En retard » read as a contradiction.
            text += ", mais trop lentement"
        elif trend.improved:
            text += ", dans le bon sens"
        elif line.status is Status.ON_TRACK:
            # « à l’inverse de l’objectif » next to « En bonne voie » read as a contradiction; « toujours
            # sur la trajectoire » was false for a value just behind it (within the tolerance).
            text += ", mais toujours en bonne voie"
        elif line.status is Status.ACHIEVED:
            text += ", mais la cible reste atteinte"
        else:
            text += ", à l’inverse de l’objectif"
    return text


def detail_text(line: IndicatorLine, *, compact: bool = False) -> str:
    """The grey line under an indicator (compact: for the card): « 19,4 % au 2ᵉ trimestre 2026, en
    deçà de la trajectoire, qui prévoit 21,4 % (cible : 38 % en 2026) · ↑ en hausse »; a line of its
    own, so it starts with a capital (reader 9, B6: « dernière valeur : … » under the title). The card
    says how several directorates' values make the indicator's, as the report does (reader 9, A7)."""
    parts = [judged_text(line, aggregated=compact, cited=compact), trend_text(line, with_period=not compact)]
    return upper_first(" · ".join(part for part in parts if part))


def percent_text(value: float) -> str:
    """« 12 % », « −3 % »: a share rounded to a whole percent."""
    return f"{round(value):d}\u00a0%".replace("-", "−")


def legal_text(line: IndicatorLine) -> str:
    """« 42 % au 2ᵉ semestre 2026, sous le minimum légal de 50 % (loi EGalim) »; on a last known value,
    the breach next to it and what is awaited after: « dernière valeur : 32,7 jours au 2ᵉ trimestre
    2026, au-dessus du maximum légal de 30 jours (…) ; le 3ᵉ trimestre 2026 reste à saisir » (reader 9,
    A3). What breaking the limit costs follows, when the law says (`LegalLimit.consequence`)."""
    if line.latest_value is None or line.latest_period is None:
        return f"{value_text(line)}, {line.legal_breach}"
    value, pending = _value_and_pending(line)
    text = _with_awaited(line, f"{value}, {line.legal_breach}", pending)
    consequence = line.snapshot.legal_limit.consequence if line.snapshot.legal_limit else None
    return f"{text}. {consequence}" if consequence else text


def legal_notes(line: IndicatorLine) -> list[str]:
    """Short sentences about the law under an indicator: an obligation the catalogue states in words
    (`IndicatorSnapshot.legal_note`: « Obligatoire pour les consultations engagées à compter du 21 août 2026
    (loi Climat et résilience). », reader 9, A2), and for a value outside a limit what breaking it
    costs (reader 9, C16). Neither changes the status: a share of contracts mixes older consultations."""
    notes = []
    if line.snapshot.legal_note:
        notes.append(as_sentence(upper_first(line.snapshot.legal_note)))
    notes += _share_scope(line)
    limit = line.snapshot.legal_limit
    if line.status is Status.OUTSIDE_LEGAL_LIMIT and limit is not None and limit.consequence:
        notes.append(limit.consequence)
    return notes


_FROM_A_DATE = re.compile(r"\b(?:lance|engage)\w* (?:depuis|a partir|a compter)")
_THE_DATE = re.compile(r"(?:depuis|à partir du|à compter du)\s+(?:le\s+)?(\d{1,2}(?:er)?\s+\w+\s+\d{4})")


def _the_date(line: IndicatorLine) -> str:
    """« le 21 août 2026 », the date of the obligation in the catalogue's note, written out where the
    note is on another line (reader 15, minor 16: « avant cette date » sent the reader looking)."""
    found = _THE_DATE.search(line.snapshot.legal_note or "")
    return f"le {found.group(1)}" if found else "cette date"


def _earlier_consultations(line: IndicatorLine) -> str:
    return f"y compris ceux dont la consultation a été engagée avant {_the_date(line)}"


def _share_scope(line: IndicatorLine) -> list[str]:
    """« La part de 87,6 % porte sur les 52 marchés notifiés recensés dans les DECP, y compris ceux dont
    la consultation a été engagée avant le 21 août 2026. »: under an obligation for the consultations engaged
    from a date, a share of every contract notified read as « a third of them break the law » or « all
    is well » next to « En bonne voie » (reader 10, A5); computed from the DECP, on how many (issue 17),
    for every share so computed, with an obligation or not (reader 12, A6). A typed share is the
    directorate's (« Valeur saisie par la direction DCP pour ses marchés notifiés au 3ᵉ trimestre 2026,
    y compris… »): « porte sur tous les marchés notifiés » read as the same 52 contracts as the DECP's
    share, which 64,5 % cannot be a count of (reader 14, minor 2). A market is not « lancé », its
    consultation is engaged (reader 14, minor 16)."""
    if line.unit is not Unit.PERCENT or line.latest_value is None or line.is_stale:
        return []
    if "marches notifies" not in fold(line.label):
        return []
    from_a_date = bool(line.snapshot.legal_note) and bool(_FROM_A_DATE.search(fold(line.snapshot.legal_note)))
    contracts = line.computed_contracts
    if contracts is not None:
        if contracts == 1:
            text = f"La part de {shown_value(line)} porte sur 1 marché notifié recensé dans les DECP"
            if from_a_date:
                text += f", que sa consultation ait été engagée avant ou après {_the_date(line)}"
        else:
            notified = counted(contracts, "marché notifié", "marchés notifiés")
            text = f"La part de {shown_value(line)} porte sur les {notified} recensés dans les DECP"
            if from_a_date:
                text += f", {_earlier_consultations(line)}"
        return [f"{text}."]
    if not from_a_date:
        return []
    shown = [item for item in line.latest_by_directorate if item.period == line.latest_period]
    typed = sorted({item.directorate for item in shown})
    if not typed or any(is_computed(item.source) for item in shown):
        return [f"La part de {shown_value(line)} porte sur tous les marchés notifiés, {_earlier_consultations(line)}."]
    whose = "ses" if len(typed) == 1 else "leurs"
    return [
        f"Valeur saisie par {directorates_text(typed)} pour {whose} marchés notifiés "
        f"{line.latest_period.in_sentence()}, {_earlier_consultations(line)}."
    ]


def _with_awaited(line: IndicatorLine, text: str, pending: str) -> str:
    """`text` marked « dernière valeur » when stale, then what is awaited and how it was combined."""
    if line.is_stale:
        text = f"dernière valeur : {text}"
    if pending:
        text += f" ; {pending}"
    if line.unweighted:
        text += f" ; {unweighted_text(line)}"
    return text
