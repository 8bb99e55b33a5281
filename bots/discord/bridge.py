"""From Discord interactions to core events, and from core replies to interaction responses.

Person commands and dialog components are private: in a server they are answered in the
member's DMs (or, when DMs are closed, in messages only they can see). Organiser commands,
poll votes and results belong to the channel. Every interaction is answered within Discord's
3 seconds: when the core needs longer, the bot defers and follows up.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable
from typing import Any

import discord

from bots.discord.limits import DmLimiter
from bots.discord.render import (
    RED_CARD_BOX,
    START,
    TEXT_FIELD,
    WRITE,
    file_for,
    parts,
    red_card_box,
    text_box,
    view_for,
)
from bots.discord.retry import with_retries
from bots.discord.settings import DiscordSettings
from bots.metrics import replies_sent
from core.messages import (
    Address,
    ButtonPress,
    Command,
    Event,
    MenuChoice,
    Platform,
    Quoted,
    Reply,
    Text,
)
from core.service import YouSaid

log = logging.getLogger(__name__)

DEFER_AFTER = 2.0
"""Seconds to wait for the core before deferring (Discord allows 3)."""
CHANNEL_COMMANDS = frozenset(
    {
        "poll",
        "endpoll",
        "results",
        "invite",
        "announce",
        "redcards",
        "whatis",
        "moderate",
        "hours",
        "ballot",
        "endballot",
        "members",
        "award",
    }
)
CHANNEL_BUTTONS = ("v:", "q:", "f:", "y:")
"""Poll votes and results, red cards, and sending a checked post belong to the channel."""
STARTS_IN_PLACE = ("b",)
"""Start payloads (a secret vote's) answered where pressed, in messages only the presser sees."""
SENT_PRIVATELY = "I've sent you a private message. 📬"
CLOSED_DMS = "Your direct messages are closed, so I'll answer here. Only you can see this."
OK = "OK."

Interaction = discord.Interaction[Any]


class Bridge:
    """Turns each interaction into one core event and delivers the core's replies."""

    def __init__(self, core: YouSaid, settings: DiscordSettings) -> None:
        self._core = core
        self._settings = settings
        self._dms = DmLimiter(settings.dms_per_second)

    async def command(self, interaction: Interaction, name: str, argument: str = "") -> None:
        """A slash command."""
        in_channel = name in CHANNEL_COMMANDS or (name == "help" and interaction.guild is not None)
        address = self._address(interaction, private=not in_channel)
        await self._run(interaction, Command(address, name, argument), private=not in_channel)

    async def component(self, interaction: Interaction) -> None:
        """A press on a button or a pick in a select menu."""
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith(WRITE):
            await interaction.response.send_modal(text_box(custom_id.removeprefix(WRITE)))
            return
        pressed = str(interaction.message.id) if interaction.message is not None else ""
        if custom_id.startswith(CHANNEL_BUTTONS):
            address = self._address(interaction, private=False)
            await self._run(interaction, ButtonPress(address, custom_id, pressed), private=False)
            return
        address = self._address(interaction, private=True)
        event: Event
        in_place = False
        if custom_id.startswith(START):
            payload = custom_id.removeprefix(START)
            event = Command(address, "start", payload)
            in_place = payload.startswith(STARTS_IN_PLACE)
        elif data.get("component_type") == discord.ComponentType.select.value:
            event = MenuChoice(address, custom_id, tuple(str(v) for v in data.get("values", [])))
        else:
            event = ButtonPress(address, custom_id, pressed)
        await self._run(interaction, event, private=True, in_place=in_place)

    async def red_card_menu(self, interaction: Interaction, message: discord.Message) -> None:
        """The "Red card" message menu: a text box asks which word is hard."""
        await interaction.response.send_modal(red_card_box(message.channel.id, message.id))

    async def post(self, message: discord.Message) -> None:
        """A post in a server channel: the core checks it if the forum asked; maybe hide it."""
        assert message.guild is not None
        address = Address(
            Platform.DISCORD,
            str(message.channel.id),
            str(message.author.id),
            private=False,
            group_id=str(message.guild.id),
        )
        replies = await self._core.handle(
            Text(address, message.content), key=f"discord:message:{message.id}"
        )
        if any(reply.hide_post for reply in replies):
            await with_retries(message.delete)

    async def modal(self, interaction: Interaction) -> None:
        """Text typed into a text box: an answer, or the word of a red card."""
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        text = _typed(data.get("components", []))
        custom_id = str(data.get("custom_id", ""))
        if custom_id.startswith(RED_CARD_BOX):
            channel_id, _, message_id = custom_id.removeprefix(RED_CARD_BOX).partition(":")
            address = self._address(interaction, private=False)
            event = self._red_card(interaction, address, int(channel_id), int(message_id), text)
            await self._run(interaction, event, private=False)
            return
        address = self._address(interaction, private=True)
        await self._run(interaction, Text(address, text), private=True)

    async def _red_card(
        self,
        interaction: Interaction,
        address: Address,
        channel_id: int,
        message_id: int,
        word: str,
    ) -> Event:
        """``/redcard WORD`` on the picked message, looked up again: it may be gone by now.

        Without the message content intent, another member's words come back empty.
        """
        channel = interaction.client.get_partial_messageable(
            channel_id, guild_id=interaction.guild_id
        )
        try:
            message = await with_retries(lambda: channel.fetch_message(message_id))
        except (discord.NotFound, discord.Forbidden):
            return Command(address, "redcard", word, Quoted(str(message_id), gone=True))
        me = interaction.client.user
        by_bot = me is not None and message.author.id == me.id
        quoted = Quoted(
            str(message.id),
            author_id=str(message.author.id),
            by_bot=by_bot,
            author_organiser=not by_bot and await self._wrote_as_organiser(interaction, message),
            text=message.content,
            button_ids=tuple(
                child.custom_id
                for row in message.components
                if isinstance(row, discord.ActionRow)
                for child in row.children
                if isinstance(child, discord.Button) and child.custom_id
            ),
        )
        return Command(address, "redcard", word, quoted)

    async def _wrote_as_organiser(self, interaction: Interaction, message: discord.Message) -> bool:
        guild = interaction.guild
        if guild is None:
            return False
        try:
            member = await with_retries(lambda: guild.fetch_member(message.author.id))
        except (discord.NotFound, discord.Forbidden):
            return False
        return self._organiser(member, member.guild_permissions.manage_guild)

    async def _run(
        self,
        interaction: Interaction,
        event: Event | Awaitable[Event],
        private: bool,
        in_place: bool = False,
    ) -> None:
        """Hand the event to the core and deliver its replies.

        Private replies to a member in a server go to their DMs, unless ``in_place`` or the
        press was on a message only they see: then they are answered where they are.
        """
        key = f"discord:interaction:{interaction.id}"
        task = asyncio.create_task(self._handle(event, key))
        done, _ = await asyncio.wait({task}, timeout=DEFER_AFTER)
        if not done:
            await self._defer(interaction, private)
        replies = await task
        for reply in [r for r in replies if r.chat is not None]:
            await self._post_elsewhere(interaction, reply)
        replies = [r for r in replies if r.chat is None]
        to_dm = (
            private
            and not in_place
            and interaction.guild is not None
            and not _pressed_ephemeral(interaction)
        )
        if to_dm and replies and await self._send_to_dm(interaction, replies):
            replies_sent(Platform.DISCORD, len(replies))
            await self._respond(interaction, [Reply(SENT_PRIVATELY)], private=True)
            return
        if to_dm and replies:
            replies = [Reply(CLOSED_DMS), *replies]
        if not replies:
            replies = [Reply(OK, only_for_sender=True)]
        await self._respond(interaction, replies, private)
        replies_sent(Platform.DISCORD, len(replies))

    async def _handle(self, event: Event | Awaitable[Event], key: str) -> list[Reply]:
        if inspect.isawaitable(event):
            event = await event
        return await self._core.handle(event, key=key)

    async def _post_elsewhere(self, interaction: Interaction, reply: Reply) -> None:
        """A reply the core posts in another channel (a forum's); its failure is the channel's."""
        assert reply.chat is not None
        channel = interaction.client.get_partial_messageable(int(reply.chat))
        reference = (
            discord.MessageReference(
                message_id=int(reply.reply_to), channel_id=channel.id, fail_if_not_exists=False
            )
            if reply.reply_to is not None and reply.reply_to.isdigit()
            else None
        )
        try:
            await send_to_channel(channel, reply, reference)
        except discord.HTTPException as error:
            log.warning("could not post in a channel: %s", error.status)

    async def _defer(self, interaction: Interaction, private: bool) -> None:
        if interaction.type == discord.InteractionType.component:
            await interaction.response.defer()
        else:
            ephemeral = private and interaction.guild is not None
            await interaction.response.defer(ephemeral=ephemeral, thinking=True)

    async def _respond(self, interaction: Interaction, replies: list[Reply], private: bool) -> None:
        in_server = interaction.guild is not None
        for reply in replies:
            ephemeral = in_server and (reply.only_for_sender or private)
            is_press = interaction.type == discord.InteractionType.component
            if reply.replace and is_press and await self._edit_pressed(interaction, reply):
                continue
            texts = parts(reply.text)
            for number, text in enumerate(texts, start=1):
                last = number == len(texts)
                await self._say(interaction, text, reply if last else None, ephemeral)

    async def _edit_pressed(self, interaction: Interaction, reply: Reply) -> bool:
        texts = parts(reply.text)
        if len(texts) > 1:
            return False
        view = view_for(reply)
        if not interaction.response.is_done():
            await with_retries(
                lambda: interaction.response.edit_message(content=texts[0], view=view)
            )
        else:
            await with_retries(
                lambda: interaction.edit_original_response(content=texts[0], view=view)
            )
        return True

    async def _say(
        self, interaction: Interaction, text: str, reply: Reply | None, ephemeral: bool
    ) -> None:
        async def say() -> None:
            extra = _components(reply)
            if not interaction.response.is_done():
                await interaction.response.send_message(text, ephemeral=ephemeral, **extra)
            else:
                await interaction.followup.send(text, ephemeral=ephemeral, wait=True, **extra)

        await with_retries(say)

    async def _send_to_dm(self, interaction: Interaction, replies: list[Reply]) -> bool:
        """Send the replies to the member's DMs; False if their DMs are closed."""
        user = interaction.user
        try:
            await self._dms.wait()
            channel = user.dm_channel or await with_retries(user.create_dm)
            if channel is None:
                return False
            for reply in replies:
                await send_to_channel(channel, reply)
        except discord.Forbidden:
            await self._core.mark_unreachable(Platform.DISCORD, str(user.id))
            return False
        return True

    def _address(self, interaction: Interaction, private: bool) -> Address:
        guild = interaction.guild_id
        return Address(
            Platform.DISCORD,
            str(interaction.channel_id),
            str(interaction.user.id),
            private=private or guild is None,
            group_id="" if guild is None else str(guild),
            organiser=self._is_organiser(interaction),
        )

    def _is_organiser(self, interaction: Interaction) -> bool:
        member = interaction.user
        if not isinstance(member, discord.Member):
            return False
        return self._organiser(member, interaction.permissions.manage_guild)

    def _organiser(self, member: discord.Member, manage_guild: bool) -> bool:
        """Manage Server, or the organiser role."""
        return manage_guild or any(
            role.name == self._settings.organiser_role for role in member.roles
        )


async def send_to_channel(
    channel: discord.abc.Messageable,
    reply: Reply,
    reference: discord.MessageReference | None = None,
) -> None:
    """Send one reply as one or more messages; components and files go with the last part.

    With a ``reference`` the first part answers that message.
    """
    texts = parts(reply.text)
    for number, text in enumerate(texts, start=1):
        extra = _components(reply if number == len(texts) else None)
        if number == 1 and reference is not None:
            extra["reference"] = reference
        await with_retries(lambda: channel.send(text, **extra))  # noqa: B023


def _components(reply: Reply | None) -> dict[str, Any]:
    """The view and file of a reply, made anew for each try (a sent file is closed)."""
    extra: dict[str, Any] = {}
    if reply is not None:
        view, file = view_for(reply), file_for(reply)
        if view is not None:
            extra["view"] = view
        if file is not None:
            extra["file"] = file
    return extra


def _typed(components: list[dict[str, Any]]) -> str:
    """The value of the text box inside a modal submission."""
    for row in components:
        for item in row.get("components", []) + ([row["component"]] if "component" in row else []):
            if item.get("custom_id") == TEXT_FIELD:
                return str(item.get("value", ""))
    return ""


def _pressed_ephemeral(interaction: Interaction) -> bool:
    message = interaction.message
    return message is not None and message.flags.ephemeral
