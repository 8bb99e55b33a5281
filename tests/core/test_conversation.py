import asyncio

from core import texts
from core.domain import AgeBand, SessionStatus
from core.forum_flow import group_help
from core.messages import Address, ButtonPress, Command, Platform, Text
from tests.core.chat import Person, invite_code
from tests.dialogs.sample import SAMPLE


async def stored_answers(uow_factory, slug="sample"):
    async with uow_factory() as uow:
        consultation = await uow.consultations.get_by_slug(slug)
        return await uow.answers.export(consultation.id)


async def participant_of(uow_factory, person):
    async with uow_factory() as uow:
        return await uow.participants.find_by_identity(
            person.address.platform, person.address.user_id
        )


async def test_onboarding_records_consent_age_band_and_preference(core, uow):
    person = Person(core, "amy")
    await person.command("start")
    assert "Question 1 of 4" in person.text
    await person.press("1")
    assert "Question 2 of 4" in person.text
    await person.press("2")
    await person.press("3")
    assert texts.OPEN_LIST in person.text
    assert "Sample" in person.labels
    participant = await participant_of(uow, person)
    assert participant.onboarded
    assert participant.age_band == AgeBand.AGE_13_15
    assert participant.consent_version == texts.CONSENT_VERSION
    assert participant.contact_preference.value == "never"


async def test_declining_consent_keeps_nothing(core, uow):
    person = Person(core, "ben")
    await person.command("start")
    await person.press("2")
    assert person.text == texts.DECLINED
    assert await participant_of(uow, person) is None
    await person.say("hello?")
    assert person.text == texts.FIRST_HELLO


async def take_sample(person):
    await person.command("consult", "sample")
    assert "Sample" in person.text and "Question 1 of 6" in person.text
    await person.press("1")  # ward
    await person.press("1")  # staff
    await person.press("3")  # wifi
    await person.press("done")
    await person.press("4")  # scale: good
    await person.press("2")  # beta first
    await person.press("1")  # alpha second, gamma placed
    assert "Your order:\n1. Beta\n2. Alpha\n3. Gamma" in person.text
    await person.press("done")
    await person.press("3")
    assert "You gave 3 out of 5" in person.text
    await person.say("They mostly listen")
    assert "Question 6 of 6" in person.text
    await person.press("skip")


async def test_whole_consultation_is_stored_with_age_band(core, uow):
    person = Person(core, "cal")
    await person.onboard_under_13(await invite_code(core))
    await take_sample(person)
    assert "Thanks!" in person.text
    rows = await stored_answers(uow)
    assert [(r.question_id, r.value, r.skipped) for r in rows] == [
        ("where", "ward", False),
        ("likes", ["staff", "wifi"], False),
        ("mood", 4, False),
        ("order", ["b", "a", "c"], False),
        ("score", {"score": 3, "reason": "They mostly listen"}, False),
        ("story", None, True),
    ]
    assert {r.age_band for r in rows} == {AgeBand.UNDER_13}
    await person.command("consult", "sample")
    assert "already answered" in person.text


async def test_branching_skips_questions(core, uow):
    person = Person(core, "dee")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("2")  # waiting room jumps to mood
    assert "Question 2 of 5" in person.text and "How did it feel?" in person.text


async def test_age_band_wording_is_used(core):
    person = Person(core, "eli")
    await person.onboard_under_13(await invite_code(core))
    await person.command("consult", "sample")
    assert "Where were you, little one?" in person.text


async def test_pause_and_resume_exactly_where_left_off(core, uow):
    person = Person(core, "fay")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    await person.press("2")  # a tick in progress on "likes"
    await person.press("pause")
    assert person.text == texts.PAUSED
    await person.say("hi")
    assert 'You paused "Sample"' in person.text
    await person.command("resume")
    assert "Question 2 of 6" in person.text and "✅ Food" in person.labels
    await person.press("done")
    assert [r.question_id for r in await stored_answers(uow)] == ["where", "likes"]


async def test_start_again_welcomes_back_to_the_same_question(core):
    person = Person(core, "gus")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    await person.command("start")
    assert texts.WELCOME_BACK in person.text and "Question 2 of 6" in person.text


async def test_bad_answers_are_asked_again_and_nothing_is_stored(core, uow):
    person = Person(core, "hal")
    await person.onboard()
    await person.command("consult", "sample")
    await person.say("banana")
    assert "Please pick one of the answers" in person.text and "Question 1 of 6" in person.text
    await person.command("skip")
    assert "needs an answer" in person.text
    assert await stored_answers(uow) == []


async def test_old_and_forged_buttons_are_answered_kindly(core, uow):
    amy, bob = Person(core, "amy2"), Person(core, "bob2")
    await amy.onboard()
    await bob.onboard()
    await amy.command("consult", "sample")
    old = amy.button("1")
    await amy.press("1")
    await amy.press_id(old)
    assert texts.OLD_BUTTON in amy.text and "Question 2 of 6" in amy.text
    await bob.command("consult", "sample")
    await bob.press_id(amy.button("1"))  # amy's session id: not bob's
    assert texts.OLD_BUTTON in bob.text
    await bob.press_id("a:99999999:where:ward")
    await bob.press_id("nonsense")
    assert texts.OLD_BUTTON in bob.text
    rows = await stored_answers(uow)
    assert [(r.respondent, r.question_id) for r in rows] == [(1, "where")]


async def test_two_presses_at_once_store_one_answer(core, uow):
    person = Person(core, "ivy")
    await person.onboard()
    await person.command("consult", "sample")
    button = person.button("1")
    presses = [core.handle(ButtonPress(person.address, button)) for _ in range(4)]
    replies = await asyncio.gather(*presses)
    assert (
        sum("Question 2 of 6" in r[0].text and texts.OLD_BUTTON not in r[0].text for r in replies)
        == 1
    )
    assert [r.question_id for r in await stored_answers(uow)] == ["where"]


async def test_starting_another_consultation_pauses_the_first(core, uow):
    person = Person(core, "jo")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    await person.command("consult")
    await person.press("1")
    assert "Question 2 of 6" in person.text, "going back to the same consultation carries on"
    participant = await participant_of(uow, person)
    async with uow() as unit:
        session = await unit.sessions.current(participant.id)
    assert session.status == SessionStatus.ACTIVE


async def test_group_chat_keeps_answers_private(core):
    group = Address(Platform.TELEGRAM, "-100", "42", private=False)
    assert (await core.handle(Command(group, "consult")))[0].text == texts.GROUP_ONLY_PRIVATE
    assert await core.handle(Text(group, "hello everyone")) == []
    [help_] = await core.handle(Command(group, "help"))
    assert help_.text == group_help(group.platform)
    assert "/redcard word - reply to a message with this" in help_.text
    discord = Address(Platform.DISCORD, "5", "42", private=False, group_id="4")
    [on_discord] = await core.handle(Command(discord, "help"))
    assert "Red card - in a message's Apps menu" in on_discord.text


async def test_unknown_command_and_stop(core, uow):
    person = Person(core, "kim")
    await person.onboard()
    await person.command("dance")
    assert person.text == texts.UNKNOWN_COMMAND
    await person.command("stop")
    assert person.text == texts.STOPPED
    assert (await participant_of(uow, person)).messages_stopped
    await person.command("start")
    assert not (await participant_of(uow, person)).messages_stopped


async def test_same_user_id_on_two_platforms_are_two_people(core, uow):
    terminal = Person(core, "7")
    telegram = Person(core, "7", Platform.TELEGRAM)
    await terminal.onboard()
    await telegram.command("consult")
    assert telegram.text == texts.FIRST_HELLO


async def test_going_back_to_an_earlier_consultation_makes_it_current(core, uow):
    other = SAMPLE.replace("id: sample", "id: other").replace("title: Sample", "title: Other")
    await core.add_consultation(other, "other.yaml")
    person = Person(core, "lou")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    await person.command("consult", "other")
    assert 'paused "Sample"' in person.text
    await person.command("consult", "sample")
    assert 'paused "Other"' in person.text and "Question 2 of 6" in person.text
    await person.press("1")
    await person.press("done")
    assert "How did it feel?" in person.text, "the answer went to Sample, the current one"
    await person.command("resume")
    assert "Question 3 of 6" in person.text


async def test_pause_and_stop_work_during_onboarding(core, uow):
    person = Person(core, "max")
    await person.command("start")
    await person.press("1")
    await person.command("pause")
    assert person.text == texts.PAUSED
    await person.command("consult")
    assert "Question 2 of 4" in person.text, "consultations wait until onboarding is done"
    await person.command("stop")
    assert person.text == texts.STOPPED


async def test_control_characters_and_huge_ids_get_kind_replies(core, uow):
    person = Person(core, "nia")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press_id("a:999999999999:where:ward")
    assert texts.OLD_BUTTON in person.text
    await person.press_id("c:999999999999")
    assert texts.OLD_BUTTON in person.text
    for key in ["1", "1", "done", "3", "1", "2", "done", "5"]:
        await person.press(key)
    await person.say("Fine\x00 really\x07")
    await person.say("nul\x00\x00 and more\nlines")
    rows = await stored_answers(uow)
    assert rows[-2].value == {"score": 5, "reason": "Fine really"}
    assert rows[-1].value == "nul and more\nlines"
