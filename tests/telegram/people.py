"""A person in a private chat with the bot, pressing and typing as a young person would."""

from __future__ import annotations

from tests.telegram.fake_bot_api import FakeBotApi, Sent

CONTROLS = {"⏸ Pause", "Skip", "Start again", "Change score"}


class Member:
    def __init__(self, api: FakeBotApi, user_id: int):
        self.api = api
        self.id = user_id

    @property
    def messages(self) -> list[Sent]:
        return self.api.messages[self.id]

    @property
    def last(self) -> Sent:
        return self.messages[-1]

    async def _after(self, push) -> Sent:
        update_id = push()
        await self.api.wait_until_fetched(update_id)
        return self.last

    async def say(self, text: str) -> Sent:
        return await self._after(lambda: self.api.message(self.id, self.id, text))

    async def press(self, label: str, message: Sent | None = None) -> Sent:
        target = message or self.last
        return await self._after(lambda: self.api.press(target, self.id, label=label))

    async def onboard(self, payload: str = "") -> Sent:
        await self.say(f"/start {payload}".strip())
        await self.press("Yes")
        await self.press("16 or 17")  # Telegram's terms: 16 or over in the UK and the EU
        return await self.press("big news")

    async def answer_current(self) -> Sent:
        """Answer whatever is asked with the first option (or a few typed words)."""
        message = self.last
        labels = [b["text"] for b in message.buttons() if b["text"] not in CONTROLS]
        unticked = [label for label in labels if label.startswith("▫️")]
        if unticked and not any(label.startswith("✅") for label in labels):
            return await self.press(unticked[0])
        if "✔ Done" in labels:
            return await self.press("✔ Done")
        if labels:
            return await self.press(labels[0])
        return await self.say("More things to do, please")

    async def answer_all(self, limit: int = 30) -> Sent:
        """Keep answering until no question is showing."""
        for _ in range(limit):
            if "Question " not in self.last.text:
                return self.last
            await self.answer_current()
        raise AssertionError(f"still asking after {limit} steps: {self.last.text}")
