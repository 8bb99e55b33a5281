"""SQL storage for erasure, retention, invite codes, the audit log and group moderation.

What erasure and retention take away is first added to anonymous counts.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import Forum, ForumModeration, InviteCode
from core.messages import Platform
from storage.forum_repositories import insert_for
from storage.models import (
    AnswerRecord,
    AnswerTallyRecord,
    AuditRecord,
    BallotRollForgottenRecord,
    BallotRollRecord,
    DialogSessionRecord,
    ForumModerationRecord,
    ForumModeratorRecord,
    ForumRecord,
    GuardianConsentRecord,
    InviteCodeRecord,
    ParticipantRecord,
    PollRecord,
    PollVoteRecord,
)

_A = AnswerRecord
_T = AnswerTallyRecord
_F = ForumRecord

Tally = Counter[tuple[int, str, bool]]
"""Answers counted by (consultation, question, skipped)."""


class SqlPersonalData:
    """Erasure and retention; what is taken away is first added to the anonymous counts."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def poll_ids(self) -> list[int]:
        """Every quick poll's id."""
        return list((await self._session.execute(select(PollRecord.id))).scalars())

    async def erase(
        self, participant_id: int, poll_votes: list[tuple[int, str]], actors: list[str]
    ) -> None:
        """Count, re-key and drop what links to the participant, then delete them."""
        own_answers = select(_A.consultation_id, _A.question_id, _A.skipped).join(
            DialogSessionRecord, DialogSessionRecord.id == _A.session_id
        )
        rows = await self._session.execute(
            own_answers.where(DialogSessionRecord.participant_id == participant_id)
        )
        await self._add_tallies(
            Counter((r.consultation_id, r.question_id, r.skipped) for r in rows)
        )
        await self._rekey_votes(poll_votes)
        await self._count_roll(participant_id)
        if actors:
            await self._session.execute(delete(AuditRecord).where(AuditRecord.actor.in_(actors)))
        await self._session.execute(
            delete(ParticipantRecord).where(ParticipantRecord.id == participant_id)
        )

    async def expire_text(
        self,
        consultation_id: int,
        text_questions: list[str],
        reason_questions: list[str],
        before: datetime,
    ) -> int:
        """Turn old typed answers into counts and clear old score reasons."""
        old = (_A.consultation_id == consultation_id, _A.answered_at < before)
        typed = (*old, _A.question_id.in_(text_questions))
        counts = await self._session.execute(
            select(_A.question_id, _A.skipped, func.count())
            .where(*typed)
            .group_by(_A.question_id, _A.skipped)
        )
        tally: Tally = Counter(
            {(consultation_id, question_id, skipped): n for question_id, skipped, n in counts}
        )
        await self._add_tallies(tally)
        if tally:
            await self._session.execute(delete(_A).where(*typed))
        reasons = await self._session.execute(
            select(_A.id, _A.value).where(*old, _A.question_id.in_(reason_questions))
        )
        cleared = [
            {"b_id": row.id, "b_value": {**row.value, "reason": ""}}
            for row in reasons.all()
            if isinstance(row.value, dict) and row.value.get("reason")
        ]
        if cleared:
            answers = _table(AnswerRecord)
            await self._session.execute(
                update(answers)
                .where(answers.c.id == bindparam("b_id"))
                .values(value=bindparam("b_value")),
                cleared,
            )
        return sum(tally.values()) + len(cleared)

    async def answer_totals(self, consultation_id: int) -> dict[str, tuple[int, int]]:
        """Answered and skipped per question: the answers kept plus the tallies."""
        totals: dict[str, list[int]] = {}
        kept = await self._session.execute(
            select(_A.question_id, _A.skipped, func.count())
            .where(_A.consultation_id == consultation_id)
            .group_by(_A.question_id, _A.skipped)
        )
        for question_id, skipped, count in kept:
            totals.setdefault(question_id, [0, 0])[1 if skipped else 0] += count
        tallied = await self._session.execute(
            select(_T.question_id, _T.answered, _T.skipped).where(
                _T.consultation_id == consultation_id
            )
        )
        for question_id, answered, skipped_count in tallied:
            counts = totals.setdefault(question_id, [0, 0])
            counts[0] += answered
            counts[1] += skipped_count
        return {question_id: (a, s) for question_id, (a, s) in sorted(totals.items())}

    async def _add_tallies(self, tally: Tally) -> None:
        per_question: dict[tuple[int, str], list[int]] = {}
        for (consultation_id, question_id, skipped), count in tally.items():
            counts = per_question.setdefault((consultation_id, question_id), [0, 0])
            counts[1 if skipped else 0] += count
        insert_ = insert_for(self._session)
        for (consultation_id, question_id), (answered, skips) in per_question.items():
            statement = insert_(_T).values(
                consultation_id=consultation_id,
                question_id=question_id,
                answered=answered,
                skipped=skips,
            )
            await self._session.execute(
                statement.on_conflict_do_update(
                    index_elements=[_T.consultation_id, _T.question_id],
                    set_={
                        "answered": _T.answered + statement.excluded.answered,
                        "skipped": _T.skipped + statement.excluded.skipped,
                    },
                )
            )

    async def _rekey_votes(self, poll_votes: list[tuple[int, str]]) -> None:
        """Give the participant's quick-poll votes random keys: counted, but nobody's."""
        votes = PollVoteRecord
        table = _table(votes)
        rekey = (
            update(table)
            .where(table.c.poll_id == bindparam("b_poll"), table.c.voter == bindparam("b_voter"))
            .values(voter=bindparam("b_new"))
        )
        for start in range(0, len(poll_votes), 500):
            chunk = poll_votes[start : start + 500]
            found = await self._session.execute(
                select(votes.poll_id, votes.voter).where(
                    tuple_(votes.poll_id, votes.voter).in_(chunk)
                )
            )
            keys = [
                {"b_poll": poll_id, "b_voter": voter, "b_new": secrets.token_hex(32)}
                for poll_id, voter in found.all()
            ]
            if keys:
                await self._session.execute(rekey, keys)

    async def _count_roll(self, participant_id: int) -> None:
        """Keep the participant's voter roll entries only as counts per ballot."""
        roll = BallotRollRecord
        entries = await self._session.execute(
            select(roll.ballot_id, roll.voted).where(roll.participant_id == participant_id)
        )
        forgotten = BallotRollForgottenRecord
        insert_ = insert_for(self._session)
        for ballot_id, voted in entries.all():
            statement = insert_(forgotten).values(
                ballot_id=ballot_id, on_roll=1, voted=1 if voted else 0
            )
            await self._session.execute(
                statement.on_conflict_do_update(
                    index_elements=[forgotten.ballot_id],
                    set_={
                        "on_roll": forgotten.on_roll + 1,
                        "voted": forgotten.voted + statement.excluded.voted,
                    },
                )
            )


class SqlInviteCodes:
    """Invite codes (as hashes) and the agreements they record."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(
        self, forum_id: int, code_hashes: list[str], expires_at: datetime, now: datetime
    ) -> None:
        """Store new codes."""
        if not code_hashes:
            return
        rows = [
            {"code_hash": h, "forum_id": forum_id, "made_at": now, "expires_at": expires_at}
            for h in code_hashes
        ]
        await self._session.execute(insert(InviteCodeRecord).values(rows))

    async def find(self, code_hash: str) -> InviteCode | None:
        """The code with this hash."""
        code = InviteCodeRecord
        row = (
            await self._session.execute(
                select(code.forum_id, code.expires_at, code.used_at).where(
                    code.code_hash == code_hash
                )
            )
        ).one_or_none()
        return (
            None
            if row is None
            else InviteCode(row.forum_id, row.expires_at, row.used_at is not None)
        )

    async def use(self, code_hash: str, participant_id: int, now: datetime) -> bool:
        """Mark the code used (only if it was not) and record the agreement."""
        code = InviteCodeRecord
        used = await self._session.execute(
            update(code)
            .where(code.code_hash == code_hash, code.used_at.is_(None))
            .values(used_at=now)
            .returning(code.forum_id)
        )
        forum_id = used.scalar_one_or_none()
        if forum_id is None:
            return False
        agreement = insert_for(self._session)(GuardianConsentRecord).values(
            participant_id=participant_id, forum_id=forum_id, recorded_at=now
        )
        await self._session.execute(
            agreement.on_conflict_do_update(
                index_elements=[GuardianConsentRecord.participant_id],
                set_={"forum_id": forum_id, "recorded_at": now},
            )
        )
        return True

    async def agreement(self, participant_id: int) -> tuple[Forum | None, datetime] | None:
        """The forum and time of the participant's recorded agreement."""
        g = GuardianConsentRecord
        row = (
            await self._session.execute(
                select(g.recorded_at, _F.id, _F.platform, _F.platform_chat_id, _F.title)
                .outerjoin(_F, _F.id == g.forum_id)
                .where(g.participant_id == participant_id)
            )
        ).one_or_none()
        if row is None:
            return None
        forum = None if row.id is None else _forum(row)
        return forum, row.recorded_at


class SqlAudit:
    """The audit log of refused actions."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def refused(self, actor: str, action: str, now: datetime) -> None:
        """Add one refusal."""
        await self._session.execute(
            insert(AuditRecord).values(actor=actor, action=action[:32], at=now)
        )

    async def of(self, actors: list[str]) -> list[tuple[str, datetime]]:
        """The refusals recorded for these pseudonyms."""
        if not actors:
            return []
        rows = await self._session.execute(
            select(AuditRecord.action, AuditRecord.at)
            .where(AuditRecord.actor.in_(actors))
            .order_by(AuditRecord.at, AuditRecord.id)
        )
        return [(row.action, row.at) for row in rows]


class SqlModeration:
    """Group moderation settings and who gets the reports."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def settings(self, platform: Platform, group_id: str) -> ForumModeration | None:
        """The forum and its setting, if its group is screened."""
        m = ForumModerationRecord
        row = (
            await self._session.execute(
                select(_F.id, _F.platform, _F.platform_chat_id, _F.title, m.hide)
                .join(m, m.forum_id == _F.id)
                .where(_F.platform == platform, _F.platform_chat_id == group_id)
            )
        ).one_or_none()
        return None if row is None else ForumModeration(_forum(row), row.hide)

    async def turn_on(self, forum_id: int, hide: bool, now: datetime) -> None:
        """Add or change the forum's setting."""
        m = ForumModerationRecord
        statement = insert_for(self._session)(m).values(forum_id=forum_id, hide=hide, since=now)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=[m.forum_id], set_={"hide": hide})
        )

    async def turn_off(self, forum_id: int) -> None:
        """Remove the setting; the moderators list goes with it."""
        m = ForumModerationRecord
        await self._session.execute(delete(m).where(m.forum_id == forum_id))

    async def add_moderator(self, forum_id: int, participant_id: int) -> None:
        """Add an organiser to the forum's report list (once)."""
        statement = insert_for(self._session)(ForumModeratorRecord).values(
            forum_id=forum_id, participant_id=participant_id
        )
        await self._session.execute(statement.on_conflict_do_nothing())

    async def moderators(self, forum_id: int) -> list[int]:
        """Who gets the forum's reports."""
        r = ForumModeratorRecord
        rows = await self._session.execute(
            select(r.participant_id).where(r.forum_id == forum_id).order_by(r.participant_id)
        )
        return list(rows.scalars())

    async def moderated_by(self, participant_id: int) -> list[Forum]:
        """The forums whose reports this participant gets."""
        r = ForumModeratorRecord
        rows = await self._session.execute(
            select(_F.id, _F.platform, _F.platform_chat_id, _F.title)
            .join(r, r.forum_id == _F.id)
            .where(r.participant_id == participant_id)
            .order_by(_F.id)
        )
        return [_forum(row) for row in rows]


def _table(model: Any) -> Table:
    """A model's table, for updates of many rows in one executemany (no ORM bookkeeping)."""
    return cast(Table, model.__table__)


def _forum(row: Any) -> Forum:
    return Forum(row.id, row.platform, row.platform_chat_id, row.title)
