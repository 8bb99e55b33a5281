"""Settings from the environment (prefix ``YOUSAID_``), checked once at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core import texts
from core.privacy import LawfulBasis, PrivacyPolicy, parse_minimum_ages
from core.roles import RoleSettings
from core.safeguarding import SafeguardingPolicy, TermsError, load_terms, parse_leads

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./yousaid.db"
QUIET_OFF = "off"
"""The quiet hours setting that lets news go out at any hour."""
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
_DRIVERS = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
_LISTEN = re.compile(r"^([\w.\-]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$")
_DURATION = re.compile(r"^(\d{1,4})\s*([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}
MAX_HELP_TEXT = 1500
MAX_OTHER_WAY = 500


def listen_address(value: str) -> str:
    """A ``host:port`` to listen on, checked; raises ValueError naming the expected form."""
    if not _LISTEN.match(value.strip()):
        raise ValueError(f"'{value}' should look like 127.0.0.1:8080")
    return value.strip()


def host_and_port(listen: str) -> tuple[str, int]:
    """The host and port of a checked ``host:port`` (brackets taken off an IPv6 host)."""
    host, _, port = listen.rpartition(":")
    return host.strip("[]"), int(port)


class ConfigError(ValueError):
    """A setting has a bad value; the message is one line naming the variable."""


@dataclass(frozen=True, slots=True)
class QuietHours:
    """Hours in which nothing is sent; may wrap past midnight (21:00-08:00)."""

    start: time
    end: time

    def contains(self, moment: time) -> bool:
        """True if ``moment`` falls inside the quiet hours."""
        if self.start <= self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def over_at(self, moment: datetime) -> datetime | None:
        """When the quiet hours around ``moment`` (a local time) end; None if not quiet then."""
        if not self.contains(moment.time()):
            return None
        end = moment.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        return end if end > moment else end + timedelta(days=1)


class Settings(BaseSettings):
    """Everything YouSaid reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="YOUSAID_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    telegram_token: SecretStr | None = None
    discord_token: SecretStr | None = None
    timezone: str = "Europe/London"
    quiet_hours: str = "21:00-08:00"
    safeguarding_terms_file: Path | None = None
    help_text: str | None = None
    safeguarding_leads: str = ""
    http_listen: str = "127.0.0.1:8080"
    log_format: Literal["text", "json"] = "text"
    red_card_chase_after: timedelta = timedelta(hours=24)
    delivery_lease_seconds: int = Field(60, ge=1, le=3600)
    """A message being sent is held this long; after a crash it is sent again once it is over."""

    @field_validator("http_listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        return listen_address(value)

    lawful_basis: LawfulBasis = LawfulBasis.CONSENT
    minimum_ages: str = ""
    other_way_to_take_part: str | None = None
    commissioners: str = ""
    admins: str = ""

    @field_validator("database_url")
    @classmethod
    def _known_driver(cls, value: str) -> str:
        if not value.startswith(_DRIVERS):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a known time zone, try Europe/London") from None
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _hours_range(cls, value: str) -> str:
        value = value.strip()
        if value.lower() == QUIET_OFF:
            return QUIET_OFF
        if not _HOURS.match(value):
            raise ValueError(f"'{value}' should look like 21:00-08:00, or be off")
        return value

    @field_validator("telegram_token", "discord_token")
    @classmethod
    def _blank_is_unset(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value is not None and value.get_secret_value().strip() else None

    @field_validator("safeguarding_terms_file", mode="before")
    @classmethod
    def _readable_terms(cls, value: object) -> Path | None:
        if value is None or not str(value).strip():
            return None
        path = Path(str(value).strip())
        try:
            load_terms(path)
        except TermsError as error:
            raise ValueError(str(error)) from None
        return path

    @field_validator("help_text")
    @classmethod
    def _plain_help(cls, value: str | None) -> str | None:
        text = (value or "").replace("\\n", "\n").strip()
        if not text:
            return None
        if len(text) > MAX_HELP_TEXT:
            raise ValueError(f"is {len(text)} characters long; keep it under {MAX_HELP_TEXT}")
        return text

    @field_validator("safeguarding_leads", "commissioners", "admins")
    @classmethod
    def _accounts(cls, value: str) -> str:
        parse_leads(value)
        return value.strip()

    @field_validator("red_card_chase_after", mode="before")
    @classmethod
    def _chase_after(cls, value: object) -> object:
        if isinstance(value, timedelta):
            return value
        match = _DURATION.match(str(value).strip().lower())
        if match is None or int(match[1]) == 0:
            raise ValueError(f"'{value}' should look like 24h, 90m or 2d")
        return timedelta(**{_UNITS[match[2]]: int(match[1])})

    @field_validator("minimum_ages")
    @classmethod
    def _ages(cls, value: str) -> str:
        parse_minimum_ages(value)
        return value.strip()

    @field_validator("other_way_to_take_part")
    @classmethod
    def _other_way(cls, value: str | None) -> str | None:
        text = (value or "").replace("\\n", "\n").strip()
        if len(text) > MAX_OTHER_WAY:
            raise ValueError(f"is {len(text)} characters long; keep it under {MAX_OTHER_WAY}")
        return text or None

    @property
    def privacy(self) -> PrivacyPolicy:
        """The lawful basis, the platforms' minimum ages and the other way to take part."""
        return PrivacyPolicy(
            lawful_basis=self.lawful_basis,
            minimum_ages=parse_minimum_ages(self.minimum_ages),
            other_way=self.other_way_to_take_part or texts.OTHER_WAY,
        )

    @property
    def roles(self) -> RoleSettings:
        """The accounts named as commissioners, instance admins and safeguarding leads."""
        return RoleSettings(
            commissioners=parse_leads(self.commissioners),
            admins=parse_leads(self.admins),
            leads=parse_leads(self.safeguarding_leads),
        )

    @property
    def safeguarding(self) -> SafeguardingPolicy:
        """Concern terms, the help message and the leads to alert, the lead first."""
        return SafeguardingPolicy(
            terms=load_terms(self.safeguarding_terms_file),
            help_text=self.help_text or texts.SAFEGUARDING_HELP,
            leads=parse_leads(self.safeguarding_leads),
        )

    @property
    def zone(self) -> ZoneInfo:
        """The time zone used for quiet hours and schedules."""
        return ZoneInfo(self.timezone)

    @property
    def quiet(self) -> QuietHours | None:
        """The quiet hours as times; None when they are off."""
        if self.quiet_hours == QUIET_OFF:
            return None
        match = _HOURS.match(self.quiet_hours)
        assert match is not None
        h1, m1, h2, m2 = (int(group) for group in match.groups())
        return QuietHours(time(h1, m1), time(h2, m2))


def load_settings() -> Settings:
    """Read the settings; raise ConfigError with one line naming the bad variable."""
    try:
        return Settings()
    except ValidationError as error:
        detail = error.errors()[0]
        name = "YOUSAID_" + str(detail["loc"][0]).upper() if detail["loc"] else "YOUSAID_*"
        message = str(detail["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"Setting {name} is not valid: {message}") from None
