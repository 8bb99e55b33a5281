"""A person chatting with the core, as a test would drive it, and a phone the outbox sends to."""

import asyncio

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

    async def onboard(self, age_key: str = "2", contact_key: str = "2") -> None:
        await self.command("start")
        await self.press("1")
        await self.press(age_key)
        await self.press(contact_key)
