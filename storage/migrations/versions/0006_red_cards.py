"""Red cards and plain words: adults' messages that can be red-carded, the cards and who raised
them (as one-way keys), each forum's own glossary, and drafts held back by the plain-words check.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "adult_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=True),
        sa.Column("platform_message_id", sa.String(64), nullable=True),
        sa.Column("subject", sa.String(64), nullable=True),
        sa.Column("broadcast", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("adult_messages", "forum_id", "forums"),
        _fk("adult_messages", "author_id", "participants"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_adult_messages")),
        sa.UniqueConstraint(
            "platform",
            "chat_id",
            "platform_message_id",
            name=op.f("uq_adult_messages_platform_chat_id_platform_message_id"),
        ),
        sqlite_autoincrement=True,
    )
    for column in ("forum_id", "author_id", "subject"):
        op.create_index(op.f(f"ix_adult_messages_{column}"), "adult_messages", [column])

    op.create_table(
        "red_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(100), nullable=False),
        sa.Column("word_key", sa.String(100), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("raises", sa.Integer(), nullable=False),
        sa.Column("chases", sa.Integer(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("explained_at", sa.DateTime(timezone=True), nullable=True),
        _fk("red_cards", "message_id", "adult_messages"),
        _fk("red_cards", "forum_id", "forums"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_cards")),
        sa.UniqueConstraint(
            "message_id", "word_key", name=op.f("uq_red_cards_message_id_word_key")
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_red_cards_forum_id"), "red_cards", ["forum_id"])
    op.create_index(op.f("ix_red_cards_status_reminded_at"), "red_cards", ["status", "reminded_at"])

    op.create_table(
        "red_card_raises",
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("raiser", sa.String(64), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["card_id"],
            ["red_cards.id"],
            name=op.f("fk_red_card_raises_card_id_red_cards"),
            ondelete="CASCADE",
        ),
        _fk("red_card_raises", "participant_id", "participants", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("card_id", "raiser", name=op.f("pk_red_card_raises")),
    )
    op.create_index(
        op.f("ix_red_card_raises_participant_id"), "red_card_raises", ["participant_id"]
    )

    op.create_table(
        "forum_terms",
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("term_key", sa.String(100), nullable=False),
        sa.Column("term", sa.String(100), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        _fk("forum_terms", "forum_id", "forums"),
        sa.PrimaryKeyConstraint("forum_id", "term_key", name=op.f("pk_forum_terms")),
    )

    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(32), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("forum_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("chat_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("argument", sa.Text(), nullable=False),
        sa.Column("words", sa.Text(), nullable=False),
        sa.Column("waiting_words", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("drafts", "author_id", "participants"),
        _fk("drafts", "forum_id", "forums"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drafts")),
        sa.UniqueConstraint("token", name=op.f("uq_drafts_token")),
        sa.UniqueConstraint("author_id", "forum_id", name=op.f("uq_drafts_author_id_forum_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_drafts_forum_id"), "drafts", ["forum_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_drafts_forum_id"), table_name="drafts")
    op.drop_table("drafts")
    op.drop_table("forum_terms")
    op.drop_index(op.f("ix_red_card_raises_participant_id"), table_name="red_card_raises")
    op.drop_table("red_card_raises")
    op.drop_index(op.f("ix_red_cards_status_reminded_at"), table_name="red_cards")
    op.drop_index(op.f("ix_red_cards_forum_id"), table_name="red_cards")
    op.drop_table("red_cards")
    for column in ("subject", "author_id", "forum_id"):
        op.drop_index(op.f(f"ix_adult_messages_{column}"), table_name="adult_messages")
    op.drop_table("adult_messages")
