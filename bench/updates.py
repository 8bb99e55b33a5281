"""Update throughput of the Telegram bot, against a bare python-telegram-bot echo bot.

Run from the repository root: ``.venv/bin/python bench/updates.py``. Prints one line per
benchmark, then a line of ratios and targets (exit status 1 if a target is missed).

- ``echo``: the baseline, ``bench/echo_bot.py`` (PTB's own polling, library defaults). Each of
  1,000 people sends ``--messages`` texts, the next one as soon as the echo comes back.
- ``sqlite`` and ``postgresql``: the real ``yousaid run`` process on a fresh database. Each of
  1,000 new people sends ``/start ward_time``, then answers every question of onboarding and
  of the consultation (taps, ticks, a ranking and typed answers) until it ends: 15 updates a
  person. Sending limits are lifted (``YOUSAID_TELEGRAM_MESSAGES_PER_SECOND``), so this
  measures handling, not Telegram's 30 messages a second.
- ``fairness``: the same bot with its real limits (30 a second, 1 a second per chat), SQLite.
  1,000 new people send ``/start`` at the same moment; then again with 10 of them (spread
  through the queue) sending 10 messages each. For each person: how long until their first
  reply, against an ideal fair share of 30 replies a second in arrival order.

The fake Bot API server (``bench/fake_telegram.py``) and PostgreSQL run in their own processes;
CPU is read from ``/proc`` for the bot process only (the server's and PostgreSQL's CPU are
shown apart). Handling latency is from the moment the bot fetched an update to the moment the
reply that lets the person go on reached the server.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from fake_telegram import TOKEN
from harness import (
    BENCH,
    PYTHON,
    RELAXED,
    bot_process,
    calibration_ms,
    cpu_seconds,
    database,
    fake_telegram,
    machine,
    memory_mb,
    percentile,
    person_ids,
    postgres_cpu_seconds,
    yousaid_run,
)

PEOPLE = 1000
MESSAGES = 15
"""Echo texts a person sends: the same number of updates as one onboarding + ward_time."""
PROFILE = False
"""Set by ``--profile``: sample the bot with py-spy (``pip install py-spy``) into the logs."""
TELEGRAM_RATE = 30
TARGET_RATIO = 0.60
TARGET_CPU_MS = 4.0
SENT = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")


async def throughput(kind: str, people: int, messages: int, logs: Path) -> dict[str, Any]:
    """One throughput run: echo, sqlite or postgresql."""
    async with fake_telegram() as api:
        if kind == "echo":
            spec = {"mode": "echo", "people": person_ids(people), "messages": messages}
            command = [PYTHON, str(BENCH / "echo_bot.py"), api.url, TOKEN]
            return await _measure(kind, api, command, {}, spec, logs)
        async with database(kind) as url:
            spec = {"mode": "consult", "people": person_ids(people)}
            command, env = yousaid_run(api, url, **RELAXED)
            return await _measure(kind, api, command, env, spec, logs)


async def _measure(
    kind: str, api: Any, command: list[str], env: dict[str, str], spec: dict[str, Any], logs: Path
) -> dict[str, Any]:
    calibration = calibration_ms()
    async with bot_process(command, env, logs / f"{kind}.log") as bot:
        await api.wait_for_polling()
        await asyncio.sleep(1.0)
        bot_cpu, server_cpu, pg_cpu = (
            cpu_seconds(bot.pid),
            cpu_seconds(api.pid),
            postgres_cpu_seconds(),
        )
        profiler = await _profile(bot.pid, logs / f"{kind}.profile.txt") if PROFILE else None
        await api.run(spec)
        result = await api.wait(within=600)
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            await profiler.wait()
        result["bot_cpu"] = cpu_seconds(bot.pid) - bot_cpu
        result["server_cpu"] = cpu_seconds(api.pid) - server_cpu
        result["pg_cpu"] = postgres_cpu_seconds() - pg_cpu
        result["memory"] = memory_mb(bot.pid)
    result["kind"] = kind
    result["calibration"] = calibration
    return result


async def _profile(pid: int, output: Path) -> asyncio.subprocess.Process:
    """Sample the bot with py-spy (``--profile``); collapsed stacks go to ``output``."""
    return await asyncio.create_subprocess_exec(
        str(Path(PYTHON).with_name("py-spy")),
        "record",
        "--pid",
        str(pid),
        "--format",
        "raw",
        "--rate",
        "200",
        "--output",
        str(output),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


def throughput_line(result: dict[str, Any], echo: dict[str, Any] | None) -> str:
    """One summary line for a throughput run."""
    updates = result["replied"]
    per_second = updates / result["seconds"]
    line = (
        f"updates {result['kind']} people={len(result['replies'])} updates={updates} "
        f"seconds={result['seconds']:.1f} per_s={per_second:.0f} "
        f"cpu_ms={1000 * result['bot_cpu'] / updates:.2f} "
        f"p50_ms={1000 * percentile(result['handling'], 0.50):.0f} "
        f"p99_ms={1000 * percentile(result['handling'], 0.99):.0f} "
        f"server_cpu_ms={1000 * result['server_cpu'] / updates:.2f}"
    )
    if result["kind"] == "postgresql":
        line += f" postgres_cpu_ms={1000 * result['pg_cpu'] / updates:.2f}"
    if result["kind"] != "echo":
        calls = result["calls"]
        sent = sum(calls.get(name, 0) for name in SENT)
        line += (
            f" answered={result['answered']} "
            f"messages_per_answer={sent / max(1, result['answered']):.2f} "
            f"(new={calls.get('sendMessage', 0)} edits={calls.get('editMessageText', 0)} "
            f"callback_answers={calls.get('answerCallbackQuery', 0)}) "
            f"stalls={result['stalls']}"
        )
    if echo is not None and result is not echo:
        line += f" ratio_to_echo={per_second / (echo['replied'] / echo['seconds']):.2f}"
    return line + f" rss_mb={result['memory']['VmRSS']:.0f} calib_ms={result['calibration']:.0f}"


async def fairness(people: int, logs: Path, heavy: int = 10, backlog: int = 10) -> list[str]:
    """Bursts from ``people`` new people under the real sending limits."""
    lines = []
    for variant in ("even", "backlogs"):
        async with fake_telegram() as api, database("sqlite") as url:
            ids = person_ids(people)
            spread = {ids[i]: backlog for i in range(0, people, people // heavy)}
            spec = {
                "mode": "burst",
                "people": ids,
                "text": "/start",
                "heavy": spread if variant == "backlogs" else {},
            }
            command, env = yousaid_run(api, url)
            async with bot_process(command, env, logs / f"fairness-{variant}.log"):
                await api.wait_for_polling()
                await asyncio.sleep(1.0)
                await api.run(spec)
                result = await api.wait(within=600)
        lines.append(fairness_line(variant, ids, spread, result))
    return lines


def fairness_line(variant: str, ids: list[int], heavy: dict[int, int], result: dict) -> str:
    """First-reply waits against an ideal fair share of 30 replies a second in arrival order."""
    first = result["first_replies"]
    light = [i for i in ids if variant == "even" or i not in heavy]
    waits = sorted(first[str(i)] for i in light)
    position = {person: n for n, person in enumerate(ids, start=1)}
    lateness = sorted(first[str(i)] - position[i] / TELEGRAM_RATE for i in light)
    sent = sum(result["calls"].get(name, 0) for name in SENT)
    line = (
        f"fairness {variant} people={len(ids)} "
        f"heavy={len(heavy) if variant == 'backlogs' else 0} "
        f"messages={sent} seconds={result['seconds']:.1f} "
        f"rate_per_s={sent / result['seconds']:.1f} "
        f"first_reply_mean_s={sum(waits) / len(waits):.1f} "
        f"p50_s={percentile(waits, 0.5):.1f} max_s={waits[-1]:.1f} "
        f"ideal_max_s={len(ids) / TELEGRAM_RATE:.1f} "
        f"late_vs_fair_share_p99_s={percentile(lateness, 0.99):.1f} "
        f"late_max_s={lateness[-1]:.1f}"
    )
    if variant == "backlogs":
        done = sorted(result["first_replies"][str(i)] for i in heavy)
        line += f" heavy_first_reply_max_s={done[-1]:.1f}"
    return line


async def main(argv: list[str]) -> int:
    """Run the chosen benchmarks and report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--messages", type=int, default=MESSAGES)
    parser.add_argument(
        "--only",
        default="echo,sqlite,postgresql,fairness",
        help="comma-separated: echo, sqlite, postgresql, fairness",
    )
    parser.add_argument("--logs", type=Path, help="keep the bot logs here")
    parser.add_argument("--profile", action="store_true", help="py-spy the bot into the logs")
    args = parser.parse_args(argv)
    global PROFILE
    PROFILE = args.profile
    chosen = args.only.split(",")
    print(f"machine {machine()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="yousaid-logs-") as folder:
        logs = args.logs or Path(folder)
        logs.mkdir(parents=True, exist_ok=True)
        results: dict[str, dict[str, Any]] = {}
        for kind in ("echo", "sqlite", "postgresql"):
            if kind in chosen:
                results[kind] = await throughput(kind, args.people, args.messages, logs)
                print(throughput_line(results[kind], results.get("echo")), flush=True)
        if "fairness" in chosen:
            for line in await fairness(args.people, logs):
                print(line, flush=True)
    return report(results)


def report(results: dict[str, dict[str, Any]]) -> int:
    """The targets line; 1 if a target is missed."""
    echo = results.get("echo")
    missed = []
    parts = []
    for kind in ("sqlite", "postgresql"):
        result = results.get(kind)
        if result is None:
            continue
        cpu_ms = 1000 * result["bot_cpu"] / result["replied"]
        parts.append(f"{kind}_cpu_ms={cpu_ms:.2f}")
        if cpu_ms > TARGET_CPU_MS:
            missed.append(f"{kind} cpu")
        if echo is not None:
            ratio = (result["replied"] / result["seconds"]) / (echo["replied"] / echo["seconds"])
            parts.append(f"{kind}_ratio={ratio:.2f}")
            if ratio < TARGET_RATIO:
                missed.append(f"{kind} ratio")
    verdict = "all met" if not missed else "missed: " + ", ".join(missed)
    print(
        f"updates targets ratio>={TARGET_RATIO:.2f} cpu_ms<={TARGET_CPU_MS:.1f}: "
        f"{' '.join(parts)} {verdict}"
    )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1:])))
