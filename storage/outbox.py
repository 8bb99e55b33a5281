"""SQL storage for the outbox: queueing, claiming with a lease, and recording outcomes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.delivery import DIRECT, wanted
from core.domain import ContactPreference, Delivery, DeliveryStatus
from storage.forum_repositories import insert_for
from storage.models import DeliveryRecord, ParticipantRecord, PlatformIdentityRecord

_D = DeliveryRecord
_QUEUE_CHUNK = 500


class SqlDeliveries:
    """The outbox. On PostgreSQL, workers claim rows with ``FOR UPDATE SKIP LOCKED``."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def queue(
        self,
        broadcast: str,
        participant_ids: list[int],
        payload: dict[str, Any],
        priority: int,
        now: datetime,
    ) -> int:
        """Insert one pending row per participant; rows already queued are left alone."""
        added = 0
        for start in range(0, len(participant_ids), _QUEUE_CHUNK):
            chunk = participant_ids[start : start + _QUEUE_CHUNK]
            rows = [
                {
                    "broadcast": broadcast,
                    "participant_id": participant_id,
                    "payload": payload,
                    "priority": priority,
                    "status": DeliveryStatus.PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for participant_id in chunk
            ]
            statement = (
                insert_for(self._session)(_D)
                .values(rows)
                .on_conflict_do_nothing(index_elements=[_D.broadcast, _D.participant_id])
                .returning(_D.id)
            )
            added += len((await self._session.execute(statement)).all())
        return added

    async def claim(
        self, limit: int, now: datetime, lease: timedelta, platforms: list[str]
    ) -> list[Delivery]:
        """Lease up to ``limit`` due rows for people on ``platforms``, most urgent first."""
        reachable = select(PlatformIdentityRecord.participant_id).where(
            PlatformIdentityRecord.platform.in_(platforms)
        )
        due = (
            select(_D.id)
            .where(
                _D.next_attempt_at <= now,
                _D.participant_id.in_(reachable),
                or_(
                    _D.status == DeliveryStatus.PENDING,
                    (_D.status == DeliveryStatus.SENDING) & (_D.lease_until <= now),
                ),
            )
            .order_by(_D.priority, _D.next_attempt_at, _D.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list((await self._session.execute(due)).scalars())
        if not ids:
            return []
        await self._session.execute(
            update(_D)
            .where(_D.id.in_(ids))
            .values(status=DeliveryStatus.SENDING, lease_until=now + lease)
        )
        first_identity = (
            select(func.min(PlatformIdentityRecord.id))
            .where(
                PlatformIdentityRecord.participant_id == _D.participant_id,
                PlatformIdentityRecord.platform.in_(platforms),
            )
            .correlate(_D)
            .scalar_subquery()
        )
        statement = (
            select(
                _D.id,
                _D.participant_id,
                _D.payload,
                _D.attempts,
                PlatformIdentityRecord.platform,
                PlatformIdentityRecord.platform_user_id,
                ParticipantRecord.unreachable,
                ParticipantRecord.messages_stopped,
                ParticipantRecord.contact_preference,
            )
            .join(ParticipantRecord, ParticipantRecord.id == _D.participant_id)
            .outerjoin(PlatformIdentityRecord, PlatformIdentityRecord.id == first_identity)
            .where(_D.id.in_(ids))
            .order_by(_D.priority, _D.next_attempt_at, _D.id)
        )
        claimed = []
        for row in await self._session.execute(statement):
            if row.platform is None or row.unreachable or row.messages_stopped:
                await self.give_up(row.id, "cannot be reached", now)
                continue
            kind = str(row.payload.get("kind", DIRECT))
            if not wanted(kind, ContactPreference(row.contact_preference)):
                await self.give_up(row.id, "not a kind of message they chose", now)
                continue
            claimed.append(
                Delivery(
                    row.id,
                    row.participant_id,
                    row.platform,
                    row.platform_user_id,
                    dict(row.payload),
                    row.attempts,
                )
            )
        return claimed

    async def sent(self, delivery_id: int, now: datetime) -> None:
        """Record that the message went out."""
        await self._set(delivery_id, status=DeliveryStatus.SENT, sent_at=now, lease_until=None)

    async def retry(self, delivery_id: int, at: datetime, error: str, counts: bool) -> None:
        """Put the row back in the queue for ``at``."""
        await self._set(
            delivery_id,
            status=DeliveryStatus.PENDING,
            next_attempt_at=at,
            lease_until=None,
            last_error=error[:200],
            attempts=_D.attempts + (1 if counts else 0),
        )

    async def give_up(self, delivery_id: int, error: str, now: datetime) -> None:
        """Stop trying and keep the reason."""
        await self._set(
            delivery_id,
            status=DeliveryStatus.FAILED,
            lease_until=None,
            last_error=error[:200],
            sent_at=None,
        )

    async def status_counts(self, broadcast: str | None = None) -> dict[str, int]:
        """Count rows per status."""
        statement = select(_D.status, func.count()).group_by(_D.status)
        if broadcast is not None:
            statement = statement.where(_D.broadcast == broadcast)
        return {row[0]: row[1] for row in await self._session.execute(statement)}

    async def drop_pending(self, broadcast_prefix: str) -> int:
        """Delete rows of matching broadcasts that no worker has taken yet."""
        statement = delete(_D).where(
            _D.broadcast.startswith(broadcast_prefix, autoescape=True),
            _D.status == DeliveryStatus.PENDING,
        )
        result = cast(CursorResult[Any], await self._session.execute(statement))
        return result.rowcount

    async def queued_for(self, broadcast: str, participant_id: int) -> bool:
        """Whether the broadcast has a row for the participant."""
        statement = select(_D.id).where(
            _D.broadcast == broadcast, _D.participant_id == participant_id
        )
        return (await self._session.execute(statement.limit(1))).first() is not None

    async def _set(self, delivery_id: int, **values: Any) -> None:
        await self._session.execute(update(_D).where(_D.id == delivery_id).values(**values))
