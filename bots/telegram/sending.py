"""The one way out to Telegram: limits, retries by kind of error, and replies in order."""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram import Bot, CallbackQuery, InputFile, Message, ReplyParameters
from telegram.constants import CallbackQueryLimit, MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bots.telegram.limits import SendLimits
from bots.telegram.render import chunks, keyboard
from core.delivery import Outcome, Rejected, Sent, Transient, Unreachable
from core.messages import Reply

log = logging.getLogger(__name__)

MAX_TRIES = 8
MAX_WAITS = 30
_NOT_MODIFIED = "message is not modified"
_NOTICE = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH


class TelegramOut:
    """Sends replies and outbox messages; every call waits for Telegram's limits first."""

    def __init__(self, bot: Bot, limits: SendLimits | None = None) -> None:
        self._bot = bot
        self._limits = limits or SendLimits()

    async def answer(
        self,
        chat_id: int,
        replies: list[Reply],
        query: CallbackQuery | None,
        message_id: int | None = None,
    ) -> Outcome:
        """Deliver the replies to one event, in order; the first failure that is final stops it.

        A reply that hides the post (a flagged group post) deletes message ``message_id``.
        """
        if message_id is not None and any(reply.hide_post for reply in replies):
            await self._hide(chat_id, message_id)
        replies = [reply for reply in replies if reply.text or not reply.hide_post]
        notices = [r for r in replies if r.only_for_sender and query is not None]
        if query is not None:
            await self._answer_query(query, notices)
        pressed = (
            query.message if query is not None and isinstance(query.message, Message) else None
        )
        private = chat_id > 0
        for reply in _joined(replies):
            if reply.chat is not None:
                await self._post_elsewhere(reply)
                continue
            if reply in notices and (
                not private
                or len(reply.text) <= CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
            ):
                continue
            if reply.replace and pressed is not None and reply.image is None:
                outcome = await self._edit(pressed, reply)
                if isinstance(outcome, Sent):
                    continue
            outcome = await self.send_reply(chat_id, reply)
            if not isinstance(outcome, Sent):
                return outcome
        return Sent()

    async def send(self, user_id: str, reply: Reply) -> Outcome:
        """Send one outbox message to a person's private chat (the core's Sender port)."""
        return await self.send_reply(int(user_id), reply)

    async def post(self, chat_id: str, reply: Reply) -> bool:
        """Post in a group a message no one asked for (the core's ChatPoster port)."""
        outcome = await self.send_reply(int(chat_id), reply)
        if not isinstance(outcome, Sent):
            log.warning("could not post in a group: %s", type(outcome).__name__)
        return isinstance(outcome, Sent)

    async def _post_elsewhere(self, reply: Reply) -> None:
        """A reply the core posts in another chat (a forum's group); its failure is the group's.

        It neither stops the replies to the person who acted nor counts against them.
        """
        assert reply.chat is not None
        outcome = await self.send_reply(int(reply.chat), reply)
        if not isinstance(outcome, Sent):
            log.warning("could not post in a group: %s", type(outcome).__name__)

    async def send_reply(self, chat_id: int, reply: Reply) -> Outcome:
        """Send one reply as one or more messages; buttons go with the last part.

        An image goes first, with the text as its caption if it fits, else followed by the text.
        With ``reply_to`` the first part answers that message (or stands alone if it is gone).
        """
        markup = keyboard(reply, self._bot.username)
        answering = (
            ReplyParameters(int(reply.reply_to), allow_sending_without_reply=True)
            if reply.reply_to is not None and reply.reply_to.isdigit()
            else None
        )
        if reply.image is not None:
            image = reply.image
            fits = len(reply.text) <= MessageLimit.CAPTION_LENGTH
            outcome = await self._call(
                chat_id,
                lambda: self._bot.send_photo(
                    chat_id,
                    InputFile(image, filename="chart.png"),
                    caption=reply.text if fits else None,
                    reply_markup=markup if fits else None,
                    reply_parameters=answering,
                ),
            )
            if fits or not isinstance(outcome, Sent):
                return outcome
            answering = None  # a text too long for a caption follows the photo
        parts = chunks(reply.text)
        for number, part in enumerate(parts, start=1):
            buttons = markup if number == len(parts) else None
            answers = answering if number == 1 else None
            outcome = await self._call(
                chat_id,
                lambda part=part, buttons=buttons, answers=answers: self._bot.send_message(
                    chat_id, part, reply_markup=buttons, reply_parameters=answers
                ),
            )
            if not isinstance(outcome, Sent):
                return outcome
        if reply.attachment is not None:
            file = reply.attachment
            return await self._call(
                chat_id,
                lambda: self._bot.send_document(
                    chat_id, InputFile(file.content, filename=file.filename)
                ),
            )
        return Sent()

    async def _hide(self, chat_id: int, message_id: int) -> None:
        """Delete a group post; the bot needs the group's delete-messages right for it."""
        outcome = await self._call(
            chat_id, lambda: self._bot.delete_message(chat_id, message_id), limited=False
        )
        if not isinstance(outcome, Sent):
            log.warning("could not hide a flagged post (is the bot a group admin?)")

    async def _edit(self, pressed: Message, reply: Reply) -> Outcome:
        markup = keyboard(reply, self._bot.username)
        text = chunks(reply.text)
        if len(text) > 1:
            return Rejected("too long to edit")
        outcome = await self._call(
            pressed.chat.id,
            lambda: self._bot.edit_message_text(
                text[0], chat_id=pressed.chat.id, message_id=pressed.message_id, reply_markup=markup
            ),
        )
        if isinstance(outcome, Rejected) and _NOT_MODIFIED in outcome.error:
            return Sent()
        return outcome

    async def _answer_query(self, query: CallbackQuery, notices: list[Reply]) -> None:
        limit = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
        text = "\n".join(reply.text for reply in notices)
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        chat_id = query.message.chat.id if query.message is not None else 0
        await self._call(
            chat_id, lambda: self._bot.answer_callback_query(query.id, text or None), limited=False
        )

    async def _call(
        self, chat_id: int, call: Callable[[], Awaitable[Any]], limited: bool = True
    ) -> Outcome:
        """Make one Bot API call, waiting on 429s and retrying 5xx and network errors."""
        failures = waits = 0
        while True:
            try:
                if limited:
                    async with self._limits.sending(chat_id):
                        await call()
                else:
                    await call()
                return Sent()
            except RetryAfter as error:
                waits += 1
                if waits > MAX_WAITS:
                    return Transient("still asked to wait")
                seconds = retry_seconds(error)
                log.warning("telegram asked us to wait %.1f s", seconds)
                await asyncio.sleep(seconds)
            except Forbidden as error:
                return Unreachable(error.message)
            except BadRequest as error:
                return Rejected(error.message)
            except NetworkError as error:
                failures += 1
                if failures >= MAX_TRIES:
                    log.warning("telegram call failed %d times: %s", failures, error.message)
                    return Transient(error.message)
                await asyncio.sleep(min(10.0, 0.2 * 2**failures) * random.uniform(0.5, 1.0))


def _joined(replies: list[Reply]) -> list[Reply]:
    """Plain text followed by a reply for the chat goes out as one message, when it fits.

    Finishing onboarding says thank you and asks the consultation's first question: one
    message instead of two, so fewer count against Telegram's limits.
    """
    joined: list[Reply] = []
    for reply in replies:
        before = joined[-1] if joined else None
        if (
            before is not None
            and _plain(before)
            and not reply.only_for_sender
            and not reply.replace
            and reply.chat is None
            and reply.image is None
            and len(before.text) + 2 + len(reply.text) <= MessageLimit.MAX_TEXT_LENGTH
        ):
            joined[-1] = replace(reply, text=f"{before.text}\n\n{reply.text}")
        else:
            joined.append(reply)
    return joined


def _plain(reply: Reply) -> bool:
    return not (
        reply.buttons
        or reply.chat is not None
        or reply.image is not None
        or reply.attachment is not None
        or reply.only_for_sender
        or reply.replace
    )


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait, whichever type this PTB version gives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        delay: Any = error.retry_after
    return float(delay.total_seconds()) if hasattr(delay, "total_seconds") else float(delay)
