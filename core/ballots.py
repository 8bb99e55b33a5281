"""Secret ballots without storage: tokens and codes, the /ballot syntax, counting and wording.

Everything here is pure: it turns a ballot, its sealed box and its roll counts into what people
read. The use cases that read and write storage are in ``core.ballot_flow`` (voting) and
``core.ballot_admin`` (opening, closing, announcing).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, cast

from core import texts
from core.buttons import Action, TokenButton
from core.domain import Ballot, BallotStatus
from core.messages import Button, Platform, Reply
from core.tally import METHODS, Method, TallyResult, tally_grouped

MAX_OPTIONS = 10
MAX_OPTION_LENGTH = 60
MAX_QUESTION_LENGTH = 300
DEFAULT_DURATION = timedelta(days=1)
SHORTEST = timedelta(minutes=5)
LONGEST = timedelta(days=60)
DEFAULT_MIN_TURNOUT = 5
MAX_CODES = 5000

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits that can't be mistaken for each other (no I, O, 0 or 1)."""
_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{5}}-?[{CODE_ALPHABET}]{{5}}$")
_TOKEN = r"[A-Za-z0-9_-]{22}"
_BALLOT_PAYLOAD = re.compile(rf"^b({_TOKEN})$")
_JOIN_PAYLOAD = re.compile(rf"^j({_TOKEN})$")
_WORDS_PAYLOAD = re.compile(rf"^w({_TOKEN})$")
_CODE_PAYLOAD = re.compile(rf"^k([{CODE_ALPHABET}]{{5}}-[{CODE_ALPHABET}]{{5}})$")
_DURATION = re.compile(r"^(\d{1,4})([mhd])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class BallotError(ValueError):
    """A ballot that can't be opened as asked; the message says why in plain words."""


def new_token() -> str:
    """A random token naming a ballot or a forum in buttons and start payloads (22 characters)."""
    return secrets.token_urlsafe(16)


def new_draft_token() -> str:
    """A random token for one voter's voting screen (11 characters)."""
    return secrets.token_urlsafe(8)


def new_code() -> str:
    """A random code people can read and type, like ``ABCDE-FGHJK`` (50 bits)."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def normalise_code(typed: str) -> str | None:
    """A typed receipt or invite code in its standard form, or None if it can't be one."""
    compact = re.sub(r"[\s-]", "", typed.upper())
    if not _CODE.match(compact):
        return None
    return f"{compact[:5]}-{compact[5:]}"


def code_hash(code: str) -> str:
    """The one-way hash an invite code is stored as."""
    return hashlib.sha256(f"yousaid-ballot-code:{code}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StartPayload:
    """What a ``/start`` payload asks for: a ballot, a forum to join, an invite code, a slug."""

    kind: str
    """``ballot``, ``join``, ``code``, ``words`` (explain the words of a draft) or ``slug``."""
    value: str


def parse_start_payload(payload: str) -> StartPayload:
    """Tell ballot, join, code and draft-words payloads from consultation slugs.

    Ballots are ``b<token>``, forums to join ``j<token>``, invite codes ``k<CODE>`` and the
    words of a draft to explain ``w<token>``.
    Tokens are 22 characters, longer than any consultation's short name (16 at most), and codes
    have a dash, which short names never have, so the two can't be mixed up.
    """
    for kind, pattern in (
        ("ballot", _BALLOT_PAYLOAD),
        ("join", _JOIN_PAYLOAD),
        ("words", _WORDS_PAYLOAD),
    ):
        match = pattern.match(payload)
        if match:
            return StartPayload(kind, match[1])
    match = _CODE_PAYLOAD.match(payload)
    if match:
        return StartPayload("code", match[1])
    return StartPayload("slug", payload)


@dataclass(slots=True)
class BallotSpec:
    """What an organiser asked for, checked."""

    question: str
    options: list[str]
    method: Method = "plurality"
    seats: int = 1
    ron: bool = False
    duration: timedelta = DEFAULT_DURATION
    min_turnout: int = DEFAULT_MIN_TURNOUT
    codes: int = 0
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    def check(self) -> None:
        """Raise BallotError naming what is wrong."""
        options = [option.strip() for option in self.options]
        if not self.question.strip() or len(self.question) > MAX_QUESTION_LENGTH:
            raise BallotError("Please give a question, up to 300 letters.")
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise BallotError(f"Please give 2 to {MAX_OPTIONS} options.")
        if any(not option or len(option) > MAX_OPTION_LENGTH for option in options):
            raise BallotError(f"Each option can have up to {MAX_OPTION_LENGTH} letters.")
        folded = {option.casefold() for option in options}
        if len(folded) != len(options) or texts.RON_LABEL.casefold() in folded:
            raise BallotError("Each option needs to be different.")
        if self.method not in METHODS:
            raise BallotError("The way of voting must be plurality, approval, irv or stv.")
        if self.method == "irv" and self.seats != 1:
            raise BallotError("To choose more than one, use stv.")
        if not 1 <= self.seats < len(options):
            raise BallotError("There must be more options than places to fill.")
        if not SHORTEST <= self.duration <= LONGEST:
            raise BallotError("A vote can be open for 5 minutes to 60 days.")
        if not 1 <= self.min_turnout <= 100_000:
            raise BallotError("The turnout needed must be at least 1.")
        if not 0 <= self.codes <= MAX_CODES:
            raise BallotError(f"You can make up to {MAX_CODES} codes.")
        self.options = options
        self.question = self.question.strip()

    def all_options(self) -> list[str]:
        """The options people see, with "Re-open nominations" last when asked for."""
        return [*self.options, texts.RON_LABEL] if self.ron else list(self.options)


def parse_ballot_command(argument: str) -> BallotSpec:
    """Read ``/ballot [method] [30m|6h|2d] [+ron] [seats=N] [turnout=N] Question | A | B``.

    Raises BallotError if it can't be read or checked.
    """
    head, *options = argument.split("|")
    words = head.split()
    spec = BallotSpec(question="", options=[part.strip() for part in options])
    while words:
        word = words[0].lower()
        duration = duration_of(word)
        if word in METHODS:
            spec.method = word
        elif duration is not None:
            spec.duration = duration
        elif word == "+ron":
            spec.ron = True
        elif re.fullmatch(r"seats=\d{1,3}", word):
            spec.seats = int(word.split("=")[1])
        elif re.fullmatch(r"turnout=\d{1,6}", word):
            spec.min_turnout = int(word.split("=")[1])
        else:
            break
        words.pop(0)
    spec.question = " ".join(words)
    spec.check()
    return spec


def duration_of(word: str) -> timedelta | None:
    """How long "30m", "6h" or "2d" is; None if the word is not one."""
    match = _DURATION.match(word.lower())
    return None if match is None else timedelta(**{_UNITS[match[2]]: int(match[1])})


def when(moment: datetime, zone: tzinfo) -> str:
    """A time in plain words, like "on Tue 3 Mar at 14:00"."""
    local = moment.astimezone(zone)
    return f"on {local:%a} {local.day} {local:%b} at {local:%H:%M}"


def explain_method(ballot: Ballot) -> str:
    """How this ballot is counted, in plain words."""
    return texts.METHOD_EXPLAINED[ballot.method].format(seats=ballot.seats)


def protected(ballot: Ballot) -> frozenset[int]:
    """Options never eliminated: "Re-open nominations"."""
    return frozenset({len(ballot.options) - 1}) if ballot.ron else frozenset()


def platform_name(platform: str) -> str | None:
    """The name of a chat platform as people know it; None for the terminal."""
    return {Platform.TELEGRAM: "Telegram", Platform.DISCORD: "Discord"}.get(Platform(platform))


def opening_reply(ballot: Ballot, zone: tzinfo) -> Reply:
    """The announcement in the group, with the Vote privately button."""
    options = "\n".join(f"{n}. {label}" for n, label in enumerate(ballot.options, start=1))
    closes = when(ballot.closes_at, zone)
    if ballot.status == BallotStatus.SCHEDULED:
        timing = texts.BALLOT_OPENS.format(opens=when(ballot.opens_at, zone), closes=closes)
    else:
        timing = texts.BALLOT_CLOSES.format(closes=closes)
    text = texts.BALLOT_ANNOUNCED.format(
        question=ballot.question, how=explain_method(ballot), options=options, when=timing
    )
    button = Button(
        TokenButton(Action.BALLOT, ballot.token, None, "o").encode(),
        texts.BUTTON_VOTE_PRIVATELY,
        "vote",
        private_start=f"b{ballot.token}",
    )
    return Reply(text, ((button,),))


def count(ballot: Ballot, choices: list[tuple[list[int], int]], seed: str) -> TallyResult:
    """Count the box, given as each distinct choice and how many times it was cast."""
    return tally_grouped(
        cast(Method, ballot.method),
        choices,
        len(ballot.options),
        ballot.seats,
        protected(ballot),
        seed,
    )


def result_record(
    ballot: Ballot,
    choices: list[tuple[list[int], int]],
    roll: int,
    voted: int,
) -> dict[str, Any]:
    """What is kept of a closed ballot: the turnout and, if it was high enough, the count.

    ``choices`` are the box's distinct choices, each with how many times it was cast.
    """
    ballots = sum(times for _, times in choices)
    record: dict[str, Any] = {
        "ballots": ballots,
        "roll": roll,
        "voted": voted,
        "shown": ballots >= ballot.min_turnout,
    }
    if not record["shown"]:
        return record
    seed = secrets.token_hex(8)
    counted = count(ballot, choices, seed)
    record.update(
        seed=seed,
        winners=list(counted.winners),
        totals=_keyed(counted.totals),
        quota=counted.quota,
        rounds=[
            {
                "counts": _keyed(round_.counts),
                "elected": list(round_.elected),
                "eliminated": list(round_.eliminated),
                "exhausted": round_.exhausted,
                "tie_broken": round_.tie_broken,
            }
            for round_ in counted.rounds
        ],
    )
    return record


def _keyed(counts: dict[int, float]) -> dict[str, float]:
    return {str(option): float(value) for option, value in counts.items()}


def _unkeyed(counts: dict[str, float]) -> dict[int, float]:
    return {int(option): value for option, value in counts.items()}


def number(value: float) -> str:
    """A count as people read it: whole numbers plain, fractions (STV) to two places."""
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.2f}"


def _names(ballot: Ballot, indexes: list[int]) -> str:
    labels = [ballot.options[index] for index in indexes]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def results_text(ballot: Ballot, receipts: list[str]) -> str:
    """The results of a closed ballot: the count (if turnout allows), turnout and receipts."""
    record = ballot.result or {}
    ballots = int(record.get("ballots", 0))
    lines = [texts.BALLOT_RESULTS.format(question=ballot.question), ""]
    if not record.get("shown"):
        lines.append(texts.BALLOT_LOW_TURNOUT.format(count=ballots, needed=ballot.min_turnout))
    elif ballots == 0:
        lines.append(texts.BALLOT_NONE_CHOSEN)
    else:
        lines += _count_lines(ballot, record)
        lines += [
            "",
            texts.BALLOT_COUNTED_ONE
            if ballots == 1
            else texts.BALLOT_COUNTED.format(count=ballots),
        ]
    lines.append(
        texts.BALLOT_MARKED.format(voted=record.get("voted", 0), roll=record.get("roll", 0))
    )
    lines.append("")
    if receipts:
        lines += [texts.BALLOT_RECEIPTS, *receipts]
    else:
        lines.append(texts.BALLOT_NO_RECEIPTS)
    return "\n".join(lines)


def _count_lines(ballot: Ballot, record: dict[str, Any]) -> list[str]:
    winners = [int(index) for index in record["winners"]]
    totals = _unkeyed(record["totals"])
    ranked = ballot.method in ("irv", "stv")
    lines = [texts.BALLOT_CHOSEN.format(names=_names(ballot, winners)), ""]
    lines.append(texts.BALLOT_FIRST_CHOICES if ranked else texts.BALLOT_VOTES_EACH)
    lines += [
        f"{label}: {number(totals.get(index, 0.0))}" for index, label in enumerate(ballot.options)
    ]
    rounds = record.get("rounds", [])
    if ranked:
        lines += ["", texts.BALLOT_ROUNDS]
        gone: set[int] = set()
        for number_, round_ in enumerate(rounds, start=1):
            counts = _unkeyed(round_["counts"])
            shown = ", ".join(
                f"{ballot.options[index]} {number(value)}"
                for index, value in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                if index not in gone
            )
            gone.update(round_["eliminated"])
            line = texts.BALLOT_ROUND.format(number=number_, counts=shown) + "."
            if round_["elected"]:
                line += " " + texts.BALLOT_ROUND_IN.format(names=_names(ballot, round_["elected"]))
            if round_["eliminated"]:
                out = _names(ballot, round_["eliminated"])
                line += " " + texts.BALLOT_ROUND_OUT.format(names=out)
            lines.append(line)
        if record.get("quota") is not None:
            lines.append(texts.BALLOT_NEEDED.format(quota=number(record["quota"])))
    if any(round_.get("tie_broken") for round_ in rounds):
        lines.append(texts.BALLOT_TIE)
    return lines


def chart_values(ballot: Ballot) -> tuple[list[str], list[float], set[int]] | None:
    """Labels, totals and winners for the results chart; None when nothing is shown."""
    record = ballot.result or {}
    if not record.get("shown") or not record.get("ballots"):
        return None
    totals = _unkeyed(record["totals"])
    values = [totals.get(index, 0.0) for index in range(len(ballot.options))]
    return list(ballot.options), values, {int(index) for index in record["winners"]}


def choice_words(ballot: Ballot, choice: list[int]) -> str:
    """One ballot paper in words: a ranking as "1. Sam; 2. Jo", others as "Sam; Jo"."""
    labels = [ballot.options[index] for index in choice]
    if ballot.method in ("irv", "stv"):
        return "; ".join(f"{place}. {label}" for place, label in enumerate(labels, start=1))
    return "; ".join(labels)


@dataclass(frozen=True, slots=True)
class Announcement:
    """A message for a ballot's group chat that no event asked for: an opening or results."""

    platform: Platform
    chat_id: str
    reply: Reply
    ballot_id: int
    kind: str
    """``opening`` or ``results``: pass it back to ``YouSaid.mark_announced`` once sent."""


OPENING = "opening"
RESULTS = "results"
