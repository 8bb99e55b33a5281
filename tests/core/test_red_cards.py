"""Red cards through the core, on both databases: raising, answering, refusals, chasing, stats."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core import texts
from core.delivery import NORMAL, reply_to_payload
from core.domain import CardStatus
from core.measures import read_gauges
from core.messages import (
    Address,
    ButtonPress,
    Command,
    JoinedGroup,
    Platform,
    Quoted,
    Reply,
    Text,
)
from core.plain_words import lookup
from core.red_card_stats import card_stats
from core.red_cards import Author, MessageKind, record_message, with_red_card
from core.service import CHASE_RED_CARDS_AFTER
from storage.models import AdultMessageRecord, ForumTermRecord, RedCardRaiseRecord, RedCardRecord
from tests.core.ballot_helpers import GROUP, ORGANISER, Clock, in_group, make_bot
from tests.core.chat import Person, Phone

PROCUREMENT = "We will start the procurement for the new youth club in May."
ANSWER = "Procurement is how the council picks who runs the club. It has to be fair."


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
async def bot(uow_factory, clock):
    bot = make_bot(uow_factory, clock)
    await bot.handle(JoinedGroup(ORGANISER, "Youth Forum"))
    return bot


def young(user: str, group: str = GROUP) -> Address:
    return Address(Platform.TELEGRAM, group, user, private=False, group_id=group)


def privately(user: str) -> Address:
    return Address(Platform.TELEGRAM, user, user, private=True)


async def post_anyway(bot, text: str, by: Address = ORGANISER) -> Reply:
    """An organiser's announcement with jargon in it, held by the check and sent anyway."""
    [held] = await bot.handle(Command(by, "announce", text))
    assert held.text.startswith(texts.DRAFT_HELD), held.text
    [sent, post] = await bot.handle(ButtonPress(by, held.all_buttons()[0].id))
    assert sent.text == texts.DRAFT_SENT
    return post


def red_card_of(post: Reply) -> str:
    [button] = [b for b in post.all_buttons() if b.label == texts.BUTTON_RED_CARD]
    return button.id


def quoting(post: Reply, message_id: str = "41") -> Quoted:
    """The bot's post as a young person's reply points at it."""
    return Quoted(
        message_id,
        author_id="777",
        by_bot=True,
        text=post.text,
        button_ids=tuple(b.id for b in post.all_buttons()),
    )


async def red_card(bot, who: Address, word: str, quoted: Quoted | None) -> Reply:
    [reply] = await bot.handle(Command(who, "redcard", word, quoted=quoted))
    assert reply.only_for_sender, "the one who raised it is answered on their own"
    return reply


async def deliver(bot) -> Phone:
    """Run the outbox until it is empty; what each account got."""
    phone = Phone()
    worker = bot.delivery_worker({Platform.TELEGRAM: phone})
    while await worker.run_once():
        pass
    return phone


async def count(uow_factory, model, *where) -> int:
    async with uow_factory() as uow:
        statement = select(func.count()).select_from(model).where(*where)
        return int((await uow._session.execute(statement)).scalar_one())


async def open_cards(uow_factory) -> float:
    """The monitoring gauge of red cards waiting for an explanation."""
    readings = {r.gauge.name: r.values for r in await read_gauges(uow_factory)}
    return readings["yousaid_red_cards_open"][""]


async def test_a_red_card_asks_the_author_privately_and_the_answer_grows_the_glossary(
    bot, uow_factory
):
    post = await post_anyway(bot, PROCUREMENT)
    assert post.text.startswith(f"📣 {PROCUREMENT}")
    assert f"procurement: {lookup('procurement')}" in post.text, "explained for young readers"

    thanks = await red_card(bot, young("y1"), "Procurement", quoting(post))
    assert thanks.text.startswith(texts.REDCARD_THANKS.format(word="procurement"))
    assert lookup("procurement") in thanks.text, "the glossary's meaning, while they wait"

    assert await open_cards(uow_factory) == 1
    phone = await deliver(bot)
    [ask] = phone.to("org")
    assert ask.text.startswith(
        "A young person red-carded 'procurement'. Please explain it in plain words."
    )
    assert PROCUREMENT in ask.text and ask.text_entry == texts.TEXT_BOX_EXPLANATION
    assert "y1" not in ask.text, "who raised it is never told"
    assert [who for who, _ in phone.received] == ["org"]

    author = Person(bot, "org", Platform.TELEGRAM)
    await author.say(ANSWER)
    thank_you, answer = author.last
    assert thank_you.text == texts.REDCARD_THANK_YOU.format(word="procurement")
    assert answer.chat == GROUP and answer.reply_to == "41", "posted as an answer to the message"
    assert answer.text == texts.REDCARD_ANSWER.format(word="procurement", explanation=ANSWER)
    assert await open_cards(uow_factory) == 0

    [in_group_] = await bot.handle(Command(young("y2"), "whatis", "procurement"))
    assert in_group_.text == f"procurement: {ANSWER}", "the forum's own words come first"
    [elsewhere] = await bot.handle(Command(young("y2", "-200"), "whatis", "procurement"))
    assert elsewhere.text == f"procurement: {lookup('procurement')}"
    [private] = await bot.handle(Command(privately("y2"), "whatis", "procurement"))
    assert private.text == f"procurement: {lookup('procurement')}"

    later = await red_card(bot, young("y3"), "procurement", quoting(post))
    assert later.text == texts.REDCARD_EXPLAINED_BEFORE.format(
        word="procurement", explanation=ANSWER
    )
    await author.say("Thanks for having me")
    assert author.text == texts.NO_QUESTION_NOW, "with nothing waiting, words are words again"
    assert (await deliver(bot)).received == [], "asked once only"


async def test_several_young_people_on_one_word_make_one_card_and_one_question(bot, uow_factory):
    post = await post_anyway(bot, "The KPI for the youth club is how many come each week.")
    for user in ("a", "b", "c"):
        reply = await red_card(bot, young(user), "KPIs", quoting(post))
        assert reply.text.startswith(texts.REDCARD_THANKS.format(word="KPI"))
    again = await red_card(bot, young("b"), "kpi", quoting(post))
    assert again.text == texts.REDCARD_AGAIN.format(word="KPI")
    [press_a, press_b] = [
        await bot.handle(ButtonPress(young(user), red_card_of(post))) for user in ("a", "a")
    ]
    assert press_a[0].text.startswith("Thanks! Your red card is in.")
    assert press_b[0].text == texts.REDCARD_AGAIN_MESSAGE

    async with uow_factory() as uow:
        [kpi, whole] = [report.card for report in await uow.red_cards.report()]
    assert (kpi.word, kpi.raises, kpi.status) == ("KPI", 3, CardStatus.WAITING)
    assert (whole.word, whole.raises) == ("", 1)
    assert await count(uow_factory, RedCardRaiseRecord) == 4
    asks = (await deliver(bot)).to("org")
    assert len(asks) == 2, "one question per card, however many raise it"


async def test_a_card_on_the_whole_message_asks_to_say_it_again(bot, uow_factory):
    post = await post_anyway(bot, "The ICS board will review the CAMHS pathway going forward.")
    [thanks] = await bot.handle(ButtonPress(young("y1"), red_card_of(post), message_id="52"))
    assert thanks.only_for_sender and thanks.text == texts.REDCARD_THANKS_MESSAGE
    [ask] = (await deliver(bot)).to("org")
    assert ask.text.startswith(texts.REDCARD_ASK_MESSAGE)
    assert texts.REDCARD_ASK_WORDS not in ask.text, "a whole message is not a glossary word"

    author = Person(bot, "org", Platform.TELEGRAM)
    await author.say("The health teams will look again at how young people get help.")
    thank_you, answer = author.last
    assert thank_you.text == texts.REDCARD_THANK_YOU_MESSAGE
    assert answer.text.startswith("🟥 Red card on this message.")
    assert (answer.chat, answer.reply_to) == (GROUP, "52"), "the pressed message is answered"
    assert await count(uow_factory, ForumTermRecord) == 0


async def test_an_answer_must_be_one_message_of_words(bot):
    post = await post_anyway(bot, PROCUREMENT)
    await red_card(bot, young("y1"), "procurement", quoting(post))
    author = Person(bot, "org", Platform.TELEGRAM)
    for bad in ("   ", "x" * 1001):
        await author.say(bad)
        [reply] = author.last
        assert reply.text == texts.REDCARD_EXPLANATION_HOW.format(most=1000)
        assert reply.text_entry == texts.TEXT_BOX_EXPLANATION
    await author.say(ANSWER)
    assert author.last[0].text.startswith("Thank you!")


async def test_two_cards_are_answered_oldest_first_one_message_each(bot, clock):
    post = await post_anyway(bot, "The tender and the procurement both close in May.")
    await red_card(bot, young("y1"), "tender", quoting(post))
    clock.advance(minutes=5)
    await red_card(bot, young("y2"), "procurement", quoting(post))
    author = Person(bot, "org", Platform.TELEGRAM)
    await author.say("A tender is a bid to run the club.")
    _, answer, more, next_one = author.last
    assert '"tender"' in answer.text
    assert more.text == texts.REDCARD_NEXT
    assert next_one.text.startswith("A young person red-carded 'procurement'.")
    await author.say(ANSWER)
    assert '"procurement"' in author.last[1].text


async def test_an_author_who_has_not_started_the_bot_sees_the_question_on_start(bot):
    post = await post_anyway(bot, PROCUREMENT)
    await red_card(bot, young("y1"), "procurement", quoting(post))
    author = Person(bot, "org", Platform.TELEGRAM)
    await author.command("start")
    [ask] = author.last
    assert ask.text.startswith("A young person red-carded 'procurement'.")
    await author.say(ANSWER)
    assert author.last[1].chat == GROUP


async def test_an_organisers_own_message_is_red_carded_by_replying_to_it(bot, uow_factory):
    said = Quoted(
        "900", author_id="org2", author_organiser=True, text="Our KPI is the stakeholder survey."
    )
    first = await red_card(bot, young("y1"), "stakeholder", said)
    assert first.text.startswith(texts.REDCARD_THANKS.format(word="stakeholder"))
    await red_card(bot, young("y2"), "KPI", said)
    assert await count(uow_factory, AdultMessageRecord, AdultMessageRecord.kind == "chat") == 1
    phone = await deliver(bot)
    assert len(phone.to("org2")) == 2 and phone.to("org") == []

    author = Person(bot, "org2", Platform.TELEGRAM)
    await author.say("A stakeholder is anyone who cares about the club.")
    answer = author.last[1]
    assert (answer.chat, answer.reply_to) == (GROUP, "900")


async def test_a_card_on_a_deleted_or_unknown_message_is_refused_kindly(bot, uow_factory):
    post = await post_anyway(bot, PROCUREMENT)
    gone = Quoted("41", gone=True)
    assert (await red_card(bot, young("y1"), "tender", gone)).text == texts.REDCARD_GONE
    [forged] = await bot.handle(ButtonPress(young("y1"), "f:999"))
    assert forged.text == texts.REDCARD_GONE and forged.only_for_sender
    not_a_reply = await red_card(bot, young("y1"), "tender", None)
    assert not_a_reply.text == texts.REDCARD_HOW
    hello = Quoted("3", author_id="777", by_bot=True, text=texts.FORUM_HELLO)
    assert (await red_card(bot, young("y1"), "", hello)).text == texts.REDCARD_BOT_WORDS
    peer = Quoted("5", author_id="y9", text="Our procurement lol")
    assert (await red_card(bot, young("y1"), "", peer)).text == texts.REDCARD_NOT_ADULT
    assert (await red_card(bot, young("y1"), "tender", quoting(post))).text == (
        texts.REDCARD_WORD_NOT_THERE.format(word="tender")
    )
    sentence = "why do you always use such long words"
    too_long = await red_card(bot, young("y1"), sentence, quoting(post))
    assert too_long.text == texts.REDCARD_WORD_TOO_LONG
    assert await count(uow_factory, RedCardRecord) == 0, "nothing was recorded"

    async with uow_factory() as uow:
        author = await uow.participants.find_by_identity(Platform.TELEGRAM, "org")
        await uow.participants.delete(author.id)  # the adult used /forgetme
        await uow.commit()
    [after] = await bot.handle(ButtonPress(young("y1"), red_card_of(post)))
    assert after.text == texts.REDCARD_GONE
    assert await count(uow_factory, AdultMessageRecord) == 0


async def test_a_card_from_someone_not_in_the_forum_is_refused_kindly(bot, uow_factory, clock):
    post = await post_anyway(bot, PROCUREMENT)
    card = red_card_of(post)
    outsiders = [
        young("y1", group="-200"),  # the button, seen in another group
        privately("stranger"),  # someone the bot does not know
        Address(Platform.DISCORD, GROUP, "y1", private=False, group_id=GROUP),
    ]
    await Person(bot, "not-member", Platform.TELEGRAM).onboard()
    outsiders.append(privately("not-member"))
    for outsider in outsiders:
        [refused] = await bot.handle(ButtonPress(outsider, card))
        assert refused.text == texts.REDCARD_NOT_IN_FORUM and refused.only_for_sender
    assert await count(uow_factory, RedCardRecord) == 0

    async with uow_factory() as uow:
        forum = await uow.forums.find(Platform.TELEGRAM, GROUP)
        member = await uow.participants.add(Platform.TELEGRAM, "member", clock.now())
        await uow.members.add(forum.id, member.id, clock.now().date())
        await uow.commit()
    [counted] = await bot.handle(ButtonPress(privately("member"), card))
    assert counted.text == texts.REDCARD_THANKS_MESSAGE, "a member of the forum may, in private"


async def test_an_update_sent_privately_can_be_red_carded_by_those_it_was_sent_to(
    bot, uow_factory, clock
):
    """The recording API as other broadcasts use it: record, add the 🟥, queue."""
    async with uow_factory() as uow:
        forum = await uow.forums.register(Platform.TELEGRAM, GROUP, "Youth Forum", clock.now())
        reader = await uow.participants.add(Platform.TELEGRAM, "reader", clock.now())
        text = "You said the wait was too long. We changed the referral pathway."
        message_id = await record_message(
            uow,
            clock.now(),
            forum_id=forum.id,
            author=Author(Platform.TELEGRAM, "commissioner"),
            text=text,
            kind=MessageKind.UPDATE,
            broadcast="update:7",
        )
        reply = with_red_card(Reply(text), message_id)
        payload = reply_to_payload(reply)
        await uow.deliveries.queue("update:7", [reader.id], payload, NORMAL, clock.now())
        await uow.commit()
    [update] = (await deliver(bot)).to("reader")
    card = red_card_of(update)
    [thanks] = await bot.handle(
        Command(privately("reader"), "redcard", "pathway", quoted=quoting(update, "12"))
    )
    assert thanks.text.startswith(texts.REDCARD_THANKS.format(word="pathway"))
    [refused] = await bot.handle(ButtonPress(privately("someone-else"), card))
    assert refused.text == texts.REDCARD_NOT_IN_FORUM

    [ask] = (await deliver(bot)).to("commissioner")
    commissioner = Person(bot, "commissioner", Platform.TELEGRAM)
    assert "pathway" in ask.text
    await commissioner.say("A pathway is the steps you go through to get help.")
    [thank_you] = commissioner.last
    assert thank_you.text.startswith("Thank you!"), "nothing to post in a group"
    [answer] = (await deliver(bot)).to("reader")
    assert answer.text.startswith('🟥 Red card: "pathway"'), "sent back to whoever raised it"

    reader = Person(bot, "reader", Platform.TELEGRAM)
    await reader.onboard()
    await reader.command("mydata")
    assert texts.MYDATA_RED_CARDS.format(count=1) in reader.text
    await commissioner.command("mydata")
    assert texts.MYDATA_OWN_MESSAGES.format(count=1) in commissioner.text


async def test_an_author_who_never_answers_is_chased_and_the_organisers_told(
    bot, uow_factory, clock
):
    other = in_group("org2", organiser=True)
    [plain] = await bot.handle(Command(other, "announce", "See you all on Friday at six."))
    assert plain.text == "📣 See you all on Friday at six.", "plain words go out at once"
    post = await post_anyway(bot, PROCUREMENT)
    await red_card(bot, young("y1"), "procurement", quoting(post))
    await deliver(bot)

    clock.advance(hours=23)
    assert await bot.chase_red_cards() == 0
    clock.advance(hours=2)
    assert await bot.chase_red_cards() == 1
    assert await bot.chase_red_cards() == 0, "not again at once"
    phone = await deliver(bot)
    [reminder] = phone.to("org")
    assert reminder.text.startswith(texts.REDCARD_REMINDER.format(ago="25 hours"))
    assert "red-carded 'procurement'" in reminder.text and reminder.text_entry
    [told] = phone.to("org2")
    assert told.text.startswith('⏰ A red card in "Youth Forum" has waited 25 hours')
    assert '"procurement"' in told.text
    assert phone.to("y1") == [], "the young person is not bothered"

    restarted = make_bot(uow_factory, clock)
    clock.advance(hours=24)
    assert await restarted.chase_red_cards() == 1, "chased again next period, after a restart"
    [stats] = await restarted.handle(Command(other, "redcards"))
    assert stats.only_for_sender
    assert '- "procurement", for 2 days. Reminders sent: 2.' in stats.text
    [refused] = await restarted.handle(Command(young("y1"), "redcards"))
    assert refused.text == texts.ORGANISERS_ONLY

    author = Person(restarted, "org", Platform.TELEGRAM)
    await author.say(ANSWER)
    clock.advance(hours=48)
    assert await restarted.chase_red_cards() == 0, "answered cards are never chased"
    assert timedelta(hours=24) == CHASE_RED_CARDS_AFTER


async def test_statistics_per_forum_and_per_author(bot, uow_factory, clock):
    first = await post_anyway(bot, PROCUREMENT)
    other = in_group("org2", organiser=True)
    second = await post_anyway(bot, "The tender for the procurement closes soon.", by=other)
    for user in ("a", "b", "c"):
        await red_card(bot, young(user), "procurement", quoting(first))
    await red_card(bot, young("a"), "procurement", quoting(second, "42"))
    await red_card(bot, young("b"), "tender", quoting(second, "42"))
    clock.advance(hours=3)
    await Person(bot, "org", Platform.TELEGRAM).say(ANSWER)

    [stats] = await bot.handle(Command(ORGANISER, "redcards"))
    lines = stats.text.splitlines()
    assert lines[0] == '🟥 Red cards in "Youth Forum"'
    assert lines[1] == "5 raised, on 3 words or messages. 1 explained, 2 waiting."
    assert lines[2] == 'Red-carded most: "procurement" (4), "tender" (1)'
    assert lines[3] == "Time to explain: 3 hours on average."
    assert lines[-1] == "Your messages: 3 red cards, 1 explained."

    async with uow_factory() as uow:
        reports = await uow.red_cards.report()
    by_author = {r.author for r in reports}
    assert by_author == {"telegram:org", "telegram:org2"}
    mine = card_stats(r for r in reports if r.author == "telegram:org2")
    assert (mine.raised, mine.cards, mine.explained, mine.average_to_explain) == (2, 2, 0, None)


async def test_no_red_cards_yet(bot):
    [stats] = await bot.handle(Command(ORGANISER, "redcards"))
    assert stats.text == texts.REDCARDS_NONE


async def test_private_words_of_people_with_nothing_waiting_are_untouched(bot):
    person = Person(bot, "young", Platform.TELEGRAM)
    await person.onboard()
    await person.send(Text(person.address, "hello"))
    assert person.text == texts.NO_QUESTION_NOW
