"""How common a French word is (Zipf scale from `wordfreq`: 0 for a word seen less than once per
billion words, about 6 for « monde »).

The knowledge base uses it for words it has never seen: an everyday word (« monde », « petit »)
weighs little in a question, a rare one (« DUME ») weighs fully; and a real word (« mots »,
« régie ») is never « corrected » into a known one (« mois », « règle »).

wordfreq keeps its French list (311,000 words) as a dictionary of strings: ~55 MB, a sixth of the
process. `CompactFrequencies` holds the same list as one sorted byte string with a frequency class
per word (~4 MB); wordfreq's copy is dropped (or never loaded in the bot's process), and a word
gets exactly the value `wordfreq.zipf_frequency(word, "fr")` gives it.
"""

from __future__ import annotations

import bisect
import functools
import math
import threading
from array import array
from collections.abc import Callable, Sequence
from itertools import accumulate

LANGUAGE = "fr"


class _SortedWords(Sequence):
    """The words, UTF-8, sorted, as a sequence `bisect` can search without one object per word."""

    def __init__(self, blob: bytes, offsets: array) -> None:
        self._blob = blob
        self._offsets = offsets

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, index: int) -> bytes:  # type: ignore[override]
        return self._blob[self._offsets[index]:self._offsets[index + 1]]


Parts = tuple[bytes, bytes, bytes, tuple[float, ...]]
"""(words, their offsets, their frequency classes, each class's frequency)."""


def build_parts() -> Parts:
    """The compact list, from wordfreq's. Peaks at wordfreq's ~55 MB, and what it leaves behind keeps
    some of that pinned: the bot runs it in a short-lived process (`python -m
    domain.knowledge.frequency`) and keeps only the result."""
    import wordfreq

    frequencies = wordfreq.get_frequency_dict(LANGUAGE, "best")  # the copy zipf_frequency uses
    classes = {frequency: code for code, frequency in enumerate(sorted(set(frequencies.values())))}
    words = sorted(frequencies)  # code-point order, which is also the order of their UTF-8 bytes
    encoded = [word.encode() for word in words]
    codes = array("H", [classes[frequencies[word]] for word in words])
    offsets = array("I", accumulate(map(len, encoded), initial=0))
    return b"".join(encoded), offsets.tobytes(), codes.tobytes(), tuple(classes)


class CompactFrequencies:
    """`zipf(word)` is `wordfreq.zipf_frequency(word, "fr")` (wordfreq 3.1.1, pinned; checked word by
    word in tests/domain/test_word_frequency.py): wordfreq's tokens, each looked up after wordfreq's
    digit smashing and weighted by its digit frequency, combined as wordfreq documents it (the
    inverse of the sum of inverses), rounded to 3 significant digits, then to the Zipf scale."""

    def __init__(self, parts: Parts) -> None:
        blob, offsets, codes, frequencies = parts
        self._words = _SortedWords(blob, array("I", offsets))
        self._codes = array("H", codes)
        self._frequencies = frequencies
        if len(self._codes) != len(self._words) or (self._codes and max(self._codes) >= len(frequencies)):
            raise ValueError("inconsistent word frequency list")

    @classmethod
    def build(cls) -> CompactFrequencies:
        """Built in this process; wordfreq's own copy is dropped afterwards."""
        import wordfreq

        compact = cls(build_parts())
        wordfreq.get_frequency_dict.cache_clear()
        wordfreq.get_frequency_list.cache_clear()
        return compact

    def _frequency(self, token: str) -> float | None:
        wanted = token.encode()
        index = bisect.bisect_left(self._words, wanted)
        if index == len(self._words) or self._words[index] != wanted:
            return None
        return self._frequencies[self._codes[index]]

    def zipf(self, word: str) -> float:
        from wordfreq import digit_freq, freq_to_zipf, lossy_tokenize, smash_numbers, zipf_to_freq

        minimum = zipf_to_freq(0.0)
        inverse = 0.0
        for token in lossy_tokenize(word, LANGUAGE):
            smashed = smash_numbers(token)
            frequency = self._frequency(smashed)
            if frequency is None:
                inverse = 0.0
                break
            if smashed != token:
                frequency *= digit_freq(token)
            inverse += 1.0 / frequency
        frequency = max(1.0 / inverse, minimum) if inverse else minimum
        if frequency:
            frequency = round(frequency, math.floor(-math.log(frequency, 10)) + 3)
        return round(freq_to_zipf(frequency), 2)


class _Table:
    """The process's list: given by the bot's start-up (built in another process), else built here
    by the first word asked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._compact: CompactFrequencies | None = None

    @property
    def ready(self) -> bool:
        return self._compact is not None

    def use(self, compact: CompactFrequencies) -> None:
        with self._lock:
            self._compact = self._compact or compact

    def get(self) -> CompactFrequencies:
        with self._lock:
            if self._compact is None:
                self._compact = CompactFrequencies.build()
            return self._compact


TABLE = _Table()


# A word the base has never seen weighs by how common it is in French (Zipf scale): fully when
# rare (≤ RARE_ZIPF: « DUME »), EVERYDAY_WEIGHT when everyday (≥ EVERYDAY_ZIPF: « monde »).
RARE_ZIPF = 3.0
EVERYDAY_ZIPF = 5.5
EVERYDAY_WEIGHT = 0.25
REAL_WORD_ZIPF = 3.0  # a word this common is no typo


class WordWeights:
    """What a question's word tells by how common it is in French (`word_frequency`, a Zipf value)."""

    def __init__(self, word_frequency: Callable[[str], float]) -> None:
        self.word_frequency = word_frequency
        self._accented: dict[str, float] = {}

    def unseen(self, token: str) -> float:
        """The weight of a word the base has never seen, looked up folded: weighing « fêtes » or
        « téléphone » as everyday words (their accented spellings) let « le comité des fêtes se
        réunit quand ? » be answered (tuning and frozen sets)."""
        zipf = self.word_frequency(token)
        if zipf <= RARE_ZIPF:
            return 1.0
        if zipf >= EVERYDAY_ZIPF:
            return EVERYDAY_WEIGHT
        return 1.0 - (1.0 - EVERYDAY_WEIGHT) * (zipf - RARE_ZIPF) / (EVERYDAY_ZIPF - RARE_ZIPF)

    def is_real_word(self, token: str, typed: str) -> bool:
        """Whether a word is French as typed (`typed`, with its accents: « régie ») or, typed without
        accents, as its most common accented spelling (« regie »): then it is no typo."""
        if typed != token:
            return max(self.word_frequency(token), self.word_frequency(typed)) >= REAL_WORD_ZIPF
        return self.commonness(token) >= REAL_WORD_ZIPF

    def commonness(self, token: str) -> float:
        """How common a folded word is as French writes it: its most common spelling with accents
        (« delai » is « délai »)."""
        zipf = self._accented.get(token)
        if zipf is None:
            zipf = max(map(self.word_frequency, accented_spellings(token)))
            if len(self._accented) > 50_000:
                self._accented.clear()
            self._accented[token] = zipf
        return zipf


ACCENTED = {"e": "éèê", "a": "àâ", "i": "îï", "o": "ô", "u": "ûù", "c": "ç"}
MOST_ACCENTS = 2


def accented_spellings(word: str, most: int = MOST_ACCENTS) -> list[str]:
    """`word` with up to `most` of its letters accented (« debordes » → « débordés », …): a word
    typed without its accents is looked up as French writes it."""
    found = [word]
    frontier = [(word, 0)]
    for _ in range(most):
        grown = []
        for spelling, start in frontier:
            for position in range(start, len(spelling)):
                for accented in ACCENTED.get(spelling[position], ""):
                    changed = spelling[:position] + accented + spelling[position + 1 :]
                    found.append(changed)
                    grown.append((changed, position + 1))
        frontier = grown
    return found


@functools.lru_cache(maxsize=65_536)
def french_zipf(token: str) -> float:
    return TABLE.get().zipf(token)


if __name__ == "__main__":  # `python -m domain.knowledge.frequency`: the parts, marshalled, on stdout
    import marshal
    import sys

    sys.stdout.buffer.write(marshal.dumps(build_parts()))
