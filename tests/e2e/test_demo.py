"""The terminal demo as a real process: piped answers, a kill mid-dialog, and a restart."""

import asyncio
import csv
import io
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from dialogs.loader import bundled_consultations

YOUSAID = str(Path(sys.executable).with_name("yousaid"))
TENDER_KEY = str([file.script.id for file in bundled_consultations()].index("tender_panel") + 1)
ONBOARDING = ["1", "2", "2"]  # yes, 13 to 15, only big news


def environment(database_url: str) -> dict[str, str]:
    return {**os.environ, "YOUSAID_DATABASE_URL": database_url}


def export(database_url: str, cwd: Path) -> list[dict[str, str]]:
    done = subprocess.run(
        [YOUSAID, "results", "export", "tender_panel", "--format", "csv"],
        env=environment(database_url),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


def test_piped_demo_completes_onboarding_and_a_consultation(database_url, tmp_path):
    answers = [*ONBOARDING, TENDER_KEY, "1"]  # scoring Plan A
    for n in range(8):
        answers += [str(n % 6), f"Reason number {n}"]
    done = subprocess.run(
        [YOUSAID, "demo", "--user", "pipe"],
        input="\n".join(answers) + "\n",
        env=environment(database_url),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Question 9 of 9" in done.stdout
    rows = export(database_url, tmp_path)
    assert len(rows) == 9
    assert {row["age_band"] for row in rows} == {"13_15"}
    assert rows[0]["answer"] == "Plan A"
    assert rows[1]["answer"] == "0: Reason number 0"
    assert rows[8]["answer"] == "1: Reason number 7"
    assert all("pipe" not in value for row in rows for value in row.values())


class Demo:
    """A running demo process we can type into and read from."""

    def __init__(self, process: asyncio.subprocess.Process):
        self.process = process
        self.seen = ""

    @classmethod
    async def start(cls, database_url: str, cwd: Path) -> "Demo":
        process = await asyncio.create_subprocess_exec(
            YOUSAID,
            "demo",
            "--user",
            "kill-test",
            env=environment(database_url),
            cwd=cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        return cls(process)

    async def wait_for(self, pattern: str) -> str:
        async def read() -> str:
            while not re.search(pattern, self.seen):
                chunk = await self.process.stdout.read(4096)
                assert chunk, f"the demo ended before {pattern!r}:\n{self.seen}"
                self.seen += chunk.decode()
            return self.seen

        return await asyncio.wait_for(read(), timeout=60)

    async def type(self, line: str) -> None:
        self.seen = ""
        self.process.stdin.write(f"{line}\n".encode())
        await self.process.stdin.drain()


async def test_killed_mid_dialog_resumes_at_the_same_question(database_url, tmp_path):
    demo = await Demo.start(database_url, tmp_path)
    await demo.wait_for(r"> $")
    for line in [*ONBOARDING, TENDER_KEY, "1", "4", "Kind staff", "2"]:
        await demo.type(line)
        await demo.wait_for(r"> $")
    assert "You gave 2 out of 5" in demo.seen
    question_3 = re.search(r"Question 3 of 9\n\n(.+)\n", demo.seen).group(1)
    demo.process.send_signal(signal.SIGKILL)
    await demo.process.wait()

    demo = await Demo.start(database_url, tmp_path)
    screen = await demo.wait_for(r"> $")
    assert "Welcome back!" in screen
    assert f"Question 3 of 9\n\n{question_3}\n" in screen, screen
    assert "You gave 2 out of 5" in screen, "the score given before the kill is kept"
    for line in ["again", "5", "Changed my mind, they are great"]:
        await demo.type(line)
        await demo.wait_for(r"> $")
    assert "Question 4 of 9" in demo.seen
    demo.process.stdin.close()
    assert await asyncio.wait_for(demo.process.wait(), 30) == 0

    rows = export(database_url, tmp_path)
    assert [row["answer"] for row in rows] == [
        "Plan A",
        "4: Kind staff",
        "5: Changed my mind, they are great",
    ]
