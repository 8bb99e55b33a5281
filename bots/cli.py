"""The ``yousaid`` command line."""

from __future__ import annotations

import asyncio
import csv
import logging
import sqlite3
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bots.log_setup import configure_logging
from bots.terminal.adapter import run_terminal
from bots.wiring import open_core
from core.config import ConfigError, Settings, load_settings
from core.domain import CardReport, ForumHours, Outcome, OutcomeStatus
from core.hours import SendHours
from core.messages import Address, Platform
from core.outcomes import OutcomeChange, OutcomeError, OutcomeWords
from core.ports import UnitOfWorkFactory
from core.results import COLUMNS, UnknownConsultation, export_results
from core.safeguarding import Alert, AlertStatus, when
from core.safeguarding_flow import Acknowledged
from core.service import YouSaid
from dialogs.loader import ScriptError, load_script
from storage.database import make_engine, upgrade
from storage.unit_of_work import sql_unit_of_work_factory

T = TypeVar("T")

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
alerts_app = typer.Typer(
    help="Safeguarding alerts: see them, and say you've seen them.", no_args_is_help=True
)
app.add_typer(alerts_app, name="alerts")
ballot_app = typer.Typer(help="Run secret ballots.", no_args_is_help=True)
tender_app = typer.Typer(help="Rank bids from the tender panel's scores.", no_args_is_help=True)
app.add_typer(ballot_app, name="ballot")
app.add_typer(tender_app, name="tender")
glossary_app = typer.Typer(
    help="A forum's own words and what they mean (CSV: term,kind,explanation).",
    no_args_is_help=True,
)
redcards_app = typer.Typer(
    help="Red cards young people raised on adults' words.", no_args_is_help=True
)
app.add_typer(glossary_app, name="glossary")
app.add_typer(redcards_app, name="redcards")
FORUM_HELP = "The forum: its number, or platform:group like telegram:-100123."
invite_app = typer.Typer(
    help="Invite codes for children under 13, once a parent or carer has agreed.",
    no_args_is_help=True,
)
person_app = typer.Typer(
    help="A person's rights, for requests made outside the bot.", no_args_is_help=True
)
app.add_typer(invite_app, name="invite-codes")
app.add_typer(person_app, name="person")
outcome_app = typer.Typer(
    help="You said, we did: what was done about what young people said.", no_args_is_help=True
)
app.add_typer(outcome_app, name="outcome")
forum_app = typer.Typer(help="A forum's own settings.", no_args_is_help=True)
app.add_typer(forum_app, name="forum")
AS_HELP = "Who writes it: a commissioner or admin, as telegram:USER_ID or discord:USER_ID."


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
    configure_logging(secrets, json_lines=settings.log_format == "json")
    logging.getLogger(__name__).info("starting YouSaid for %s", " and ".join(configured))
    try:
        asyncio.run(run_adapters(settings))
    except AdapterStartError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None


@app.command()
def health(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for an answer.")] = 5.0,
) -> None:
    """Ask the running bot's /healthz (at YOUSAID_HTTP_LISTEN); exit 0 only when healthy."""
    import urllib.error
    import urllib.request

    from core.config import host_and_port

    settings = _settings()
    host, port = host_and_port(settings.http_listen)
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            typer.echo(response.read().decode())
    except urllib.error.HTTPError as error:
        typer.echo(error.read().decode(), err=True)
        raise typer.Exit(1) from None
    except (urllib.error.URLError, OSError) as error:
        typer.echo(f"No answer from {url}: {getattr(error, 'reason', error)}", err=True)
        raise typer.Exit(1) from None


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


@db_app.command("backup")
def db_backup(file: Annotated[Path, typer.Argument(help="The backup file to write.")]) -> None:
    """Copy the whole database into FILE, also while the bot runs (restore: docs/operations.md)."""
    from storage.backup import BackupError, backup

    settings = _settings()
    try:
        typer.echo(backup(settings.database_url, file))
    except (BackupError, OSError, sqlite3.Error) as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


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
            factory = sql_unit_of_work_factory(engine)
            return [row.as_tuple() for row in await export_results(factory, consultation)]
        finally:
            await engine.dispose()

    try:
        rows = asyncio.run(fetch())
    except UnknownConsultation:
        typer.echo(f"No consultation is called '{consultation}'.", err=True)
        raise typer.Exit(1) from None
    _write_csv(output, COLUMNS, rows)


def _write_csv(
    output: Path | None, columns: Sequence[str], rows: Iterable[Sequence[str | int]]
) -> None:
    """CSV with a header row, to a file or the screen."""
    stream = output.open("w", newline="", encoding="utf-8") if output else sys.stdout
    try:
        writer = csv.writer(stream)
        writer.writerow(columns)
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
            factory = sql_unit_of_work_factory(engine)
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


async def _on_database(url: str, work: Callable[[UnitOfWorkFactory], Awaitable[T]]) -> T:
    engine = make_engine(url)
    try:
        await upgrade(engine)
        return await work(sql_unit_of_work_factory(engine))
    finally:
        await engine.dispose()


@ballot_app.command("open")
def ballot_open(
    question: Annotated[str, typer.Argument(help="The question.")],
    options: Annotated[list[str], typer.Argument(help="2 to 10 options.")],
    platform: Annotated[str, typer.Option(help="telegram or discord.")] = "telegram",
    group: Annotated[
        str, typer.Option(help="The forum's group (Telegram chat, Discord server).")
    ] = "",
    chat: Annotated[
        str | None, typer.Option(help="Where to announce it (default: the group).")
    ] = None,
    method: Annotated[str, typer.Option(help="plurality, approval, irv or stv.")] = "plurality",
    seats: Annotated[int, typer.Option(help="How many to choose.")] = 1,
    ron: Annotated[bool, typer.Option(help='Add "Re-open nominations".')] = False,
    hours: Annotated[float, typer.Option(help="How long it stays open.")] = 24.0,
    turnout: Annotated[int, typer.Option(help="Votes needed before results are shown.")] = 5,
    codes: Annotated[int, typer.Option(help="Make this many invite codes (0: members vote).")] = 0,
) -> None:
    """Open a secret ballot; the running bot announces it. Invite codes are shown only here."""
    from datetime import UTC, datetime, timedelta

    from core.ballots import BallotError
    from core.domain import Electorate
    from core.messages import Platform

    settings = _settings()
    if platform not in ("telegram", "discord") or not group:
        typer.echo("Give --platform telegram or discord, and --group.", err=True)
        raise typer.Exit(2)

    async def open_it() -> tuple[int, str, list[str]]:
        async with open_core(settings.database_url, with_bundled=False) as core:
            ballot, reply, made = await core.open_ballot(
                Platform(platform),
                group,
                chat or group,
                question,
                options,
                method,  # type: ignore[arg-type]
                seats,
                ron,
                closes_at=datetime.now(UTC) + timedelta(hours=hours),
                min_turnout=turnout,
                electorate=Electorate.CODES if codes else Electorate.MEMBERS,
                codes=codes,
            )
            return ballot.id, reply.text, made

    try:
        ballot_id, text, made = asyncio.run(open_it())
    except BallotError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Ballot {ballot_id} is open. The bot will post this:\n\n{text}")
    if made:
        typer.echo("\nInvite codes (each works once; they are not stored, keep this list):")
        typer.echo("\n".join(made))


@ballot_app.command("export")
def ballot_export(
    ballot_id: Annotated[int, typer.Argument(help="The ballot's number.")],
    output: Annotated[Path | None, typer.Option(help="File to write (default: screen).")] = None,
) -> None:
    """Export a closed ballot's votes as CSV, in their shuffled order, never who cast them."""
    from core.ballot_admin import EXPORT_COLUMNS, BallotNotExportable, export_ballot

    settings = _settings()
    try:
        _, rows = asyncio.run(
            _on_database(settings.database_url, lambda f: export_ballot(f, ballot_id))
        )
    except BallotNotExportable as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    _write_csv(output, EXPORT_COLUMNS, rows)


@tender_app.command("ranking")
def tender_ranking(
    consultation: Annotated[str, typer.Argument(help="The tender panel consultation.")],
    weights: Annotated[str, typer.Option(help="Agreed weights, like listen=2,reach=1.")] = "",
) -> None:
    """Rank the bids by the panel's weighted average score, with the reasons given."""
    from core.tender import parse_weights, ranking_for

    settings = _settings()
    try:
        agreed = parse_weights(weights)
        ranking = asyncio.run(
            _on_database(settings.database_url, lambda f: ranking_for(f, consultation, agreed))
        )
    except UnknownConsultation:
        typer.echo(f"No consultation is called '{consultation}'.", err=True)
        raise typer.Exit(1) from None
    except ValueError as error:
        typer.echo(f"Weights: {error}", err=True)
        raise typer.Exit(2) from None
    if not ranking:
        typer.echo("Nobody has scored a bid yet.")
    for bid in ranking:
        score = "no scores" if bid.score is None else f"{bid.score:.2f} out of 5"
        typer.echo(f"{bid.rank}. {bid.bid}: {score} ({bid.panel} on the panel)")
        for question in bid.questions:
            average = "-" if question.average is None else f"{question.average:.2f}"
            typer.echo(f"   {question.question_id} (weight {question.weight:g}): {average}")
            for reason in question.reasons:
                typer.echo(f"      - {reason}")


@app.command()
def report(
    forum: Annotated[str, typer.Argument(help="The forum's number, group id or title.")],
    output: Annotated[Path, typer.Option(help="The HTML file to write.")] = Path("report.html"),
) -> None:
    """Write a forum's report as one HTML page to open in a browser or print."""
    from datetime import UTC, datetime

    from core.report import UnknownForum, forum_report
    from core.report_html import render_html

    settings = _settings()
    try:
        made = asyncio.run(
            _on_database(settings.database_url, lambda f: forum_report(f, forum, datetime.now(UTC)))
        )
    except UnknownForum:
        typer.echo(f"No forum has the number, group id or title '{forum}'.", err=True)
        raise typer.Exit(1) from None
    output.write_text(render_html(made, settings.zone), encoding="utf-8")
    typer.echo(f"Report written to {output}.")


@alerts_app.command("list")
def alerts_list(
    all_alerts: Annotated[
        bool, typer.Option("--all", help="Also alerts already marked as seen.")
    ] = False,
) -> None:
    """Show safeguarding alerts nobody has said they've seen yet (or all of them)."""
    settings = _settings()

    async def fetch() -> list[Alert]:
        async with open_core(
            settings.database_url, with_bundled=False, safeguarding=settings.safeguarding
        ) as core:
            return await core.alerts(include_acknowledged=all_alerts)

    alerts = asyncio.run(fetch())
    if not alerts:
        typer.echo("No safeguarding alerts." if all_alerts else "No alerts waiting to be seen.")
    for alert in alerts:
        typer.echo(alert_line(alert))


@alerts_app.command("ack")
def alerts_ack(
    number: Annotated[int, typer.Argument(help="The alert number.")],
    by: Annotated[str, typer.Option(help="Who has seen it (kept with the alert).")] = "",
) -> None:
    """Mark a safeguarding alert as seen, so it is no longer sent again."""
    settings = _settings()

    async def acknowledge() -> Acknowledged:
        async with open_core(
            settings.database_url, with_bundled=False, safeguarding=settings.safeguarding
        ) as core:
            outcome, _ = await core.acknowledge_alert(number, f"command line {by}".strip())
            return outcome

    outcome = asyncio.run(acknowledge())
    if outcome == Acknowledged.UNKNOWN:
        typer.echo(f"There is no alert {number}.", err=True)
        raise typer.Exit(1)
    if outcome == Acknowledged.ALREADY:
        typer.echo(f"Alert {number} was already marked as seen.")
        return
    typer.echo(f"Alert {number} is marked as seen. It won't be sent again.")


@alerts_app.command("delete")
def alerts_delete(
    seen_before: Annotated[
        str, typer.Option(help="Delete alerts raised before this day (YYYY-MM-DD) and seen.")
    ],
) -> None:
    """Delete old alerts someone has seen, as the safeguarding lead's retention rules say."""
    from datetime import date, datetime, time

    settings = _settings()
    try:
        day = date.fromisoformat(seen_before)
    except ValueError:
        typer.echo("Give --seen-before like 2026-01-31.", err=True)
        raise typer.Exit(2) from None

    async def delete() -> int:
        async with open_core(
            settings.database_url, with_bundled=False, safeguarding=settings.safeguarding
        ) as core:
            return await core.delete_seen_alerts(datetime.combine(day, time(), settings.zone))

    deleted = asyncio.run(delete())
    typer.echo(f"Deleted {deleted} seen alerts raised before {day}. Alerts nobody has seen stay.")


def alert_line(alert: Alert) -> str:
    """One alert in a line or two: number, time, who, where, state, and the words."""
    who = (
        f"participant {alert.participant_number}"
        if alert.participant_number is not None
        else "not started"
    )
    if alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_at is not None:
        state = f"seen {when(alert.acknowledged_at)} by {alert.acknowledged_by}"
    else:
        state = f"NOT SEEN, sent {alert.rounds}x" + (", deputies told" if alert.escalated else "")
    text = " ".join(alert.text.split())
    return (
        f"#{alert.id}  {when(alert.created_at)}  {who}  {alert.platform}:{alert.user_id}  "
        f"[{state}]\n    {text}"
    )


@glossary_app.command("import")
def glossary_import(
    file: Annotated[Path, typer.Argument(help="A CSV file with columns term,kind,explanation.")],
    forum: Annotated[str, typer.Option(help=FORUM_HELP)],
) -> None:
    """Add words and what they mean to a forum's own glossary; they win over the built-in ones.

    Explanations young people may find hard are shown as warnings, and added all the same.
    """
    from core.plain_words import check
    from core.plain_words.glossary import parse_glossary

    settings = _settings()
    try:
        entries = parse_glossary(file.read_text(encoding="utf-8"), str(file))
    except OSError as error:
        typer.echo(f"{file}: cannot read: {error.strerror}", err=True)
        raise typer.Exit(1) from None
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    for entry in entries:
        findings = check(entry.explanation)
        if not findings.plain:
            problems = "; ".join(findings.problems())
            typer.echo(f"{file}: '{entry.term}': hard to read: {problems}", err=True)

    async def add() -> tuple[int, int] | None:
        async with open_core(settings.database_url, with_bundled=False) as core:
            found = await core.find_forum(forum)
            if found is None:
                return None
            added = await core.add_forum_terms(found.id, {e.term: e.explanation for e in entries})
            return found.id, added

    done = asyncio.run(add())
    if done is None:
        typer.echo(f"There is no forum '{forum}'. {FORUM_HELP}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Added {done[1]} words to the glossary of forum {done[0]}.")


@glossary_app.command("export")
def glossary_export(
    forum: Annotated[
        str | None, typer.Option(help=f"{FORUM_HELP} Without it: the built-in glossary.")
    ] = None,
    output: Annotated[Path | None, typer.Option(help="File to write (default: screen).")] = None,
) -> None:
    """Write a glossary as CSV (term,kind,explanation): a forum's own words, or the built-in."""
    from core.plain_words import builtin, kind_of

    settings = _settings()

    async def fetch() -> dict[str, str] | None:
        if forum is None:
            return {entry.term: entry.explanation for entry in builtin()}
        async with open_core(settings.database_url, with_bundled=False) as core:
            found = await core.find_forum(forum)
            return None if found is None else await core.forum_terms(found.id)

    terms = asyncio.run(fetch())
    if terms is None:
        typer.echo(f"There is no forum '{forum}'. {FORUM_HELP}", err=True)
        raise typer.Exit(1)
    rows = [(term, kind_of(term), explanation) for term, explanation in terms.items()]
    _write_csv(output, ("term", "kind", "explanation"), rows)


@redcards_app.command("export")
def redcards_export(
    forum: Annotated[str | None, typer.Option(help=f"{FORUM_HELP} Without it: all.")] = None,
    cards: Annotated[bool, typer.Option(help="One row per card, with its explanation.")] = False,
    output: Annotated[Path | None, typer.Option(help="File to write (default: screen).")] = None,
) -> None:
    """Red-card statistics as CSV: per forum and per author, or one row per card.

    Cards raised, words carded, how many were explained and how fast, the most-carded words.
    Who raised a card is never in it.
    """
    from core.red_card_stats import CARD_COLUMNS, SUMMARY_COLUMNS, card_rows, summary_rows

    settings = _settings()

    async def fetch() -> list[CardReport] | None:
        async with open_core(settings.database_url, with_bundled=False) as core:
            if forum is None:
                return await core.red_card_report()
            found = await core.find_forum(forum)
            return None if found is None else await core.red_card_report(found.id)

    reports = asyncio.run(fetch())
    if reports is None:
        typer.echo(f"There is no forum '{forum}'. {FORUM_HELP}", err=True)
        raise typer.Exit(1)
    if cards:
        _write_csv(output, CARD_COLUMNS, card_rows(reports))
    else:
        _write_csv(output, SUMMARY_COLUMNS, summary_rows(reports))


@invite_app.command("make")
def invite_codes_make(
    forum: Annotated[
        str, typer.Option(help="The forum's group: telegram:GROUP_CHAT_ID or discord:SERVER_ID.")
    ],
    count: Annotated[int, typer.Option(help="How many codes to make.")] = 1,
    expires: Annotated[
        str | None,
        typer.Option(help="The last day the codes work, as YYYY-MM-DD (default: in 30 days)."),
    ] = None,
) -> None:
    """Make single-use codes for children under 13 to join a forum; shown only here.

    Give a code to a child only once a parent or carer has agreed (a form, a letter). Only the
    codes' one-way hashes are kept, so keep this list safe.
    """
    from datetime import date, datetime, time, timedelta

    from core.safeguarding import parse_leads

    settings = _settings()
    try:
        [group] = parse_leads(forum)
        last_day = date.fromisoformat(expires) if expires else date.today() + timedelta(days=30)
    except ValueError:
        typer.echo(
            "Give --forum like telegram:-1001234567 and --expires like 2026-12-31.", err=True
        )
        raise typer.Exit(2) from None
    ends = datetime.combine(last_day, time(23, 59, 59), settings.zone)

    async def make() -> list[str]:
        async with open_core(settings.database_url, with_bundled=False) as core:
            return await core.make_invite_codes(
                Platform(group.platform), group.user_id, count, ends
            )

    try:
        codes = asyncio.run(make())
    except ValueError as error:
        typer.echo(f"Can't make the codes: {error}.", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{len(codes)} invite codes for {forum}, working once each until {last_day}:")
    typer.echo("\n".join(codes))


def _person(platform: str, user: str) -> tuple[Settings, Platform]:
    if platform not in ("telegram", "discord", "terminal") or not user:
        typer.echo("Give --platform telegram, discord or terminal, and --user.", err=True)
        raise typer.Exit(2)
    return _settings(), Platform(platform)


@person_app.command("export")
def person_export(
    platform: Annotated[str, typer.Option(help="telegram, discord or terminal.")],
    user: Annotated[str, typer.Option(help="The person's user id on that platform.")],
    output: Annotated[Path | None, typer.Option(help="File to write (default: screen).")] = None,
) -> None:
    """Everything kept about one person, as JSON (what /mydata sends them)."""
    import json

    settings, chat = _person(platform, user)

    async def fetch() -> dict[str, object] | None:
        async with open_core(settings.database_url, with_bundled=False) as core:
            return await core.person_data(chat, user)

    record = asyncio.run(fetch())
    if record is None:
        typer.echo(f"Nobody is known as {platform} user {user}.", err=True)
        raise typer.Exit(1)
    text = json.dumps(record, indent=2, ensure_ascii=False)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"Written to {output}.")


@person_app.command("forget")
def person_forget(
    platform: Annotated[str, typer.Option(help="telegram, discord or terminal.")],
    user: Annotated[str, typer.Option(help="The person's user id on that platform.")],
    yes: Annotated[bool, typer.Option("--yes", help="Don't ask to confirm.")] = False,
) -> None:
    """Erase one person everywhere, as /forgetme does; anonymous counts and votes stay."""
    settings, chat = _person(platform, user)
    if not yes:
        typer.confirm(f"Erase everything kept about {platform} user {user}?", abort=True)

    async def forget() -> bool:
        async with open_core(settings.database_url, with_bundled=False) as core:
            return await core.forget_person(chat, user)

    if not asyncio.run(forget()):
        typer.echo(f"Nobody is known as {platform} user {user}.", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"Erased {platform} user {user}. Safeguarding alerts are kept under the safeguarding "
        "lead's rules."
    )


def _writer(account: str) -> Address:
    from core.safeguarding import parse_leads

    try:
        [lead] = parse_leads(account)
    except ValueError:
        typer.echo("Give --as like telegram:12345 or discord:12345.", err=True)
        raise typer.Exit(2) from None
    return Address(Platform(lead.platform), lead.user_id, lead.user_id)


def _write_outcome(work: Callable[[YouSaid], Awaitable[Outcome]]) -> Outcome:
    settings = _settings()

    async def write() -> Outcome:
        async with open_core(settings.database_url, with_bundled=False) as core:
            return await work(core)

    try:
        return asyncio.run(write())
    except OutcomeError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None


@outcome_app.command("add")
def outcome_add(
    consultation: Annotated[str, typer.Argument(help="The consultation's short name.")],
    account: Annotated[str, typer.Option("--as", help=AS_HELP)],
    you_said: Annotated[str, typer.Option(help="What young people said, in short.")],
    we_did: Annotated[str, typer.Option(help="What was done, or why it could not be.")],
    next_steps: Annotated[str, typer.Option(help="The difference it makes, and what is next.")],
    status: Annotated[OutcomeStatus, typer.Option(help="How far it has got.")] = (
        OutcomeStatus.PLANNED
    ),
    progress: Annotated[int, typer.Option(help="How far along, from 0 to 100 (%).")] = 0,
    question: Annotated[
        list[str] | None,
        typer.Option(help="A question it answers (again for more); only its answerers are told."),
    ] = None,
) -> None:
    """Publish what was done about a consultation; everyone who took part is thanked."""
    by = _writer(account)
    words = OutcomeWords(you_said, we_did, next_steps)
    outcome = _write_outcome(
        lambda core: core.add_outcome(by, consultation, words, status, progress, question or [])
    )
    typer.echo(f"Outcome {outcome.id} published; the thank-yous are queued.")


@outcome_app.command("update")
def outcome_update(
    number: Annotated[int, typer.Argument(help="The outcome's number (see outcome list).")],
    account: Annotated[str, typer.Option("--as", help=AS_HELP)],
    you_said: Annotated[str | None, typer.Option(help="New words for what they said.")] = None,
    we_did: Annotated[str | None, typer.Option(help="New words for what was done.")] = None,
    next_steps: Annotated[str | None, typer.Option(help="New words for what is next.")] = None,
    status: Annotated[OutcomeStatus | None, typer.Option(help="A new stage.")] = None,
    progress: Annotated[int | None, typer.Option(help="How far along, from 0 to 100.")] = None,
    at: Annotated[
        str | None,
        typer.Option(help="When to send the next progress update: 'YYYY-MM-DD HH:MM', local time."),
    ] = None,
) -> None:
    """Change an outcome (a new stage thanks everyone again), or time its next progress update."""
    from core.outcome_command import when_local

    by = _writer(account)
    update_at = None
    if at is not None:
        update_at = when_local(at, _settings().zone)
        if update_at is None:
            typer.echo("Give --at like '2027-01-15 16:30'.", err=True)
            raise typer.Exit(2)
    change = OutcomeChange(you_said, we_did, next_steps, status, progress, update_at)
    outcome = _write_outcome(lambda core: core.update_outcome(by, number, change))
    if change.words_or_stage or update_at is None:
        typer.echo(f"Outcome {outcome.id} is now {outcome.status} at {outcome.progress}%.")
    if update_at is not None:
        typer.echo(f"The next progress update on outcome {outcome.id} goes out at {at}.")


@outcome_app.command("list")
def outcome_list(
    consultation: Annotated[str, typer.Argument(help="The consultation's short name.")],
) -> None:
    """A consultation's outcomes, with how many said each made a difference (👍 😐 👎)."""
    from core import texts

    settings = _settings()

    async def fetch() -> list[tuple[Outcome, dict[str, int]]]:
        async with open_core(settings.database_url, with_bundled=False) as core:
            return await core.outcomes(consultation)

    try:
        listed = asyncio.run(fetch())
    except OutcomeError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from None
    if not listed:
        typer.echo(f"{consultation} has no outcomes yet.")
    for outcome, counts in listed:
        feedback = " ".join(
            f"{label} {counts.get(value, 0)}" for value, label in texts.OUTCOME_FEEDBACK.items()
        )
        linked = f" (questions: {', '.join(outcome.question_ids)})" if outcome.question_ids else ""
        typer.echo(f"{outcome.id}. {outcome.status}, {outcome.progress}%{linked}: {feedback}")
        typer.echo(f"   You said: {outcome.you_said}")
        typer.echo(f"   We did: {outcome.we_did}")
        typer.echo(f"   Next: {outcome.next_steps}")


@forum_app.command("hours")
def forum_hours(
    forum: Annotated[str, typer.Argument(help=FORUM_HELP)],
    night: Annotated[
        str | None, typer.Option(help="Quiet hours at night, like 21:00-08:00, off or usual.")
    ] = None,
    school: Annotated[
        str | None,
        typer.Option(help="School hours on weekdays, like 09:00-15:00, off or usual."),
    ] = None,
) -> None:
    """See or set when news about a forum waits; usual goes back to the deployment's hours."""
    from core.forum_hours import shown

    settings = _settings()
    changes = {kind: value for kind, value in (("night", night), ("school", school)) if value}

    async def work() -> tuple[ForumHours | None, SendHours]:
        async with open_core(settings.database_url, with_bundled=False) as core:
            return await core.forum_hours(forum, changes), core.usual_hours

    try:
        hours, usual = asyncio.run(work())
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(2) from None
    if hours is None:
        typer.echo(f"There is no forum '{forum}'. {FORUM_HELP}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Night: {shown(hours.quiet, usual.quiet)}")
    typer.echo(f"School hours, Monday to Friday: {shown(hours.school, usual.school)}")
