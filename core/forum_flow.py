"""Use cases in a forum's group chat: joining, help, quick polls, invitations and announcements.

What an organiser writes goes through the plain-words check before it is posted
(``core.plain_check``), and goes out recorded with its author and a 🟥 button.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, tzinfo

from core import texts
from core.ballots import LONGEST, SHORTEST, duration_of, when
from core.buttons import Action, ButtonId
from core.certificates import Certificates
from core.domain import ConsultationStatus, Forum, Poll, PollStatus
from core.messages import Address, Button, Reply
from core.plain_check import PlainCheck
from core.ports import UnitOfWork
from core.red_card_flow import RedCardFlow
from core.red_cards import MessageKind, with_red_card

MAX_OPTIONS = 10
MAX_OPTION_LENGTH = 60
MAX_QUESTION_LENGTH = 300
MAX_ANNOUNCEMENT_LENGTH = 1500
_BAR_WIDTH = 10


class ForumFlow:
    """Group-chat use cases inside one unit of work."""

    def __init__(self, uow: UnitOfWork, now: datetime, zone: tzinfo = UTC) -> None:
        self._uow = uow
        self._now = now
        self._zone = zone
        self._check = PlainCheck(uow, now)

    async def joined(self, address: Address, title: str) -> list[Reply]:
        """Register the group as a forum and say hello."""
        await self._forum(address, title)
        return [Reply(texts.FORUM_HELLO.format(title=title))]

    async def command(
        self, address: Address, name: str, argument: str, checked: bool = False
    ) -> list[Reply]:
        """A command typed in a group; the sender's role is checked before (core/roles.py).

        ``checked`` when its words were checked and sent anyway.
        """
        forum = await self._forum(address)
        match name:
            case "help":
                extra = texts.ORGANISER_HELP if address.organiser else ""
                return [Reply(group_help(address.platform) + extra)]
            case "poll":
                return [await self._new_poll(forum, address, argument, checked)]
            case "endpoll":
                return [await self._end_poll(forum, address)]
            case "results":
                return [await self._latest_results(forum, address)]
            case "invite":
                return [await self._invite(forum, address, argument, checked)]
            case "announce":
                return [await self._announce(forum, address, argument, checked)]
            case "redcards":
                return [await RedCardFlow(self._uow, self._now).stats(address)]
            case "award":
                return [await Certificates(self._uow, self._now).award(forum, argument)]
        return [Reply(texts.GROUP_ONLY_PRIVATE)]

    async def vote(self, address: Address, button: ButtonId) -> list[Reply]:
        """A press on a poll answer: one vote per member; a new press replaces the old vote."""
        poll = await self._uow.polls.get(button.target)
        if poll is None or button.value is None or not button.value.isdigit():
            return [Reply(texts.OLD_BUTTON_NO_SESSION, only_for_sender=True)]
        option = int(button.value)
        if option >= len(poll.options):
            return [Reply(texts.OLD_BUTTON_NO_SESSION, only_for_sender=True)]
        if poll.status != PollStatus.OPEN:
            return [Reply(texts.POLL_CLOSED, only_for_sender=True)]
        label = poll.options[option]
        voter = voter_key(poll.id, address.platform, address.user_id)
        before = await self._uow.polls.vote(poll.id, voter, option, self._now)
        if before is None:
            text = texts.VOTE_COUNTED
        elif before == option:
            text = texts.VOTE_SAME
        else:
            text = texts.VOTE_CHANGED
        return [Reply(text.format(option=label), only_for_sender=True)]

    async def show_results(self, button: ButtonId) -> list[Reply]:
        """A press on a poll's Results button: the poll message shows the totals so far."""
        poll = await self._uow.polls.get(button.target)
        if poll is None:
            return [Reply(texts.OLD_BUTTON_NO_SESSION, only_for_sender=True)]
        results = await self._results(poll)
        if poll.status != PollStatus.OPEN:
            return [Reply(results, replace=True)]
        reply = Reply(f"{self._heading(poll)}\n\n{results}", _poll_buttons(poll), replace=True)
        recorded = await self._uow.red_cards.message_for(_subject(poll))
        return [reply if recorded is None else with_red_card(reply, recorded.id)]

    async def close_due_polls(self) -> int:
        """Close the polls whose time has come; their results are posted by ``announce``."""
        due = await self._uow.polls.due(self._now)
        for poll in due:
            await self._uow.polls.close(poll, self._now, announced=False)
        return len(due)

    async def final_results(self, poll: Poll) -> Reply:
        """A closed poll's final results, to post in its chat."""
        return Reply(await self._results(poll))

    def _heading(self, poll: Poll) -> str:
        heading = texts.POLL_POSTED.format(question=poll.question)
        if poll.closes_at is None or poll.status != PollStatus.OPEN:
            return heading
        return f"{heading}\n{texts.POLL_CLOSES.format(when=when(poll.closes_at, self._zone))}"

    async def _forum(self, address: Address, title: str = "") -> Forum:
        group = address.group_id or address.chat_id
        return await self._uow.forums.register(address.platform, group, title, self._now)

    async def _new_poll(
        self, forum: Forum, address: Address, argument: str, checked: bool
    ) -> Reply:
        parts = [part.strip() for part in argument.split("|")]
        question, options = parts[0], [part for part in parts[1:] if part]
        open_for, question = poll_duration(question)
        if (
            (open_for is not None and not SHORTEST <= open_for <= LONGEST)
            or not question
            or len(question) > MAX_QUESTION_LENGTH
            or not 2 <= len(options) <= MAX_OPTIONS
            or any(len(option) > MAX_OPTION_LENGTH for option in options)
            or len({option.casefold() for option in options}) != len(options)
        ):
            return Reply(texts.POLL_HOW.format(most=MAX_OPTIONS), only_for_sender=True)
        words = "\n".join([question, *options])
        held = None if checked else await self._check.hold(forum, address, "poll", argument, words)
        if held is not None:
            return held
        closes_at = None if open_for is None else self._now + open_for
        poll = await self._uow.polls.add(
            forum.id, address.chat_id, question, options, self._now, closes_at
        )
        reply = Reply(self._heading(poll), _poll_buttons(poll))
        return await self._check.posted(
            forum, address, MessageKind.POLL, words, reply, subject=_subject(poll)
        )

    async def _end_poll(self, forum: Forum, address: Address) -> Reply:
        poll = await self._uow.polls.latest_in_chat(forum.id, address.chat_id)
        if poll is None or poll.status != PollStatus.OPEN:
            return Reply(texts.NO_OPEN_POLL, only_for_sender=True)
        await self._uow.polls.close(poll, self._now)
        return Reply(await self._results(poll))

    async def _latest_results(self, forum: Forum, address: Address) -> Reply:
        poll = await self._uow.polls.latest_in_chat(forum.id, address.chat_id)
        if poll is None:
            return Reply(texts.NO_POLL, only_for_sender=True)
        return Reply(await self._results(poll))

    async def _results(self, poll: Poll) -> str:
        counts = await self._uow.polls.counts(poll.id)
        return render_results(poll, counts)

    async def _invite(self, forum: Forum, address: Address, argument: str, checked: bool) -> Reply:
        slug = argument.strip()
        consultation = await self._uow.consultations.get_by_slug(slug) if slug else None
        if consultation is None or consultation.status != ConsultationStatus.OPEN:
            open_ones = await self._uow.consultations.list_open()
            names = "\n".join(f"{c.slug} - {c.title}" for c in open_ones) or texts.NONE_OPEN
            return Reply(texts.INVITE_HOW.format(names=names), only_for_sender=True)
        words = f"{consultation.title}\n{consultation.summary}"
        held = None if checked else await self._check.hold(forum, address, "invite", slug, words)
        if held is not None:
            return held
        button = Button(
            ButtonId(Action.CONSULT, consultation.id).encode(),
            texts.BUTTON_TAKE_PART,
            private_start=consultation.slug,
        )
        text = texts.INVITE_POSTED.format(title=consultation.title, summary=consultation.summary)
        await self._uow.consultations.claim_for_forum(consultation.id, forum.id)
        return await self._check.posted(
            forum, address, MessageKind.INVITATION, words, Reply(text, ((button,),))
        )

    async def _announce(
        self, forum: Forum, address: Address, argument: str, checked: bool
    ) -> Reply:
        """``/announce TEXT``: news from the organiser, posted in the group."""
        news = argument.strip()
        if not news or len(news) > MAX_ANNOUNCEMENT_LENGTH:
            return Reply(texts.ANNOUNCE_HOW, only_for_sender=True)
        held = None if checked else await self._check.hold(forum, address, "announce", news, news)
        if held is not None:
            return held
        reply = Reply(texts.ANNOUNCEMENT.format(text=news))
        return await self._check.posted(forum, address, MessageKind.ANNOUNCEMENT, news, reply)


def poll_duration(question: str) -> tuple[timedelta | None, str]:
    """A leading "2h" (or 30m, 3d) on a poll's question: how long it stays open, and the rest."""
    first, _, rest = question.partition(" ")
    duration = duration_of(first)
    if duration is None:
        return None, question
    return duration, rest.strip()


def group_help(platform: str) -> str:
    """What anyone can do in a group, with how to raise a red card on this platform."""
    red_card = texts.RED_CARD_HELP.get(str(platform), texts.RED_CARD_HELP["telegram"])
    return texts.GROUP_HELP.format(red_card=red_card)


def render_results(poll: Poll, counts: dict[int, int]) -> str:
    """A poll's totals as text with simple bars, final once the poll has closed."""
    heading = texts.RESULTS_FINAL if poll.status == PollStatus.CLOSED else texts.RESULTS_HEADING
    total = sum(counts.values())
    most = max(counts.values(), default=0)
    lines = [heading.format(question=poll.question), ""]
    for index, label in enumerate(poll.options):
        count = counts.get(index, 0)
        filled = round(_BAR_WIDTH * count / most) if most else 0
        lines.append(f"{label}: {count}\n{'🟩' * filled}{'⬜' * (_BAR_WIDTH - filled)}")
    lines += ["", texts.ONE_VOTE_TOTAL if total == 1 else texts.VOTES_TOTAL.format(count=total)]
    return "\n".join(lines)


def _poll_buttons(poll: Poll) -> tuple[tuple[Button, ...], ...]:
    answers = tuple(
        (Button(ButtonId(Action.VOTE, poll.id, None, str(index)).encode(), label, str(index + 1)),)
        for index, label in enumerate(poll.options)
    )
    results = Button(ButtonId(Action.RESULTS, poll.id).encode(), texts.BUTTON_RESULTS, "results")
    return (*answers, (results,))


def _subject(poll: Poll) -> str:
    """How a poll's recorded question is found again when the poll message is redrawn."""
    return f"poll:{poll.id}"


def voter_key(poll_id: int, platform: str, user_id: str) -> str:
    """A one-way key for one member in one poll: votes are counted once, without platform ids."""
    raw = f"{poll_id}:{platform}:{user_id}"
    return hashlib.sha256(raw.encode()).hexdigest()
