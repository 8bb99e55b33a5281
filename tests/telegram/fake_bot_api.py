"""A small Telegram Bot API server on 127.0.0.1 that speaks the real wire format.

python-telegram-bot talks to it exactly as it talks to api.telegram.org: form-encoded (or
multipart) requests to ``/bot<token>/<method>`` and ``{"ok": true, "result": ...}`` answers.
Tests queue updates, read per-chat transcripts, and inject faults (429 with ``retry_after``,
5xx, 403 blocked, stalls), either for a set number of calls (``Fault``) or at random at set
rates (``FaultRates``: also slow replies, dropped connections and malformed bodies).
In webhook mode (``balance``) the server posts each update to the bot instances in turn, as
Telegram does to a load balancer in front of them. Several bot processes can share one
server: a bot whose API base ends in ``/<name>`` is told apart by that name
(``Sent.instance``). People's own messages in a group are kept too (``said``), as the bot in
privacy mode never gets them but sees them when someone replies to one with a command.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bench.fake_telegram import SENDS, RateLimits

BOT_ID = 777000
BOT_USERNAME = "YouSaidTestBot"
TOKEN = "123456:TEST-token-for-the-fake-server"


@dataclass
class Sent:
    """A message as the fake server holds it."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None
    kind: str = "text"
    edits: int = 0
    instance: str = ""
    """Which bot process sent it, when several share the server."""
    reply_to: int | None = None
    """The message this one answers (``reply_parameters``)."""

    def buttons(self) -> list[dict[str, Any]]:
        """Every inline button, row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    def button(self, label_part: str) -> dict[str, Any]:
        """The first button whose label contains ``label_part``."""
        for button in self.buttons():
            if label_part in button["text"]:
                return button
        raise AssertionError(f"no button with {label_part!r} in {self.text!r}")


@dataclass
class Fault:
    """What to answer instead of success for the next ``times`` matching calls."""

    methods: set[str]
    status: int
    times: int
    retry_after: int | None = None
    description: str = "Internal Server Error"
    stall: float = 0.0


MALFORMED = (
    b'{"ok": true, "resu',
    b"<html><body>502 Bad Gateway</body></html>",
    b"",
    b'{"ok": true}',
)
"""Bodies that are not a Bot API answer: cut short, an HTML page, empty, JSON without a result."""


@dataclass
class FaultRates:
    """Faults injected at random on every call of ``methods`` (all methods when empty).

    Each rate is the share of calls that get that fault. A 429 or 5xx is answered before the
    call does anything, as is a dropped connection (the socket is closed with no answer). A slow
    reply and a malformed body come after the call did its work (the message was sent), as
    when an answer is lost on its way back.
    """

    too_many: float = 0.0
    server_error: float = 0.0
    slow: float = 0.0
    dropped: float = 0.0
    malformed: float = 0.0
    methods: set[str] = field(default_factory=set)
    retry_after: int = 1
    slow_seconds: float = 1.0
    seed: int = 0
    injected: Counter[str] = field(default_factory=Counter)
    """How many of each fault were injected, by kind."""

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def draw(self, method: str) -> str | None:
        """The fault for this call, if any: too_many, server_error, slow, dropped, malformed."""
        if self.methods and method not in self.methods:
            return None
        roll = self._random.random()
        for kind in ("too_many", "server_error", "slow", "dropped", "malformed"):
            rate = float(getattr(self, kind))
            if roll < rate:
                self.injected[kind] += 1
                return kind
            roll -= rate
        return None

    def body(self) -> bytes:
        """One malformed body."""
        return self._random.choice(MALFORMED)


@dataclass
class ChatMember:
    status: str = "member"


@dataclass
class FakeBotApi:
    """The server's state: updates waiting to be fetched, messages sent, calls made."""

    updates: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[int, list[Sent]] = field(default_factory=lambda: defaultdict(list))
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    callback_answers: list[dict[str, Any]] = field(default_factory=list)
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    said_by_people: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    rates: FaultRates | None = None
    """Faults injected at random, at set rates, after any ``faults`` due."""
    blocked: set[int] = field(default_factory=set)
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    deleted: list[tuple[int, int]] = field(default_factory=list)
    pushed: dict[int, dict[str, Any]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    url: str = ""
    confirmed: int = 0
    closing: bool = False
    backends: list[str] = field(default_factory=list)
    delivered: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    """Webhook mode: each update id and the backends (by index) that answered it with 200."""
    redeliver_every: int = 0
    """Webhook mode: post every n-th update a second time, to the next backend."""
    limits: RateLimits | None = None
    """Telegram's sending limits, enforced with 429s when set (``limits.refused`` counts them)."""

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._new_update = asyncio.Event()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._turn = itertools.count()
        self._chat_deliveries: dict[int, asyncio.Task[None]] = {}
        self._http: aiohttp.ClientSession | None = None

    # ---- serving -------------------------------------------------------------------------

    async def start(self) -> str:
        """Serve on a free port of 127.0.0.1; the base URL for ``ApplicationBuilder``."""
        app = web.Application()
        for route in ("/bot{token}/{method}", "/{instance}/bot{token}/{method}"):
            app.router.add_route("POST", route, self._handle)
            app.router.add_route("GET", route, self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        """Stop serving, releasing any long poll at once."""
        self.closing = True
        self._new_update.set()
        for task in self._chat_deliveries.values():
            task.cancel()
        await asyncio.gather(*self._chat_deliveries.values(), return_exceptions=True)
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _parameters(request)
        params["__instance__"] = request.match_info.get("instance", "")
        if request.match_info["token"] != TOKEN:
            return _error(401, "Unauthorized")
        self.calls.append((method, params))
        await self._notify()
        if self.limits is not None and method in SENDS:
            wait = self.limits.admit(int(params["chat_id"]), time.monotonic())
            if wait is not None:
                return _error(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
        for fault in self.faults:
            if fault.times > 0 and method in fault.methods:
                fault.times -= 1
                if fault.stall:
                    await asyncio.sleep(fault.stall)
                    break
                extra = {"retry_after": fault.retry_after} if fault.retry_after else None
                return _error(fault.status, fault.description, extra)
        drawn = self.rates.draw(method) if self.rates is not None else None
        if drawn == "too_many":
            assert self.rates is not None
            retry = {"retry_after": self.rates.retry_after}
            return _error(429, f"Too Many Requests: retry after {self.rates.retry_after}", retry)
        if drawn == "server_error":
            return _error(random.choice((500, 502, 503)), "Internal Server Error")
        if drawn == "dropped":
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=500)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return _error(404, f"Not Found: method {method} not found")
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        await self._notify()
        if drawn == "slow":
            assert self.rates is not None
            await asyncio.sleep(self.rates.slow_seconds)
        if drawn == "malformed":
            assert self.rates is not None
            return web.Response(body=self.rates.body(), content_type="application/json")
        return web.json_response({"ok": True, "result": result})

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- Bot API methods -------------------------------------------------------------------

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "YouSaid",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            self.confirmed = max(self.confirmed, offset - 1)
            await self._notify()
        deadline = time.monotonic() + timeout
        while not self.updates and not self.closing and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        limit = int(params.get("limit", 100) or 100)
        return self.updates[:limit]

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        return self._store(params, params["text"], "text")

    async def _m_sendphoto(self, params: dict[str, Any]) -> Any:
        return self._store(params, params.get("caption", ""), "photo")

    async def _m_senddocument(self, params: dict[str, Any]) -> Any:
        return self._store(params, params.get("caption", ""), "document")

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        message = self._find(params)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = _json(params.get("reply_markup"))
        if message.text == params["text"] and message.reply_markup == markup:
            return _error(400, "Bad Request: message is not modified")
        message.text, message.reply_markup = params["text"], markup
        message.edits += 1
        return self._message_json(message)

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        message = self._find(params)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        message.reply_markup = _json(params.get("reply_markup"))
        message.edits += 1
        return self._message_json(message)

    async def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        if self.members.get((chat_id, BOT_ID)) != "administrator":
            return _error(400, "Bad Request: message can't be deleted")
        self.deleted.append((chat_id, message_id))
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        self.callback_answers.append(params)
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        scope = _json(params.get("scope")) or {"type": "default"}
        self.commands[scope["type"]] = _json(params["commands"])
        return True

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = params
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {}
        return True

    async def _m_getchatmember(self, params: dict[str, Any]) -> Any:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = self.members.get((chat_id, user_id), "member")
        member: dict[str, Any] = {"status": status, "user": _user(user_id)}
        if status == "administrator":
            member |= _ADMIN_RIGHTS
        elif status == "creator":
            member["is_anonymous"] = False
        return member

    async def _m_getchatadministrators(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        return [
            {
                "status": status,
                "user": _user(user),
                **(_ADMIN_RIGHTS if status != "creator" else {"is_anonymous": False}),
            }
            for (chat, user), status in self.members.items()
            if chat == chat_id and status in ("administrator", "creator")
        ]

    async def _m_close(self, params: dict[str, Any]) -> Any:
        return True

    # ---- helpers for tests -------------------------------------------------------------------

    def _store(self, params: dict[str, Any], text: str, kind: str) -> Any:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        answering = _json(params.get("reply_parameters")) or {}
        reply_to = answering.get("message_id")
        if reply_to is not None and not self._exists(chat_id, int(reply_to)):
            if not answering.get("allow_sending_without_reply"):
                return _error(400, "Bad Request: message to be replied not found")
            reply_to = None
        message = Sent(
            chat_id,
            next(self._message_ids[chat_id]),
            text,
            _json(params.get("reply_markup")),
            kind,
            instance=params.get("__instance__", ""),
            reply_to=None if reply_to is None else int(reply_to),
        )
        self.messages[chat_id].append(message)
        return self._message_json(message)

    def _exists(self, chat_id: int, message_id: int) -> bool:
        by_bot = any(m.message_id == message_id for m in self.messages[chat_id])
        return by_bot or (chat_id, message_id) in self.said_by_people

    def _find(self, params: dict[str, Any]) -> Sent | None:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        return next((m for m in self.messages[chat_id] if m.message_id == message_id), None)

    def _message_json(self, message: Sent) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": _chat(message.chat_id),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "YouSaid"},
        }
        if message.kind == "text":
            data["text"] = message.text
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        return data

    def push(self, update: dict[str, Any]) -> int:
        """Queue one update (an update_id is given if missing); returns its id.

        In webhook mode it is posted to a backend instead, after the updates of its chat
        before it (Telegram keeps one chat's updates in order).
        """
        update.setdefault("update_id", 1000 + next(self._ids))
        self.pushed[int(update["update_id"])] = update
        if self.backends:
            chat = _chat_id(update)
            before = self._chat_deliveries.get(chat)
            self._chat_deliveries[chat] = asyncio.create_task(self._post(update, before))
        else:
            self.updates.append(update)
            self._new_update.set()
        return int(update["update_id"])

    def balance(self, backends: list[str]) -> None:
        """Webhook mode: post updates to these URLs in turn, with the secret of setWebhook."""
        self.backends = backends
        self._http = aiohttp.ClientSession()

    async def posted(self) -> None:
        """Webhook mode: wait until every update pushed so far was posted (again, if due)."""
        await asyncio.gather(*self._chat_deliveries.values())

    async def _post(self, update: dict[str, Any], before: asyncio.Task[None] | None) -> None:
        if before is not None:
            await asyncio.gather(before, return_exceptions=True)
        number = list(self.pushed).index(int(update["update_id"])) + 1
        first = await self._post_once(update)
        if self.redeliver_every and number % self.redeliver_every == 0:
            await self._post_once(update, avoid=first)

    async def _post_once(self, update: dict[str, Any], avoid: int | None = None) -> int:
        """Post until a backend answers 200 (as Telegram retries); which one did."""
        assert self._http is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook.get("secret_token", "")}
        for _ in range(200):
            backend = next(self._turn) % len(self.backends)
            if backend == avoid and len(self.backends) > 1:
                backend = next(self._turn) % len(self.backends)
            try:
                async with self._http.post(
                    self.backends[backend], json=update, headers=headers
                ) as response:
                    if response.status == 200:
                        self.delivered[int(update["update_id"])].append(backend)
                        await self._notify()
                        return backend
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
        raise AssertionError(f"no backend took update {update['update_id']}")

    def message(self, chat_id: int, user_id: int, text: str, **extra: Any) -> int:
        """Queue a text message (a command when it starts with /) from a user in a chat."""
        body: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": _user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        body |= extra
        self.said_by_people[(chat_id, body["message_id"])] = body
        return self.push({"message": body})

    def said(self, chat_id: int, user_id: int, text: str) -> dict[str, Any]:
        """Someone writes in a group; the bot (in privacy mode) is not sent it."""
        body: dict[str, Any] = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": _user(user_id),
            "text": text,
        }
        self.said_by_people[(chat_id, body["message_id"])] = body
        return body

    def reply(self, chat_id: int, user_id: int, text: str, to: Sent | dict[str, Any]) -> int:
        """Queue a message answering another, as Telegram sends it: with the whole message
        replied to (buttons and all), but not the message that one replied to."""
        replied = self._message_json(to) if isinstance(to, Sent) else dict(to)
        replied.pop("reply_to_message", None)
        return self.message(chat_id, user_id, text, reply_to_message=replied)

    def delete(self, message: Sent) -> None:
        """Someone deletes a message of the bot's."""
        self.messages[message.chat_id].remove(message)

    def sticker(self, chat_id: int, user_id: int) -> int:
        """Queue a sticker where text may be expected."""
        body = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": _user(user_id),
            "sticker": {
                "file_id": "sticker-file",
                "file_unique_id": "sticker-unique",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            },
        }
        return self.push({"message": body})

    def press(self, message: Sent, user_id: int, data: str | None = None, label: str = "") -> int:
        """Queue a press on a button of a message the bot sent."""
        if data is None:
            data = message.button(label)["callback_data"]
        query = {
            "id": str(next(self._ids)),
            "from": _user(user_id),
            "chat_instance": f"ci{message.chat_id}",
            "data": data,
            "message": self._message_json(message),
        }
        return self.push({"callback_query": query})

    def bot_added(self, chat_id: int, by_user: int, title: str = "Youth Forum") -> int:
        """Queue the my_chat_member update Telegram sends when the bot joins a group."""
        now = int(time.time())
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "YouSaid", "username": BOT_USERNAME}
        change = {
            "chat": _chat(chat_id, title),
            "from": _user(by_user),
            "date": now,
            "old_chat_member": {"status": "left", "user": bot},
            "new_chat_member": {"status": "member", "user": bot},
        }
        return self.push({"my_chat_member": change})

    def texts(self, chat_id: int) -> list[str]:
        """Every message text in one chat, in order."""
        return [message.text for message in self.messages[chat_id]]

    def last(self, chat_id: int) -> Sent:
        """The newest message in a chat."""
        return self.messages[chat_id][-1]

    async def wait_for(self, predicate: Any, within: float = 20.0) -> None:
        """Wait until ``predicate()`` is true, checking after every call the bot makes."""

        async def check() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(check(), within)

    async def wait_for_messages(self, chat_id: int, count: int, within: float = 20.0) -> None:
        """Wait until a chat holds at least ``count`` messages."""
        await self.wait_for(lambda: len(self.messages[chat_id]) >= count, within)

    async def wait_until_fetched(self, update_id: int, within: float = 20.0) -> None:
        """Wait until the bot confirmed an update (asked for a later offset, or answered 200)."""
        await self.wait_for(
            lambda: self.confirmed >= update_id or update_id in self.delivered, within
        )


@contextlib.asynccontextmanager
async def serving() -> AsyncIterator[FakeBotApi]:
    """A fake Bot API server, running until the block ends."""
    server = FakeBotApi()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def _chat_id(update: dict[str, Any]) -> int:
    for kind in ("message", "my_chat_member"):
        if kind in update:
            return int(update[kind]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return 0


_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
}


def _chat(chat_id: int, title: str = "Youth Forum") -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
    return {"id": chat_id, "type": "supergroup", "title": title}


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


def _json(value: Any) -> Any:
    if value is None or not isinstance(value, str):
        return value
    return json.loads(value)


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


async def _parameters(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        return dict(await request.json())
    if request.method == "GET":
        return dict(request.query)
    form = await request.post()
    return {
        key: value if isinstance(value, str) else value.file.read() for key, value in form.items()
    }
