"""Compact, stable button ids (well under Telegram's 64-byte limit) and their parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    """What a button does."""

    ANSWER = "a"
    DONE = "d"
    SKIP = "s"
    AGAIN = "x"
    PAUSE = "p"
    RESUME = "r"
    CONSULT = "c"
    MENU = "m"
    VOTE = "v"
    RESULTS = "q"
    ERASE = "e"
    KEEP = "k"


_QUESTION_ACTIONS = {Action.ANSWER, Action.DONE, Action.SKIP, Action.AGAIN, Action.MENU}
_VALUE_ACTIONS = {Action.ANSWER, Action.VOTE}
_PATTERN = re.compile(
    r"^([adsxprcmvqek]):(\d{1,9})(?::([a-z][a-z0-9_]{0,15}))?(?::([a-z0-9_]{1,16}))?$"
)


@dataclass(frozen=True, slots=True)
class ButtonId:
    """A parsed button id: the action, the session (or consultation) and question it is for."""

    action: Action
    target: int
    question_id: str | None = None
    value: str | None = None

    def encode(self) -> str:
        """The id as sent to the platform."""
        parts = [self.action.value, str(self.target), self.question_id, self.value]
        return ":".join(part for part in parts if part is not None)


def parse_button(button_id: str) -> ButtonId | None:
    """Parse a button id; None for anything forged, old-format or malformed."""
    match = _PATTERN.match(button_id)
    if match is None:
        return None
    action, target, question_id, value = match.groups()
    kind = Action(action)
    needs_question = kind in _QUESTION_ACTIONS
    if needs_question != (question_id is not None) or (value is not None) != (
        kind in _VALUE_ACTIONS
    ):
        return None
    return ButtonId(kind, int(target), question_id, value)
