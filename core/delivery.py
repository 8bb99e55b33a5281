"""Delivery workers: send queued messages through the adapters, within each platform's limits.

A worker leases a batch of due deliveries, sends each through the sender for its platform and
records the outcome in its own small transaction. If the worker dies after sending but before
recording, the lease runs out and the message is sent again: at most one duplicate per crash,
never a loss.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from core.domain import ContactPreference, ForumHours
from core.hours import QuietHours, SendHours
from core.messages import Button, Platform, Reply
from core.ports import Clock, SystemClock, UnitOfWorkFactory

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
"""How long a worker holds the deliveries it claimed, unless told otherwise."""
MAX_ATTEMPTS = 8
MAX_BACKOFF = 300.0
SAFEGUARDING_FIRST = 0
"""Priority of safeguarding alerts: claimed before anything else."""
NORMAL = 5

DIRECT = "direct"
"""A message a person is owed whatever they chose: an answer, an alert, help after a worry."""
UPDATE = "update"
"""News about what happened with people's views; sent only to those who want every update."""
BIG_NEWS = "big_news"
"""Big news only; sent to those who want every update or only big news."""
REMINDER = "reminder"
"""A reminder the person asked for; waits out the quiet hours, like news."""
DIGEST = "digest"
"""The weekly round-up; sent to those who want every update or only big news."""
_WANTED = {
    ContactPreference.EVERY_UPDATE: {DIRECT, REMINDER, UPDATE, BIG_NEWS, DIGEST},
    ContactPreference.BIG_NEWS: {DIRECT, REMINDER, BIG_NEWS, DIGEST},
    ContactPreference.NEVER: {DIRECT, REMINDER},
}
FORUM = "forum"
"""The payload key naming the forum whose activity caused a message: its hours apply."""


def wanted(kind: str, preference: ContactPreference) -> bool:
    """True if someone with this contact preference chose to get messages of this kind."""
    return kind in _WANTED[preference]


@dataclass(frozen=True, slots=True)
class Sent:
    """The platform took the message."""


@dataclass(frozen=True, slots=True)
class RetryAfter:
    """The platform asked us to wait (HTTP 429) before sending again."""

    seconds: float


@dataclass(frozen=True, slots=True)
class Transient:
    """A 5xx, a timeout or a network error: try again later."""

    error: str


@dataclass(frozen=True, slots=True)
class Unreachable:
    """The person blocked the bot or closed their messages: never try again."""

    error: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """The platform refused this message for good (for example, a bad request)."""

    error: str


Outcome = Sent | RetryAfter | Transient | Unreachable | Rejected


class Sender(Protocol):
    """What an adapter offers the outbox: send one reply to one person's private chat."""

    async def send(self, user_id: str, reply: Reply) -> Outcome:
        """Send, and say how it went; never raise for platform errors."""
        ...


def reply_to_payload(reply: Reply) -> dict[str, Any]:
    """A reply as JSON-ready data for the outbox (text, buttons and a text box to answer in)."""
    payload: dict[str, Any] = {
        "text": reply.text,
        "buttons": [
            [{"id": b.id, "label": b.label, "start": b.private_start} for b in row]
            for row in reply.buttons
        ],
    }
    if reply.text_entry is not None:
        payload["text_entry"] = reply.text_entry
    return payload


def payload_to_reply(payload: Mapping[str, Any]) -> Reply:
    """The reply stored by ``reply_to_payload``."""
    rows = tuple(
        tuple(Button(b["id"], b["label"], private_start=b.get("start")) for b in row)
        for row in payload.get("buttons", [])
    )
    return Reply(str(payload["text"]), rows, text_entry=payload.get("text_entry"))


def backoff(attempts: int) -> float:
    """Seconds to wait after ``attempts`` failures: doubling, capped, with jitter."""
    return min(MAX_BACKOFF, 2.0**attempts) * random.uniform(0.5, 1.0)


class DeliveryWorker:
    """Sends due deliveries; several workers may share one PostgreSQL outbox.

    In the quiet hours, and in school hours on weekdays (local time in ``zone``), news and
    updates wait until they are over; a message about a forum's activity follows that forum's
    own hours if it set any. Messages a person is owed (answers, help, safeguarding alerts)
    still go at once.
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        senders: Mapping[Platform, Sender],
        clock: Clock | None = None,
        batch: int = 50,
        quiet: QuietHours | None = None,
        zone: tzinfo | None = None,
        school: QuietHours | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self._uow_factory = uow_factory
        self._lease = lease
        """After a crash, what this worker had claimed is sent again once this has passed."""
        self._senders = senders
        self._clock = clock or SystemClock()
        self._batch = batch
        self._hours = SendHours(quiet, school)
        self._zone = zone or ZoneInfo("Europe/London")

    async def run_once(self) -> int:
        """Lease one batch and send it; how many deliveries were handled."""
        async with self._uow_factory() as uow:
            platforms = [str(platform) for platform in self._senders]
            now = self._clock.now()
            batch = await uow.deliveries.claim(self._batch, now, self._lease, platforms)
            forums = {d.payload[FORUM] for d in batch if d.payload.get(FORUM) is not None}
            own_hours = await uow.forum_hours.of(sorted(forums)) if forums else {}
            await uow.commit()
        later = {
            d.id: until
            for d in batch
            if (until := self._waits_until(d.payload, own_hours, now)) is not None
        }
        if later:
            await self._defer(later)
        for delivery in batch:
            if delivery.id in later:
                continue
            sender = self._senders[Platform(delivery.platform)]
            outcome = await sender.send(delivery.user_id, payload_to_reply(delivery.payload))
            await self._record(
                delivery.id, delivery.attempts, delivery.platform, delivery.user_id, outcome
            )
        return len(batch)

    async def run(self, idle_wait: float = 1.0) -> None:
        """Keep sending until cancelled, waiting a little whenever the outbox is empty."""
        while True:
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("delivery batch failed; trying again shortly")
                handled = 0
            if not handled:
                await asyncio.sleep(idle_wait)

    def _waits_until(
        self, payload: Mapping[str, Any], own_hours: Mapping[int, ForumHours], now: datetime
    ) -> datetime | None:
        """When news and updates may go; None for now, and always for what a person is owed."""
        if payload.get("kind", DIRECT) == DIRECT:
            return None
        hours = self._hours
        forum = own_hours.get(payload.get(FORUM) or 0)
        if forum is not None:
            hours = hours.overridden(forum.quiet, forum.school)
        return hours.waits_until(now.astimezone(self._zone))

    async def _defer(self, deliveries: Mapping[int, datetime]) -> None:
        async with self._uow_factory() as uow:
            for delivery_id, until in deliveries.items():
                await uow.deliveries.retry(delivery_id, until, "quiet hours", counts=False)
            await uow.commit()
        log.info("quiet or school hours: %d messages wait", len(deliveries))

    async def _record(
        self, delivery_id: int, attempts: int, platform: str, user_id: str, outcome: Outcome
    ) -> None:
        now = self._clock.now()
        async with self._uow_factory() as uow:
            match outcome:
                case Sent():
                    await uow.deliveries.sent(delivery_id, now)
                case RetryAfter(seconds):
                    at = now + timedelta(seconds=seconds)
                    await uow.deliveries.retry(delivery_id, at, "asked to wait", counts=False)
                case Transient(error) if attempts + 1 < MAX_ATTEMPTS:
                    at = now + timedelta(seconds=backoff(attempts + 1))
                    await uow.deliveries.retry(delivery_id, at, error, counts=True)
                case Transient(error) | Rejected(error):
                    await uow.deliveries.give_up(delivery_id, error, now)
                case Unreachable(error):
                    await uow.participants.mark_unreachable(Platform(platform), user_id)
                    await uow.deliveries.give_up(delivery_id, error, now)
            await uow.commit()
