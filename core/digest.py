"""The weekly round-up: once a week, one message per person on what changed for them.

It lists the outcomes written or changed in the past 7 days of the consultations a person had
their say on (the linked questions, if any). Nobody gets one when nothing changed for them. It
is on by default, except for under-13s; ``/digest on|off`` is each person's own choice, and
people who stopped messages or chose to hear nothing never get one. One broadcast per week
(``digest:2026-W49``), keyed by person, so running the job again queues nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from core import texts
from core.delivery import DIGEST, NORMAL, reply_to_payload
from core.domain import Consultation, Participant
from core.messages import Reply
from core.ports import UnitOfWork

DIGEST_DAY = 5
"""The round-up goes out from Saturday (Monday is 0), so school hours are not in the way."""
WEEK = timedelta(days=7)


def digest_broadcast(local: datetime) -> str:
    """The outbox broadcast of the round-up for the week of ``local``."""
    year, week, _ = local.isocalendar()
    return f"digest:{year}-W{week:02d}"


async def queue_weekly_digests(uow: UnitOfWork, now: datetime, zone: tzinfo) -> int:
    """Queue this week's round-ups, from the digest day on; how many were newly queued."""
    local = now.astimezone(zone)
    if local.weekday() < DIGEST_DAY:
        return 0
    lines: dict[int, list[str]] = {}
    consultations: dict[int, Consultation | None] = {}
    for outcome in await uow.outcomes.changed_since(now - WEEK):
        cid = outcome.consultation_id
        if cid not in consultations:
            consultations[cid] = await uow.consultations.get(cid)
        consultation = consultations[cid]
        if consultation is None:
            continue
        line = texts.DIGEST_LINE.format(
            title=consultation.title,
            stage=texts.OUTCOME_STATUS[outcome.status],
            progress=outcome.progress,
            we_did=outcome.we_did,
        )
        for participant_id in await uow.outcomes.contributors(cid, outcome.question_ids):
            lines.setdefault(participant_id, []).append(line)
    same_message: dict[tuple[str, ...], list[int]] = {}
    for participant_id in await uow.participants.wanting_digest(sorted(lines)):
        same_message.setdefault(tuple(lines[participant_id]), []).append(participant_id)
    queued = 0
    for message, participant_ids in same_message.items():
        reply = Reply(texts.DIGEST.format(lines="\n".join(message)))
        payload = reply_to_payload(reply) | {"kind": DIGEST}
        queued += await uow.deliveries.queue(
            digest_broadcast(local), participant_ids, payload, NORMAL, now
        )
    return queued


async def digest_command(uow: UnitOfWork, participant: Participant, argument: str) -> Reply:
    """``/digest on|off``: switch the weekly round-up; anything else says how it is set."""
    choice = argument.strip().lower()
    if choice not in ("on", "off"):
        state = texts.DIGEST_STATE[participant.gets_digest]
        return Reply(texts.DIGEST_HOW.format(state=state))
    participant.weekly_digest = choice == "on"
    await uow.participants.save(participant)
    return Reply(texts.DIGEST_ON if participant.weekly_digest else texts.DIGEST_OFF)
