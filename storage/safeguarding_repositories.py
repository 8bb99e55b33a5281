"""SQL storage for safeguarding alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.safeguarding import Alert, AlertStatus
from storage.models import DeliveryRecord, SafeguardingAlertRecord

_G = SafeguardingAlertRecord
_COLUMNS = (
    _G.id,
    _G.participant_number,
    _G.platform,
    _G.platform_user_id,
    _G.text,
    _G.terms,
    _G.consultation_id,
    _G.question_id,
    _G.created_at,
    _G.last_sent_at,
    _G.status,
    _G.rounds,
    _G.escalated,
    _G.acknowledged_at,
    _G.acknowledged_by,
    _G.posted_in,
)


def _alert(row: Row[*tuple[Any, ...]]) -> Alert:
    return Alert(
        id=row.id,
        participant_number=row.participant_number,
        platform=row.platform,
        user_id=row.platform_user_id,
        text=row.text,
        terms=list(row.terms),
        consultation_id=row.consultation_id,
        question_id=row.question_id,
        created_at=row.created_at,
        last_sent_at=row.last_sent_at,
        status=AlertStatus(row.status),
        rounds=row.rounds,
        escalated=row.escalated,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
        posted_in=row.posted_in,
    )


class SqlAlerts:
    """Safeguarding alerts; nothing here is deleted along with a participant."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, alert: Alert) -> Alert:
        """Insert a new alert and return it with its number."""
        statement = (
            insert(_G)
            .values(
                participant_number=alert.participant_number,
                platform=alert.platform,
                platform_user_id=alert.user_id,
                text=alert.text,
                terms=alert.terms,
                consultation_id=alert.consultation_id,
                question_id=alert.question_id,
                status=alert.status,
                rounds=alert.rounds,
                escalated=alert.escalated,
                created_at=alert.created_at,
                last_sent_at=alert.last_sent_at,
                acknowledged_at=alert.acknowledged_at,
                acknowledged_by=alert.acknowledged_by,
                posted_in=alert.posted_in,
            )
            .returning(*_COLUMNS)
        )
        return _alert((await self._session.execute(statement)).one())

    async def get(self, alert_id: int) -> Alert | None:
        """One alert by number."""
        row = (await self._session.execute(select(*_COLUMNS).where(_G.id == alert_id))).first()
        return None if row is None else _alert(row)

    async def list_alerts(self, include_acknowledged: bool = False) -> list[Alert]:
        """Unacknowledged alerts (or all), oldest first."""
        statement = select(*_COLUMNS).order_by(_G.id)
        if not include_acknowledged:
            statement = statement.where(_G.status == AlertStatus.NEW)
        return [_alert(row) for row in await self._session.execute(statement)]

    async def count_unacknowledged(self) -> int:
        """How many alerts nobody has acknowledged yet."""
        statement = select(func.count()).select_from(_G).where(_G.status == AlertStatus.NEW)
        return int((await self._session.execute(statement)).scalar_one())

    async def due(self, sent_before: datetime) -> list[Alert]:
        """Unacknowledged alerts last sent at or before ``sent_before``, oldest first."""
        statement = (
            select(*_COLUMNS)
            .where(_G.status == AlertStatus.NEW, _G.last_sent_at <= sent_before)
            .order_by(_G.id)
        )
        return [_alert(row) for row in await self._session.execute(statement)]

    async def mark_sent(
        self, alert_id: int, rounds_before: int, escalated: bool, now: datetime
    ) -> bool:
        """Count a sending if the alert is still new and nobody counted one meanwhile."""
        statement = (
            update(_G)
            .where(_G.id == alert_id, _G.status == AlertStatus.NEW, _G.rounds == rounds_before)
            .values(
                rounds=rounds_before + 1,
                escalated=_G.escalated | escalated,
                last_sent_at=now,
            )
        )
        result = cast(CursorResult[Any], await self._session.execute(statement))
        return result.rowcount == 1

    async def delete_seen_before(self, cutoff: datetime) -> int:
        """Delete old acknowledged alerts with their copies in the outbox."""
        ids = list(
            (
                await self._session.execute(
                    select(_G.id).where(
                        _G.status == AlertStatus.ACKNOWLEDGED, _G.created_at < cutoff
                    )
                )
            ).scalars()
        )
        for alert_id in ids:
            for prefix in (f"alert:{alert_id}:", f"post:{alert_id}:"):
                await self._session.execute(
                    delete(DeliveryRecord).where(
                        DeliveryRecord.broadcast.startswith(prefix, autoescape=True)
                    )
                )
        if ids:
            await self._session.execute(delete(_G).where(_G.id.in_(ids)))
        return len(ids)

    async def acknowledge(self, alert_id: int, by: str, now: datetime) -> bool:
        """Mark as seen if it was not already."""
        statement = (
            update(_G)
            .where(_G.id == alert_id, _G.status == AlertStatus.NEW)
            .values(status=AlertStatus.ACKNOWLEDGED, acknowledged_at=now, acknowledged_by=by[:100])
        )
        result = cast(CursorResult[Any], await self._session.execute(statement))
        return result.rowcount == 1
