"""Running the yousaid command line: in this process, or as the installed console script.

Both start from an environment without any YOUSAID_* setting, in the given directory, and give
back the exit code, standard output and standard error as a ``CompletedProcess``.
"""

import contextlib
import os
import subprocess
import sys
import threading
from pathlib import Path

from typer.testing import CliRunner

from bots.cli import app

YOUSAID = str(Path(sys.executable).with_name("yousaid"))
RUNNER = CliRunner()


def _environment(env: dict[str, str]) -> dict[str, str | None]:
    """Every YOUSAID_* setting of this process unset, a free HTTP port, then ``env``."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith("YOUSAID_")}
    return {**unset, "YOUSAID_HTTP_LISTEN": "127.0.0.1:0", **env}


def yousaid(*args: str, cwd: Path, input: str | None = None, **env: str):
    """Run ``yousaid ARGS`` in this process: the command's own code, without a Python start-up.

    The command runs in a thread of its own, so its ``asyncio.run`` works from async tests too;
    the caller waits for it. An exception the command does not turn into an exit code is raised
    here, as the real process would have died of it.
    """
    done: list[subprocess.CompletedProcess[str]] = []
    failure: list[BaseException] = []

    def invoke() -> None:
        try:
            with contextlib.chdir(cwd):
                result = RUNNER.invoke(app, list(args), input=input, env=_environment(env))
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            done.append(
                subprocess.CompletedProcess(
                    ["yousaid", *args], result.exit_code, result.stdout, result.stderr
                )
            )
        except BaseException as error:
            failure.append(error)

    thread = threading.Thread(target=invoke, name="yousaid")
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive(), f"yousaid {' '.join(args)} still runs after 60 seconds"
    if failure:
        raise failure[0]
    return done[0]


def yousaid_process(*args: str, cwd: Path, input: str | None = None, **env: str):
    """Run the installed ``yousaid`` console script as a real process."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YOUSAID_")}
    return subprocess.run(
        [YOUSAID, *args],
        env={**clean, "YOUSAID_HTTP_LISTEN": "127.0.0.1:0", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
    )
