"""Platform-neutral messages: what comes in from a chat and what goes back out."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Platform(StrEnum):
    """Where a person talks to the bot."""

    TERMINAL = "terminal"
    TELEGRAM = "telegram"
    DISCORD = "discord"


@dataclass(frozen=True, slots=True)
class Address:
    """Who sent an event and where: the platform, the chat and the user in it."""

    platform: Platform
    chat_id: str
    user_id: str
    private: bool = True


@dataclass(frozen=True, slots=True)
class Command:
    """A command such as ``/start`` with what followed it."""

    address: Address
    name: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Text:
    """A plain message typed by a person."""

    address: Address
    text: str


@dataclass(frozen=True, slots=True)
class ButtonPress:
    """A press on a button the bot showed earlier, by the button's stable id."""

    address: Address
    button_id: str


Event = Command | Text | ButtonPress


@dataclass(frozen=True, slots=True)
class Button:
    """A button with a stable id, its label, and a short key a person may type instead."""

    id: str
    label: str
    key: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """A message for the person who sent the event, with optional rows of buttons and image."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    image: bytes | None = None
    only_for_sender: bool = False

    def all_buttons(self) -> tuple[Button, ...]:
        """Every button of the reply, row by row."""
        return tuple(button for row in self.buttons for button in row)
