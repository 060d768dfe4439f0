"""Latency of understanding one question (knowledge base grown to 1,000 entries, intents, slots
read against the demo catalogue), in-process, one thread; and the memory the French word
frequencies cost.

Run: python benchmarks/bench_knowledge.py
Targets: p50 <= 10 ms, <= 100 MB more memory. Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import csv
import io
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.demo import DEMO_DIRECTORATES  # noqa: E402
from bot.demo_indicators import DEMO_CATALOGUE  # noqa: E402
from bot.word_frequencies import WordFrequencyBuild  # noqa: E402
from domain.knowledge import Entry, EntryKind, KnowledgeBase  # noqa: E402
from domain.knowledge.frequency import french_zipf  # noqa: E402
from domain.understanding.slots import DirectorateName, IndicatorName, SlotReader  # noqa: E402
from domain.understanding.understanding import Understander  # noqa: E402

TARGET_ENTRIES = 1_000
EVAL_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "knowledge_eval.json"

CATEGORIES = [
    "restauration collective", "nettoyage des locaux", "travaux de voirie",
    "fournitures de bureau", "matériel informatique", "véhicules de service", "espaces verts",
    "fourniture d'énergie", "vêtements de travail", "mobilier", "prestations intellectuelles",
    "transport scolaire", "collecte des déchets", "maintenance des bâtiments",
    "impression et reprographie", "événementiel", "télécommunications", "produits d'entretien",
    "équipements sportifs", "gardiennage",
]
DIRECTIONS = [
    "la direction des achats", "la direction des finances", "la direction du patrimoine",
    "la direction de l'éducation", "la direction des services techniques",
]
ASPECTS = [
    ("Quelle clause sociale pour {c} ?",
     "Pour {c}, {d} prévoit une clause d'insertion avec un volume d'heures fixé au cahier des "
     "charges et suivi chaque trimestre."),
    ("Quel critère environnemental pour {c} ?",
     "Pour {c}, {d} note les offres sur leur bilan carbone et le réemploi, à 20 % de la note."),
    ("Comment ouvrir {c} aux PME ?",
     "{d} allotit {c} par secteur géographique et publie un calendrier prévisionnel des achats."),
    ("Quel indicateur suivre pour {c} ?",
     "{d} suit pour {c} la part des contrats avec une considération sociale et environnementale."),
    ("Qui est le référent pour {c} ?",
     "Le référent achats responsables de {d} coordonne {c} et fait remonter les indicateurs."),
    ("Quel objectif 2027 pour {c} ?",
     "D'ici 2027, {d} vise 100 % des marchés de {c} avec une considération environnementale."),
    ("Faut-il réserver des marchés de {c} ?",
     "{d} réserve un lot de {c} aux structures d'insertion ou aux entreprises adaptées."),
    ("Comment sourcer les fournisseurs pour {c} ?",
     "{d} organise une rencontre fournisseurs sur {c} avant chaque renouvellement."),
    ("Quelle durée de marché pour {c} ?",
     "Pour {c}, {d} retient des accords-cadres de quatre ans avec une clause de revoyure."),
    ("Comment évaluer l'impact de {c} ?",
     "{d} présente au COPIL un bilan annuel de {c}, chiffré et illustré d'exemples."),
]


def synthetic_entries(count: int) -> list[Entry]:
    entries = []
    for index in range(count):
        question, answer = ASPECTS[index % len(ASPECTS)]
        category = CATEGORIES[(index // len(ASPECTS)) % len(CATEGORIES)]
        direction = DIRECTIONS[(index // (len(ASPECTS) * len(CATEGORIES))) % len(DIRECTIONS)]
        text = answer.format(c=category, d=direction)
        entries.append(
            Entry(
                id=f"synthetique-{index:04d}",
                title=question.format(c=category) + f" ({direction})",
                questions=(question.format(c=category),),
                answer=text[0].upper() + text[1:],
                source="Fiche synthétique du banc d'essai",
                kind=EntryKind.LEAD,
            )
        )
    return entries


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed_pass(understander: Understander, questions: list[str]) -> list[float]:
    latencies = []
    for question in questions:
        start = time.perf_counter()
        understander.understand(question)
        latencies.append((time.perf_counter() - start) * 1_000)
    return latencies


def demo_slots(base: KnowledgeBase) -> SlotReader:
    rows = list(csv.DictReader(io.StringIO(DEMO_CATALOGUE.read_text(encoding="utf-8")), delimiter=";"))
    return SlotReader(
        [IndicatorName(row["code"], row["libelle"], row.get("definition") or "") for row in rows],
        [DirectorateName(code, name) for code, name in DEMO_DIRECTORATES],
        base.analyzer,
        base.common_terms(),
        base.word_frequency,
    )


def main() -> None:
    before = rss_mb()
    WordFrequencyBuild().finish()  # as the bot builds it: in a short-lived process, kept compact
    frequencies_mb = rss_mb() - before
    start = time.perf_counter()
    base = KnowledgeBase.from_directory(word_frequency=french_zipf)
    shipped = len(base)
    for entry in synthetic_entries(TARGET_ENTRIES - shipped):
        base.add(entry)
    understander = Understander(base, demo_slots(base))
    build_ms = (time.perf_counter() - start) * 1_000

    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    off_topic = [item if isinstance(item, str) else item["question"] for item in data["off_topic"]]
    questions = [item["question"] for item in data["on_topic"]] + off_topic
    questions += [f"{aspect[0].format(c=c)}" for aspect in ASPECTS[:3] for c in CATEGORIES]
    questions += ["indicteurs restauraton colective", "clause socaile nettoyage"]

    cold = timed_pass(understander, questions)  # first sight of each question: typo cache empty
    warm = timed_pass(understander, questions * 3)

    print(f"Base de connaissances : {len(base)} fiches ({shipped} livrées + synthétiques), "
          f"construite en {build_ms:.0f} ms ; fréquences des mots : +{frequencies_mb:.0f} Mo ; "
          f"mémoire du processus : {rss_mb():.0f} Mo")
    for label, values in (("1er passage", cold), ("passages suivants", warm)):
        print(f"{label:>18} : {len(values)} questions, p50 {percentile(values, 0.50):.2f} ms, "
              f"p99 {percentile(values, 0.99):.2f} ms, max {max(values):.2f} ms, "
              f"moyenne {statistics.fmean(values):.2f} ms")
    print(f"Objectif p50 <= 10 ms : {'atteint' if percentile(cold, 0.5) <= 10 else 'NON atteint'}")


if __name__ == "__main__":
    main()
