"""Forums' own quiet and school hours, scheduled progress updates, the weekly round-up choice.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "forum_hours",
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("quiet_hours", sa.String(16), nullable=True),
        sa.Column("school_hours", sa.String(16), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_forum_hours_forum_id_forums"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("forum_id", name=op.f("pk_forum_hours")),
    )
    op.create_table(
        "progress_updates",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("send_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["outcomes.id"],
            name=op.f("fk_progress_updates_outcome_id_outcomes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("outcome_id", name=op.f("pk_progress_updates")),
    )
    op.create_index(op.f("ix_progress_updates_send_at"), "progress_updates", ["send_at"])
    op.add_column("participants", sa.Column("weekly_digest", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("weekly_digest")
    op.drop_table("progress_updates")
    op.drop_table("forum_hours")
