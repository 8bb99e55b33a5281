"""Reminders to carry on with a paused dialog: only when asked, once, and never after /stop."""

import pytest

from core import texts
from tests.core.chat import Person, delivered
from tests.core.privacy_helpers import Clock, started
from tests.dialogs.sample import SAMPLE


@pytest.fixture
async def running(database_url):
    clock = Clock()
    async with started(database_url, clock) as (core, _engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        yield core, clock


async def paused(core, user):
    person = Person(core, user)
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    await person.command("pause")
    assert person.text == texts.PAUSED
    assert person.labels[1:] == list(texts.REMIND_CHOICES.values())
    return person


async def test_a_reminder_comes_once_after_the_chosen_days(running):
    core, clock = running
    person = await paused(core, "ana")
    await person.press("remind 3")
    assert person.text == texts.REMIND_SET["3"]
    clock.advance(days=2, hours=23)
    assert await core.send_pause_reminders() == 0
    clock.advance(hours=1)
    assert await core.send_pause_reminders() == 1
    assert await core.send_pause_reminders() == 0, "at most one"
    [reminder] = (await delivered(core)).to("ana")
    assert reminder.text == texts.YOU_PAUSED.format(title="Sample")
    [carry_on] = reminder.all_buttons()
    await person.press_id(carry_on.id)
    assert "Question 2 of 6" in person.text


async def test_no_reminder_unless_asked_after_resuming_or_after_stop(running):
    core, clock = running
    await paused(core, "ben")
    resumed = await paused(core, "cat")
    await resumed.press("remind 1")
    await resumed.command("resume")
    stopped = await paused(core, "dev")
    await stopped.press("remind 1")
    await stopped.command("stop")
    clock.advance(days=8)
    assert await core.send_pause_reminders() == 1, "only dev's is still paused"
    assert (await delivered(core)).received == []


async def test_a_later_choice_replaces_the_first(running):
    core, clock = running
    person = await paused(core, "eve")
    await person.press("remind 1")
    await person.command("pause")
    await person.press("remind 7")
    clock.advance(days=2)
    assert await core.send_pause_reminders() == 0
    clock.advance(days=5)
    assert await core.send_pause_reminders() == 1
