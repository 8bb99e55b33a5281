"""A member of the test server, using slash commands, buttons, menus and text boxes."""

from __future__ import annotations

from core import texts
from tests.discord.fake_discord import FakeDiscord, Message

CONTROLS = {"⏸ Pause", "Skip", "Start again", "Change score"}
SETTLED = ("Question ", texts.MORE_TO_DO, texts.OPEN_LIST, "I've sent you a private message")


class DiscordMember:
    def __init__(self, fake: FakeDiscord, user_id: str):
        self.fake = fake
        self.id = user_id

    @property
    def dm(self) -> list[Message]:
        return self.fake.messages.get(self.fake.dm_channels.get(self.id, ""), [])

    @property
    def last(self) -> Message:
        return self.dm[-1]

    def _state(self):
        return (len(self.dm), self.dm[-1].edits if self.dm else 0)

    async def _until_settled(self, pending, before, settled=SETTLED):
        def done():
            if not pending.callbacks or self._state() == before:
                return False
            return any(mark in self.last.content for mark in settled)

        await self.fake.wait_for(done)
        return self.last

    async def slash(self, name: str, in_guild: bool = False, **options) -> Message:
        before = self._state()
        pending = await self.fake.slash(self.id, name, in_guild=in_guild, **options)
        return await self._until_settled(pending, before)

    async def press(self, label: str, message: Message | None = None) -> Message:
        target = message or self.last
        before = self._state()
        pending = await self.fake.press(self.id, target, target.button(label)["custom_id"])
        return await self._until_settled(pending, before)

    async def write(self, text: str) -> Message:
        """Press "Write my answer", then type into the text box and send it."""
        pending = await self.fake.press(
            self.id, self.last, self.last.button("Write my answer")["custom_id"]
        )
        await self.fake.wait_for(lambda: bool(pending.callbacks))
        [callback] = pending.callbacks
        assert callback["type"] == 9, "a text box (modal) opens"
        before = self._state()
        submitted = await self.fake.submit(self.id, callback["data"], text, in_guild=False)
        return await self._until_settled(submitted, before)

    async def choose(self, values: list[str]) -> Message:
        before = self._state()
        pending = await self.fake.choose(self.id, self.last, values)
        return await self._until_settled(pending, before)

    async def onboard(self) -> Message:
        await self.slash("start", in_guild=True)
        await self.fake.wait_for(lambda: bool(self.dm))
        await self.press("Yes")
        await self.press("13 to 15")
        return await self.press("big news")

    async def answer_current(self) -> Message:
        message = self.last
        if message.select() is not None:
            first = message.select()["options"][0]["value"]
            return await self.choose([first])
        labels = [b.get("label", "") for b in message.buttons() if b.get("label") not in CONTROLS]
        if "✏️ Write my answer" in labels:
            return await self.write("More things to do, please")
        if "✔ Done" in labels:
            return await self.press("✔ Done")
        return await self.press(labels[0])

    async def answer_all(self, limit: int = 30) -> Message:
        for _ in range(limit):
            if "Question " not in self.last.content:
                return self.last
            await self.answer_current()
        raise AssertionError(f"still asking: {self.last.content}")
