"""Broadcast pace: an outcome's thank-you to 10,000 people, against Telegram's enforced limits.

Run from the repository root: ``.venv/bin/python bench/broadcast.py`` (about 6 minutes).

10,000 people who answered ``ward_time`` are stored in a fresh database; the real
``yousaid run`` starts with its default sending limits, and a commissioner publishes an outcome
with ``yousaid outcome add``, which queues one thank-you per person in the outbox. The fake Bot
API server (``bench/fake_telegram.py --limits``, its own process) answers 429 with
``retry_after`` to any message beyond 30 a second over all chats or about 1 a second to one
chat, and records when each chat got each message.

Prints one line: messages received, seconds from the first to the last, messages a second, that
as a share of Telegram's 30, 429s answered, people never reached (lost), messages the outbox
still held when the wait ran out (late, not lost), messages sent twice and the bot's CPU per
message; with the machine and its load before and after. Exit status 1 if the share is under
95 %, any 429 came or anyone was not reached.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from harness import (
    YOUSAID,
    FakeTelegram,
    bot_process,
    cpu_seconds,
    database,
    fake_telegram,
    machine,
    seed,
    yousaid_run,
)

from storage.database import make_engine
from storage.unit_of_work import sql_unit_of_work_factory

RECIPIENTS = 10_000
TELEGRAM_RATE = 30
TARGET_SHARE = 0.95
COMMISSIONER = "telegram:900"


async def publish_outcome(database_url: str, logs: Path) -> None:
    """``yousaid outcome add`` for ward_time, as a commissioner runs it."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
    process = await asyncio.create_subprocess_exec(
        YOUSAID,
        "outcome",
        "add",
        "ward_time",
        "--as",
        COMMISSIONER,
        "--you-said",
        "You want a quiet room on the ward.",
        "--we-did",
        "We made a quiet room next to the lift.",
        "--next-steps",
        "We will ask you how it works in the spring.",
        cwd=logs,
        env={**clean, "YOUSAID_DATABASE_URL": database_url, "YOUSAID_COMMISSIONERS": COMMISSIONER},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(err.decode()[-2000:])


async def received(api: FakeTelegram, users: list[int], within: float) -> dict[str, object]:
    """Wait until every person has a message (or ``within`` runs out); what the server saw."""
    deadline = time.monotonic() + within
    while True:
        sent = await api.sent()
        chats = sent["chats"]
        if all(str(user) in chats for user in users) or time.monotonic() > deadline:
            return sent
        await asyncio.sleep(2)


async def still_queued(database_url: str) -> int:
    """Deliveries the outbox still holds (when the wait ran out): late, not lost."""
    engine = make_engine(database_url)
    try:
        async with sql_unit_of_work_factory(engine)() as uow:
            counts = await uow.deliveries.status_counts()
    finally:
        await engine.dispose()
    return counts.get("pending", 0) + counts.get("sending", 0)


async def broadcast(kind: str, recipients: int, logs: Path) -> str:
    """Run one broadcast; the summary line."""
    async with database(kind) as url, fake_telegram(limits=True) as api:
        users = await seed(url, recipients, recipients, answered=True)
        command, env = yousaid_run(
            api, url, YOUSAID_QUIET_HOURS="off", YOUSAID_HTTP_LISTEN="127.0.0.1:0"
        )
        async with bot_process(command, env, logs / f"broadcast-{kind}.log") as bot:
            await api.wait_for_polling()
            cpu = cpu_seconds(bot.pid)
            await publish_outcome(url, logs)
            sent = await received(api, users, recipients / TELEGRAM_RATE * 2 + 120)
            cpu = cpu_seconds(bot.pid) - cpu
        queued = await still_queued(url)
    chats: dict[str, list[float]] = sent["chats"]  # type: ignore[assignment]
    times = sorted(moment for user in users for moment in chats.get(str(user), []))
    messages = len(times)
    seconds = times[-1] - times[0] if messages > 1 else 0.0
    rate = (messages - 1) / seconds if seconds else 0.0
    share = rate / TELEGRAM_RATE
    lost = sum(str(user) not in chats for user in users) - queued
    twice = sum(len(chats[str(user)]) - 1 for user in users if str(user) in chats)
    refused = sent["refused"]
    met = share >= TARGET_SHARE and refused == 0 and lost == queued == 0
    verdict = "met" if met else "missed"
    return (
        f"broadcast {kind} recipients={recipients} messages={messages} seconds={seconds:.1f} "
        f"messages_per_s={rate:.2f} share_of_30={100 * share:.1f}% 429s={refused} "
        f"lost={lost} still_queued={queued} duplicates={twice} "
        f"bot_cpu_ms_per_message={1000 * cpu / max(1, messages):.1f} "
        f"target share>={100 * TARGET_SHARE:.0f}% and no 429: "
        f"{verdict}"
    )


def load_average() -> str:
    """``/proc/loadavg``: the machine is shared, so its load goes with the figures."""
    return Path("/proc/loadavg").read_text().strip()


async def main(argv: list[str]) -> int:
    """Run the broadcast and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=RECIPIENTS)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--logs", type=Path, help="keep the bot log here")
    args = parser.parse_args(argv)
    print(f"machine {machine()}", flush=True)
    print(f"load before {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="yousaid-logs-") as folder:
        logs = args.logs or Path(folder)
        logs.mkdir(parents=True, exist_ok=True)
        line = await broadcast(args.database, args.recipients, logs)
    print(line, flush=True)
    print(f"load after {load_average()}", flush=True)
    return 0 if line.endswith(": met") else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
