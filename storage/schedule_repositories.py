"""SQL storage for forums' own sending hours and for scheduled progress updates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import ForumHours
from storage.forum_repositories import insert_for
from storage.models import ForumHoursRecord, ProgressUpdateRecord

_H = ForumHoursRecord
_U = ProgressUpdateRecord


class SqlForumHours:
    """One row per forum that set its own quiet or school hours."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def get(self, forum_id: int) -> ForumHours:
        """A forum's hours; the usual ones (both None) if it set none."""
        return (await self.of([forum_id])).get(forum_id, ForumHours(forum_id))

    async def of(self, forum_ids: list[int]) -> dict[int, ForumHours]:
        """The hours of those of these forums that set their own."""
        statement = select(_H.forum_id, _H.quiet_hours, _H.school_hours).where(
            _H.forum_id.in_(forum_ids)
        )
        return {
            row.forum_id: ForumHours(row.forum_id, row.quiet_hours, row.school_hours)
            for row in await self._session.execute(statement)
        }

    async def set(self, hours: ForumHours, now: datetime) -> None:
        """Store a forum's hours, replacing what it had."""
        values = {"quiet_hours": hours.quiet, "school_hours": hours.school, "updated_at": now}
        statement = (
            insert_for(self._session)(_H)
            .values(forum_id=hours.forum_id, **values)
            .on_conflict_do_update(index_elements=[_H.forum_id], set_=values)
        )
        await self._session.execute(statement)


class SqlProgressUpdates:
    """When the next progress update on each outcome is to go out."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def set(self, outcome_id: int, send_at: datetime, now: datetime) -> None:
        """Send the outcome's next progress update at ``send_at``; a new time replaces the old."""
        statement = (
            insert_for(self._session)(_U)
            .values(outcome_id=outcome_id, send_at=send_at, created_at=now)
            .on_conflict_do_update(
                index_elements=[_U.outcome_id], set_={"send_at": send_at, "created_at": now}
            )
        )
        await self._session.execute(statement)

    async def at(self, outcome_id: int) -> datetime | None:
        """When the outcome's next progress update goes out, if one is set."""
        statement = select(_U.send_at).where(_U.outcome_id == outcome_id)
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def take_due(self, now: datetime, limit: int = 100) -> list[tuple[int, datetime]]:
        """Remove and return (outcome id, time) of the updates due by ``now``, oldest first."""
        statement = (
            select(_U.outcome_id, _U.send_at)
            .where(_U.send_at <= now)
            .order_by(_U.send_at, _U.outcome_id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        due = [(row.outcome_id, row.send_at) for row in await self._session.execute(statement)]
        if due:
            taken = [outcome_id for outcome_id, _ in due]
            await self._session.execute(delete(_U).where(_U.outcome_id.in_(taken)))
        return due
