import json

from core import texts
from core.messages import Address, Command, MenuChoice, Platform, Text
from tests.core.chat import Person


async def test_mydata_shows_profile_and_answers_as_text_and_json(core):
    person = Person(core, "mo")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    [reply] = await person.command("mydata")
    assert reply.text.startswith(texts.MYDATA_HEADING)
    assert "Age group: 13 to 15" in reply.text
    assert "- Where were you?: On a ward" in reply.text
    data = json.loads(reply.attachment.content)
    assert data["chat_accounts"] == [{"platform": "terminal", "user_id": "mo"}]
    assert data["dialogs"][0]["answers"][0]["value"] == "ward"


async def test_forgetme_asks_first_then_deletes_everything(core, uow):
    person = Person(core, "lee")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    await person.command("forgetme")
    assert person.text == texts.FORGETME_ASK
    await person.press_id(person.last[0].buttons[1][0].id)
    assert person.text == texts.FORGETME_KEPT
    await person.command("forgetme")
    yes = person.last[0].buttons[0][0].id
    other = Person(core, "sam")
    await other.onboard()
    [refused] = await other.press_id(yes)
    assert refused.text.startswith("That button is from an earlier message")
    await person.press_id(yes)
    assert person.text == texts.FORGETME_DONE
    async with uow() as unit:
        assert await unit.participants.find_by_identity(Platform.TERMINAL, "lee") is None
        consultation = await unit.consultations.get_by_slug("sample")
        assert await unit.answers.export(consultation.id) == []


async def test_a_repeated_delivery_has_one_effect(core, uow):
    address = Address(Platform.TELEGRAM, "5", "5")
    first = await core.handle(Command(address, "start"), key="telegram:update:77")
    again = await core.handle(Command(address, "start"), key="telegram:update:77")
    assert first and again == []
    async with uow() as unit:
        participant = await unit.participants.find_by_identity(Platform.TELEGRAM, "5")
        assert len(await unit.sessions.for_participant(participant.id)) == 1
    assert await core.forget_old_deliveries() == 0


async def test_a_menu_answers_a_multi_choice_question_at_once(core):
    person = Person(core, "ana")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("1")
    menu = person.last[0].menu
    assert menu.max_values == 2 and menu.replaces_rows == 4
    await person.send(MenuChoice(person.address, menu.id, ("staff", "wifi")))
    assert "Question 3 of" in person.text
    [stale] = await person.send(MenuChoice(person.address, menu.id, ("food",)))
    assert stale.text.startswith("That button is from an earlier message")


async def test_a_sticker_or_photo_gets_a_kind_reply_and_the_question_again(core):
    person = Person(core, "bo")
    await person.onboard()
    await person.command("consult", "sample")
    [reply] = await person.send(Text(person.address, ""))
    assert reply.text.startswith(texts.ONLY_WORDS)
    assert "Question 1 of" in reply.text


async def test_unreachable_people_are_remembered(core, uow):
    person = Person(core, "zed", Platform.TELEGRAM)
    await person.command("start")
    await core.mark_unreachable(Platform.TELEGRAM, "zed")
    async with uow() as unit:
        participant = await unit.participants.find_by_identity(Platform.TELEGRAM, "zed")
    assert participant.unreachable


async def test_text_questions_ask_for_a_text_box(core):
    person = Person(core, "cy")
    await person.onboard()
    await person.command("consult", "sample")
    await person.press("2")
    await person.press("3")
    await person.press("1")
    await person.press("2")
    await person.press("done")
    assert person.last[0].text_entry is None
    await person.press("4")
    assert person.last[0].text_entry == texts.TEXT_BOX_REASON
    await person.say("They listen well")
    assert person.last[0].text_entry == texts.TEXT_BOX_ANSWER
