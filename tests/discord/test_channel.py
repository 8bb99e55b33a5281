import asyncio

from core import texts
from tests.discord.fake_discord import CHANNEL_ID, Fault


def public(fake):
    return [m for m in fake.messages[CHANNEL_ID] if not m.ephemeral]


async def answered(fake, pending):
    await fake.wait_for(lambda: bool(pending.callbacks))
    return pending


async def test_a_20_member_poll_with_double_presses_and_changed_votes(discord_bot):
    fake = discord_bot.fake
    await answered(
        fake,
        await fake.slash("1", "poll", organiser=True, question="Best day?", options="Mon | Fri"),
    )
    [poll] = public(fake)
    assert poll.content.startswith("Quick poll: Best day?")
    mon, fri = (poll.button(label)["custom_id"] for label in ("Mon", "Fri"))
    presses = []
    for member in range(10, 30):
        choice = mon if member < 22 else fri
        presses += [await fake.press(str(member), poll, choice) for _ in range(2)]
    await asyncio.gather(*(answered(fake, p) for p in presses))
    changes = [await fake.press(str(member), poll, fri) for member in range(10, 13)]
    await asyncio.gather(*(answered(fake, p) for p in changes))
    presses += changes
    notices = [p.callbacks[0]["data"]["content"] for p in presses]
    assert all(p.callbacks[0]["data"]["flags"] == 64 for p in presses), (
        "votes are answered privately"
    )
    assert notices.count(texts.VOTE_SAME.format(option="Mon")) == 12
    assert notices.count(texts.VOTE_CHANGED.format(option="Fri")) == 3

    await answered(fake, await fake.slash("1", "endpoll", manage_guild=True))
    final = public(fake)[-1].content
    assert "Final results: Best day?" in final
    assert "Mon: 9" in final and "Fri: 11" in final and "20 people voted." in final


async def test_a_member_without_the_organiser_role_is_refused_and_nothing_is_created(
    discord_bot,
):
    fake = discord_bot.fake
    pending = await answered(
        fake, await fake.slash("55", "poll", question="Pizza?", options="Yes | No")
    )
    [callback] = pending.callbacks
    assert callback["data"]["content"] == texts.ORGANISERS_ONLY
    assert callback["data"]["flags"] == 64
    assert public(fake) == []
    results = await answered(fake, await fake.slash("55", "results"))
    assert results.callbacks[0]["data"]["content"] == texts.NO_POLL


async def test_slow_work_is_deferred_within_3_seconds_and_followed_up(discord_bot, monkeypatch):
    fake, core = discord_bot.fake, discord_bot.core
    real_handle = core.handle

    async def slow_handle(event, key=None):
        await asyncio.sleep(3.5)
        return await real_handle(event, key)

    monkeypatch.setattr(core, "handle", slow_handle)
    pending = await fake.slash("60", "help", in_guild=False)
    await fake.wait_for(lambda: pending.original is not None and pending.original.edits > 0, 30)
    assert pending.callbacks[0]["type"] == 5, "deferred first"
    assert pending.answered_at - pending.dispatched_at < 3.0
    assert pending.original.content == texts.HELP


async def test_rest_429s_and_5xx_errors_every_reply_arrives_once(discord_bot):
    fake = discord_bot.fake
    member = discord_bot.member("61")
    fake.faults += [
        Fault("/messages", 502, times=2),
        Fault("/messages", 429, times=4, retry_after=0.3),
    ]
    await member.onboard()
    assert all(fault.times == 0 for fault in fake.faults)
    contents = [m.content for m in member.dm]
    assert len(contents) == len(set(contents)), "nothing sent twice"
    assert "Question 1 of 4" in contents[0]


async def test_the_gateway_drops_mid_dialog_and_the_member_carries_on(discord_bot):
    fake = discord_bot.fake
    member = discord_bot.member("62")
    await member.onboard()
    await member.press("Your time on the ward")
    await member.answer_current()
    await fake.drop_connection(4000)
    await fake.wait_for(lambda: fake.resumes == 1, 30)
    assert fake.identifies == 1, "the session was resumed, not started again"
    await member.answer_all()
    assert texts.MORE_TO_DO in member.last.content


async def test_an_invitation_button_starts_the_dialog_in_the_presser_s_dms(discord_bot):
    fake = discord_bot.fake
    await answered(fake, await fake.slash("1", "invite", organiser=True, consultation="ward_time"))
    [invite] = public(fake)
    start = invite.button("Take part")["custom_id"]
    assert start == "start:ward_time"
    pending = await answered(fake, await fake.press("63", invite, start))
    assert pending.callbacks[0]["data"]["flags"] == 64
    member = discord_bot.member("63")
    await fake.wait_for(lambda: bool(member.dm))
    assert "Question 1 of 4" in member.last.content


async def test_closed_dms_run_the_dialog_in_messages_only_the_member_sees(discord_bot):
    fake = discord_bot.fake
    fake.closed_dms.add("64")
    await answered(fake, await fake.slash("64", "start"))
    await fake.wait_for(
        lambda: any("Question 1 of 4" in m.content for m in fake.messages[CHANNEL_ID])
    )
    mine = [m for m in fake.messages[CHANNEL_ID] if m.interaction_user == "64"]
    assert mine and all(m.ephemeral for m in mine)
    assert (
        mine[0].content
        == "Your direct messages are closed, so I'll answer here. Only you can see this."
    )
    async with discord_bot.core._uow_factory() as uow:
        person = await uow.participants.find_by_identity("discord", "64")
    assert person.unreachable, "the outbox will not try their DMs"
    question = next(m for m in mine if "Question 1 of 4" in m.content)
    press = await answered(
        fake, await fake.press("64", question, question.button("Yes")["custom_id"])
    )
    await fake.wait_for(
        lambda: any("Question 2 of 4" in m.content for m in fake.messages[CHANNEL_ID])
    )
    assert press.callbacks[0]["data"].get("flags") == 64


async def test_an_organiser_gives_certificates_and_a_member_gets_theirs_as_a_picture(
    discord_bot,
):
    fake = discord_bot.fake
    member = discord_bot.member("808")
    await member.onboard()
    await member.press("Your time on the ward")
    await member.answer_current()
    given = await answered(
        fake, await fake.slash("1", "award", organiser=True, consultation="ward_time")
    )
    assert given.callbacks[0]["data"]["content"].startswith("1 person who had their say in")
    await fake.wait_for(lambda: any("/certificate" in m.content for m in member.dm))
    pending = await fake.slash("808", "certificate", in_guild=False, first_name="Sam")
    await fake.wait_for(lambda: member.last.content == texts.CERTIFICATE_HERE)
    assert member.last.files == 1, "the certificate comes as a picture"
    assert pending.callbacks
