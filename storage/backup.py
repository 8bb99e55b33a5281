"""Backups of the project database: SQLite's online backup, or pg_dump for PostgreSQL."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import make_url

NO_PG_DUMP = (
    "pg_dump was not found. Install the PostgreSQL client tools (on Debian: "
    "apt-get install postgresql-client, the same major version as the server or newer), "
    "then run this again."
)


class BackupError(Exception):
    """The backup could not be made; the message is one line for the operator."""


def backup(database_url: str, target: Path) -> str:
    """Copy the whole database into ``target`` while the bot may keep running.

    SQLite: the online backup API, so the copy is consistent even mid-write. PostgreSQL:
    ``pg_dump`` in its custom format (restore with ``pg_restore``). Returns what was made.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise BackupError("An in-memory SQLite database cannot be backed up.")
        source_path = Path(url.database)
        if not source_path.exists():
            raise BackupError(f"There is no database at {source_path}.")
        source = sqlite3.connect(source_path)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        return f"SQLite backup of {source_path} written to {target}"
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(NO_PG_DUMP)
    command = [pg_dump, "--format=custom", "--no-owner", "--file", str(target)]
    for option, value in (("--host", url.host), ("--port", url.port), ("--username", url.username)):
        if value is not None:
            command += [option, str(value)]
    environment = dict(os.environ)
    if url.password is not None:
        environment["PGPASSWORD"] = str(url.password)
    done = subprocess.run(
        [*command, str(url.database)], env=environment, capture_output=True, text=True
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["no message"]
        raise BackupError(f"pg_dump failed: {lines[-1]}")
    return f"PostgreSQL backup of {url.database} written to {target} (restore with pg_restore)"
