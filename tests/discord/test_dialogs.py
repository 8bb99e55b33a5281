import asyncio

from core.results import export_results


async def test_three_members_take_a_consultation_at_once_in_their_dms(discord_bot_on_each_database):
    bot = discord_bot_on_each_database
    members = [bot.member(str(700 + n)) for n in range(3)]
    await asyncio.gather(*(m.onboard() for m in members))
    for member in members:
        assert "Here's what you can have your say on" in member.last.content
    await asyncio.gather(*(m.press("Your time on the ward") for m in members))
    await asyncio.gather(*(m.answer_all() for m in members))
    rows = await export_results(bot.core._uow_factory, "ward_time")
    by_person = {}
    for row in rows:
        by_person.setdefault(row.respondent, []).append(row.question_id)
    assert len(by_person) == 3
    assert all(
        ids == ["where", "ward_days", "feel", "helps", "matters", "change", "more"]
        for ids in by_person.values()
    )
    typed = [row.answer for row in rows if row.question_id == "change"]
    assert typed == ["More things to do, please"] * 3, "free text came through the text box"
