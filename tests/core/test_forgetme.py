"""/forgetme and ``yousaid person forget`` erase a person everywhere in one transaction.

Every table is searched (through schema inspection, so new tables are searched too) for the
person's platform id, their typed words, and anything made from their id (quick-poll voter
keys, the audit pseudonym). Anonymous counts, poll totals, ballot turnout and the ballot box
stay exactly as they were.
"""

import json

import pytest

from core import texts
from core.forum_flow import voter_key
from core.messages import Address, ButtonPress, Command, Platform, Reply
from core.roles import pseudonym
from tests.core.ballot_helpers import receipt_of
from tests.core.chat import Person, invite_code
from tests.core.privacy_helpers import Clock, started
from tests.dialogs.sample import SAMPLE
from tests.storage_scan import all_rows, holding

USER = "7319025"
STORY = "Ward cat Biscuit"
REASON = "Nurse Priya explains"
GROUP = "-100900"
ORGANISER = Address(Platform.TELEGRAM, GROUP, "555", private=False, group_id=GROUP, organiser=True)
IN_GROUP = Address(Platform.TELEGRAM, GROUP, USER, private=False, group_id=GROUP)


@pytest.fixture
async def running(database_url):
    async with started(database_url, Clock()) as (core, engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        yield core, engine


async def as_organiser(core, name, argument="", where=ORGANISER):
    return await core.handle(Command(where, name, argument))


async def answer_sample(person, reason=REASON, story=STORY):
    await person.command("consult", "sample")
    await person.press("2")
    await person.press("4")
    await person.press("2")
    await person.press("1")
    await person.press("done")
    await person.press("3")
    await person.say(reason)
    await person.say(story)
    assert "Thanks!" in person.text


async def totals(core, engine, polls, ballots):
    answers = await core.answer_totals("sample")
    async with core._uow_factory() as uow:
        return {
            "answers": answers,
            "polls": [await uow.polls.counts(poll) for poll in polls],
            "turnout": [await uow.ballots.roll_counts(ballot) for ballot in ballots],
            "box": [sorted(map(json.dumps, await uow.ballots.box(b))) for b in ballots],
            "receipts": [await uow.ballots.receipts(ballot) for ballot in ballots],
        }


def participant_rows(rows, participant_id):
    """Rows in any table that point at the participant by number."""
    return [
        (table, column)
        for table, found in rows.items()
        for row in found
        for column, value in row.items()
        if (column == "participant_id" or (table == "participants" and column == "id"))
        and value == participant_id
    ]


async def test_forgetme_leaves_nothing_of_the_person_anywhere_and_keeps_every_total(running):
    core, engine = running
    person = Person(core, USER, Platform.TELEGRAM)
    await person.onboard()
    await answer_sample(person)
    others = [Person(core, f"other{n}", Platform.TELEGRAM) for n in range(2)]
    for other in others:
        await other.onboard()
        await answer_sample(other, "They listen well", "More games")

    [poll] = await as_organiser(core, "poll", "Pizza? | Yes | No")
    for voter, option in ((IN_GROUP, 0), (others[0].address, 1)):
        group_voter = Address(Platform.TELEGRAM, GROUP, voter.user_id, False, GROUP)
        await core.handle(ButtonPress(group_voter, poll.buttons[option][0].id))
    poll_id = int(poll.buttons[0][0].id.split(":")[1])

    [members] = await as_organiser(core, "members")
    join = members.all_buttons()[0].private_start
    for voter in (person, *others):
        await voter.command("start", join)
    [first] = await as_organiser(core, "ballot", "Chair? | Sam | Alex")
    await person.command("start", first.all_buttons()[0].private_start)
    await person.press("1")
    await person.press("cast")
    receipt = receipt_of(person.text)
    await others[0].command("start", first.all_buttons()[0].private_start)
    await others[0].press("2")
    await others[0].press("cast")
    [second] = await as_organiser(core, "ballot", "Trip? | Zoo | Beach")
    await person.command("start", second.all_buttons()[0].private_start)
    await person.press("2")  # a draft, not cast

    await person.command("link")  # a live link code
    refused = await core.handle(Command(IN_GROUP, "poll", "Mine? | a | b"))
    assert refused == [Reply(texts.ORGANISERS_ONLY, only_for_sender=True)]
    elsewhere = Address(Platform.TELEGRAM, "-100902", USER, False, "-100902", organiser=True)
    await core.handle(Command(elsewhere, "moderate", "on"))  # gets that forum's reports
    async with core._uow_factory() as uow:
        me = await uow.participants.find_by_identity(Platform.TELEGRAM, USER)
    await core.queue_broadcast("news", [me.id], Reply("Hello"))

    rows = await all_rows(engine)
    ballots = sorted(row["id"] for row in rows["ballots"])
    needles = [USER, STORY, REASON, voter_key(poll_id, "telegram", USER)]
    needles.append(pseudonym("telegram", USER))
    kinds = {table for table, _, _ in holding(rows, needles)}
    assert kinds >= {"platform_identities", "answers", "poll_votes", "audit_log"}
    tables_with_me = {table for table, _ in participant_rows(rows, me.id)}
    assert tables_with_me >= {
        "participants",
        "consent_records",
        "dialog_sessions",
        "forum_members",
        "ballot_roll",
        "ballot_drafts",
        "link_codes",
        "deliveries",
        "forum_moderators",
    }, "the test sets up every kind of personal data"
    before = await totals(core, engine, [poll_id], ballots)
    people_before = len(rows["participants"])

    await person.command("forgetme")
    await person.press_id(person.last[0].buttons[0][0].id)
    assert person.text == texts.FORGETME_DONE

    rows = await all_rows(engine)
    assert holding(rows, needles) == []
    assert participant_rows(rows, me.id) == []
    assert await totals(core, engine, [poll_id], ballots) == before
    assert receipt in before["receipts"][0], "the receipt list is unchanged too"
    assert len(rows["participants"]) == people_before - 1, "the others are untouched"


async def test_an_under_13_who_forgets_leaves_the_used_code_but_no_agreement(running):
    core, engine = running
    code = await invite_code(core)
    child = Person(core, "kid-forgets")
    await child.onboard_under_13(code)
    await child.command("forgetme")
    await child.press_id(child.last[0].buttons[0][0].id)
    rows = await all_rows(engine)
    assert rows["guardian_consents"] == [] and rows["forum_members"] == []
    assert [row["used_at"] is not None for row in rows["invite_codes"]] == [True]
    again = Person(core, "kid-again")
    await again.command("start")
    await again.press("1")
    await again.press("1")
    await again.say(code)
    assert again.text.startswith(texts.INVITE_CODE_USED), "a used code stays used"


async def test_the_command_line_exports_and_erases_a_person_as_the_chat_does(running):
    core, engine = running
    person = Person(core, USER, Platform.TELEGRAM)
    await person.onboard()
    await answer_sample(person)
    record = await core.person_data(Platform.TELEGRAM, USER)
    [mydata] = await person.command("mydata")
    assert record["chat_accounts"] == [{"platform": "telegram", "user_id": USER}]
    assert record["dialogs"] == json.loads(mydata.attachment.content)["dialogs"]
    assert texts.MYDATA_SAFETY in mydata.text
    before = await core.answer_totals("sample")
    assert await core.forget_person(Platform.TELEGRAM, USER)
    assert holding(await all_rows(engine), [USER, STORY, REASON]) == []
    assert await core.answer_totals("sample") == before
    assert await core.person_data(Platform.TELEGRAM, USER) is None
    assert not await core.forget_person(Platform.TELEGRAM, USER)
