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
    group_id: str = ""
    """The group the chat belongs to (Telegram group chat id, Discord server id); "" if private."""
    organiser: bool = False
    """Set by the adapter from the platform's own roles (group admin, Manage Server, a role)."""


@dataclass(frozen=True, slots=True)
class Quoted:
    """A message a command points at: the one it replies to, or one picked from a message menu.

    The adapter says who wrote it and whether they are an organiser (from the platform's own
    roles); the core decides what may be done with it.
    """

    message_id: str
    """The platform's id of the message in its chat."""
    author_id: str = ""
    by_bot: bool = False
    """The bot itself posted it."""
    author_organiser: bool = False
    text: str = ""
    """Its text, or "" where the platform does not show it to the bot."""
    button_ids: tuple[str, ...] = ()
    """The ids of its buttons (the bot's own messages)."""
    gone: bool = False
    """The message was deleted, or the bot can't see it: only its id is known."""


@dataclass(frozen=True, slots=True)
class Command:
    """A command such as ``/start`` with what followed it."""

    address: Address
    name: str
    argument: str = ""
    quoted: Quoted | None = None
    """The message the command answers (a reply, or a message menu), if any."""


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
    message_id: str = ""
    """The platform's id of the message whose button was pressed, when known."""


@dataclass(frozen=True, slots=True)
class MenuChoice:
    """The options a person picked from a menu (a Discord select menu), by the menu's id."""

    address: Address
    menu_id: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class JoinedGroup:
    """The bot was added to a group chat or server channel, which becomes a forum."""

    address: Address
    title: str


Event = Command | Text | ButtonPress | MenuChoice | JoinedGroup


@dataclass(frozen=True, slots=True)
class Button:
    """A button with a stable id, its label, and a short key a person may type instead."""

    id: str
    label: str
    key: str = ""
    private_start: str | None = None
    """If set, the button opens a private chat with the bot that starts with this payload
    (a Telegram deep link ``?start=<payload>``; on Discord, the adapter starts it for the presser).
    """


@dataclass(frozen=True, slots=True)
class Menu:
    """A menu to pick between ``min_values`` and ``max_values`` of its options."""

    id: str
    options: tuple[Button, ...]
    min_values: int
    max_values: int
    replaces_rows: int = 0
    """How many leading rows of the reply's buttons the menu stands in for."""
    chosen: tuple[str, ...] = ()
    """The option ids already picked, to show as selected."""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent along with a reply, such as a person's own data as JSON."""

    filename: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """A message for the person who sent the event, with optional rows of buttons and image."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    image: bytes | None = None
    only_for_sender: bool = False
    """Show it only to the person who acted (a callback notice, an ephemeral Discord reply)."""
    replace: bool = False
    """Edit the message whose button was pressed, instead of sending a new one."""
    menu: Menu | None = None
    """A pick-several menu the adapter may show instead of the tick buttons (Discord)."""
    text_entry: str | None = None
    """Set when the bot waits for typed text: a short title for a text box (a Discord modal)."""
    attachment: Attachment | None = None
    chat: str | None = None
    """Post it in this chat of the same platform (a forum's group) instead of answering where
    the event came from."""
    reply_to: str | None = None
    """The platform's id of a message in that chat to post it as an answer to."""
    hide_post: bool = False
    """Remove the group post this event came from (a flagged post), where the bot may; a
    reply that only does this has no text."""

    def all_buttons(self) -> tuple[Button, ...]:
        """Every button of the reply, row by row."""
        return tuple(button for row in self.buttons for button in row)
