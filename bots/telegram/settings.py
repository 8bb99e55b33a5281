"""Telegram-only settings (prefix ``YOUSAID_TELEGRAM_``), read once at start."""

from __future__ import annotations

import re

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.config import host_and_port, listen_address


class TelegramSettings(BaseSettings):
    """Webhook mode and where the Bot API lives."""

    model_config = SettingsConfigDict(env_prefix="YOUSAID_TELEGRAM_", extra="ignore")

    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    listen: str = "0.0.0.0:8443"
    api_base: str = "https://api.telegram.org"
    messages_per_second: float = Field(30, gt=0)
    """Messages a second over all chats; Telegram allows about 30. Raise only for a test server."""
    chat_messages_per_second: float = Field(1, gt=0)
    """Messages a second to one private chat (short bursts of 3 allowed); Telegram allows 1."""

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and value.strip() and not value.startswith(("https://", "http://")):
            raise ValueError("must be the bot's public address, starting with https://")
        return value.strip() or None if value is not None else None

    @field_validator("listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        return listen_address(value)

    @field_validator("webhook_secret")
    @classmethod
    def _secret_chars(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(
            r"[A-Za-z0-9_\-]{1,256}", value.get_secret_value()
        ):
            raise ValueError("use 1 to 256 letters, digits, _ or -")
        return value

    @property
    def host_and_port(self) -> tuple[str, int]:
        """Where the webhook server listens."""
        return host_and_port(self.listen)
