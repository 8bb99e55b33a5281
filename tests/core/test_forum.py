import asyncio

from core import texts
from core.buttons import parse_button
from core.messages import Address, ButtonPress, Command, JoinedGroup, Platform


def member(user: str, organiser: bool = False, chat: str = "-100") -> Address:
    return Address(Platform.TELEGRAM, chat, user, private=False, group_id=chat, organiser=organiser)


ORGANISER = member("1", organiser=True)


async def post_poll(core, argument="Best day? | Monday | Friday | Sunday"):
    [reply] = await core.handle(Command(ORGANISER, "poll", argument))
    return reply


def option_ids(reply):
    return [b.id for b in reply.all_buttons() if parse_button(b.id).action.value == "v"]


async def test_joining_a_group_registers_a_forum_once(core, uow):
    [hello] = await core.handle(JoinedGroup(ORGANISER, "Youth Forum"))
    assert "Youth Forum" in hello.text
    await core.handle(JoinedGroup(ORGANISER, "Youth Forum (renamed)"))
    async with uow() as unit:
        forum = await unit.forums.register(Platform.TELEGRAM, "-100", "", hello_time())
    assert forum.title == "Youth Forum (renamed)", "an empty title never overwrites the name"


def hello_time():
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_poll_counts_one_vote_per_member_and_a_change_replaces(core):
    poll = await post_poll(core)
    assert poll.text.startswith("Quick poll: Best day?")
    monday, friday, sunday = option_ids(poll)
    votes = [(str(n), monday if n < 12 else friday) for n in range(20)]
    replies = await asyncio.gather(
        *(core.handle(ButtonPress(member(user), button)) for user, button in votes * 2)
    )
    assert all(r[0].only_for_sender for r in replies)
    [changed] = await core.handle(ButtonPress(member("0"), sunday))
    assert changed.text == texts.VOTE_CHANGED.format(option="Sunday")
    [results] = await core.handle(Command(member("5"), "results"))
    assert "Monday: 11" in results.text
    assert "Friday: 8" in results.text
    assert "Sunday: 1" in results.text
    assert "20 people voted." in results.text


async def test_a_double_press_counts_once_and_says_so(core):
    monday = option_ids(await post_poll(core))[0]
    [first] = await core.handle(ButtonPress(member("7"), monday))
    [second] = await core.handle(ButtonPress(member("7"), monday))
    assert first.text == texts.VOTE_COUNTED.format(option="Monday")
    assert second.text == texts.VOTE_SAME.format(option="Monday")


async def test_closing_shows_final_results_and_refuses_late_votes(core):
    friday = option_ids(await post_poll(core))[1]
    await core.handle(ButtonPress(member("7"), friday))
    [final] = await core.handle(Command(ORGANISER, "endpoll"))
    assert final.text.startswith("Final results: Best day?")
    assert "Friday: 1" in final.text and "1 person voted." in final.text
    [late] = await core.handle(ButtonPress(member("8"), friday))
    assert late.text == texts.POLL_CLOSED
    [again] = await core.handle(Command(ORGANISER, "endpoll"))
    assert again.text == texts.NO_OPEN_POLL


async def test_results_button_updates_the_poll_message_in_place(core):
    poll = await post_poll(core)
    *_, results, red_card = poll.all_buttons()
    await core.handle(ButtonPress(member("3"), option_ids(poll)[2]))
    [shown] = await core.handle(ButtonPress(member("4"), results.id))
    assert shown.replace and "Sunday: 1" in shown.text
    assert option_ids(shown) == option_ids(poll), "people can still vote from the same message"
    assert shown.all_buttons()[-1] == red_card, "and red-card it"


async def test_non_organisers_are_refused_and_nothing_is_created(core, uow):
    for name, argument in (("poll", "Q? | a | b"), ("endpoll", ""), ("invite", "sample")):
        [refusal] = await core.handle(Command(member("9"), name, argument))
        assert refusal.text == texts.ORGANISERS_ONLY and refusal.only_for_sender
    [none] = await core.handle(Command(member("9"), "results"))
    assert none.text == texts.NO_POLL


async def test_bad_poll_commands_explain_how(core):
    for argument in ("", "Only a question", "Q? | one", "Q? | a | A", "Q? | " + "x" * 61 + " | b"):
        [reply] = await core.handle(Command(ORGANISER, "poll", argument))
        assert reply.only_for_sender and reply.text.startswith("How to ask a quick question")


async def test_invitation_opens_a_private_chat_into_the_consultation(core):
    [held] = await core.handle(Command(ORGANISER, "invite", "sample"))
    assert held.text.startswith(texts.DRAFT_HELD) and '"consultation"' in held.text
    send = held.all_buttons()[0].id
    [sent, invite] = await core.handle(ButtonPress(ORGANISER, send))
    assert sent.text == texts.DRAFT_SENT
    assert f"{texts.WORDS_EXPLAINED}\nconsultation: " in invite.text
    [button, red_card] = invite.all_buttons()
    assert button.private_start == "sample"
    assert red_card.label == texts.BUTTON_RED_CARD
    assert '"Sample"' in invite.text
    [unknown] = await core.handle(Command(ORGANISER, "invite", "nope"))
    assert "sample - Sample" in unknown.text and unknown.only_for_sender


async def test_forged_poll_buttons_are_refused_kindly(core):
    poll = await post_poll(core)
    for forged in ("v:999999:0", option_ids(poll)[0][:-1] + "9", "q:424242"):
        [reply] = await core.handle(ButtonPress(member("2"), forged))
        assert reply.only_for_sender
        assert reply.text == texts.OLD_BUTTON_NO_SESSION


async def test_group_help_shows_organiser_commands_to_organisers_only(core):
    [for_member] = await core.handle(Command(member("2"), "help"))
    [for_organiser] = await core.handle(Command(ORGANISER, "help"))
    assert "/poll" not in for_member.text
    assert "/poll" in for_organiser.text
