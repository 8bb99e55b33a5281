"""You said, we did: outcomes written by commissioners, thank-yous to contributors only,
feedback counted once per person, plain words required, and /myrecord."""

import json

import pytest

from core import texts
from core.buttons import Action, TokenButton, parse_token_button
from core.domain import OutcomeStatus
from core.messages import Address, Platform
from core.outcomes import OutcomeChange, OutcomeError, OutcomeWords
from core.roles import RoleSettings
from core.safeguarding import Lead
from tests.core.chat import Person, delivered
from tests.core.privacy_helpers import Clock, started
from tests.dialogs.sample import SAMPLE

COMMISSIONER = Address(Platform.TELEGRAM, "77", "77")
ROLES = RoleSettings(commissioners=(Lead(Platform.TELEGRAM, "77"),))
WORDS = OutcomeWords(
    you_said="You want a quiet room on the ward.",
    we_did="We made a quiet room next to the lift.",
    next_steps="We will ask you how it works in the spring.",
)


@pytest.fixture
async def running(database_url):
    async with started(database_url, Clock(), roles=ROLES) as (core, _engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        yield core


async def answered(core, user, choice="1", contact_key="2"):
    person = Person(core, user)
    await person.onboard(contact_key=contact_key)
    await person.command("consult", "sample")
    await person.press(choice)
    return person


async def test_only_contributors_who_still_hear_from_us_are_thanked(running):
    core = running
    await answered(core, "ana")
    await answered(core, "ben")
    stopped = await answered(core, "cat")
    await stopped.command("stop")
    await answered(core, "dev", contact_key="3")
    await Person(core, "eve").onboard()
    outcome = await core.add_outcome(COMMISSIONER, "sample", WORDS, OutcomeStatus.DONE, 100)
    phone = await delivered(core)
    assert {who for who, _ in phone.received} == {"ana", "ben"}
    [thanks] = phone.to("ana")
    assert thanks.text.startswith(texts.OUTCOME_THANKS["done"].format(title="Sample"))
    assert WORDS.you_said in thanks.text and WORDS.we_did in thanks.text
    assert WORDS.next_steps in thanks.text and "100%" in thanks.text
    assert [b.label for b in thanks.all_buttons()] == ["👍", "😐", "👎"]
    assert outcome.status == OutcomeStatus.DONE


async def test_a_linked_outcome_thanks_only_who_answered_those_questions(running):
    core = running
    await answered(core, "ana", choice="1")
    waited = await answered(core, "ben", choice="2")
    await waited.press("3")
    await core.add_outcome(COMMISSIONER, "sample", WORDS, question_ids=["mood"])
    phone = await delivered(core)
    assert [who for who, _ in phone.received] == ["ben"]
    with pytest.raises(OutcomeError, match="no question called nope"):
        await core.add_outcome(COMMISSIONER, "sample", WORDS, question_ids=["nope"])


async def test_a_new_stage_thanks_again_and_other_changes_do_not(running):
    core = running
    await answered(core, "ana")
    outcome = await core.add_outcome(COMMISSIONER, "sample", WORDS)
    assert len((await delivered(core)).received) == 1
    await core.update_outcome(COMMISSIONER, outcome.id, OutcomeChange(progress=40))
    assert (await delivered(core)).received == []
    changed = await core.update_outcome(
        COMMISSIONER, outcome.id, OutcomeChange(status=OutcomeStatus.IN_PROGRESS, progress=60)
    )
    assert (changed.status, changed.progress) == (OutcomeStatus.IN_PROGRESS, 60)
    [(_, again)] = (await delivered(core)).received
    assert texts.OUTCOME_THANKS["in_progress"].format(title="Sample") in again.text
    assert "60%" in again.text
    with pytest.raises(OutcomeError, match="0 to 100"):
        await core.update_outcome(COMMISSIONER, outcome.id, OutcomeChange(progress=101))


async def test_feedback_is_counted_once_per_person_and_only_from_those_thanked(running):
    core = running
    ana = await answered(core, "ana")
    ben = await answered(core, "ben")
    eve = Person(core, "eve")
    await eve.onboard()
    await core.add_outcome(COMMISSIONER, "sample", WORDS)
    phone = await delivered(core)
    up, _, down = [b.id for b in phone.to("ana")[0].all_buttons()]
    [first] = await ana.press_id(up)
    assert first.text == texts.OUTCOME_FEEDBACK_THANKS
    [second] = await ana.press_id(down)
    assert second.text == texts.OUTCOME_FEEDBACK_BEFORE
    await ben.press_id(phone.to("ben")[0].all_buttons()[2].id)
    [refused] = await eve.press_id(up)
    assert refused.text == texts.OUTCOME_FEEDBACK_NOT_YOURS
    [(outcome, counts)] = await core.outcomes("sample")
    assert counts == {"u": 1, "d": 1}
    [mydata] = await ana.command("mydata")
    assert texts.MYDATA_OUTCOME_FEEDBACK.format(count=1) in mydata.text
    assert json.loads(mydata.attachment.content)["outcome_feedback"] == [
        {"outcome": outcome.id, "answer": "👍"}
    ]
    await ana.command("forgetme")
    await ana.press_id(ana.last[0].buttons[0][0].id)
    [(_, counts)] = await core.outcomes("sample")
    assert counts == {"d": 1}, "feedback goes with the person"


async def test_jargon_is_refused_kindly_and_nothing_is_sent(running):
    core = running
    await answered(core, "ana")
    jargon = OutcomeWords(
        you_said="You want more say.",
        we_did="We will leverage stakeholder synergies going forward.",
        next_steps="A KPI review in Q3.",
    )
    with pytest.raises(OutcomeError) as refused:
        await core.add_outcome(COMMISSIONER, "sample", jargon)
    assert str(refused.value).startswith(texts.OUTCOME_NOT_PLAIN)
    assert await core.outcomes("sample") == []
    assert (await delivered(core)).received == []


async def test_only_commissioners_and_admins_may_write(running):
    core = running
    someone = Address(Platform.TELEGRAM, "31", "31")
    with pytest.raises(OutcomeError, match=texts.ORGANISERS_ONLY[:20]):
        await core.add_outcome(someone, "sample", WORDS)
    assert await core.outcomes("sample") == []


async def test_myrecord_shows_what_a_person_took_part_in_and_what_followed(running):
    core = running
    ana = await answered(core, "ana")
    [nothing] = await ana.command("myrecord")
    assert texts.MY_RECORD_NO_OUTCOME in nothing.text and "Sample" in nothing.text
    await core.add_outcome(COMMISSIONER, "sample", WORDS, OutcomeStatus.IN_PROGRESS, 30)
    [record] = await ana.command("myrecord")
    assert record.text.startswith(texts.MY_RECORD_HAD_SAY)
    assert f"Started (30%): {WORDS.we_did}" in record.text
    eve = Person(core, "eve")
    await eve.onboard()
    [empty] = await eve.command("myrecord")
    assert empty.text == texts.MY_RECORD_NOTHING


def test_feedback_buttons_are_opaque_and_anything_else_is_refused():
    token = "A" * 22
    assert parse_token_button(f"o:{token}:u") == TokenButton(Action.OUTCOME, token, None, "u")
    assert parse_token_button(f"o:{token}:x") is None
    assert parse_token_button(f"o:{token}:o") is None
    assert parse_token_button(f"o:{token}:{'B' * 11}:u") is None
    assert parse_token_button("o:12:u") is None


async def test_a_commissioner_shares_and_moves_on_an_outcome_from_the_chat(running):
    core = running
    await answered(core, "ana")
    commissioner = Person(core, "77", Platform.TELEGRAM)
    await commissioner.command("outcome", "sample | You want a quiet room. | We made one.")
    assert commissioner.text == texts.OUTCOME_HOW, "three parts are not enough"
    await commissioner.command(
        "outcome", f"Sample | {WORDS.you_said} | {WORDS.we_did} | {WORDS.next_steps}"
    )
    [(outcome, _)] = await core.outcomes("sample")
    assert commissioner.text == texts.OUTCOME_SHARED.format(number=outcome.id)
    assert outcome.status == OutcomeStatus.PLANNED and outcome.we_did == WORDS.we_did
    await commissioner.command("outcome", f"{outcome.id} started 40%")
    assert commissioner.text == texts.OUTCOME_MOVED.format(
        number=outcome.id, stage=texts.OUTCOME_STATUS["in_progress"], progress=40
    )
    await commissioner.command("outcome", f"{outcome.id} could not")
    [(moved, _)] = await core.outcomes("sample")
    assert (moved.status, moved.progress) == (OutcomeStatus.NOT_POSSIBLE, 40)
    await commissioner.command("outcome", f"{outcome.id} finished 100")
    assert commissioner.text == texts.OUTCOME_HOW, "an unknown stage"
    await commissioner.command("outcome", "999 done 100")
    assert commissioner.text == texts.OUTCOME_NOT_FOUND.format(number=999)
    phone = await delivered(core)
    stages = [reply.text.split("\n")[0] for reply in phone.to("ana")]
    assert stages == [
        texts.OUTCOME_THANKS[stage].format(title="Sample")
        for stage in ("planned", "in_progress", "not_possible")
    ]


async def test_only_commissioners_may_use_outcome_in_the_chat(running):
    core = running
    person = await answered(core, "ana")
    await person.command("outcome", f"sample | {WORDS.you_said} | {WORDS.we_did} | x")
    assert person.text == texts.ORGANISERS_ONLY
    assert await core.outcomes("sample") == []
    commissioner = Person(core, "77", Platform.TELEGRAM)
    commissioner.address = Address(Platform.TELEGRAM, "77", "-100", private=False, group_id="-100")
    await commissioner.command("outcome", "1 done")
    assert commissioner.text == texts.GROUP_ONLY_PRIVATE
