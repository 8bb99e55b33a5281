"""Certificates of contribution: an organiser gives them to everyone who had their say, each
person gets theirs as an image, with a name that is drawn and never stored."""

import pytest

from core import texts
from core.certificates import clean_name
from core.messages import Address, Command, Platform
from tests.core.chat import Person, delivered
from tests.core.privacy_helpers import Clock, started
from tests.dialogs.sample import SAMPLE
from tests.storage_scan import all_rows, holding

GROUP = "-300"
ORGANISER = Address(Platform.TERMINAL, GROUP, "org", private=False, group_id=GROUP, organiser=True)
MEMBER = Address(Platform.TERMINAL, GROUP, "ana", private=False, group_id=GROUP)


@pytest.fixture
async def running(database_url):
    async with started(database_url, Clock()) as (core, engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        await core.handle(Command(ORGANISER, "help"))
        yield core, engine


async def answered(core, user, contact_key="2"):
    person = Person(core, user)
    await person.onboard(contact_key=contact_key)
    await person.command("consult", "sample")
    await person.press("1")
    return person


async def award(core, argument="sample"):
    [reply] = await core.handle(Command(ORGANISER, "award", argument))
    return reply.text


async def test_everyone_who_answered_gets_one_and_those_who_hear_from_us_are_told(running):
    core, _ = running
    await answered(core, "ana")
    await answered(core, "ben")
    quiet = await answered(core, "cat")
    await quiet.command("stop")
    await Person(core, "dev").onboard()
    assert await award(core) == texts.AWARD_GIVEN.format(count=3, title="Sample")
    phone = await delivered(core)
    assert sorted(who for who, _ in phone.received) == ["ana", "ben"]
    [told] = phone.to("ana")
    assert "/certificate" in told.text and "Sample" in told.text

    assert await award(core) == texts.AWARD_ALREADY.format(title="Sample")
    assert (await delivered(core)).received == []
    await answered(core, "eve")
    assert await award(core) == texts.AWARD_GIVEN_ONE.format(title="Sample")
    assert [who for who, _ in (await delivered(core)).received] == ["eve"]


async def test_the_certificate_is_an_image_and_the_name_on_it_is_not_kept(running):
    core, engine = running
    ana = await answered(core, "ana")
    dev = Person(core, "dev")
    await dev.onboard()
    await award(core)
    [reply] = await ana.command("certificate", "Samira\x00 🎉 ")
    assert reply.image is not None and reply.image.startswith(b"\x89PNG")
    assert reply.text == texts.CERTIFICATE_HERE
    assert holding(await all_rows(engine), ["Samira"]) == []
    [nothing] = await dev.command("certificate")
    assert nothing.text == texts.CERTIFICATE_NONE and nothing.image is None


async def test_awarding_needs_an_organiser_and_a_name_it_knows(running):
    core, _ = running
    await answered(core, "ana")
    [refused] = await core.handle(Command(MEMBER, "award", "sample"))
    assert refused.text == texts.ORGANISERS_ONLY
    how = await award(core, "nothing_like_this")
    assert "/award sample" in how and "sample - Sample" in how
    assert await award(core, "") == how
    [reply] = await Person(core, "ana").command("certificate")
    assert reply.text == texts.CERTIFICATE_NONE


async def test_nobody_to_give_one_to_yet(running):
    core, _ = running
    assert await award(core) == texts.AWARD_NOBODY.format(title="Sample")


def test_a_typed_name_is_cleaned_before_it_is_drawn():
    assert clean_name("  Sam \t\n Lee ") == "Sam Lee"
    assert clean_name("Jo\x1b[31m🎉") == "Jo [31m"
    assert clean_name("x" * 100) == "x" * 40
    assert clean_name("مريم") == "مريم"


async def test_mydata_lists_certificates_and_forgetting_the_person_removes_them(running):
    core, engine = running
    ana = await answered(core, "ana")
    await award(core)
    [shown] = await ana.command("mydata")
    assert texts.MYDATA_CERTIFICATES.format(count=1) in shown.text
    assert b'"certificates": [\n    {\n      "consultation_number"' in shown.attachment.content
    await ana.command("forgetme")
    await ana.press_id(ana.last[0].buttons[0][0].id)
    assert ana.text == texts.FORGETME_DONE
    assert (await all_rows(engine))["certificates"] == []
