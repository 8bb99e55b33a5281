"""The records the core works with, independent of how they are stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class AgeBand(StrEnum):
    """Age bands used to tag answers; no date of birth is ever asked for."""

    UNDER_13 = "under_13"
    AGE_13_15 = "13_15"
    AGE_16_17 = "16_17"
    AGE_18_25 = "18_25"


class ContactPreference(StrEnum):
    """How often a person wants to hear back about what happened with their views."""

    EVERY_UPDATE = "every_update"
    BIG_NEWS = "big_news"
    NEVER = "never"


class Stage(StrEnum):
    """The commissioning cycle stage a consultation belongs to."""

    ANALYSE = "analyse"
    PLAN = "plan"
    DO = "do"
    REVIEW = "review"


class ConsultationStatus(StrEnum):
    """Whether a consultation still takes answers."""

    OPEN = "open"
    CLOSED = "closed"


class SessionStatus(StrEnum):
    """Where a person is with one dialog."""

    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETED = "completed"


@dataclass(slots=True)
class Participant:
    """A person taking part, known only by an internal id (never a real name)."""

    id: int
    age_band: AgeBand | None = None
    contact_preference: ContactPreference = ContactPreference.BIG_NEWS
    messages_stopped: bool = False
    consent_version: str | None = None
    unreachable: bool = False
    guardian_agreed: bool = False
    """An organiser's invite code showed that a parent or carer agreed (for under-13s)."""
    weekly_digest: bool | None = None
    """Their own choice about the weekly round-up; None: the default for their age band."""

    @property
    def gets_digest(self) -> bool:
        """True if the weekly round-up is on: their choice, else on unless they are under 13."""
        if self.weekly_digest is not None:
            return self.weekly_digest
        return self.age_band != AgeBand.UNDER_13

    @property
    def onboarded(self) -> bool:
        """True once the person has agreed to take part and given an age band.

        A child under 13 also needs a parent's or carer's agreement (an invite code).
        """
        if self.consent_version is None or self.age_band is None:
            return False
        return self.age_band != AgeBand.UNDER_13 or self.guardian_agreed


@dataclass(slots=True)
class Consultation:
    """A consultation run as a dialog script."""

    id: int
    slug: str
    title: str
    summary: str
    stage: Stage
    status: ConsultationStatus
    script_yaml: str
    forum_id: int | None = None


@dataclass(slots=True)
class DialogSession:
    """One person's progress through one dialog; ``consultation_id`` is None for onboarding."""

    id: int
    participant_id: int
    consultation_id: int | None
    status: SessionStatus
    question_id: str | None
    path: list[str] = field(default_factory=list)
    draft: dict[str, Any] = field(default_factory=dict)
    follow_on: str | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class Answer:
    """A whole answer to one question, tagged with the respondent's age band."""

    session_id: int
    consultation_id: int
    question_id: str
    value: Any
    skipped: bool
    age_band: AgeBand | None
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """An answer as exported: the respondent is a number local to the consultation."""

    respondent: int
    question_id: str
    value: Any
    skipped: bool
    age_band: AgeBand | None
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class Forum:
    """A group chat or server where a youth forum meets."""

    id: int
    platform: str
    group_id: str
    title: str


@dataclass(frozen=True, slots=True)
class ForumHours:
    """A forum's own quiet and school hours (``21:00-08:00`` or ``off``); None: the usual."""

    forum_id: int
    quiet: str | None = None
    school: str | None = None


class PollStatus(StrEnum):
    """Whether a quick poll still takes votes."""

    OPEN = "open"
    CLOSED = "closed"


@dataclass(slots=True)
class Poll:
    """A quick poll in a group: one vote per member, changeable until it closes."""

    id: int
    forum_id: int
    chat_id: str
    question: str
    options: list[str]
    status: PollStatus
    closes_at: datetime | None = None
    """When it closes on its own; None if only an organiser closes it."""


class DeliveryStatus(StrEnum):
    """Where one outgoing message to one person is."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One queued message to one person, with the platform identity that reaches them."""

    id: int
    participant_id: int
    platform: str
    user_id: str
    payload: dict[str, Any]
    attempts: int


class BallotStatus(StrEnum):
    """Where a secret ballot is: waiting to open, taking votes, or closed and counted."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


class Electorate(StrEnum):
    """Who may vote: the forum's members when voting opens, or holders of invite codes."""

    MEMBERS = "members"
    CODES = "codes"


@dataclass(slots=True)
class Ballot:
    """A secret ballot of a forum; ``options`` ends with "Re-open nominations" when ``ron``."""

    id: int
    token: str
    forum_id: int
    chat_id: str
    platform: str
    question: str
    options: list[str]
    method: str
    seats: int
    ron: bool
    opens_at: datetime
    closes_at: datetime
    min_turnout: int
    electorate: Electorate
    status: BallotStatus
    posted: bool = True
    """The opening announcement is in the chat (a ballot opened from the command line is not)."""
    announced: bool = False
    """The results are in the chat."""
    result: dict[str, Any] | None = None


@dataclass(slots=True)
class BallotDraft:
    """What a voter has picked so far, before casting; deleted when the vote is cast."""

    ballot_id: int
    participant_id: int
    token: str
    picks: list[int] = field(default_factory=list)
    reviewing: bool = False
    version: int = 1


@dataclass(frozen=True, slots=True)
class AdultMessage:
    """An adult's words that young people can red-card.

    A post the bot made for an organiser, an update it delivered, or an organiser's own
    message in a forum's group.
    """

    id: int
    forum_id: int
    author_id: int
    """The participant who wrote it (an adult's chat account, registered to reach them)."""
    kind: str
    text: str
    platform: str
    chat_id: str | None
    """The group it was posted in; None for updates sent to people one by one."""
    created_at: datetime
    platform_message_id: str | None = None
    subject: str | None = None
    """What the message is about, such as ``poll:12``, to find it again when it is redrawn."""
    broadcast: str | None = None
    """The outbox broadcast it went out under, so its recipients may red-card it."""


class CardStatus(StrEnum):
    """Whether the adult has explained a red-carded word yet."""

    WAITING = "waiting"
    EXPLAINED = "explained"


@dataclass(slots=True)
class RedCard:
    """A word (or, when ``word`` is "", a whole message) young people red-carded."""

    id: int
    message_id: int
    forum_id: int
    word: str
    status: CardStatus
    raised_at: datetime
    reminded_at: datetime
    """When the author was last asked to explain (first when it was raised)."""
    raises: int = 0
    """How many young people raised it."""
    chases: int = 0
    explanation: str | None = None
    explained_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CardReport:
    """One red card with what the statistics need about its message, author and forum."""

    card: RedCard
    forum_title: str
    forum: str
    """``platform:group`` of the forum."""
    author_id: int
    author: str
    """``platform:user id`` of the adult who wrote the message (organisers only see this)."""
    kind: str


@dataclass(frozen=True, slots=True)
class Draft:
    """An adult's text held back by the plain-words check until they send it or change it."""

    id: int
    token: str
    author_id: int
    forum_id: int
    platform: str
    chat_id: str
    kind: str
    """The command that made it: ``announce``, ``poll``, ``invite`` or ``ballot``."""
    argument: str
    """What followed the command, run again as it was when the draft is sent."""
    words: str
    """The adult's own words in it, as they were checked."""
    created_at: datetime
    waiting_words: bool = False
    """The author was asked to type explanations; their next private message is those."""


@dataclass(frozen=True, slots=True)
class InviteCode:
    """A forum's invite code for a child under 13, as stored (the code itself is not)."""

    forum_id: int
    expires_at: datetime
    used: bool


@dataclass(frozen=True, slots=True)
class ForumModeration:
    """A forum that screens the posts in its group, and whether it hides flagged ones."""

    forum: Forum
    hide: bool


class OutcomeStatus(StrEnum):
    """How far the action on what young people said has got."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_POSSIBLE = "not_possible"


@dataclass(slots=True)
class Outcome:
    """An outcome ("you said, we did"): what young people said, and what was done about it.

    ``question_ids`` links it to some of the consultation's questions (empty: all of it).
    ``token`` is the random id its feedback buttons carry.
    """

    id: int
    token: str
    consultation_id: int
    you_said: str
    we_did: str
    next_steps: str
    status: OutcomeStatus
    progress: int
    question_ids: list[str]
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Certificate:
    """A certificate of contribution for one consultation, given by a forum's organiser."""

    consultation_id: int
    forum_id: int | None
    issued_at: datetime
