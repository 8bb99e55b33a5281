"""Words the dialog engine uses with young people: short, plain and kind."""

from __future__ import annotations

from dialogs.schema import SCALE_FACES, Question

SCALE_WORDS = ("Really bad", "Bad", "OK", "Good", "Really good")

CANNOT_SKIP = "This one needs an answer, sorry. You can pause and come back later if you like."
PICK_ONE = "Please pick one of the answers. Tap a button or type its number."
PICK_SOME = "Please tap the answers that fit, then tap Done. Or type their numbers, like 1, 3."
PICK_FACE = "Please pick a face from 1 to 5. Tap a button or type a number."
PICK_SCORE = "Please pick a score from 0 to 5. Tap a button or type a number."
GIVE_REASON = "Please tell us why, in a few words. It helps the panel a lot."
PLEASE_TYPE = "Please type your answer as a message."

HOW_RANK = "Tap them in order, starting with the most important."
HOW_SCORE = "Give a score from 0 (not at all) to 5 (really well)."


def how_multi(question: Question) -> str:
    """The hint under a multiple-choice question."""
    if question.max_choices is not None and question.max_choices < len(question.options):
        return f"Tap up to {question.max_choices} that fit, then tap Done."
    return "Tap all that fit, then tap Done."


def too_many(most: int) -> str:
    """Asked when someone ticks more options than allowed."""
    return f"You can pick up to {most}. Tap one you picked to untick it first."


def too_few(least: int) -> str:
    """Asked when someone taps Done with too few ticks."""
    if least == 1:
        return "Please pick at least one answer first."
    return f"Please pick at least {least} answers first."


def too_long(length: int, limit: int) -> str:
    """Asked when a typed answer is over the length limit."""
    return f"That's a bit long: {length} letters. Please keep it under {limit}."


def rank_all(count: int) -> str:
    """Asked when a ranking is not complete."""
    return f"Please put all {count} in order. Tap them one by one, most important first."


def how_to_type(limit: int) -> str:
    """The hint under a free text question."""
    return f"Type your answer as a message (up to {limit} letters)."


def scale_labels(question: Question) -> tuple[str, ...]:
    """The five words of a scale question, from the script or the defaults."""
    return question.labels or SCALE_WORDS


def scale_choices(question: Question) -> list[tuple[int, str]]:
    """The five points of a scale as (value, face and word)."""
    words = scale_labels(question)
    return [(n, f"{SCALE_FACES[n - 1]} {words[n - 1]}") for n in range(1, 6)]


def ranked_so_far(labels: list[str]) -> str:
    """A numbered list of what has been put in order so far."""
    return "\n".join(f"{place}. {label}" for place, label in enumerate(labels, start=1))
