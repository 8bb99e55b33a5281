"""A small Discord on 127.0.0.1: a gateway websocket and the REST routes the bot uses.

discord.py is pointed at it through its own configuration points (``Route.BASE`` and
``DiscordWebSocket.DEFAULT_GATEWAY``) and talks to it as to Discord: HELLO, IDENTIFY, READY,
GUILD_CREATE, heartbeats, RESUME after a dropped connection, INTERACTION_CREATE events that
tests script (slash commands, buttons, select menus, text boxes and message menu commands of
type 3 with their target and resolved message), interaction callbacks and follow-ups, DMs and
channel messages (with replies to messages), fetching a message or a member. Members' own
messages are kept too (``post_as``): the bot has no message intents, so it is never sent them,
and fetching one gives it without its content, as Discord does without the message content
intent. Faults: 429 with ``retry_after``, 5xx, DMs closed (403, code 50007), dropped gateway
connections.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import WSMsgType, web

TOKEN = "fake-discord-bot-token.abc.def"
APP_ID = "900000000000000001"
BOT_ID = "900000000000000001"
GUILD_ID = "800000000000000001"
CHANNEL_ID = "800000000000000002"
EVERYONE_ROLE = GUILD_ID
ORGANISER_ROLE = "800000000000000003"
MANAGE_GUILD = 1 << 5
EPHEMERAL = 64
GUILD_MESSAGES = 1 << 9
MESSAGE_CONTENT = 1 << 15
"""Privileged: Discord sends posts' words only to bots allowed it in the Developer Portal."""

_ids = itertools.count(100000000000000000)


def snowflake() -> str:
    """A new unique id."""
    return str(next(_ids))


def now() -> str:
    """Discord's timestamp format."""
    return datetime.now(UTC).isoformat()


def user_json(user_id: str, bot: bool = False) -> dict[str, Any]:
    """A user object."""
    return {
        "id": user_id,
        "username": f"user{user_id[-4:]}",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


BOT_USER = user_json(BOT_ID, bot=True)


@dataclass
class Message:
    """A message as the fake holds it."""

    id: str
    channel_id: str
    content: str
    components: list[dict[str, Any]]
    flags: int = 0
    interaction_user: str | None = None
    edits: int = 0
    files: int = 0
    author: str = BOT_ID
    message_reference: dict[str, Any] | None = None

    @property
    def ephemeral(self) -> bool:
        """True for messages only one member sees."""
        return bool(self.flags & EPHEMERAL)

    def items(self) -> list[dict[str, Any]]:
        """Every component inside the action rows."""
        return [item for row in self.components for item in row.get("components", [])]

    def buttons(self) -> list[dict[str, Any]]:
        """Every button."""
        return [item for item in self.items() if item["type"] == 2]

    def button(self, label_part: str) -> dict[str, Any]:
        """The first button whose label contains ``label_part``."""
        for item in self.buttons():
            if label_part in item.get("label", ""):
                return item
        raise AssertionError(f"no button {label_part!r} in {self.content!r}")

    def select(self) -> dict[str, Any] | None:
        """The select menu, if any."""
        return next((item for item in self.items() if item["type"] == 3), None)

    def json(self, content: bool = True) -> dict[str, Any]:
        """The message as Discord sends it (``content`` False: as the intent leaves it out)."""
        return {
            "id": self.id,
            "channel_id": self.channel_id,
            "type": 19 if self.message_reference else 0,
            "content": self.content if content else "",
            "author": BOT_USER if self.author == BOT_ID else user_json(self.author),
            "attachments": [],
            "embeds": [],
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "mention_everyone": False,
            "tts": False,
            "timestamp": now(),
            "edited_timestamp": None,
            "flags": self.flags,
            "components": self.components,
            **({"message_reference": self.message_reference} if self.message_reference else {}),
        }


@dataclass
class Fault:
    """Answer ``times`` matching REST calls with an error instead."""

    path_part: str
    status: int
    times: int
    retry_after: float = 0.0
    code: int = 0


@dataclass
class Pending:
    """An interaction the fake dispatched, and how the bot answered it."""

    id: str
    token: str
    user_id: str
    channel_id: str
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    original: Message | None = None
    dispatched_at: float = 0.0
    loading: bool = False
    answered_at: float | None = None


class FakeDiscord:
    """The fake's state and its web server."""

    def __init__(self) -> None:
        self.url = ""
        self.messages: dict[str, list[Message]] = defaultdict(list)
        self.calls: list[tuple[str, str, Any]] = []
        self.faults: list[Fault] = []
        self.closed_dms: set[str] = set()
        self.dm_channels: dict[str, str] = {}
        self.interactions: dict[str, Pending] = {}
        self.synced: dict[str, list[dict[str, Any]]] = {}
        self.members: dict[str, dict[str, Any]] = {}
        self.identifies = 0
        self.shards: list[list[int] | None] = []
        """The ``[shard_id, shard_count]`` of each IDENTIFY, as READY echoes it."""
        self.intents: int | None = None
        self.message_content_allowed = True
        self.deleted: list[tuple[str, str]] = []
        self.resumes = 0
        self.session_id = "session-1"
        self._sequence = 0
        self._sent_events: list[dict[str, Any]] = []
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._commands: dict[str, str] = {}
        self.pressed: dict[str, Message] = {}

    # ---- serving ---------------------------------------------------------------------------

    async def start(self) -> str:
        """Serve on a free port; returns the base URL."""
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    @property
    def rest_base(self) -> str:
        """What to set ``discord.http.Route.BASE`` to."""
        return f"{self.url}/api/v10"

    @property
    def gateway_url(self) -> str:
        """What to set ``DiscordWebSocket.DEFAULT_GATEWAY`` to."""
        return f"{self.url.replace('http', 'ws')}/gateway"

    async def stop(self) -> None:
        """Close every socket and stop serving."""
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, predicate: Any, within: float = 20.0) -> None:
        """Wait until ``predicate()`` holds, checking after every request or frame."""

        async def check() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(check(), within)

    # ---- gateway -----------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}}))
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    break
                await self._on_frame(socket, json.loads(frame.data))
                await self._notify()
        finally:
            self._sockets.remove(socket)
        return socket

    async def _on_frame(self, socket: web.WebSocketResponse, payload: dict[str, Any]) -> None:
        op = payload["op"]
        if op == 1:
            await socket.send_str(json.dumps({"op": 11}))
        elif op == 2:
            self.identifies += 1
            self.intents = payload["d"]["intents"]
            shard = payload["d"].get("shard")
            self.shards.append(shard)
            if self.intents & MESSAGE_CONTENT and not self.message_content_allowed:
                await socket.close(code=4014)  # "Disallowed intent(s)"
                return
            self._sequence = 0
            self._sent_events.clear()
            ready = self._ready() | ({"shard": shard} if shard is not None else {})
            await self._dispatch(socket, "READY", ready)
            await self._dispatch(socket, "GUILD_CREATE", self._guild())
        elif op == 6:
            self.resumes += 1
            seq = payload["d"]["seq"] or 0
            for event in [e for e in self._sent_events if e["s"] > seq]:
                await socket.send_str(json.dumps(event))
            await self._dispatch(socket, "RESUMED", {})

    async def _dispatch(self, socket: web.WebSocketResponse, name: str, data: Any) -> None:
        self._sequence += 1
        event = {"op": 0, "t": name, "s": self._sequence, "d": data}
        self._sent_events.append(event)
        await socket.send_str(json.dumps(event))

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": BOT_USER,
            "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "session_id": self.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": APP_ID, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "user_settings": {},
        }

    def _guild(self) -> dict[str, Any]:
        role = {
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
            "icon": None,
            "unicode_emoji": None,
        }
        return {
            "id": GUILD_ID,
            "name": "Riverside Youth Forum",
            "icon": None,
            "owner_id": "1",
            "roles": [
                {"id": EVERYONE_ROLE, "name": "@everyone", "permissions": "0", "position": 0}
                | role,
                {"id": ORGANISER_ROLE, "name": "Organiser", "permissions": "0", "position": 1}
                | role,
            ],
            "channels": [
                {
                    "id": CHANNEL_ID,
                    "type": 0,
                    "name": "general",
                    "position": 0,
                    "permission_overwrites": [],
                    "nsfw": False,
                    "parent_id": None,
                    "topic": None,
                }
            ],
            "members": [],
            "member_count": 30,
            "unavailable": False,
            "large": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "voice_states": [],
            "presences": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "system_channel_id": None,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-GB",
            "nsfw_level": 0,
            "joined_at": now(),
        }

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the gateway connection as Discord does when it restarts a node."""
        for socket in list(self._sockets):
            await socket.close(code=code)

    # ---- interactions ------------------------------------------------------------------------

    def member(
        self, user_id: str, organiser: bool = False, manage_guild: bool = False
    ) -> dict[str, Any]:
        """A guild member payload as interactions carry it."""
        return {
            "user": user_json(user_id),
            "roles": [ORGANISER_ROLE] if organiser else [],
            "joined_at": now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "premium_since": None,
            "permissions": str(MANAGE_GUILD if manage_guild else 1024 | 2048),
        }

    async def interact(
        self,
        user_id: str,
        kind: int,
        data: dict[str, Any],
        *,
        in_guild: bool = True,
        message: Message | None = None,
        organiser: bool = False,
        manage_guild: bool = False,
    ) -> Pending:
        """Dispatch INTERACTION_CREATE over the gateway, as Discord does when a member acts."""
        interaction_id, token = snowflake(), f"itoken-{snowflake()}"
        channel_id = CHANNEL_ID if in_guild else self._dm_channel(user_id)
        body: dict[str, Any] = {
            "id": interaction_id,
            "application_id": APP_ID,
            "type": kind,
            "data": data,
            "channel_id": channel_id,
            "channel": {"id": channel_id, "type": 0 if in_guild else 1, "name": "general"},
            "token": token,
            "version": 1,
            "app_permissions": "2248473465835073",
            "locale": "en-GB",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID} if in_guild else {"1": user_id},
            "context": 0 if in_guild else 1,
            "attachment_size_limit": 10485760,
        }
        if in_guild:
            body["guild_id"] = GUILD_ID
            body["guild_locale"] = "en-GB"
            body["member"] = self.member(user_id, organiser, manage_guild)
            body["guild"] = {"id": GUILD_ID, "locale": "en-GB", "features": []}
        else:
            body["user"] = user_json(user_id)
        if message is not None:
            body["message"] = message.json()
            self.pressed[token] = message
        pending = Pending(interaction_id, token, user_id, channel_id)
        pending.dispatched_at = asyncio.get_running_loop().time()
        self.interactions[token] = pending
        socket = self._sockets[-1]
        await self._dispatch(socket, "INTERACTION_CREATE", body)
        return pending

    async def slash(
        self, user_id: str, name: str, in_guild: bool = True, **options: Any
    ) -> Pending:
        """A member uses a slash command."""
        flags = {k: options.pop(k) for k in ("organiser", "manage_guild") if k in options}
        data: dict[str, Any] = {
            "id": self._commands.get(name, snowflake()),
            "name": name,
            "type": 1,
            "options": [{"name": key, "type": 3, "value": value} for key, value in options.items()],
        }
        if in_guild:
            data["guild_id"] = GUILD_ID
        return await self.interact(user_id, 2, data, in_guild=in_guild, **flags)

    async def press(self, user_id: str, message: Message, custom_id: str) -> Pending:
        """A member presses a button."""
        data = {"custom_id": custom_id, "component_type": 2}
        in_guild = message.channel_id == CHANNEL_ID
        return await self.interact(user_id, 3, data, in_guild=in_guild, message=message)

    async def message_command(
        self, user_id: str, name: str, target: Message, **flags: bool
    ) -> Pending:
        """A member picks a command from a message's Apps menu (type 3, with the message)."""
        data = {
            "id": self._commands.get(name, snowflake()),
            "name": name,
            "type": 3,
            "target_id": target.id,
            "resolved": {"messages": {target.id: target.json()}},
        }
        in_guild = target.channel_id == CHANNEL_ID
        return await self.interact(user_id, 2, data, in_guild=in_guild, **flags)

    def post_as(self, user_id: str, content: str) -> Message:
        """A member writes in the channel; the bot, with the guilds intent only, is not told."""
        message = Message(snowflake(), CHANNEL_ID, content, [], author=user_id)
        self.messages[CHANNEL_ID].append(message)
        return message

    def delete(self, message: Message) -> None:
        """Someone deletes a message."""
        self.messages[message.channel_id].remove(message)

    async def choose(self, user_id: str, message: Message, values: list[str]) -> Pending:
        """A member picks options in a select menu."""
        select = message.select()
        assert select is not None
        data = {"custom_id": select["custom_id"], "component_type": 3, "values": values}
        in_guild = message.channel_id == CHANNEL_ID
        return await self.interact(user_id, 3, data, in_guild=in_guild, message=message)

    async def submit(
        self,
        user_id: str,
        modal: dict[str, Any],
        text: str,
        in_guild: bool,
        message: Message | None = None,
    ) -> Pending:
        """A member types into a modal and submits it (opened from ``message``'s button)."""
        [row] = modal["components"]
        [field_] = row["components"]
        data = {
            "custom_id": modal["custom_id"],
            "components": [
                {
                    "type": 1,
                    "components": [{"type": 4, "custom_id": field_["custom_id"], "value": text}],
                }
            ],
        }
        return await self.interact(user_id, 5, data, in_guild=in_guild, message=message)

    async def post(self, user_id: str, content: str) -> Message | None:
        """A member posts in the server's channel, as everyone there sees it.

        Discord sends MESSAGE_CREATE only with the guild messages intent, and the words only
        with the message content intent; this does the same. None if the bot gets nothing.
        """
        message = Message(snowflake(), CHANNEL_ID, content, [])
        self.messages[CHANNEL_ID].append(message)
        intents = self.intents or 0
        if not intents & GUILD_MESSAGES:
            return None
        body = message.json() | {
            "guild_id": GUILD_ID,
            "author": user_json(user_id),
            "member": {k: v for k, v in self.member(user_id).items() if k != "user"},
            "content": content if intents & MESSAGE_CONTENT else "",
        }
        await self._dispatch(self._sockets[-1], "MESSAGE_CREATE", body)
        return message

    def _dm_channel(self, user_id: str) -> str:
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = snowflake()
        return self.dm_channels[user_id]

    # ---- REST --------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        body = await _body(request)
        self.calls.append((request.method, path, body))
        try:
            for fault in self.faults:
                if fault.times > 0 and fault.path_part in path and request.method != "GET":
                    fault.times -= 1
                    return _fault(fault)
            if request.headers.get("Authorization") != f"Bot {TOKEN}" and not path.startswith(
                ("interactions", "webhooks")
            ):
                return _json({"message": "401: Unauthorized", "code": 0}, 401)
            return await self._route(request.method, path, body)
        finally:
            await self._notify()

    async def _route(self, method: str, path: str, body: Any) -> web.Response:
        parts = path.split("/")
        if path == "users/@me" and method == "GET":
            return _json(BOT_USER | {"verified": True, "mfa_enabled": False, "flags": 0})
        if parts[0] == "users" and len(parts) == 2 and parts[1] != "@me" and method == "GET":
            return _json(user_json(parts[1]))
        if path == "oauth2/applications/@me":
            return _json(self._application())
        if path.startswith("gateway"):
            return _json(
                {
                    "url": self.gateway_url,
                    "shards": 1,
                    "session_start_limit": {
                        "total": 1000,
                        "remaining": 999,
                        "reset_after": 0,
                        "max_concurrency": 1,
                    },
                }
            )
        if parts[0] == "applications" and method == "PUT":
            scope = parts[3] if len(parts) > 4 else "global"
            commands = [self._command(c) for c in body]
            self.synced[scope] = commands
            return _json(commands)
        if parts[0] == "applications" and method == "GET":
            return _json(self.synced.get(parts[3] if len(parts) > 4 else "global", []))
        if parts[0] == "interactions":
            return self._callback(parts[2], body)
        if parts[0] == "webhooks":
            return self._webhook(method, parts, body)
        if parts[0] == "users" and len(parts) == 2 and method == "GET":
            return _json(user_json(parts[1]))
        if path == "users/@me/channels":
            body["recipient_id"] = str(body["recipient_id"])
            channel = self._dm_channel(body["recipient_id"])
            return _json(
                {
                    "id": channel,
                    "type": 1,
                    "recipients": [user_json(body["recipient_id"])],
                    "last_message_id": None,
                }
            )
        if parts[0] == "channels" and method == "POST" and parts[2] == "messages":
            if parts[1] in self.dm_channels.values() and self._dm_user(parts[1]) in self.closed_dms:
                return _json({"message": "Cannot send messages to this user", "code": 50007}, 403)
            return _json(self._create(parts[1], body).json())
        if parts[0] == "channels" and method == "GET" and len(parts) == 4:
            found = next((m for m in self.messages[parts[1]] if m.id == parts[3]), None)
            if found is None:
                return _json({"message": "Unknown Message", "code": 10008}, 404)
            return _json(found.json(content=self._content_seen(found)))
        if parts[0] == "guilds" and parts[2] == "members" and method == "GET":
            member = self.members.get(parts[3], self.member(parts[3]))
            return _json({k: v for k, v in member.items() if k != "permissions"})
        if parts[0] == "channels" and method == "DELETE" and parts[2] == "messages":
            self.deleted.append((parts[1], parts[3]))
            return web.Response(status=204)
        if parts[0] == "channels" and method == "PATCH":
            message = self._find(parts[1], parts[3])
            self._edit(message, body)
            return _json(message.json())
        return _json({"message": "404: Not Found", "code": 0}, 404)

    def _application(self) -> dict[str, Any]:
        return {
            "id": APP_ID,
            "name": "YouSaid",
            "description": "",
            "icon": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": user_json("1"),
            "verify_key": "0" * 64,
            "team": None,
            "flags": 0,
            "interactions_endpoint_url": None,
            "summary": "",
        }

    def _command(self, data: dict[str, Any]) -> dict[str, Any]:
        command_id = self._commands.setdefault(data["name"], snowflake())
        return {
            "id": command_id,
            "application_id": APP_ID,
            "version": "1",
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            "type": 1,
            "description": "",  # Discord sends it empty for message and user menu commands
            **data,
        }

    def _callback(self, token: str, body: dict[str, Any]) -> web.Response:
        pending = self.interactions[token]
        pending.callbacks.append(body)
        if pending.answered_at is None:
            pending.answered_at = asyncio.get_running_loop().time()
        kind, data = body["type"], body.get("data") or {}
        if "__files__" in body:
            data = {**data, "__files__": body["__files__"]}
        message: Message | None = None
        if kind == 4:
            message = self._create(pending.channel_id, data, pending.user_id)
            pending.original = message
        elif kind == 7:
            original = self._pressed_message(pending)
            if original is not None:
                self._edit(original, data)
                message = original
        elif kind == 5:
            pending.loading = True
            message = self._create(
                pending.channel_id, {"content": "", "flags": data.get("flags", 0)}, pending.user_id
            )
            pending.original = message
        interaction = {
            "id": pending.id,
            "type": kind,
            "response_message_id": message.id if message else None,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool(message and message.ephemeral),
        }
        resource: dict[str, Any] = {"type": kind}
        if message is not None:
            resource["message"] = message.json()
        return _json({"interaction": interaction, "resource": resource})

    def _webhook(self, method: str, parts: list[str], body: Any) -> web.Response:
        pending = self.interactions[parts[2]]
        if method == "POST" and pending.loading and pending.original is not None:
            pending.loading = False  # the first follow-up replaces the "thinking…" message
            self._edit(pending.original, body)
            return _json(pending.original.json())
        if method == "POST":
            return _json(self._create(pending.channel_id, body, pending.user_id).json())
        target = (
            pending.original
            if parts[4] == "@original"
            else self._find(pending.channel_id, parts[4])
        )
        if target is None:
            return _json({"message": "Unknown Message", "code": 10008}, 404)
        self._edit(target, body)
        return _json(target.json())

    def _content_seen(self, message: Message) -> bool:
        """Whether the bot may read a message's words: its own, DMs, or with the intent."""
        in_dm = message.channel_id in self.dm_channels.values()
        has_intent = bool((self.intents or 0) & MESSAGE_CONTENT)
        return message.author == BOT_ID or in_dm or has_intent

    def _pressed_message(self, pending: Pending) -> Message | None:
        return self.pressed.get(pending.token)

    def _create(self, channel_id: str, body: dict[str, Any], user_id: str | None = None) -> Message:
        message = Message(
            snowflake(),
            channel_id,
            body.get("content") or "",
            body.get("components") or [],
            int(body.get("flags") or 0),
            user_id,
            files=body.get("__files__", 0),
            message_reference=_reference(body.get("message_reference")),
        )
        self.messages[channel_id].append(message)
        return message

    def _edit(self, message: Message, body: dict[str, Any]) -> None:
        if "content" in body:
            message.content = body["content"] or ""
        if "components" in body:
            message.components = body["components"] or []
        if "__files__" in body:
            message.files = body["__files__"]
        message.edits += 1

    def _find(self, channel_id: str, message_id: str) -> Message:
        return next(m for m in self.messages[channel_id] if m.id == message_id)

    def _dm_user(self, channel_id: str) -> str:
        return next(user for user, channel in self.dm_channels.items() if channel == channel_id)

    # ---- reading transcripts ------------------------------------------------------------------

    def seen_by(self, user_id: str) -> list[Message]:
        """Messages a member can see: their DMs, and their own ephemeral and public messages."""
        dm = self.dm_channels.get(user_id)
        seen = list(self.messages.get(dm, [])) if dm else []
        seen += [
            m for m in self.messages[CHANNEL_ID] if not m.ephemeral or m.interaction_user == user_id
        ]
        return seen


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer with the content type exactly ``application/json``, as Discord sends."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


def _reference(given: dict[str, Any] | None) -> dict[str, Any] | None:
    """A reply's message reference as Discord keeps it: ids as strings."""
    if not given:
        return None
    return {key: str(value) if key.endswith("_id") else value for key, value in given.items()}


def _fault(fault: Fault) -> web.Response:
    if fault.status == 429:
        headers = {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset-After": str(fault.retry_after),
            "X-RateLimit-Bucket": "fake-bucket",
            "X-RateLimit-Scope": "user",
            "Retry-After": str(fault.retry_after),
            "Via": "1.1 google",  # Discord's own 429s carry it; without it, it is Cloudflare's
        }
        body = {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": False,
        }
        return _json(body, 429, headers)
    if fault.status == 403:
        return _json(
            {"message": "Cannot send messages to this user", "code": fault.code or 50007}, 403
        )
    return web.Response(text="upstream error", status=fault.status, content_type="text/plain")


async def _body(request: web.Request) -> Any:
    if request.method == "GET":
        return dict(request.query)
    if request.content_type == "multipart/form-data":
        form = await request.post()
        payload = json.loads(str(form.get("payload_json", "{}")))
        payload["__files__"] = sum(1 for key in form if key.startswith("files["))
        return payload
    text = await request.text()
    return json.loads(text) if text else {}
