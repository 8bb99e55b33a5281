import re

from core.results import export_results
from tests.telegram.fake_bot_api import Fault


def question_numbers(texts):
    return [int(n) for text in texts for n in re.findall(r"Question (\d+) of", text)]


async def test_429_storm_and_5xx_errors_every_reply_arrives_once_in_order(bot):
    api = bot.api
    amy = bot.member(401)
    await amy.onboard("ward_time")
    onboarding = len(api.messages[amy.id]) - 1
    api.faults += [
        Fault({"sendMessage", "editMessageText"}, 429, times=6, retry_after=1),
        Fault({"sendMessage", "editMessageText"}, 502, times=4, description="Bad Gateway"),
        Fault({"answerCallbackQuery"}, 500, times=2),
        Fault({"getUpdates"}, 502, times=2, description="Bad Gateway"),
    ]
    await amy.answer_all()
    assert all(fault.times == 0 for fault in api.faults), "every fault was hit"
    numbers = question_numbers(api.texts(amy.id)[onboarding:])
    assert numbers == sorted(numbers), "questions arrive in order"
    new_messages = [m.text for m in api.messages[amy.id][onboarding:]]
    assert len(new_messages) == len(set(new_messages)), "no reply was sent twice"
    rows = await export_results(bot.core._uow_factory, "ward_time")
    assert len(rows) == 7


async def test_a_person_who_blocked_the_bot_is_marked_unreachable(bot):
    api = bot.api
    zed = bot.member(402)
    await zed.onboard()
    sent_before = len(api.messages[zed.id])
    api.blocked.add(zed.id)
    update_id = api.message(zed.id, zed.id, "/consult")
    await api.wait_until_fetched(update_id)
    async with bot.core._uow_factory() as uow:
        participant = await uow.participants.find_by_identity("telegram", "402")
    assert participant.unreachable
    tries = [c for c, p in api.calls if c == "sendMessage" and p["chat_id"] == "402"]
    assert len(tries) == sent_before + 1, "one refused try, never retried"


async def test_an_update_delivered_twice_has_one_effect(bot):
    api = bot.api
    kit = bot.member(403)
    await kit.onboard("ward_time")
    update = {
        "update_id": 5555,
        "callback_query": {
            "id": "dup",
            "from": {"id": kit.id, "is_bot": False, "first_name": "Kit"},
            "chat_instance": "ci",
            "data": kit.last.button("On a ward")["callback_data"],
            "message": api._message_json(kit.last),
        },
    }
    api.push(dict(update))
    await api.wait_until_fetched(5555)
    count = len(api.messages[kit.id])
    await bot.stop()
    api.push(dict(update))  # Telegram sends it again: the offset was never confirmed
    await bot.start()
    await api.wait_until_fetched(5555)
    assert len(api.messages[kit.id]) == count, "no second reply"
    rows = await export_results(bot.core._uow_factory, "ward_time")
    assert [r.question_id for r in rows] == ["where"]
