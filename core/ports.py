"""Small typed ports through which the core reaches storage and time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Protocol, Self

from core.domain import (
    Answer,
    AnswerRow,
    Consultation,
    Delivery,
    DialogSession,
    Forum,
    Participant,
    Poll,
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

    async def mark_unreachable(self, platform: Platform, user_id: str) -> None:
        """Remember that a person blocked the bot, so nothing is sent to them again."""
        ...

    async def identities(self, participant_id: int) -> list[tuple[str, str]]:
        """The ``(platform, user id)`` pairs that reach a participant."""
        ...

    async def consents(self, participant_id: int) -> list[tuple[str, datetime]]:
        """Each version of the privacy text the participant agreed to, and when."""
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

    async def for_participant(self, participant_id: int) -> list[DialogSession]:
        """All of a participant's sessions, oldest first."""
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


class Forums(Protocol):
    """Group chats and servers registered as forums."""

    async def register(self, platform: Platform, group_id: str, title: str, now: datetime) -> Forum:
        """The forum for a group, added if new; the title is kept up to date."""
        ...


class Polls(Protocol):
    """Quick polls and their votes (voters are kept only as one-way keys)."""

    async def add(
        self, forum_id: int, chat_id: str, question: str, options: list[str], now: datetime
    ) -> Poll:
        """A new open poll."""
        ...

    async def get(self, poll_id: int) -> Poll | None:
        """One poll by id."""
        ...

    async def latest_in_chat(self, forum_id: int, chat_id: str) -> Poll | None:
        """The newest poll posted in one chat of a forum."""
        ...

    async def vote(self, poll_id: int, voter: str, option: int, now: datetime) -> int | None:
        """Record or replace a voter's vote; the option they had chosen before, if any."""
        ...

    async def counts(self, poll_id: int) -> dict[int, int]:
        """Votes per option index."""
        ...

    async def close(self, poll: Poll, now: datetime) -> None:
        """Stop taking votes."""
        ...


class HandledEvents(Protocol):
    """Keys of platform deliveries already handled, so a repeat has no second effect."""

    async def claim(self, key: str, now: datetime) -> bool:
        """Record a key; False if it was recorded before."""
        ...

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop keys recorded before ``cutoff``; how many were dropped."""
        ...


class Deliveries(Protocol):
    """The outbox: one row per recipient of each broadcast, sent by delivery workers."""

    async def queue(
        self,
        broadcast: str,
        participant_ids: list[int],
        payload: dict[str, Any],
        priority: int,
        now: datetime,
    ) -> int:
        """Queue a message per participant; queueing the same broadcast again adds nobody twice."""
        ...

    async def claim(
        self, limit: int, now: datetime, lease: timedelta, platforms: list[str]
    ) -> list[Delivery]:
        """Take up to ``limit`` due deliveries, most urgent first, for the length of the lease.

        Only deliveries to people reached through one of ``platforms`` are taken.
        Deliveries another worker holds are skipped; an expired lease makes a delivery due again.
        """
        ...

    async def sent(self, delivery_id: int, now: datetime) -> None:
        """Mark a delivery as sent."""
        ...

    async def retry(self, delivery_id: int, at: datetime, error: str, counts: bool) -> None:
        """Try again at ``at``; ``counts`` says whether this was a failed attempt."""
        ...

    async def give_up(self, delivery_id: int, error: str, now: datetime) -> None:
        """Stop trying, keeping the reason."""
        ...

    async def status_counts(self, broadcast: str | None = None) -> dict[str, int]:
        """How many deliveries are in each status, for one broadcast or all."""
        ...


class UnitOfWork(Protocol):
    """One transaction over all repositories: committed whole or not at all."""

    participants: Participants
    consultations: Consultations
    sessions: DialogSessions
    answers: Answers
    forums: Forums
    polls: Polls
    handled: HandledEvents
    deliveries: Deliveries

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
