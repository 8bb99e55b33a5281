"""Where the bot's main thread spends its CPU, from a py-spy profile of ``bench/updates.py``.

``.venv/bin/python bench/updates.py --only sqlite --people 300 --logs LOGS --profile`` leaves
``LOGS/sqlite.profile.txt`` (py-spy's collapsed stacks); then
``.venv/bin/python bench/profile_summary.py LOGS/sqlite.profile.txt`` prints the share of the
main thread's busy samples (waiting in ``select`` left out) spent in each part of handling an
update, and by package for the frames that were running.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

PARTS = (
    ("core and storage (YouSaid.handle)", "YouSaid.handle (core/service.py"),
    ("sending replies (TelegramOut.answer)", "TelegramOut.answer (bots/telegram/sending.py"),
    ("update dispatch (PTB process_update, events)", "Application.process_update ("),
    ("fetching updates (poll: getUpdates, Update.de_json)", "poll (bots/telegram/app.py"),
    ("outbox worker", "DeliveryWorker.run (core/delivery.py"),
)
_FILE = re.compile(r"\(([^)]*?)(?::\d+)?\)$")


def summary(path: Path) -> list[str]:
    """Lines of the breakdown."""
    parts: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if not frames[0].startswith("<module> (yousaid") or "EpollSelector.select" in stack:
            continue
        samples = int(count)
        total += samples
        part = next((name for name, frame in PARTS if frame in stack), None)
        if part is None:
            part = "event loop, other"
        parts[part] += samples
        match = _FILE.search(frames[-1])
        file = match.group(1) if match else frames[-1]
        pieces = file.split("/")
        package = "/".join(pieces[:2]) if pieces[0] in ("telegram", "sqlalchemy") else pieces[0]
        packages[package] += samples
    lines = [f"main thread busy samples: {total}"]
    lines += [f"{100 * n / total:5.1f}% {name}" for name, n in parts.most_common()]
    lines.append("running (innermost frame) by package:")
    lines += [f"{100 * n / total:5.1f}% {name}" for name, n in packages.most_common(12)]
    return lines


if __name__ == "__main__":
    print("\n".join(summary(Path(sys.argv[1]))))
