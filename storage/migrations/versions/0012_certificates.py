"""Certificates of contribution that organisers give for a consultation; quick polls that close
on time.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_certificates_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_certificates_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_certificates_forum_id_forums"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("participant_id", "consultation_id", name=op.f("pk_certificates")),
    )
    op.create_index(op.f("ix_certificates_consultation_id"), "certificates", ["consultation_id"])
    with op.batch_alter_table("polls") as polls:
        polls.add_column(sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))
        polls.add_column(
            sa.Column("announced", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        polls.create_index(polls.f("ix_polls_closes_at"), ["closes_at"])
    op.execute(sa.text("UPDATE polls SET announced = :shown").bindparams(shown=True))


def downgrade() -> None:
    with op.batch_alter_table("polls") as polls:
        polls.drop_index(polls.f("ix_polls_closes_at"))
        polls.drop_column("announced")
        polls.drop_column("closes_at")
    op.drop_table("certificates")
