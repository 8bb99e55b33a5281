"""One person's backlog of messages holds up no one else, and their replies stay in order."""

import asyncio

from bots.telegram.backlog import BURST, ChatBacklogs
from core import texts


async def test_a_chat_with_a_backlog_sends_in_the_background_in_order():
    sent: list[tuple[int, int]] = []
    gate = asyncio.Event()

    async def send(item: tuple[int, int]) -> None:
        if item[0] == 1:
            await gate.wait()
        sent.append(item)

    backlogs = ChatBacklogs(send)
    backlogs.batch([(1, BURST + 1), (2, 1)])
    for n in range(BURST + 1):
        await asyncio.wait_for(backlogs.deliver(1, (1, n)), 1)
    await asyncio.wait_for(backlogs.deliver(2, (2, 0)), 1)
    assert sent == [(2, 0)]
    assert backlogs.sending() == 1
    backlogs.batch([(1, 1)])
    await asyncio.wait_for(backlogs.deliver(1, (1, BURST + 1)), 1)
    gate.set()
    while backlogs.sending():  # noqa: ASYNC110 - polling the public count is the point here
        await asyncio.sleep(0.01)
    assert sent[1:] == [(1, n) for n in range(BURST + 2)]


async def test_a_burst_from_one_person_does_not_hold_up_the_next_person(bot):
    api = bot.api
    for n in range(10):
        api.message(501, 501, f"hello {n}")
    other = api.message(502, 502, "/start")
    await api.wait_until_fetched(other, within=4)
    assert "Question 1 of" in api.messages[502][-1].text
    assert len(api.messages[501]) < 10
    await api.wait_for_messages(501, 10, within=20)
    assert api.texts(501) == [texts.FIRST_HELLO] * 10
