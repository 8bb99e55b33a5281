import asyncio

from core import texts
from core.results import export_results


async def answers_by_respondent(core, slug="ward_time"):
    rows = await export_results(core._uow_factory, slug)
    grouped = {}
    for row in rows:
        grouped.setdefault(row.respondent, []).append(row)
    return grouped


async def test_three_people_take_a_consultation_at_once_one_pauses_and_resumes_next_day(
    bot_on_each_database,
):
    bot = bot_on_each_database
    amy, ben, cat = bot.member(101), bot.member(102), bot.member(103)
    await asyncio.gather(*(p.onboard("ward_time") for p in (amy, ben, cat)))
    assert all("Question 1 of" in p.last.text for p in (amy, ben, cat))

    await amy.answer_current()
    await amy.answer_current()
    paused = await amy.say("/pause")
    assert paused.text == texts.PAUSED
    await asyncio.gather(ben.answer_all(), cat.answer_all())

    await bot.restart()  # the next day: a new process, the same database
    resumed = await amy.say("/resume")
    assert texts.CARRY_ON_FROM_HERE in resumed.text and "Question 3 of" in resumed.text
    await amy.answer_all()

    grouped = await answers_by_respondent(bot.core)
    assert len(grouped) == 3
    for rows in grouped.values():
        assert [r.question_id for r in rows] == [
            "where",
            "ward_days",
            "feel",
            "helps",
            "matters",
            "change",
            "more",
        ]
        assert {r.age_band for r in rows} == {"16_17"}
    for person in (amy, ben, cat):
        assert texts.MORE_TO_DO in person.last.text


async def test_multi_choice_ticks_edit_the_message_in_place(bot):
    sam = bot.member(201)
    await sam.onboard("ward_time")
    await sam.press("In a waiting room")
    await sam.answer_current()
    await sam.press("🙂") if any("🙂" in b["text"] for b in sam.last.buttons()) else None
    await sam.answer_current() if "Question 3 of" in sam.last.text else None
    question = sam.last
    assert "✔ Done" in [b["text"] for b in question.buttons()]
    count = len(sam.messages)
    ticked = await sam.press("Good wifi")
    assert len(sam.messages) == count and ticked.edits == 1
    assert any(b["text"].startswith("✅") for b in ticked.buttons())
