"""How common a French word is (Zipf scale from `wordfreq`: 0 for a word seen less than once per
billion words, about 6 for « monde »).

The knowledge base uses it for words it has never seen: an everyday word (« monde », « petit »)
weighs little in a question, a rare one (« DUME ») weighs fully; and a real word (« mots »,
« régie ») is never « corrected » into a known one (« mois », « règle »).

wordfreq keeps its French list (311,000 words) as a dictionary of strings: ~55 MB, a sixth of the
process. `CompactFrequencies` holds the same list as one sorted byte string with a frequency class per
word (~4 MB); wordfreq's copy is dropped (or never loaded in the bot's process). A word is read exactly as
`wordfreq.zipf_frequency(word, "fr")` reads it: tokenized by wordfreq; one token without digits is
looked up in the compact list, with the value wordfreq gives its frequency class; anything else
(several tokens, digits) is asked of wordfreq itself.
"""

from __future__ import annotations

import bisect
import functools
import threading
from array import array
from collections.abc import Sequence
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


Parts = tuple[bytes, bytes, bytes, tuple, float]
"""(words, their offsets, their frequency classes, each class's value, a missing word's value)."""


def build_parts() -> Parts:
    """The compact list, from wordfreq's. Peaks at wordfreq's ~55 MB, and what it leaves behind keeps
    some of that pinned: the bot runs it in a short-lived process (`python -m
    domain.knowledge.frequency`) and keeps only the result."""
    import wordfreq

    frequencies = wordfreq.get_frequency_dict(LANGUAGE, "best")  # the copy zipf_frequency uses
    missing = wordfreq.zipf_frequency("", LANGUAGE)
    classes: dict[float, int] = {}
    values: list[float] = []
    for word, frequency in frequencies.items():
        if frequency not in classes and _single_plain_token(word) == word:
            classes[frequency] = len(values)
            values.append(wordfreq.zipf_frequency(word, LANGUAGE))
    words = sorted(frequencies)  # code-point order, which is also the order of their UTF-8 bytes
    encoded = [word.encode() for word in words]
    codes = array("H", [classes.get(frequencies[word], len(values)) for word in words])
    offsets = array("I", accumulate(map(len, encoded), initial=0))
    return b"".join(encoded), offsets.tobytes(), codes.tobytes(), (*values, None), missing


class CompactFrequencies:
    def __init__(self, parts: Parts) -> None:
        blob, offsets, codes, values, missing = parts
        self._words = _SortedWords(blob, array("I", offsets))
        self._codes = array("H", codes)
        self._values = values  # None: a class with no plain word to read its value from
        self._missing = missing
        if len(self._codes) != len(self._words) or any(code >= len(values) for code in set(self._codes)):
            raise ValueError("inconsistent word frequency list")

    @classmethod
    def build(cls) -> CompactFrequencies:
        """Built in this process; wordfreq's own copy is dropped afterwards."""
        import wordfreq

        compact = cls(build_parts())
        wordfreq.get_frequency_dict.cache_clear()
        wordfreq.get_frequency_list.cache_clear()
        return compact

    def zipf(self, word: str) -> float:
        token = _single_plain_token(word)
        if token is not None:
            if token == "":
                return self._missing
            wanted = token.encode()
            index = bisect.bisect_left(self._words, wanted)
            if index == len(self._words) or self._words[index] != wanted:
                return self._missing
            value = self._values[self._codes[index]]
            if value is not None:
                return value
        from wordfreq import zipf_frequency  # several tokens or digits (rare): wordfreq itself

        return zipf_frequency(word, LANGUAGE)


def _single_plain_token(word: str) -> str | None:
    """The one token wordfreq reads in `word` when it has no digits, "" for none, else None."""
    from wordfreq import lossy_tokenize, smash_numbers

    tokens = lossy_tokenize(word, LANGUAGE)
    if not tokens:
        return ""
    if len(tokens) == 1 and smash_numbers(tokens[0]) == tokens[0]:
        return tokens[0]
    return None


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


@functools.lru_cache(maxsize=65_536)
def french_zipf(token: str) -> float:
    return TABLE.get().zipf(token)


if __name__ == "__main__":  # `python -m domain.knowledge.frequency`: the parts, marshalled, on stdout
    import marshal
    import sys

    sys.stdout.buffer.write(marshal.dumps(build_parts()))
