"""``/outcome`` in a private chat: a commissioner shares or moves on an outcome from the chat."""

from __future__ import annotations

from dataclasses import dataclass

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


def parse_outcome(argument: str) -> NewOutcome | OutcomeMove | None:
    """Read what followed ``/outcome``; None when it fits neither form."""
    parts = [part.strip() for part in argument.split("|")]
    if len(parts) == 4 and all(parts):
        slug, you_said, we_did, next_steps = parts
        return NewOutcome(slug.lower(), OutcomeWords(you_said, we_did, next_steps))
    words = argument.lower().replace("%", " ").split()
    if len(words) < 2 or not words[0].isdigit():
        return None
    progress = int(words[-1]) if words[-1].isdigit() and len(words) > 2 else None
    stage = " ".join(words[1:-1] if progress is not None else words[1:])
    status = STAGE_WORDS.get(stage)
    if status is None:
        return None
    return OutcomeMove(int(words[0]), status, progress)


async def run_outcome_command(book: OutcomeBook, argument: str) -> Reply:
    """Share a new outcome or move one on; a kind explanation when that can't be done."""
    request = parse_outcome(argument)
    try:
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
