"""The dialog engine: pure functions from a question, a draft and an input to the next step.

The engine never stores anything. The core keeps the position (question, path and draft) in
storage and writes an answer only when the engine says it is whole.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from dialogs import wording
from dialogs.schema import END, SCORE_RANGE, Question, Script

MIN_REASON_LENGTH = 3


@dataclass(frozen=True, slots=True)
class Pick:
    """A tap on an option (an option id, or a number for scale and score questions)."""

    value: str


@dataclass(frozen=True, slots=True)
class Typed:
    """Text the person typed."""

    text: str


@dataclass(frozen=True, slots=True)
class PickMany:
    """Several options picked at once from a menu (for multi-choice questions)."""

    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Skip:
    """The person wants to skip this question."""


@dataclass(frozen=True, slots=True)
class Done:
    """The person finished ticking options or confirmed their order."""


@dataclass(frozen=True, slots=True)
class StartAgain:
    """The person wants to clear what they began (a ranking or a score)."""


Input = Pick | PickMany | Typed | Skip | Done | StartAgain


@dataclass(frozen=True, slots=True)
class Retry:
    """The input does not fit: ask again, kindly, and store nothing."""

    message: str


@dataclass(frozen=True, slots=True)
class Drafted:
    """Part of an answer was given (ticks, order so far, a score awaiting its reason)."""

    draft: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answered:
    """A whole answer: store it and move to ``next_question`` (None when the dialog ends)."""

    value: Any
    skipped: bool
    next_question: str | None


Step = Retry | Drafted | Answered


def first_question(script: Script) -> str:
    """The id of the question a dialog starts with."""
    return script.questions[0].id


def respond(script: Script, question: Question, draft: dict[str, Any], given: Input) -> Step:
    """Work out what an input means for the current question."""
    if isinstance(given, Typed):
        given = Typed(_printable(given.text))
    if isinstance(given, Skip):
        if not question.optional:
            return Retry(wording.CANNOT_SKIP)
        return Answered(None, skipped=True, next_question=following(script, question, None))
    handler = _HANDLERS[question.type]
    step = handler(question, draft, given)
    if isinstance(step, Answered):
        return Answered(step.value, False, following(script, question, step.value))
    return step


def following(script: Script, question: Question, value: Any) -> str | None:
    """The question after this one, given its answer; None when the dialog ends."""
    target: str | None = None
    if question.type == "choice" and isinstance(value, str):
        option = question.option(value)
        target = option.goto if option is not None else None
    if target is None:
        target = question.next
    if target is None:
        index = script.index_of(question.id) + 1
        return script.questions[index].id if index < len(script.questions) else None
    return None if target == END else target


def progress(script: Script, path: list[str], question_id: str) -> tuple[int, int]:
    """``(number, total)`` for "Question 3 of 7": the total is the longest way left."""
    return len(path) + 1, len(path) + _longest_from(script)[question_id]


def _longest_from(script: Script) -> dict[str, int]:
    longest: dict[str, int] = {}
    for question in reversed(script.questions):
        values: list[Any] = [None]
        if question.type == "choice":
            values += [option.id for option in question.options]
        ahead = [following(script, question, value) for value in values]
        longest[question.id] = 1 + max(longest[q] if q is not None else 0 for q in ahead)
    return longest


def _printable(text: str) -> str:
    """Drop control characters (NUL and the like) but keep new lines and tabs."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _numbers(text: str) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", text)]


def _option_from_text(question: Question, text: str) -> str | None:
    cleaned = text.strip().casefold()
    for number, option in enumerate(question.options, start=1):
        if cleaned in (str(number), option.label.casefold(), option.id):
            return option.id
    return None


def _choice(question: Question, draft: dict[str, Any], given: Input) -> Step:
    if isinstance(given, Pick) and question.option(given.value) is not None:
        return Answered(given.value, False, None)
    if isinstance(given, Typed):
        option_id = _option_from_text(question, given.text)
        if option_id is not None:
            return Answered(option_id, False, None)
    return Retry(wording.PICK_ONE)


def _multi_choice(question: Question, draft: dict[str, Any], given: Input) -> Step:
    ids = [option.id for option in question.options]
    most = question.max_choices or len(ids)
    ticked: list[str] = [i for i in ids if i in draft.get("ticked", [])]
    if isinstance(given, Pick) and given.value in ids:
        if given.value in ticked:
            ticked.remove(given.value)
        elif len(ticked) >= most:
            return Retry(wording.too_many(most))
        else:
            ticked.append(given.value)
        return Drafted({"ticked": [i for i in ids if i in ticked]})
    if isinstance(given, Typed):
        numbers = _numbers(given.text)
        if not numbers or any(not 1 <= n <= len(ids) for n in numbers):
            return Retry(wording.PICK_SOME)
        ticked = [ids[n - 1] for n in sorted(set(numbers))]
    elif isinstance(given, PickMany):
        if any(value not in ids for value in given.values):
            return Retry(wording.PICK_SOME)
        ticked = [i for i in ids if i in given.values]
    elif not isinstance(given, Done):
        return Retry(wording.PICK_SOME)
    if len(ticked) < question.min_choices:
        return Retry(wording.too_few(question.min_choices))
    if len(ticked) > most:
        return Retry(wording.too_many(most))
    return Answered(ticked, False, None)


def _scale(question: Question, draft: dict[str, Any], given: Input) -> Step:
    value = (
        given.value if isinstance(given, Pick) else given.text if isinstance(given, Typed) else ""
    )
    labels = [label.casefold() for label in wording.scale_labels(question)]
    cleaned = value.strip().casefold()
    if cleaned in labels:
        return Answered(labels.index(cleaned) + 1, False, None)
    if cleaned.isdigit() and 1 <= int(cleaned) <= 5:
        return Answered(int(cleaned), False, None)
    return Retry(wording.PICK_FACE)


def _text(question: Question, draft: dict[str, Any], given: Input) -> Step:
    if not isinstance(given, Typed):
        return Retry(wording.PLEASE_TYPE)
    text = given.text.strip()
    if not text:
        return Retry(wording.PLEASE_TYPE)
    if len(text) > question.max_length:
        return Retry(wording.too_long(len(text), question.max_length))
    return Answered(text, False, None)


def _ranking(question: Question, draft: dict[str, Any], given: Input) -> Step:
    ids = [option.id for option in question.options]
    order: list[str] = [i for i in draft.get("order", []) if i in ids]
    if isinstance(given, StartAgain):
        return Drafted({})
    if isinstance(given, Typed):
        numbers = _numbers(given.text)
        if sorted(numbers) != list(range(1, len(ids) + 1)):
            return Retry(wording.rank_all(len(ids)))
        return Answered([ids[n - 1] for n in numbers], False, None)
    if isinstance(given, Done):
        if len(order) != len(ids):
            return Retry(wording.rank_all(len(ids)))
        return Answered(order, False, None)
    if isinstance(given, Pick) and given.value in ids:
        if given.value not in order:
            order.append(given.value)
        left = [i for i in ids if i not in order]
        if len(left) == 1:
            order += left
        return Drafted({"order": order})
    return Retry(wording.rank_all(len(ids)))


def _score(question: Question, draft: dict[str, Any], given: Input) -> Step:
    if isinstance(given, StartAgain):
        return Drafted({})
    score = draft.get("score")
    picked = given.value if isinstance(given, Pick) else None
    if score is None and isinstance(given, Typed):
        picked = given.text.strip()
    if picked is not None:
        if picked.isdigit() and int(picked) in SCORE_RANGE:
            return Drafted({"score": int(picked)})
        return Retry(wording.PICK_SCORE)
    if score is None or not isinstance(given, Typed):
        return Retry(wording.PICK_SCORE if score is None else wording.GIVE_REASON)
    reason = given.text.strip()
    if len(reason) < MIN_REASON_LENGTH:
        return Retry(wording.GIVE_REASON)
    if len(reason) > question.max_length:
        return Retry(wording.too_long(len(reason), question.max_length))
    return Answered({"score": score, "reason": reason}, False, None)


_HANDLERS = {
    "choice": _choice,
    "multi_choice": _multi_choice,
    "scale": _scale,
    "text": _text,
    "ranking": _ranking,
    "score": _score,
}
