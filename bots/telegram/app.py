"""The Telegram bot: a python-telegram-bot Application wired to the core.

Updates are fetched by a small polling loop of our own (or arrive by webhook), handed to the
Application, turned into core events, and answered through one sending path. Polling moves the
offset on only after every update of a batch has been handled and its effects stored; updates
of different chats are handled side by side, those of one chat in order. Replies are sent before
the batch counts as done, except for a chat with a backlog (more updates in the batch than its
sending limit lets out at once): its replies follow in the background, in order, so that one
person's backlog holds up no one else (see ``backlog.py``).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections import defaultdict
from collections.abc import Awaitable, Callable
from urllib.parse import urlparse

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, TypeHandler

from bots.metrics import replies_sent
from bots.telegram.backlog import ChatBacklogs
from bots.telegram.errors import TelegramStartError
from bots.telegram.events import Incoming, incoming
from bots.telegram.limits import SendLimits
from bots.telegram.request import AiohttpRequest
from bots.telegram.sending import TelegramOut, retry_seconds
from bots.telegram.settings import TelegramSettings
from bots.web_server import Receive, WebServer
from core import commands
from core.config import Settings
from core.delivery import Sent, Unreachable
from core.messages import Platform, Reply
from core.ports import ChatPoster
from core.service import YouSaid

log = logging.getLogger(__name__)

POLL_TIMEOUT = 25
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_NAME = "telegram"
BAD_TOKEN = "Telegram refused the bot token in YOUSAID_TELEGRAM_TOKEN. Check it with @BotFather."

Handler = Callable[[Update], Awaitable[None]]


def build_application(
    core: YouSaid, token: str, api_base: str, limits: SendLimits | None = None
) -> Application:  # type: ignore[type-arg]
    """An Application whose one handler passes every update to the core and sends the replies."""
    requests = (AiohttpRequest(), AiohttpRequest(connections=1))
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{api_base}/bot")
        .base_file_url(f"{api_base}/file/bot")
        .request(requests[0])
        .get_updates_request(requests[1])
        .updater(None)
        .build()
    )
    application.bot_data["requests"] = requests

    out = TelegramOut(application.bot, limits)
    application.bot_data["out"] = out

    async def send(answered: tuple[Incoming, list[Reply]]) -> None:
        arrived, replies = answered
        outcome = await out.answer(arrived.chat_id, replies, arrived.query, arrived.message_id)
        if isinstance(outcome, Sent):
            replies_sent(Platform.TELEGRAM, len(replies))
        if isinstance(outcome, Unreachable) and arrived.private:
            await core.mark_unreachable(Platform.TELEGRAM, arrived.event.address.user_id)

    backlogs = ChatBacklogs(send)
    application.bot_data["backlogs"] = backlogs

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        arrived = await incoming(update, context.bot)
        if arrived is None:
            if update.callback_query is not None:
                await out.answer(0, [], update.callback_query)
            return
        key = f"telegram:update:{update.update_id}"
        replies = await core.handle(arrived.event, key=key)
        await backlogs.deliver(arrived.chat_id, (arrived, replies))

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("update failed: %s", type(context.error).__name__)

    application.add_handler(TypeHandler(Update, on_update))
    application.add_error_handler(on_error)
    return application


async def run_telegram(
    core: YouSaid,
    settings: Settings,
    *,
    base_url: str | None = None,
    server: WebServer | None = None,
    posters: dict[Platform, ChatPoster] | None = None,
) -> None:
    """Run the Telegram bot until cancelled: long polling, or a webhook when set.

    A delivery worker runs alongside, sending queued outbox messages through the same limits.
    The webhook is served by ``server`` (the bot's web server, told whether Telegram is
    reachable), or by a web server of its own. Once running, the bot's way of posting in
    groups is put into ``posters``, if given.
    """
    assert settings.telegram_token is not None
    own_server = server is None
    server = server or WebServer(core)
    server.expect(HEALTH_NAME)
    telegram = TelegramSettings()
    application = build_application(
        core,
        settings.telegram_token.get_secret_value(),
        base_url or telegram.api_base,
        SendLimits(telegram.messages_per_second, telegram.chat_messages_per_second),
    )
    try:
        await application.initialize()
    except BaseException as error:
        await asyncio.gather(*(request.shutdown() for request in application.bot_data["requests"]))
        if isinstance(error, InvalidToken):
            raise TelegramStartError(BAD_TOKEN) from None
        raise
    out: TelegramOut = application.bot_data["out"]
    if posters is not None:
        posters[Platform.TELEGRAM] = out
    outbox = core.delivery_worker({Platform.TELEGRAM: out})
    sending = asyncio.create_task(outbox.run())
    try:
        await set_command_menus(application)
        if telegram.webhook_url:
            await _serve_webhook(application, telegram, server)
        else:
            await application.bot.delete_webhook()
            server.report(HEALTH_NAME, True)
            await poll(application, lambda up: server.report(HEALTH_NAME, up))
    finally:
        server.report(HEALTH_NAME, False)
        if own_server:
            await server.close()
        sending.cancel()
        await asyncio.gather(sending, return_exceptions=True)
        if posters is not None:
            posters.pop(Platform.TELEGRAM, None)
        await application.bot_data["backlogs"].close()
        await application.shutdown()


async def set_command_menus(application: Application) -> None:  # type: ignore[type-arg]
    """The command menus: one for private chats, one for groups, one for group admins."""
    for scope, listed in (
        (BotCommandScopeAllPrivateChats(), commands.PRIVATE),
        (BotCommandScopeAllGroupChats(), commands.GROUP),
        (BotCommandScopeAllChatAdministrators(), commands.ORGANISER),
    ):
        menu = [BotCommand(c.name, c.description) for c in listed]
        await application.bot.set_my_commands(menu, scope=scope)


async def poll(
    application: Application,  # type: ignore[type-arg]
    connected: Callable[[bool], None] = lambda up: None,
) -> None:
    """Long polling that confirms a batch of updates only after all of it was handled.

    ``connected`` hears whether the last request for updates reached Telegram.
    """
    offset: int | None = None
    failures = 0
    while True:
        try:
            updates = await application.bot.get_updates(
                offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
            )
            failures = 0
            connected(True)
        except RetryAfter as error:
            await asyncio.sleep(retry_seconds(error))
            continue
        except NetworkError as error:
            failures += 1
            connected(False)
            log.warning("getUpdates failed (%s); trying again", error.message)
            await asyncio.sleep(min(30.0, 0.5 * 2**failures))
            continue
        if not updates:
            continue
        await handle_batch(application, list(updates))
        offset = max(update.update_id for update in updates) + 1


async def handle_batch(application: Application, updates: list[Update]) -> None:  # type: ignore[type-arg]
    """Handle a batch: chats side by side, each chat's updates in the order they came."""
    by_chat: defaultdict[int, list[Update]] = defaultdict(list)
    for update in updates:
        by_chat[_chat_of(update)].append(update)
    application.bot_data["backlogs"].batch((chat, len(queue)) for chat, queue in by_chat.items())

    async def one_chat(queue: list[Update]) -> None:
        for update in queue:
            await application.process_update(update)

    await asyncio.gather(*(one_chat(queue) for queue in by_chat.values()))


async def _serve_webhook(
    application: Application,  # type: ignore[type-arg]
    telegram: TelegramSettings,
    server: WebServer,
) -> None:
    secret = (
        telegram.webhook_secret.get_secret_value()
        if telegram.webhook_secret is not None
        else secrets.token_urlsafe(32)
    )
    assert telegram.webhook_url is not None
    server.add_webhook(
        urlparse(telegram.webhook_url).path or "/", webhook_receiver(application, secret)
    )
    host, port = telegram.host_and_port
    await server.listen(host, port)
    await application.bot.set_webhook(
        telegram.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
    )
    server.report(HEALTH_NAME, True)
    log.info("webhook mode: listening on %s:%d", host, port)
    await asyncio.Event().wait()


def webhook_receiver(application: Application, secret: str) -> Receive:  # type: ignore[type-arg]
    """What takes the updates Telegram posts; requests without the secret are refused."""
    locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning(
                "refused a webhook request without the right secret from %s", request.remote
            )
            return web.Response(status=403, text="forbidden")
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError, TelegramError):
            log.warning("refused a webhook request that is not a Telegram update")
            return web.Response(status=400, text="bad update")
        async with locks[_chat_of(update)]:
            await application.process_update(update)
        return web.Response(text="ok")

    return receive


def _chat_of(update: Update) -> int:
    chat = update.effective_chat
    return chat.id if chat is not None else 0
