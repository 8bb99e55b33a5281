"""Driving secret ballots from tests: a settable clock, a forum, members and voters."""

from datetime import UTC, datetime, timedelta

from core import texts
from core.buttons import parse_token_button
from core.domain import AgeBand
from core.messages import Address, Command, Platform
from core.service import YouSaid
from dialogs.loader import bundled_script
from tests.core.chat import Person

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
GROUP = "-100"


class Clock:
    def __init__(self) -> None:
        self.time = T0

    def now(self) -> datetime:
        return self.time

    def advance(self, **delta: float) -> None:
        self.time += timedelta(**delta)


def make_bot(uow_factory, clock: Clock) -> YouSaid:
    return YouSaid(uow_factory, bundled_script("onboarding"), clock=clock, zone=UTC)


def in_group(user: str, organiser: bool = False, platform=Platform.TELEGRAM) -> Address:
    return Address(platform, GROUP, user, private=False, group_id=GROUP, organiser=organiser)


ORGANISER = in_group("org", organiser=True)


async def add_members(bot: YouSaid, uow_factory, users: list[str], platform=Platform.TELEGRAM):
    """Onboarded participants who joined the forum, set up directly in storage (fast)."""
    async with uow_factory() as uow:
        forum = await uow.forums.register(platform, GROUP, "Youth Forum", T0)
        for user in users:
            participant = await uow.participants.add(platform, user, T0)
            await uow.participants.record_consent(participant.id, texts.CONSENT_VERSION, T0)
            participant.age_band = AgeBand.AGE_13_15
            await uow.participants.save(participant)
            await uow.members.add(forum.id, participant.id, T0.date())
        await uow.commit()
    return [Person(bot, user, platform) for user in users]


async def open_ballot(bot: YouSaid, argument: str):
    [reply] = await bot.handle(Command(ORGANISER, "ballot", argument))
    [button, red_card] = reply.all_buttons()
    assert red_card.label == texts.BUTTON_RED_CARD, "an organiser's ballot can be red-carded"
    assert button.private_start is not None and button.private_start.startswith("b"), reply.text
    return reply, button.private_start


async def vote(person: Person, payload: str, keys: list[str], cast: bool = True):
    """Open the voting screen from the group's button, press keys, review and cast."""
    await person.command("start", payload)
    for key in keys:
        await person.press(key)
    if cast:
        await person.press("cast")
    return person.text


def receipt_of(text: str) -> str:
    marker = "Your receipt code is "
    assert marker in text, text
    return text.split(marker)[1][:11]


def ballot_buttons(person: Person) -> list[str]:
    return [
        button.id
        for reply in person.last
        for button in reply.all_buttons()
        if parse_token_button(button.id) is not None
    ]
