"""Initial schema: participants, identities, consents, forums, consultations, sessions, answers.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _at(name: str) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _participant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["participant_id"],
        ["participants.id"],
        name=op.f(f"fk_{table}_participant_id_participants"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "forums",
        _id(),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("platform_chat_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forums")),
        sa.UniqueConstraint(
            "platform", "platform_chat_id", name=op.f("uq_forums_platform_platform_chat_id")
        ),
    )
    op.create_table(
        "participants",
        _id(),
        sa.Column("age_band", sa.String(8), nullable=True),
        sa.Column("contact_preference", sa.String(16), server_default="big_news", nullable=False),
        sa.Column("messages_stopped", sa.Boolean(), server_default=sa.false(), nullable=False),
        _at("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
    )
    op.create_table(
        "platform_identities",
        _id(),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("platform_user_id", sa.String(64), nullable=False),
        _at("created_at"),
        _participant_fk("platform_identities"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_identities")),
        sa.UniqueConstraint(
            "platform",
            "platform_user_id",
            name=op.f("uq_platform_identities_platform_platform_user_id"),
        ),
    )
    op.create_index(
        op.f("ix_platform_identities_participant_id"), "platform_identities", ["participant_id"]
    )
    op.create_table(
        "consent_records",
        _id(),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(16), nullable=False),
        _at("recorded_at"),
        _participant_fk("consent_records"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_records")),
    )
    op.create_index(
        op.f("ix_consent_records_participant_id"), "consent_records", ["participant_id"]
    )
    op.create_table(
        "consultations",
        _id(),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(8), nullable=False),
        sa.Column("status", sa.String(8), server_default="open", nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=True),
        sa.Column("script_yaml", sa.Text(), nullable=False),
        _at("created_at"),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_consultations_forum_id_forums"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
        sa.UniqueConstraint("slug", name=op.f("uq_consultations_slug")),
    )
    op.create_table(
        "dialog_sessions",
        _id(),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("question_id", sa.String(32), nullable=True),
        sa.Column("path", JSON, nullable=False),
        sa.Column("draft", JSON, nullable=False),
        sa.Column("follow_on", sa.String(64), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        _at("started_at"),
        _at("updated_at"),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_dialog_sessions_consultation_id_consultations"),
        ),
        _participant_fk("dialog_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialog_sessions")),
    )
    op.create_index(
        op.f("ix_dialog_sessions_participant_id_status"),
        "dialog_sessions",
        ["participant_id", "status"],
    )
    op.create_table(
        "answers",
        _id(),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(32), nullable=False),
        sa.Column("value", JSON, nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=False),
        sa.Column("age_band", sa.String(8), nullable=True),
        _at("answered_at"),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_answers_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["dialog_sessions.id"],
            name=op.f("fk_answers_session_id_dialog_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint(
            "session_id", "question_id", name=op.f("uq_answers_session_id_question_id")
        ),
    )
    op.create_index(op.f("ix_answers_consultation_id"), "answers", ["consultation_id"])


def downgrade() -> None:
    for table in (
        "answers",
        "dialog_sessions",
        "consultations",
        "consent_records",
        "platform_identities",
        "participants",
        "forums",
    ):
        op.drop_table(table)
