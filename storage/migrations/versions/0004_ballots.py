"""Secret ballots: forum members, ballots, the voter roll, the ballot box, receipts, drafts,
invite codes and cross-platform link codes.

The roll and the box share nothing but the ballot id: no participant, no time, no sequence.
On SQLite the box and the receipts are WITHOUT ROWID tables, so their rows sit in the order of
their random keys, never in the order votes were cast.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _ballot_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["ballot_id"],
        ["ballots.id"],
        name=op.f(f"fk_{table}_ballot_id_ballots"),
        ondelete="CASCADE",
    )


def _participant_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["participant_id"],
        ["participants.id"],
        name=op.f(f"fk_{table}_participant_id_participants"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("forums") as batch:
        batch.add_column(sa.Column("token", sa.String(32), nullable=True))
    op.create_index(op.f("ix_forums_token"), "forums", ["token"], unique=True)

    op.create_table(
        "forum_members",
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"],
            ["forums.id"],
            name=op.f("fk_forum_members_forum_id_forums"),
            ondelete="CASCADE",
        ),
        _participant_fk("forum_members"),
        sa.PrimaryKeyConstraint("forum_id", "participant_id", name=op.f("pk_forum_members")),
    )
    op.create_index(op.f("ix_forum_members_participant_id"), "forum_members", ["participant_id"])

    op.create_table(
        "ballots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("ron", sa.Boolean(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_turnout", sa.Integer(), nullable=False),
        sa.Column("electorate", sa.String(8), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("posted", sa.Boolean(), nullable=False),
        sa.Column("announced", sa.Boolean(), nullable=False),
        sa.Column("result", JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["forum_id"], ["forums.id"], name=op.f("fk_ballots_forum_id_forums"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballots")),
        sa.UniqueConstraint("token", name=op.f("uq_ballots_token")),
    )
    op.create_index(op.f("ix_ballots_forum_id_chat_id"), "ballots", ["forum_id", "chat_id"])
    op.create_index(op.f("ix_ballots_status_closes_at"), "ballots", ["status", "closes_at"])

    op.create_table(
        "ballot_roll",
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("voted", sa.Boolean(), nullable=False),
        _ballot_fk("ballot_roll"),
        _participant_fk("ballot_roll"),
        sa.PrimaryKeyConstraint("ballot_id", "participant_id", name=op.f("pk_ballot_roll")),
    )
    op.create_index(op.f("ix_ballot_roll_participant_id"), "ballot_roll", ["participant_id"])

    op.create_table(
        "ballot_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        _ballot_fk("ballot_codes"),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_ballot_codes")),
    )
    op.create_index(op.f("ix_ballot_codes_ballot_id"), "ballot_codes", ["ballot_id"])

    op.create_table(
        "ballot_box",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("choice", JSON, nullable=True),
        _ballot_fk("ballot_box"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ballot_box")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_ballot_box_ballot_id"), "ballot_box", ["ballot_id"])

    op.create_table(
        "ballot_receipts",
        sa.Column("receipt", sa.String(16), nullable=False),
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        _ballot_fk("ballot_receipts"),
        sa.PrimaryKeyConstraint("receipt", name=op.f("pk_ballot_receipts")),
        sqlite_with_rowid=False,
    )
    op.create_index(op.f("ix_ballot_receipts_ballot_id"), "ballot_receipts", ["ballot_id"])

    op.create_table(
        "ballot_drafts",
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(16), nullable=False),
        sa.Column("picks", JSON, nullable=False),
        sa.Column("reviewing", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _ballot_fk("ballot_drafts"),
        _participant_fk("ballot_drafts"),
        sa.PrimaryKeyConstraint("ballot_id", "participant_id", name=op.f("pk_ballot_drafts")),
    )
    op.create_index(op.f("ix_ballot_drafts_participant_id"), "ballot_drafts", ["participant_id"])

    op.create_table(
        "link_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        _participant_fk("link_codes"),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_link_codes")),
        sa.UniqueConstraint("participant_id", name=op.f("uq_link_codes_participant_id")),
    )


def downgrade() -> None:
    op.drop_table("link_codes")
    op.drop_index(op.f("ix_ballot_drafts_participant_id"), table_name="ballot_drafts")
    op.drop_table("ballot_drafts")
    op.drop_index(op.f("ix_ballot_receipts_ballot_id"), table_name="ballot_receipts")
    op.drop_table("ballot_receipts")
    op.drop_index(op.f("ix_ballot_box_ballot_id"), table_name="ballot_box")
    op.drop_table("ballot_box")
    op.drop_index(op.f("ix_ballot_codes_ballot_id"), table_name="ballot_codes")
    op.drop_table("ballot_codes")
    op.drop_index(op.f("ix_ballot_roll_participant_id"), table_name="ballot_roll")
    op.drop_table("ballot_roll")
    op.drop_index(op.f("ix_ballots_status_closes_at"), table_name="ballots")
    op.drop_index(op.f("ix_ballots_forum_id_chat_id"), table_name="ballots")
    op.drop_table("ballots")
    op.drop_index(op.f("ix_forum_members_participant_id"), table_name="forum_members")
    op.drop_table("forum_members")
    op.drop_index(op.f("ix_forums_token"), table_name="forums")
    with op.batch_alter_table("forums") as batch:
        batch.drop_column("token")
