"""Errors the Telegram adapter reports to the operator."""

from bots.errors import AdapterStartError


class TelegramStartError(AdapterStartError):
    """Telegram refused to start the bot (for example, a wrong token)."""
