"""A forum's own quiet and school hours: ``/hours`` in its group, or ``yousaid forum hours``.

News and updates about a forum's activity (its consultations' outcomes, progress updates,
reminders) wait out that forum's hours; everything else waits out the deployment's.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from core import texts
from core.domain import ForumHours
from core.hours import OFF, QuietHours, SendHours, check_hours
from core.messages import Address, Reply
from core.ports import UnitOfWork

log = logging.getLogger(__name__)

USUAL = "usual"
"""The value that puts a forum back on the deployment's hours."""
KINDS = {"night": "quiet", "quiet": "quiet", "school": "school"}
"""The words for each kind of hours, and the field each one sets."""


class HoursError(ValueError):
    """Hours that can't be set; the message says how to write them."""


def changed(hours: ForumHours, kind: str, value: str) -> ForumHours:
    """The forum's hours with one kind set to ``value`` (hours, ``off`` or ``usual``)."""
    field = KINDS.get(kind.strip().lower())
    if field is None:
        raise HoursError(f"'{kind}' should be night or school")
    setting = value.strip().lower()
    if setting != USUAL:
        setting = check_hours(value)
    own = None if setting == USUAL else setting
    return replace(hours, quiet=own) if field == "quiet" else replace(hours, school=own)


def shown(own: str | None, usual: QuietHours | None) -> str:
    """How one kind of hours reads: the forum's own, or the usual ones."""
    if own is None:
        return texts.HOURS_USUAL.format(hours=usual or texts.HOURS_NONE)
    return texts.HOURS_NONE if own == OFF else own


class ForumHoursFlow:
    """``/hours`` from an organiser (the role is checked before), in one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, usual: SendHours) -> None:
        self._uow = uow
        self._now = now
        self._usual = usual

    async def command(self, address: Address, argument: str) -> list[Reply]:
        """Show the group's hours, or change one kind: ``/hours school 08:30-15:30``."""
        forum = await self._uow.forums.register(
            address.platform, address.group_id or address.chat_id, "", self._now
        )
        hours = await self._uow.forum_hours.get(forum.id)
        words = argument.split()
        if len(words) != 2:
            return [Reply(self._state(texts.HOURS_HOW, hours), only_for_sender=True)]
        try:
            hours = changed(hours, words[0], words[1])
        except ValueError:
            return [Reply(self._state(texts.HOURS_HOW, hours), only_for_sender=True)]
        await self._uow.forum_hours.set(hours, self._now)
        log.info("forum %d set its own hours", forum.id)
        return [Reply(self._state(texts.HOURS_SET, hours))]

    def _state(self, text: str, hours: ForumHours) -> str:
        return text.format(
            quiet=shown(hours.quiet, self._usual.quiet),
            school=shown(hours.school, self._usual.school),
        )
