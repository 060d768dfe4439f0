"""Benchmark of the status summary: compute + card, and compute + card + chart.

30 indicators × 40 directorates × 10 years of quarterly values (48 000 values), synthetic and in
memory (the database read is measured by the feature's repository benchmark once wired).
Targets from issue 6: card data ≤ 200 ms, chart included ≤ 1 s (p99).

    cd /work/main && .venv/bin/python benchmarks/bench_summary.py [--runs 30] [--sample /tmp/summary]

`--sample` also writes the card JSON, chart PNG, HTML and PDF report of the synthetic data there.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.committees.cadence import check_cadence  # noqa: E402
from domain.indicators.aggregation import AggregationRule  # noqa: E402
from domain.indicators.catalogue import Axis, ImprovementDirection  # noqa: E402
from domain.indicators.periods import Frequency, Period  # noqa: E402
from domain.indicators.units import Unit  # noqa: E402
from domain.summary.card import card_size, summary_card_content, summary_detail_card_content  # noqa: E402
from domain.summary.chart import card_chart_png, summary_chart_png  # noqa: E402
from domain.summary.compute import compute_summary  # noqa: E402
from domain.summary.exports import values_csv, values_xlsx  # noqa: E402
from domain.summary.model import DirectorateInfo, IndicatorSnapshot, ReportedValue, UpcomingMeeting  # noqa: E402
from domain.summary.report import report_html  # noqa: E402
from domain.summary.report_pdf import report_pdf  # noqa: E402
from domain.summary.scope import Scope

TODAY = date(2026, 11, 30)
WEIGHTED = frozenset({0, 12, 24})
"""Indexes of the percentages weighted by `WEIGHTING_BASE` (the others are plain means)."""
WEIGHTING_BASE = "IND-04"
EVERYONE = Scope.everything()
UNITS = (Unit.PERCENT, Unit.HOURS, Unit.EURO, Unit.COUNT, Unit.TCO2E, Unit.PEOPLE)
LABELS = (
    "Part des marchés notifiés avec au moins une considération sociale",
    "Heures d'insertion réalisées dans les marchés",
    "Montant des achats auprès des structures de l'ESS",
    "Nombre de marchés réservés",
    "Émissions de gaz à effet de serre des achats",
    "Acheteurs formés aux achats responsables",
)


def synthetic_catalogue(
    indicators: int = 30, directorates: int = 40, years: int = 10, seed: int = 7
) -> tuple[list[IndicatorSnapshot], list[DirectorateInfo]]:
    """Quarterly values for every directorate, each indicator at its own pace towards its target
    (some ahead, some behind), a quarter of the last quarter still missing, a few comments.
    Percentages `WEIGHTED` are means weighted by `WEIGHTING_BASE` (a count)."""
    rng = random.Random(seed)
    infos = [DirectorateInfo(f"D{index:02d}", f"Direction n° {index}") for index in range(1, directorates + 1)]
    last = Period(TODAY.year, Frequency.QUARTERLY, 3)
    periods = [last]
    while len(periods) < years * 4:
        periods.append(periods[-1].previous())
    periods.reverse()
    horizon = (2030 - periods[0].year + 1) * 4
    snapshots = []
    for index in range(indicators):
        unit = UNITS[index % len(UNITS)]
        direction = ImprovementDirection.DOWN if unit is Unit.TCO2E else ImprovementDirection.UP
        pace = rng.choice((0.3, 0.6, 0.9, 1.1, 1.5, 2.0))
        start = rng.randint(10, 30) if unit is Unit.PERCENT else rng.randint(50, 500)
        values = []
        for directorate in infos:
            for step, period in enumerate(periods):
                if period == last and rng.random() < 0.25:
                    continue
                share = pace * step / horizon
                if unit is Unit.PERCENT:
                    level = start + (60 - start) * share + rng.uniform(-3, 3)
                elif direction is ImprovementDirection.DOWN:
                    level = start * (1 - 0.4 * share) * rng.uniform(0.95, 1.05)
                else:
                    level = start * (1 + 0.5 * share) * rng.uniform(0.95, 1.05)
                value = Decimal(str(round(min(max(level, 0), 100) if unit is Unit.PERCENT else max(level, 0))))
                comment = "Marché de nettoyage relancé avec clause d'insertion." if rng.random() < 0.002 else ""
                values.append(ReportedValue(period, directorate.code, value, comment))
        baseline = Decimal(start if unit is Unit.PERCENT else start * len(infos))
        factor = Decimal("0.6" if direction is ImprovementDirection.DOWN else "1.5")
        target = Decimal(60) if unit is Unit.PERCENT else baseline * factor
        has_target = index % 7 != 6
        snapshots.append(
            IndicatorSnapshot(
                code=f"IND-{index + 1:02d}",
                label=f"{LABELS[index % len(LABELS)]} ({index + 1})",
                axis=list(Axis)[index % len(Axis)],
                unit=unit,
                frequency=Frequency.QUARTERLY,
                directorates=tuple(info.code for info in infos),
                direction=direction,
                baseline=baseline,
                target=target if has_target else None,
                target_year=2030 if has_target else None,
                values=tuple(values),
                aggregation=AggregationRule.WEIGHTED_MEAN if index in WEIGHTED else None,
                weighting_base=WEIGHTING_BASE if index in WEIGHTED else None,
            )
        )
    return snapshots, infos


def measure(function, runs: int) -> tuple[float, float]:
    """p50 and p99 in ms, after one warm-up call (imports, font cache, period parsing cache)."""
    function()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    return statistics.median(timings), p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sample", type=Path, help="write the card, chart and reports of the synthetic data here")
    options = parser.parse_args()

    built = time.perf_counter()
    snapshots, infos = synthetic_catalogue()
    print(f"Données : {len(snapshots)} indicateurs × {len(infos)} directions, "
          f"{sum(len(s.values) for s in snapshots)} valeurs (construites en {time.perf_counter() - built:.2f} s)")
    meetings = [
        UpcomingMeeting("Comité technique", datetime(2026, 12, 10, 13, 0, tzinfo=UTC), "Salle du conseil"),
        UpcomingMeeting("Comité de pilotage", datetime(2027, 1, 21, 9, 30, tzinfo=UTC)),
    ]
    warnings = check_cadence("copil", [(m.starts_at, "planned") for m in meetings[1:]], TODAY)

    def summary():
        return compute_summary(
            snapshots, infos, TODAY, scope=EVERYONE, next_meetings=meetings, cadence_warnings=warnings
        )

    def card_data():
        return summary_card_content(summary())

    def detail_card():
        return summary_detail_card_content(summary())

    def with_chart():
        result = summary()
        summary_card_content(result)
        return card_chart_png(result)

    def full_chart():
        return summary_chart_png(summary())

    print(f"{'mesure':<52}{'p50 (ms)':>10}{'p99 (ms)':>10}")
    for name, function, runs in (
        ("compute_summary", summary, options.runs),
        ("compute_summary + carte (cible 200 ms)", card_data, options.runs),
        ("compute_summary + carte détaillée", detail_card, options.runs),
        ("+ graphique de la carte (cible 1 000 ms)", with_chart, max(5, options.runs // 2)),
        ("compute_summary + graphique complet (2 panneaux)", full_chart, max(5, options.runs // 4)),
    ):
        p50, p99 = measure(function, runs)
        print(f"{name:<52}{p50:>10.1f}{p99:>10.1f}")
    result = summary()
    card = summary_card_content(result)
    card_png = card_chart_png(result)
    png = summary_chart_png(result)
    print(f"Carte : {card_size(card)} octets ; graphique de la carte : {len(card_png)} octets ; "
          f"graphique complet : {len(png)} octets")
    for name, function in (("CSV", values_csv), ("XLSX", values_xlsx)):
        started = time.perf_counter()
        data = function(result)
        print(f"Export {name} : {len(data)} octets en {(time.perf_counter() - started) * 1000:.0f} ms")
    for name, function in (("HTML", report_html), ("PDF", report_pdf)):
        started = time.perf_counter()
        data = function(result)
        print(f"Rapport {name} : {len(data)} octets en {(time.perf_counter() - started) * 1000:.0f} ms")
    if options.sample:
        options.sample.mkdir(parents=True, exist_ok=True)
        (options.sample / "card.json").write_text(json.dumps(card, ensure_ascii=False, indent=1), encoding="utf-8")
        (options.sample / "chart.png").write_bytes(png)
        (options.sample / "card_chart.png").write_bytes(card_png)
        (options.sample / "report.html").write_bytes(report_html(result))
        (options.sample / "report.pdf").write_bytes(report_pdf(result))
        (options.sample / "values.csv").write_bytes(values_csv(result))
        (options.sample / "values.xlsx").write_bytes(values_xlsx(result))
        print(f"Exemples écrits dans {options.sample}")


if __name__ == "__main__":
    main()
