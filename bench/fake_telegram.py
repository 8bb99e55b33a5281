"""A lean Telegram Bot API server with simulated people, for benchmarks; runs as its own process.

It speaks the wire format python-telegram-bot uses (form-encoded POSTs to
``/bot<token>/<method>``, ``{"ok": true, "result": ...}`` answers) over a minimal HTTP/1.1
server written on asyncio's protocol layer, so that as little CPU as possible goes on the
server side. The bot under test runs in another process; this process's CPU is reported apart.

Simulated people react to the bot at once (no thinking time), so the bot always has work
queued. Timings are taken here: when an update was queued, when the bot fetched it, and when
the reply that lets the person go on arrived.

Control endpoints (JSON): ``POST /control/run`` starts a workload, ``GET /control/wait`` waits
for it to finish and returns the figures, ``GET /control/calls`` counts Bot API calls by method,
``GET /control/sent`` gives the messages each chat got, when they came and the 429s answered.

Run: ``python bench/fake_telegram.py [port] [--limits]`` prints ``port <n>`` on its first line,
then serves; with ``--limits`` it enforces Telegram's sending limits (``RateLimits``).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from core import texts

BOT_ID = 777000
BOT_USERNAME = "YouSaidBenchBot"
TOKEN = "123456:BENCH-token-for-the-fake-server"
CONTROLS = {
    texts.BUTTON_PAUSE,
    texts.BUTTON_SKIP,
    texts.BUTTON_AGAIN,
    texts.BUTTON_CHANGE_SCORE,
}
_QUESTION = re.compile(r"Question \d+ of \d+\n\n[^\n]*")
_BOT_USER = {"id": BOT_ID, "is_bot": True, "first_name": "YouSaid", "username": BOT_USERNAME}
_GET_ME = {
    **_BOT_USER,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


SENDS = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText"})
"""The calls that count against Telegram's sending limits."""


@dataclass
class RateLimits:
    """Telegram's sending limits as a server would enforce them, answering 429 when broken.

    At most ``per_second`` messages in any one second over all chats (a sliding window), and
    per private chat a bucket of ``chat_burst`` messages refilled at ``chat_per_second``.
    """

    per_second: int = 30
    chat_per_second: float = 1.0
    chat_burst: float = 3.0
    refused: int = 0
    """429s answered so far."""
    _recent: deque[float] = field(default_factory=deque)
    _chats: dict[int, tuple[float, float]] = field(default_factory=dict)

    def admit(self, chat_id: int, now: float) -> int | None:
        """None if a message to ``chat_id`` may go at ``now``; else the seconds to wait."""
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        tokens, stamp = self._chats.get(chat_id, (self.chat_burst, now))
        tokens = min(self.chat_burst, tokens + (now - stamp) * self.chat_per_second)
        if len(self._recent) >= self.per_second:
            wait = 1.0 - (now - self._recent[0])
        elif chat_id > 0 and tokens < 1:
            wait = (1 - tokens) / self.chat_per_second
        else:
            self._recent.append(now)
            self._chats[chat_id] = (tokens - 1, now)
            return None
        self._chats[chat_id] = (tokens, now)
        self.refused += 1
        return max(1, math.ceil(wait))

    def too_many(self, chat_id: int, now: float) -> bytes | None:
        """The body of a 429 answer if the message breaks a limit, else None."""
        wait = self.admit(chat_id, now)
        if wait is None:
            return None
        return json.dumps(
            {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {wait}",
                "parameters": {"retry_after": wait},
            }
        ).encode()


def _ok(result: Any) -> bytes:
    return json.dumps({"ok": True, "result": result}, separators=(",", ":")).encode()


_TRUE = _ok(True)


@dataclass
class Person:
    """One simulated person in a private chat with the bot."""

    id: int
    left: int = 0
    """Echo mode: messages still to send."""
    waiting: int | None = None
    """The update this person waits on a reply to."""
    last: dict[str, Any] | None = None
    """The newest message with buttons that the bot sent this person."""
    question: str = ""
    answered: int = 0
    finished: bool = False
    first_reply: float | None = None
    messages: int = 0
    sent: int = 0
    chatting: bool = False
    """Done with what the workload gave them, and chatting on until its time is up."""
    seen_at_wait: int = 0
    """``messages`` when the person sent the update they wait on."""


@dataclass
class Timing:
    """When one update was queued, fetched by the bot, and answered."""

    person: int
    pushed: float
    fetched: float = 0.0
    replied: float = 0.0


@dataclass
class Workload:
    """What the simulated people do, and what was seen while they did it."""

    mode: str
    people: dict[int, Person] = field(default_factory=dict)
    timings: dict[int, Timing] = field(default_factory=dict)
    started: float = 0.0
    last_reply: float = 0.0
    stalls: int = 0
    unfinished: int = 0
    steps: int = 0
    """Consult mode: stop after this many updates a person (0: at the end of the dialog)."""
    until: float = 0.0
    """When set (``seconds``), people who are done keep chatting until this moment."""
    done: asyncio.Event = field(default_factory=asyncio.Event)
    calls_at_start: Counter[str] = field(default_factory=Counter)


class FakeTelegram:
    """Bot API state: queued updates, last messages per chat, calls made."""

    def __init__(self, limits: RateLimits | None = None) -> None:
        self.limits = limits
        self.sent: dict[int, list[float]] = {}
        """When each chat got each message (seconds on this server's monotonic clock)."""
        self.updates: deque[tuple[int, bytes]] = deque()
        self.calls: Counter[str] = Counter()
        self.work: Workload | None = None
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._new_update = asyncio.Event()
        self._query_ids = itertools.count(1)
        self._offset = 0

    # ---- HTTP ----------------------------------------------------------------------------

    def handle(self, method: str, path: str, body: bytes) -> bytes | Any:
        """The answer to one request: bytes, or an awaitable giving ``(status, bytes)``."""
        if path.startswith("/control/"):
            return self._control(path, body)
        parts = path.split("/")
        if len(parts) != 3 or parts[1] != f"bot{TOKEN}":
            return 401, json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        name = parts[2]
        self.calls[name] += 1
        params = dict(parse_qsl(body.decode())) if body else {}
        if name == "getUpdates":
            return self._get_updates(params)
        if name in SENDS:
            chat_id, now = int(params["chat_id"]), time.monotonic()
            refusal = self.limits.too_many(chat_id, now) if self.limits else None
            if refusal is not None:
                return 429, refusal
            self.sent.setdefault(chat_id, []).append(now)
        handler = getattr(self, f"_m_{name.lower()}", None)
        if handler is None:
            return 404, json.dumps(
                {"ok": False, "error_code": 404, "description": f"Not Found: {name}"}
            )
        return 200, handler(params)

    # ---- Bot API methods -----------------------------------------------------------------

    def _m_getme(self, params: dict[str, str]) -> bytes:
        return _ok(_GET_ME)

    def _m_deletewebhook(self, params: dict[str, str]) -> bytes:
        return _TRUE

    _m_setmycommands = _m_close = _m_answercallbackquery = _m_deletewebhook

    def _m_getchatmember(self, params: dict[str, str]) -> bytes:
        return _ok({"status": "member", "user": _user(int(params["user_id"]))})

    def _m_sendmessage(self, params: dict[str, str]) -> bytes:
        chat_id = int(params["chat_id"])
        message = self._message(chat_id, next(self._ids(chat_id)), params)
        self._seen(chat_id, message)
        return _ok(message)

    def _m_editmessagetext(self, params: dict[str, str]) -> bytes:
        chat_id = int(params["chat_id"])
        message = self._message(chat_id, int(params["message_id"]), params)
        self._seen(chat_id, message)
        return _ok(message)

    async def _get_updates(self, params: dict[str, str]) -> tuple[int, bytes]:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        if offset:
            self._confirm(offset)
        if not self.updates and timeout > 0:
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), timeout)
        batch = list(itertools.islice(self.updates, limit))
        work = self.work
        if work is not None:
            now = time.perf_counter()
            for update_id, _ in batch:
                timing = work.timings.get(update_id)
                if timing is not None and not timing.fetched:
                    timing.fetched = now
        return 200, b'{"ok":true,"result":[' + b",".join(raw for _, raw in batch) + b"]}"

    def _confirm(self, offset: int) -> None:
        while self.updates and self.updates[0][0] < offset:
            update_id, _ = self.updates.popleft()
            work = self.work
            if work is None or work.mode != "consult":
                continue
            timing = work.timings.get(update_id)
            if timing is None:
                continue
            person = work.people[timing.person]
            answered = person.messages > person.seen_at_wait
            if person.chatting and person.waiting == update_id and answered:
                self._finish(work, person)
                continue
            if person.waiting == update_id and not person.finished:
                # Handled, yet nothing came back that lets the person go on: start again
                # from where they are.
                work.stalls += 1
                self._say(person, "/resume")
        self._offset = max(self._offset, offset)

    # ---- messages ------------------------------------------------------------------------

    def _ids(self, chat_id: int) -> itertools.count[int]:
        ids = self._message_ids.get(chat_id)
        if ids is None:
            ids = self._message_ids[chat_id] = itertools.count(1)
        return ids

    def _message(self, chat_id: int, message_id: int, params: dict[str, str]) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": _BOT_USER,
            "chat": _chat(chat_id),
            "date": int(time.time()),
            "text": params.get("text", ""),
        }
        markup = params.get("reply_markup")
        if markup:
            message["reply_markup"] = json.loads(markup)
        return message

    def push(self, update: dict[str, Any], person: int | None = None) -> int:
        """Queue an update; returns its id."""
        update_id = next(self._update_ids)
        update["update_id"] = update_id
        self.updates.append((update_id, json.dumps(update, separators=(",", ":")).encode()))
        self._new_update.set()
        work = self.work
        if work is not None and person is not None:
            work.timings[update_id] = Timing(person, time.perf_counter())
            work.people[person].waiting = update_id
            work.people[person].sent += 1
            work.people[person].seen_at_wait = work.people[person].messages
        return update_id

    def _say(self, person: Person, text: str) -> None:
        body: dict[str, Any] = {
            "message_id": next(self._ids(person.id)),
            "date": int(time.time()),
            "chat": _chat(person.id),
            "from": _user(person.id),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self.push({"message": body}, person.id)

    def _press(self, person: Person, message: dict[str, Any], data: str) -> None:
        query = {
            "id": str(next(self._query_ids)),
            "from": _user(person.id),
            "chat_instance": f"ci{person.id}",
            "data": data,
            "message": message,
        }
        self.push({"callback_query": query}, person.id)

    # ---- simulated people ----------------------------------------------------------------

    def _seen(self, chat_id: int, message: dict[str, Any]) -> None:
        """React to a message the bot sent or edited, as the person in that chat would."""
        work = self.work
        if work is None:
            return
        person = work.people.get(chat_id)
        if person is None:
            return
        now = time.perf_counter()
        person.messages += 1
        if person.first_reply is None:
            person.first_reply = now
        if work.mode == "burst":
            self._replied(work, person, now)
            return
        if person.chatting:  # the next text goes once this one is confirmed (``_confirm``)
            self._replied(work, person, now)
            return
        if work.mode == "echo":
            self._replied(work, person, now)
            if person.left > 0:
                person.left -= 1
                self._say(person, f"hello {person.left}")
            else:
                self._finish(work, person)
            return
        text = message["text"]
        buttons = [
            button
            for row in message.get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
        ]
        if texts.MORE_TO_DO in text:
            person.answered += 1
            self._replied(work, person, now)
            self._finish(work, person)
            return
        if not any(button["text"] == texts.BUTTON_PAUSE for button in buttons):
            return  # a message that comes before the question
        shown = _QUESTION.search(text)
        question = shown.group(0) if shown else text
        if person.question and question != person.question:
            person.answered += 1
        person.question = question
        person.last = message
        self._replied(work, person, now)
        if work.steps and person.sent >= work.steps:
            self._finish(work, person)
            return
        self._answer(person, message, buttons)

    def _answer(
        self, person: Person, message: dict[str, Any], buttons: list[dict[str, Any]]
    ) -> None:
        """Answer whatever is asked with the first option (or a few typed words)."""
        options = [b for b in buttons if b["text"] not in CONTROLS]
        labels = [b["text"] for b in options]
        unticked = [b for b in options if b["text"].startswith("▫️")]
        if unticked and not any(label.startswith("✅") for label in labels):
            self._press(person, message, unticked[0]["callback_data"])
        elif texts.BUTTON_DONE in labels:
            done = options[labels.index(texts.BUTTON_DONE)]
            self._press(person, message, done["callback_data"])
        elif options:
            self._press(person, message, options[0]["callback_data"])
        else:
            self._say(person, "More things to do, please")

    def _replied(self, work: Workload, person: Person, now: float) -> None:
        if person.waiting is not None:
            timing = work.timings.get(person.waiting)
            if timing is not None and not timing.replied:
                timing.replied = now
        work.last_reply = now

    def _finish(self, work: Workload, person: Person) -> None:
        if work.mode == "consult" and time.perf_counter() < work.until:
            person.chatting = True
            self._say(person, f"hello {person.sent}")
            return
        if not person.finished:
            person.finished = True
            person.waiting = None
            work.unfinished -= 1
            if work.unfinished == 0:
                work.done.set()

    # ---- control ---------------------------------------------------------------------------

    async def _control(self, path: str, body: bytes) -> tuple[int, bytes]:
        if path == "/control/run":
            self._start(json.loads(body))
            return 200, b"{}"
        if path == "/control/wait":
            return 200, json.dumps(await self._wait()).encode()
        if path == "/control/calls":
            return 200, json.dumps(dict(self.calls)).encode()
        if path == "/control/sent":
            refused = self.limits.refused if self.limits else 0
            return 200, json.dumps({"chats": self.sent, "refused": refused}).encode()
        return 404, b"{}"

    def _start(self, spec: dict[str, Any]) -> None:
        """Start a workload: ``mode`` echo, consult or burst; ``people`` (ids) and options.

        - echo: each person sends ``messages`` texts, the next one as soon as the echo comes.
        - consult: each person sends ``first`` ("/start ward_time", or "/resume" for people
          stored mid-dialog) and then answers every question until the consultation ends, or
          until they have sent ``steps`` updates.
        - burst: each person sends ``messages`` texts at once, all queued at the same moment;
          done when everyone has had ``messages`` replies.

        With ``seconds`` (consult), people who are done keep sending texts, the next one as
        soon as the last one is answered and confirmed, until that many seconds have passed
        since the start.
        """
        mode = spec["mode"]
        ids: list[int] = spec["people"]
        work = Workload(mode, calls_at_start=Counter(self.calls), steps=int(spec.get("steps", 0)))
        work.people = {i: Person(i) for i in ids}
        work.unfinished = len(ids)
        work.started = time.perf_counter()
        work.until = work.started + float(spec.get("seconds", 0))
        self.work = work
        if mode == "echo":
            for person in work.people.values():
                person.left = int(spec["messages"]) - 1
                self._say(person, "hello")
        elif mode == "consult":
            first = spec.get("first", "/start ward_time")
            for person in work.people.values():
                self._say(person, first)
        elif mode == "burst":
            heavy = {int(k): int(v) for k, v in spec.get("heavy", {}).items()}
            for person in work.people.values():
                for n in range(heavy.get(person.id, 1)):
                    self._say(person, spec.get("text", "/start") if n == 0 else f"hello {n}")
            work.unfinished = 0
            asyncio.get_running_loop().create_task(self._watch_burst(work, heavy))
        else:
            raise ValueError(mode)

    async def _watch_burst(self, work: Workload, heavy: dict[int, int]) -> None:
        while any(p.messages < heavy.get(p.id, 1) for p in work.people.values()):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        work.done.set()

    async def _wait(self) -> dict[str, Any]:
        work = self.work
        assert work is not None
        await work.done.wait()
        calls = Counter(self.calls)
        calls.subtract(work.calls_at_start)
        handled = [t for t in work.timings.values() if t.replied and t.fetched]
        return {
            "mode": work.mode,
            "seconds": work.last_reply - work.started,
            "updates": len(work.timings),
            "replied": len(handled),
            "handling": sorted(t.replied - t.fetched for t in handled),
            "queued": sorted(t.replied - t.pushed for t in handled),
            "answered": sum(p.answered for p in work.people.values()),
            "stalls": work.stalls,
            "calls": {name: n for name, n in calls.items() if n},
            "first_replies": {
                str(p.id): p.first_reply - work.started
                for p in work.people.values()
                if p.first_reply is not None
            },
            "replies": {str(p.id): p.messages for p in work.people.values()},
        }


def _chat(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


_REASONS = {200: b"OK", 401: b"Unauthorized", 404: b"Not Found", 429: b"Too Many Requests"}


class _Http(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and Content-Length bodies: all python-telegram-bot sends."""

    def __init__(self, api: FakeTelegram) -> None:
        self._api = api
        self._buffer = bytearray()
        self._busy = False
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self._transport = None

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        self._next()

    def _next(self) -> None:
        while not self._busy and self._transport is not None:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).decode("latin-1").split("\r\n")
            method, target, _ = head[0].split(" ", 2)
            length = 0
            for line in head[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            total = end + 4 + length
            if len(self._buffer) < total:
                return
            body = bytes(self._buffer[end + 4 : total])
            del self._buffer[:total]
            answer = self._api.handle(method, target.split("?", 1)[0], body)
            if isinstance(answer, tuple):
                self._write(*answer)
                continue
            self._busy = True
            task = asyncio.ensure_future(answer)
            task.add_done_callback(self._done)

    def _done(self, task: asyncio.Future[tuple[int, bytes | str]]) -> None:
        self._busy = False
        if task.cancelled() or task.exception() is not None:
            self._write(500, b'{"ok":false,"error_code":500,"description":"server error"}')
        else:
            self._write(*task.result())
        self._next()

    def _write(self, status: int, body: bytes | str) -> None:
        if self._transport is None:
            return
        if isinstance(body, str):
            body = body.encode()
        head = b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (
            status,
            _REASONS.get(status, b"Error"),
            len(body),
        )
        self._transport.write(head + body)


async def serve(port: int = 0, limits: RateLimits | None = None) -> None:
    """Serve until killed; print the port first."""
    api = FakeTelegram(limits)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Http(api), "127.0.0.1", port, backlog=1024)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    numbers = [int(arg) for arg in sys.argv[1:] if arg.isdigit()]
    enforced = RateLimits() if "--limits" in sys.argv else None
    asyncio.run(serve(numbers[0] if numbers else 0, enforced))
