"""The terminal adapter: a chat in the terminal, with numbered choices, through the same core."""

from __future__ import annotations

import asyncio
from typing import TextIO

from core.messages import Address, ButtonPress, Command, Event, Platform, Reply, Text
from core.service import YouSaid

BYE = "Bye for now. Your answers are saved. Run the demo again to carry on."
QUIT = {"/quit", "/exit"}


class TerminalChat:
    """One person's chat: prints replies, and turns typed lines into core events."""

    def __init__(self, core: YouSaid, user_id: str, out: TextIO) -> None:
        self._core = core
        self._out = out
        self._address = Address(Platform.TERMINAL, user_id, user_id, private=True)
        self._keys: dict[str, str] = {}

    async def send(self, event: Event) -> None:
        """Send one event to the core and print its replies."""
        self.show(await self._core.handle(event))

    def show(self, replies: list[Reply]) -> None:
        """Print replies; their buttons are numbered by the keys the core gave them."""
        self._keys = {}
        for reply in replies:
            self._out.write(f"\n{reply.text}\n")
            for button in reply.all_buttons():
                self._keys[button.key.casefold()] = button.id
                self._out.write(f"  [{button.key}] {button.label}\n")
        self._out.flush()

    def event_for(self, line: str) -> Event:
        """A command for ``/word``, a button press for a shown key, otherwise typed text."""
        if line.startswith("/"):
            name, _, argument = line[1:].partition(" ")
            return Command(self._address, name, argument)
        button_id = self._keys.get(line.casefold())
        if button_id is not None:
            return ButtonPress(self._address, button_id)
        return Text(self._address, line)

    def start(self) -> Event:
        """The event a new chat opens with."""
        return Command(self._address, "start")


async def run_terminal(core: YouSaid, user_id: str, stdin: TextIO, out: TextIO) -> None:
    """Chat in the terminal until the input ends or the person types /quit."""
    chat = TerminalChat(core, user_id, out)
    await chat.send(chat.start())
    echo = not stdin.isatty()
    while True:
        out.write("> ")
        out.flush()
        line = await asyncio.to_thread(stdin.readline)
        if not line:
            out.write(f"\n{BYE}\n")
            return
        line = line.strip()
        if echo:
            out.write(f"{line}\n")
        if line.casefold() in QUIT:
            out.write(f"{BYE}\n")
            return
        if line:
            await chat.send(chat.event_for(line))
