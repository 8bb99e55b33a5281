import asyncio

from core import texts
from tests.telegram.fake_bot_api import BOT_USERNAME
from tests.telegram.people import Member

GROUP = -100500
ADMIN = 900


def vote_buttons(message):
    return [b for b in message.buttons() if b.get("callback_data", "").startswith("v:")]


async def process(api, update_id):
    await api.wait_until_fetched(update_id)


async def test_a_group_of_20_answers_a_quick_poll_and_double_presses_count_once(bot):
    api = bot.api
    api.members[(GROUP, ADMIN)] = "administrator"
    await process(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    assert 'Hello, "Riverside Youth Forum"!' in api.texts(GROUP)[0]

    await process(api, api.message(GROUP, ADMIN, f"/poll@{BOT_USERNAME} Best day? | Mon | Fri"))
    poll = api.last(GROUP)
    assert poll.text.startswith("Quick poll: Best day?")
    mon, fri = vote_buttons(poll)

    presses = []
    for member in range(1, 21):
        choice = mon if member <= 13 else fri
        presses += [api.press(poll, member, data=choice["callback_data"]) for _ in range(2)]
    await asyncio.gather(*(process(api, update_id) for update_id in presses))
    notices = [a.get("text") for a in api.callback_answers]
    assert notices.count(texts.VOTE_COUNTED.format(option="Mon")) == 13
    assert notices.count(texts.VOTE_SAME.format(option="Mon")) == 13
    assert len(api.messages[GROUP]) == 2, "votes are answered privately, not in the group"

    await process(api, api.message(GROUP, ADMIN, "/endpoll"))
    final = api.last(GROUP).text
    assert "Final results: Best day?" in final
    assert "Mon: 13" in final and "Fri: 7" in final and "20 people voted." in final


async def test_only_group_admins_can_start_a_poll(bot):
    api = bot.api
    await process(api, api.message(GROUP, 5, "/poll Pizza? | Yes | No"))
    assert api.texts(GROUP) == [texts.ORGANISERS_ONLY]
    await process(api, api.message(GROUP, 5, "/results"))
    assert api.last(GROUP).text == texts.NO_POLL
    asked = [p for c, p in api.calls if c == "getChatMember"]
    assert asked and asked[0]["user_id"] == "5"


async def test_an_invitation_is_a_deep_link_into_the_private_chat(bot):
    api = bot.api
    api.members[(GROUP, ADMIN)] = "creator"
    await process(api, api.message(GROUP, ADMIN, "/invite ward_time"))
    [button, red_card] = api.last(GROUP).buttons()
    assert button["url"] == f"https://t.me/{BOT_USERNAME}?start=ward_time"
    assert red_card["text"] == texts.BUTTON_RED_CARD
    person = bot.member(31)
    await person.onboard("ward_time")
    assert "Question 1 of" in person.last.text


async def test_commands_for_another_bot_and_group_chatter_are_ignored(bot):
    api = bot.api
    await process(api, api.message(GROUP, 5, "/poll@SomeOtherBot Q? | a | b"))
    await process(api, api.message(GROUP, 5, "hello everyone, I feel sad today"))
    assert api.texts(GROUP) == []


async def test_command_menus_are_set_per_scope_in_plain_words(bot):
    menus = bot.api.commands
    assert [c["command"] for c in menus["all_private_chats"]][:2] == ["start", "consult"]
    assert "poll" in [c["command"] for c in menus["all_chat_administrators"]]
    assert "poll" not in [c["command"] for c in menus["all_group_chats"]]
    assert all(len(c["description"]) <= 60 for menu in menus.values() for c in menu)


async def test_an_organiser_gives_certificates_and_a_member_gets_theirs_as_a_picture(bot):
    api = bot.api
    api.members[(GROUP, ADMIN)] = "administrator"
    member = Member(api, 4242)
    await member.onboard("ward_time")
    await member.answer_current()
    await process(api, api.message(GROUP, ADMIN, "/award ward_time"))
    assert api.last(GROUP).text.startswith("1 person who had their say in")

    def told():
        return any("/certificate" in message.text for message in member.messages)

    await api.wait_for(told, 30)
    picture = await member.say("/certificate Sam")
    assert picture.kind == "photo" and picture.text == texts.CERTIFICATE_HERE
