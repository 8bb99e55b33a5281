"""Safeguarding alerts, kept under the safeguarding lead's rules (no cascade from participants).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "safeguarding_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_number", sa.Integer(), nullable=True),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("platform_user_id", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("terms", JSON, nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=True),
        sa.Column("question_id", sa.String(32), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("rounds", sa.Integer(), nullable=False),
        sa.Column("escalated", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.String(100), nullable=True),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_safeguarding_alerts_consultation_id_consultations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safeguarding_alerts")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_safeguarding_alerts_participant_number"),
        "safeguarding_alerts",
        ["participant_number"],
    )
    op.create_index(
        op.f("ix_safeguarding_alerts_status_last_sent_at"),
        "safeguarding_alerts",
        ["status", "last_sent_at"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_safeguarding_alerts_status_last_sent_at"), table_name="safeguarding_alerts"
    )
    op.drop_index(
        op.f("ix_safeguarding_alerts_participant_number"), table_name="safeguarding_alerts"
    )
    op.drop_table("safeguarding_alerts")
