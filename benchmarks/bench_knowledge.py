"""Answer latency of the knowledge base grown to 1,000 entries (in-process, one thread).

Run: python benchmarks/bench_knowledge.py
Target: p50 <= 5 ms. Prints figures only; it is not a test and asserts nothing.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.knowledge import Entry, EntryKind, KnowledgeBase  # noqa: E402

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


def timed_pass(base: KnowledgeBase, questions: list[str]) -> list[float]:
    latencies = []
    for question in questions:
        start = time.perf_counter()
        base.answer(question)
        latencies.append((time.perf_counter() - start) * 1_000)
    return latencies


def main() -> None:
    start = time.perf_counter()
    base = KnowledgeBase.from_directory()
    shipped = len(base)
    for entry in synthetic_entries(TARGET_ENTRIES - shipped):
        base.add(entry)
    build_ms = (time.perf_counter() - start) * 1_000

    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    questions = [item["question"] for item in data["on_topic"]] + data["off_topic"]
    questions += [f"{aspect[0].format(c=c)}" for aspect in ASPECTS[:3] for c in CATEGORIES]
    questions += ["indicteurs restauraton colective", "clause socaile nettoyage"]

    cold = timed_pass(base, questions)  # first sight of each question: typo cache empty
    warm = timed_pass(base, questions * 3)

    print(f"Base de connaissances : {len(base)} fiches ({shipped} livrées + synthétiques), "
          f"construite en {build_ms:.0f} ms")
    for label, values in (("1er passage", cold), ("passages suivants", warm)):
        print(f"{label:>18} : {len(values)} questions, p50 {percentile(values, 0.50):.2f} ms, "
              f"p99 {percentile(values, 0.99):.2f} ms, max {max(values):.2f} ms, "
              f"moyenne {statistics.fmean(values):.2f} ms")
    print(f"Objectif p50 <= 5 ms : {'atteint' if percentile(cold, 0.5) <= 5 else 'NON atteint'}")


if __name__ == "__main__":
    main()
