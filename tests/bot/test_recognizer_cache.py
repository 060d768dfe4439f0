"""The recognizers' compiled expressions kept on disk (bot/recognizer_cache.py) read the same text
the same way as the ordinary compiler, and a damaged file only means compiling again."""

from __future__ import annotations

import json

import regex
from recognizers_number.resources.french_numeric import FrenchNumeric

from bot.recognizer_cache import RegexCache

PATTERNS = (FrenchNumeric.FractionNounRegex, FrenchNumeric.NumbersWithPlaceHolder(FrenchNumeric.PlaceHolderPureNumber),
            FrenchNumeric.AllIntRegex, FrenchNumeric.FractionPrepositionRegex)
TEXTS = ("trois quarts des marchés", "vingt et un", "1 200,50 €", "deux cent trente-quatre sur cinq cents",
         "un million deux cent mille", "12,5 %", "la moitié", "cinq sur huit")
FLAGS = regex.I | regex.S


def _matches(pattern) -> list:
    return [[(m.span(), m.group(), m.groupdict()) for m in pattern.finditer(text)] for text in TEXTS]


def test_expressions_read_back_from_disk_match_exactly_as_freshly_compiled_ones(tmp_path):
    first = RegexCache(tmp_path)
    compiled = [first.compile(source, FLAGS) for source in PATTERNS]
    assert first.compile(PATTERNS[0], FLAGS) is compiled[0], "each expression built once per process"
    first.save()

    second = RegexCache(tmp_path)
    restored = [second.compile(source, FLAGS) for source in PATTERNS]
    assert second.from_disk == len(PATTERNS)
    for fresh, cached in zip(compiled, restored, strict=True):
        assert (cached.pattern, cached.flags, cached.groupindex) == (fresh.pattern, fresh.flags, fresh.groupindex)
        assert _matches(cached) == _matches(regex.compile(fresh.pattern, flags=FLAGS))
    assert any(any(found) for found in _matches(restored[0]))


def test_a_damaged_cache_file_is_ignored_and_the_expressions_compiled_normally(tmp_path):
    cache = RegexCache(tmp_path)
    cache.compile(PATTERNS[2], FLAGS)
    cache.save()
    document = json.loads(cache.path.read_text(encoding="utf-8"))
    code = document["entries"][0][2][2]
    document["entries"][0][2][2] = ("B" if code[0] == "A" else "A") + code[1:]  # the checksum no longer matches
    cache.path.write_text(json.dumps(document), encoding="utf-8")

    reread = RegexCache(tmp_path)
    pattern = reread.compile(PATTERNS[2], FLAGS)
    assert reread.from_disk == 0
    assert _matches(pattern) == _matches(regex.compile(PATTERNS[2], flags=FLAGS))


def test_without_a_directory_nothing_is_written(tmp_path):
    cache = RegexCache(None)
    cache.compile(PATTERNS[2], FLAGS)
    cache.save()
    assert cache.path is None and not list(tmp_path.iterdir())
