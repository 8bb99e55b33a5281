"""SQL storage for the reminders people ask for when they pause a dialog."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.forum_repositories import insert_for
from storage.models import PauseReminderRecord

_R = PauseReminderRecord


class SqlPauseReminders:
    """One row per paused session whose owner asked to be reminded."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def set(
        self, session_id: int, participant_id: int, remind_at: datetime, now: datetime
    ) -> None:
        """Remind at ``remind_at``; a new choice replaces the old one."""
        values = {
            "session_id": session_id,
            "participant_id": participant_id,
            "remind_at": remind_at,
            "created_at": now,
        }
        statement = (
            insert_for(self._session)(_R)
            .values(values)
            .on_conflict_do_update(
                index_elements=[_R.session_id], set_={"remind_at": remind_at, "created_at": now}
            )
        )
        await self._session.execute(statement)

    async def due(self, now: datetime, limit: int = 500) -> list[tuple[int, int]]:
        """(session id, participant id) of reminders due by ``now``, oldest first."""
        statement = (
            select(_R.session_id, _R.participant_id)
            .where(_R.remind_at <= now)
            .order_by(_R.remind_at, _R.session_id)
            .limit(limit)
        )
        return [
            (row.session_id, row.participant_id) for row in await self._session.execute(statement)
        ]

    async def remove(self, session_id: int) -> None:
        """Forget a reminder: sent, or no longer needed."""
        await self._session.execute(delete(_R).where(_R.session_id == session_id))
