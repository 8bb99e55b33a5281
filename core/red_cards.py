"""Red cards: what every feature that sends an adult's words uses, so young people can flag them.

Record the adult's words with their author, then put the 🟥 button under the message::

    message_id = await record_message(
        uow, now, forum_id=forum.id, author=Author.of(address), text=words,
        kind=MessageKind.UPDATE, broadcast=broadcast,
    )
    reply = with_red_card(Reply(text), message_id)

Do it in the same unit of work that posts or queues the message. ``text`` is the adult's own
words (not the bot's wording around them): a named word is looked for there, and organisers
see it in the statistics. The use cases of raising and explaining cards are in
``core.red_card_flow``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from core import texts
from core.buttons import Action, ButtonId, parse_button
from core.domain import AdultMessage
from core.messages import Address, Button, Platform, Reply
from core.participants import participant_for
from core.ports import UnitOfWork

MAX_WORD_LENGTH = 60
"""The longest word or phrase a red card can name."""
MAX_WORDS = 5


class MessageKind(StrEnum):
    """What kind of adult's message was recorded."""

    ANNOUNCEMENT = "announcement"
    INVITATION = "invitation"
    POLL = "poll"
    BALLOT = "ballot"
    CHAT = "chat"
    """An organiser's own message in a forum's group, red-carded by replying to it."""
    UPDATE = "update"
    """A progress update or an outcome ("you said, we did") sent to people."""


@dataclass(frozen=True, slots=True)
class Author:
    """The chat account of the adult who wrote a message: who is asked to explain it."""

    platform: Platform
    user_id: str

    @classmethod
    def of(cls, address: Address) -> Author:
        """The author of an event's words."""
        return cls(address.platform, address.user_id)


async def record_message(
    uow: UnitOfWork,
    now: datetime,
    *,
    forum_id: int,
    author: Author,
    text: str,
    kind: str,
    chat_id: str | None = None,
    broadcast: str | None = None,
    subject: str | None = None,
    platform_message_id: str | None = None,
) -> int:
    """Record an adult's message so young people can red-card it; the number for its 🟥 button.

    ``chat_id`` is the group it is posted in; for a message sent to people one by one, give the
    outbox ``broadcast`` instead, so that whoever it was queued for may red-card it. The
    author is registered as a participant (with nothing else about them) so the bot can ask
    them to explain. ``subject`` (such as ``poll:12``) finds the message again when it is
    drawn anew.
    """
    author_id = (await participant_for(uow, author.platform, author.user_id, now)).id
    message = await uow.red_cards.add_message(
        AdultMessage(
            id=0,
            forum_id=forum_id,
            author_id=author_id,
            kind=str(kind),
            text=text,
            platform=str(author.platform),
            chat_id=chat_id,
            created_at=now,
            platform_message_id=platform_message_id,
            subject=subject,
            broadcast=broadcast,
        )
    )
    return message.id


def red_card_button(message_id: int) -> Button:
    """The 🟥 button that raises a red card on a recorded message (``f:<number>``)."""
    return Button(ButtonId(Action.RED_CARD, message_id).encode(), texts.BUTTON_RED_CARD, "redcard")


def with_red_card(reply: Reply, message_id: int) -> Reply:
    """The reply with a last row holding the 🟥 button."""
    return replace(reply, buttons=(*reply.buttons, (red_card_button(message_id),)))


def red_card_target(button_ids: tuple[str, ...]) -> int | None:
    """The recorded message a message's 🟥 button points at, if it has one."""
    for button_id in button_ids:
        button = parse_button(button_id)
        if button is not None and button.action == Action.RED_CARD:
            return button.target
    return None


def raiser_key(message_id: int, platform: str, user_id: str) -> str:
    """A one-way key for one person raising cards on one message: counted once, never named.

    The key differs from message to message, so it does not link one person's cards together.
    """
    raw = f"red-card:{message_id}:{platform}:{user_id}"
    return hashlib.sha256(raw.encode()).hexdigest()


def word_is_fine(word: str) -> bool:
    """One word or a short phrase, not a sentence."""
    return len(word) <= MAX_WORD_LENGTH and len(word.split()) <= MAX_WORDS
