"""News waits out the night and, on weekdays, school hours; a forum's own hours win for news
about its activity; what a person is owed goes at once. Waiting never drops a message."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core import texts
from core.delivery import BIG_NEWS, SAFEGUARDING_FIRST
from core.domain import OutcomeStatus
from core.hours import QuietHours, SendHours, parse_hours
from core.messages import Address, ButtonPress, Command, Platform, Reply
from core.outcomes import OutcomeChange
from tests.core.chat import Person, delivered
from tests.core.privacy_helpers import Clock, started
from tests.core.test_outcomes import COMMISSIONER, ROLES, WORDS
from tests.dialogs.sample import SAMPLE

LONDON = ZoneInfo("Europe/London")
NIGHT = QuietHours(time(21), time(8))
SCHOOL = QuietHours(time(9), time(15))
ORGANISER = Address(
    Platform.TERMINAL, "-100700", "org", private=False, group_id="-100700", organiser=True
)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in December 2026 in London (Monday 7th, Friday 11th, Saturday 12th)."""
    return datetime(2026, 12, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("hours", "moment", "until"),
    [
        (SendHours(NIGHT, SCHOOL), local(7, 10), local(7, 15)),
        (SendHours(NIGHT, SCHOOL), local(7, 8, 30), None),
        (SendHours(NIGHT, SCHOOL), local(7, 15), None),
        (SendHours(NIGHT, SCHOOL), local(12, 10), None),
        (SendHours(NIGHT, SCHOOL), local(11, 22), local(12, 8)),
        (SendHours(QuietHours(time(21), time(9, 30)), SCHOOL), local(8, 7), local(8, 15)),
        (SendHours(NIGHT, None), local(7, 10), None),
        (SendHours(None, SCHOOL), local(7, 22), None),
        (SendHours(NIGHT, SCHOOL).overridden("off", None), local(7, 23), None),
        (SendHours(NIGHT, SCHOOL).overridden(None, "off"), local(7, 10), None),
        (SendHours(None, None).overridden(None, "10:00-16:00"), local(7, 10), local(7, 16)),
    ],
)
def test_news_waits_for_the_end_of_the_night_and_of_school_hours_on_weekdays(hours, moment, until):
    assert hours.waits_until(moment) == until


def test_hours_settings_are_checked():
    assert parse_hours("off") is None
    assert parse_hours(" 09:00-15:00 ") == SCHOOL
    for bad in ("9-15", "09:00-09:00", "25:00-08:00", "sometimes"):
        with pytest.raises(ValueError, match="should look like 21:00-08:00"):
            parse_hours(bad)


@pytest.fixture
async def forum_core(database_url):
    clock = Clock()
    clock.moment = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # Monday, in school hours
    options = {"roles": ROLES, "quiet": NIGHT, "school": SCHOOL}
    async with started(database_url, clock, **options) as (core, _engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        [held] = await core.handle(Command(ORGANISER, "invite", "sample"))
        await core.handle(ButtonPress(ORGANISER, held.all_buttons()[0].id))
        yield core, clock


async def participant_id(core, user):
    async with core._uow_factory() as unit:
        return (await unit.participants.find_by_identity(Platform.TERMINAL, user)).id


async def test_school_hours_defer_news_and_a_forum_s_own_hours_win_for_its_news(forum_core):
    core, clock = forum_core
    [shown] = await core.handle(Command(ORGANISER, "hours"))
    assert "Night: 21:00-08:00 (the usual)" in shown.text and shown.only_for_sender
    [changed] = await core.handle(Command(ORGANISER, "hours", "school off"))
    assert changed.text == texts.HOURS_SET.format(
        quiet="21:00-08:00 (the usual)", school=texts.HOURS_NONE
    )
    person = Person(core, "ana")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    ana = await participant_id(core, "ana")
    await core.add_outcome(COMMISSIONER, "sample", WORDS, OutcomeStatus.DONE, 100)
    await core.queue_broadcast("news:1", [ana], Reply("Other news"), kind=BIG_NEWS)
    await core.queue_broadcast("answer:1", [ana], Reply("Your answer"))
    await core.queue_broadcast("alert:1", [ana], Reply("Alert"), priority=SAFEGUARDING_FIRST)
    [alert, thanks, answer] = (await delivered(core)).to("ana")
    assert thanks.text.startswith(texts.OUTCOME_THANKS["done"].format(title="Sample"))
    assert (alert.text, answer.text) == ("Alert", "Your answer"), "owed: at once"
    async with core._uow_factory() as unit:
        assert await unit.deliveries.status_counts("news:1") == {"pending": 1}, "waits"
    clock.moment = datetime(2026, 12, 7, 14, 59, tzinfo=UTC)
    assert (await delivered(core)).received == []
    await core.handle(Command(ORGANISER, "hours", "school usual"))
    await core.update_outcome(COMMISSIONER, 1, OutcomeChange(status=OutcomeStatus.IN_PROGRESS))
    assert (await delivered(core)).received == [], "the forum is back on the usual hours"
    clock.moment = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    later = sorted(reply.text.split("\n")[0] for reply in (await delivered(core)).to("ana"))
    assert later == ["Other news", texts.OUTCOME_THANKS["in_progress"].format(title="Sample")]
    async with core._uow_factory() as unit:
        assert await unit.deliveries.status_counts("news:1") == {"sent": 1}, "never dropped"
