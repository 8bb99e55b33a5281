"""/hours in a group and /digest in a private chat, through the real python-telegram-bot."""

from core import texts
from core.domain import ForumHours
from tests.telegram.test_privacy import ADMIN, GROUP, sent_in


async def test_organisers_set_the_group_s_hours_and_a_person_switches_the_round_up(bot):
    api, core = bot.api, bot.core
    api.members[(GROUP, ADMIN)] = "administrator"
    await sent_in(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    await sent_in(api, api.message(GROUP, 3201, "/hours school off"))
    assert api.texts(GROUP)[-1] == texts.ORGANISERS_ONLY
    await sent_in(api, api.message(GROUP, ADMIN, "/hours school 08:30-15:30"))
    assert api.texts(GROUP)[-1] == texts.HOURS_SET.format(
        quiet=texts.HOURS_USUAL.format(hours=texts.HOURS_NONE), school="08:30-15:30"
    )
    forum = await core.find_forum(f"telegram:{GROUP}")
    assert await core.forum_hours(str(forum.id)) == ForumHours(forum.id, None, "08:30-15:30")
    person = bot.member(3202)
    await person.onboard()
    assert (await person.say("/digest")).text == texts.DIGEST_HOW.format(state="on")
    assert (await person.say("/digest off")).text == texts.DIGEST_OFF
    assert (await person.say("/digest")).text == texts.DIGEST_HOW.format(state="off")
