"""SQL storage for "you said, we did" outcomes and the feedback young people give on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import ContactPreference, Outcome, OutcomeStatus
from storage.forum_repositories import insert_for
from storage.models import (
    AnswerRecord,
    DialogSessionRecord,
    OutcomeFeedbackRecord,
    OutcomeRecord,
    ParticipantRecord,
)

_O = OutcomeRecord
_F = OutcomeFeedbackRecord
_COLUMNS = (
    _O.id,
    _O.token,
    _O.consultation_id,
    _O.you_said,
    _O.we_did,
    _O.next_steps,
    _O.status,
    _O.progress,
    _O.question_ids,
    _O.created_at,
    _O.updated_at,
)
_CHANGEABLE = ("you_said", "we_did", "next_steps", "status", "progress", "updated_at")


def _outcome(row: Row[*tuple[Any, ...]]) -> Outcome:
    values = {column.key: getattr(row, column.key) for column in _COLUMNS}
    return Outcome(**values | {"status": OutcomeStatus(row.status)})


class SqlOutcomes:
    """Outcomes of consultations, and one feedback row per person and outcome."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, outcome: Outcome) -> Outcome:
        """Insert an outcome; its id comes from the database."""
        values = {column.key: getattr(outcome, column.key) for column in _COLUMNS[1:]}
        statement = insert(_O).values(values).returning(*_COLUMNS)
        return _outcome((await self._session.execute(statement)).one())

    async def get(self, outcome_id: int) -> Outcome | None:
        """One outcome by number."""
        return await self._one(_O.id == outcome_id)

    async def by_token(self, token: str) -> Outcome | None:
        """One outcome by its buttons' token."""
        return await self._one(_O.token == token)

    async def save(self, outcome: Outcome) -> None:
        """Write the fields that may change."""
        values = {key: getattr(outcome, key) for key in _CHANGEABLE}
        await self._session.execute(update(_O).where(_O.id == outcome.id).values(values))

    async def of_consultation(self, consultation_id: int) -> list[Outcome]:
        """A consultation's outcomes, oldest first."""
        statement = select(*_COLUMNS).where(_O.consultation_id == consultation_id).order_by(_O.id)
        return [_outcome(row) for row in await self._session.execute(statement)]

    async def changed_since(self, since: datetime) -> list[Outcome]:
        """Outcomes written or changed since ``since``, oldest first."""
        statement = select(*_COLUMNS).where(_O.updated_at >= since).order_by(_O.id)
        return [_outcome(row) for row in await self._session.execute(statement)]

    async def contributors(self, consultation_id: int, question_ids: list[str]) -> list[int]:
        """Participants with an answer (not a skip) to the consultation who still hear from us."""
        answered: list[ColumnElement[bool]] = [
            AnswerRecord.consultation_id == consultation_id,
            AnswerRecord.skipped.is_(False),
        ]
        if question_ids:
            answered.append(AnswerRecord.question_id.in_(question_ids))
        who = (
            select(DialogSessionRecord.participant_id)
            .join(AnswerRecord, AnswerRecord.session_id == DialogSessionRecord.id)
            .where(*answered)
        )
        statement = (
            select(ParticipantRecord.id)
            .where(
                ParticipantRecord.id.in_(who),
                ParticipantRecord.messages_stopped.is_(False),
                ParticipantRecord.unreachable.is_(False),
                ParticipantRecord.contact_preference != ContactPreference.NEVER.value,
            )
            .order_by(ParticipantRecord.id)
        )
        return list((await self._session.execute(statement)).scalars())

    async def add_feedback(
        self, outcome_id: int, participant_id: int, value: str, now: datetime
    ) -> bool:
        """Insert the person's feedback unless they gave it before."""
        statement = (
            insert_for(self._session)(_F)
            .values(outcome_id=outcome_id, participant_id=participant_id, value=value, given_at=now)
            .on_conflict_do_nothing(index_elements=[_F.outcome_id, _F.participant_id])
            .returning(_F.outcome_id)
        )
        return (await self._session.execute(statement)).first() is not None

    async def feedback_counts(self, outcome_id: int) -> dict[str, int]:
        """Feedback per value."""
        statement = (
            select(_F.value, func.count()).where(_F.outcome_id == outcome_id).group_by(_F.value)
        )
        return {value: count for value, count in (await self._session.execute(statement)).all()}

    async def feedback_of(self, participant_id: int) -> list[tuple[int, str]]:
        """The person's feedback, oldest outcome first."""
        statement = (
            select(_F.outcome_id, _F.value)
            .where(_F.participant_id == participant_id)
            .order_by(_F.outcome_id)
        )
        return [(row.outcome_id, row.value) for row in await self._session.execute(statement)]

    async def _one(self, where: ColumnElement[bool]) -> Outcome | None:
        row = (await self._session.execute(select(*_COLUMNS).where(where))).first()
        return None if row is None else _outcome(row)
