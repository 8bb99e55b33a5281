"""The storage layer against real SQLite and PostgreSQL databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.domain import (
    AgeBand,
    Answer,
    AnswerRow,
    ConsultationStatus,
    ContactPreference,
    DialogSession,
    Participant,
    SessionStatus,
    Stage,
)
from core.messages import Platform
from core.ports import ConcurrentChange, UnitOfWorkFactory
from storage.database import MIGRATIONS, make_engine, upgrade
from storage.models import Base

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
TABLES = set(Base.metadata.tables)
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def count(engine: AsyncEngine, table: str, where: str = "1 = 1", **params: object) -> int:
    async with engine.connect() as connection:
        result = await connection.execute(
            text(f"SELECT count(*) FROM {table} WHERE {where}"), params
        )
        return int(result.scalar_one())


async def add_consultation(uow_factory: UnitOfWorkFactory, slug: str = "parks") -> int:
    async with uow_factory() as uow:
        consultation = await uow.consultations.add(
            slug, "Parks", "What should change?", Stage.PLAN, "questions: []", at(0)
        )
        await uow.commit()
    return consultation.id


async def add_participant(uow_factory: UnitOfWorkFactory, user_id: str) -> int:
    async with uow_factory() as uow:
        participant = await uow.participants.add(Platform.TELEGRAM, user_id, at(0))
        participant.age_band = AgeBand.AGE_13_15
        await uow.participants.save(participant)
        await uow.commit()
    return participant.id


async def add_session(
    uow_factory: UnitOfWorkFactory, participant_id: int, consultation_id: int
) -> DialogSession:
    async with uow_factory() as uow:
        session = await uow.sessions.add(participant_id, consultation_id, "q1", None, at(1))
        await uow.commit()
    return session


def answer(session_id: int, consultation_id: int, question_id: str, minute: int) -> Answer:
    return Answer(
        session_id=session_id,
        consultation_id=consultation_id,
        question_id=question_id,
        value={"picked": ["swings"], "reason": f"because {question_id}"},
        skipped=False,
        age_band=AgeBand.AGE_13_15,
        answered_at=at(minute),
    )


async def test_migrations_create_the_schema_and_rerun_as_a_no_op(engine: AsyncEngine) -> None:
    await upgrade(engine)

    def tables(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    async with engine.connect() as connection:
        assert await connection.run_sync(tables) == TABLES | {"alembic_version"}
        versions = await connection.execute(text("SELECT version_num FROM alembic_version"))
        assert versions.scalars().all() == [HEAD]


async def test_migration_matches_models(engine: AsyncEngine) -> None:
    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_server_default": True})
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        assert await connection.run_sync(differences) == []


async def test_identities_are_unique_per_platform(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        on_telegram = await uow.participants.add(Platform.TELEGRAM, "42", at(0))
        on_discord = await uow.participants.add(Platform.DISCORD, "42", at(0))
        await uow.commit()
    assert on_telegram.id != on_discord.id

    with pytest.raises(ConcurrentChange):
        async with uow_factory() as uow:
            await uow.participants.add(Platform.TELEGRAM, "42", at(1))

    async with uow_factory() as uow:
        found = await uow.participants.find_by_identity(Platform.TELEGRAM, "42")
        assert found is not None
        assert found.id == on_telegram.id
        assert await uow.participants.find_by_identity(Platform.TERMINAL, "42") is None


async def test_participant_profile_and_consent(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        participant = await uow.participants.add(Platform.TELEGRAM, "7", at(0))
        await uow.commit()
    assert not participant.onboarded
    assert participant.contact_preference is ContactPreference.BIG_NEWS

    async with uow_factory() as uow:
        participant.age_band = AgeBand.AGE_16_17
        participant.contact_preference = ContactPreference.NEVER
        participant.messages_stopped = True
        await uow.participants.save(participant)
        await uow.participants.record_consent(participant.id, "v1", at(1))
        await uow.participants.record_consent(participant.id, "v2", at(2))
        await uow.commit()

    async with uow_factory() as uow:
        found = await uow.participants.find_by_identity(Platform.TELEGRAM, "7")
    assert found == Participant(
        id=participant.id,
        age_band=AgeBand.AGE_16_17,
        contact_preference=ContactPreference.NEVER,
        messages_stopped=True,
        consent_version="v2",
    )
    assert found.onboarded


async def test_deleting_a_participant_removes_everything_linked(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    consultation_id = await add_consultation(uow_factory)
    gone = await add_participant(uow_factory, "gone")
    kept = await add_participant(uow_factory, "kept")
    for participant_id in (gone, kept):
        session = await add_session(uow_factory, participant_id, consultation_id)
        async with uow_factory() as uow:
            await uow.participants.record_consent(participant_id, "v1", at(1))
            await uow.answers.add(answer(session.id, consultation_id, "q1", 2))
            await uow.commit()

    async with uow_factory() as uow:
        await uow.participants.delete(gone)
        await uow.commit()

    for table in ("platform_identities", "consent_records", "dialog_sessions"):
        assert await count(engine, table, "participant_id = :id", id=gone) == 0
        assert await count(engine, table, "participant_id = :id", id=kept) == 1
    assert await count(engine, "participants", "id = :id", id=gone) == 0
    assert await count(engine, "answers") == 1
    async with uow_factory() as uow:
        assert await uow.participants.find_by_identity(Platform.TELEGRAM, "gone") is None


async def test_consultations(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        parks = await uow.consultations.add(
            "parks", "Parks", "Say what", Stage.ANALYSE, "a: 1", at(0)
        )
        buses = await uow.consultations.add("buses", "Buses", "Say more", Stage.DO, "b: 2", at(1))
        await uow.commit()
    assert parks.status is ConsultationStatus.OPEN
    assert parks.forum_id is None

    async with uow_factory() as uow:
        assert await uow.consultations.get(parks.id) == parks
        assert await uow.consultations.get_by_slug("buses") == buses
        assert await uow.consultations.get(parks.id + buses.id) is None
        assert await uow.consultations.get_by_slug("nope") is None
        assert await uow.consultations.list_open() == [parks, buses]


async def test_sessions_current_and_optimistic_saves(uow_factory: UnitOfWorkFactory) -> None:
    consultation_id = await add_consultation(uow_factory)
    participant_id = await add_participant(uow_factory, "s")
    async with uow_factory() as uow:
        onboarding = await uow.sessions.add(participant_id, None, "age", "parks", at(0))
        await uow.commit()
    consultation = await add_session(uow_factory, participant_id, consultation_id)
    assert onboarding.status is SessionStatus.ACTIVE
    assert (onboarding.path, onboarding.draft, onboarding.version) == ([], {}, 1)

    async with uow_factory() as uow:
        assert await uow.sessions.current(participant_id) == consultation
        first = await uow.sessions.get(onboarding.id)
        second = await uow.sessions.get(onboarding.id)
    assert first is not None
    assert second is not None

    first.question_id = "consent"
    first.path = ["age"]
    first.draft = {"ticks": ["a", "b"]}
    first.status = SessionStatus.PAUSED
    async with uow_factory() as uow:
        await uow.sessions.save(first, at(5))
        await uow.commit()
    assert first.version == 2

    with pytest.raises(ConcurrentChange):
        async with uow_factory() as uow:
            await uow.sessions.save(second, at(6))
    assert second.version == 1

    missing = DialogSession(-1, participant_id, None, SessionStatus.ACTIVE, None)
    with pytest.raises(ConcurrentChange):
        async with uow_factory() as uow:
            await uow.sessions.save(missing, at(6))

    async with uow_factory() as uow:
        assert await uow.sessions.get(onboarding.id) == first
        assert await uow.sessions.current(participant_id) == consultation, "active comes first"
        assert await uow.sessions.latest_for(participant_id, consultation_id) == consultation

    first.status = SessionStatus.COMPLETED
    consultation.status = SessionStatus.COMPLETED
    async with uow_factory() as uow:
        await uow.sessions.save(first, at(7))
        await uow.sessions.save(consultation, at(8))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.sessions.current(participant_id) is None
        assert await uow.sessions.latest_for(participant_id, consultation_id) == consultation
        assert await uow.sessions.latest_for(participant_id + 1, consultation_id) is None


async def test_answers_duplicates_and_export(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    consultation_id = await add_consultation(uow_factory)
    other_id = await add_consultation(uow_factory, "other")
    late = await add_session(
        uow_factory, await add_participant(uow_factory, "900001"), consultation_id
    )
    early = await add_session(
        uow_factory, await add_participant(uow_factory, "900002"), consultation_id
    )
    elsewhere = await add_session(
        uow_factory, await add_participant(uow_factory, "900003"), other_id
    )
    given = [
        answer(early.id, consultation_id, "q1", 10),
        answer(late.id, consultation_id, "q1", 11),
        answer(early.id, consultation_id, "q2", 12),
        answer(late.id, consultation_id, "q2", 13),
        answer(elsewhere.id, other_id, "q1", 14),
    ]
    skipped = Answer(late.id, consultation_id, "q3", None, True, None, at(15))
    async with uow_factory() as uow:
        for each in [*given, skipped]:
            await uow.answers.add(each)
        await uow.commit()

    with pytest.raises(ConcurrentChange):
        async with uow_factory() as uow:
            await uow.answers.add(answer(early.id, consultation_id, "q1", 20))
    assert await count(engine, "answers") == 6

    async with uow_factory() as uow:
        assert await uow.answers.for_session(late.id) == [given[1], given[3], skipped]
        exported = await uow.answers.export(consultation_id)

    def row(respondent: int, source: Answer) -> AnswerRow:
        return AnswerRow(
            respondent,
            source.question_id,
            source.value,
            source.skipped,
            source.age_band,
            source.answered_at,
        )

    assert exported == [
        row(1, given[0]),
        row(1, given[2]),
        row(2, given[1]),
        row(2, given[3]),
        row(2, skipped),
    ]


async def test_uncommitted_unit_of_work_leaves_nothing(
    engine: AsyncEngine, uow_factory: UnitOfWorkFactory
) -> None:
    async with uow_factory() as uow:
        participant = await uow.participants.add(Platform.DISCORD, "d", at(0))
        await uow.participants.record_consent(participant.id, "v1", at(0))
        await uow.consultations.add("x", "X", "x", Stage.REVIEW, "", at(0))

    with pytest.raises(RuntimeError):
        async with uow_factory() as uow:
            await uow.participants.add(Platform.DISCORD, "e", at(0))
            raise RuntimeError("boom")

    for table in TABLES:
        assert await count(engine, table) == 0


async def test_datetimes_come_back_aware_in_utc(uow_factory: UnitOfWorkFactory) -> None:
    consultation_id = await add_consultation(uow_factory)
    session = await add_session(
        uow_factory, await add_participant(uow_factory, "t"), consultation_id
    )
    local = datetime(2025, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    async with uow_factory() as uow:
        await uow.answers.add(Answer(session.id, consultation_id, "q1", 3, False, None, local))
        await uow.commit()
    async with uow_factory() as uow:
        (stored,) = await uow.answers.for_session(session.id)
    assert stored.answered_at == local
    assert stored.answered_at.tzinfo is UTC
    assert stored.answered_at.hour == 10

    with pytest.raises(Exception, match="naive"):
        async with uow_factory() as uow:
            await uow.participants.add(Platform.TERMINAL, "n", datetime(2025, 1, 1))


async def test_sqlite_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'pragmas.db'}")
    try:
        async with engine.connect() as connection:
            pragmas = [
                (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("foreign_keys", "journal_mode", "busy_timeout")
            ]
    finally:
        await engine.dispose()
    assert pragmas == [1, "wal", 30000]


async def test_the_schema_holds_the_tables_the_product_needs() -> None:
    assert {"participants", "answers", "polls", "poll_votes", "handled_events"} <= TABLES
    assert HEAD is not None and HEAD >= "0002"
