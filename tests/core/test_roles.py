"""Roles come from the settings and from the platforms; the core checks them before every
organiser or commissioner action, refuses politely, records the refusal, and changes nothing."""

import pytest

from core import texts
from core.commands import ORGANISER, ORGANISER_ONLY
from core.messages import Address, ButtonPress, Command, Platform, Reply
from core.roles import PERMISSIONS, Role, RoleSettings, pseudonym
from core.safeguarding import Lead
from tests.core.privacy_helpers import Clock, started
from tests.dialogs.sample import SAMPLE
from tests.storage_scan import all_rows, without

GROUP = "-100950"
ARGUMENTS = {"poll": "Pizza? | Yes | No", "invite": "sample", "ballot": "Chair? | Sam | Jo"}
ROLES = RoleSettings(
    commissioners=(Lead(Platform.TELEGRAM, "77"),),
    admins=(Lead(Platform.DISCORD, "88"),),
    leads=(Lead(Platform.TELEGRAM, "99"),),
)


def in_group(user, platform=Platform.TELEGRAM, organiser=False):
    return Address(platform, GROUP, user, private=False, group_id=GROUP, organiser=organiser)


def test_every_organiser_command_has_its_roles():
    assert set(PERMISSIONS) == ORGANISER_ONLY | {"outcome"}, (
        "outcomes are written on the command line"
    )
    assert {c.name for c in ORGANISER} >= ORGANISER_ONLY, "each is in the organisers' menu"


def test_roles_come_from_the_platform_and_the_settings():
    assert ROLES.of(in_group("1")) == {Role.PARTICIPANT}
    assert ROLES.of(in_group("1", organiser=True)) == {Role.PARTICIPANT, Role.ORGANISER}
    private = Address(Platform.TELEGRAM, "1", "1", private=True, organiser=True)
    assert Role.ORGANISER not in ROLES.of(private), "organisers organise in their group"
    assert Role.COMMISSIONER in ROLES.of(in_group("77"))
    assert Role.COMMISSIONER not in ROLES.of(in_group("77", Platform.DISCORD))
    assert Role.ADMIN in ROLES.of(in_group("88", Platform.DISCORD))
    assert Role.SAFEGUARDING_LEAD in ROLES.of(in_group("99"))
    assert ROLES.may(in_group("77"), "invite") and not ROLES.may(in_group("77"), "poll")
    assert ROLES.may(in_group("88", Platform.DISCORD), "ballot")
    assert not ROLES.may(in_group("99"), "poll"), "leads don't run groups"


@pytest.fixture
async def running(database_url):
    async with started(database_url, Clock(), roles=ROLES) as (core, engine):
        await core.add_consultation(SAMPLE, "sample.yaml")
        yield core, engine


@pytest.mark.parametrize("name", sorted(ORGANISER_ONLY))
async def test_a_participant_calling_an_organiser_command_is_refused_and_nothing_changes(
    running, name
):
    core, engine = running
    before = await all_rows(engine)
    replies = await core.handle(Command(in_group("31"), name, ARGUMENTS.get(name, "on")))
    assert replies == [Reply(texts.ORGANISERS_ONLY, only_for_sender=True)]
    after = await all_rows(engine)
    assert without(after, "audit_log") == without(before, "audit_log"), "nothing else changes"
    [refusal] = after["audit_log"]
    assert refusal["actor"] == pseudonym("telegram", "31") and refusal["action"] == name


async def test_admins_and_commissioners_act_in_any_forum_from_the_settings(running):
    core, engine = running
    [held] = await core.handle(Command(in_group("77"), "invite", "sample"))
    assert held.text.startswith(texts.DRAFT_HELD), "a commissioner's words are checked too"
    send_anyway = held.all_buttons()[0].id
    [_, invite] = await core.handle(ButtonPress(in_group("77"), send_anyway))
    assert invite.all_buttons()[0].private_start == "sample", "a commissioner may invite"
    [refused] = await core.handle(Command(in_group("77"), "poll", ARGUMENTS["poll"]))
    assert refused.text == texts.ORGANISERS_ONLY
    [poll] = await core.handle(Command(in_group("88", Platform.DISCORD), "poll", "Q? | a | b"))
    assert poll.text.startswith("Quick poll: Q?"), "an admin needs no platform role"
    assert [row["action"] for row in (await all_rows(engine))["audit_log"]] == ["poll"]


async def test_a_refusal_shows_in_mydata_and_goes_with_forgetme(running):
    core, engine = running
    from tests.core.chat import Person

    person = Person(core, "31", Platform.TELEGRAM)
    await person.onboard()
    await core.handle(Command(in_group("31"), "endpoll"))
    [mydata] = await person.command("mydata")
    assert "(/endpoll)" in mydata.text
    await person.command("forgetme")
    await person.press_id(person.last[0].buttons[0][0].id)
    assert (await all_rows(engine))["audit_log"] == []
