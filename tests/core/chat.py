"""A person chatting with the core, as a test would drive it, and a phone the outbox sends to."""

import asyncio
from datetime import timedelta

from core.delivery import Sent
from core.messages import Address, ButtonPress, Command, Platform, Reply, Text
from core.service import YouSaid


class Phone:
    """A Sender that records what each account was sent."""

    def __init__(self):
        self.received: list[tuple[str, Reply]] = []

    async def send(self, user_id, reply):
        self.received.append((user_id, reply))
        await asyncio.sleep(0)
        return Sent()

    def to(self, user_id):
        return [reply for who, reply in self.received if who == user_id]


async def delivered(core: YouSaid) -> Phone:
    """Send everything queued for terminal people; the phone that got it."""
    phone = Phone()
    worker = core.delivery_worker({Platform.TERMINAL: phone})
    while await worker.run_once():
        pass
    return phone


class Person:
    def __init__(self, core: YouSaid, user_id: str, platform: Platform = Platform.TERMINAL):
        self.core = core
        self.address = Address(platform, user_id, user_id, private=True)
        self.last: list[Reply] = []

    async def send(self, event) -> list[Reply]:
        self.last = await self.core.handle(event)
        assert self.last, "every event gets a reply"
        assert all(reply.text.strip() for reply in self.last)
        return self.last

    async def command(self, name: str, argument: str = "") -> list[Reply]:
        return await self.send(Command(self.address, name, argument))

    async def say(self, text: str) -> list[Reply]:
        return await self.send(Text(self.address, text))

    async def press_id(self, button_id: str) -> list[Reply]:
        return await self.send(ButtonPress(self.address, button_id))

    def button(self, key: str) -> str:
        for reply in self.last:
            for button in reply.all_buttons():
                if button.key == key:
                    return button.id
        raise AssertionError(f"no button [{key}] in {self.text}")

    async def press(self, key: str) -> list[Reply]:
        return await self.press_id(self.button(key))

    @property
    def labels(self) -> list[str]:
        return [button.label for reply in self.last for button in reply.all_buttons()]

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.last)

    async def onboard(self, age_key: str | None = None, contact_key: str = "2") -> None:
        """Say yes, pick an age band (13 to 15, or 16 or 17 where the platform needs 16) and
        how often to hear back."""
        if age_key is None:
            age_key = "3" if self.address.platform == Platform.TELEGRAM else "2"
        await self.command("start")
        await self.press("1")
        await self.press(age_key)
        await self.press(contact_key)

    async def onboard_under_13(self, code: str, contact_key: str = "2") -> None:
        """Onboard as 12 or under, with an organiser's invite code."""
        await self.command("start")
        await self.press("1")
        await self.press("1")
        await self.say(code)
        await self.press(contact_key)


async def invite_code(core: YouSaid, group: str = "-100700") -> str:
    """One fresh invite code for a child under 13, for a terminal forum."""
    [code] = await core.make_invite_codes(
        Platform.TERMINAL, group, 1, core._clock.now() + timedelta(days=7)
    )
    return code
