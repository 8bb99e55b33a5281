"""Errors the Telegram adapter reports to the operator."""


class TelegramStartError(Exception):
    """The bot could not start; the message is one line and never holds the token."""
