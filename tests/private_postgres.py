"""A PostgreSQL cluster of a test's own, on a free port of 127.0.0.1, that the test may stop and
start at will (the shared server is never touched).

It is made with the installed ``initdb`` and ``pg_ctl`` in a temporary directory, with trust
authentication, and removed at the end. As root, the binaries run as the ``postgres`` user.
"""

from __future__ import annotations

import asyncio
import contextlib
import glob
import os
import pwd
import shutil
import socket
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

BINARIES = "/usr/lib/postgresql/*/bin"


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin directory, if there is one."""
    found = sorted(
        glob.glob(f"{BINARIES}/pg_ctl"), key=lambda path: int(path.split("/")[-3].split(".")[0])
    )
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateCluster:
    """One throwaway cluster: ``start``, ``stop`` (``immediate``: as if the server crashed)."""

    def __init__(self, bin_dir: Path, directory: Path) -> None:
        self.bin_dir = bin_dir
        self.directory = directory
        self.data = directory / "data"
        self.port = _free_port()

    def url(self, database: str = "postgres") -> str:
        """The URL the bot uses to reach a database of this cluster."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    async def _run(self, *command: str) -> None:
        argv = [str(self.bin_dir / command[0]), *command[1:]]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        assert process.returncode == 0, f"{command[0]} failed: {output.decode()[-2000:]}"

    async def create(self) -> None:
        """Make the cluster's files: trust authentication, no fsync (a test's data)."""
        await self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres")

    async def start(self) -> None:
        """Start the server and wait until it takes connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c full_page_writes=off"
        )
        log = str(self.directory / "server.log")
        await self._run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    async def stop(self, mode: str = "fast") -> None:
        """Stop the server; ``immediate`` drops every connection at once, as a crash does."""
        await self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


@contextlib.asynccontextmanager
async def private_cluster() -> AsyncIterator[PrivateCluster]:
    """A running private cluster, stopped and removed afterwards.

    Without the PostgreSQL binaries the test is skipped, or fails under CI=true.
    """
    bin_dir = binaries()
    if bin_dir is None:
        message = f"no PostgreSQL binaries in {BINARIES} (initdb, pg_ctl)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    directory = Path(tempfile.mkdtemp(prefix="yousaid-pg-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(directory, owner.pw_uid, owner.pw_gid)
    cluster = PrivateCluster(bin_dir, directory)
    try:
        await cluster.create()
        await cluster.start()
        try:
            yield cluster
        finally:
            with contextlib.suppress(AssertionError):  # already stopped
                await cluster.stop("immediate")
    finally:
        shutil.rmtree(directory, ignore_errors=True)
