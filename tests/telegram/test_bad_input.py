from core import texts
from core.results import export_results
from tests.telegram.fake_bot_api import TOKEN


async def stored(bot):
    return await export_results(bot.core._uow_factory, "ward_time")


async def test_a_stale_button_gets_a_kind_explanation_and_changes_nothing(bot):
    jo = bot.member(301)
    first = await jo.onboard("ward_time")
    await jo.press("On a ward")
    before = await stored(bot)
    await jo.press("In a waiting room", message=first)
    assert jo.last.text.startswith(texts.OLD_BUTTON) and "Question 2 of" in jo.last.text
    assert await stored(bot) == before
    forged = bot.api.press(first, jo.id, data="a:99999:where:ward")
    await bot.api.wait_until_fetched(forged)
    assert jo.last.text.startswith(texts.OLD_BUTTON)
    assert await stored(bot) == before
    assert len(bot.api.callback_answers) == 6, "every one of the six presses is answered"


async def test_unknown_command_huge_message_and_sticker_get_kind_replies(bot):
    kim = bot.member(302)
    await kim.onboard()
    assert (await kim.say("/dance")).text == texts.UNKNOWN_COMMAND
    assert (await kim.say("x" * 5000)).text == texts.NO_QUESTION_NOW
    await kim.say("/consult ward_time")
    await kim.answer_current()
    await kim.answer_current()
    await kim.answer_current()
    await kim.answer_current()
    await kim.answer_current()
    await kim.answer_current()
    await kim.answer_current()
    await kim.answer_current()
    assert "What one thing" in kim.last.text or "Question" in kim.last.text
    update_id = bot.api.sticker(kim.id, kim.id)
    await bot.api.wait_until_fetched(update_id)
    assert kim.last.text.startswith(texts.ONLY_WORDS) and "Question" in kim.last.text
    asked = kim.last.text
    too_long = await kim.say("y" * 5000)
    assert "Question" in too_long.text and too_long.text != asked
    rows = await stored(bot)
    assert all(len(row.answer) < 5000 for row in rows)


async def test_typed_markup_is_shown_as_typed_and_long_replies_are_split(bot):
    lee = bot.member(303)
    await lee.onboard("ward_time")
    while "Question 6 of" not in lee.last.text:
        await lee.answer_current()
    await lee.say("<b>Tom & Jerry</b> films")
    await lee.say("/mydata")
    texts_sent = bot.api.texts(lee.id)
    assert any("<b>Tom & Jerry</b> films" in text for text in texts_sent)
    assert [c for c, _ in bot.api.calls if c.startswith("send")][-1] == "sendDocument"
    assert bot.api.last(lee.id).kind == "document"
    assert all(len(text) <= 4096 for text in texts_sent)
    assert TOKEN not in str(bot.api.calls)


def test_long_texts_split_at_lines_then_words():
    from bots.telegram.render import chunks

    text = "\n".join(f"line {n} " + "word " * 20 for n in range(100))
    parts = chunks(text, 500)
    assert all(len(part) <= 500 for part in parts)
    assert " ".join(parts).split() == text.split(), "nothing is lost, only spaces at the cuts"
    assert chunks("a" * 1200, 500) == ["a" * 500, "a" * 500, "a" * 200]
