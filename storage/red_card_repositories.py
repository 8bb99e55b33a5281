"""SQL storage for red cards, forums' own glossaries, and drafts held back by the word check."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from core.domain import AdultMessage, CardReport, CardStatus, Draft, RedCard
from core.ports import ConcurrentChange
from storage.forum_repositories import insert_for
from storage.models import (
    AdultMessageRecord,
    DraftRecord,
    ForumRecord,
    ForumTermRecord,
    PlatformIdentityRecord,
    RedCardRaiseRecord,
    RedCardRecord,
)

_M = AdultMessageRecord
_R = RedCardRecord
_D = DraftRecord
_MESSAGE_COLUMNS = (
    _M.id,
    _M.forum_id,
    _M.author_id,
    _M.kind,
    _M.text,
    _M.platform,
    _M.chat_id,
    _M.created_at,
    _M.platform_message_id,
    _M.subject,
    _M.broadcast,
)
_CARD_COLUMNS = (
    _R.id,
    _R.message_id,
    _R.forum_id,
    _R.word,
    _R.status,
    _R.raised_at,
    _R.reminded_at,
    _R.raises,
    _R.chases,
    _R.explanation,
    _R.explained_at,
)
_DRAFT_COLUMNS = (
    _D.id,
    _D.token,
    _D.author_id,
    _D.forum_id,
    _D.platform,
    _D.chat_id,
    _D.kind,
    _D.argument,
    _D.words,
    _D.created_at,
    _D.waiting_words,
)


def word_key(word: str) -> str:
    """How a card's word is compared: ignoring case and repeated spaces."""
    return " ".join(word.casefold().split())


def _message(row: Row[*tuple[Any, ...]]) -> AdultMessage:
    return AdultMessage(*(getattr(row, column.key) for column in _MESSAGE_COLUMNS))


def _card(row: Row[*tuple[Any, ...]]) -> RedCard:
    return RedCard(
        id=row.id,
        message_id=row.message_id,
        forum_id=row.forum_id,
        word=row.word,
        status=CardStatus(row.status),
        raised_at=row.raised_at,
        reminded_at=row.reminded_at,
        raises=row.raises,
        chases=row.chases,
        explanation=row.explanation,
        explained_at=row.explained_at,
    )


def _draft(row: Row[*tuple[Any, ...]]) -> Draft:
    return Draft(*(getattr(row, column.key) for column in _DRAFT_COLUMNS))


class SqlRedCards:
    """Recorded messages, the cards on them and who raised each (as one-way keys)."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def add_message(self, message: AdultMessage) -> AdultMessage:
        """Insert a message; ConcurrentChange if its platform message is recorded already."""
        values = {column.key: getattr(message, column.key) for column in _MESSAGE_COLUMNS[1:]}
        try:
            row = (
                await self._session.execute(insert(_M).values(values).returning(*_MESSAGE_COLUMNS))
            ).one()
        except IntegrityError as error:
            raise ConcurrentChange("that message is recorded already") from error
        return _message(row)

    async def message(self, message_id: int) -> AdultMessage | None:
        """One message by number."""
        return await self._one_message(_M.id == message_id)

    async def message_at(
        self, platform: str, chat_id: str, platform_message_id: str
    ) -> AdultMessage | None:
        """The message with this platform id in this chat."""
        return await self._one_message(
            _M.platform == platform,
            _M.chat_id == chat_id,
            _M.platform_message_id == platform_message_id,
        )

    async def message_for(self, subject: str) -> AdultMessage | None:
        """The newest message about a subject."""
        return await self._one_message(_M.subject == subject)

    async def _one_message(self, *where: Any) -> AdultMessage | None:
        statement = select(*_MESSAGE_COLUMNS).where(*where).order_by(_M.id.desc()).limit(1)
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _message(row)

    async def set_platform_message_id(self, message_id: int, platform_message_id: str) -> None:
        """Fill in the platform's id if it is not known yet."""
        await self._session.execute(
            update(_M)
            .where(_M.id == message_id, _M.platform_message_id.is_(None))
            .values(platform_message_id=platform_message_id)
        )

    async def card_for(
        self, message: AdultMessage, word: str, now: datetime
    ) -> tuple[RedCard, bool]:
        """Get or add the card on one word of a message (two at once make one card)."""
        statement = (
            insert_for(self._session)(_R)
            .values(
                message_id=message.id,
                forum_id=message.forum_id,
                word=word,
                word_key=word_key(word),
                status=CardStatus.WAITING,
                raises=0,
                chases=0,
                raised_at=now,
                reminded_at=now,
            )
            .on_conflict_do_nothing(index_elements=[_R.message_id, _R.word_key])
            .returning(_R.id)
        )
        added = (await self._session.execute(statement)).scalar_one_or_none()
        row = (
            await self._session.execute(
                select(*_CARD_COLUMNS).where(
                    _R.message_id == message.id, _R.word_key == word_key(word)
                )
            )
        ).one()
        return _card(row), added is not None

    async def add_raise(
        self,
        card_id: int,
        raiser: str,
        chat_id: str | None,
        participant_id: int | None,
        now: datetime,
    ) -> bool:
        """Count a raise once per person."""
        statement = (
            insert_for(self._session)(RedCardRaiseRecord)
            .values(card_id=card_id, raiser=raiser, chat_id=chat_id, participant_id=participant_id)
            .on_conflict_do_nothing(
                index_elements=[RedCardRaiseRecord.card_id, RedCardRaiseRecord.raiser]
            )
        )
        result = cast(CursorResult[Any], await self._session.execute(statement))
        if result.rowcount != 1:
            return False
        await self._session.execute(update(_R).where(_R.id == card_id).values(raises=_R.raises + 1))
        return True

    async def card(self, card_id: int) -> RedCard | None:
        """One card by number."""
        row = (
            await self._session.execute(select(*_CARD_COLUMNS).where(_R.id == card_id))
        ).one_or_none()
        return None if row is None else _card(row)

    async def waiting_for(self, author_id: int) -> list[RedCard]:
        """Unexplained cards on the author's messages, oldest first."""
        statement = (
            select(*_CARD_COLUMNS)
            .join(_M, _M.id == _R.message_id)
            .where(_M.author_id == author_id, _R.status == CardStatus.WAITING)
            .order_by(_R.raised_at, _R.id)
        )
        return [_card(row) for row in await self._session.execute(statement)]

    async def explain(self, card_id: int, explanation: str, now: datetime) -> bool:
        """Keep the explanation if the card is still waiting."""
        statement = (
            update(_R)
            .where(_R.id == card_id, _R.status == CardStatus.WAITING)
            .values(status=CardStatus.EXPLAINED, explanation=explanation, explained_at=now)
        )
        result = cast(CursorResult[Any], await self._session.execute(statement))
        return result.rowcount == 1

    async def raised_where(self, card_id: int) -> tuple[list[str], list[int]]:
        """Group chats and private raisers of a card."""
        statement = select(RedCardRaiseRecord.chat_id, RedCardRaiseRecord.participant_id).where(
            RedCardRaiseRecord.card_id == card_id
        )
        chats: list[str] = []
        people: list[int] = []
        for row in await self._session.execute(statement):
            if row.chat_id is not None and row.chat_id not in chats:
                chats.append(row.chat_id)
            if row.participant_id is not None and row.participant_id not in people:
                people.append(row.participant_id)
        return sorted(chats), sorted(people)

    async def due(self, reminded_before: datetime) -> list[RedCard]:
        """Waiting cards whose author was last asked at or before the cutoff, oldest first."""
        statement = (
            select(*_CARD_COLUMNS)
            .where(_R.status == CardStatus.WAITING, _R.reminded_at <= reminded_before)
            .order_by(_R.raised_at, _R.id)
        )
        return [_card(row) for row in await self._session.execute(statement)]

    async def count_waiting(self) -> int:
        """How many cards are waiting for their explanation, in every forum."""
        statement = select(func.count()).select_from(_R).where(_R.status == CardStatus.WAITING)
        return int((await self._session.execute(statement)).scalar_one())

    async def mark_reminded(self, card_id: int, chases_before: int, now: datetime) -> bool:
        """Count a reminder if nobody explained or chased the card meanwhile."""
        statement = (
            update(_R)
            .where(_R.id == card_id, _R.status == CardStatus.WAITING, _R.chases == chases_before)
            .values(chases=chases_before + 1, reminded_at=now)
        )
        result = cast(CursorResult[Any], await self._session.execute(statement))
        return result.rowcount == 1

    async def authors_in(self, forum_id: int) -> list[int]:
        """Authors of a forum's recorded messages, in the order they first posted."""
        statement = (
            select(_M.author_id)
            .where(_M.forum_id == forum_id)
            .group_by(_M.author_id)
            .order_by(func.min(_M.id))
        )
        return list((await self._session.execute(statement)).scalars())

    async def report(self, forum_id: int | None = None) -> list[CardReport]:
        """Cards with their forum, author account and message kind, oldest first."""
        first_identity = (
            select(func.min(PlatformIdentityRecord.id))
            .where(PlatformIdentityRecord.participant_id == _M.author_id)
            .correlate(_M)
            .scalar_subquery()
        )
        statement = (
            select(
                *_CARD_COLUMNS,
                ForumRecord.title.label("forum_title"),
                ForumRecord.platform.label("forum_platform"),
                ForumRecord.platform_chat_id.label("forum_group"),
                _M.author_id,
                _M.kind,
                PlatformIdentityRecord.platform.label("author_platform"),
                PlatformIdentityRecord.platform_user_id.label("author_user"),
            )
            .join(_M, _M.id == _R.message_id)
            .join(ForumRecord, ForumRecord.id == _R.forum_id)
            .outerjoin(PlatformIdentityRecord, PlatformIdentityRecord.id == first_identity)
            .order_by(_R.raised_at, _R.id)
        )
        if forum_id is not None:
            statement = statement.where(_R.forum_id == forum_id)
        return [
            CardReport(
                card=_card(row),
                forum_title=row.forum_title,
                forum=f"{row.forum_platform}:{row.forum_group}",
                author_id=row.author_id,
                author=f"{row.author_platform}:{row.author_user}" if row.author_user else "",
                kind=row.kind,
            )
            for row in await self._session.execute(statement)
        ]

    async def kept_for(self, participant_id: int) -> tuple[int, int]:
        """Private raises by the participant, and messages they wrote."""
        raised = select(func.count()).where(RedCardRaiseRecord.participant_id == participant_id)
        wrote = select(func.count()).where(_M.author_id == participant_id)
        return (
            int((await self._session.execute(raised)).scalar_one()),
            int((await self._session.execute(wrote)).scalar_one()),
        )


class SqlForumTerms:
    """Each forum's own glossary."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def terms(self, forum_id: int) -> dict[str, str]:
        """The forum's terms with their explanations, in the order of the terms."""
        statement = (
            select(ForumTermRecord.term, ForumTermRecord.explanation)
            .where(ForumTermRecord.forum_id == forum_id)
            .order_by(ForumTermRecord.term_key)
        )
        return {row.term: row.explanation for row in await self._session.execute(statement)}

    async def add(self, forum_id: int, term: str, explanation: str, now: datetime) -> None:
        """Insert a term, or replace the explanation (and spelling) of the same term."""
        statement = insert_for(self._session)(ForumTermRecord).values(
            forum_id=forum_id,
            term_key=word_key(term),
            term=term,
            explanation=explanation,
            added_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=[ForumTermRecord.forum_id, ForumTermRecord.term_key],
            set_={"term": term, "explanation": explanation, "added_at": now},
        )
        await self._session.execute(statement)


class SqlDrafts:
    """Drafts held back by the plain-words check."""

    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def put(self, draft: Draft) -> Draft:
        """Replace the author's draft in the forum with this one."""
        await self._session.execute(
            delete(_D).where(_D.author_id == draft.author_id, _D.forum_id == draft.forum_id)
        )
        values = {column.key: getattr(draft, column.key) for column in _DRAFT_COLUMNS[1:]}
        try:
            row = (
                await self._session.execute(insert(_D).values(values).returning(*_DRAFT_COLUMNS))
            ).one()
        except IntegrityError as error:
            raise ConcurrentChange("another draft was kept at the same moment") from error
        return _draft(row)

    async def get(self, draft_id: int) -> Draft | None:
        """One draft by number."""
        return await self._one(_D.id == draft_id)

    async def by_token(self, token: str) -> Draft | None:
        """One draft by token."""
        return await self._one(_D.token == token)

    async def waiting_words(self, author_id: int) -> Draft | None:
        """The author's draft waiting for explanations."""
        return await self._one(_D.author_id == author_id, _D.waiting_words.is_(True))

    async def _one(self, *where: Any) -> Draft | None:
        statement = select(*_DRAFT_COLUMNS).where(*where).order_by(_D.id.desc()).limit(1)
        row = (await self._session.execute(statement)).one_or_none()
        return None if row is None else _draft(row)

    async def ask_words(self, draft_id: int, author_id: int) -> None:
        """Mark this draft, and none other of the author's, as waiting for explanations."""
        await self._session.execute(
            update(_D).where(_D.author_id == author_id).values(waiting_words=_D.id == draft_id)
        )

    async def delete(self, draft_id: int) -> bool:
        """Drop a draft."""
        result = cast(
            CursorResult[Any], await self._session.execute(delete(_D).where(_D.id == draft_id))
        )
        return result.rowcount == 1

    async def discard(self, author_id: int, forum_id: int) -> None:
        """Drop the author's draft in the forum."""
        await self._session.execute(
            delete(_D).where(_D.author_id == author_id, _D.forum_id == forum_id)
        )
