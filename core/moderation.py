"""Checking the posts in a forum's group, when its organisers turn it on with ``/moderate``.

The bot sees group posts only when the platform lets it: Telegram with the bot's privacy mode
off, Discord with the message content intent (``YOUSAID_DISCORD_READ_MESSAGES``). Posts are
screened with the safeguarding concern terms. A flagged post raises a safeguarding alert to the
leads, is reported in private to the organisers who turned checking on (only theirs: organisers
never see posts from other forums), is followed up in private with the help message to the
person who posted it, and is hidden from the group only if the forum chose ``/moderate hide``.
Turning it on is announced in the group, so everyone there knows their posts are checked.
"""

from __future__ import annotations

import logging
from datetime import datetime

from core import texts
from core.delivery import SAFEGUARDING_FIRST, reply_to_payload
from core.domain import Forum
from core.messages import Address, Reply
from core.participants import participant_for
from core.ports import UnitOfWork
from core.safeguarding import Alert, Lead, SafeguardingPolicy
from core.safeguarding_flow import SafeguardingFlow

log = logging.getLogger(__name__)


class ModerationFlow:
    """``/moderate`` and the screening of group posts, inside one unit of work."""

    def __init__(
        self,
        uow: UnitOfWork,
        now: datetime,
        safeguarding: SafeguardingFlow,
        policy: SafeguardingPolicy,
    ) -> None:
        self._uow = uow
        self._now = now
        self._safeguarding = safeguarding
        self._policy = policy

    async def command(self, address: Address, argument: str) -> list[Reply]:
        """``/moderate on|hide|off`` from an organiser (the role is checked before)."""
        group = address.group_id or address.chat_id
        choice = argument.strip().lower()
        if choice not in ("on", "hide", "off"):
            setting = await self._uow.moderation.settings(address.platform, group)
            if setting is None:
                state = texts.MODERATE_STATE_OFF
            else:
                state = texts.MODERATE_STATE_HIDE if setting.hide else texts.MODERATE_STATE_ON
            return [Reply(texts.MODERATE_HOW.format(state=state), only_for_sender=True)]
        forum = await self._uow.forums.register(address.platform, group, "", self._now)
        if choice == "off":
            await self._uow.moderation.turn_off(forum.id)
            log.info("forum %d stopped checking its group's posts", forum.id)
            return [Reply(texts.MODERATE_OFF)]
        await self._uow.moderation.turn_on(forum.id, choice == "hide", self._now)
        organiser = await participant_for(self._uow, address.platform, address.user_id, self._now)
        await self._uow.moderation.add_moderator(forum.id, organiser.id)
        log.info("forum %d checks its group's posts (hide: %s)", forum.id, choice == "hide")
        announcement = texts.MODERATE_HIDE if choice == "hide" else texts.MODERATE_ON
        return [Reply(announcement), Reply(texts.MODERATE_REPORTS_TO_YOU, only_for_sender=True)]

    async def post(self, address: Address, text: str) -> list[Reply]:
        """A post in a group: nothing unless the forum checks posts and this one is flagged."""
        setting = await self._uow.moderation.settings(
            address.platform, address.group_id or address.chat_id
        )
        if setting is None:
            return []
        poster = await self._uow.participants.find_by_identity(address.platform, address.user_id)
        title = setting.forum.title or setting.forum.group_id
        alert = await self._safeguarding.raise_alert(address, poster, text, posted_in=title)
        if alert is None:
            return []
        await self._report(setting.forum, alert, setting.hide)
        help_now = self._policy.help_message()
        follow_up = Reply(f"{texts.POST_FOLLOW_UP}\n\n{help_now.text}")
        account = Lead(address.platform, address.user_id)
        await self._safeguarding.queue_to(f"post:{alert.id}:help", [account], follow_up)
        return [Reply("", hide_post=True)] if setting.hide else []

    async def _report(self, forum: Forum, alert: Alert, hidden: bool) -> None:
        """Tell this forum's organisers (and nobody else's) about the flagged post."""
        moderators = await self._uow.moderation.moderators(forum.id)
        report = texts.POST_REPORT.format(
            title=forum.title or forum.group_id,
            terms=", ".join(alert.terms),
            text=alert.text,
            hidden=texts.POST_HIDDEN if hidden else texts.POST_LEFT,
            number=alert.id,
        )
        await self._uow.deliveries.queue(
            f"post:{alert.id}:report",
            moderators,
            reply_to_payload(Reply(report)),
            SAFEGUARDING_FIRST,
            self._now,
        )
