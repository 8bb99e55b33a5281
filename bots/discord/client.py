"""The Discord bot: a discord.py client with slash commands, wired to the core.

By default only the guilds intent is used: no message content, no member lists. Everything a
member does arrives as an interaction (a slash command, a button, a select menu or a text box).
With ``YOUSAID_DISCORD_READ_MESSAGES`` the bot also reads server posts, so a forum can have them
checked (``/moderate``); that needs the privileged message content intent, which the bot's owner
turns on in the Developer Portal.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord
import yarl
from discord import app_commands

from bots.discord.bridge import Bridge, send_to_channel
from bots.discord.errors import DiscordStartError
from bots.discord.settings import DiscordSettings
from bots.web_server import WebServer
from core import commands, texts
from core.config import Settings
from core.delivery import Outcome, Rejected, Sent, Transient, Unreachable
from core.messages import Platform, Reply
from core.ports import ChatPoster
from core.service import YouSaid

log = logging.getLogger(__name__)

HEALTH_NAME = "discord"
BAD_TOKEN = (
    "Discord refused the bot token in YOUSAID_DISCORD_TOKEN. Check it in the Developer Portal."
)
NO_MESSAGE_CONTENT = (
    "YOUSAID_DISCORD_READ_MESSAGES is on, but Discord has not allowed this bot to read messages. "
    "Turn on Message Content Intent for the bot in the Developer Portal, or unset the setting."
)
_DESCRIPTIONS = {
    c.name: c.description for c in (*commands.PRIVATE, *commands.ORGANISER, *commands.COMMISSIONER)
}


class YouSaidClient(discord.AutoShardedClient):
    """The client: slash commands and components go to the bridge, replies come back.

    It runs the shards set in YOUSAID_DISCORD_SHARD_COUNT and YOUSAID_DISCORD_SHARD_IDS (by
    default as many as Discord recommends, all in this process: one, for a bot in fewer than
    about 2,000 servers).
    """

    def __init__(
        self, core: YouSaid, settings: DiscordSettings, connected: Callable[[bool], None]
    ) -> None:
        super().__init__(
            intents=_intents(settings),
            guild_ready_timeout=0.5,
            shard_count=settings.shard_count,
            shard_ids=settings.shards,  # type: ignore[arg-type]  # None: all of them
        )
        self.settings = settings
        self.bridge = Bridge(core, settings)
        self._connected = connected
        self.tree = app_commands.CommandTree(self)
        _add_commands(self.tree, self.bridge)

    async def setup_hook(self) -> None:
        """Sync slash commands: to the development server if set, else globally."""
        if self.settings.dev_guild_id is not None:
            guild = discord.Object(self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_ready(self) -> None:
        """Connected to the gateway, with the servers loaded."""
        self._connected(True)

    async def on_resumed(self) -> None:
        """Connected again after a dropped connection."""
        self._connected(True)

    async def on_disconnect(self) -> None:
        """The gateway connection dropped; discord.py connects again by itself."""
        self._connected(False)

    async def on_message(self, message: discord.Message) -> None:
        """A post in a server channel; only arrives with ``YOUSAID_DISCORD_READ_MESSAGES``."""
        if message.guild is not None and not message.author.bot and message.content:
            try:
                await self.bridge.post(message)
            except discord.HTTPException as error:
                log.warning("could not hide a flagged post: %s", error.status)

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Components and text boxes; slash commands are routed by the command tree."""
        try:
            if interaction.type == discord.InteractionType.component:
                await self.bridge.component(interaction)
            elif interaction.type == discord.InteractionType.modal_submit:
                await self.bridge.modal(interaction)
        except discord.HTTPException as error:
            log.warning("could not answer an interaction: %s", error.status)


def _intents(settings: DiscordSettings) -> discord.Intents:
    """Servers only; members' posts too when the deployment opted in to reading them."""
    reads = settings.read_messages
    return discord.Intents(guilds=True, guild_messages=reads, message_content=reads)


def _add_commands(tree: app_commands.CommandTree[Any], bridge: Bridge) -> None:
    def simple(name: str) -> None:
        async def callback(interaction: discord.Interaction[Any]) -> None:
            await bridge.command(interaction, name)

        tree.add_command(
            app_commands.Command(name=name, description=_DESCRIPTIONS[name], callback=callback)
        )

    for name in (
        "start",
        "consult",
        "pause",
        "resume",
        "skip",
        "help",
        "stop",
        "mydata",
        "myrecord",
        "forgetme",
        "endpoll",
        "results",
        "redcards",
        "endballot",
        "members",
    ):
        simple(name)

    @tree.command(name="ballot", description=_DESCRIPTIONS["ballot"])
    @app_commands.describe(
        question="What you want to ask",
        options="Options, with | between them",
        settings="Optional: irv, approval or stv; how long, like 2d; turnout=5",
    )
    async def ballot(
        interaction: discord.Interaction[Any], question: str, options: str, settings: str = ""
    ) -> None:
        await bridge.command(interaction, "ballot", f"{settings} {question} | {options}".strip())

    @tree.command(name="poll", description=_DESCRIPTIONS["poll"])
    @app_commands.describe(question="What you want to ask", options="Answers, with | between them")
    async def poll(interaction: discord.Interaction[Any], question: str, options: str) -> None:
        await bridge.command(interaction, "poll", f"{question} | {options}")

    @tree.command(name="moderate", description=_DESCRIPTIONS["moderate"])
    @app_commands.describe(setting="on, hide or off; leave it empty to see how it is set")
    async def moderate(interaction: discord.Interaction[Any], setting: str = "") -> None:
        await bridge.command(interaction, "moderate", setting)

    @tree.command(name="hours", description=_DESCRIPTIONS["hours"])
    @app_commands.describe(setting="night or school, then hours like 21:00-08:00, off or usual")
    async def hours(interaction: discord.Interaction[Any], setting: str = "") -> None:
        await bridge.command(interaction, "hours", setting)

    @tree.command(name="digest", description=_DESCRIPTIONS["digest"])
    @app_commands.describe(setting="on or off; leave it empty to see how it is set")
    async def digest(interaction: discord.Interaction[Any], setting: str = "") -> None:
        await bridge.command(interaction, "digest", setting)

    @tree.command(name="invite", description=_DESCRIPTIONS["invite"])
    @app_commands.describe(consultation="The short name of what to have your say on")
    async def invite(interaction: discord.Interaction[Any], consultation: str) -> None:
        await bridge.command(interaction, "invite", consultation)

    @tree.command(name="announce", description=_DESCRIPTIONS["announce"])
    @app_commands.describe(news="What you want to tell the group")
    async def announce(interaction: discord.Interaction[Any], news: str) -> None:
        await bridge.command(interaction, "announce", news)

    @tree.command(name="outcome", description=_DESCRIPTIONS["outcome"])
    @app_commands.describe(
        details="name | they said | you did | what next; or 3 done 100; or 3 at 2027-01-15 16:30"
    )
    async def outcome(interaction: discord.Interaction[Any], details: str) -> None:
        await bridge.command(interaction, "outcome", details)

    @tree.command(name="award", description=_DESCRIPTIONS["award"])
    @app_commands.describe(consultation="The short name of what they had their say on")
    async def award(interaction: discord.Interaction[Any], consultation: str) -> None:
        await bridge.command(interaction, "award", consultation)

    @tree.command(name="certificate", description=_DESCRIPTIONS["certificate"])
    @app_commands.describe(first_name="Optional: your first name, to put on it (we don't keep it)")
    async def certificate(interaction: discord.Interaction[Any], first_name: str = "") -> None:
        await bridge.command(interaction, "certificate", first_name)

    @tree.command(name="whatis", description=_DESCRIPTIONS["whatis"])
    @app_commands.describe(word="The word you want to know about")
    async def whatis(interaction: discord.Interaction[Any], word: str) -> None:
        await bridge.command(interaction, "whatis", word)

    async def red_card(interaction: discord.Interaction[Any], message: discord.Message) -> None:
        await bridge.red_card_menu(interaction, message)

    tree.add_command(
        app_commands.ContextMenu(
            name=texts.REDCARD_MENU,
            callback=red_card,
            allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=True),
        )
    )


class DiscordOut:
    """The outbox's way to Discord (a private message to one member), and posts in channels."""

    def __init__(self, client: YouSaidClient) -> None:
        self._client = client

    async def send(self, user_id: str, reply: Reply) -> Outcome:
        """Send one queued message to a member's DMs."""
        try:
            user = await self._client.fetch_user(int(user_id))
            await send_to_channel(user.dm_channel or await user.create_dm(), reply)
        except discord.Forbidden as error:
            return Unreachable(error.text or "direct messages closed")
        except discord.NotFound as error:
            return Rejected(error.text or "unknown member")
        except (discord.HTTPException, OSError) as error:
            return Transient(str(getattr(error, "status", error)))
        return Sent()

    async def post(self, chat_id: str, reply: Reply) -> bool:
        """Post in a channel a message no one asked for (the core's ChatPoster port)."""
        try:
            await send_to_channel(self._client.get_partial_messageable(int(chat_id)), reply)
        except (discord.HTTPException, OSError) as error:
            log.warning("could not post in a channel: %s", getattr(error, "status", error))
            return False
        return True


async def run_discord(
    core: YouSaid,
    settings: Settings,
    server: WebServer | None = None,
    posters: dict[Platform, ChatPoster] | None = None,
) -> None:
    """Run the Discord bot until cancelled, with an outbox worker for Discord alongside.

    ``server`` (the bot's web server) is told whether the gateway is connected. Once logged
    in, the bot's way of posting in channels is put into ``posters``, if given.
    """
    assert settings.discord_token is not None
    if server is not None:
        server.expect(HEALTH_NAME)
    discord_settings = DiscordSettings()
    if discord_settings.api_base:
        discord.http.Route.BASE = discord_settings.api_base
    if discord_settings.gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(discord_settings.gateway_url)
    client = YouSaidClient(
        core, discord_settings, lambda up: server.report(HEALTH_NAME, up) if server else None
    )
    try:
        await client.login(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        await client.close()
        raise DiscordStartError(BAD_TOKEN) from None
    out = DiscordOut(client)
    if posters is not None:
        posters[Platform.DISCORD] = out
    sending = asyncio.create_task(core.delivery_worker({Platform.DISCORD: out}).run())
    try:
        await client.connect(reconnect=True)
    except discord.PrivilegedIntentsRequired:
        raise DiscordStartError(NO_MESSAGE_CONTENT) from None
    finally:
        if posters is not None:
            posters.pop(Platform.DISCORD, None)
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
        await client.close()
