"""Turning core replies into Telegram message parts: plain text chunks and inline keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bots.text_parts import split_text
from core.messages import Reply

CALLBACK_DATA_LIMIT = 64
"""Telegram's limit for a button's callback data, in bytes."""


def keyboard(reply: Reply, bot_username: str) -> InlineKeyboardMarkup | None:
    """The reply's buttons as an inline keyboard; private-start buttons become deep links."""
    rows = []
    for row in reply.buttons:
        buttons = []
        for button in row:
            if button.private_start is not None:
                url = f"https://t.me/{bot_username}?start={button.private_start}"
                buttons.append(InlineKeyboardButton(button.label, url=url))
                continue
            if len(button.id.encode()) > CALLBACK_DATA_LIMIT:
                raise ValueError(f"button id longer than {CALLBACK_DATA_LIMIT} bytes")
            buttons.append(InlineKeyboardButton(button.label, callback_data=button.id))
        rows.append(buttons)
    return InlineKeyboardMarkup(rows) if rows else None


def chunks(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split text into Telegram messages of at most ``limit`` characters."""
    return split_text(text, limit) or [""]
