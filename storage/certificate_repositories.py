"""SQL storage for certificates of contribution."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import Certificate
from storage.forum_repositories import insert_for
from storage.models import AnswerRecord, CertificateRecord, DialogSessionRecord

_C = CertificateRecord


class SqlCertificates:
    """One row per person and consultation: who was given a certificate, by which forum."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def award(self, consultation_id: int, forum_id: int | None, now: datetime) -> list[int]:
        """Give one to everyone who answered the consultation and has none for it yet.

        Returns the participants given one now, in order. One statement, so two organisers
        pressing at once cannot give anyone two.
        """
        answered = (
            select(
                DialogSessionRecord.participant_id,
                literal(consultation_id),
                literal(forum_id),
                literal(now, _C.issued_at.type),
            )
            .join(AnswerRecord, AnswerRecord.session_id == DialogSessionRecord.id)
            .where(AnswerRecord.consultation_id == consultation_id, AnswerRecord.skipped.is_(False))
            .distinct()
        )
        statement = (
            insert_for(self._session)(_C)
            .from_select(["participant_id", "consultation_id", "forum_id", "issued_at"], answered)
            .on_conflict_do_nothing(index_elements=[_C.participant_id, _C.consultation_id])
            .returning(_C.participant_id)
        )
        return sorted((await self._session.execute(statement)).scalars())

    async def count(self, consultation_id: int) -> int:
        """How many people have a certificate for the consultation."""
        statement = select(func.count()).where(_C.consultation_id == consultation_id)
        return int((await self._session.execute(statement)).scalar_one())

    async def of_participant(self, participant_id: int) -> list[Certificate]:
        """A person's certificates, oldest first."""
        statement = (
            select(_C.consultation_id, _C.forum_id, _C.issued_at)
            .where(_C.participant_id == participant_id)
            .order_by(_C.issued_at, _C.consultation_id)
        )
        return [
            Certificate(row.consultation_id, row.forum_id, row.issued_at)
            for row in await self._session.execute(statement)
        ]
