"""One database transaction over all repositories."""

from __future__ import annotations

import contextlib
from types import TracebackType
from typing import Self

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from core.ports import (
    Alerts,
    Answers,
    Audit,
    Ballots,
    Certificates,
    Consultations,
    DatabaseUnavailable,
    Deliveries,
    DialogSessions,
    Drafts,
    ForumHoursStore,
    ForumMembers,
    Forums,
    ForumTerms,
    HandledEvents,
    InviteCodes,
    Links,
    Moderation,
    Outcomes,
    Participants,
    PauseReminders,
    PersonalData,
    Polls,
    ProgressUpdates,
    RedCards,
    UnitOfWorkFactory,
)
from storage.ballot_repositories import SqlBallots, SqlForumMembers, SqlLinks
from storage.certificate_repositories import SqlCertificates
from storage.forum_repositories import SqlForums, SqlHandledEvents, SqlPolls
from storage.outbox import SqlDeliveries
from storage.outcome_repositories import SqlOutcomes
from storage.privacy_repositories import SqlAudit, SqlInviteCodes, SqlModeration, SqlPersonalData
from storage.red_card_repositories import SqlDrafts, SqlForumTerms, SqlRedCards
from storage.reminder_repositories import SqlPauseReminders
from storage.repositories import SqlAnswers, SqlConsultations, SqlDialogSessions, SqlParticipants
from storage.safeguarding_repositories import SqlAlerts
from storage.schedule_repositories import SqlForumHours, SqlProgressUpdates

_AWAY = ("08", "57P01", "57P02", "57P03")
"""PostgreSQL error codes (classes) meaning the server went away: connection exceptions, admin
or crash shutdown, and a server still starting up."""


def unreachable(error: BaseException) -> bool:
    """True if the error says the database could not be reached or the connection was lost."""
    if isinstance(error, OSError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    code = str(getattr(error.orig, "sqlstate", None) or "")
    cause = getattr(error.orig, "__cause__", None)
    return (
        error.connection_invalidated
        or isinstance(error.orig, OSError)
        or isinstance(cause, OSError)
        or code.startswith(_AWAY)
    )


class SqlUnitOfWork:
    """A connection and its transaction; what is not committed is rolled back on exit.

    Repositories run Core statements on the connection: no ORM session, whose bookkeeping
    costs more than the statements on the path of every chat event.
    """

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
    red_cards: RedCards
    forum_terms: ForumTerms
    drafts: Drafts
    personal_data: PersonalData
    invites: InviteCodes
    audit: Audit
    moderation: Moderation
    outcomes: Outcomes
    reminders: PauseReminders
    certificates: Certificates
    forum_hours: ForumHoursStore
    progress_updates: ProgressUpdates

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def __aenter__(self) -> Self:
        try:
            self._session = await self._engine.connect()
            await self._session.begin()
        except Exception as error:
            if unreachable(error):
                raise DatabaseUnavailable(type(error).__name__) from error
            raise
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
        self.red_cards = SqlRedCards(self._session)
        self.forum_terms = SqlForumTerms(self._session)
        self.drafts = SqlDrafts(self._session)
        self.personal_data = SqlPersonalData(self._session)
        self.invites = SqlInviteCodes(self._session)
        self.audit = SqlAudit(self._session)
        self.moderation = SqlModeration(self._session)
        self.outcomes = SqlOutcomes(self._session)
        self.reminders = SqlPauseReminders(self._session)
        self.certificates = SqlCertificates(self._session)
        self.forum_hours = SqlForumHours(self._session)
        self.progress_updates = SqlProgressUpdates(self._session)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and unreachable(exc):
            with contextlib.suppress(Exception):  # the connection is gone with its transaction
                await self._session.close()
            raise DatabaseUnavailable(type(exc).__name__) from exc
        try:
            if not self._committed:
                await self._session.rollback()
        finally:
            await self._session.close()

    async def commit(self) -> None:
        """Make every change of this unit of work permanent."""
        await self._session.commit()
        self._committed = True

    async def ping(self) -> None:
        """One round trip to the database; raises if it cannot be reached."""
        await self._session.execute(text("SELECT 1"))


def sql_unit_of_work_factory(engine: AsyncEngine) -> UnitOfWorkFactory:
    """Make a factory that opens a fresh SqlUnitOfWork for each use."""
    return lambda: SqlUnitOfWork(engine)
