"""The ``yousaid`` command line."""

from __future__ import annotations

import asyncio
import csv
import sys
from pathlib import Path
from typing import Annotated

import typer

from bots.log_setup import configure_logging
from bots.terminal.adapter import run_terminal
from bots.wiring import open_core
from core.config import ConfigError, Settings, load_settings
from core.results import COLUMNS, UnknownConsultation, export_results
from dialogs.loader import ScriptError, load_script
from storage.database import make_engine, make_session_factory, upgrade
from storage.unit_of_work import sql_unit_of_work_factory

app = typer.Typer(
    help="YouSaid: a chat bot that gives young people a real voice.", no_args_is_help=True
)
db_app = typer.Typer(help="Look after the database.", no_args_is_help=True)
dialogs_app = typer.Typer(help="Work with dialog scripts.", no_args_is_help=True)
results_app = typer.Typer(help="Get consultation results out.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(dialogs_app, name="dialogs")
deliveries_app = typer.Typer(help="Follow messages queued for sending.", no_args_is_help=True)
app.add_typer(results_app, name="results")
app.add_typer(deliveries_app, name="deliveries")


def _settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


@app.command()
def demo(
    user: Annotated[str, typer.Option(help="A name for this terminal chat (not stored).")] = "demo",
) -> None:
    """Take part in a consultation in the terminal (answers can be piped in)."""
    settings = _settings()

    async def chat() -> None:
        async with open_core(settings.database_url) as core:
            await run_terminal(core, user, sys.stdin, sys.stdout)

    asyncio.run(chat())


@app.command()
def run() -> None:
    """Start the chat adapters that have tokens set."""
    settings = _settings()
    configured = [
        name
        for name, token in (
            ("Telegram", settings.telegram_token),
            ("Discord", settings.discord_token),
        )
        if token is not None
    ]
    if not configured:
        typer.echo(
            "No chat platform is set up. Set YOUSAID_TELEGRAM_TOKEN or YOUSAID_DISCORD_TOKEN "
            "(or both), then run this again. To try YouSaid without one: yousaid demo",
            err=True,
        )
        raise typer.Exit(2)
    from bots.errors import AdapterStartError
    from bots.runner import run_adapters

    secrets = [t.get_secret_value() for t in (settings.telegram_token, settings.discord_token) if t]
    configure_logging(secrets)
    typer.echo(f"Starting YouSaid for {' and '.join(configured)}.", err=True)
    try:
        asyncio.run(run_adapters(settings))
    except AdapterStartError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every database migration that has not run yet."""
    settings = _settings()

    async def migrate() -> None:
        engine = make_engine(settings.database_url)
        try:
            await upgrade(engine)
        finally:
            await engine.dispose()

    asyncio.run(migrate())
    typer.echo("The database is up to date.")


@dialogs_app.command("check")
def dialogs_check(files: Annotated[list[Path], typer.Argument(help="Script files.")]) -> None:
    """Check dialog scripts; each problem is shown as file:line: field: message."""
    failed = False
    for path in files:
        try:
            script = load_script(path)
        except ScriptError as error:
            failed = True
            typer.echo(str(error), err=True)
        except OSError as error:
            failed = True
            typer.echo(f"{path}: cannot read: {error.strerror}", err=True)
        else:
            typer.echo(f"{path}: ok ({len(script.questions)} questions)")
    if failed:
        raise typer.Exit(1)


@results_app.command("export")
def results_export(
    consultation: Annotated[str, typer.Argument(help="The consultation's short name.")],
    format: Annotated[str, typer.Option("--format", help="Only csv for now.")] = "csv",
    output: Annotated[Path | None, typer.Option(help="File to write (default: screen).")] = None,
) -> None:
    """Export a consultation's answers with age bands (never chat ids)."""
    if format != "csv":
        typer.echo(f"Unknown format '{format}'. Use --format csv.", err=True)
        raise typer.Exit(2)
    settings = _settings()

    async def fetch() -> list[tuple[str | int, ...]]:
        engine = make_engine(settings.database_url)
        try:
            await upgrade(engine)
            factory = sql_unit_of_work_factory(make_session_factory(engine))
            return [row.as_tuple() for row in await export_results(factory, consultation)]
        finally:
            await engine.dispose()

    try:
        rows = asyncio.run(fetch())
    except UnknownConsultation:
        typer.echo(f"No consultation is called '{consultation}'.", err=True)
        raise typer.Exit(1) from None
    stream = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    finally:
        if output:
            stream.close()


@deliveries_app.command("status")
def deliveries_status(
    broadcast: Annotated[str | None, typer.Option(help="Only this broadcast.")] = None,
    watch: Annotated[bool, typer.Option(help="Refresh each second until all are done.")] = False,
) -> None:
    """Show how many messages are pending, sent and failed, with a progress bar."""
    settings = _settings()

    async def show() -> None:
        engine = make_engine(settings.database_url)
        try:
            await upgrade(engine)
            factory = sql_unit_of_work_factory(make_session_factory(engine))
            while True:
                async with factory() as uow:
                    counts = await uow.deliveries.status_counts(broadcast)
                typer.echo(delivery_progress(counts))
                if not watch or not counts.get("pending", 0) + counts.get("sending", 0):
                    return
                await asyncio.sleep(1)
        finally:
            await engine.dispose()

    asyncio.run(show())


def delivery_progress(counts: dict[str, int], width: int = 30) -> str:
    """One line: a bar of finished deliveries, then the count in each state."""
    total = sum(counts.values())
    done = counts.get("sent", 0) + counts.get("failed", 0)
    filled = round(width * done / total) if total else width
    states = ", ".join(f"{state} {counts.get(state, 0)}" for state in _STATES)
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} done: {states}"


_STATES = ("pending", "sending", "sent", "failed")
