"""Reaching a chat account through the outbox, which is keyed by participant."""

from __future__ import annotations

from datetime import datetime

from core.domain import Participant
from core.messages import Platform
from core.ports import UnitOfWork


async def participant_for(
    uow: UnitOfWork, platform: Platform, user_id: str, now: datetime
) -> Participant:
    """The participant behind a chat account, registered with nothing else about them if new.

    Adults the bot must reach (safeguarding leads, the authors of messages young people can
    red-card) are registered this way, so the outbox can send to them like to anyone else.
    """
    known = await uow.participants.find_by_identity(platform, user_id)
    return known or await uow.participants.add(platform, user_id, now)
