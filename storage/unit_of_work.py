"""One database transaction over all repositories."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.ports import (
    Alerts,
    Answers,
    Audit,
    Ballots,
    Consultations,
    Deliveries,
    DialogSessions,
    ForumMembers,
    Forums,
    HandledEvents,
    InviteCodes,
    Links,
    Moderation,
    Participants,
    PersonalData,
    Polls,
    UnitOfWorkFactory,
)
from storage.ballot_repositories import SqlBallots, SqlForumMembers, SqlLinks
from storage.forum_repositories import SqlForums, SqlHandledEvents, SqlPolls
from storage.outbox import SqlDeliveries
from storage.privacy_repositories import SqlAudit, SqlInviteCodes, SqlModeration, SqlPersonalData
from storage.repositories import SqlAnswers, SqlConsultations, SqlDialogSessions, SqlParticipants
from storage.safeguarding_repositories import SqlAlerts


class SqlUnitOfWork:
    """A session and transaction; what is not committed is rolled back on exit."""

    participants: Participants
    consultations: Consultations
    sessions: DialogSessions
    answers: Answers
    forums: Forums
    polls: Polls
    handled: HandledEvents
    deliveries: Deliveries
    members: ForumMembers
    ballots: Ballots
    links: Links
    alerts: Alerts
    personal_data: PersonalData
    invites: InviteCodes
    audit: Audit
    moderation: Moderation

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self._session_factory = session_factory

    async def __aenter__(self) -> Self:
        self._session = self._session_factory()
        await self._session.begin()
        self._committed = False
        self.participants = SqlParticipants(self._session)
        self.consultations = SqlConsultations(self._session)
        self.sessions = SqlDialogSessions(self._session)
        self.answers = SqlAnswers(self._session)
        self.forums = SqlForums(self._session)
        self.polls = SqlPolls(self._session)
        self.handled = SqlHandledEvents(self._session)
        self.deliveries = SqlDeliveries(self._session)
        self.members = SqlForumMembers(self._session)
        self.ballots = SqlBallots(self._session)
        self.links = SqlLinks(self._session)
        self.alerts = SqlAlerts(self._session)
        self.personal_data = SqlPersonalData(self._session)
        self.invites = SqlInviteCodes(self._session)
        self.audit = SqlAudit(self._session)
        self.moderation = SqlModeration(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if not self._committed:
                await self._session.rollback()
        finally:
            await self._session.close()

    async def commit(self) -> None:
        """Make every change of this unit of work permanent."""
        await self._session.commit()
        self._committed = True


def sql_unit_of_work_factory(
    session_factory: async_sessionmaker[AsyncSession],
) -> UnitOfWorkFactory:
    """Make a factory that opens a fresh SqlUnitOfWork for each use."""
    return lambda: SqlUnitOfWork(session_factory)
