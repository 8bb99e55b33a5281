"""The one entry point adapters call: an event in, replies out, in one transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta

from core import texts
from core.conversation import Conversation
from core.delivery import NORMAL, DeliveryWorker, Sender, reply_to_payload
from core.domain import Consultation, Stage
from core.messages import Event, Platform, Reply
from core.ports import Clock, ConcurrentChange, SystemClock, UnitOfWork, UnitOfWorkFactory
from dialogs.loader import ScriptFile, parse_script
from dialogs.schema import Script

log = logging.getLogger(__name__)

ATTEMPTS = 3
"""How often an event is tried again when another event changed the same records first."""

KEEP_DELIVERY_KEYS = timedelta(days=2)
"""How long a delivery key is kept; platforms redeliver within a day at most."""


class YouSaid:
    """The platform-neutral core of the bot."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, onboarding: Script, clock: Clock | None = None
    ) -> None:
        self._uow_factory = uow_factory
        self._onboarding = onboarding
        self._clock = clock or SystemClock()

    async def handle(self, event: Event, key: str | None = None) -> list[Reply]:
        """Handle one event in one transaction: all of its changes are kept, or none.

        ``key`` identifies the platform's delivery (such as a Telegram update id). It is stored
        with the event's changes, so a delivery that comes again has no second effect and gets
        no replies.
        """
        for _ in range(ATTEMPTS):
            try:
                async with self._uow_factory() as uow:
                    now = self._clock.now()
                    if key is not None and not await uow.handled.claim(key, now):
                        log.info("delivery handled before: %s", key.split(":", 1)[0])
                        return []
                    replies = await Conversation(uow, now, self._onboarding).handle(event)
                    await uow.commit()
                return replies
            except ConcurrentChange:
                continue
            except Exception:
                log.exception(
                    "event failed: %s on %s", type(event).__name__, event.address.platform
                )
                return [Reply(texts.SOMETHING_WRONG)]
        return [Reply(texts.BUSY)]

    async def mark_unreachable(self, platform: Platform, user_id: str) -> None:
        """Remember that a person blocked the bot, so nothing more is sent to them."""
        async with self._uow_factory() as uow:
            await uow.participants.mark_unreachable(platform, user_id)
            await uow.commit()

    async def forget_old_deliveries(self, keep: timedelta = KEEP_DELIVERY_KEYS) -> int:
        """Drop delivery keys older than ``keep``; how many were dropped."""
        async with self._uow_factory() as uow:
            dropped = await uow.handled.forget_before(self._clock.now() - keep)
            await uow.commit()
        return dropped

    async def queue_broadcast(
        self, broadcast: str, participant_ids: list[int], reply: Reply, priority: int = NORMAL
    ) -> int:
        """Queue one message per participant in the outbox; how many were newly queued."""
        async with self._uow_factory() as uow:
            added = await uow.deliveries.queue(
                broadcast, participant_ids, reply_to_payload(reply), priority, self._clock.now()
            )
            await uow.commit()
        return added

    def delivery_worker(self, senders: Mapping[Platform, Sender]) -> DeliveryWorker:
        """A worker that sends queued messages through the given adapters' senders."""
        return DeliveryWorker(self._uow_factory, senders, self._clock)

    async def add_consultation(self, script_yaml: str, source: str = "<script>") -> Consultation:
        """Publish a consultation from a validated script; the script's id is its short name."""
        script = _consultation_script(script_yaml, source)
        async with self._uow_factory() as uow:
            consultation = await self._publish(uow, script, script_yaml)
            await uow.commit()
        return consultation

    async def add_missing_consultations(self, files: list[ScriptFile]) -> list[Consultation]:
        """Publish each validated consultation script whose consultation does not exist yet."""
        added = []
        async with self._uow_factory() as uow:
            for file in files:
                if await uow.consultations.get_by_slug(file.script.id) is None:
                    added.append(await self._publish(uow, file.script, file.text))
            await uow.commit()
        return added

    async def _publish(self, uow: UnitOfWork, script: Script, script_yaml: str) -> Consultation:
        assert script.stage is not None
        return await uow.consultations.add(
            script.id,
            script.title,
            script.summary,
            Stage(script.stage),
            script_yaml,
            self._clock.now(),
        )


def _consultation_script(script_yaml: str, source: str) -> Script:
    script = parse_script(script_yaml, source)
    if script.kind != "consultation":
        raise ValueError(f"{source}: this script is not a consultation")
    return script
