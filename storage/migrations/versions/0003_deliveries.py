"""The outbox: one delivery row per recipient of each broadcast.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("broadcast", sa.String(64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_deliveries_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "broadcast", "participant_id", name=op.f("uq_deliveries_broadcast_participant_id")
        ),
    )
    op.create_index(op.f("ix_deliveries_participant_id"), "deliveries", ["participant_id"])
    op.create_index(
        op.f("ix_deliveries_status_priority_next_attempt_at"),
        "deliveries",
        ["status", "priority", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_deliveries_status_priority_next_attempt_at"), table_name="deliveries")
    op.drop_index(op.f("ix_deliveries_participant_id"), table_name="deliveries")
    op.drop_table("deliveries")
