"""``/outcome`` in a private chat: a commissioner shares or moves on an outcome from the chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from core import texts
from core.domain import OutcomeStatus
from core.messages import Reply
from core.outcomes import OutcomeBook, OutcomeChange, OutcomeError, OutcomeWords

STAGE_WORDS = {
    "planned": OutcomeStatus.PLANNED,
    "started": OutcomeStatus.IN_PROGRESS,
    "in progress": OutcomeStatus.IN_PROGRESS,
    "done": OutcomeStatus.DONE,
    "could not": OutcomeStatus.NOT_POSSIBLE,
    "not possible": OutcomeStatus.NOT_POSSIBLE,
}
"""The words a commissioner may type for each stage."""


@dataclass(frozen=True, slots=True)
class NewOutcome:
    """``/outcome name | they said | we did | what comes next``."""

    slug: str
    words: OutcomeWords


@dataclass(frozen=True, slots=True)
class OutcomeMove:
    """``/outcome number stage percent``."""

    number: int
    status: OutcomeStatus
    progress: int | None


@dataclass(frozen=True, slots=True)
class OutcomeUpdateTime:
    """``/outcome number at YYYY-MM-DD HH:MM``: when the next progress update goes out.

    ``at`` is None when the time could not be read.
    """

    number: int
    at: datetime | None


def when_local(text: str, zone: tzinfo) -> datetime | None:
    """A ``YYYY-MM-DD HH:MM`` local time, made aware; None if it can't be read."""
    try:
        return datetime.strptime(" ".join(text.split()), "%Y-%m-%d %H:%M").replace(tzinfo=zone)
    except ValueError:
        return None


def shown_time(moment: datetime, zone: tzinfo) -> str:
    """A time as people read it, in the local time zone: 15 January 2027, 16:30."""
    return f"{moment.astimezone(zone):%-d %B %Y, %H:%M}"


def parse_outcome(
    argument: str, zone: tzinfo
) -> NewOutcome | OutcomeMove | OutcomeUpdateTime | None:
    """Read what followed ``/outcome``; None when it fits no form."""
    parts = [part.strip() for part in argument.split("|")]
    if len(parts) == 4 and all(parts):
        slug, you_said, we_did, next_steps = parts
        return NewOutcome(slug.lower(), OutcomeWords(you_said, we_did, next_steps))
    words = argument.lower().replace("%", " ").split()
    if len(words) < 2 or not words[0].isdigit():
        return None
    if words[1] == "at":
        return OutcomeUpdateTime(int(words[0]), when_local(" ".join(words[2:]), zone))
    progress = int(words[-1]) if words[-1].isdigit() and len(words) > 2 else None
    stage = " ".join(words[1:-1] if progress is not None else words[1:])
    status = STAGE_WORDS.get(stage)
    if status is None:
        return None
    return OutcomeMove(int(words[0]), status, progress)


async def run_outcome_command(book: OutcomeBook, argument: str, zone: tzinfo) -> Reply:
    """Share a new outcome, move one on or time its next update; else how to do these."""
    request = parse_outcome(argument, zone)
    try:
        if isinstance(request, OutcomeUpdateTime):
            if request.at is None:
                return Reply(texts.OUTCOME_UPDATE_HOW)
            outcome = await book.update(request.number, OutcomeChange(update_at=request.at))
            at = shown_time(request.at, zone)
            return Reply(texts.OUTCOME_UPDATE_SET.format(number=outcome.id, at=at))
        if isinstance(request, NewOutcome):
            outcome = await book.add(request.slug, request.words, OutcomeStatus.PLANNED, 0, [])
            return Reply(texts.OUTCOME_SHARED.format(number=outcome.id))
        if isinstance(request, OutcomeMove):
            change = OutcomeChange(status=request.status, progress=request.progress)
            outcome = await book.update(request.number, change)
            stage = texts.OUTCOME_STATUS[outcome.status]
            return Reply(
                texts.OUTCOME_MOVED.format(
                    number=outcome.id, stage=stage, progress=outcome.progress
                )
            )
    except OutcomeError as error:
        return Reply(str(error))
    return Reply(texts.OUTCOME_HOW)
