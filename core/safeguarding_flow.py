"""Safeguarding use cases inside one unit of work: screen, alert, re-send, acknowledge.

Leads are reached through the outbox like anyone else. The outbox is keyed by participant, so a
lead's chat account is registered as a participant (with nothing else about them) the first time
an alert goes to it. That keeps one delivery path: leases, retries, 429s and restarts all work
for alerts as they do for every other message, and alerts go first (``SAFEGUARDING_FIRST``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from core import texts
from core.delivery import SAFEGUARDING_FIRST, reply_to_payload
from core.domain import Participant, SessionStatus
from core.messages import Address, Reply
from core.participants import participant_for
from core.ports import ConcurrentChange, UnitOfWork
from core.safeguarding import (
    Alert,
    AlertStatus,
    Lead,
    SafeguardingPolicy,
    alert_message,
    parse_alert_number,
    when,
)

log = logging.getLogger(__name__)


class Acknowledged(StrEnum):
    """What happened when someone said they had seen an alert."""

    DONE = "done"
    ALREADY = "already"
    UNKNOWN = "unknown"


def broadcast_key(alert_id: int, round_number: int | str) -> str:
    """The outbox broadcast of one sending of an alert: a new key for each round."""
    return f"alert:{alert_id}:{round_number}"


class SafeguardingFlow:
    """Screening and alerts for one event (or one scheduled run) in one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, policy: SafeguardingPolicy) -> None:
        self._uow = uow
        self._now = now
        self._policy = policy

    async def screen(
        self, address: Address, participant: Participant | None, text: str
    ) -> Reply | None:
        """The help message if ``text`` has concern terms, with an alert stored and queued."""
        if await self.raise_alert(address, participant, text) is None:
            return None
        return self._policy.help_message()

    async def raise_alert(
        self,
        address: Address,
        participant: Participant | None,
        text: str,
        posted_in: str | None = None,
    ) -> Alert | None:
        """If ``text`` has concern terms, store an alert and queue it to the lead; else None.

        ``posted_in`` names the group of a flagged group post.
        """
        terms = self._policy.terms.find(text)
        if not terms:
            return None
        consultation_id, question_id = None, None
        if participant is not None:
            session = await self._uow.sessions.current(participant.id)
            if session is not None:
                consultation_id = session.consultation_id
                if session.status == SessionStatus.ACTIVE and consultation_id is not None:
                    question_id = session.question_id
        alert = await self._uow.alerts.add(
            Alert(
                id=0,
                participant_number=participant.id if participant is not None else None,
                platform=str(address.platform),
                user_id=address.user_id,
                text=text,
                terms=list(terms),
                consultation_id=consultation_id,
                question_id=question_id,
                created_at=self._now,
                last_sent_at=self._now,
                posted_in=posted_in,
            )
        )
        told = await self._send(alert, 1, escalated=False)
        if told:
            log.warning("safeguarding alert %d stored and queued to %d lead(s)", alert.id, told)
        else:
            log.error(
                "safeguarding alert %d stored but no lead is set (YOUSAID_SAFEGUARDING_LEADS)",
                alert.id,
            )
        return alert

    async def resend(self, older_than: timedelta) -> int:
        """Send again every unacknowledged alert last sent ``older_than`` ago or more.

        From the second round on, the deputies get it too. Each round is a new broadcast, so
        the outbox sends it even if an earlier round went out. How many alerts were sent again.
        """
        if not self._policy.leads:
            waiting = len(await self._uow.alerts.due(self._now - older_than))
            if waiting:
                log.error("%d safeguarding alert(s) unacknowledged and no lead is set", waiting)
            return 0
        sent = 0
        for alert in await self._uow.alerts.due(self._now - older_than):
            round_number = alert.rounds + 1
            escalated = len(self._policy.recipients(round_number)) > 1
            if not await self._uow.alerts.mark_sent(alert.id, alert.rounds, escalated, self._now):
                continue
            await self._send(alert, round_number, escalated=escalated or alert.escalated)
            sent += 1
        if sent:
            log.warning("%d unacknowledged safeguarding alert(s) sent again", sent)
        return sent

    async def ack_command(self, address: Address, argument: str) -> list[Reply]:
        """``/ack NUMBER``, for the safeguarding leads in a private chat."""
        if not address.private:
            return [Reply(texts.ALERT_ACK_PRIVATE, only_for_sender=True)]
        if not self._policy.is_lead(address.platform, address.user_id):
            return [Reply(texts.ALERT_LEADS_ONLY)]
        number = parse_alert_number(argument)
        if number is None:
            return [Reply(texts.ALERT_ACK_HOW)]
        return await self.press(address, number)

    async def press(self, address: Address, alert_id: int) -> list[Reply]:
        """The "I've seen this" button (or ``/ack``) from a lead; anyone else is refused."""
        if not address.private or not self._policy.is_lead(address.platform, address.user_id):
            log.info("refused a safeguarding acknowledgement from a non-lead")
            return [Reply(texts.ALERT_LEADS_ONLY, only_for_sender=True)]
        lead = Lead(address.platform, address.user_id)
        outcome, alert = await self.acknowledge(alert_id, str(lead), lead)
        if outcome == Acknowledged.UNKNOWN:
            return [Reply(texts.ALERT_NOT_FOUND.format(number=alert_id))]
        if outcome == Acknowledged.ALREADY:
            assert alert is not None and alert.acknowledged_at is not None
            seen = when(alert.acknowledged_at)
            return [Reply(texts.ALERT_ALREADY_SEEN.format(number=alert_id, when=seen))]
        return [Reply(texts.ALERT_SEEN.format(number=alert_id))]

    async def acknowledge(
        self, alert_id: int, by: str, lead: Lead | None = None
    ) -> tuple[Acknowledged, Alert | None]:
        """Mark an alert as seen, stop its re-sending and tell the other leads who had it."""
        alert = await self._uow.alerts.get(alert_id)
        if alert is None:
            return Acknowledged.UNKNOWN, None
        if alert.status == AlertStatus.ACKNOWLEDGED:
            return Acknowledged.ALREADY, alert
        if not await self._uow.alerts.acknowledge(alert_id, by, self._now):
            raise ConcurrentChange(f"safeguarding alert {alert_id} acknowledged meanwhile")
        await self._uow.deliveries.drop_pending(f"alert:{alert_id}:")
        had_it = self._policy.leads if alert.escalated else self._policy.leads[:1]
        others = [other for other in had_it if other != lead]
        if others:
            reply = Reply(texts.ALERT_SEEN_BY_OTHER.format(number=alert_id))
            await self.queue_to(broadcast_key(alert_id, "seen"), others, reply)
        log.warning("safeguarding alert %d acknowledged", alert_id)
        return Acknowledged.DONE, alert

    async def _send(self, alert: Alert, round_number: int, escalated: bool) -> int:
        recipients = self._policy.recipients(round_number)
        if not recipients:
            return 0
        where = await self._where(alert)
        reply = alert_message(alert, where, round_number, escalated)
        return await self.queue_to(broadcast_key(alert.id, round_number), recipients, reply)

    async def queue_to(self, broadcast: str, leads: Sequence[Lead], reply: Reply) -> int:
        """Queue a message, safeguarding first, to chat accounts (known as participants or not)."""
        ids: list[int] = []
        for lead in leads:
            known = await participant_for(self._uow, lead.platform, lead.user_id, self._now)
            if known.id not in ids:
                ids.append(known.id)
        await self._uow.deliveries.queue(
            broadcast, ids, reply_to_payload(reply), SAFEGUARDING_FIRST, self._now
        )
        return len(ids)

    async def _where(self, alert: Alert) -> str:
        if alert.posted_in is not None:
            return texts.ALERT_WHERE_GROUP.format(title=alert.posted_in)
        if alert.consultation_id is None:
            return ""
        consultation = await self._uow.consultations.get(alert.consultation_id)
        if consultation is None:
            return ""
        if alert.question_id is None:
            return texts.ALERT_WHERE_TITLE.format(title=consultation.title)
        return texts.ALERT_WHERE.format(title=consultation.title, question=alert.question_id)
