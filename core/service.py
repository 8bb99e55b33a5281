"""The one entry point adapters call: an event in, replies out, in one transaction."""

from __future__ import annotations

import logging

from core import texts
from core.conversation import Conversation
from core.domain import Consultation, Stage
from core.messages import Event, Reply
from core.ports import Clock, ConcurrentChange, SystemClock, UnitOfWork, UnitOfWorkFactory
from dialogs.loader import ScriptFile, parse_script
from dialogs.schema import Script

log = logging.getLogger(__name__)

ATTEMPTS = 3
"""How often an event is tried again when another event changed the same records first."""


class YouSaid:
    """The platform-neutral core of the bot."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, onboarding: Script, clock: Clock | None = None
    ) -> None:
        self._uow_factory = uow_factory
        self._onboarding = onboarding
        self._clock = clock or SystemClock()

    async def handle(self, event: Event) -> list[Reply]:
        """Handle one event in one transaction: all of its changes are kept, or none."""
        for _ in range(ATTEMPTS):
            try:
                async with self._uow_factory() as uow:
                    replies = await Conversation(uow, self._clock.now(), self._onboarding).handle(
                        event
                    )
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
