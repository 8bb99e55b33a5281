"""Safeguarding, the pure part: screening typed words, the policy, the alert message.

Screening looks for signs that a young person may not be safe. The policy says what to tell
them and which adults to alert.

Screening is deliberately simple and predictable: a list of words and phrases (see
``safeguarding_terms.txt``), matched as whole words, ignoring capitals and punctuation, with
``*`` standing for any word ending. It raises alerts for people to look at; it decides nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

from core import texts
from core.buttons import Action, ButtonId
from core.messages import Button, Platform, Reply

DEFAULT_TERMS_FILE = Path(__file__).with_name("safeguarding_terms.txt")
"""The concern terms shipped with YouSaid."""

MAX_QUOTED = 1500
"""How much of a message an alert quotes; the whole text is kept in the alert record."""

_APOSTROPHES = re.compile(r"['’‘ʼ`]")
_NOT_WORD = re.compile(r"[\W_]+")
_TERM_WORD = re.compile(r"^\w+\*?$")


class TermsError(ValueError):
    """A concern-terms file has a bad line; the message names the line."""


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped, any run of other punctuation or spaces as one space."""
    text = _APOSTROPHES.sub("", text.lower())
    return _NOT_WORD.sub(" ", text).strip()


def _pattern(term: str) -> re.Pattern[str]:
    words = []
    for word in term.split(" "):
        stem = re.escape(word.removesuffix("*"))
        words.append(stem + r"\w*" if word.endswith("*") else stem)
    return re.compile(r"(?<!\w)" + " ".join(words) + r"(?!\w)")


def _checked_term(raw: str, line: int) -> str:
    cleaned = " ".join(
        _APOSTROPHES.sub("", part.lower()) for part in re.split(r"[\s\-_]+", raw.strip()) if part
    )
    for word in cleaned.split(" "):
        if not _TERM_WORD.match(word):
            raise TermsError(
                f"line {line}: '{raw.strip()}' may only have letters, digits, spaces, hyphens, "
                "apostrophes and a * at the end of a word"
            )
        if word.endswith("*") and len(word) < 4:
            raise TermsError(f"line {line}: '{word}' is too short to stand for a word")
    return cleaned


def parse_terms(lines: Iterable[str], base: Sequence[str] = ()) -> tuple[str, ...]:
    """The terms of a file's lines, added to ``base``; ``-term`` drops a term, ``-*`` all."""
    terms = list(base)
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text == "-*":
            terms.clear()
        elif text.startswith("-"):
            term = _checked_term(text[1:], number)
            if term not in terms:
                raise TermsError(f"line {number}: '{text[1:].strip()}' is not in the list")
            terms.remove(term)
        else:
            term = _checked_term(text, number)
            if term not in terms:
                terms.append(term)
    return tuple(terms)


@dataclass(frozen=True)
class ConcernTerms:
    """A list of concern terms, ready to screen text with."""

    terms: tuple[str, ...]
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_patterns", tuple(_pattern(term) for term in self.terms))

    def find(self, text: str) -> tuple[str, ...]:
        """The terms found in ``text``, in list order; empty if none."""
        plain = normalise(text)
        if not plain:
            return ()
        return tuple(
            term
            for term, pattern in zip(self.terms, self._patterns, strict=True)
            if pattern.search(plain)
        )


def read_terms(path: Path, base: Sequence[str] = ()) -> tuple[str, ...]:
    """The terms in a file, added to ``base``; TermsError for a bad line or an unreadable file."""
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
        raise TermsError(f"cannot read {path}: {reason}") from None
    return parse_terms(content.splitlines(), base)


@cache
def default_terms() -> ConcernTerms:
    """The shipped concern terms."""
    return ConcernTerms(read_terms(DEFAULT_TERMS_FILE))


def load_terms(extra: Path | None = None) -> ConcernTerms:
    """The shipped terms, changed by a deployment's own file if there is one."""
    if extra is None:
        return default_terms()
    return ConcernTerms(read_terms(extra, default_terms().terms))


@dataclass(frozen=True, slots=True)
class Lead:
    """A safeguarding lead's chat account: where alerts go."""

    platform: Platform
    user_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.user_id}"


LEAD_PLATFORMS = (Platform.TELEGRAM, Platform.DISCORD)


def parse_leads(value: str) -> tuple[Lead, ...]:
    """Comma-separated ``platform:user_id`` pairs, the lead first; ValueError with one line."""
    leads: list[Lead] = []
    for item in value.split(","):
        pair = item.strip()
        if not pair:
            continue
        platform, _, user_id = pair.partition(":")
        platform, user_id = platform.strip().lower(), user_id.strip()
        if platform not in LEAD_PLATFORMS or not user_id or len(user_id) > 64:
            raise ValueError(f"'{pair}' should look like telegram:12345 or discord:12345")
        lead = Lead(Platform(platform), user_id)
        if lead not in leads:
            leads.append(lead)
    return tuple(leads)


@dataclass(frozen=True)
class SafeguardingPolicy:
    """What a deployment screens for, what it tells the young person, and whom it alerts.

    ``leads[0]`` is the safeguarding lead; the rest are deputies, alerted from the second round.
    """

    terms: ConcernTerms = field(default_factory=default_terms)
    help_text: str = texts.SAFEGUARDING_HELP
    leads: tuple[Lead, ...] = ()

    def is_lead(self, platform: Platform, user_id: str) -> bool:
        """True for the lead and the deputies."""
        return Lead(platform, user_id) in self.leads

    def recipients(self, round_number: int) -> tuple[Lead, ...]:
        """Who gets an alert's ``round_number``-th sending: the lead first, then everyone."""
        return self.leads[:1] if round_number <= 1 else self.leads

    def help_message(self) -> Reply:
        """What the young person sees at once: where to get help, and that an adult may read."""
        if texts.SAFEGUARDING_MAY_READ in self.help_text:
            return Reply(self.help_text)
        return Reply(f"{self.help_text}\n\n{texts.SAFEGUARDING_MAY_READ}")


class AlertStatus(StrEnum):
    """Whether a safeguarding lead has said they have seen an alert."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"


@dataclass(slots=True)
class Alert:
    """A stored safeguarding alert: kept under the safeguarding lead's rules, not ``/forgetme``.

    ``participant_number`` is the young person's pseudonymous number (None if they had not
    started yet). It is a plain number, not a link, so deleting the participant leaves it.
    ``rounds`` counts how often the alert was sent to the leads.
    """

    id: int
    participant_number: int | None
    platform: str
    user_id: str
    text: str
    terms: list[str]
    consultation_id: int | None
    question_id: str | None
    created_at: datetime
    last_sent_at: datetime
    status: AlertStatus = AlertStatus.NEW
    rounds: int = 1
    escalated: bool = False
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    posted_in: str | None = None
    """The title of the group a flagged post was in; None for messages to the bot."""


def when(moment: datetime) -> str:
    """A time as leads see it in alerts."""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def alert_message(alert: Alert, where: str, round_number: int, escalated: bool) -> Reply:
    """The alert as the leads get it, with a button to say they have seen it."""
    heading = texts.ALERT_HEADING if round_number <= 1 else texts.ALERT_REMINDER
    quoted = alert.text if len(alert.text) <= MAX_QUOTED else alert.text[:MAX_QUOTED] + " [...]"
    who = (
        texts.ALERT_PARTICIPANT.format(number=alert.participant_number)
        if alert.participant_number is not None
        else texts.ALERT_NOT_STARTED
    )
    platform = alert.platform.title()
    parts = [
        heading.format(number=alert.id, round=round_number),
        texts.ALERT_BODY.format(
            who=who, platform=platform, when=when(alert.created_at), where=where, text=quoted
        ),
        texts.ALERT_DETAILS.format(
            terms=", ".join(alert.terms), platform=platform, user_id=alert.user_id
        ),
    ]
    if escalated:
        parts.append(texts.ALERT_ESCALATED)
    parts.append(texts.ALERT_HOW_TO_ACK.format(number=alert.id))
    seen = Button(ButtonId(Action.ACK, alert.id).encode(), texts.BUTTON_ALERT_SEEN, "seen")
    return Reply("\n\n".join(parts), ((seen,),))


def parse_alert_number(argument: str) -> int | None:
    """The number in ``/ack 12`` or ``/ack #12``; None if there is none."""
    text = argument.strip().removeprefix("#").strip()
    return int(text) if text.isdigit() and len(text) <= 9 else None
