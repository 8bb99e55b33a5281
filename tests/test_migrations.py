"""Starting on a database: the upgrade path from the first migration, on a database holding
data, and several instances starting at the same moment."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.messages import Platform
from core.service import YouSaid
from dialogs.loader import bundled_consultations, bundled_script
from storage.database import MIGRATIONS, make_engine, upgrade
from storage.unit_of_work import sql_unit_of_work_factory

WARD_TIME = Path("dialogs/scripts/ward_time.yaml").read_text()
WHEN = datetime(2025, 1, 6, 10, 0, tzinfo=UTC)
ANSWERS = [
    ("where", json.dumps("ward"), False),
    ("feel", json.dumps(4), False),
    ("helps", json.dumps(["games", "wifi"]), False),
    ("change", json.dumps("More time outside, and a quiet room"), False),
    ("more", None, True),
]


def revisions_after_the_first() -> list[str]:
    script = ScriptDirectory(str(MIGRATIONS))
    ordered = [revision.revision for revision in script.walk_revisions()][::-1]
    assert ordered[0] == "0001"
    return ordered[1:]


async def insert_first_schema_rows(engine: AsyncEngine) -> None:
    statements = [
        (
            "INSERT INTO forums (id, platform, platform_chat_id, title, created_at) "
            "VALUES (1, 'telegram', '-100200', 'Riverside Youth Forum', :at)",
            {},
        ),
        (
            "INSERT INTO participants (id, age_band, contact_preference, messages_stopped, "
            "created_at) VALUES (1, '13_15', 'big_news', false, :at)",
            {},
        ),
        (
            "INSERT INTO platform_identities (participant_id, platform, platform_user_id, "
            "created_at) VALUES (1, 'telegram', '4242', :at)",
            {},
        ),
        (
            "INSERT INTO consent_records (participant_id, version, recorded_at) "
            "VALUES (1, 'v1', :at)",
            {},
        ),
        (
            "INSERT INTO consultations (id, slug, title, summary, stage, status, forum_id, "
            "script_yaml, created_at) VALUES (1, 'ward_time', 'Ward time', 'How was it?', "
            "'analyse', 'open', 1, :yaml, :at)",
            {"yaml": WARD_TIME},
        ),
        (
            "INSERT INTO dialog_sessions (id, participant_id, consultation_id, status, "
            "question_id, path, draft, version, started_at, updated_at) VALUES (1, 1, 1, "
            "'finished', NULL, :path, :draft, 3, :at, :at)",
            {"path": json.dumps([q for q, _, _ in ANSWERS]), "draft": json.dumps({})},
        ),
    ]
    statements += [
        (
            "INSERT INTO answers (session_id, consultation_id, question_id, value, skipped, "
            "age_band, answered_at) VALUES (1, 1, :question, :value, :skipped, '13_15', :at)",
            {"question": question, "value": value, "skipped": skipped},
        )
        for question, value, skipped in ANSWERS
    ]
    async with engine.begin() as connection:
        for statement, values in statements:
            await connection.execute(text(statement), {"at": WHEN, **values})


async def first_schema_rows(engine: AsyncEngine) -> dict[str, list[tuple]]:
    queries = {
        "forums": "SELECT id, platform, platform_chat_id, title FROM forums",
        "participants": "SELECT id, age_band, contact_preference FROM participants",
        "identities": "SELECT participant_id, platform, platform_user_id FROM platform_identities",
        "consents": "SELECT participant_id, version FROM consent_records",
        "consultations": "SELECT id, slug, status, forum_id FROM consultations",
        "sessions": "SELECT id, participant_id, status, version FROM dialog_sessions",
        "answers": "SELECT question_id, skipped, age_band FROM answers ORDER BY id",
    }
    async with engine.connect() as connection:
        return {
            name: [tuple(row) for row in await connection.execute(text(query))]
            for name, query in queries.items()
        }


async def test_every_migration_keeps_the_data_of_the_first_schema(database_url):
    engine = make_engine(database_url)
    try:
        await upgrade(engine, "0001")
        await insert_first_schema_rows(engine)
        before = await first_schema_rows(engine)
        assert len(before["answers"]) == len(ANSWERS)
        steps = revisions_after_the_first()
        for revision in steps:
            await upgrade(engine, revision)
            async with engine.connect() as connection:
                version = (
                    await connection.execute(text("SELECT version_num FROM alembic_version"))
                ).scalar_one()
            assert version == revision
            assert await first_schema_rows(engine) == before, f"data changed at {revision}"
        assert steps[-1] == ScriptDirectory(str(MIGRATIONS)).get_current_head()
        if engine.dialect.name == "sqlite":
            async with engine.connect() as connection:
                on = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar_one()
            assert on == 1, "foreign keys are on again after migrating"

        uow_factory = sql_unit_of_work_factory(engine)
        async with uow_factory() as uow:
            person = await uow.participants.find_by_identity(Platform.TELEGRAM, "4242")
            exported = await uow.answers.export(1)
            forum = await uow.forums.register(Platform.TELEGRAM, "-100200", "", WHEN)
        assert person is not None and person.id == 1 and not person.unreachable
        assert [(row.question_id, row.value, row.skipped) for row in exported] == [
            (question, None if value is None else json.loads(value), skipped)
            for question, value, skipped in ANSWERS
        ]
        assert forum.id == 1
    finally:
        await engine.dispose()


async def test_instances_starting_together_migrate_and_publish_once(database_url):
    engines = [make_engine(database_url) for _ in range(3)]
    try:
        await asyncio.gather(*(upgrade(engine) for engine in engines))
        async with engines[0].connect() as connection:
            versions = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).all()
        assert [tuple(v) for v in versions] == [
            (ScriptDirectory(str(MIGRATIONS)).get_current_head(),)
        ]

        cores = [
            YouSaid(sql_unit_of_work_factory(engine), bundled_script("onboarding"))
            for engine in engines
        ]
        shipped = bundled_consultations()
        added = await asyncio.gather(*(core.add_missing_consultations(shipped) for core in cores))
        assert sorted(c.slug for batch in added for c in batch) == sorted(
            f.script.id for f in shipped
        )
        async with engines[0].connect() as connection:
            slugs = (
                (await connection.execute(text("SELECT slug FROM consultations"))).scalars().all()
            )
        assert sorted(slugs) == sorted(f.script.id for f in shipped)
    finally:
        for engine in engines:
            await engine.dispose()
