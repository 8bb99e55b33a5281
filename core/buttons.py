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
    BALLOT = "b"
    JOIN = "j"
    ACK = "g"
    RED_CARD = "f"
    SEND_DRAFT = "y"
    OUTCOME = "o"
    REMIND = "w"


_QUESTION_ACTIONS = {Action.ANSWER, Action.DONE, Action.SKIP, Action.AGAIN, Action.MENU}
_VALUE_ACTIONS = {Action.ANSWER, Action.VOTE, Action.REMIND}
_PATTERN = re.compile(
    r"^([adsxprcmvqekgfyw]):(\d{1,9})(?::([a-z][a-z0-9_]{0,15}))?(?::([a-z0-9_]{1,16}))?$"
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


TOKEN_LENGTH = 22
"""Ballot and forum tokens: ``secrets.token_urlsafe(16)``."""
DRAFT_TOKEN_LENGTH = 11
"""A voter's draft token: ``secrets.token_urlsafe(8)``."""
BALLOT_VALUES = frozenset({"o", "d", "c", "k", "u", "r"})
"""Open the voting screen, Done, Cast, Change, Undo last, Start again; digits pick options."""
FEEDBACK_VALUES = frozenset({"u", "m", "d"})
"""An outcome made a difference (up), not sure (middle), or did not (down)."""
_TOKEN = r"[A-Za-z0-9_-]"
_TOKEN_PATTERN = re.compile(
    rf"^([bjo]):({_TOKEN}{{{TOKEN_LENGTH}}})"
    rf"(?::({_TOKEN}{{{DRAFT_TOKEN_LENGTH}}}))?:(\d{{1,2}}|[a-z])$"
)


@dataclass(frozen=True, slots=True)
class TokenButton:
    """A button that names a ballot or forum by its random token, never by a number.

    ``b:<ballot>:o`` opens the voting screen, ``b:<ballot>:<draft>:<value>`` is a press on it,
    ``j:<forum>:o`` joins a forum, ``o:<outcome>:u`` gives feedback on an outcome (``u``, ``m``
    or ``d``). The longest is 39 bytes.
    """

    action: Action
    token: str
    draft: str | None
    value: str

    def encode(self) -> str:
        """The id as sent to the platform."""
        parts = [self.action.value, self.token, self.draft, self.value]
        return ":".join(part for part in parts if part is not None)


def parse_token_button(button_id: str) -> TokenButton | None:
    """Parse a ballot, join or outcome feedback button; None for anything forged or malformed."""
    match = _TOKEN_PATTERN.match(button_id)
    if match is None:
        return None
    action, token, draft, value = match.groups()
    kind = Action(action)
    if kind == Action.OUTCOME:
        fine = draft is None and value in FEEDBACK_VALUES
        return TokenButton(kind, token, None, value) if fine else None
    if value == "o":
        return TokenButton(kind, token, None, value) if draft is None else None
    if kind != Action.BALLOT or draft is None or not (value.isdigit() or value in BALLOT_VALUES):
        return None
    return TokenButton(kind, token, draft, value)
