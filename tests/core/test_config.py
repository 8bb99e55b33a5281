from datetime import time, timedelta

import pytest

from core.config import ConfigError, QuietHours, load_settings


def test_defaults(monkeypatch):
    for name in ("DATABASE_URL", "TELEGRAM_TOKEN", "DISCORD_TOKEN", "TIMEZONE", "QUIET_HOURS"):
        monkeypatch.delenv(f"YOUSAID_{name}", raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///./yousaid.db"
    assert settings.telegram_token is None and settings.discord_token is None
    assert settings.quiet == QuietHours(time(21), time(8))
    assert str(settings.zone) == "Europe/London"


def test_blank_token_is_unset_and_a_token_is_hidden(monkeypatch):
    monkeypatch.setenv("YOUSAID_TELEGRAM_TOKEN", " ")
    monkeypatch.setenv("YOUSAID_DISCORD_TOKEN", "abc.secret")
    settings = load_settings()
    assert settings.telegram_token is None
    assert "abc.secret" not in repr(settings)


def test_bad_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("YOUSAID_QUIET_HOURS", "25:00-08:00")
    with pytest.raises(ConfigError, match=r"^Setting YOUSAID_QUIET_HOURS is not valid: "):
        load_settings()


@pytest.mark.parametrize(
    ("start", "end", "inside", "outside"),
    [
        (time(21), time(8), [time(23), time(0), time(7, 59)], [time(8), time(12), time(20, 59)]),
        (time(9), time(15), [time(9), time(14, 59)], [time(15), time(8, 59)]),
    ],
)
def test_quiet_hours_wrap_past_midnight(start, end, inside, outside):
    hours = QuietHours(start, end)
    assert all(hours.contains(moment) for moment in inside)
    assert not any(hours.contains(moment) for moment in outside)


def test_red_cards_are_chased_after_a_day_or_as_set(monkeypatch):
    monkeypatch.delenv("YOUSAID_RED_CARD_CHASE_AFTER", raising=False)
    assert load_settings().red_card_chase_after == timedelta(hours=24)
    for given, meant in (("90m", timedelta(minutes=90)), ("2d", timedelta(days=2)), ("6H", 6)):
        monkeypatch.setenv("YOUSAID_RED_CARD_CHASE_AFTER", given)
        expected = meant if isinstance(meant, timedelta) else timedelta(hours=meant)
        assert load_settings().red_card_chase_after == expected
    for bad in ("soon", "0h", "24"):
        monkeypatch.setenv("YOUSAID_RED_CARD_CHASE_AFTER", bad)
        with pytest.raises(
            ConfigError, match=rf"^Setting YOUSAID_RED_CARD_CHASE_AFTER is not valid: '{bad}'"
        ):
            load_settings()
