"""The one entry point adapters call: an event in, replies out, in one transaction."""

from __future__ import annotations

import logging

from core import texts
from core.conversation import Conversation
from core.domain import Consultation, Stage
from core.messages import Event, Reply
from core.ports import Clock, ConcurrentChange, SystemClock, UnitOfWorkFactory
from dialogs.loader import parse_script
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
        """Publish a consultation from a script (validated first); the script id is its slug."""
        script = parse_script(script_yaml, source)
        if script.kind != "consultation" or script.stage is None:
            raise ValueError(f"{source}: this script is not a consultation")
        async with self._uow_factory() as uow:
            consultation = await uow.consultations.add(
                script.id,
                script.title,
                script.summary,
                Stage(script.stage),
                script_yaml,
                self._clock.now(),
            )
            await uow.commit()
        return consultation

    async def add_missing_consultations(self, scripts: dict[str, str]) -> list[Consultation]:
        """Publish each script (source name -> YAML) whose consultation does not exist yet."""
        added = []
        for source, script_yaml in scripts.items():
            script = parse_script(script_yaml, source)
            async with self._uow_factory() as uow:
                exists = await uow.consultations.get_by_slug(script.id) is not None
            if not exists:
                added.append(await self.add_consultation(script_yaml, source))
        return added
