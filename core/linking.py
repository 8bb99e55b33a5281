"""``/link``: one person on Telegram and Discord becomes one participant, with one vote.

``/link`` in a private chat gives a one-time 6-digit code, valid for 10 minutes and stored only
as a hash. ``/link 123456`` typed on the other platform, by someone who has not taken part
there, makes that platform identity reach the same participant. Every wrong code counts against
every live code, and a code stops working after a few wrong guesses anywhere, so guessing can't
take over someone's account (at worst it makes people ask for a new code).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from core import texts
from core.domain import Participant
from core.messages import Address, Reply
from core.ports import UnitOfWork

LINK_VALID = timedelta(minutes=10)
MOST_WRONG_GUESSES = 10
"""Wrong codes (anyone's) a live code survives; a guesser wins with odds of 10 in a million."""


def _hash(code: str) -> str:
    return hashlib.sha256(f"yousaid-link:{code}".encode()).hexdigest()


class Linking:
    """The ``/link`` use case inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime) -> None:
        self._uow = uow
        self._now = now

    async def command(
        self, address: Address, participant: Participant | None, argument: str
    ) -> list[Reply]:
        """Give a code, or use one."""
        typed = re.sub(r"\s", "", argument)
        if not typed:
            if participant is None or not participant.onboarded:
                return [Reply(texts.LINK_START_FIRST)]
            return [Reply(texts.LINK_CODE.format(code=await self._new_code(participant)))]
        if not re.fullmatch(r"\d{6}", typed):
            return [Reply(texts.LINK_HOW)]
        if participant is not None and participant.onboarded:
            return [Reply(texts.LINK_ALREADY_HERE)]
        code_hash = _hash(typed)
        target = await self._uow.links.find(code_hash, self._now, MOST_WRONG_GUESSES)
        if target is None:
            await self._uow.links.miss(self._now)
            return [Reply(texts.LINK_BAD)]
        platforms = {platform for platform, _ in await self._uow.participants.identities(target)}
        if address.platform in platforms:
            return [Reply(texts.LINK_SAME_APP)]
        await self._uow.links.delete(code_hash)
        replaced = None if participant is None else participant.id
        await self._uow.links.attach(address.platform, address.user_id, target, replaced, self._now)
        return [Reply(texts.LINK_DONE)]

    async def _new_code(self, participant: Participant) -> str:
        while True:
            code = f"{secrets.randbelow(1_000_000):06d}"
            if not await self._uow.links.taken(_hash(code), self._now):
                break
        await self._uow.links.add(participant.id, _hash(code), self._now + LINK_VALID)
        return code
