"""Reminders to carry on with a paused dialog, at the time the person chose.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pause_reminders",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("remind_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["dialog_sessions.id"],
            name=op.f("fk_pause_reminders_session_id_dialog_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_pause_reminders_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_pause_reminders")),
    )
    op.create_index(
        op.f("ix_pause_reminders_participant_id"), "pause_reminders", ["participant_id"]
    )
    op.create_index(op.f("ix_pause_reminders_remind_at"), "pause_reminders", ["remind_at"])


def downgrade() -> None:
    op.drop_table("pause_reminders")
