"""SQL implementations of the core's storage ports; they return core dataclasses only."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    CursorResult,
    Row,
    Select,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import (
    AgeBand,
    Answer,
    AnswerRow,
    Consultation,
    ConsultationStatus,
    ContactPreference,
    DialogSession,
    Participant,
    SessionStatus,
    Stage,
)
from core.messages import Platform
from core.ports import ConcurrentChange
from storage.models import (
    AnswerRecord,
    ConsentRecord,
    ConsultationRecord,
    DialogSessionRecord,
    ForumMemberRecord,
    GuardianConsentRecord,
    ParticipantRecord,
    PlatformIdentityRecord,
)

_P = ParticipantRecord
_C = ConsultationRecord
_S = DialogSessionRecord
_A = AnswerRecord

_LATEST_CONSENT = (
    select(ConsentRecord.version)
    .where(ConsentRecord.participant_id == _P.id)
    .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
    .limit(1)
    .correlate(_P)
    .scalar_subquery()
)
_GUARDIAN_AGREED = (
    select(GuardianConsentRecord.participant_id)
    .where(GuardianConsentRecord.participant_id == _P.id)
    .correlate(_P)
    .exists()
)
_PARTICIPANT_COLUMNS = (
    _P.id,
    _P.age_band,
    _P.contact_preference,
    _P.messages_stopped,
    _P.unreachable,
    _P.weekly_digest,
    _LATEST_CONSENT.label("consent_version"),
    _GUARDIAN_AGREED.label("guardian_agreed"),
)
_CONSULTATION_COLUMNS = (
    _C.id,
    _C.slug,
    _C.title,
    _C.summary,
    _C.stage,
    _C.status,
    _C.script_yaml,
    _C.forum_id,
)
_SESSION_COLUMNS = (
    _S.id,
    _S.participant_id,
    _S.consultation_id,
    _S.status,
    _S.question_id,
    _S.path,
    _S.draft,
    _S.follow_on,
    _S.version,
)
_ANSWER_COLUMNS = (
    _A.session_id,
    _A.consultation_id,
    _A.question_id,
    _A.value,
    _A.skipped,
    _A.age_band,
    _A.answered_at,
)


# Statements on the path of every chat event are built once, with bound parameters: building
# a statement costs more CPU than running it.
_FIND_BY_IDENTITY = (
    select(*_PARTICIPANT_COLUMNS)
    .join(PlatformIdentityRecord, PlatformIdentityRecord.participant_id == _P.id)
    .where(
        PlatformIdentityRecord.platform == bindparam("platform"),
        PlatformIdentityRecord.platform_user_id == bindparam("user_id"),
    )
)
_CONSULTATION_BY_ID = select(*_CONSULTATION_COLUMNS).where(_C.id == bindparam("id"))
_CURRENT_SESSION = (
    select(*_SESSION_COLUMNS)
    .where(
        _S.participant_id == bindparam("participant_id"),
        _S.status.in_([SessionStatus.ACTIVE, SessionStatus.PAUSED]),
    )
    .order_by(
        case((_S.status == SessionStatus.ACTIVE, 0), else_=1),
        _S.updated_at.desc(),
        _S.id.desc(),
    )
    .limit(1)
)
_SAVE_SESSION = (
    update(_S)
    .where(_S.id == bindparam("session_id"), _S.version == bindparam("old_version"))
    .values(
        status=bindparam("status"),
        question_id=bindparam("question_id"),
        path=bindparam("path"),
        draft=bindparam("draft"),
        follow_on=bindparam("follow_on"),
        version=bindparam("new_version"),
        updated_at=bindparam("updated_at"),
    )
)
_ADD_ANSWER = insert(_A)


def _age_band(value: str | None) -> AgeBand | None:
    return None if value is None else AgeBand(value)


def _participant(row: Row[*tuple[Any, ...]]) -> Participant:
    return Participant(
        id=row.id,
        age_band=_age_band(row.age_band),
        contact_preference=ContactPreference(row.contact_preference),
        messages_stopped=row.messages_stopped,
        consent_version=row.consent_version,
        unreachable=row.unreachable,
        guardian_agreed=bool(row.guardian_agreed),
        weekly_digest=row.weekly_digest,
    )


def _consultation(row: Row[*tuple[Any, ...]]) -> Consultation:
    return Consultation(
        id=row.id,
        slug=row.slug,
        title=row.title,
        summary=row.summary,
        stage=Stage(row.stage),
        status=ConsultationStatus(row.status),
        script_yaml=row.script_yaml,
        forum_id=row.forum_id,
    )


def _session(row: Row[*tuple[Any, ...]]) -> DialogSession:
    return DialogSession(
        id=row.id,
        participant_id=row.participant_id,
        consultation_id=row.consultation_id,
        status=SessionStatus(row.status),
        question_id=row.question_id,
        path=list(row.path),
        draft=dict(row.draft),
        follow_on=row.follow_on,
        version=row.version,
    )


def _answer(row: Row[*tuple[Any, ...]]) -> Answer:
    return Answer(
        session_id=row.session_id,
        consultation_id=row.consultation_id,
        question_id=row.question_id,
        value=row.value,
        skipped=row.skipped,
        age_band=_age_band(row.age_band),
        answered_at=row.answered_at,
    )


class SqlParticipants:
    """Participants and their platform identities."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def find_by_identity(self, platform: Platform, user_id: str) -> Participant | None:
        """Find the participant behind a platform user id, with their latest consent version."""
        parameters = {"platform": platform, "user_id": user_id}
        row = (await self._session.execute(_FIND_BY_IDENTITY, parameters)).one_or_none()
        return None if row is None else _participant(row)

    async def add(self, platform: Platform, user_id: str, now: datetime) -> Participant:
        """Add a participant with one identity; ConcurrentChange if the identity is taken."""
        result = await self._session.execute(insert(_P).values(created_at=now).returning(_P.id))
        participant_id = result.scalar_one()
        try:
            await self._session.execute(
                insert(PlatformIdentityRecord).values(
                    participant_id=participant_id,
                    platform=platform,
                    platform_user_id=user_id,
                    created_at=now,
                )
            )
        except IntegrityError as error:
            raise ConcurrentChange(f"{platform} user already known") from error
        return Participant(id=participant_id)

    async def save(self, participant: Participant) -> None:
        """Store the age band, contact preferences and the weekly round-up choice."""
        await self._session.execute(
            update(_P)
            .where(_P.id == participant.id)
            .values(
                age_band=participant.age_band,
                contact_preference=participant.contact_preference,
                messages_stopped=participant.messages_stopped,
                weekly_digest=participant.weekly_digest,
            )
        )

    async def record_consent(self, participant_id: int, version: str, now: datetime) -> None:
        """Keep a record of agreement to one version of the privacy text."""
        await self._session.execute(
            insert(ConsentRecord).values(
                participant_id=participant_id, version=version, recorded_at=now
            )
        )

    async def delete(self, participant_id: int) -> None:
        """Remove the participant; the database cascades to everything linked to them."""
        await self._session.execute(delete(_P).where(_P.id == participant_id))

    async def mark_unreachable(self, platform: Platform, user_id: str) -> None:
        """Flag the participant behind a platform identity as unreachable."""
        owner = select(PlatformIdentityRecord.participant_id).where(
            PlatformIdentityRecord.platform == platform,
            PlatformIdentityRecord.platform_user_id == user_id,
        )
        await self._session.execute(
            update(_P).where(_P.id.in_(owner.scalar_subquery())).values(unreachable=True)
        )

    async def identities(self, participant_id: int) -> list[tuple[str, str]]:
        """List the platform identities that reach a participant."""
        statement = (
            select(PlatformIdentityRecord.platform, PlatformIdentityRecord.platform_user_id)
            .where(PlatformIdentityRecord.participant_id == participant_id)
            .order_by(PlatformIdentityRecord.id)
        )
        return [
            (row.platform, row.platform_user_id) for row in await self._session.execute(statement)
        ]

    async def consents(self, participant_id: int) -> list[tuple[str, datetime]]:
        """List the privacy text versions agreed to, oldest first."""
        statement = (
            select(ConsentRecord.version, ConsentRecord.recorded_at)
            .where(ConsentRecord.participant_id == participant_id)
            .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
        )
        return [(row.version, row.recorded_at) for row in await self._session.execute(statement)]

    async def wanting_digest(self, participant_ids: list[int]) -> list[int]:
        """Those of these people whose weekly round-up is on and who still hear from us."""
        chose = or_(
            _P.weekly_digest.is_(True),
            _P.weekly_digest.is_(None) & (func.coalesce(_P.age_band, "") != AgeBand.UNDER_13.value),
        )
        statement = (
            select(_P.id)
            .where(
                _P.id.in_(participant_ids),
                chose,
                _P.messages_stopped.is_(False),
                _P.unreachable.is_(False),
                _P.contact_preference != ContactPreference.NEVER.value,
            )
            .order_by(_P.id)
        )
        return list((await self._session.execute(statement)).scalars())


class SqlConsultations:
    """Consultations and their dialog scripts."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def claim_for_forum(self, consultation_id: int, forum_id: int) -> None:
        """Make the consultation the forum's, unless it belongs to a forum already."""
        await self._session.execute(
            update(_C)
            .where(_C.id == consultation_id, _C.forum_id.is_(None))
            .values(forum_id=forum_id)
        )

    async def list_open(self) -> list[Consultation]:
        """List open consultations, oldest first."""
        statement = (
            select(*_CONSULTATION_COLUMNS)
            .where(_C.status == ConsultationStatus.OPEN)
            .order_by(_C.created_at, _C.id)
        )
        return [_consultation(row) for row in await self._session.execute(statement)]

    async def list_all(self) -> list[Consultation]:
        """Every consultation, open or closed, oldest first."""
        statement = select(*_CONSULTATION_COLUMNS).order_by(_C.created_at, _C.id)
        return [_consultation(row) for row in await self._session.execute(statement)]

    async def get(self, consultation_id: int) -> Consultation | None:
        """Get one consultation by id."""
        row = (
            await self._session.execute(_CONSULTATION_BY_ID, {"id": consultation_id})
        ).one_or_none()
        return None if row is None else _consultation(row)

    async def get_by_slug(self, slug: str) -> Consultation | None:
        """Get one consultation by its short name."""
        return await self._one(select(*_CONSULTATION_COLUMNS).where(_C.slug == slug))

    async def add(
        self, slug: str, title: str, summary: str, stage: Stage, script_yaml: str, now: datetime
    ) -> Consultation:
        """Add an open consultation; ConcurrentChange if its short name is taken meanwhile."""
        statement = (
            insert(_C)
            .values(
                slug=slug,
                title=title,
                summary=summary,
                stage=stage,
                status=ConsultationStatus.OPEN,
                script_yaml=script_yaml,
                created_at=now,
            )
            .returning(*_CONSULTATION_COLUMNS)
        )
        try:
            return _consultation((await self._session.execute(statement)).one())
        except IntegrityError as error:
            raise ConcurrentChange(f"consultation {slug} already exists") from error

    async def _one(self, statement: Select[*tuple[Any, ...]]) -> Consultation | None:
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _consultation(row)


class SqlDialogSessions:
    """Where each person is in each dialog, saved with optimistic version checks."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def current(self, participant_id: int) -> DialogSession | None:
        """Find the person's active session, else their most recently paused one."""
        parameters = {"participant_id": participant_id}
        row = (await self._session.execute(_CURRENT_SESSION, parameters)).one_or_none()
        return None if row is None else _session(row)

    async def get(self, session_id: int) -> DialogSession | None:
        """Get one session by id."""
        return await self._one(select(*_SESSION_COLUMNS).where(_S.id == session_id))

    async def for_participant(self, participant_id: int) -> list[DialogSession]:
        """List all of a participant's sessions, oldest first."""
        statement = (
            select(*_SESSION_COLUMNS)
            .where(_S.participant_id == participant_id)
            .order_by(_S.started_at, _S.id)
        )
        return [_session(row) for row in await self._session.execute(statement)]

    async def latest_for(self, participant_id: int, consultation_id: int) -> DialogSession | None:
        """Find the person's most recently started session of one consultation, in any status."""
        return await self._one(
            select(*_SESSION_COLUMNS)
            .where(_S.participant_id == participant_id, _S.consultation_id == consultation_id)
            .order_by(_S.started_at.desc(), _S.id.desc())
            .limit(1)
        )

    async def add(
        self,
        participant_id: int,
        consultation_id: int | None,
        question_id: str | None,
        follow_on: str | None,
        now: datetime,
    ) -> DialogSession:
        """Start a new active session."""
        statement = (
            insert(_S)
            .values(
                participant_id=participant_id,
                consultation_id=consultation_id,
                status=SessionStatus.ACTIVE,
                question_id=question_id,
                path=[],
                draft={},
                follow_on=follow_on,
                version=1,
                started_at=now,
                updated_at=now,
            )
            .returning(*_SESSION_COLUMNS)
        )
        return _session((await self._session.execute(statement)).one())

    async def save(self, session: DialogSession, now: datetime) -> None:
        """Store the session if its version is unchanged, then bump the version."""
        parameters = {
            "session_id": session.id,
            "old_version": session.version,
            "status": session.status,
            "question_id": session.question_id,
            "path": session.path,
            "draft": session.draft,
            "follow_on": session.follow_on,
            "new_version": session.version + 1,
            "updated_at": now,
        }
        result = cast(CursorResult[Any], await self._session.execute(_SAVE_SESSION, parameters))
        if result.rowcount == 0:
            raise ConcurrentChange(f"dialog session {session.id} changed since it was read")
        session.version += 1

    async def _one(self, statement: Select[*tuple[Any, ...]]) -> DialogSession | None:
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _session(row)


class SqlAnswers:
    """Answers to consultation questions."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, answer: Answer) -> None:
        """Store a whole answer; ConcurrentChange if the question was already answered."""
        try:
            await self._session.execute(
                _ADD_ANSWER,
                {
                    "session_id": answer.session_id,
                    "consultation_id": answer.consultation_id,
                    "question_id": answer.question_id,
                    "value": answer.value,
                    "skipped": answer.skipped,
                    "age_band": answer.age_band,
                    "answered_at": answer.answered_at,
                },
            )
        except IntegrityError as error:
            raise ConcurrentChange(f"question {answer.question_id} already answered") from error

    async def for_session(self, session_id: int) -> list[Answer]:
        """List the answers given in one session, in the order given."""
        statement = (
            select(*_ANSWER_COLUMNS)
            .where(_A.session_id == session_id)
            .order_by(_A.answered_at, _A.id)
        )
        return [_answer(row) for row in await self._session.execute(statement)]

    async def export(self, consultation_id: int, forum_id: int | None = None) -> list[AnswerRow]:
        """Export every answer (of a forum's members only, if given).

        Respondents are numbered 1..N in order of first answer.
        """
        statement = (
            select(*_ANSWER_COLUMNS)
            .where(_A.consultation_id == consultation_id)
            .order_by(_A.answered_at, _A.id)
        )
        if forum_id is not None:
            members = (
                select(_S.id)
                .join(ForumMemberRecord, ForumMemberRecord.participant_id == _S.participant_id)
                .where(ForumMemberRecord.forum_id == forum_id)
            )
            statement = statement.where(_A.session_id.in_(members))
        numbers: dict[int, int] = {}
        rows = []
        for row in await self._session.execute(statement):
            respondent = numbers.setdefault(row.session_id, len(numbers) + 1)
            rows.append(
                AnswerRow(
                    respondent=respondent,
                    question_id=row.question_id,
                    value=row.value,
                    skipped=row.skipped,
                    age_band=_age_band(row.age_band),
                    answered_at=row.answered_at,
                )
            )
        rows.sort(key=lambda exported: exported.respondent)  # stable: time order kept
        return rows
