"""Red cards on Telegram, end to end: the real Application against the fake Bot API server."""

from core import texts
from core.plain_words import lookup

GROUP = -100600
ADMIN = 901
NEWS = "We will start the procurement for the new youth club in May."
ANSWER = "Procurement is how the council picks who runs the club. It has to be fair."


async def process(api, update_id):
    await api.wait_until_fetched(update_id)


async def forum_with_news(api, news=NEWS):
    """A forum whose admin posts news with jargon, held by the check and sent anyway."""
    api.members[(GROUP, ADMIN)] = "administrator"
    await process(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    await process(api, api.message(GROUP, ADMIN, f"/announce {news}"))
    held = api.last(GROUP)
    assert held.text.startswith(texts.DRAFT_HELD) and '"procurement"' in held.text
    await process(api, api.press(held, ADMIN, label="Send anyway"))
    assert held.text == texts.DRAFT_SENT and held.edits == 1, "the review became 'Posted.'"
    post = api.last(GROUP)
    assert post.text.startswith(f"📣 {news}")
    assert f"procurement: {lookup('procurement')}" in post.text
    assert post.button("🟥 Red card")["callback_data"].startswith("f:")
    return post


async def test_a_reply_with_redcard_is_answered_in_private_and_posted_back(bot_on_each_database):
    bot = bot_on_each_database
    api = bot.api
    post = await forum_with_news(api)

    await process(api, api.reply(GROUP, 31, "/redcard procurement", to=post))
    thanks = api.last(GROUP)
    assert thanks.text.startswith(texts.REDCARD_THANKS.format(word="procurement"))

    await api.wait_for_messages(ADMIN, 1)
    [ask] = api.messages[ADMIN]
    assert ask.text.startswith(
        "A young person red-carded 'procurement'. Please explain it in plain words."
    )
    assert "31" not in ask.text and "User31" not in ask.text, "the young person is not named"

    await process(api, api.message(ADMIN, ADMIN, ANSWER))
    assert api.last(ADMIN).text == texts.REDCARD_THANK_YOU.format(word="procurement")
    answer = api.last(GROUP)
    assert answer.text == texts.REDCARD_ANSWER.format(word="procurement", explanation=ANSWER)
    assert answer.reply_to == post.message_id, "posted as an answer to the carded message"

    await process(api, api.message(GROUP, 32, "/whatis procurement"))
    assert api.last(GROUP).text == f"procurement: {ANSWER}", "the forum's glossary grew"
    await process(api, api.message(32, 32, "/whatis procurement"))
    assert api.last(32).text == f"procurement: {lookup('procurement')}"


async def test_the_red_card_button_cards_the_whole_message(bot):
    api = bot.api
    post = await forum_with_news(api)
    await process(api, api.press(post, 33, label="Red card"))
    assert api.callback_answers[-1]["text"] == texts.REDCARD_THANKS_MESSAGE
    await api.wait_for_messages(ADMIN, 1)
    assert api.last(ADMIN).text.startswith(texts.REDCARD_ASK_MESSAGE)
    await process(api, api.message(ADMIN, ADMIN, "The council will choose who runs the club."))
    answer = api.last(GROUP)
    assert answer.text.startswith("🟥 Red card on this message.")
    assert answer.reply_to == post.message_id


async def test_an_organisers_own_message_and_the_messages_that_cannot_be_carded(bot):
    api = bot.api
    api.members[(GROUP, ADMIN)] = "administrator"
    await process(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    said = api.said(GROUP, ADMIN, "The KPI for the club is how many come each week.")
    await process(api, api.reply(GROUP, 34, "/redcard KPIs", to=said))
    assert api.last(GROUP).text.startswith(texts.REDCARD_THANKS.format(word="KPI"))
    await api.wait_for_messages(ADMIN, 1)
    assert api.last(ADMIN).text.startswith("A young person red-carded 'KPI'.")
    await process(api, api.message(ADMIN, ADMIN, "A KPI is a number that shows how we're doing."))
    assert api.last(GROUP).reply_to == said["message_id"]

    peer = api.said(GROUP, 35, "lol the procurement")
    await process(api, api.reply(GROUP, 34, "/redcard procurement", to=peer))
    assert api.last(GROUP).text == texts.REDCARD_NOT_ADULT
    await process(api, api.message(GROUP, 34, "/redcard procurement"))
    assert api.last(GROUP).text == texts.REDCARD_HOW, "a deleted message is not replied to"
    hello = api.messages[GROUP][0]
    await process(api, api.reply(GROUP, 34, "/redcard", to=hello))
    assert api.last(GROUP).text == texts.REDCARD_BOT_WORDS


async def test_the_command_menus_offer_red_cards(bot):
    menus = bot.api.commands
    assert "redcard" in [c["command"] for c in menus["all_group_chats"]]
    admin = [c["command"] for c in menus["all_chat_administrators"]]
    assert {"announce", "redcards"} <= set(admin)


async def test_explanations_are_added_in_the_private_chat_and_posted_in_the_group(bot):
    api = bot.api
    api.members[(GROUP, ADMIN)] = "administrator"
    await process(api, api.bot_added(GROUP, ADMIN, "Riverside Youth Forum"))
    await process(api, api.message(GROUP, ADMIN, "/announce The BCF plan went to the CYPSP."))
    link = api.last(GROUP).button("Add explanations")["url"]
    payload = link.split("?start=")[1]
    assert link.startswith("https://t.me/") and payload.startswith("w")

    await process(api, api.message(ADMIN, ADMIN, f"/start {payload}"))  # what the link sends
    assert api.last(ADMIN).text.endswith("The words: BCF, CYPSP")
    await process(api, api.message(ADMIN, ADMIN, "BCF = shared money\nCYPSP = a planning group"))
    review = api.last(ADMIN)
    assert review.text.startswith(f"{texts.DRAFT_WORDS_SAVED}\n\n{texts.DRAFT_HELD}")
    await process(api, api.press(review, ADMIN, label="Send"))
    assert review.text == texts.DRAFT_SENT
    post = api.last(GROUP)
    assert post.text.startswith("📣 The BCF plan went to the CYPSP.")
    assert "BCF: shared money\nCYPSP: a planning group" in post.text
