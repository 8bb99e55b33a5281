"""Privacy, roles and group moderation through the real discord.py client."""

import asyncio

import pytest
from pydantic import SecretStr

from bots.discord.client import NO_MESSAGE_CONTENT, run_discord
from bots.discord.errors import DiscordStartError
from bots.wiring import open_core
from core import texts
from core.commands import ORGANISER_ONLY
from core.config import Settings
from tests.discord.conftest import RunningDiscordBot
from tests.discord.fake_discord import (
    CHANNEL_ID,
    GUILD_MESSAGES,
    MESSAGE_CONTENT,
    TOKEN,
    user_json,
)
from tests.storage_scan import all_rows_at, holding, messages_stopped, without

OPTIONS = {
    "poll": {"question": "Pizza?", "options": "Yes | No"},
    "invite": {"consultation": "ward_time"},
    "award": {"consultation": "ward_time"},
    "moderate": {"setting": "on"},
    "ballot": {"question": "Chair?", "options": "Sam | Jo"},
    "announce": {"news": "The new room opens on Monday."},
}
LEAD = "900000000000009001"
ORGANISER = "700000000000000001"


async def answered(fake, pending):
    await fake.wait_for(lambda: bool(pending.callbacks))
    return pending


async def test_someone_under_13_is_told_kindly_and_nothing_is_kept(discord_bot):
    member = discord_bot.member("310000000000000001")
    await member.slash("start")
    await member.press("Yes")
    reply = await press_for_a_new_message(member, "12 or under")
    assert reply.content == f"{texts.TOO_YOUNG.format(age=13)}\n\n{texts.OTHER_WAY}"
    assert holding(await all_rows_at(discord_bot.database_url), [member.id]) == []


async def press_for_a_new_message(member, label, edited=False):
    """Press a button and wait for the next message (or for the pressed one to change)."""
    before, edits = len(member.dm), member.last.edits
    await member.fake.press(member.id, member.last, member.last.button(label)["custom_id"])
    await member.fake.wait_for(
        lambda: len(member.dm) > before or (edited and member.dm[before - 1].edits > edits)
    )
    return member.last


async def test_no_usernames_are_ever_stored(discord_bot):
    member = discord_bot.member("310000000000004242")
    await member.onboard()
    await member.press("Your time on the ward")
    await member.answer_all()
    rows = await all_rows_at(discord_bot.database_url)
    assert holding(rows, [user_json(member.id)["username"]]) == []
    assert holding(rows, [member.id]), "the platform id is kept, only to reach them"


async def test_a_member_calling_each_organiser_command_is_refused_and_nothing_changes(
    discord_bot_on_each_database,
):
    bot = discord_bot_on_each_database
    fake = bot.fake
    registered = {c["name"] for c in fake.synced["global"]} & ORGANISER_ONLY
    assert registered >= {"poll", "endpoll", "invite", "moderate"}
    for count, name in enumerate(sorted(registered), start=1):
        before = await all_rows_at(bot.database_url)
        pending = await answered(fake, await fake.slash("55", name, **OPTIONS.get(name, {})))
        [callback] = pending.callbacks
        assert callback["data"]["content"] == texts.ORGANISERS_ONLY, name
        assert callback["data"]["flags"] == 64, "only the member sees it"
        after = await all_rows_at(bot.database_url)
        unchanged = ("audit_log", "handled_events")
        assert without(after, *unchanged) == without(before, *unchanged), name
        assert len(after["audit_log"]) == count
    assert [m for m in fake.messages[CHANNEL_ID] if not m.ephemeral] == []


async def test_forgetme_leaves_nothing_of_the_person(discord_bot_on_each_database):
    bot = discord_bot_on_each_database
    member = bot.member("310000000000000003")
    await member.onboard()
    await member.press("Your time on the ward")
    await member.answer_all()
    assert holding(await all_rows_at(bot.database_url), ["More things to do, please"])
    await bot.fake.slash(member.id, "forgetme", in_guild=False)
    await bot.fake.wait_for(lambda: member.last.content == texts.FORGETME_ASK)
    await press_for_a_new_message(member, "Yes, delete it all", edited=True)
    assert member.last.content == texts.FORGETME_DONE
    rows = await all_rows_at(bot.database_url)
    assert holding(rows, [member.id, "More things to do, please"]) == []


async def test_without_the_setting_the_bot_reads_no_posts(discord_bot):
    fake, core = discord_bot.fake, discord_bot.core
    assert not fake.intents & (GUILD_MESSAGES | MESSAGE_CONTENT), "no message intents"
    await answered(fake, await fake.slash(ORGANISER, "moderate", setting="hide", manage_guild=True))
    assert await fake.post("310000000000000004", "I want to die") is None, "Discord sends none"
    assert await core.alerts() == [] and fake.deleted == []


@pytest.fixture
async def reading(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("YOUSAID_DISCORD_READ_MESSAGES", "true")
    monkeypatch.setenv("YOUSAID_SAFEGUARDING_LEADS", f"discord:{LEAD}")
    running = await RunningDiscordBot(fake, f"sqlite+aiosqlite:///{tmp_path}/r.db").start()
    yield running
    await running.stop()


async def until(check, within=20.0):
    for _ in range(int(within / 0.05)):
        if await check():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_a_disclosure_in_a_checked_server_is_reported_followed_up_and_hidden(reading):
    fake, core = reading.fake, reading.core
    assert fake.intents & GUILD_MESSAGES and fake.intents & MESSAGE_CONTENT
    pending = await answered(
        fake, await fake.slash(ORGANISER, "moderate", setting="hide", manage_guild=True)
    )
    assert pending.callbacks[0]["data"]["content"] == texts.MODERATE_HIDE
    assert not pending.callbacks[0]["data"].get("flags"), "announced to everyone in the channel"
    poster = reading.member("310000000000000005")
    await fake.post(poster.id, "see you at the park")
    flagged = await fake.post(poster.id, "I want to die")
    await fake.wait_for(lambda: fake.deleted)
    assert fake.deleted == [(CHANNEL_ID, flagged.id)], "only the flagged post is hidden"

    async def everyone_told():
        return all(fake.dm_channels.get(who) for who in (LEAD, ORGANISER, poster.id))

    await until(everyone_told)
    await fake.wait_for(lambda: poster.dm and reading.member(ORGANISER).dm)
    [alert] = await core.alerts()
    assert alert.text == "I want to die" and alert.user_id == poster.id
    report = reading.member(ORGANISER).last.content
    assert "I want to die" in report and texts.POST_HIDDEN in report
    assert poster.last.content.startswith(texts.POST_FOLLOW_UP)


async def test_reading_posts_needs_discord_s_permission_and_says_so_in_one_line(
    fake, tmp_path, monkeypatch
):
    monkeypatch.setenv("YOUSAID_DISCORD_READ_MESSAGES", "true")
    fake.message_content_allowed = False
    async with open_core(f"sqlite+aiosqlite:///{tmp_path}/n.db") as core:
        settings = Settings(discord_token=SecretStr(TOKEN))
        with pytest.raises(DiscordStartError) as raised:
            await asyncio.wait_for(run_discord(core, settings), 30)
    assert str(raised.value) == NO_MESSAGE_CONTENT


async def test_a_worrying_typed_answer_gets_help_at_once_and_the_lead_an_alert(reading):
    fake, core = reading.fake, reading.core
    member = reading.member("310000000000000006")
    await member.onboard()
    await member.press("Your time on the ward")
    for _ in range(20):
        if member.last.buttons() and "Write my answer" in member.last.buttons()[0].get("label", ""):
            break
        await member.answer_current()
    before = len(member.dm)
    await member.write("I want to die")
    assert any(m.content.startswith(texts.SAFEGUARDING_HELP) for m in member.dm[before:])
    lead = reading.member(LEAD)
    await fake.wait_for(lambda: bool(lead.dm))
    assert "I want to die" in lead.last.content and f"user id {member.id}" in lead.last.content
    await member.write("The food was fine")
    assert len(await core.alerts()) == 1, "a plain answer raises none"


async def test_stop_is_kept_and_start_undoes_it(discord_bot_on_each_database):
    bot = discord_bot_on_each_database
    member = bot.member("310000000000000005")
    await member.onboard()
    pending = await bot.fake.slash(member.id, "stop", in_guild=False)
    await bot.fake.wait_for(lambda: bool(pending.callbacks))
    await bot.fake.wait_for(lambda: member.last.content == texts.STOPPED)
    assert messages_stopped(await all_rows_at(bot.database_url), member.id)
    await bot.fake.slash(member.id, "start", in_guild=False)
    await bot.fake.wait_for(lambda: member.last.content != texts.STOPPED)
    assert not messages_stopped(await all_rows_at(bot.database_url), member.id)
