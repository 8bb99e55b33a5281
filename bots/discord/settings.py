"""Discord-only settings (prefix ``YOUSAID_DISCORD_``), read once at start."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class DiscordSettings(BaseSettings):
    """Who organises, where commands are synced, how fast DMs may be opened."""

    model_config = SettingsConfigDict(env_prefix="YOUSAID_DISCORD_", extra="ignore")

    organiser_role: str = "Organiser"
    read_messages: bool = False
    """Read the posts in servers (for ``/moderate``): needs the privileged message content intent
    turned on for the bot in the Developer Portal."""
    dev_guild_id: int | None = None
    dms_per_second: float = Field(default=5.0, gt=0)
    api_base: str | None = None
    """Where Discord's REST API lives; only set to test against a local server."""
    gateway_url: str | None = None
    """Where Discord's gateway lives; only set to test against a local server."""
