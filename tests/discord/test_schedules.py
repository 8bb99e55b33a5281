"""/hours in a server channel and /digest in a DM, through the real discord.py client."""

from core import texts
from core.domain import ForumHours
from tests.discord.fake_discord import GUILD_ID
from tests.discord.test_privacy import ORGANISER, answered


async def test_organisers_set_the_server_s_hours_and_a_person_switches_the_round_up(discord_bot):
    fake, core = discord_bot.fake, discord_bot.core
    shown = await answered(fake, await fake.slash(ORGANISER, "hours", manage_guild=True))
    [callback] = shown.callbacks
    assert callback["data"]["content"].startswith(texts.HOURS_HOW.split("\n")[0])
    assert callback["data"]["flags"] == 64, "only the organiser sees how it is set"
    pending = await fake.slash(ORGANISER, "hours", setting="night off", manage_guild=True)
    [callback] = (await answered(fake, pending)).callbacks
    assert callback["data"]["content"] == texts.HOURS_SET.format(
        quiet=texts.HOURS_NONE, school=texts.HOURS_USUAL.format(hours=texts.HOURS_NONE)
    )
    forum = await core.find_forum(f"discord:{GUILD_ID}")
    assert await core.forum_hours(str(forum.id)) == ForumHours(forum.id, "off", None)
    member = discord_bot.member("310000000000000009")
    await member.onboard()
    await fake.slash(member.id, "digest", in_guild=False, setting="off")
    await fake.wait_for(lambda: member.last.content == texts.DIGEST_OFF)
    await fake.slash(member.id, "digest", in_guild=False)
    await fake.wait_for(lambda: member.last.content == texts.DIGEST_HOW.format(state="off"))
