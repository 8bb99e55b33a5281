"""Outcomes of consultations ("you said, we did"), and young people's feedback on them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    parent = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("you_said", sa.Text(), nullable=False),
        sa.Column("we_did", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("question_ids", JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("outcomes", "consultation_id", "consultations.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
        sa.UniqueConstraint("token", name=op.f("uq_outcomes_token")),
    )
    op.create_index(op.f("ix_outcomes_consultation_id"), "outcomes", ["consultation_id"])
    op.create_table(
        "outcome_feedback",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.String(8), nullable=False),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
        _fk("outcome_feedback", "outcome_id", "outcomes.id"),
        _fk("outcome_feedback", "participant_id", "participants.id"),
        sa.PrimaryKeyConstraint("outcome_id", "participant_id", name=op.f("pk_outcome_feedback")),
    )
    op.create_index(
        op.f("ix_outcome_feedback_participant_id"), "outcome_feedback", ["participant_id"]
    )


def downgrade() -> None:
    op.drop_table("outcome_feedback")
    op.drop_table("outcomes")
