"""`yousaid db backup`, and restoring what it wrote."""

import asyncio
import secrets
import sqlite3

import asyncpg
import pytest
from sqlalchemy import make_url

from core.messages import Platform
from storage.backup import NO_PG_DUMP
from tests.cli.command_line import yousaid


async def add_people(uow_factory, count):
    from datetime import UTC, datetime

    async with uow_factory() as uow:
        for number in range(count):
            await uow.participants.add(Platform.TELEGRAM, f"7{number:03}", datetime.now(UTC))
        await uow.commit()


async def test_backup_holds_every_row_and_restores(tmp_path, database_url, uow_factory):
    await add_people(uow_factory, 25)
    target = tmp_path / "backup.dump"
    done = yousaid("db", "backup", str(target), cwd=tmp_path, YOUSAID_DATABASE_URL=database_url)
    assert done.returncode == 0, done.stderr
    assert str(target) in done.stdout
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(target) as restored:
            rows = restored.execute("SELECT platform_user_id FROM platform_identities").fetchall()
            assert restored.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    else:
        rows = await _restore_into_new_database(url, target)
    assert sorted(user for (user,) in rows) == [f"7{n:03}" for n in range(25)]


async def _restore_into_new_database(url, target):
    server = url.set(drivername="postgresql", database="postgres")
    admin = await asyncpg.connect(server.render_as_string(hide_password=False))
    name = f"yousaid_restore_{secrets.token_hex(4)}"
    await admin.execute(f"CREATE DATABASE {name}")
    try:
        command = ["pg_restore", "--no-owner", "--host", url.host, "--username", url.username]
        restore = await asyncio.create_subprocess_exec(
            *command,
            "--port",
            str(url.port or 5432),
            "--dbname",
            name,
            str(target),
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await restore.communicate()
        assert restore.returncode == 0, stderr.decode()
        restored = await asyncpg.connect(
            server.set(database=name).render_as_string(hide_password=False)
        )
        try:
            return [
                tuple(r)
                for r in await restored.fetch("SELECT platform_user_id FROM platform_identities")
            ]
        finally:
            await restored.close()
    finally:
        await admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
        await admin.close()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_backup_without_pg_dump_says_what_to_install(tmp_path, database_url):
    done = yousaid(
        "db",
        "backup",
        str(tmp_path / "b.dump"),
        cwd=tmp_path,
        YOUSAID_DATABASE_URL=database_url,
        PATH=str(tmp_path),
    )
    assert done.returncode == 1
    assert done.stderr.strip() == NO_PG_DUMP


def test_backup_of_a_missing_sqlite_file_is_one_line(tmp_path):
    done = yousaid(
        "db",
        "backup",
        str(tmp_path / "b.db"),
        cwd=tmp_path,
        YOUSAID_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/nothing.db",
    )
    assert done.returncode == 1
    assert done.stderr.strip() == f"There is no database at {tmp_path}/nothing.db."
