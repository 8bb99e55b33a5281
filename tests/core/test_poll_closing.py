"""Quick polls that close on their own: "/poll 2h ...", closed by the scheduler on time, final
results posted once in the chat, tried again when the chat could not be reached."""

import pytest

from core import texts
from core.buttons import parse_button
from core.messages import Address, ButtonPress, Command, Platform
from tests.core.privacy_helpers import Clock, started
from tests.core.test_ballots import Poster

GROUP = "-700"
ORGANISER = Address(Platform.TELEGRAM, GROUP, "1", private=False, group_id=GROUP, organiser=True)


def member(user: str) -> Address:
    return Address(Platform.TELEGRAM, GROUP, user, private=False, group_id=GROUP)


@pytest.fixture
async def running(database_url):
    clock = Clock()
    async with started(database_url, clock) as (core, _engine):
        yield core, clock


async def post(core, argument):
    [reply] = await core.handle(Command(ORGANISER, "poll", argument))
    return reply


async def vote(core, poll, user, option):
    ids = [b.id for b in poll.all_buttons() if parse_button(b.id).action.value == "v"]
    [reply] = await core.handle(ButtonPress(member(user), ids[option]))
    return reply.text


async def test_a_timed_poll_closes_on_time_and_its_results_are_posted_once(running):
    core, clock = running
    poll = await post(core, "2h Best day? | Mon | Fri")
    assert poll.text.startswith("Quick poll: Best day?")
    assert texts.POLL_CLOSES.format(when="on Tue 1 Dec at 12:00") in poll.text
    await vote(core, poll, "5", 0)
    await vote(core, poll, "6", 1)
    await vote(core, poll, "7", 1)
    telegram = Poster()
    clock.advance(hours=1, minutes=59)
    assert await core.announce_polls({Platform.TELEGRAM: telegram}) == 0
    clock.advance(minutes=1)
    telegram.down = True
    assert await core.announce_polls({Platform.TELEGRAM: telegram}) == 0
    assert await vote(core, poll, "8", 0) == texts.POLL_CLOSED, "closed even if not yet posted"
    telegram.down = False
    assert await core.announce_polls({Platform.TELEGRAM: telegram}) == 1
    [(chat, final)] = telegram.posts
    assert chat == GROUP
    assert "Final results: Best day?" in final.text and "Fri: 2" in final.text
    assert await core.announce_polls({Platform.TELEGRAM: telegram}) == 0, "posted only once"


async def test_an_organiser_closing_early_shows_the_results_there_and_nothing_is_posted(running):
    core, clock = running
    await post(core, "30m Pizza? | Yes | No")
    [final] = await core.handle(Command(ORGANISER, "endpoll"))
    assert "Final results: Pizza?" in final.text
    clock.advance(hours=1)
    telegram = Poster()
    assert await core.announce_polls({Platform.TELEGRAM: telegram}) == 0
    assert telegram.posts == []


async def test_untimed_polls_stay_open_and_bad_durations_explain_how(running):
    core, clock = running
    plain = await post(core, "Best day? | Mon | Fri")
    assert "It closes" not in plain.text
    clock.advance(days=100)
    assert await core.announce_polls({Platform.TELEGRAM: Poster()}) == 0
    assert await vote(core, plain, "5", 0) == texts.VOTE_COUNTED.format(option="Mon")
    for too_long_or_short in ("61d Q? | A | B", "1m Q? | A | B"):
        refused = await post(core, too_long_or_short)
        assert refused.text == texts.POLL_HOW.format(most=10)
    kept = await post(core, "2h | A | B")
    assert kept.text == texts.POLL_HOW.format(most=10), "a duration alone is not a question"
