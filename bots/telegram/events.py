"""Turning Telegram updates into core events; nothing is decided here but who is who."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import Bot, CallbackQuery, Chat, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bots.telegram.sending import retry_seconds
from core.commands import ORGANISER_ONLY
from core.messages import (
    Address,
    ButtonPress,
    Command,
    Event,
    JoinedGroup,
    Platform,
    Quoted,
    Text,
)

_ADMINS = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}
ADMIN_CHECK_TRIES = 5
"""Tries at asking Telegram whether someone is a group admin before taking them as not one."""
_JOINED = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR}
_ASKS_ROLE = ORGANISER_ONLY | {"help"}
_QUOTES = frozenset({"redcard"})
"""Commands that act on the message they reply to."""


@dataclass(frozen=True, slots=True)
class Incoming:
    """A core event with what the adapter needs to answer it on Telegram."""

    event: Event
    chat_id: int
    private: bool
    query: CallbackQuery | None = None
    message_id: int | None = None
    """The group post the event came from, so a flagged post can be hidden."""


async def incoming(update: Update, bot: Bot) -> Incoming | None:
    """The core event for an update, or None for updates the bot does not act on."""
    if update.callback_query is not None:
        return _press(update.callback_query)
    if update.my_chat_member is not None:
        change = update.my_chat_member
        if (
            change.new_chat_member.user.id == bot.id
            and change.new_chat_member.status in _JOINED
            and change.old_chat_member.status not in _JOINED
            and change.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        ):
            address = _address(change.chat, change.from_user.id, organiser=False)
            return Incoming(JoinedGroup(address, change.chat.title or ""), change.chat.id, False)
        return None
    message = update.message
    if message is None or message.from_user is None:
        return None
    private = message.chat.type == ChatType.PRIVATE
    command = _command(message, bot.username)
    if command is not None:
        name, argument = command
        organiser = not private and name in _ASKS_ROLE and await _is_admin(bot, message)
        address = _address(message.chat, message.from_user.id, organiser)
        quoted = await _quoted(bot, message) if name in _QUOTES else None
        return Incoming(Command(address, name, argument, quoted), message.chat.id, private)
    address = _address(message.chat, message.from_user.id, organiser=False)
    if not private:
        if message.text is None or message.from_user.is_bot:
            return None
        post = Text(address, message.text)
        return Incoming(post, message.chat.id, False, message_id=message.message_id)
    return Incoming(Text(address, message.text or ""), message.chat.id, True)


def _press(query: CallbackQuery) -> Incoming | None:
    message = query.message
    if not isinstance(message, Message):
        return None
    chat = message.chat
    address = _address(chat, query.from_user.id, organiser=False)
    event = ButtonPress(address, query.data or "", str(message.message_id))
    return Incoming(event, chat.id, chat.type == ChatType.PRIVATE, query)


def _address(chat: Chat, user_id: int, organiser: bool) -> Address:
    private = chat.type == ChatType.PRIVATE
    return Address(
        Platform.TELEGRAM,
        str(chat.id),
        str(user_id),
        private=private,
        group_id="" if private else str(chat.id),
        organiser=organiser,
    )


def _command(message: Message, bot_username: str) -> tuple[str, str] | None:
    """``(name, argument)`` for ``/name@bot argument``; None if it is not a command for us."""
    text = message.text or ""
    if not text.startswith("/"):
        return None
    head, _, argument = text.partition(" ")
    name, _, addressee = head[1:].partition("@")
    if addressee and addressee.casefold() != bot_username.casefold():
        return None
    if not name:
        return None
    return name.casefold(), argument.strip()


async def _quoted(bot: Bot, message: Message) -> Quoted | None:
    """The message a command replies to: who wrote it, its words and its buttons.

    Telegram leaves the replied-to message out when there is none (or it was deleted).
    """
    replied = message.reply_to_message
    if replied is None:
        return None
    author = replied.from_user
    by_bot = author is not None and author.id == bot.id
    markup = replied.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return Quoted(
        str(replied.message_id),
        author_id=str(author.id) if author is not None else "",
        by_bot=by_bot,
        author_organiser=not by_bot and author is not None and await _is_admin(bot, replied),
        text=replied.text or replied.caption or "",
        button_ids=tuple(
            button.callback_data
            for row in rows
            for button in row
            if isinstance(button.callback_data, str)
        ),
    )


async def _is_admin(bot: Bot, message: Message) -> bool:
    """True if the sender is an admin of the group (or posts as the group itself)."""
    if message.sender_chat is not None and message.sender_chat.id == message.chat.id:
        return True
    assert message.from_user is not None
    for attempt in range(ADMIN_CHECK_TRIES):
        try:
            member = await bot.get_chat_member(message.chat.id, message.from_user.id)
        except RetryAfter as error:
            await asyncio.sleep(retry_seconds(error))
        except BadRequest:
            return False
        except NetworkError:
            await asyncio.sleep(0.2 * 2**attempt)
        except TelegramError:
            return False
        else:
            return member.status in _ADMINS
    return False
