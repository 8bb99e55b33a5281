"""SQL storage for forum members, secret ballots and cross-platform link codes.

The voter roll (``ballot_roll``) and the ballot box (``ballot_box``) are written in the same
transaction when a vote is cast, but share no key, no time and no sequence: the box row has a
random id and no participant. At close, ``seal`` stores the box, receipts, roll and codes again
in a random order, so even the physical order of rows says nothing about the order of voting.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, case, delete, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import Ballot, BallotDraft, BallotStatus, Electorate, Forum
from core.messages import Platform
from core.ports import ConcurrentChange
from storage import ballot_seal
from storage.forum_repositories import insert_for
from storage.models import (
    BallotBoxRecord,
    BallotCodeRecord,
    BallotDraftRecord,
    BallotReceiptRecord,
    BallotRecord,
    BallotRollForgottenRecord,
    BallotRollRecord,
    ForumMemberRecord,
    ForumRecord,
    LinkCodeRecord,
    ParticipantRecord,
    PlatformIdentityRecord,
)

_B = BallotRecord
_ROLL = BallotRollRecord
_BOX = BallotBoxRecord
_DRAFT = BallotDraftRecord
_BALLOT_COLUMNS = (
    _B.id,
    _B.token,
    _B.forum_id,
    _B.chat_id,
    _B.platform,
    _B.question,
    _B.options,
    _B.method,
    _B.seats,
    _B.ron,
    _B.opens_at,
    _B.closes_at,
    _B.min_turnout,
    _B.electorate,
    _B.status,
    _B.posted,
    _B.announced,
    _B.result,
)


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


def _ballot(row: Row[*tuple[Any, ...]]) -> Ballot:
    return Ballot(
        id=row.id,
        token=row.token,
        forum_id=row.forum_id,
        chat_id=row.chat_id,
        platform=row.platform,
        question=row.question,
        options=list(row.options),
        method=row.method,
        seats=row.seats,
        ron=row.ron,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        min_turnout=row.min_turnout,
        electorate=Electorate(row.electorate),
        status=BallotStatus(row.status),
        posted=row.posted,
        announced=row.announced,
        result=None if row.result is None else dict(row.result),
    )


class SqlForumMembers:
    """Forum membership, and the random token of each forum's Join button."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def join_token(self, forum_id: int) -> str:
        """Give the forum a token if it has none yet; return its token."""
        await self._session.execute(
            update(ForumRecord)
            .where(ForumRecord.id == forum_id, ForumRecord.token.is_(None))
            .values(token=secrets.token_urlsafe(16))
        )
        token = (
            await self._session.execute(select(ForumRecord.token).where(ForumRecord.id == forum_id))
        ).scalar_one()
        assert token is not None
        return token

    async def forum_by_token(self, token: str) -> Forum | None:
        """Find the forum a join token belongs to."""
        row = (
            await self._session.execute(
                select(
                    ForumRecord.id,
                    ForumRecord.platform,
                    ForumRecord.platform_chat_id,
                    ForumRecord.title,
                ).where(ForumRecord.token == token)
            )
        ).one_or_none()
        return None if row is None else Forum(row.id, row.platform, row.platform_chat_id, row.title)

    async def add(self, forum_id: int, participant_id: int, day: date) -> bool:
        """Add a member; False if they were one already."""
        statement = (
            insert_for(self._session)(ForumMemberRecord)
            .values(forum_id=forum_id, participant_id=participant_id, joined_on=day)
            .on_conflict_do_nothing(
                index_elements=[ForumMemberRecord.forum_id, ForumMemberRecord.participant_id]
            )
        )
        return _rowcount(await self._session.execute(statement)) == 1

    async def count(self, forum_id: int) -> int:
        """Count a forum's members."""
        statement = select(func.count()).where(ForumMemberRecord.forum_id == forum_id)
        return int((await self._session.execute(statement)).scalar_one())

    async def forums_of(self, participant_id: int) -> list[tuple[Forum, date]]:
        """The forums a participant joined, oldest first."""
        statement = (
            select(
                ForumRecord.id,
                ForumRecord.platform,
                ForumRecord.platform_chat_id,
                ForumRecord.title,
                ForumMemberRecord.joined_on,
            )
            .join(ForumMemberRecord, ForumMemberRecord.forum_id == ForumRecord.id)
            .where(ForumMemberRecord.participant_id == participant_id)
            .order_by(ForumMemberRecord.joined_on, ForumRecord.id)
        )
        return [
            (Forum(row.id, row.platform, row.platform_chat_id, row.title), row.joined_on)
            for row in await self._session.execute(statement)
        ]


class SqlBallots:
    """Ballots, the roll, the box, receipts, drafts and invite codes."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, ballot: Ballot, now: datetime) -> Ballot:
        """Store a new ballot."""
        statement = (
            insert(_B)
            .values(
                token=ballot.token,
                forum_id=ballot.forum_id,
                chat_id=ballot.chat_id,
                platform=ballot.platform,
                question=ballot.question,
                options=ballot.options,
                method=ballot.method,
                seats=ballot.seats,
                ron=ballot.ron,
                opens_at=ballot.opens_at,
                closes_at=ballot.closes_at,
                min_turnout=ballot.min_turnout,
                electorate=ballot.electorate,
                status=ballot.status,
                posted=ballot.posted,
                announced=ballot.announced,
                result=ballot.result,
                created_at=now,
            )
            .returning(*_BALLOT_COLUMNS)
        )
        return _ballot((await self._session.execute(statement)).one())

    async def get(self, ballot_id: int, lock: bool = False) -> Ballot | None:
        """One ballot by id, optionally holding a shared row lock (PostgreSQL)."""
        return await self._one(_B.id == ballot_id, lock)

    async def by_token(self, token: str, lock: bool = False) -> Ballot | None:
        """One ballot by its token."""
        return await self._one(_B.token == token, lock)

    async def _one(self, condition: Any, lock: bool) -> Ballot | None:
        statement = select(*_BALLOT_COLUMNS).where(condition)
        if lock:
            statement = statement.with_for_update(read=True)
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _ballot(row)

    async def latest_in_chat(self, forum_id: int, chat_id: str) -> Ballot | None:
        """The newest ballot of a forum announced in one chat."""
        statement = (
            select(*_BALLOT_COLUMNS)
            .where(_B.forum_id == forum_id, _B.chat_id == chat_id)
            .order_by(_B.id.desc())
            .limit(1)
        )
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _ballot(row)

    async def open_for(self, participant_id: int) -> list[Ballot]:
        """Open ballots the participant may still vote in, closing soonest first."""
        statement = (
            select(*_BALLOT_COLUMNS)
            .join(_ROLL, _ROLL.ballot_id == _B.id)
            .where(
                _ROLL.participant_id == participant_id,
                _ROLL.voted.is_(False),
                _B.status == BallotStatus.OPEN,
            )
            .order_by(_B.closes_at, _B.id)
        )
        return [_ballot(row) for row in await self._session.execute(statement)]

    async def due(self, now: datetime) -> tuple[list[Ballot], list[Ballot]]:
        """Ballots due to open, and ballots due to close."""
        opening = select(*_BALLOT_COLUMNS).where(
            _B.status == BallotStatus.SCHEDULED, _B.opens_at <= now
        )
        closing = select(*_BALLOT_COLUMNS).where(
            _B.status == BallotStatus.OPEN, _B.closes_at <= now
        )
        return (
            [_ballot(row) for row in await self._session.execute(opening.order_by(_B.id))],
            [_ballot(row) for row in await self._session.execute(closing.order_by(_B.id))],
        )

    async def closed_of_forum(self, forum_id: int) -> list[Ballot]:
        """A forum's closed (counted) ballots, oldest first."""
        statement = select(*_BALLOT_COLUMNS).where(
            _B.forum_id == forum_id, _B.status == BallotStatus.CLOSED
        )
        return [_ballot(row) for row in await self._session.execute(statement.order_by(_B.id))]

    async def to_announce(self) -> list[Ballot]:
        """Openings never posted, and results never announced."""
        statement = (
            select(*_BALLOT_COLUMNS)
            .where(
                ((_B.status != BallotStatus.CLOSED) & _B.posted.is_(False))
                | ((_B.status == BallotStatus.CLOSED) & _B.announced.is_(False))
            )
            .order_by(_B.id)
        )
        return [_ballot(row) for row in await self._session.execute(statement)]

    async def set_status(
        self, ballot_id: int, before: str, after: str, closes_at: datetime | None = None
    ) -> bool:
        """Change the status only if it is still ``before``."""
        values: dict[str, Any] = {"status": after}
        if closes_at is not None:
            values["closes_at"] = closes_at
        statement = update(_B).where(_B.id == ballot_id, _B.status == before).values(**values)
        return _rowcount(await self._session.execute(statement)) == 1

    async def mark_posted(self, ballot_id: int) -> None:
        """The opening announcement was sent."""
        await self._session.execute(update(_B).where(_B.id == ballot_id).values(posted=True))

    async def mark_announced(self, ballot_id: int) -> None:
        """The results were sent."""
        await self._session.execute(update(_B).where(_B.id == ballot_id).values(announced=True))

    async def store_result(self, ballot_id: int, result: dict[str, Any]) -> None:
        """Keep the count."""
        await self._session.execute(update(_B).where(_B.id == ballot_id).values(result=result))

    async def freeze_roll(self, ballot_id: int, forum_id: int) -> int:
        """Copy today's members onto the roll, none of them voted."""
        members = select(
            literal(ballot_id), ForumMemberRecord.participant_id, literal(False)
        ).where(ForumMemberRecord.forum_id == forum_id)
        await self._session.execute(
            insert(_ROLL).from_select(["ballot_id", "participant_id", "voted"], members)
        )
        size, _ = await self.roll_counts(ballot_id)
        return size

    async def on_roll(self, ballot_id: int, participant_id: int) -> bool | None:
        """None if not on the roll, else whether marked as voted."""
        statement = select(_ROLL.voted).where(
            _ROLL.ballot_id == ballot_id, _ROLL.participant_id == participant_id
        )
        voted = (await self._session.execute(statement)).scalar_one_or_none()
        return None if voted is None else bool(voted)

    async def add_to_roll(self, ballot_id: int, participant_id: int) -> None:
        """Put one participant on the roll."""
        try:
            await self._session.execute(
                insert(_ROLL).values(
                    ballot_id=ballot_id, participant_id=participant_id, voted=False
                )
            )
        except IntegrityError as error:
            raise ConcurrentChange("already on the roll") from error

    async def roll_of(self, participant_id: int) -> list[tuple[Ballot, bool]]:
        """Ballots the participant is on the roll of, oldest first."""
        statement = (
            select(*_BALLOT_COLUMNS, _ROLL.voted.label("voted"))
            .join(_ROLL, _ROLL.ballot_id == _B.id)
            .where(_ROLL.participant_id == participant_id)
            .order_by(_B.id)
        )
        return [(_ballot(row), bool(row.voted)) for row in await self._session.execute(statement)]

    async def roll_counts(self, ballot_id: int) -> tuple[int, int]:
        """Size of the roll and how many are marked as voted, erased people's counts included."""
        voted = func.coalesce(func.sum(case((_ROLL.voted.is_(True), 1), else_=0)), 0)
        statement = select(func.count(), voted).where(_ROLL.ballot_id == ballot_id)
        size, voted = (await self._session.execute(statement)).one()
        gone = BallotRollForgottenRecord
        erased = (
            await self._session.execute(
                select(gone.on_roll, gone.voted).where(gone.ballot_id == ballot_id)
            )
        ).one_or_none()
        if erased is not None:
            size, voted = size + erased.on_roll, voted + erased.voted
        return int(size), int(voted)

    async def add_codes(self, ballot_id: int, code_hashes: list[str]) -> None:
        """Store invite code hashes, all unused."""
        if code_hashes:
            await self._session.execute(
                insert(BallotCodeRecord),
                [{"code_hash": h, "ballot_id": ballot_id, "used": False} for h in code_hashes],
            )

    async def count_codes(self, ballot_id: int) -> int:
        """Count a ballot's invite codes."""
        statement = select(func.count()).where(BallotCodeRecord.ballot_id == ballot_id)
        return int((await self._session.execute(statement)).scalar_one())

    async def code(self, code_hash: str) -> tuple[int, bool] | None:
        """The ballot of an invite code and whether it was used."""
        row = (
            await self._session.execute(
                select(BallotCodeRecord.ballot_id, BallotCodeRecord.used).where(
                    BallotCodeRecord.code_hash == code_hash
                )
            )
        ).one_or_none()
        return None if row is None else (row.ballot_id, bool(row.used))

    async def use_code(self, code_hash: str) -> bool:
        """Use an unused code; the conditional update lets only one redemption through."""
        statement = (
            update(BallotCodeRecord)
            .where(BallotCodeRecord.code_hash == code_hash, BallotCodeRecord.used.is_(False))
            .values(used=True)
        )
        return _rowcount(await self._session.execute(statement)) == 1

    async def draft(self, ballot_id: int, participant_id: int) -> BallotDraft | None:
        """The participant's draft for a ballot."""
        row = (
            await self._session.execute(
                select(_DRAFT.token, _DRAFT.picks, _DRAFT.reviewing, _DRAFT.version).where(
                    _DRAFT.ballot_id == ballot_id, _DRAFT.participant_id == participant_id
                )
            )
        ).one_or_none()
        if row is None:
            return None
        return BallotDraft(
            ballot_id, participant_id, row.token, list(row.picks), row.reviewing, row.version
        )

    async def add_draft(self, draft: BallotDraft) -> None:
        """Start a draft."""
        try:
            await self._session.execute(
                insert(_DRAFT).values(
                    ballot_id=draft.ballot_id,
                    participant_id=draft.participant_id,
                    token=draft.token,
                    picks=draft.picks,
                    reviewing=draft.reviewing,
                    version=draft.version,
                )
            )
        except IntegrityError as error:
            raise ConcurrentChange("draft started twice") from error

    async def save_draft(self, draft: BallotDraft) -> None:
        """Store the draft if its version is unchanged, then bump the version."""
        statement = (
            update(_DRAFT)
            .where(
                _DRAFT.ballot_id == draft.ballot_id,
                _DRAFT.participant_id == draft.participant_id,
                _DRAFT.version == draft.version,
            )
            .values(
                token=draft.token,
                picks=draft.picks,
                reviewing=draft.reviewing,
                version=draft.version + 1,
            )
        )
        if _rowcount(await self._session.execute(statement)) == 0:
            raise ConcurrentChange("ballot draft changed since it was read")
        draft.version += 1

    async def delete_draft(self, ballot_id: int, participant_id: int) -> None:
        """Drop a draft."""
        await self._session.execute(
            delete(_DRAFT).where(
                _DRAFT.ballot_id == ballot_id, _DRAFT.participant_id == participant_id
            )
        )

    async def mark_voted(self, ballot_id: int, participant_id: int) -> bool:
        """The one-vote guard: only one transaction can move ``voted`` from false to true."""
        statement = (
            update(_ROLL)
            .where(
                _ROLL.ballot_id == ballot_id,
                _ROLL.participant_id == participant_id,
                _ROLL.voted.is_(False),
            )
            .values(voted=True)
        )
        return _rowcount(await self._session.execute(statement)) == 1

    async def put_in_box(self, ballot_id: int, vote_id: str, choice: list[int]) -> None:
        """Add a vote under its random id."""
        await self._session.execute(
            insert(_BOX).values(id=vote_id, ballot_id=ballot_id, choice=choice)
        )

    async def add_receipt(self, ballot_id: int, receipt: str) -> None:
        """Keep a receipt code."""
        try:
            await self._session.execute(
                insert(BallotReceiptRecord).values(receipt=receipt, ballot_id=ballot_id)
            )
        except IntegrityError as error:
            raise ConcurrentChange("receipt code taken") from error

    async def box(
        self, ballot_id: int, *, first_only: bool = False
    ) -> list[tuple[list[int] | None, int]]:
        """Each distinct choice and how many times it was cast, grouped in the database.

        Counting needs no order, and grouping reads at most one row per distinct choice (325
        rankings of 5 options) instead of one per vote. ``first_only`` groups by the first
        option alone, read as a whole number: cheaper than comparing whole JSON values.
        """
        if first_only:
            first = _BOX.choice[0].as_integer()
            grouped = select(first, func.count()).where(_BOX.ballot_id == ballot_id).group_by(first)
            return [
                (None if option is None else [option], times)
                for option, times in await self._session.execute(grouped)
            ]
        statement = (
            select(_BOX.choice, func.count())
            .where(_BOX.ballot_id == ballot_id)
            .group_by(_BOX.choice)
        )
        return [
            (None if choice is None else list(choice), times)
            for choice, times in await self._session.execute(statement)
        ]

    async def receipts(self, ballot_id: int) -> list[str]:
        """Receipt codes, sorted."""
        statement = (
            select(BallotReceiptRecord.receipt)
            .where(BallotReceiptRecord.ballot_id == ballot_id)
            .order_by(BallotReceiptRecord.receipt)
        )
        return list((await self._session.execute(statement)).scalars())

    async def seal(self, ballot_id: int) -> None:
        """Drop drafts; store box (with new ids), receipts, roll and codes again, shuffled."""
        await ballot_seal.seal(self._session, ballot_id)

    async def discard_choices(self, ballot_id: int) -> None:
        """Blank every choice of the ballot."""
        await self._session.execute(
            update(_BOX).where(_BOX.ballot_id == ballot_id).values(choice=None)
        )


class SqlLinks:
    """One-time link codes, kept only as hashes, and moving an identity onto a participant."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add(self, participant_id: int, code_hash: str, expires_at: datetime) -> None:
        """Keep a new code, dropping the participant's earlier one."""
        await self._session.execute(
            delete(LinkCodeRecord).where(LinkCodeRecord.participant_id == participant_id)
        )
        await self._session.execute(
            insert(LinkCodeRecord).values(
                code_hash=code_hash,
                participant_id=participant_id,
                expires_at=expires_at,
                failures=0,
            )
        )

    async def taken(self, code_hash: str, now: datetime) -> bool:
        """Drop expired codes; say whether a live one has this hash."""
        await self._session.execute(delete(LinkCodeRecord).where(LinkCodeRecord.expires_at <= now))
        statement = select(func.count()).where(LinkCodeRecord.code_hash == code_hash)
        return int((await self._session.execute(statement)).scalar_one()) > 0

    async def find(self, code_hash: str, now: datetime, most_failures: int) -> int | None:
        """The participant behind a live, not over-guessed code."""
        statement = select(LinkCodeRecord.participant_id).where(
            LinkCodeRecord.code_hash == code_hash,
            LinkCodeRecord.expires_at > now,
            LinkCodeRecord.failures < most_failures,
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def delete(self, code_hash: str) -> None:
        """Use up a code."""
        await self._session.execute(
            delete(LinkCodeRecord).where(LinkCodeRecord.code_hash == code_hash)
        )

    async def miss(self, now: datetime) -> None:
        """Count a wrong code against every live code."""
        await self._session.execute(
            update(LinkCodeRecord)
            .where(LinkCodeRecord.expires_at > now)
            .values(failures=LinkCodeRecord.failures + 1)
        )

    async def attach(
        self,
        platform: Platform,
        user_id: str,
        participant_id: int,
        replaced: int | None,
        now: datetime,
    ) -> None:
        """Point the identity at ``participant_id``; delete the participant it replaces."""
        if replaced is None:
            await self._session.execute(
                insert(PlatformIdentityRecord).values(
                    participant_id=participant_id,
                    platform=platform,
                    platform_user_id=user_id,
                    created_at=now,
                )
            )
            return
        await self._session.execute(
            update(PlatformIdentityRecord)
            .where(
                PlatformIdentityRecord.platform == platform,
                PlatformIdentityRecord.platform_user_id == user_id,
            )
            .values(participant_id=participant_id)
        )
        await self._session.execute(
            delete(ParticipantRecord).where(ParticipantRecord.id == replaced)
        )
