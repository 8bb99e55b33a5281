"""Privacy and roles: anonymous answer tallies, forgotten roll counts, invite codes for
under-13s with the parent's or carer's agreement, an audit of refused actions, group
moderation, and the group a safeguarding alert's post was in.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    parent = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.add_column("safeguarding_alerts", sa.Column("posted_in", sa.String(200), nullable=True))
    op.create_table(
        "answer_tallies",
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(32), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        _fk("answer_tallies", "consultation_id", "consultations.id"),
        sa.PrimaryKeyConstraint("consultation_id", "question_id", name=op.f("pk_answer_tallies")),
    )
    op.create_table(
        "ballot_roll_forgotten",
        sa.Column("ballot_id", sa.Integer(), nullable=False),
        sa.Column("on_roll", sa.Integer(), nullable=False),
        sa.Column("voted", sa.Integer(), nullable=False),
        _fk("ballot_roll_forgotten", "ballot_id", "ballots.id"),
        sa.PrimaryKeyConstraint("ballot_id", name=op.f("pk_ballot_roll_forgotten")),
    )
    op.create_table(
        "invite_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("made_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        _fk("invite_codes", "forum_id", "forums.id"),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_invite_codes")),
    )
    op.create_index(op.f("ix_invite_codes_forum_id"), "invite_codes", ["forum_id"])
    op.create_table(
        "guardian_consents",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        _fk("guardian_consents", "participant_id", "participants.id"),
        _fk("guardian_consents", "forum_id", "forums.id", "SET NULL"),
        sa.PrimaryKeyConstraint("participant_id", name=op.f("pk_guardian_consents")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_actor"), "audit_log", ["actor"])
    op.create_table(
        "forum_moderation",
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("hide", sa.Boolean(), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        _fk("forum_moderation", "forum_id", "forums.id"),
        sa.PrimaryKeyConstraint("forum_id", name=op.f("pk_forum_moderation")),
    )
    op.create_table(
        "forum_moderators",
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        _fk("forum_moderators", "forum_id", "forum_moderation.forum_id"),
        _fk("forum_moderators", "participant_id", "participants.id"),
        sa.PrimaryKeyConstraint("forum_id", "participant_id", name=op.f("pk_forum_moderators")),
    )
    op.create_index(
        op.f("ix_forum_moderators_participant_id"), "forum_moderators", ["participant_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_forum_moderators_participant_id"), table_name="forum_moderators")
    op.drop_table("forum_moderators")
    op.drop_table("forum_moderation")
    op.drop_index(op.f("ix_audit_log_actor"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("guardian_consents")
    op.drop_index(op.f("ix_invite_codes_forum_id"), table_name="invite_codes")
    op.drop_table("invite_codes")
    op.drop_table("ballot_roll_forgotten")
    op.drop_table("answer_tallies")
    with op.batch_alter_table("safeguarding_alerts") as batch:
        batch.drop_column("posted_in")
