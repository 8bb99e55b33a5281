"""/whatis WORD: young people ask what a word means, in private and in groups."""

from core import commands, texts
from core.messages import Address, Command, Platform
from core.plain_words import lookup
from tests.core.chat import Person

GP = "GP: A family doctor. They are usually the first doctor you see when you feel unwell."


def member(user: str, organiser: bool = False) -> Address:
    return Address(
        Platform.TELEGRAM, "-100", user, private=False, group_id="-100", organiser=organiser
    )


async def test_whatis_explains_a_glossary_word_in_private(core):
    person = Person(core, "ada")
    await person.command("whatis", "GP")
    assert person.text == GP
    [reply] = person.last
    assert not reply.only_for_sender and not reply.buttons


async def test_whatis_is_forgiving_about_case_plurals_and_spacing(core):
    person = Person(core, "bo")
    for asked in ("gp", "GPs", "  GP  ", '"GP"', "GP?"):
        await person.command("whatis", asked)
        assert person.text == GP, asked
    await person.command("whatis", "co production")
    assert person.text.startswith("co-production: ")
    await person.command("whatis", "Outcomes Frameworks")
    assert person.text == f"outcomes framework: {lookup('outcomes framework')}"
    await person.command("WhatIs", "tenders")
    assert person.text.startswith("tender: A way of choosing who will run a service.")


async def test_whatis_a_word_it_does_not_know_is_kind(core):
    person = Person(core, "cy")
    await person.command("whatis", "flibbertigibbet")
    assert person.text == texts.WHATIS_UNKNOWN
    assert person.text == "I don't know that word yet. Ask the person who used it to explain it."


async def test_whatis_without_a_word_says_how(core):
    person = Person(core, "di")
    await person.command("whatis")
    assert person.text == texts.WHATIS_HOW
    await person.command("whatis", "   ")
    assert person.text == texts.WHATIS_HOW


async def test_whatis_keeps_nothing_about_someone_new(core, uow):
    person = Person(core, "ed")
    await person.command("whatis", "CAMHS")
    assert person.text.startswith("CAMHS: Mental health services for children and young people.")
    async with uow() as unit:
        found = await unit.participants.find_by_identity(Platform.TERMINAL, "ed")
    assert found is None


async def test_whatis_in_the_middle_of_a_consultation_keeps_the_place(core):
    person = Person(core, "fay")
    await person.onboard()
    await person.command("consult", "sample")
    assert "Question 1 of 6" in person.text
    first_answer = person.button("1")
    await person.command("whatis", "ward")
    assert person.text == texts.WHATIS_UNKNOWN
    await person.command("whatis", "A&E")
    assert person.text.startswith("A&E: Accident and Emergency.")
    await person.press_id(first_answer)
    assert "Question 2 of 6" in person.text


async def test_whatis_in_a_group_answers_only_the_asker_where_it_can(core):
    for address in (member("7"), member("8", organiser=True)):
        [reply] = await core.handle(Command(address, "whatis", "safeguarding"))
        assert reply.text == f"safeguarding: {lookup('safeguarding')}"
        assert reply.only_for_sender
    [unknown] = await core.handle(Command(member("7"), "whatis", "zorb"))
    assert unknown.text == texts.WHATIS_UNKNOWN


def test_whatis_is_in_the_menus_and_help_for_young_people():
    for menu in (commands.PRIVATE, commands.GROUP, commands.ORGANISER):
        [info] = [c for c in menu if c.name == "whatis"]
        assert info.description == "Ask what a word means"
    assert "whatis" not in commands.ORGANISER_ONLY
    assert "/whatis word - find out what a word means" in texts.HELP
    assert "/whatis word - find out what a word means" in texts.GROUP_HELP
