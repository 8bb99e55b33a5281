"""Tables, as SQLAlchemy typed declarative models; the core never sees these."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

JSON_TYPE = JSON().with_variant(JSONB(), "postgresql")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored in UTC and always read back as aware UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes and convert aware ones to UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Mark the stored UTC time as such (SQLite gives it back naive)."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime}


def _participant_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)


class ParticipantRecord(Base):
    """A participant: no names, only an internal id and preferences."""

    __tablename__ = "participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    age_band: Mapped[str | None] = mapped_column(String(8))
    contact_preference: Mapped[str] = mapped_column(String(16), server_default="big_news")
    messages_stopped: Mapped[bool] = mapped_column(server_default=false())
    unreachable: Mapped[bool] = mapped_column(server_default=false())
    created_at: Mapped[datetime]
    weekly_digest: Mapped[bool | None]
    """Their choice about the weekly round-up; null: the default for their age band."""


class PlatformIdentityRecord(Base):
    """A platform user id that reaches a participant."""

    __tablename__ = "platform_identities"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = _participant_fk()
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class ConsentRecord(Base):
    """A participant's agreement to one version of the privacy text."""

    __tablename__ = "consent_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = _participant_fk()
    version: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime]


class ForumRecord(Base):
    """A group chat where consultations can be announced."""

    __tablename__ = "forums"
    __table_args__ = (UniqueConstraint("platform", "platform_chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_chat_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    token: Mapped[str | None] = mapped_column(String(32), index=True, unique=True)
    """A random token for the forum's Join button; made the first time it is needed."""


class ConsultationRecord(Base):
    """A consultation and its dialog script."""

    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(8), server_default="open")
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="SET NULL"))
    script_yaml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class DialogSessionRecord(Base):
    """One participant's place in one dialog (onboarding when consultation_id is null)."""

    __tablename__ = "dialog_sessions"
    __table_args__ = (Index(None, "participant_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultations.id"))
    status: Mapped[str] = mapped_column(String(10))
    question_id: Mapped[str | None] = mapped_column(String(32))
    path: Mapped[list[str]] = mapped_column(JSON_TYPE)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE)
    follow_on: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(server_default="1")
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AnswerRecord(Base):
    """A whole answer to one question in one session."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("session_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("dialog_sessions.id", ondelete="CASCADE"))
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(String(32))
    value: Mapped[Any] = mapped_column(JSON_TYPE, nullable=True)
    skipped: Mapped[bool]
    age_band: Mapped[str | None] = mapped_column(String(8))
    answered_at: Mapped[datetime]


class PollRecord(Base):
    """A quick poll posted in one chat of a forum."""

    __tablename__ = "polls"
    __table_args__ = (Index(None, "forum_id", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    chat_id: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON_TYPE)
    status: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None] = mapped_column(index=True)
    """When the scheduler closes it; None for a poll only ``/endpoll`` closes."""
    announced: Mapped[bool] = mapped_column(server_default=false())
    """Its final results are in the chat (set at once by ``/endpoll``)."""


class PollVoteRecord(Base):
    """One member's vote in a quick poll; the voter is a one-way key, not a platform id."""

    __tablename__ = "poll_votes"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    voter: Mapped[str] = mapped_column(String(64), primary_key=True)
    option: Mapped[int]
    voted_at: Mapped[datetime]


class HandledEventRecord(Base):
    """The key of a platform delivery (such as a Telegram update id) that was handled."""

    __tablename__ = "handled_events"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(index=True)


class DeliveryRecord(Base):
    """One outgoing message to one participant; deleted with the participant."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("broadcast", "participant_id"),
        Index(None, "status", "priority", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast: Mapped[str] = mapped_column(String(64))
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON_TYPE)
    priority: Mapped[int]
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(server_default="0")
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class ForumMemberRecord(Base):
    """A participant who joined a forum; the day is all that is kept of when."""

    __tablename__ = "forum_members"

    forum_id: Mapped[int] = mapped_column(
        ForeignKey("forums.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_on: Mapped[date]


class BallotRecord(Base):
    """A secret ballot announced in one chat of a forum."""

    __tablename__ = "ballots"
    __table_args__ = (Index(None, "forum_id", "chat_id"), Index(None, "status", "closes_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    chat_id: Mapped[str] = mapped_column(String(64))
    platform: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON_TYPE)
    method: Mapped[str] = mapped_column(String(16))
    seats: Mapped[int]
    ron: Mapped[bool]
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    min_turnout: Mapped[int]
    electorate: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(10))
    posted: Mapped[bool]
    announced: Mapped[bool]
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON_TYPE, nullable=True)
    created_at: Mapped[datetime]


class BallotRollRecord(Base):
    """The voter roll: who may vote and whether they have. No time, nothing about the choice."""

    __tablename__ = "ballot_roll"

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    voted: Mapped[bool]


class BallotCodeRecord(Base):
    """A one-way hash of an invite code for a ballot whose electorate is code holders."""

    __tablename__ = "ballot_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"), index=True)
    used: Mapped[bool]


class BallotBoxRecord(Base):
    """The ballot box: one row per vote under a random id, with no time and no voter.

    On SQLite the table has no hidden row number (WITHOUT ROWID), so rows sit in the order of
    their random ids, not the order they were cast.
    """

    __tablename__ = "ballot_box"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"), index=True)
    choice: Mapped[list[int] | None] = mapped_column(JSON_TYPE, nullable=True)


class BallotReceiptRecord(Base):
    """A receipt code given to a voter; kept apart from the box so it names no choice."""

    __tablename__ = "ballot_receipts"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    receipt: Mapped[str] = mapped_column(String(16), primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"), index=True)


class BallotDraftRecord(Base):
    """What a voter has picked before casting; deleted in the same transaction as the cast."""

    __tablename__ = "ballot_drafts"

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    token: Mapped[str] = mapped_column(String(16))
    picks: Mapped[list[int]] = mapped_column(JSON_TYPE)
    reviewing: Mapped[bool]
    version: Mapped[int]


class LinkCodeRecord(Base):
    """A one-time code (kept as a hash) to reach one participant from a second platform."""

    __tablename__ = "link_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), unique=True
    )
    expires_at: Mapped[datetime]
    failures: Mapped[int] = mapped_column(server_default="0")


class SafeguardingAlertRecord(Base):
    """A safeguarding alert: what a young person wrote, and whether a lead has seen it.

    Kept under the safeguarding lead's retention rules, so ``participant_number`` is a plain
    number with no foreign key: deleting the participant (``/forgetme``) neither deletes the
    alert nor is blocked by it. The platform identity is copied so the leads can still reach them.
    Alert numbers are never used twice (AUTOINCREMENT on SQLite, a sequence on PostgreSQL).
    """

    __tablename__ = "safeguarding_alerts"
    __table_args__ = (Index(None, "status", "last_sent_at"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_number: Mapped[int | None] = mapped_column(index=True)
    platform: Mapped[str] = mapped_column(String(16))
    platform_user_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    terms: Mapped[list[str]] = mapped_column(JSON_TYPE)
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultations.id", ondelete="SET NULL")
    )
    question_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    rounds: Mapped[int]
    escalated: Mapped[bool]
    created_at: Mapped[datetime]
    last_sent_at: Mapped[datetime]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))
    posted_in: Mapped[str | None] = mapped_column(String(200))
    """The group a flagged post was in (its title), for alerts from group posts."""


class AdultMessageRecord(Base):
    """An adult's message that young people can red-card, with who wrote it.

    Numbers are never used twice, so an old 🟥 button never points at another message.
    """

    __tablename__ = "adult_messages"
    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "platform_message_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = _participant_fk()
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(64))
    platform_message_id: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(64), index=True)
    broadcast: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]


class RedCardRecord(Base):
    """A red card: one word (or "" for the whole message) of one message, and its explanation."""

    __tablename__ = "red_cards"
    __table_args__ = (
        UniqueConstraint("message_id", "word_key"),
        Index(None, "status", "reminded_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("adult_messages.id", ondelete="CASCADE"))
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    word: Mapped[str] = mapped_column(String(100))
    word_key: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10))
    raises: Mapped[int]
    chases: Mapped[int]
    raised_at: Mapped[datetime]
    reminded_at: Mapped[datetime]
    explanation: Mapped[str | None] = mapped_column(Text)
    explained_at: Mapped[datetime | None]


class RedCardRaiseRecord(Base):
    """One person raising a card: a one-way key, and where to post the explanation.

    ``chat_id`` is the group it was raised in; ``participant_id`` is set only for a card raised
    in a private chat, to send the explanation there. Nothing here is shown to the adult.
    """

    __tablename__ = "red_card_raises"

    card_id: Mapped[int] = mapped_column(
        ForeignKey("red_cards.id", ondelete="CASCADE"), primary_key=True
    )
    raiser: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[str | None] = mapped_column(String(64))
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), index=True
    )


class ForumTermRecord(Base):
    """A term in a forum's own glossary, such as an adult's explanation of a red-carded word."""

    __tablename__ = "forum_terms"

    forum_id: Mapped[int] = mapped_column(
        ForeignKey("forums.id", ondelete="CASCADE"), primary_key=True
    )
    term_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    term: Mapped[str] = mapped_column(String(100))
    explanation: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime]


class DraftRecord(Base):
    """An adult's post held back by the plain-words check; one per author and forum."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("author_id", "forum_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    argument: Mapped[str] = mapped_column(Text)
    words: Mapped[str] = mapped_column(Text)
    waiting_words: Mapped[bool]
    created_at: Mapped[datetime]


class AnswerTallyRecord(Base):
    """Anonymous counts of answers no longer kept: erased by ``/forgetme`` or past retention.

    Nothing here points to a person: only how many answered (or skipped) each question.
    """

    __tablename__ = "answer_tallies"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    answered: Mapped[int]
    skipped: Mapped[int]


class BallotRollForgottenRecord(Base):
    """Voter roll entries of people who were erased, kept only as counts, so turnout stays true."""

    __tablename__ = "ballot_roll_forgotten"

    ballot_id: Mapped[int] = mapped_column(
        ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True
    )
    on_roll: Mapped[int]
    voted: Mapped[int]


class InviteCodeRecord(Base):
    """A one-way hash of a forum's invite code for a child under 13.

    The organiser gives it out once a parent or carer has agreed. Single use, with an expiry.
    """

    __tablename__ = "invite_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    made_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class GuardianConsentRecord(Base):
    """That a parent or carer agreed (shown by a used invite code) for one participant."""

    __tablename__ = "guardian_consents"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime]


class AuditRecord(Base):
    """A refused organiser or commissioner action: who (a pseudonym), what, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime]


class ForumModerationRecord(Base):
    """A forum that screens the posts in its group; ``hide`` removes flagged posts too."""

    __tablename__ = "forum_moderation"

    forum_id: Mapped[int] = mapped_column(
        ForeignKey("forums.id", ondelete="CASCADE"), primary_key=True
    )
    hide: Mapped[bool]
    since: Mapped[datetime]


class ForumModeratorRecord(Base):
    """An organiser who gets a forum's reports of flagged posts in a private chat."""

    __tablename__ = "forum_moderators"

    forum_id: Mapped[int] = mapped_column(
        ForeignKey("forum_moderation.forum_id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class OutcomeRecord(Base):
    """An outcome ("you said, we did"): what young people said and what was done."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    you_said: Mapped[str] = mapped_column(Text)
    we_did: Mapped[str] = mapped_column(Text)
    next_steps: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[int]
    question_ids: Mapped[list[str]] = mapped_column(JSON_TYPE)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class OutcomeFeedbackRecord(Base):
    """One young person's answer to "Did this make a difference?"; goes with the person."""

    __tablename__ = "outcome_feedback"

    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[str] = mapped_column(String(8))
    given_at: Mapped[datetime]


class PauseReminderRecord(Base):
    """A reminder someone asked for when they paused a dialog; at most one per session."""

    __tablename__ = "pause_reminders"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("dialog_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    remind_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]


class CertificateRecord(Base):
    """A certificate of contribution an organiser gave someone for a consultation; one each."""

    __tablename__ = "certificates"

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True
    )
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="SET NULL"))
    issued_at: Mapped[datetime]


class ForumHoursRecord(Base):
    """A forum's own quiet and school hours; a null column keeps the deployment's."""

    __tablename__ = "forum_hours"

    forum_id: Mapped[int] = mapped_column(
        ForeignKey("forums.id", ondelete="CASCADE"), primary_key=True
    )
    quiet_hours: Mapped[str | None] = mapped_column(String(16))
    school_hours: Mapped[str | None] = mapped_column(String(16))
    updated_at: Mapped[datetime]


class ProgressUpdateRecord(Base):
    """When a commissioner wants the next progress update on an outcome sent; one per outcome."""

    __tablename__ = "progress_updates"

    outcome_id: Mapped[int] = mapped_column(
        ForeignKey("outcomes.id", ondelete="CASCADE"), primary_key=True
    )
    send_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
