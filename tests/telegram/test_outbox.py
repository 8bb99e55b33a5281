import asyncio
from collections import Counter

from core.messages import Platform, Reply
from tests.telegram.fake_bot_api import Fault


async def test_a_broadcast_reaches_everyone_once_through_the_running_bot(bot):
    api, core = bot.api, bot.core
    async with core._uow_factory() as uow:
        ids = []
        for user in range(1000, 1040):
            participant = await uow.participants.add(Platform.TELEGRAM, str(user), _now())
            ids.append(participant.id)
        await uow.commit()
    api.faults.append(Fault({"sendMessage"}, 429, times=3, retry_after=1))
    api.faults.append(Fault({"sendMessage"}, 502, times=3, description="Bad Gateway"))
    assert (
        await core.queue_broadcast("update:1", ids, Reply("We listened. Here's what changed."))
        == 40
    )
    assert await core.queue_broadcast("update:1", ids, Reply("again")) == 0

    def everyone_has_it():
        return all(api.messages[user] for user in range(1000, 1040))

    await api.wait_for(everyone_has_it, 60)
    received = Counter(m.chat_id for chat in api.messages.values() for m in chat)
    assert set(received.values()) == {1}
    assert all(fault.times == 0 for fault in api.faults)
    for _ in range(100):
        async with core._uow_factory() as uow:
            counts = await uow.deliveries.status_counts("update:1")
        if counts == {"sent": 40}:
            break
        await asyncio.sleep(0.1)
    assert counts == {"sent": 40}


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
