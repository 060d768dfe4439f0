"""Command line: `spaser-bot serve | chat | demo | teams-package | …` (French output for people).

`main(argv, serve=…)` is called by app.py, which gives how to serve the web app (the CLI sits
below the app that assembles it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from bot.settings import Settings, SettingsError

log = logging.getLogger("spaser")


def configure_logging(settings: Settings, verbose: bool = False) -> None:
    """Text lines for a terminal, or one JSON object per line (SPASER_LOG_FORMAT=json) for a log
    collector; each turn is one line either way (bot/observability.py)."""
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        from bot.observability import JsonFormatter

        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s %(turn)s", defaults={"turn": ""}))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO, handlers=[handler], force=True)
    # The outbox drain runs every few seconds: APScheduler's per-run INFO lines would drown the log.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)


def serve(settings: Settings, run_server: Callable[[Settings], None]) -> None:
    from scheduler.instance_lock import InstanceLockError

    configure_logging(settings)
    try:
        run_server(settings)
    except InstanceLockError as error:
        print(f"Démarrage refusé : {error}", file=sys.stderr)
        raise SystemExit(3) from error


async def _with_runtime(settings: Settings, work):
    from bot.runtime import build_runtime

    runtime = build_runtime(settings)
    await runtime.database.migrate()
    try:
        return await work(runtime)
    finally:
        await runtime.close()


def demo(settings: Settings, tenant_id: str) -> None:
    from bot.demo import DEMO_PEOPLE, load_demo

    async def work(runtime):
        return await load_demo(runtime, tenant_id)

    counts = asyncio.run(_with_runtime(settings, work))
    print(f"Organisation de démonstration chargée : {counts['directorates']} directions, {counts['people']} personnes.")
    if "indicators" in counts:
        print(f"Catalogue : {counts['indicators']} indicateurs actifs ; {counts['values']} valeurs passées ajoutées.")
    if "decp_contracts" in counts:
        print(
            f"Données essentielles (DECP) : {counts['decp_contracts']} marchés de l’organisme importés depuis "
            f"decp-demo.json ; {counts['decp_values']} valeurs calculées nouvelles ou mises à jour."
        )
        print("Page publique du SPASER : la personne responsable du SPASER la met en ligne avec « publier la page SPASER ».")
    print("Essayez par exemple :")
    for person in DEMO_PEOPLE[:2] + DEMO_PEOPLE[-1:]:
        print(f"  spaser-bot chat --as {person.email}    # {person.name}, {person.role.described}")


async def _chat_loop(runtime, email: str | None, tenant_id: str, lines) -> None:
    from bot.console import ConsoleConversation, render_as_text

    person = None
    if email:
        person = next((p for p in await runtime.people.list() if p.email == email.lower()), None)
        if person is None:
            print(f"Personne inconnue : {email}. Lancez d’abord « spaser-bot demo » ou choisissez une autre adresse.")
            return
    if person is not None:
        aad_object_id = person.aad_object_id or f"local-{person.email}"
        conversation = ConsoleConversation(runtime, aad_object_id=aad_object_id, name=person.name, tenant_id=tenant_id)
        who = f"{person.name} ({person.role.described if person.role else 'sans rôle'})"
    else:
        conversation = ConsoleConversation(runtime, aad_object_id="local-invite", name="Invité", tenant_id=tenant_id)
        who = "Invité (sans rôle)"
    print(f"Vous parlez à l’assistant du SPASER en tant que {who}. Tapez « quitter » ou Ctrl-D pour sortir.")
    for reply in await conversation.install():
        print(render_as_text(reply), end="\n\n")
    for line in lines:
        text = line.strip()
        if text.lower() in {"quitter", "exit", "quit"}:
            break
        for reply in await conversation.say(text):
            print(render_as_text(reply), end="\n\n")


def chat(settings: Settings, email: str | None, tenant_id: str) -> None:
    def lines():
        while True:
            try:
                yield input("vous > ")
            except EOFError:
                print()
                return

    asyncio.run(_with_runtime(settings, lambda runtime: _chat_loop(runtime, email, tenant_id, lines())))


def teams_package(settings: Settings, output: Path) -> None:
    from bot.teams_package import InvalidPackageError, build_teams_package

    try:
        path = build_teams_package(settings, output)
    except InvalidPackageError as error:
        print(f"Paquet non écrit : {error}", file=sys.stderr)
        raise SystemExit(4) from error
    print(f"Paquet d’application Teams écrit : {path} (manifeste conforme au schéma officiel de Teams).")
    if settings.local_mode:
        print("Attention : MicrosoftAppId est vide ; le manifeste contient un identifiant fictif (usage local uniquement).")
    if not settings.public_url.startswith("https://"):
        print("Attention : SPASER_PUBLIC_URL n’est pas en https ; Teams exige https pour un vrai déploiement.")
    if not settings.dpo_contact:
        print("Attention : SPASER_DPO_CONTACT est vide ; la page de confidentialité ne nomme pas votre délégué·e "
              "à la protection des données.")


def import_spaser(settings: Settings, path: Path) -> None:
    from bot.commands.knowledge import import_report
    from domain.errors import DomainError

    if not path.is_file():
        raise SystemExit(f"Fichier introuvable : {path}")

    async def work(runtime):
        return await runtime.knowledge.import_document(path.read_bytes(), path.name, None)

    try:
        result = asyncio.run(_with_runtime(settings, work))
    except DomainError as error:
        raise SystemExit(f"{error.message}\nRien n’a été modifié.") from error
    print(import_report(path.name, result))


def import_catalogue(settings: Settings, path: Path) -> None:
    from domain.errors import DomainError

    if not path.is_file():
        raise SystemExit(f"Fichier introuvable : {path}")

    async def work(runtime):
        return await runtime.catalogue.import_catalogue(path.read_bytes())

    try:
        result = asyncio.run(_with_runtime(settings, work))
    except DomainError as error:
        raise SystemExit(f"{error.message}\nLe catalogue n’a pas été modifié.") from error
    print(result.message)


def import_decp(settings: Settings, path: Path, sirets: list[str], email: str | None) -> None:
    """The body's DECP file imported, the computed indicators recorded as the lead's (`--par`, or
    the only SPASER lead); every refused record listed with its reason."""
    from domain.decp.reader import MAX_LISTED_PER_REASON
    from domain.errors import DomainError
    from domain.people import Role

    if not path.is_file():
        raise SystemExit(f"Fichier introuvable : {path}")

    async def work(runtime):
        leads = [p for p in await runtime.people.list() if p.role is Role.LEAD]
        chosen = [p for p in leads if email and p.email == email.lower()] if email else leads
        if len(chosen) != 1:
            raise DomainError(
                f"Aucune personne responsable du SPASER n’a l’adresse {email}." if email else
                "Indiquez la personne responsable du SPASER qui importe : --par ADRESSE (sans cette option, il en faut une seule)."
            )
        return await runtime.decp.import_file(path, path.name, chosen[0], sirets)

    try:
        report = asyncio.run(_with_runtime(settings, work))
    except DomainError as error:
        raise SystemExit(f"{error.message}\nRien n’a été importé.") from error
    print(report.text(refusals_shown=MAX_LISTED_PER_REASON))


def export_catalogue(settings: Settings, path: Path) -> None:
    async def work(runtime):
        return await runtime.catalogue.export_catalogue(), await runtime.catalogue.list_indicators(include_inactive=True)

    data, indicators = asyncio.run(_with_runtime(settings, work))
    path.write_bytes(data)
    print(f"Catalogue exporté : {len(indicators)} indicateurs dans {path} (CSV ; UTF-8, lisible par Excel).")


MAX_REMINDERS_LISTED = 20


def reminders(settings: Settings) -> None:
    """What the scheduler will send next, and what the outbox holds (French, for the lead or an operator)."""
    from domain.clock import days_before_text, format_datetime_fr, load_timezone
    from domain.outbox_counts import outbox_counts_text

    async def work(runtime):
        repository = runtime.committees.repository
        return (
            await repository.meetings(),
            await repository.scheduled_reminders(),
            await runtime.outbox.counts_by_kind(),
            await runtime.outbox.unreachable_people_by_kind(),
            len(await runtime.people.lead_names()),
            await runtime.outbox.first_created_at(),
        )

    meetings, scheduled, counts, unreachable_people, lead_count, first = asyncio.run(_with_runtime(settings, work))
    since = first.astimezone(load_timezone(settings.timezone)).date() if first else None
    meetings = {m.id: m for m in meetings}
    audiences = {"members": "membres", "data_collection": "collecte des indicateurs"}
    print(f"Rappels programmés : {len(scheduled)}" if scheduled else "Aucun rappel programmé.")
    for reminder in scheduled[:MAX_REMINDERS_LISTED]:
        meeting = meetings[reminder.meeting_id]
        print(
            f"  {format_datetime_fr(reminder.send_at, settings.timezone)} · {days_before_text(reminder.offset_days)} · "
            f"{audiences.get(reminder.audience, reminder.audience)} · {meeting.label} du "
            f"{format_datetime_fr(meeting.starts_at, settings.timezone)}"
        )
    if len(scheduled) > MAX_REMINDERS_LISTED:
        left_out = len(scheduled) - MAX_REMINDERS_LISTED
        print(f"  … et {left_out} autre{'s' if left_out > 1 else ''} plus tard, non affiché{'s' if left_out > 1 else ''}.")
    print(outbox_counts_text(counts, unreachable_people, lead_count, since))


def export_summary(settings: Settings, export_format: str, output: Path, axis: str | None, directorate: str | None) -> None:
    """The summary (everything: the command line is the operator's) as a COPIL report or values file."""
    from domain.errors import DomainError
    from domain.indicators.catalogue import Axis
    from domain.summary import wording
    from domain.summary.documents import ExportFormat
    from domain.summary.request import SummaryRequest
    from domain.summary.scope import Scope

    async def work(runtime):
        request = SummaryRequest(axis=Axis.parse(axis) if axis else None, directorate=directorate.upper() if directorate else None)
        summary = await runtime.summary.summary(Scope.everything(), request)
        return summary, await runtime.documents.render(summary, ExportFormat(export_format))

    try:
        summary, download = asyncio.run(_with_runtime(settings, work))
    except DomainError as error:
        raise SystemExit(f"Export impossible : {error.message}") from error
    output.write_bytes(download.body)
    print(
        f"Synthèse exportée en {export_format.upper()} : {wording.indicator_count(len(summary.lines))} "
        f"({wording.scope_text(summary)}) dans {output} ({len(download.body)} octets)."
    )


def build_parser(run_server: Callable[[Settings], None]) -> argparse.ArgumentParser:
    """Each sub-command sets `run(settings, args)`; features add theirs here."""
    parser = argparse.ArgumentParser(prog="spaser-bot", description="Assistant Teams pour la gouvernance du SPASER.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="lancer l’assistant (POST /api/messages, GET /healthz)").set_defaults(
        run=lambda settings, args: serve(settings, run_server)
    )
    chat_parser = commands.add_parser("chat", help="discuter avec l’assistant dans le terminal")
    chat_parser.add_argument("--as", dest="email", help="adresse e-mail de la personne à incarner")
    chat_parser.add_argument("--tenant", default="local-tenant", help="identifiant de tenant simulé")
    chat_parser.set_defaults(run=lambda settings, args: chat(settings, args.email, args.tenant))
    demo_parser = commands.add_parser("demo", help="charger une organisation de démonstration")
    demo_parser.add_argument("--tenant", default="local-tenant", help="identifiant de tenant simulé")
    demo_parser.set_defaults(run=lambda settings, args: demo(settings, args.tenant))
    package_parser = commands.add_parser("teams-package", help="construire le paquet d'application Teams (.zip)")
    package_parser.add_argument("--output", type=Path, default=Path("spaser-teams-app.zip"))
    package_parser.set_defaults(run=lambda settings, args: teams_package(settings, args.output))
    spaser_parser = commands.add_parser("import-spaser", help="importer le SPASER adopté (PDF, Markdown ou texte)")
    spaser_parser.add_argument("file", type=Path)
    spaser_parser.set_defaults(run=lambda settings, args: import_spaser(settings, args.file))
    import_parser = commands.add_parser("import-catalogue", help="importer le catalogue des indicateurs (CSV ; tout ou rien)")
    import_parser.add_argument("file", type=Path)
    import_parser.set_defaults(run=lambda settings, args: import_catalogue(settings, args.file))
    decp_parser = commands.add_parser(
        "import-decp", help="importer les données essentielles (DECP, JSON ou CSV) et calculer les indicateurs"
    )
    decp_parser.add_argument("file", type=Path)
    decp_parser.add_argument("--siret", action="append", default=[], help="SIRET de l’organisme (répétable)")
    decp_parser.add_argument("--par", dest="email", help="adresse de la personne responsable du SPASER qui importe")
    decp_parser.set_defaults(run=lambda settings, args: import_decp(settings, args.file, args.siret, args.email))
    export_parser = commands.add_parser("export-catalogue", help="exporter le catalogue des indicateurs (CSV)")
    export_parser.add_argument("file", type=Path)
    export_parser.set_defaults(run=lambda settings, args: export_catalogue(settings, args.file))
    commands.add_parser("rappels", help="les prochains rappels programmés et l’état des envois").set_defaults(
        run=lambda settings, args: reminders(settings)
    )
    summary_parser = commands.add_parser(
        "export-summary", help="exporter la synthèse : rapport pour le comité de pilotage (pdf, html) ou valeurs des indicateurs (csv, xlsx)"
    )
    summary_parser.add_argument("--format", choices=("pdf", "html", "csv", "xlsx"), default="pdf")
    summary_parser.add_argument("--output", type=Path, required=True, help="fichier à écrire")
    summary_parser.add_argument("--axis", help="un axe : social, environnemental, économie responsable, gouvernance")
    summary_parser.add_argument("--direction", help="le code d’une direction (par exemple DCP)")
    summary_parser.set_defaults(
        run=lambda settings, args: export_summary(settings, args.format, args.output, args.axis, args.direction)
    )
    return parser


def settings_or_exit() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as error:
        print(f"Configuration invalide : {error}", file=sys.stderr)
        raise SystemExit(2) from error


def main(argv: list[str] | None, run_server: Callable[[Settings], None]) -> None:
    args = build_parser(run_server).parse_args(argv)
    args.run(settings_or_exit(), args)

