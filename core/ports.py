"""Small typed ports through which the core reaches storage and time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Protocol, Self

from core.domain import (
    Answer,
    AnswerRow,
    Consultation,
    DialogSession,
    Participant,
    Stage,
)
from core.messages import Platform


class ConcurrentChange(Exception):
    """Raised when another transaction changed the same record first."""


class Clock(Protocol):
    """Tells the time, so tests can set it."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class Participants(Protocol):
    """Participants and the platform identities that reach them."""

    async def find_by_identity(self, platform: Platform, user_id: str) -> Participant | None:
        """The participant behind a platform user id, if known."""
        ...

    async def add(self, platform: Platform, user_id: str, now: datetime) -> Participant:
        """A new participant with one platform identity; ConcurrentChange if it is taken."""
        ...

    async def save(self, participant: Participant) -> None:
        """Store changed profile fields (age band, preferences)."""
        ...

    async def record_consent(self, participant_id: int, version: str, now: datetime) -> None:
        """Keep a record that the participant agreed to a version of the privacy text."""
        ...

    async def delete(self, participant_id: int) -> None:
        """Remove a participant and everything linked to them."""
        ...


class Consultations(Protocol):
    """Consultations and their dialog scripts."""

    async def list_open(self) -> list[Consultation]:
        """Open consultations, oldest first."""
        ...

    async def get(self, consultation_id: int) -> Consultation | None:
        """One consultation by id."""
        ...

    async def get_by_slug(self, slug: str) -> Consultation | None:
        """One consultation by its short name."""
        ...

    async def add(
        self, slug: str, title: str, summary: str, stage: Stage, script_yaml: str, now: datetime
    ) -> Consultation:
        """A new open consultation."""
        ...


class DialogSessions(Protocol):
    """Where each person is in each dialog."""

    async def current(self, participant_id: int) -> DialogSession | None:
        """The person's active session, else their most recently paused one."""
        ...

    async def get(self, session_id: int) -> DialogSession | None:
        """One session by id."""
        ...

    async def latest_for(self, participant_id: int, consultation_id: int) -> DialogSession | None:
        """The person's most recent session of one consultation, in any status."""
        ...

    async def add(
        self,
        participant_id: int,
        consultation_id: int | None,
        question_id: str | None,
        follow_on: str | None,
        now: datetime,
    ) -> DialogSession:
        """Start a new active session."""
        ...

    async def save(self, session: DialogSession, now: datetime) -> None:
        """Store the session if nobody changed it since it was read; else ConcurrentChange."""
        ...


class Answers(Protocol):
    """Answers to consultation questions."""

    async def add(self, answer: Answer) -> None:
        """Store a whole answer; ConcurrentChange if the question was already answered."""
        ...

    async def for_session(self, session_id: int) -> list[Answer]:
        """The answers given in one session, in the order given."""
        ...

    async def export(self, consultation_id: int) -> list[AnswerRow]:
        """Every answer to a consultation, with no platform ids."""
        ...


class UnitOfWork(Protocol):
    """One transaction over all repositories: committed whole or not at all."""

    participants: Participants
    consultations: Consultations
    sessions: DialogSessions
    answers: Answers

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Make every change of this unit of work permanent."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
