"""Secret ballots end to end through the core, on SQLite and PostgreSQL."""

import pytest

from core import texts
from core.ballots import OPENING, RESULTS
from core.domain import Electorate
from core.messages import Command, Platform, Reply
from tests.core.ballot_helpers import (
    GROUP,
    ORGANISER,
    Clock,
    add_members,
    ballot_buttons,
    in_group,
    make_bot,
    open_ballot,
    receipt_of,
    vote,
)

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def bot(uow_factory, clock):
    return make_bot(uow_factory, clock)


async def close_and_announce(bot, clock):
    clock.advance(days=2)
    announcements = await bot.close_due_ballots()
    results = [a for a in announcements if a.kind == RESULTS]
    assert len(results) == 1
    [announcement] = results
    await bot.mark_announced(announcement.ballot_id, announcement.kind)
    assert await bot.close_due_ballots() == [], "announced once"
    return announcement


async def test_plurality_open_vote_close_and_announce(bot, uow_factory, clock):
    people = await add_members(bot, uow_factory, [f"p{n}" for n in range(7)])
    announcement, payload = await open_ballot(bot, "Best day? | Monday | Friday | Sunday")
    assert announcement.text.startswith("🗳 Secret vote: Best day?")
    assert texts.METHOD_EXPLAINED["plurality"] in announcement.text
    assert "Voting closes on Tue 3 Mar at 12:00." in announcement.text, "default: one day"
    receipts = []
    for person, key in zip(people[:6], "112223", strict=True):
        await person.command("start", payload)
        assert texts.BALLOT_SECRET in person.text
        assert texts.BALLOT_PLATFORM_SEES.format(platform="Telegram") in person.text
        await person.press(key)
        assert "You chose:" in person.text and person.last[0].replace
        await person.press("cast")
        receipts.append(receipt_of(person.text))

    result = await close_and_announce(bot, clock)
    assert result.platform == Platform.TELEGRAM and result.chat_id == "-100"
    text = result.reply.text
    assert text.startswith("🗳 Results of the secret vote: Best day?")
    assert "Chosen: Friday" in text
    assert "Monday: 2\nFriday: 3\nSunday: 1" in text
    assert "6 votes were counted." in text
    assert "6 of the 7 people who could vote are marked as having voted." in text
    listed = text.split(texts.BALLOT_RECEIPTS + "\n")[1].splitlines()
    assert listed == sorted(receipts)
    assert result.reply.image is not None and result.reply.image.startswith(PNG)

    [again] = await bot.handle(Command(in_group("p0"), "results"))
    assert again.text == text, "/results shows the same results after close"


@pytest.mark.parametrize(
    ("method", "votes", "chosen", "more"),
    [
        (
            "approval",
            [
                ["1", "2", "done"],
                ["2", "done"],
                ["1", "3", "done"],
                ["2", "3", "done"],
                ["2", "done"],
            ],
            "Chosen: Friday",
            ["Monday: 2\nFriday: 4\nSunday: 2"],
        ),
        (
            "irv",
            # first choices: Mon 2, Fri 2, Sun 1; Sunday goes out and passes to Friday.
            [
                ["1", "done"],
                ["1", "2", "done"],
                ["2", "1", "done"],
                ["2", "done"],
                ["3", "2", "done"],
            ],
            "Chosen: Friday",
            [
                "Round 1: Monday 2, Friday 2, Sunday 1. Sunday went out.",
                "Round 2: Friday 3, Monday 2. Friday chosen.",
            ],
        ),
    ],
)
async def test_each_method_counts_and_shows_its_working(
    bot, uow_factory, clock, method, votes, chosen, more
):
    people = await add_members(bot, uow_factory, [f"p{n}" for n in range(len(votes))])
    _, payload = await open_ballot(bot, f"{method} Best day? | Monday | Friday | Sunday")
    for person, keys in zip(people, votes, strict=True):
        receipt_of(await vote(person, payload, keys))
    text = (await close_and_announce(bot, clock)).reply.text
    assert chosen in text
    for line in more:
        assert line in text, text


async def test_stv_fills_several_seats_with_a_round_table_and_re_open_nominations(
    bot, uow_factory, clock
):
    votes = [["1", "2"], ["1", "3"], ["1", "2"], ["2", "3"], ["3", "2"], ["3", "1"], ["4"]]
    people = await add_members(bot, uow_factory, [f"p{n}" for n in range(len(votes))])
    announcement, payload = await open_ballot(
        bot, "stv seats=2 +ron turnout=3 Who should speak? | Sam | Alex | Jo"
    )
    assert "4. Re-open nominations (none of these)" in announcement.text
    assert "2 options will be chosen" in announcement.text
    for person, keys in zip(people, votes, strict=True):
        receipt_of(await vote(person, payload, [*keys, "done"]))
    result = await close_and_announce(bot, clock)
    text = result.reply.text
    assert "Chosen: Sam and Jo" in text, text
    assert "Round 1: Sam 3, Jo 2, Alex 1, Re-open nominations (none of these) 1." in text
    assert "To be chosen, an option needed 3 votes." in text
    assert result.reply.image.startswith(PNG)


async def test_below_the_turnout_nothing_is_shown_and_the_choices_are_not_kept(
    bot, uow_factory, clock
):
    people = await add_members(bot, uow_factory, ["a", "b", "c", "d"])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    receipts = [receipt_of(await vote(person, payload, ["1"])) for person in people[:3]]
    result = await close_and_announce(bot, clock)
    text = result.reply.text
    assert "Not enough people voted to show results: 3 of the needed 5." in text
    assert "Monday" not in text and "Chosen" not in text
    assert "3 of the 4 people who could vote" in text
    assert all(receipt in text for receipt in receipts), "receipts are still listed"
    assert result.reply.image is None
    async with uow_factory() as uow:
        assert await uow.ballots.box(result.ballot_id) == [(None, 3)]


async def test_ranking_by_taps_with_undo_start_again_and_review(bot, uow_factory):
    [sam] = await add_members(bot, uow_factory, ["sam"])
    _, payload = await open_ballot(bot, "irv turnout=1 Trip? | Zoo | Beach | Museum | Park")
    await sam.command("start", payload)
    assert "Tap the options in order" in sam.text
    await sam.press("3")  # Museum
    await sam.press("1")  # Zoo
    assert "Your order so far:\n1. Museum\n2. Zoo" in sam.text
    assert "Museum" not in sam.labels and "Zoo" not in sam.labels, "placed options leave"
    await sam.press("undo")
    assert "Your order so far:\n1. Museum" in sam.text and "Zoo" in sam.labels
    await sam.press("again")
    assert "so far" not in sam.text and len(ballot_buttons(sam)) == 5  # 4 options and Done
    for key in ("2", "4", "1", "3"):
        await sam.press(key)
    assert "You chose:\n1. Beach\n2. Park\n3. Zoo\n4. Museum" in sam.text, "all placed: review"
    await sam.press("change")
    assert "Your order so far:\n1. Beach\n2. Park\n3. Zoo\n4. Museum" in sam.text
    assert "You chose" not in sam.text
    await sam.press("undo")
    await sam.press("undo")
    await sam.press("done")
    assert "You chose:\n1. Beach\n2. Park" in sam.text, "a ranking may stop early"
    await sam.press("cast")
    assert sam.text.startswith("Your vote is counted.")
    await sam.command("start", payload)
    assert sam.text == texts.BALLOT_ALREADY_COUNTED


async def test_approval_ticks_several_and_done_needs_one(bot, uow_factory):
    [amy] = await add_members(bot, uow_factory, ["amy"])
    _, payload = await open_ballot(bot, "approval Snacks? | Fruit | Crisps | Toast")
    await amy.command("start", payload)
    await amy.press("done")
    assert texts.BALLOT_PICK_FIRST in amy.text
    await amy.press("1")
    await amy.press("3")
    await amy.press("2")
    await amy.press("2")  # untick
    assert "✅ Fruit" in amy.labels and "▫️ Crisps" in amy.labels and "✅ Toast" in amy.labels
    await amy.press("done")
    assert "You chose:\n- Fruit\n- Toast" in amy.text


async def test_forged_stale_and_other_peoples_buttons_are_refused(bot, uow_factory):
    amy, ben = await add_members(bot, uow_factory, ["amy", "ben"])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    await amy.command("start", payload)
    amys_monday = amy.button("1")
    await ben.command("start", payload)
    [refused] = await ben.press_id(amys_monday)
    assert refused.text.startswith(texts.BALLOT_OLD_BUTTON), "someone else's button"
    assert "You chose" not in refused.text
    await amy.command("start", payload)  # a new screen: the old one's buttons are stale
    [stale] = await amy.press_id(amys_monday)
    assert stale.text.startswith(texts.BALLOT_OLD_BUTTON)
    ballot_token = payload[1:]
    for forged in (
        f"b:{'A' * 22}:{'B' * 11}:0",  # no such ballot
        f"b:{ballot_token}:{'B' * 11}:0",  # no such draft
        f"b:{ballot_token}:{'B' * 11}:99",
        f"b:{ballot_token}:o:o",
        "b:short:x:0",
    ):
        [reply] = await amy.press_id(forged)
        assert "You chose" not in reply.text and "counted" not in reply.text, forged
    await amy.command("start", payload)
    await amy.press("1")
    [cast_elsewhere] = await ben.press_id(amy.button("cast"))
    assert cast_elsewhere.text.startswith(texts.BALLOT_OLD_BUTTON)
    async with uow_factory() as uow:
        ballot = await uow.ballots.by_token(ballot_token)
        assert await uow.ballots.box(ballot.id) == []


async def test_results_stay_hidden_while_the_ballot_is_open(bot, uow_factory, clock):
    people = await add_members(bot, uow_factory, [f"p{n}" for n in range(6)])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    for person in people:
        await vote(person, payload, ["1"])
    for address in (in_group("p1"), ORGANISER):
        [reply] = await bot.handle(Command(address, "results"))
        assert reply.text == texts.BALLOT_RESULTS_LATER.format(
            question="Best day?", closes="on Tue 3 Mar at 12:00"
        )
    assert await bot.close_due_ballots() == []
    [refused] = await bot.handle(Command(in_group("p1"), "endballot"))
    assert refused.text == texts.ORGANISERS_ONLY
    [final] = await bot.handle(Command(ORGANISER, "endballot"))
    assert "Chosen: Monday" in final.text and final.image.startswith(PNG)
    assert await bot.close_due_ballots() == [], "/endballot announced it already"
    [late] = await people[0].command("start", payload)
    assert late.text == texts.BALLOT_HAS_CLOSED


async def test_a_ballot_needs_members_and_a_readable_command(bot, uow_factory):
    [reply] = await bot.handle(Command(ORGANISER, "ballot", "Best day? | Monday | Friday"))
    assert reply.text == texts.BALLOT_NO_MEMBERS and reply.only_for_sender
    await add_members(bot, uow_factory, ["amy"])
    for argument in (
        "",
        "Q? | one",
        "Q? | a | A",
        "irv seats=2 Q? | a | b | c",
        "9999d Q? | a | b",
    ):
        [how] = await bot.handle(Command(ORGANISER, "ballot", argument))
        assert how.only_for_sender and "How to start a secret vote" in how.text, argument


async def test_joining_from_the_members_button_onboards_first(bot, uow_factory, clock):
    from tests.core.chat import Person

    [post] = await bot.handle(Command(ORGANISER, "members"))
    [button] = post.all_buttons()
    assert button.private_start.startswith("j") and "0 people have joined" in post.text
    newcomer = Person(bot, "new", Platform.TELEGRAM)
    await newcomer.command("start", button.private_start)
    assert "Question 1 of 4" in newcomer.text
    await newcomer.press("1")
    await newcomer.press("3")  # 16 or 17: Telegram needs 16
    await newcomer.press("2")
    assert "You're now a member of" in newcomer.text
    await newcomer.command("start", button.private_start)
    assert newcomer.text.startswith("You're already a member")
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    assert receipt_of(await vote(newcomer, payload, ["2"]))


async def test_members_who_join_after_the_roll_froze_cannot_vote_in_that_ballot(bot, uow_factory):
    await add_members(bot, uow_factory, ["early"])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    [late] = await add_members_later(bot, uow_factory, "late")
    await late.command("start", payload)
    assert late.text == texts.BALLOT_NOT_ON_LIST


async def add_members_later(bot, uow_factory, user):
    from tests.core.chat import Person

    person = Person(bot, user, Platform.TELEGRAM)
    await person.onboard()
    [post] = await bot.handle(Command(ORGANISER, "members"))
    await person.command("start", post.all_buttons()[0].private_start)
    assert person.text.startswith("You're now a member")
    return [person]


async def test_a_scheduled_ballot_freezes_its_roll_when_it_opens(bot, uow_factory, clock):
    await add_members(bot, uow_factory, ["amy"])
    ballot, reply, codes = await bot.open_ballot(
        Platform.TELEGRAM,
        "-100",
        "-100",
        "Best day?",
        ["Monday", "Friday"],
        opens_at=clock.now().replace(hour=18),
        closes_at=clock.now().replace(day=5),
        min_turnout=1,
    )
    assert codes == [] and "Voting opens on Mon 2 Mar at 18:00" in reply.text
    [opening] = await bot.close_due_ballots()
    assert opening.kind == OPENING and opening.reply.text == reply.text
    await bot.mark_announced(ballot.id, OPENING)
    [late] = await add_members_later(bot, uow_factory, "ben")
    payload = f"b{ballot.token}"
    await late.command("start", payload)
    assert late.text.startswith("This vote hasn't opened yet. It opens on Mon 2 Mar at 18:00.")
    clock.advance(hours=7)
    assert await bot.close_due_ballots() == []
    assert receipt_of(await vote(late, payload, ["1"])), "a member when voting opened"


async def test_invite_codes_put_one_person_each_on_the_roll(bot, uow_factory, clock):
    from tests.core.chat import Person

    ballot, _, codes = await bot.open_ballot(
        Platform.DISCORD,
        "guild",
        "channel",
        "Best day?",
        ["Monday", "Friday"],
        electorate=Electorate.CODES,
        codes=2,
        min_turnout=1,
    )
    assert len(codes) == 2 and len(set(codes)) == 2
    amy, ben, cat = (Person(bot, name, Platform.DISCORD) for name in ("amy", "ben", "cat"))
    for person in (amy, ben):
        await person.onboard()
    await cat.command("start")
    await cat.command("vote", codes[1])
    assert "Question 1 of 4" in cat.text, "onboarding first, then the code"
    await amy.command("start", f"b{ballot.token}")
    assert amy.text == texts.BALLOT_NEEDS_CODE
    await amy.command("vote", codes[0].lower().replace("-", " "))
    assert texts.BALLOT_PLATFORM_SEES.format(platform="Discord") in amy.text
    await amy.command("vote", codes[1])
    assert texts.BALLOT_SECRET in amy.text, "already on the roll: the second code is not used"
    await ben.command("vote", codes[0])
    assert ben.text == texts.CODE_USED
    await ben.command("vote", "ZZZZZ-ZZZZZ")
    assert ben.text == texts.CODE_UNKNOWN
    await cat.press("1")
    await cat.press("2")
    await cat.press("2")
    assert texts.BALLOT_SECRET in cat.text, "the code was used when onboarding ended"
    await cat.press("2")
    await cat.press("cast")
    receipt_of(cat.text)
    await ben.command("start", f"k{codes[1]}")
    assert ben.text == texts.CODE_USED
    await ben.command("vote")
    assert ben.text == texts.BALLOT_NONE_FOR_YOU
    await amy.command("vote")
    await amy.press("1")
    await amy.press("cast")
    result = await close_and_announce(bot, clock)
    assert result.platform == Platform.DISCORD and result.chat_id == "channel"
    assert "2 of the 2 people who could vote" in result.reply.text


async def test_results_are_announced_after_a_restart(bot, uow_factory, clock):
    people = await add_members(bot, uow_factory, [f"p{n}" for n in range(5)])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    for person in people:
        await vote(person, payload, ["2"])
    clock.advance(days=2)
    first = await bot.close_due_ballots()
    assert [a.kind for a in first] == [RESULTS]
    restarted = make_bot(uow_factory, clock)  # the announcement was never marked as sent
    [again] = await restarted.close_due_ballots()
    assert again.reply.text == first[0].reply.text


async def test_my_data_shows_forums_and_votes_but_never_the_choice(bot, uow_factory):
    import json

    [amy] = await add_members(bot, uow_factory, ["amy"])
    _, payload = await open_ballot(bot, "Best day? | Monday | Friday")
    await amy.command("mydata")
    assert 'You can vote in the secret vote "Best day?"' in amy.text
    await vote(amy, payload, ["2"])
    [shown] = await amy.command("mydata")
    data = json.loads(shown.attachment.content)
    assert data["secret_votes"] == [{"question": "Best day?", "voted": True}]
    assert data["forums"] == [{"title": "Youth Forum", "joined_on": "2026-03-02"}]
    assert "Friday" not in shown.text and "Friday" not in shown.attachment.content.decode()


class Poster:
    """A chat that takes posts, or refuses them while ``down``."""

    def __init__(self) -> None:
        self.down = False
        self.posts: list[tuple[str, Reply]] = []

    async def post(self, chat_id: str, reply: Reply) -> bool:
        if self.down:
            return False
        self.posts.append((chat_id, reply))
        return True


async def test_announcements_not_posted_are_posted_next_time(bot, uow_factory, clock):
    await add_members(bot, uow_factory, ["amy"])
    await bot.open_ballot(Platform.TELEGRAM, GROUP, GROUP, "Best day?", ["Mon", "Fri"])
    await bot.open_ballot(Platform.DISCORD, "9", "10", "Best time?", ["Noon", "Six"])
    telegram = Poster()
    telegram.down = True
    assert await bot.announce_ballots({Platform.TELEGRAM: telegram}) == 0
    telegram.down = False
    assert await bot.announce_ballots({Platform.TELEGRAM: telegram}) == 1
    [(chat, opening)] = telegram.posts
    assert chat == GROUP and opening.text.startswith("🗳 Secret vote: Best day?")
    clock.advance(days=2)
    assert await bot.announce_ballots({Platform.TELEGRAM: telegram}) == 1
    assert telegram.posts[-1][1].text.startswith(texts.BALLOT_RESULTS.format(question="Best day?"))
    discord = Poster()
    assert await bot.announce_ballots({Platform.DISCORD: discord}) == 1, "left for its platform"
    [(_, results)] = discord.posts
    assert results.text.startswith(texts.BALLOT_RESULTS.format(question="Best time?"))
    assert await bot.announce_ballots({Platform.TELEGRAM: telegram, Platform.DISCORD: discord}) == 0
