"""The French sentences of the summary, shared by the card, the chart and the reports: titles,
counts and completeness; the reading rules are in domain/summary/reading_rules.py, one indicator's
value, target and trend in domain/summary/indicator_wording.py.

One place for the wording keeps the exported report identical to the card the élu·es saw.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from domain.clock import DEFAULT_TIMEZONE, format_date_fr, format_datetime_fr, format_day_fr, format_time_fr
from domain.indicators.periods import Period
from domain.outbox import Seen
from domain.summary.indicator_wording import percent_text
from domain.summary.model import (
    DirectorateCompleteness,
    IndicatorLine,
    MeetingLike,
    Status,
    Summary,
    counted_statuses,
)
from domain.text import (
    NO_BREAK_SPACE,
    agreed,
    counted,
    counted_in_words,
    excerpt,
    joined,
    listed_names,
    lower_first,
    upper_first,
)

TITLE = "Synthèse SPASER"
ALL_DIRECTORATES = "Toutes les directions"

_STATUS_PLURALS = {
    Status.ACHIEVED: ("atteint", "atteints"),
    Status.ON_TRACK: ("en bonne voie", "en bonne voie"),
    Status.LATE: ("en retard", "en retard"),
    Status.NOT_REPORTED: ("non renseigné", "non renseignés"),
    Status.NO_TARGET: ("sans cible", "sans cible"),
    Status.OUTSIDE_LEGAL_LIMIT: ("non conforme à la loi", "non conformes à la loi"),
}


def status_title(status: Status) -> str:
    """« En bonne voie »: the status as a column heading or badge."""
    return upper_first(status.value)


def line_status_title(line: IndicatorLine) -> str:
    """An indicator's badge: its status, or « Non conforme » for a value the law forbids, never « En
    bonne voie »; the limit, its value and the law are in the line next to it (reader 10, A1: the
    badge repeated « sous le minimum légal de 50 % » of that line). « Dernière valeur connue non
    conforme (…) » when the period due is not reported (reader 9, A3)."""
    limit = line.snapshot.legal_limit
    if line.legal_breach and limit is not None:
        # The law is in the line's text (`indicator_wording.judged_text`, `cited`): in the badge,
        # « (loi / EGalim) » wrapped inside its parenthesis and the code de la commande publique's
        # article took three lines (reader 15).
        return "Dernière valeur connue non conforme" if line.is_stale else "Non conforme"
    return upper_first(line.status.value)


REPORT_STALE_BREACH = "(dernière valeur)"
"""Under « Non conforme » in a report's status column when the period due is not reported: the value
cell next to it starts with « Dernière valeur : »."""


def report_status_lines(line: IndicatorLine) -> tuple[str, ...]:
    """An indicator's status in a report's table column: « Non conforme » for a value the law forbids,
    « (dernière valeur) » under it for a last known value; the text that sets the limit is in the
    target column (`indicator_wording.target_text`). The card's badge (`line_status_title`) cites it;
    in the report's column it wrapped on six lines of the PDF and ran past the HTML table (issue 17)."""
    if line.legal_breach and line.snapshot.legal_limit is not None:
        return ("Non conforme", REPORT_STALE_BREACH) if line.is_stale else ("Non conforme",)
    return (upper_first(line.status.value),)


def status_count_label(status: Status, count: int) -> str:
    singular, plural = _STATUS_PLURALS[status]
    return singular if count <= 1 else plural


def tile_label(status: Status, count: int) -> str:
    """The word under a counter: « non conformes » without « à la loi », which the sentence under the
    counters says (reader 11, C29: three lines for one tile, one or two for its neighbours)."""
    if status is Status.OUTSIDE_LEGAL_LIMIT:
        return "non conforme" if count <= 1 else "non conformes"
    return status_count_label(status, count)


NAMED_REST = 3
"""Up to this many indicators left out of a list are named rather than counted: « IND-05 (Repas
bio) et IND-07 (Clauses sociales) » says what « 2 autres indicateurs » hides."""
SHORT_LABEL_CHARACTERS = 90


_ASIDES = re.compile(r"\s*\([^)]*\)")


def short_title(line: IndicatorLine) -> str:
    """« Nombre de marchés réservés » for « Nombre de marchés réservés (articles L. 2113-12 et
    L. 2113-13) »: the label without its bracketed asides, the one title the card, the chart and the
    report give an indicator (the chart once dropped them alone, and a title in brackets nested them)."""
    return " ".join(_ASIDES.sub("", line.label).split()) or line.label


def short_name(line: IndicatorLine) -> str:
    """« part des achats auprès des structures… (IND-05) »: enough of its title to recognise it, then
    its code, as in a sentence (`meaning_first`; reader 14, minor 13: « IND-12 (Déchets de chantier
    valorisés) » put a capital mid-sentence, and the decisions above wrote the same names in lower case)."""
    return f"{lower_first(excerpt(short_title(line), SHORT_LABEL_CHARACTERS))} ({line.code})"


def meaning_first(line: IndicatorLine, aside: str = "") -> str:
    """« part des produits durables et de qualité dans la restauration collective (IND-09) »: what
    the indicator measures, then its code, for a sentence that asks something of it (a decision, the
    report's opening); `aside` goes after the code (« (IND-05, cible 2025) »)."""
    return f"{lower_first(short_title(line))} ({line.code}{f', {aside}' if aside else ''})"


def legal_alert_text(summary: Summary) -> str | None:
    """« Deux indicateurs ne sont pas conformes à la loi : part des produits durables et de qualité
    dans la restauration collective (IND-09) et délai global de paiement des fournisseurs (IND-11,
    d’après sa dernière valeur connue, au 2ᵉ trimestre 2026). »: the sentence an élu·e reads first on
    the report (reader 9), the breach itself in the decision « Se mettre en conformité avec la loi »
    below; a breach judged on an older value says so (reader 14, minor 5: only the small print did);
    None when every value is lawful."""
    unlawful = [line for line in summary.lines if line.status is Status.OUTSIDE_LEGAL_LIMIT]
    if not unlawful:
        return None
    verb = agreed(len(unlawful), "n’est pas conforme à la loi", "ne sont pas conformes à la loi")
    named = joined([meaning_first(line, _last_known(line)) for line in unlawful])
    return f"{counted_in_words(len(unlawful), 'indicateur')} {verb} : {named}."


def _last_known(line: IndicatorLine) -> str:
    """« d’après sa dernière valeur connue, au 2ᵉ trimestre 2026 » for a value older than the period due."""
    if not line.is_stale or line.latest_period is None:
        return ""
    return f"d’après sa dernière valeur connue, {line.latest_period.in_sentence()}"


def rest_is_named(count: int) -> bool:
    return 0 < count <= NAMED_REST


def indicator_count(count: int) -> str:
    return f"{count} indicateur" + ("s" if count > 1 else "")


def produced_text(summary: Summary, produced_at: datetime | None, timezone: ZoneInfo | str = DEFAULT_TIMEZONE) -> str:
    """« Document produit le dimanche 6 décembre 2026 à 10 h 57, avec les chiffres connus à cette
    heure. »: the moment in the organisation's time zone, given by the service that renders (the
    values change during the day; reader 7, B26). Without it, the summary's day."""
    if produced_at is None:
        return f"Document produit le {format_date_fr(summary.today)}."
    return f"Document produit le {format_datetime_fr(produced_at, timezone)}, avec les chiffres connus à cette heure."


def scope_text(summary: Summary, *, with_organisation: bool = True) -> str:
    """« Ville de Lyon · Direction de la commande publique (DCP) · axe social · au lundi 30 novembre 2026 »."""
    parts = []
    if with_organisation and summary.organisation.name:
        parts.append(summary.organisation.name)
    if summary.viewed_directorate:
        parts.append(summary.directorate_title(summary.viewed_directorate))
    else:
        parts.append(ALL_DIRECTORATES)
    if summary.axis_filter is not None:
        parts.append(f"axe {summary.axis_filter.value}")
    parts.append(f"au {format_day_fr(summary.today)}")  # a situation at a date: no weekday
    return " · ".join(parts)


def headline_text(summary: Summary) -> str:
    """The sentence that opens the report's first page, the card's overview in the same words and
    order (reader 9, B13: the PDF said « dont » and put the breaches in the middle): « Vingt-quatre
    indicateurs : 2 non conformes à la loi, 4 en retard… », or « Trois indicateurs, tous atteints. »."""
    return overview_text(summary)


def preview_text(summary: Summary) -> str:
    """The same counts for a notification preview or a text-only client, where they follow a colon
    (« Synthèse SPASER avant le comité… : 24 indicateurs, dont 2 hors limite légale… »): no second colon."""
    single = _single_status_text(summary, opening=False) if summary.lines else None
    if single:
        return _with_awaited(single, summary)
    if not summary.lines:
        return overview_text(summary)
    return _with_awaited(f"{indicator_count(len(summary.lines))}, dont {joined(count_parts(summary))}.", summary)


def _single_status_text(summary: Summary, *, opening: bool = True) -> str | None:
    """« Trois indicateurs, tous atteints. », « Un indicateur non conforme à la loi. » when one count
    says it all; « 3 indicateurs, tous atteints. » after a colon (`opening=False`)."""
    total = len(summary.lines)
    parts = count_parts(summary) if total else []
    if len(parts) != 1:
        return None
    every = "" if total == 1 else ", tous"
    statuses = [status for status, count in summary.status_counts.items() if count]
    total_text = opening_count(total) if opening else indicator_count(total)
    if statuses in ([Status.ACHIEVED], [Status.ON_TRACK]):  # « tous atteints », not « en bonne voie ou atteints »
        return f"{total_text}{every} {status_count_label(statuses[0], total)}."
    return f"{total_text}{every} {parts[0].split(' ', 1)[1]}."


def opening_count(total: int) -> str:
    """« Vingt-quatre indicateurs »: the count that opens the overview, in words (CONTRIBUTING: a count
    opens a sentence in words; reader 14, B1: « 24 indicateurs : … », the sentence read first, opened
    with digits); the counts after the colon stay in digits."""
    return counted_in_words(total, "indicateur")


def overview_text(summary: Summary) -> str:
    """The one-line message under the counters, with the total: « Vingt-quatre indicateurs : 2 non
    conformes à la loi, 4 en retard, 1 non renseigné, 15 en bonne voie ou atteints et 2 sans cible. »
    (reader 7: the counters alone gave no total and no message); the card's and the report's first
    page, in the same words (reader 9, B13); the total in words, since it opens the sentence (reader 14, B1)."""
    total = len(summary.lines)
    if total == 0:
        return "Aucun indicateur à afficher."
    counts = _single_status_text(summary) or f"{opening_count(total)}{NO_BREAK_SPACE}: {joined(count_parts(summary))}."
    return _with_awaited(counts, summary)


def _with_awaited(counts: str, summary: Summary) -> str:
    awaited = awaited_text(summary)
    return f"{counts} {awaited}" if awaited else counts


_KNOWN_BREACH = ("non conforme d’après sa dernière valeur connue", "non conformes d’après leur dernière valeur connue")


def awaited_text(summary: Summary) -> str:
    """The indicators still waiting for the value of their latest period, when some of them are counted
    in another group than « non renseigné » (outside the law on their last known value, or without
    target), in a sentence of its own: « Au total, 11 indicateurs attendent la valeur de leur dernière
    période : les 9 non renseignés, IND-11 (non conforme d’après sa dernière valeur connue) et IND-15
    (sans cible). » (reader 12, A2: « dont IND-11 » left the 11th unnamed; reader 10, A2: « 2 non
    conformes à la loi (dont 1 non renseigné) » read as overlapping groups, and « non conforme à la loi
    (non renseigné) » as nonsense). Empty when the « non renseignés » group says it all."""
    unreported = [line for line in summary.lines if line.is_unreported]
    if len(unreported) == summary.status_counts.get(Status.NOT_REPORTED, 0):
        return ""
    if len(unreported) == 1:
        (line,) = unreported
        return f"{line.code}, {_awaited_status(line)}, attend la valeur de sa dernière période."
    not_reported = [line for line in unreported if line.status is Status.NOT_REPORTED]
    parts = [f"{line.code} ({_awaited_status(line)})" for line in unreported if line.status is not Status.NOT_REPORTED]
    if len(not_reported) == 1:
        parts.insert(0, "l’indicateur non renseigné")
    elif not_reported:
        parts.insert(0, f"les {len(not_reported)} {status_count_label(Status.NOT_REPORTED, len(not_reported))}")
    return f"Au total, {indicator_count(len(unreported))} attendent la valeur de leur dernière période : {joined(parts)}."


def _awaited_status(line: IndicatorLine) -> str:
    """How an indicator still waiting for its latest value is counted: « non conforme d’après sa dernière
    valeur connue », « sans cible »."""
    return _KNOWN_BREACH[0] if line.status is Status.OUTSIDE_LEGAL_LIMIT else status_count_label(line.status, 1)


_GOOD_NEWS = (Status.ON_TRACK, Status.ACHIEVED)
"""Counted together in the overview (« 15 en bonne voie ou atteints »), at their place among the tiles."""


def count_parts(summary: Summary) -> list[str]:
    """The counts as the overview says them, in the order of the card's and the report's counters
    (`counted_statuses`, the most serious first): outside the law, late, non renseignés, en bonne voie ou
    atteints, sans cible (reader 9, B13; issue 17: « non renseigné » came after « atteints » in the line
    and before them in the tiles). The groups are disjoint and add up to the total; the indicators of
    another group that still wait for their latest value are counted apart, by `awaited_text` (reader 9,
    A6: « 10 non renseignés » next to 11 missing reports; reader 10, A2: « (dont 1 non renseigné) » read
    as overlapping groups)."""
    counts = summary.status_counts
    good = sum(counts.get(status, 0) for status in _GOOD_NEWS)
    parts = []
    for status in counted_statuses(counts):
        if status in _GOOD_NEWS:
            if good and status is _GOOD_NEWS[0]:
                parts.append(f"{good} {' ou '.join(status_count_label(each, good) for each in _GOOD_NEWS)}")
            continue
        count = counts.get(status, 0)
        if count:
            parts.append(f"{count} {status_count_label(status, count)}")
    return parts


def completeness_text(row: DirectorateCompleteness) -> str:
    """« 3 sur 10 (30 %) », under a heading that says what is counted (« Indicateurs saisis »);
    « , plus 3 calculés automatiquement » when some of its indicators are computed (from the DECP)."""
    if row.expected == 0:
        return _nothing_to_fill(row)
    return f"{row.reported} sur {row.expected} ({percent_text(row.percent or 0.0)}){_plus_computed(row)}"


def completeness_sentence(row: DirectorateCompleteness) -> str:
    """« 3 indicateurs saisis sur 10 (30 %) »: the same, without a heading. Only the indicators the
    directorate fills are counted: a computed one is nobody's to report."""
    if row.expected == 0:
        return _nothing_to_fill(row)
    reported = f"{counted(row.reported, 'indicateur')} {agreed(row.reported, 'saisi', 'saisis')}"
    return f"{reported} sur {row.expected} ({percent_text(row.percent or 0.0)}){_plus_computed(row)}"


def _plus_computed(row: DirectorateCompleteness) -> str:
    if not row.computed:
        return ""
    return f", plus {row.computed} {agreed(row.computed, 'calculé', 'calculés')} automatiquement"


def _nothing_to_fill(row: DirectorateCompleteness) -> str:
    if not row.computed:
        return "aucun indicateur attribué"
    computed = counted(row.computed, "indicateur calculé", "indicateurs calculés")
    return f"aucun indicateur à saisir ({computed} automatiquement)"


def missing_text(row: DirectorateCompleteness) -> str:
    """« 3ᵉ trimestre 2026 : IND-04 et IND-06 ; année 2026 : IND-12 »: what is still to report, by period,
    the cell's head upper case (« Année 2025 : IND-07 »; reader 15, minors 11 and 12)."""
    return upper_first(" ; ".join(f"{period.label} : {joined(codes)}" for period, codes in _missing_by_period(row)))


def missing_sentence(row: DirectorateCompleteness) -> str:
    """« à saisir pour le 3ᵉ trimestre 2026 : IND-04 et IND-06 ; pour l’année 2026 : IND-12 »."""
    listed = " ; ".join(f"pour {period.with_article()} : {joined(codes)}" for period, codes in _missing_by_period(row))
    return f"à saisir {listed}" if listed else ""


def _missing_by_period(row: DirectorateCompleteness) -> list[tuple[Period, list[str]]]:
    by_period: dict[Period, list[str]] = {}
    for missing in row.missing:
        by_period.setdefault(missing.period, []).append(missing.indicator_code)
    return list(by_period.items())


COMPLETENESS_HEADING = "Saisies attendues"


def due_periods_text(summary: Summary) -> str:
    """« pour le 3ᵉ trimestre 2026 », or « pour l’année 2025, le 1er semestre 2026 ou le 3ᵉ trimestre
    2026, selon l’indicateur »: the periods due today of the indicators people fill (each its latest
    ended period), named where « la période en cours » would leave readers guessing which."""
    due = sorted({line.due_period for line in summary.lines if line.due_period and not line.snapshot.computed})
    if not due:
        return ""
    if len(due) == 1:
        return f"pour {due[0].with_article()}"
    named = [period.with_article() for period in due]
    return f"pour {', '.join(named[:-1])} ou {named[-1]}, selon l’indicateur"


def completeness_headline(summary: Summary) -> str:
    """« À jour : 6 directions sur 7 ; il manque la direction DEE (IND-07, année 2025). »
    when up to `NAMED_REST` directorates are behind (each named with what it has to report), else
    « Sur les 7 directions qui ont des indicateurs à saisir, 3 sont à jour pour l’année 2025, le 1er
    semestre 2026 ou le 3ᵉ trimestre 2026, selon l’indicateur. »: the counts in digits like every count
    the summary computes, none opening the sentence; « les 7 qui ont… » when other directorates have
    nothing to fill, so that « 7 » does not contradict the eight directorates listed elsewhere."""
    rows = [row for row in summary.completeness if row.expected > 0]
    periods = f" {due_periods_text(summary)}".rstrip()
    if not rows:
        return "Aucun indicateur à saisir en ce moment."
    if len(rows) == 1:
        row = rows[0]
        code = row.directorate.code
        if "," in periods or " ou " in periods:  # « pour l’année 2025, le 1er semestre 2026 ou … » (reader 7, B38)
            periods = " pour sa dernière période"
        if row.reported:
            text = f"La direction {code} a saisi {counted(row.reported, 'indicateur')} sur {row.expected}{periods}"
            text = text.replace(" pour sa dernière période", " pour leur dernière période")
        elif row.expected == 1:
            text = f"La direction {code} n’a pas encore saisi son indicateur{periods}"
        else:
            text = f"Aucun des {row.expected} indicateurs de la direction {code} n’est saisi{periods}"
        if row.computed:
            # Named when the summary lists them (reader 8, B27: « 3 autres » left the reader to guess which).
            codes = sorted(line.snapshot.code for line in summary.lines if line.snapshot.computed and code in line.snapshot.directorates)
            if len(codes) == row.computed:
                text += (f". {joined(codes)} {agreed(len(codes), 'est calculé', 'sont calculés')} automatiquement à partir "
                         "des données essentielles (DECP)")
            else:
                text += f". {upper_first(counted(row.computed, 'autre est calculé', 'autres sont calculés'))} automatiquement"
        return text + "."
    complete = sum(1 for row in rows if row.is_complete)
    others = len(summary.visible_directorates) > len(rows)
    directions = f"{len(rows)}{NO_BREAK_SPACE}directions"
    if complete == 0:
        concerned = "qui ont des indicateurs à saisir" if others else "concernées"
        return f"Aucune des {directions} {concerned} n’est à jour{periods}."
    if others:
        directions += " qui ont des indicateurs à saisir"
    if complete == len(rows):
        return f"Les {directions} sont à jour{periods}."
    behind = [row for row in rows if not row.is_complete]
    if len(behind) > NAMED_REST:
        return f"Sur les {directions}, {complete} {agreed(complete, 'est', 'sont')} à jour{periods}."
    whose = "la direction" if len(behind) == 1 else "les directions"
    named = joined([f"{row.directorate.code} ({_missing_in_short(row)})" for row in behind])
    among = f"sur les {len(rows)} qui ont des indicateurs à saisir" if others else f"sur {len(rows)}"
    return f"À jour\u00a0: {counted(complete, 'direction')} {among}\u00a0; il manque {whose} {named}."


def headline_names_behind(summary: Summary) -> bool:
    """Whether `completeness_headline` names every directorate behind with what it has to report
    (« …; il manque la direction DEE (IND-07, année 2025). »), so that nothing need list them again."""
    rows = [row for row in summary.completeness if row.expected > 0]
    behind = [row for row in rows if not row.is_complete]
    complete = len(rows) - len(behind)
    return len(rows) > 1 and 0 < complete and 0 < len(behind) <= NAMED_REST


def _missing_in_short(row: DirectorateCompleteness) -> str:
    """« IND-07, année 2025 », « IND-04 et IND-06, 3ᵉ trimestre 2026 ; IND-12, année 2026 », or past
    `NAMED_REST` indicators their count (« 10 indicateurs »: the table below lists them; a list of
    periods and codes was unreadable at a glance, reader 7)."""
    if len(row.missing) > NAMED_REST:
        return indicator_count(len(row.missing))
    parts = []
    for period, codes in _missing_by_period(row):
        parts.append(f"{joined(codes)}, {period.label}" if len(codes) <= NAMED_REST else period.label)
    return " ; ".join(parts)


def meeting_text(meeting: MeetingLike, timezone: ZoneInfo | str = DEFAULT_TIMEZONE) -> str:
    text = format_datetime_fr(meeting.starts_at, timezone)
    if meeting.location:
        text += f" ({meeting.location})"
    return text


def empty_text(summary: Summary) -> str | None:
    """Why there is nothing to show, or None when there is."""
    if summary.lines:
        return None
    if summary.catalogue_size == 0:
        return (
            "Le catalogue d’indicateurs est vide : la personne responsable du SPASER peut l’importer "
            "(fichier du catalogue) pour que la synthèse se remplisse."
        )
    if summary.viewed_directorate and summary.axis_filter is None:
        return "Aucun indicateur n’est attribué à cette direction."
    if summary.axis_filter is not None:
        return f"Aucun indicateur sur l’axe {summary.axis_filter.value} pour ce périmètre."
    return "Aucun indicateur à afficher pour ce périmètre."


# The digest's rule (storage/summary/digests.py): a person who had the same summary that day, because they asked
# for it (« consultée ») or a digest sent it (« reçue »), is not sent it again. Whether they read it is not known.
# Reader 14, B3: « a déjà reçu » said of someone who had only asked for it, and a promise (« envoyée ») that did
# not match the reason: the planning reply, the lead's report and `rappels` say the same thing.
NOT_SENT_AGAIN_CLAUSE = "sauf celles et ceux qui l’auront déjà reçue ou consultée le jour même"
"""After « Les élu·es et directeur·rices recevront la synthèse avec le premier rappel, »."""


def not_sent_again_text(seen: Sequence[Seen], timezone: ZoneInfo | str = DEFAULT_TIMEZONE) -> str:
    """« Adele Vance a déjà consulté la synthèse aujourd’hui (à 19 h 42) : je ne la lui ai pas renvoyée. »,
    and « … a déjà reçu … » for someone a digest sent it to: one sentence for each of the two."""
    groups = (
        ([one for one in seen if one.requested], "consulté"),
        ([one for one in seen if one.requested is False], "reçu"),
        ([one for one in seen if one.requested is None], "reçu ou consulté"),  # stored before the difference was
    )
    return " ".join(_not_sent_again(people, verb, timezone) for people, verb in groups if people)


def _not_sent_again(people: list[Seen], verb: str, timezone: ZoneInfo | str) -> str:
    def at(one: Seen) -> str:
        return f" (à {format_time_fr(one.at, timezone)})" if one.at else ""

    if len(people) == 1:
        [one] = people
        return f"{one.name} a déjà {verb} la synthèse aujourd’hui{at(one)} : je ne la lui ai pas renvoyée."
    names = listed_names([f"{one.name}{at(one)}" for one in people])
    return f"{names} ont déjà {verb} la synthèse aujourd’hui : je ne la leur ai pas renvoyée."
