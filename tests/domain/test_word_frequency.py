"""The compact French word list (domain/knowledge/frequency.py) gives every word exactly the value
`wordfreq.zipf_frequency(word, "fr")` gives it, in a fraction of wordfreq's memory."""

from __future__ import annotations

import json
from pathlib import Path

import wordfreq

from domain.knowledge.frequency import CompactFrequencies

ODD_WORDS = (
    "", " ", "monde", "Monde", "MARCHÉ", "marche", "régie", "mots", "DUME", "spaser", "aujourd'hui", "aujourd’hui",
    "l'état", "l’État", "c'est-à-dire", "porte-monnaie", "élu·es", "élus", "2025", "IND-03", "t4", "12,5", "100 %",
    "copil", "l21113", "L2111-3", "d21113", "article L2111-1", "1er", "3e", "2e", "10 000", "0,5",
    "xyzzyplugh", "ñandú", "œuvre", "oeuvre", "naïve", "Noël", "a", "à", "de la", "?", "…", "€",
)


def test_every_word_reads_as_wordfreq_reads_it():
    compact = CompactFrequencies.build()
    sample = [word for index, word in enumerate(wordfreq.iter_wordlist("fr")) if index % 97 == 0]
    sample += [word.upper() for word in sample[:200]] + list(ODD_WORDS)
    questions = json.loads((Path(__file__).parents[1] / "data" / "knowledge_eval.json").read_text(encoding="utf-8"))
    for question in [item["question"] for item in questions["on_topic"]] + list(questions["off_topic"]):
        sample += [question, *question.split()]
    different = {word: (compact.zipf(word), wordfreq.zipf_frequency(word, "fr"))
                 for word in sample if compact.zipf(word) != wordfreq.zipf_frequency(word, "fr")}
    assert len(sample) > 3000 and not different


async def test_the_bot_builds_the_list_in_another_process_and_keeps_only_the_result(monkeypatch):
    from bot.word_frequencies import WordFrequencyBuild
    from domain.knowledge import frequency

    monkeypatch.setattr(frequency, "TABLE", frequency._Table())
    monkeypatch.setattr("bot.word_frequencies.TABLE", frequency.TABLE)
    wordfreq.get_frequency_dict.cache_clear()
    build = WordFrequencyBuild()
    assert build._process is not None
    build.finish()
    assert frequency.TABLE.ready
    assert wordfreq.get_frequency_dict.cache_info().currsize == 0, "wordfreq's own copy never loaded here"
    assert frequency.TABLE.get().zipf("monde") == wordfreq.zipf_frequency("monde", "fr")


def test_a_word_typed_without_accents_is_looked_up_with_them() -> None:
    from domain.knowledge.frequency import accented_spellings

    spellings = accented_spellings("debordes")
    assert {"debordes", "débordés", "débordes", "dèbordes"} <= set(spellings)
    assert len(spellings) == len(set(spellings))
    assert accented_spellings("xyz") == ["xyz"]
