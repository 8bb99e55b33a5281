"""SQL storage for forums, quick polls and handled delivery keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import Forum, Poll, PollStatus
from core.messages import Platform
from storage.models import ForumRecord, HandledEventRecord, PollRecord, PollVoteRecord

_F = ForumRecord
_POLL_COLUMNS = (
    PollRecord.id,
    PollRecord.forum_id,
    PollRecord.chat_id,
    PollRecord.question,
    PollRecord.options,
    PollRecord.status,
    PollRecord.closes_at,
)


def insert_for(session: AsyncConnection) -> Any:
    """The dialect's INSERT that supports ON CONFLICT."""
    return postgresql.insert if session.dialect.name == "postgresql" else sqlite.insert


_CLAIM = {
    name: dialect.insert(HandledEventRecord).on_conflict_do_nothing(
        index_elements=[HandledEventRecord.key]
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
"""Recording a delivery key, built once per dialect: it runs for every chat event."""


def _poll(row: Row[*tuple[Any, ...]]) -> Poll:
    return Poll(
        id=row.id,
        forum_id=row.forum_id,
        chat_id=row.chat_id,
        question=row.question,
        options=list(row.options),
        status=PollStatus(row.status),
        closes_at=row.closes_at,
    )


class SqlForums:
    """Group chats and servers registered as forums."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def register(self, platform: Platform, group_id: str, title: str, now: datetime) -> Forum:
        """Add the forum if new, else update its title; either way return it."""
        values = insert_for(self._session)(_F).values(
            platform=platform, platform_chat_id=group_id, title=title, created_at=now
        )
        statement = values.on_conflict_do_update(
            index_elements=[_F.platform, _F.platform_chat_id],
            set_={"title": func.coalesce(func.nullif(values.excluded.title, ""), _F.title)},
        ).returning(_F.id, _F.title)
        row = (await self._session.execute(statement)).one()
        return Forum(row.id, platform, group_id, row.title)

    async def lookup(self, reference: str) -> Forum | None:
        """A forum by its number, else by its group's id or its title (capitals not minded)."""
        wanted = reference.strip()
        columns = select(_F.id, _F.platform, _F.platform_chat_id, _F.title)
        tries = [columns.where(_F.id == int(wanted))] if wanted.isdigit() else []
        tries.append(
            columns.where(
                (_F.platform_chat_id == wanted) | (func.lower(_F.title) == wanted.lower())
            ).order_by(_F.id)
        )
        for statement in tries:
            row = (await self._session.execute(statement.limit(1))).one_or_none()
            if row is not None:
                return Forum(row.id, row.platform, row.platform_chat_id, row.title)
        return None

    async def get(self, forum_id: int) -> Forum | None:
        """One forum by number."""
        return await self._one(_F.id == forum_id)

    async def find(self, platform: Platform, group_id: str) -> Forum | None:
        """The forum of a group, if it is one."""
        return await self._one(_F.platform == platform, _F.platform_chat_id == group_id)

    async def _one(self, *where: Any) -> Forum | None:
        statement = select(_F.id, _F.platform, _F.platform_chat_id, _F.title).where(*where)
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else Forum(row.id, row.platform, row.platform_chat_id, row.title)


class SqlPolls:
    """Quick polls; a vote is keyed by poll and a one-way voter key, so a new vote replaces."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(
        self,
        forum_id: int,
        chat_id: str,
        question: str,
        options: list[str],
        now: datetime,
        closes_at: datetime | None = None,
    ) -> Poll:
        """Open a new poll."""
        insert = insert_for(self._session)
        statement = (
            insert(PollRecord)
            .values(
                forum_id=forum_id,
                chat_id=chat_id,
                question=question,
                options=options,
                status=PollStatus.OPEN,
                created_at=now,
                closes_at=closes_at,
            )
            .returning(*_POLL_COLUMNS)
        )
        return _poll((await self._session.execute(statement)).one())

    async def get(self, poll_id: int) -> Poll | None:
        """Get one poll by id."""
        row = (
            await self._session.execute(select(*_POLL_COLUMNS).where(PollRecord.id == poll_id))
        ).one_or_none()
        return None if row is None else _poll(row)

    async def latest_in_chat(self, forum_id: int, chat_id: str) -> Poll | None:
        """Get the newest poll of a forum posted in one chat."""
        statement = (
            select(*_POLL_COLUMNS)
            .where(PollRecord.forum_id == forum_id, PollRecord.chat_id == chat_id)
            .order_by(PollRecord.id.desc())
            .limit(1)
        )
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _poll(row)

    async def vote(self, poll_id: int, voter: str, option: int, now: datetime) -> int | None:
        """Record or replace a vote, returning the option chosen before (None if first vote)."""
        before = (
            await self._session.execute(
                select(PollVoteRecord.option)
                .where(PollVoteRecord.poll_id == poll_id, PollVoteRecord.voter == voter)
                .with_for_update()
            )
        ).scalar_one_or_none()
        insert = insert_for(self._session)
        statement = (
            insert(PollVoteRecord)
            .values(poll_id=poll_id, voter=voter, option=option, voted_at=now)
            .on_conflict_do_update(
                index_elements=[PollVoteRecord.poll_id, PollVoteRecord.voter],
                set_={"option": option, "voted_at": now},
            )
        )
        await self._session.execute(statement)
        return before

    async def of_forum(self, forum_id: int) -> list[Poll]:
        """Every quick poll of a forum, oldest first."""
        statement = select(*_POLL_COLUMNS).where(PollRecord.forum_id == forum_id)
        return [
            _poll(row) for row in await self._session.execute(statement.order_by(PollRecord.id))
        ]

    async def counts(self, poll_id: int) -> dict[int, int]:
        """Count votes per option index."""
        statement = (
            select(PollVoteRecord.option, func.count())
            .where(PollVoteRecord.poll_id == poll_id)
            .group_by(PollVoteRecord.option)
        )
        return {row[0]: row[1] for row in await self._session.execute(statement)}

    async def close(self, poll: Poll, now: datetime, announced: bool = True) -> None:
        """Stop the poll taking votes."""
        await self._session.execute(
            update(PollRecord)
            .where(PollRecord.id == poll.id)
            .values(status=PollStatus.CLOSED, closed_at=now, announced=announced)
        )
        poll.status = PollStatus.CLOSED

    async def due(self, now: datetime) -> list[Poll]:
        """Open polls whose closing time has come, oldest first."""
        statement = select(*_POLL_COLUMNS).where(
            PollRecord.status == PollStatus.OPEN, PollRecord.closes_at <= now
        )
        return [
            _poll(row) for row in await self._session.execute(statement.order_by(PollRecord.id))
        ]

    async def to_announce(self) -> list[Poll]:
        """Closed polls whose final results are not yet in their chat."""
        statement = select(*_POLL_COLUMNS).where(
            PollRecord.status == PollStatus.CLOSED,
            PollRecord.closes_at.is_not(None),
            PollRecord.announced.is_(False),
        )
        return [
            _poll(row) for row in await self._session.execute(statement.order_by(PollRecord.id))
        ]

    async def mark_announced(self, poll_id: int) -> None:
        """The poll's final results are in its chat."""
        await self._session.execute(
            update(PollRecord).where(PollRecord.id == poll_id).values(announced=True)
        )


class SqlHandledEvents:
    """Keys of handled deliveries, kept for a while so a repeat delivery is recognised."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def claim(self, key: str, now: datetime) -> bool:
        """Record the key; False if it was already recorded."""
        statement = _CLAIM[self._session.dialect.name]
        parameters = {"key": key, "handled_at": now}
        result = cast(CursorResult[Any], await self._session.execute(statement, parameters))
        return result.rowcount == 1

    async def forget_before(self, cutoff: datetime) -> int:
        """Delete keys handled before the cutoff."""
        statement = delete(HandledEventRecord).where(HandledEventRecord.handled_at < cutoff)
        result = cast(CursorResult[Any], await self._session.execute(statement))
        return result.rowcount
