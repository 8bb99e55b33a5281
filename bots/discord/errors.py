"""Errors the Discord adapter reports to the operator."""

from bots.errors import AdapterStartError


class DiscordStartError(AdapterStartError):
    """Discord refused to start the bot (for example, a wrong token)."""
