"""Discord-only settings (prefix ``YOUSAID_DISCORD_``), read once at start."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class DiscordSettings(BaseSettings):
    """Who organises, where commands are synced, how fast DMs may be opened, which shards."""

    model_config = SettingsConfigDict(env_prefix="YOUSAID_DISCORD_", extra="ignore")

    organiser_role: str = "Organiser"
    read_messages: bool = False
    """Read the posts in servers (for ``/moderate``): needs the privileged message content intent
    turned on for the bot in the Developer Portal."""
    dev_guild_id: int | None = None
    dms_per_second: float = Field(default=5.0, gt=0)
    shard_count: int | None = Field(default=None, gt=0)
    """How many shards the bot runs in all; unset: as many as Discord recommends."""
    shard_ids: str = ""
    """The shards this process runs, like ``0,1``; empty: all of them."""
    api_base: str | None = None
    """Where Discord's REST API lives; only set to test against a local server."""
    gateway_url: str | None = None
    """Where Discord's gateway lives; only set to test against a local server."""

    @field_validator("shard_ids")
    @classmethod
    def _numbers(cls, value: str) -> str:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not all(part.isdigit() for part in parts):
            raise ValueError(f"'{value}' should be shard numbers like 0,1")
        return ",".join(parts)

    @model_validator(mode="after")
    def _shards_within_count(self) -> DiscordSettings:
        if self.shards and self.shard_count is None:
            raise ValueError("YOUSAID_DISCORD_SHARD_IDS needs YOUSAID_DISCORD_SHARD_COUNT too")
        shards = self.shards or []
        if self.shard_count is not None and any(i >= self.shard_count for i in shards):
            raise ValueError(f"shard numbers go from 0 to {self.shard_count - 1}")
        return self

    @property
    def shards(self) -> list[int] | None:
        """The shards this process runs; None for all of them."""
        return [int(part) for part in self.shard_ids.split(",")] if self.shard_ids else None
