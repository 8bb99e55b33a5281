"""Voting in a secret ballot, in a private chat: the voting screen, review, cast and receipt.

A voter's picks live in a draft (with a random token that their buttons carry) until they
cast. Casting is one transaction: the roll entry moves from "not voted" to "voted" with a
conditional update (only one transaction can win it, also under two presses at the same moment
and from two linked platforms), the choice goes into the box under a random id, a receipt code
is kept apart from it, and the draft is deleted. Nothing logged names both voter and choice.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, tzinfo

from core import texts
from core.ballots import (
    code_hash,
    new_code,
    new_draft_token,
    normalise_code,
    platform_name,
    when,
)
from core.buttons import Action, TokenButton
from core.domain import Ballot, BallotDraft, BallotStatus, Electorate, Participant
from core.messages import Address, Button, Reply
from core.ports import UnitOfWork

log = logging.getLogger(__name__)

_RANKED = ("irv", "stv")


class BallotFlow:
    """Secret-ballot use cases for one voter inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, zone: tzinfo) -> None:
        self._uow = uow
        self._now = now
        self._zone = zone

    async def join(self, participant: Participant, token: str) -> list[Reply]:
        """``/start j<token>``: become a member of a forum."""
        forum = await self._uow.members.forum_by_token(token)
        if forum is None:
            return [Reply(texts.JOIN_NOT_FOUND)]
        added = await self._uow.members.add(forum.id, participant.id, self._now.date())
        text = texts.JOINED if added else texts.ALREADY_JOINED
        title = f'"{forum.title}"' if forum.title else texts.UNNAMED_FORUM
        return [Reply(text.format(title=title))]

    async def start(self, participant: Participant, address: Address, token: str) -> list[Reply]:
        """``/start b<token>`` or a press on Vote privately: the voting screen, fresh."""
        ballot = await self._uow.ballots.by_token(token, lock=True)
        if ballot is None:
            return [Reply(texts.BALLOT_NOT_FOUND)]
        if ballot.electorate == Electorate.MEMBERS:
            await self._uow.members.add(ballot.forum_id, participant.id, self._now.date())
        return [await self._screen(participant, address, ballot)]

    async def vote_command(
        self, participant: Participant, address: Address, argument: str
    ) -> list[Reply]:
        """``/vote`` (the votes open to you) or ``/vote CODE`` (use an invite code)."""
        if argument.strip():
            return await self.redeem(participant, address, argument)
        waiting = await self._uow.ballots.open_for(participant.id)
        waiting = [ballot for ballot in waiting if ballot.closes_at > self._now]
        if not waiting:
            return [Reply(texts.BALLOT_NONE_FOR_YOU)]
        ballot = await self._uow.ballots.get(waiting[0].id, lock=True)
        assert ballot is not None
        replies = [await self._screen(participant, address, ballot)]
        if len(waiting) > 1:
            replies.append(Reply(texts.BALLOT_MORE.format(count=len(waiting) - 1)))
        return replies

    async def redeem(self, participant: Participant, address: Address, typed: str) -> list[Reply]:
        """Use an invite code: one code puts one person on the roll, once."""
        code = normalise_code(typed)
        found = None if code is None else await self._uow.ballots.code(code_hash(code))
        if code is None or found is None:
            return [Reply(texts.CODE_UNKNOWN)]
        ballot = await self._uow.ballots.get(found[0], lock=True)
        assert ballot is not None
        problem = self._timing_problem(ballot)
        if problem is not None:
            return [Reply(problem)]
        if await self._uow.ballots.on_roll(ballot.id, participant.id) is None:
            if not await self._uow.ballots.use_code(code_hash(code)):
                return [Reply(texts.CODE_USED)]
            await self._uow.ballots.add_to_roll(ballot.id, participant.id)
        return [await self._screen(participant, address, ballot)]

    async def press(
        self, participant: Participant, address: Address, button: TokenButton
    ) -> list[Reply]:
        """A press on the voting screen; anything not from the voter's current screen is refused."""
        if button.draft is None:
            return await self.start(participant, address, button.token)
        ballot = await self._uow.ballots.by_token(button.token, lock=True)
        if ballot is None:
            return [Reply(texts.BALLOT_BUTTON_GONE)]
        problem = await self._problem(ballot, participant)
        if problem is not None:
            return [Reply(problem, replace=True)]
        draft = await self._uow.ballots.draft(ballot.id, participant.id)
        if draft is None or not secrets.compare_digest(draft.token, button.draft):
            log.info("ballot %d: refused a press from an old or someone else's screen", ballot.id)
            if draft is None:
                # A vote cast from another screen a moment ago deletes the draft: say so.
                voted = await self._uow.ballots.on_roll(ballot.id, participant.id)
                return [Reply(texts.BALLOT_ALREADY_COUNTED if voted else texts.BALLOT_BUTTON_GONE)]
            return [self._render(ballot, draft, address, texts.BALLOT_OLD_BUTTON)]
        if button.value == "c":
            if not draft.reviewing:
                return [self._render(ballot, draft, address, texts.BALLOT_OLD_BUTTON)]
            return [await self._cast(ballot, draft)]
        lead = self._apply(ballot, draft, button.value)
        if lead is None:
            return [self._render(ballot, draft, address, texts.BALLOT_OLD_BUTTON)]
        await self._uow.ballots.save_draft(draft)
        return [self._render(ballot, draft, address, lead, replace=True)]

    def _apply(self, ballot: Ballot, draft: BallotDraft, value: str) -> str | None:
        """Change the draft by one press; the lead line to show, or None if it doesn't fit."""
        if draft.reviewing:
            if value != "k":
                return None
            draft.reviewing = False
            if ballot.method == "plurality":
                draft.picks = []
            return ""
        if value.isdigit():
            option = int(value)
            if option >= len(ballot.options):
                return None
            if ballot.method == "plurality":
                draft.picks, draft.reviewing = [option], True
            elif ballot.method == "approval":
                picks = set(draft.picks) ^ {option}
                draft.picks = sorted(picks)
            elif option not in draft.picks:
                draft.picks = [*draft.picks, option]
                draft.reviewing = len(draft.picks) == len(ballot.options)
            return ""
        ranked = ballot.method in _RANKED
        match value:
            case "u" if ranked and draft.picks:
                draft.picks = draft.picks[:-1]
            case "r" if ranked:
                draft.picks = []
            case "d" if ballot.method != "plurality":
                if not draft.picks:
                    return texts.BALLOT_PICK_FIRST
                draft.reviewing = True
            case _:
                return None
        return ""

    async def _cast(self, ballot: Ballot, draft: BallotDraft) -> Reply:
        """One transaction: roll marked, vote in the box, receipt kept, draft gone."""
        if not await self._uow.ballots.mark_voted(ballot.id, draft.participant_id):
            return Reply(texts.BALLOT_ALREADY_COUNTED, replace=True)
        await self._uow.ballots.put_in_box(ballot.id, secrets.token_hex(16), list(draft.picks))
        receipt = new_code()
        await self._uow.ballots.add_receipt(ballot.id, receipt)
        await self._uow.ballots.delete_draft(ballot.id, draft.participant_id)
        log.info("ballot %d: a vote was cast", ballot.id)
        return Reply(texts.BALLOT_CAST.format(receipt=receipt), replace=True)

    def _timing_problem(self, ballot: Ballot) -> str | None:
        if ballot.status == BallotStatus.CLOSED or ballot.closes_at <= self._now:
            return texts.BALLOT_HAS_CLOSED
        if ballot.status == BallotStatus.SCHEDULED or ballot.opens_at > self._now:
            return texts.BALLOT_NOT_OPEN_YET.format(opens=when(ballot.opens_at, self._zone))
        return None

    async def _problem(self, ballot: Ballot, participant: Participant) -> str | None:
        """Why this person can't vote in this ballot now, if they can't."""
        problem = self._timing_problem(ballot)
        if problem is not None:
            return problem
        voted = await self._uow.ballots.on_roll(ballot.id, participant.id)
        if voted is None:
            if ballot.electorate == Electorate.CODES:
                return texts.BALLOT_NEEDS_CODE
            return texts.BALLOT_NOT_ON_LIST
        return texts.BALLOT_ALREADY_COUNTED if voted else None

    async def _screen(self, participant: Participant, address: Address, ballot: Ballot) -> Reply:
        """The voting screen with a new draft token: earlier screens' buttons stop working."""
        problem = await self._problem(ballot, participant)
        if problem is not None:
            return Reply(problem)
        draft = await self._uow.ballots.draft(ballot.id, participant.id)
        if draft is None:
            draft = BallotDraft(ballot.id, participant.id, new_draft_token())
            await self._uow.ballots.add_draft(draft)
        else:
            draft.token = new_draft_token()
            await self._uow.ballots.save_draft(draft)
        return self._render(ballot, draft, address)

    def _render(
        self,
        ballot: Ballot,
        draft: BallotDraft,
        address: Address,
        lead: str = "",
        replace: bool = False,
    ) -> Reply:
        """The voting screen or the review step, with the honest note on who can see what."""
        platform = platform_name(address.platform)
        honesty = texts.BALLOT_SECRET
        if platform is not None:
            honesty += " " + texts.BALLOT_PLATFORM_SEES.format(platform=platform)
        if draft.reviewing:
            choice = _choice_lines(ballot, draft.picks)
            body = texts.BALLOT_REVIEW.format(question=ballot.question, choice=choice)
            rows: list[tuple[Button, ...]] = [
                (self._button(ballot, draft, "c", texts.BUTTON_CAST, "cast"),),
                (self._button(ballot, draft, "k", texts.BUTTON_CHANGE, "change"),),
            ]
        else:
            body, rows = self._picking(ballot, draft)
        text = "\n\n".join(part for part in (lead, body, honesty) if part)
        return Reply(text, tuple(rows), replace=replace)

    def _picking(self, ballot: Ballot, draft: BallotDraft) -> tuple[str, list[tuple[Button, ...]]]:
        body = texts.BALLOT_SCREEN.format(
            question=ballot.question, how=texts.HOW_TO_VOTE[ballot.method]
        )
        rows: list[tuple[Button, ...]] = []
        controls: list[Button] = []
        if ballot.method in _RANKED:
            for index, label in enumerate(ballot.options):
                if index not in draft.picks:
                    rows.append((self._button(ballot, draft, str(index), label, str(index + 1)),))
            if draft.picks:
                body += "\n\n" + texts.BALLOT_ORDER_SO_FAR.format(
                    order=_choice_lines(ballot, draft.picks)
                )
                controls = [
                    self._button(ballot, draft, "u", texts.BUTTON_UNDO, "undo"),
                    self._button(ballot, draft, "r", texts.BUTTON_AGAIN, "again"),
                ]
        elif ballot.method == "approval":
            for index, label in enumerate(ballot.options):
                mark = "✅" if index in draft.picks else "▫️"
                rows.append(
                    (self._button(ballot, draft, str(index), f"{mark} {label}", str(index + 1)),)
                )
        else:
            rows = [
                (self._button(ballot, draft, str(index), label, str(index + 1)),)
                for index, label in enumerate(ballot.options)
            ]
        if ballot.method != "plurality":
            controls.append(self._button(ballot, draft, "d", texts.BUTTON_DONE, "done"))
            rows.append(tuple(controls))
        return body, rows

    @staticmethod
    def _button(ballot: Ballot, draft: BallotDraft, value: str, label: str, key: str) -> Button:
        button_id = TokenButton(Action.BALLOT, ballot.token, draft.token, value).encode()
        return Button(button_id, label, key)


def _choice_lines(ballot: Ballot, picks: list[int]) -> str:
    labels = [ballot.options[index] for index in picks]
    if ballot.method in _RANKED:
        return "\n".join(f"{place}. {label}" for place, label in enumerate(labels, start=1))
    return "\n".join(f"- {label}" for label in labels)
