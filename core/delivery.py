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

from core.config import QuietHours
from core.domain import ContactPreference, Delivery
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
_WANTED = {
    ContactPreference.EVERY_UPDATE: {DIRECT, REMINDER, UPDATE, BIG_NEWS},
    ContactPreference.BIG_NEWS: {DIRECT, REMINDER, BIG_NEWS},
    ContactPreference.NEVER: {DIRECT, REMINDER},
}


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

    In the quiet hours (local time in ``zone``) news and updates wait until they are over;
    messages a person is owed (answers, help, safeguarding alerts) still go at once.
    """

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        senders: Mapping[Platform, Sender],
        clock: Clock | None = None,
        batch: int = 50,
        quiet: QuietHours | None = None,
        zone: tzinfo | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self._uow_factory = uow_factory
        self._lease = lease
        """After a crash, what this worker had claimed is sent again once this has passed."""
        self._senders = senders
        self._clock = clock or SystemClock()
        self._batch = batch
        self._quiet = quiet
        self._zone = zone or ZoneInfo("Europe/London")

    async def run_once(self) -> int:
        """Lease one batch and send it; how many deliveries were handled."""
        async with self._uow_factory() as uow:
            platforms = [str(platform) for platform in self._senders]
            batch = await uow.deliveries.claim(
                self._batch, self._clock.now(), self._lease, platforms
            )
            await uow.commit()
        later = [d for d in batch if self._waits(d.payload)]
        if later:
            await self._defer(later)
        waiting = {d.id for d in later}
        for delivery in batch:
            if delivery.id in waiting:
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

    def _quiet_until(self) -> datetime | None:
        if self._quiet is None:
            return None
        return self._quiet.over_at(self._clock.now().astimezone(self._zone))

    def _waits(self, payload: Mapping[str, Any]) -> bool:
        """News and updates wait out the quiet hours; what a person is owed does not."""
        return payload.get("kind", DIRECT) != DIRECT and self._quiet_until() is not None

    async def _defer(self, deliveries: list[Delivery]) -> None:
        until = self._quiet_until()
        assert until is not None
        async with self._uow_factory() as uow:
            for delivery in deliveries:
                await uow.deliveries.retry(delivery.id, until, "quiet hours", counts=False)
            await uow.commit()
        log.info("quiet hours: %d messages wait until %s", len(deliveries), until.isoformat())

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
