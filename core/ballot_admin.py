"""Running secret ballots: opening (and freezing the roll), closing, counting and announcing.

Nothing here ever shows a count, a turnout or who has voted while a ballot is open. At close
the ballot box is sealed (stored again in random order), counted once, and the count is kept
with the ballot; results are shown only if enough people voted.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, tzinfo

from core import texts
from core.ballots import (
    MAX_OPTIONS,
    BallotError,
    BallotSpec,
    chart_values,
    choice_words,
    code_hash,
    new_code,
    new_token,
    opening_reply,
    parse_ballot_command,
    result_record,
    results_text,
    when,
)
from core.buttons import Action, TokenButton
from core.charts import bar_chart
from core.domain import Ballot, BallotStatus, Electorate, Forum
from core.messages import Address, Button, Reply
from core.plain_check import PlainCheck
from core.ports import UnitOfWork, UnitOfWorkFactory
from core.red_cards import MessageKind

log = logging.getLogger(__name__)

BALLOT_COMMANDS = frozenset({"ballot", "endballot", "members"})
"""Group commands for secret ballots; all of them are for organisers only."""


class BallotAdmin:
    """Organiser use cases for secret ballots inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, zone: tzinfo) -> None:
        self._uow = uow
        self._now = now
        self._zone = zone
        self._check = PlainCheck(uow, now)

    async def command(
        self, address: Address, name: str, argument: str, checked: bool = False
    ) -> list[Reply]:
        """``/ballot``, ``/endballot`` or ``/members`` typed in a group by an organiser.

        The role is checked before, in ``core/roles.py``. A ballot's question and options go
        through the plain-words check first, unless ``checked`` (its author chose to send it
        anyway).
        """
        forum = await self._forum(address)
        if name == "members":
            return [await self._members(forum)]
        if name == "endballot":
            return [await self._end(forum, address.chat_id)]
        try:
            spec = parse_ballot_command(argument)
        except BallotError as error:
            how = texts.BALLOT_HOW.format(most=MAX_OPTIONS)
            text = how if not argument.strip() else f"{error}\n\n{how}"
            return [Reply(text, only_for_sender=True)]
        if await self._uow.members.count(forum.id) == 0:
            return [Reply(texts.BALLOT_NO_MEMBERS, only_for_sender=True)]
        words = "\n".join([spec.question, *spec.options])
        held = None if checked else await self._check.hold(forum, address, name, argument, words)
        if held is not None:
            return [held]
        _, reply, _ = await self.open(forum, address.chat_id, spec, posted=True)
        return [await self._check.posted(forum, address, MessageKind.BALLOT, words, reply)]

    async def open(
        self,
        forum: Forum,
        chat_id: str,
        spec: BallotSpec,
        posted: bool,
        electorate: Electorate = Electorate.MEMBERS,
    ) -> tuple[Ballot, Reply, list[str]]:
        """Store a checked ballot; freeze the roll if it opens now; make invite codes."""
        spec.check()
        opens_at = spec.opens_at or self._now
        closes_at = spec.closes_at or opens_at + spec.duration
        if closes_at <= max(opens_at, self._now):
            raise BallotError("The vote must close after it opens.")
        opening_now = opens_at <= self._now
        ballot = await self._uow.ballots.add(
            Ballot(
                id=0,
                token=new_token(),
                forum_id=forum.id,
                chat_id=chat_id,
                platform=forum.platform,
                question=spec.question,
                options=spec.all_options(),
                method=spec.method,
                seats=spec.seats,
                ron=spec.ron,
                opens_at=opens_at,
                closes_at=closes_at,
                min_turnout=spec.min_turnout,
                electorate=electorate,
                status=BallotStatus.OPEN if opening_now else BallotStatus.SCHEDULED,
                posted=posted,
            ),
            self._now,
        )
        if opening_now and electorate == Electorate.MEMBERS:
            await self._uow.ballots.freeze_roll(ballot.id, forum.id)
        codes = [new_code() for _ in range(spec.codes)] if electorate == Electorate.CODES else []
        await self._uow.ballots.add_codes(ballot.id, [code_hash(code) for code in codes])
        log.info("ballot %d opened (%s, %s)", ballot.id, ballot.method, ballot.electorate)
        return ballot, opening_reply(ballot, self._zone), codes

    async def start_voting(self, ballot: Ballot) -> None:
        """A scheduled ballot's time has come: freeze the roll and take votes."""
        if not await self._uow.ballots.set_status(
            ballot.id, BallotStatus.SCHEDULED, BallotStatus.OPEN
        ):
            return
        if ballot.electorate == Electorate.MEMBERS:
            await self._uow.ballots.freeze_roll(ballot.id, ballot.forum_id)
        log.info("ballot %d: voting opened", ballot.id)

    async def close(self, ballot: Ballot, early: bool = False) -> Ballot | None:
        """Close, seal and count a ballot; None if another worker closed it first.

        Casting holds a shared lock on the ballot row, so the status change waits for votes
        being cast, and votes after it see the ballot closed: none is left out of the count.
        """
        for before in (BallotStatus.OPEN, BallotStatus.SCHEDULED):
            if await self._uow.ballots.set_status(
                ballot.id, before, BallotStatus.CLOSED, self._now if early else None
            ):
                break
        else:
            return None
        await self._uow.ballots.seal(ballot.id)
        box = await self._uow.ballots.box(ballot.id, first_only=ballot.method == "plurality")
        choices = [(choice, times) for choice, times in box if choice is not None]
        roll, voted = await self._uow.ballots.roll_counts(ballot.id)
        if ballot.electorate == Electorate.CODES:
            roll = await self._uow.ballots.count_codes(ballot.id)
        result = result_record(ballot, choices, roll, voted)
        if not result["shown"]:
            await self._uow.ballots.discard_choices(ballot.id)
        await self._uow.ballots.store_result(ballot.id, result)
        log.info("ballot %d closed and counted", ballot.id)
        closed = await self._uow.ballots.get(ballot.id)
        assert closed is not None
        return closed

    async def results(self, ballot: Ballot) -> Reply:
        """The results announcement of a closed ballot, with its chart."""
        text = results_text(ballot, await self._uow.ballots.receipts(ballot.id))
        return Reply(text, image=await results_chart(ballot))

    async def results_request(self, address: Address) -> Reply | None:
        """``/results`` in a group: a closed ballot's results; an open one says when they come."""
        forum = await self._forum(address)
        ballot = await self._uow.ballots.latest_in_chat(forum.id, address.chat_id)
        if ballot is None:
            return None
        if ballot.status != BallotStatus.CLOSED:
            closes = when(ballot.closes_at, self._zone)
            return Reply(texts.BALLOT_RESULTS_LATER.format(question=ballot.question, closes=closes))
        return await self.results(ballot)

    async def _end(self, forum: Forum, chat_id: str) -> Reply:
        ballot = await self._uow.ballots.latest_in_chat(forum.id, chat_id)
        if ballot is None or ballot.status == BallotStatus.CLOSED:
            return Reply(texts.BALLOT_NO_OPEN, only_for_sender=True)
        closed = await self.close(ballot, early=True)
        if closed is None:
            return Reply(texts.BALLOT_NO_OPEN, only_for_sender=True)
        await self._uow.ballots.mark_announced(closed.id)
        return await self.results(closed)

    async def _members(self, forum: Forum) -> Reply:
        token = await self._uow.members.join_token(forum.id)
        count = await self._uow.members.count(forum.id)
        button = Button(
            TokenButton(Action.JOIN, token, None, "o").encode(),
            texts.BUTTON_JOIN,
            "join",
            private_start=f"j{token}",
        )
        return Reply(texts.MEMBERS_POSTED.format(count=count), ((button,),))

    async def _forum(self, address: Address) -> Forum:
        group = address.group_id or address.chat_id
        return await self._uow.forums.register(address.platform, group, "", self._now)


async def results_chart(ballot: Ballot) -> bytes | None:
    """The bar chart of a closed ballot's totals, drawn in a worker thread; None if hidden."""
    values = chart_values(ballot)
    if values is None:
        return None
    labels, totals, winners = values
    try:
        return await asyncio.to_thread(bar_chart, ballot.question, labels, totals, winners)
    except Exception:
        log.exception("ballot %d: no chart; the results go without it", ballot.id)
        return None


EXPORT_COLUMNS = ("ballot", "choice", "option_numbers")


class BallotNotExportable(LookupError):
    """No such ballot, or its votes can't be shown; the message says which."""


async def export_ballot(
    uow_factory: UnitOfWorkFactory, ballot_id: int
) -> tuple[Ballot, list[tuple[int, str, str]]]:
    """The votes of a closed ballot, identical votes together: never who cast them.

    Each row is a number within this export, the choice in words, and the option numbers
    (counting from 1) as cast. Receipt codes are left out: they are published as a separate
    list so that no receipt can show how someone voted.
    """
    async with uow_factory() as uow:
        ballot = await uow.ballots.get(ballot_id)
        if ballot is None:
            raise BallotNotExportable(f"There is no ballot {ballot_id}.")
        if ballot.status != BallotStatus.CLOSED:
            raise BallotNotExportable("This ballot is still open: votes are shown after close.")
        if not (ballot.result or {}).get("shown"):
            raise BallotNotExportable("Too few people voted, so the votes were not kept.")
        box = await uow.ballots.box(ballot.id)
    votes = (choice for choice, times in box if choice is not None for _ in range(times))
    rows = [
        (number, choice_words(ballot, choice), " ".join(str(index + 1) for index in choice))
        for number, choice in enumerate(votes, start=1)
    ]
    return ballot, rows
