"""French dates and times typed in chat, read with Microsoft's Recognizers-Text (French culture).

It is the recognizer botbuilder's `DateTimePrompt` uses; we call it directly because the prompt
resolves against the machine's clock, while meetings must be resolved against the injected clock
in SPASER_TIMEZONE. Around the recognizer, three documented fixes for how people write in France:

* `15 h`, `14 h 30`, `14 heures` are rewritten `15h`, `14h30`, `14h`: the recognizer reads
  `à 15` as "until the 15th" when the `h` is detached.
* `3/04` (no year) is rewritten `3 avril`: its French rules read a day/month pair after « le »
  month first (March 4th), while `03/04/2027` is read correctly.
* Hours are on the 24-hour clock: of the AM/PM alternatives the recognizer offers for `9h30`
  (9:30 and 21:30) the first, literal one is kept.
* Its rules know only the straight apostrophe: « aujourd’hui », as phones and Teams type it, is
  read as `aujourd'hui`; « ce soir à 8h », « ce matin à 9h » as today at that hour (20:00, 9:00).

A date without a year, or a weekday, is resolved to its next occurrence; a moment already past
is refused with a French message.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache

import recognizers_date_time.date_time.french.common_configs as french_common_configs
import recognizers_date_time.date_time.french.date_extractor_config as french_date_config
import recognizers_date_time.date_time.french.dateperiod_extractor_config as french_dateperiod_config
from recognizers_date_time import DateTimeRecognizer
from recognizers_number.number.extractors import ReVal
from recognizers_number.number.french.extractors import FrenchOrdinalExtractor
from recognizers_number.resources.french_numeric import FrenchNumeric
from recognizers_text import Culture
from recognizers_text.model import Model
from recognizers_text.utilities import RegExpUtility

from domain.clock import Clock, format_datetime_fr, load_timezone, local_datetime
from domain.errors import DomainError
from domain.text import upper_first

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre")
_DETACHED_HOUR = re.compile(r"\b(\d{1,2})\s*(?:h|heures?)(?:\s*(\d{2}))?\b(?!\s*/)", re.IGNORECASE)
_DAY_SLASH_MONTH = re.compile(r"\b(\d{1,2})\s*/\s*(\d{1,2})\b(?!\s*/\s*\d)")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "`": "'"})
_PART_OF_TODAY = re.compile(r"\b(?:ce\s+(soir)|ce\s+matin|cet\s+apr[eè]s[- ]midi)\b", re.IGNORECASE)
_COMPACT_HOUR = re.compile(r"\b(\d{1,2})h(\d{2})?\b")
DATE_EXAMPLES = "« le 12 mars à 14 h », « mardi prochain 10 h », « demain 15 h » ou « le 3/04 à 9 h 30 »"
# The recognizer's time grows faster than the text (≈1 s for 200 digit-heavy characters, 33 s for
# 5,000) and runs on the event loop: longer messages are refused instead of read.
MAX_WHEN_TEXT_LENGTH = 200


_MODEL_LOCK = threading.Lock()


COMPACT_ORDINAL_REGEX = (f"(?<=\\b)({FrenchNumeric.UnderHundredOrdinalRegex}|{FrenchNumeric.OverThousandOrdinalRegex}"
                         f"|{FrenchNumeric.SimpleRoundOrdinalRegex})(?=\\b)")
"""Ordinals in words (« premier », « vingt et unième », « trois cent quarante-cinquième ») in 14,000
characters, where the library's `OrdinalFrenchRegex` spells every combination of its parts out in
111,000 (6 MB once compiled, 5 MB of the process's memory); both find the same words in every ordinal
up to 999 (tests/domain/test_meeting_dates.py)."""


class CompactOrdinalExtractor(FrenchOrdinalExtractor):
    """`FrenchOrdinalExtractor` (« 3e », « troisième ») with `COMPACT_ORDINAL_REGEX` for the words."""

    def __init__(self) -> None:
        compile_ = RegExpUtility.get_safe_reg_exp
        self._ordinal_regexes = [ReVal(re=compile_(FrenchNumeric.OrdinalSuffixRegex), val="OrdinalNum"),
                                 ReVal(re=compile_(COMPACT_ORDINAL_REGEX), val="OrdFr")]

    @property
    def regexes(self) -> list[ReVal]:
        return self._ordinal_regexes


@cache
def _build_french_model() -> Model:
    """The date model, its three French configurations given `CompactOrdinalExtractor` (they name the
    library's class at construction: the swap is for this process, the date model its only user)."""
    for module in (french_common_configs, french_date_config, french_dateperiod_config):
        module.FrenchOrdinalExtractor = CompactOrdinalExtractor
    return DateTimeRecognizer(Culture.French).get_datetime_model()


def _french_model() -> Model:
    """Built once per process (about 3 s): the recognizer compiles hundreds of expressions.

    A turn that needs it while the start-up thread builds it waits for that build (no second one).
    """
    with _MODEL_LOCK:
        return _build_french_model()


def start_warm_up() -> threading.Thread:
    """Build the recognizer in a daemon thread at start-up: otherwise the first date typed after a
    start builds it inside the turn, on the event loop, and every conversation and the scheduler
    wait for it (2 s on a quiet machine, 15–25 s seen on a loaded one). Daemon: a stopping
    process does not wait for it."""
    thread = threading.Thread(target=_french_model, name="french-date-recognizer", daemon=True)
    thread.start()
    return thread


def normalise_french_datetime_text(text: str) -> str:
    def hour(match: re.Match) -> str:
        return f"{match.group(1)}h{match.group(2) or ''}"

    def day_month(match: re.Match) -> str:
        day, month = int(match.group(1)), int(match.group(2))
        if 1 <= day <= 31 and 1 <= month <= 12:
            return f"{day} {_MONTHS[month - 1]}"
        return match.group(0)

    def evening(match: re.Match) -> str:
        at = int(match.group(1))
        return f"{at + 12 if 1 <= at <= 11 else at}h{match.group(2) or ''}"

    text = _DETACHED_HOUR.sub(hour, text.translate(_APOSTROPHES))
    part = _PART_OF_TODAY.search(text)
    if part and _COMPACT_HOUR.search(text):
        text = _PART_OF_TODAY.sub("aujourd'hui", text)
        if part.group(1):
            text = _COMPACT_HOUR.sub(evening, text)
    return _DAY_SLASH_MONTH.sub(day_month, text)


@dataclass(frozen=True)
class WhenMention:
    """One date and/or time found in a text, with the recognizer's candidate readings."""

    text: str
    candidates: tuple[tuple[date | None, time | None], ...]


def _parse_value(kind: str, value: str) -> tuple[date | None, time | None] | None:
    try:
        if kind == "datetime":
            moment = datetime.fromisoformat(value)
            return moment.date(), moment.time()
        if kind == "date":
            return date.fromisoformat(value), None
        if kind == "time":
            return None, time.fromisoformat(value)
    except ValueError:
        return None
    return None


def _literal_hours_only(candidates: list[tuple[date | None, time | None]]) -> tuple[tuple[date | None, time | None], ...]:
    """Keep, for each day, the first time offered (the literal hour, not its +12 h alternative)."""
    kept: dict[date | None, tuple[date | None, time | None]] = {}
    for day, moment in candidates:
        kept.setdefault(day, (day, moment))
    return tuple(kept.values())


def recognize_when(text: str, reference: datetime) -> list[WhenMention]:
    """Every date, time or date-time in `text`, in reading order (ranges and durations are ignored).

    `reference` is the local wall-clock "now" that « demain » or « mardi prochain » count from.
    """
    normalised = normalise_french_datetime_text(text or "")
    if not normalised.strip():
        return []
    mentions: list[WhenMention] = []
    for result in _french_model().parse(normalised, reference.replace(tzinfo=None)):
        candidates = []
        for value in (result.resolution or {}).get("values", []):
            parsed = _parse_value(value.get("type", ""), value.get("value", ""))
            if parsed is not None:
                candidates.append(parsed)
        if candidates:
            mentions.append(WhenMention(result.text, _literal_hours_only(candidates)))
    return mentions


@dataclass(frozen=True)
class ResolvedWhen:
    """What a person gave: a day, a time, or both (then `starts_at` is the local instant)."""

    day: date | None
    time: time | None
    starts_at: datetime | None = None


class MeetingDateReader:
    """Turns typed French into a meeting start, relative to the injected clock, in the SPASER time zone."""

    def __init__(self, clock: Clock, timezone: str) -> None:
        self._clock = clock
        self._zone = load_timezone(timezone)

    @property
    def now_local(self) -> datetime:
        return self._clock.now().astimezone(self._zone)

    def mentions(self, text: str) -> list[WhenMention]:
        """Raises DomainError when the text is too long to be searched for a date."""
        if len(text or "") > MAX_WHEN_TEXT_LENGTH:
            raise DomainError(
                f"Ce message est trop long pour que j’y cherche une date ({MAX_WHEN_TEXT_LENGTH} caractères au plus) : "
                f"écrivez seulement le jour et l’heure, par exemple {DATE_EXAMPLES}."
            )
        return recognize_when(text, self.now_local)

    def read(self, text: str, day: date | None = None, at: time | None = None) -> ResolvedWhen | None:
        """The first date/time in `text`, completed by an already known `day` or `at`; None if none.

        Raises DomainError when the moment is already past, or the text too long to be searched.
        """
        mentions = self.mentions(text)
        if not mentions:
            return None
        return self.resolve(mentions[0], day, at)

    def resolve(self, mention: WhenMention, day: date | None = None, at: time | None = None) -> ResolvedWhen:
        now = self.now_local
        readings: list[ResolvedWhen] = []
        for candidate_day, candidate_time in mention.candidates:
            chosen_day = candidate_day or day
            chosen_time = candidate_time or at
            if chosen_day is None or chosen_time is None:
                if chosen_day is not None and chosen_day < now.date():
                    continue
                readings.append(ResolvedWhen(chosen_day, chosen_time))
                continue
            starts_at = local_datetime(chosen_day, chosen_time, self._zone)
            readings.append(ResolvedWhen(chosen_day, chosen_time, starts_at))
        future = [r for r in readings if r.starts_at is None or r.starts_at > now]
        if future:
            return min(future, key=lambda r: (r.starts_at or local_datetime(r.day or now.date(), r.time or time(23, 59), self._zone)))
        latest = max((r.starts_at for r in readings if r.starts_at is not None), default=None)
        when = f"le {format_datetime_fr(latest, self._zone)}" if latest else f"« {mention.text} »"
        raise DomainError(
            f"{upper_first(when)} est déjà passé. Indiquez une date à venir, par exemple {DATE_EXAMPLES}."
        )
