"""Red cards on Discord, end to end: the real client against the fake gateway and REST API."""

from core import texts
from core.plain_words import lookup
from tests.discord.fake_discord import CHANNEL_ID

NEWS = "We will start the procurement for the new youth club in May."
ANSWER = "Procurement is how the council picks who runs the club. It has to be fair."


def public(fake):
    return [m for m in fake.messages[CHANNEL_ID] if not m.ephemeral]


async def answered(fake, pending):
    await fake.wait_for(lambda: bool(pending.callbacks))
    return pending


async def post_news(fake, news=NEWS):
    """An organiser's news with jargon: held for them alone, then sent anyway."""
    held = await answered(fake, await fake.slash("1", "announce", organiser=True, news=news))
    review = held.original
    assert review.ephemeral and review.content.startswith(texts.DRAFT_HELD)
    assert review.button("Add explanations")["custom_id"].startswith("start:w")
    before = len(public(fake))
    await fake.press("1", review, review.button("Send anyway")["custom_id"])
    await fake.wait_for(lambda: len(public(fake)) > before)
    assert review.content == texts.DRAFT_SENT
    post = public(fake)[-1]
    assert post.content.startswith(f"📣 {news}")
    assert f"procurement: {lookup('procurement')}" in post.content
    assert post.button("Red card")["custom_id"].startswith("f:")
    return post


async def red_card_menu(fake, user, message, word):
    """Red card from the message's Apps menu: a text box asks which word, then it is sent."""
    opened = await answered(fake, await fake.message_command(user, "Red card", message))
    [box] = opened.callbacks
    assert box["type"] == 9 and box["data"]["title"] == texts.REDCARD_MENU
    submitted = await answered(fake, await fake.submit(user, box["data"], word, in_guild=True))
    [reply] = submitted.callbacks
    assert reply["data"]["flags"] == 64, "only the one who raised it sees the answer"
    return reply["data"]["content"]


async def write_in_dm(fake, member, text):
    """Press "Write my answer" under the newest DM and send the text box."""
    pending = await answered(
        fake,
        await fake.press(
            member.id, member.last, member.last.button("Write my answer")["custom_id"]
        ),
    )
    [box] = pending.callbacks
    assert box["type"] == 9
    return await answered(fake, await fake.submit(member.id, box["data"], text, in_guild=False))


async def test_the_red_card_menu_asks_the_author_and_posts_the_answer_back(
    discord_bot_on_each_database,
):
    bot = discord_bot_on_each_database
    fake = bot.fake
    post = await post_news(fake)

    thanks = await red_card_menu(fake, "20", post, "procurement")
    assert thanks.startswith(texts.REDCARD_THANKS.format(word="procurement"))

    author = bot.member("1")
    await fake.wait_for(lambda: bool(author.dm))
    ask = author.last
    assert ask.content.startswith(
        "A young person red-carded 'procurement'. Please explain it in plain words."
    )
    assert "20" not in ask.content, "the young person is not named"

    before = len(public(fake))
    await write_in_dm(fake, author, ANSWER)
    await fake.wait_for(lambda: len(public(fake)) > before)
    answer = public(fake)[-1]
    assert answer.content == texts.REDCARD_ANSWER.format(word="procurement", explanation=ANSWER)
    assert answer.message_reference["message_id"] == post.id, "an answer to the carded message"
    await fake.wait_for(lambda: author.last.content.startswith("Thank you!"))

    whatis = await answered(fake, await fake.slash("21", "whatis", word="procurement"))
    assert whatis.callbacks[0]["data"]["content"] == f"procurement: {ANSWER}"
    assert whatis.callbacks[0]["data"]["flags"] == 64


async def test_an_organisers_own_message_a_deleted_one_and_one_by_a_member(discord_bot):
    fake = discord_bot.fake
    fake.members["5"] = fake.member("5", organiser=True)
    said = fake.post_as("5", "Our KPI is how many come each week.")
    thanks = await red_card_menu(fake, "22", said, "KPI")
    assert thanks.startswith(texts.REDCARD_THANKS.format(word="KPI"))
    organiser = discord_bot.member("5")
    await fake.wait_for(lambda: bool(organiser.dm))
    assert organiser.last.content.startswith("A young person red-carded 'KPI'.")
    assert 'It was in your message in "a group".' in organiser.last.content, (
        "without the message content intent the bot can't quote it"
    )

    by_member = fake.post_as("6", "lol what is a KPI")
    assert await red_card_menu(fake, "22", by_member, "KPI") == texts.REDCARD_NOT_ADULT

    doomed = fake.post_as("5", "The tender closes on Friday.")
    opened = await answered(fake, await fake.message_command("22", "Red card", doomed))
    fake.delete(doomed)
    [box] = opened.callbacks
    gone = await answered(fake, await fake.submit("22", box["data"], "tender", in_guild=True))
    assert gone.callbacks[0]["data"]["content"] == texts.REDCARD_GONE


async def test_the_red_card_button_cards_the_whole_message(discord_bot):
    fake = discord_bot.fake
    post = await post_news(fake)
    pressed = await answered(
        fake, await fake.press("23", post, post.button("Red card")["custom_id"])
    )
    [reply] = pressed.callbacks
    assert reply["data"]["content"] == texts.REDCARD_THANKS_MESSAGE
    assert reply["data"]["flags"] == 64
    assert not [m for m in public(fake) if m.content == texts.REDCARD_THANKS_MESSAGE]
    empty = await red_card_menu(fake, "24", post, "")
    assert empty == texts.REDCARD_THANKS_MESSAGE, "an empty word cards the whole message"

    author = discord_bot.member("1")
    await fake.wait_for(lambda: bool(author.dm))
    before = len(public(fake))
    await write_in_dm(fake, author, "The council will choose who runs the club.")
    await fake.wait_for(lambda: len(public(fake)) > before)
    assert public(fake)[-1].content.startswith("🟥 Red card on this message.")
    assert public(fake)[-1].message_reference["message_id"] == post.id


async def test_red_card_commands_are_synced(discord_bot):
    commands = {c["name"]: c for c in discord_bot.fake.synced["global"]}
    assert commands["Red card"]["type"] == 3
    assert {"announce", "redcards", "whatis"} <= set(commands)


async def test_explanations_are_added_and_the_post_goes_to_the_channel(discord_bot):
    """From the review only its author sees, the whole way stays theirs alone, in the channel."""
    fake = discord_bot.fake
    news = "The BCF plan was agreed by the CYPSP in March."
    held = await answered(fake, await fake.slash("1", "announce", organiser=True, news=news))
    review = held.original
    add = review.button("Add explanations")["custom_id"]
    await answered(fake, await fake.press("1", review, add))

    def newest(text):
        return next((m for m in reversed(fake.seen_by("1")) if text in m.content), None)

    await fake.wait_for(lambda: newest("The words: BCF, CYPSP") is not None)
    how = newest("The words: BCF, CYPSP")
    assert how.ephemeral
    opened = await answered(
        fake, await fake.press("1", how, how.button("Write my answer")["custom_id"])
    )
    [box] = opened.callbacks
    typed = "BCF = money the NHS and the council share\nCYPSP = a group"
    await answered(fake, await fake.submit("1", box["data"], typed, in_guild=True, message=how))
    await fake.wait_for(lambda: newest(texts.DRAFT_WORDS_SAVED) is not None)
    await fake.wait_for(lambda: newest("Tap Send to post it.") is not None)
    again = newest("Tap Send to post it.")
    assert again.ephemeral and again.button("Send")

    before = len(public(fake))
    await answered(fake, await fake.press("1", again, again.button("Send")["custom_id"]))
    await fake.wait_for(lambda: len(public(fake)) > before)
    post = public(fake)[-1]
    assert post.content.startswith(f"📣 {news}")
    assert "BCF: money the NHS and the council share" in post.content
    assert again.content == texts.DRAFT_SENT
