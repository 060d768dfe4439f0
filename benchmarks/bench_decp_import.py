"""Time and peak memory of a DECP import: a year of a big body's contracts (20,000 by default).

Each step runs in a fresh Python process so that its peak resident memory (ru_maxrss) is its own:

- `baseline`: the modules an import needs (storage and domain, not the Teams SDK), nothing read;
- `json.load`: the whole file loaded at once, the naive way (the memory the stream avoids);
- `read`: the file streamed by domain/decp/reader.py (ijson), the body's contracts kept;
- `import`: the whole import through `DecpService.import_file` into a fresh database (SQLite file,
  or PostgreSQL with --postgres URL): read, store the contracts, compute the six measures for every
  quarter, record the values; then the same file again (nothing added twice).

    .venv/bin/python benchmarks/bench_decp_import.py [--rows 20000] [--csv]
        [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BODY = "21990000100015"
TODAY = date(2026, 11, 30)
TARGETS = {"seconds": 60, "megabytes": 200}


def write_file(folder: Path, rows: int, as_csv: bool) -> Path:
    """`rows` contracts notified in 2025, 5 % of another buyer, a few republished with a modification."""
    chance = random.Random(18)
    contracts = []
    for number in range(rows):
        notified = date(2025, 1, 1) + timedelta(days=chance.randrange(365))
        social = chance.sample(["Clause sociale", "Critère social", "Marché réservé"], chance.choice((0, 0, 1, 2)))
        environmental = chance.sample(["Clause environnementale", "Critère environnemental"], chance.choice((0, 1, 1, 2)))
        contract = {
            "id": f"2025{number:07d}"[:16],
            "acheteur": {"id": BODY if chance.random() > 0.05 else "20000000300011"},
            "nature": "Marché", "objet": f"Prestation n° {number} pour les services de la collectivité",
            "codeCPV": "90910000", "procedure": "Procédure adaptée", "dureeMois": 24,
            "dateNotification": notified.isoformat(), "datePublicationDonnees": (notified + timedelta(days=30)).isoformat(),
            "montant": round(40_000 + chance.paretovariate(1.5) * 20_000, 2),
            "titulaires": [{"titulaire": {"id": f"{chance.randrange(10**13, 10**14)}", "typeIdentifiant": "SIRET"}}],
            "considerationsSociales": {"considerationSociale": social or ["Pas de considération sociale"]},
            "considerationsEnvironnementales": {"considerationEnvironnementale": environmental or ["Pas de considération environnementale"]},
        }
        if number % 50 == 0:
            contract["modifications"] = [{"modification": {"id": 1, "dateNotificationModification": "2025-12-01", "montant": 99_000}}]
        contracts.append(contract)
    if not as_csv:
        path = folder / "decp-20000.json"
        path.write_text(json.dumps({"marches": {"marche": contracts}}, ensure_ascii=False), encoding="utf-8")
        return path
    import csv

    path = folder / "decp-20000.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["uid", "id", "acheteur_id", "objet", "montant", "dateNotification", "considerationsSociales", "considerationsEnvironnementales"])
        for c in contracts:
            writer.writerow([c["acheteur"]["id"] + c["id"], c["id"], c["acheteur"]["id"], c["objet"], c["montant"], c["dateNotification"],
                             ", ".join(c["considerationsSociales"]["considerationSociale"]),
                             ", ".join(c["considerationsEnvironnementales"]["considerationEnvironnementale"])])
    return path


def step(name: str, path: Path, database_url: str | None) -> dict:
    """One measured step, in this process."""
    import domain.decp.reader as reader
    import storage.decp.service  # noqa: F401 - what the import needs, for a fair baseline
    import storage.tables  # noqa: F401

    started = time.perf_counter()
    result: dict = {}
    if name == "json.load":
        with path.open("rb") as stream:
            result["records"] = len(json.load(stream)["marches"]["marche"])
    elif name == "read":
        parsed = reader.read_decp_file(path, [BODY], TODAY)
        result.update(records=parsed.records, kept=len(parsed.contracts))
    elif name == "import":
        result.update(asyncio.run(_import(path, database_url)))
    result["seconds"] = time.perf_counter() - started
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


async def _import(path: Path, database_url: str) -> dict:
    from domain.clock import FakeClock
    from domain.indicators.catalogue import CATALOGUE_COLUMNS
    from domain.people import Role
    from storage.db import Database
    from storage.decp.service import DecpService
    from storage.indicators import indicator_repositories
    from storage.people import DirectorateRepository, PeopleRepository

    database = Database(database_url)
    await database.migrate()
    await DirectorateRepository(database).add("DCP", "Direction de la commande publique")
    lead = await PeopleRepository(database).assign("lead@ville.fr", Role.LEAD, "DCP", name="Responsable")
    clock = FakeClock(datetime(2026, 11, 30, 9, tzinfo=UTC))
    catalogue, values = indicator_repositories(database, clock=clock)
    measures = [("%", "decp:part-sociale-nombre"), ("%", "decp:part-sociale-montant"), ("%", "decp:part-environnementale-nombre"),
                ("%", "decp:part-environnementale-montant"), ("nombre", "decp:marches-reserves-nombre"), ("€", "decp:marches-reserves-montant")]
    lines = [";".join(CATALOGUE_COLUMNS)] + [
        f"M-{n};Mesure {n};social;{unit};DCP;trimestrielle;;;;hausse;DECP;non;oui;;;;{computation}"
        for n, (unit, computation) in enumerate(measures)
    ]
    await catalogue.import_catalogue(("\n".join(lines) + "\n").encode())
    service = DecpService(database, catalogue, values, clock, "Europe/Paris", [BODY])
    first_started = time.perf_counter()
    report = await service.import_file(path, path.name, lead)
    first = time.perf_counter() - first_started
    again_started = time.perf_counter()
    again = await service.import_file(path, path.name, lead)
    second = time.perf_counter() - again_started
    await database.dispose()
    return {"records": report.records, "kept": report.kept, "values": len(report.changes), "first_import_s": first,
            "again_s": second, "again_new": again.new, "again_updated": again.updated, "again_changes": len(again.changes)}


BENCH_DATABASE = "bench_decp_import"


async def _postgres_database(url: str, *, create: bool) -> str:
    """A throwaway database on the server of `url` (created, or dropped), so nothing else is touched."""
    import asyncpg

    server = url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        if create:
            await connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    finally:
        await connection.close()
    return url.rsplit("/", 1)[0] + f"/{BENCH_DATABASE}"


def run_child(name: str, path: Path, database_url: str | None) -> dict:
    command = [sys.executable, __file__, "--step", name, "--file", str(path)]
    if database_url:
        command += ["--database", database_url]
    output = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--csv", action="store_true", help="the consolidated CSV instead of the JSON")
    parser.add_argument("--postgres", help="also import into PostgreSQL: a throwaway database on this URL's server, dropped after")
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args.step, args.file, args.database)))
        return
    with tempfile.TemporaryDirectory(prefix="bench-decp-") as folder:
        path = write_file(Path(folder), args.rows, args.csv)
        print(f"File: {path.name}, {args.rows} contracts, {path.stat().st_size / 1e6:.1f} MB")
        steps = ["baseline", "read", "import"] if args.csv else ["baseline", "json.load", "read", "import"]
        databases = {"import": f"sqlite+aiosqlite:///{folder}/bench.db"}
        results = {name: run_child(name, path, databases.get(name)) for name in steps}
        if args.postgres:
            throwaway = asyncio.run(_postgres_database(args.postgres, create=True))
            try:
                results["import (PostgreSQL)"] = run_child("import", path, throwaway)
            finally:
                asyncio.run(_postgres_database(args.postgres, create=False))
    baseline = results["baseline"]["peak_mb"]
    print(f"{'step':22} {'time':>8} {'peak RSS':>9} {'over baseline':>14}")
    for name, result in results.items():
        print(f"{name:22} {result['seconds']:7.2f}s {result['peak_mb']:7.0f}MB {result['peak_mb'] - baseline:12.0f}MB")
    for name in ("import", "import (PostgreSQL)"):
        if name in results:
            r = results[name]
            print(f"{name}: {r['records']} read, {r['kept']} kept, {r['values']} figures; first import {r['first_import_s']:.2f} s; "
                  f"same file again {r['again_s']:.2f} s, {r['again_new']} new, {r['again_updated']} updated, {r['again_changes']} changed values")
            ok = r["seconds"] < TARGETS["seconds"] and r["peak_mb"] < TARGETS["megabytes"]
            print(f"VERDICT {name}: {'PASS' if ok else 'FAIL'} (targets: < {TARGETS['seconds']} s, < {TARGETS['megabytes']} MB peak)")


if __name__ == "__main__":
    main()
