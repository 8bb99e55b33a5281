"""Small typed ports through which the core reaches storage and time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, Literal, Protocol, Self

from core.domain import (
    AdultMessage,
    Answer,
    AnswerRow,
    Ballot,
    BallotDraft,
    CardReport,
    Certificate,
    Consultation,
    Delivery,
    DialogSession,
    Draft,
    Forum,
    ForumHours,
    ForumModeration,
    InviteCode,
    Outcome,
    Participant,
    Poll,
    RedCard,
    Stage,
)
from core.messages import Platform, Reply
from core.safeguarding import Alert


class ConcurrentChange(Exception):
    """Raised when another transaction changed the same record first."""


class DatabaseUnavailable(Exception):
    """Raised when the database cannot be reached or the connection to it was lost.

    Nothing of the unit of work was kept; after a restart or a fail-over, trying again works.
    """


class Clock(Protocol):
    """Tells the time, so tests can set it."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in UTC."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class ChatPoster(Protocol):
    """What an adapter offers the core: post a message no one asked for in a group or channel."""

    async def post(self, chat_id: str, reply: Reply) -> bool:
        """Post the reply (with its image, if any) in the chat; False if it did not get there."""
        ...


Handled = Literal["answered", "repeated", "failed", "busy"]
"""How handling one event went: answered, a delivery seen before, an error, or too busy."""


class Observer(Protocol):
    """Told about each event the core handles (a running service counts them for monitoring)."""

    def handled(self, platform: str, outcome: Handled, seconds: float) -> None:
        """One event was handled on ``platform``, with this outcome, in this many seconds."""
        ...


class Participants(Protocol):
    """Participants and the platform identities that reach them."""

    async def find_by_identity(self, platform: Platform, user_id: str) -> Participant | None:
        """The participant behind a platform user id, if known."""
        ...

    async def add(self, platform: Platform, user_id: str, now: datetime) -> Participant:
        """A new participant with one platform identity; ConcurrentChange if it is taken."""
        ...

    async def save(self, participant: Participant) -> None:
        """Store changed profile fields (age band, preferences)."""
        ...

    async def record_consent(self, participant_id: int, version: str, now: datetime) -> None:
        """Keep a record that the participant agreed to a version of the privacy text."""
        ...

    async def delete(self, participant_id: int) -> None:
        """Remove a participant and everything linked to them."""
        ...

    async def mark_unreachable(self, platform: Platform, user_id: str) -> None:
        """Remember that a person blocked the bot, so nothing is sent to them again."""
        ...

    async def identities(self, participant_id: int) -> list[tuple[str, str]]:
        """The ``(platform, user id)`` pairs that reach a participant."""
        ...

    async def consents(self, participant_id: int) -> list[tuple[str, datetime]]:
        """Each version of the privacy text the participant agreed to, and when."""
        ...

    async def wanting_digest(self, participant_ids: list[int]) -> list[int]:
        """Those of these people whose weekly round-up is on and who still hear from us.

        On means their own choice, or by default for everyone but under-13s; people who
        stopped messages, can't be reached or chose to hear nothing are left out.
        """
        ...


class Consultations(Protocol):
    """Consultations and their dialog scripts."""

    async def claim_for_forum(self, consultation_id: int, forum_id: int) -> None:
        """Make the consultation the forum's, unless it belongs to a forum already."""
        ...

    async def list_open(self) -> list[Consultation]:
        """Open consultations, oldest first."""
        ...

    async def list_all(self) -> list[Consultation]:
        """Every consultation, open or closed, oldest first."""
        ...

    async def get(self, consultation_id: int) -> Consultation | None:
        """One consultation by id."""
        ...

    async def get_by_slug(self, slug: str) -> Consultation | None:
        """One consultation by its short name."""
        ...

    async def add(
        self, slug: str, title: str, summary: str, stage: Stage, script_yaml: str, now: datetime
    ) -> Consultation:
        """A new open consultation; ConcurrentChange if another took its short name first."""
        ...


class DialogSessions(Protocol):
    """Where each person is in each dialog."""

    async def current(self, participant_id: int) -> DialogSession | None:
        """The person's active session, else their most recently paused one."""
        ...

    async def get(self, session_id: int) -> DialogSession | None:
        """One session by id."""
        ...

    async def for_participant(self, participant_id: int) -> list[DialogSession]:
        """All of a participant's sessions, oldest first."""
        ...

    async def latest_for(self, participant_id: int, consultation_id: int) -> DialogSession | None:
        """The person's most recent session of one consultation, in any status."""
        ...

    async def add(
        self,
        participant_id: int,
        consultation_id: int | None,
        question_id: str | None,
        follow_on: str | None,
        now: datetime,
    ) -> DialogSession:
        """Start a new active session."""
        ...

    async def save(self, session: DialogSession, now: datetime) -> None:
        """Store the session if nobody changed it since it was read; else ConcurrentChange."""
        ...


class Answers(Protocol):
    """Answers to consultation questions."""

    async def add(self, answer: Answer) -> None:
        """Store a whole answer; ConcurrentChange if the question was already answered."""
        ...

    async def for_session(self, session_id: int) -> list[Answer]:
        """The answers given in one session, in the order given."""
        ...

    async def export(self, consultation_id: int, forum_id: int | None = None) -> list[AnswerRow]:
        """Every answer to a consultation (by members of ``forum_id`` only), no platform ids."""
        ...


class Forums(Protocol):
    """Group chats and servers registered as forums."""

    async def register(self, platform: Platform, group_id: str, title: str, now: datetime) -> Forum:
        """The forum for a group, added if new; the title is kept up to date."""
        ...

    async def lookup(self, reference: str) -> Forum | None:
        """A forum by its number, its group's id or its title (capitals not minded)."""
        ...

    async def get(self, forum_id: int) -> Forum | None:
        """One forum by its number."""
        ...

    async def find(self, platform: Platform, group_id: str) -> Forum | None:
        """The forum of a group, if it is one."""
        ...


class Polls(Protocol):
    """Quick polls and their votes (voters are kept only as one-way keys)."""

    async def add(
        self,
        forum_id: int,
        chat_id: str,
        question: str,
        options: list[str],
        now: datetime,
        closes_at: datetime | None = None,
    ) -> Poll:
        """A new open poll; it closes on its own at ``closes_at``, if given."""
        ...

    async def get(self, poll_id: int) -> Poll | None:
        """One poll by id."""
        ...

    async def latest_in_chat(self, forum_id: int, chat_id: str) -> Poll | None:
        """The newest poll posted in one chat of a forum."""
        ...

    async def vote(self, poll_id: int, voter: str, option: int, now: datetime) -> int | None:
        """Record or replace a voter's vote; the option they had chosen before, if any."""
        ...

    async def counts(self, poll_id: int) -> dict[int, int]:
        """Votes per option index."""
        ...

    async def of_forum(self, forum_id: int) -> list[Poll]:
        """Every quick poll of a forum, oldest first."""
        ...

    async def close(self, poll: Poll, now: datetime, announced: bool = True) -> None:
        """Stop taking votes; ``announced`` when the results are shown as it closes."""
        ...

    async def due(self, now: datetime) -> list[Poll]:
        """Open polls whose closing time has come."""
        ...

    async def to_announce(self) -> list[Poll]:
        """Closed polls whose final results are not yet in their chat."""
        ...

    async def mark_announced(self, poll_id: int) -> None:
        """The poll's final results are in its chat."""
        ...


class HandledEvents(Protocol):
    """Keys of platform deliveries already handled, so a repeat has no second effect."""

    async def claim(self, key: str, now: datetime) -> bool:
        """Record a key; False if it was recorded before."""
        ...

    async def forget_before(self, cutoff: datetime) -> int:
        """Drop keys recorded before ``cutoff``; how many were dropped."""
        ...


class Deliveries(Protocol):
    """The outbox: one row per recipient of each broadcast, sent by delivery workers."""

    async def queue(
        self,
        broadcast: str,
        participant_ids: list[int],
        payload: dict[str, Any],
        priority: int,
        now: datetime,
    ) -> int:
        """Queue a message per participant; queueing the same broadcast again adds nobody twice."""
        ...

    async def claim(
        self, limit: int, now: datetime, lease: timedelta, platforms: list[str]
    ) -> list[Delivery]:
        """Take up to ``limit`` due deliveries, most urgent first, for the length of the lease.

        Only deliveries to people reached through one of ``platforms`` are taken.
        Deliveries another worker holds are skipped; an expired lease makes a delivery due again.
        """
        ...

    async def sent(self, delivery_id: int, now: datetime) -> None:
        """Mark a delivery as sent."""
        ...

    async def retry(self, delivery_id: int, at: datetime, error: str, counts: bool) -> None:
        """Try again at ``at``; ``counts`` says whether this was a failed attempt."""
        ...

    async def give_up(self, delivery_id: int, error: str, now: datetime) -> None:
        """Stop trying, keeping the reason."""
        ...

    async def status_counts(self, broadcast: str | None = None) -> dict[str, int]:
        """How many deliveries are in each status, for one broadcast or all."""
        ...

    async def drop_pending(self, broadcast_prefix: str) -> int:
        """Drop deliveries not yet taken by a worker whose broadcast starts with the prefix."""
        ...

    async def queued_for(self, broadcast: str, participant_id: int) -> bool:
        """Whether the broadcast was queued for the participant (sent or not)."""
        ...


class ForumMembers(Protocol):
    """Who has joined which forum; a forum's members are the electorate of its ballots."""

    async def join_token(self, forum_id: int) -> str:
        """The forum's random join token, made the first time it is asked for."""
        ...

    async def forum_by_token(self, token: str) -> Forum | None:
        """The forum whose join token this is."""
        ...

    async def add(self, forum_id: int, participant_id: int, day: date) -> bool:
        """Make the participant a member; False if they already were."""
        ...

    async def count(self, forum_id: int) -> int:
        """How many members the forum has."""
        ...

    async def forums_of(self, participant_id: int) -> list[tuple[Forum, date]]:
        """The forums a participant joined, and the day they joined."""
        ...


class Ballots(Protocol):
    """Secret ballots: the voter roll and the ballot box are kept apart, with nothing linking them.

    The roll says who may vote and who has voted, with no time. The box holds the choices under
    random ids, with no time and no participant. Receipts are a third list, also unlinked.
    """

    async def add(self, ballot: Ballot, now: datetime) -> Ballot:
        """Store a new ballot (its ``id`` is ignored) and return it with its id."""
        ...

    async def get(self, ballot_id: int, lock: bool = False) -> Ballot | None:
        """One ballot by id; ``lock`` holds a shared lock so closing waits for this vote."""
        ...

    async def by_token(self, token: str, lock: bool = False) -> Ballot | None:
        """One ballot by its random token."""
        ...

    async def latest_in_chat(self, forum_id: int, chat_id: str) -> Ballot | None:
        """The newest ballot announced in one chat of a forum."""
        ...

    async def open_for(self, participant_id: int) -> list[Ballot]:
        """Open ballots where the participant is on the roll and has not voted, closing first."""
        ...

    async def due(self, now: datetime) -> tuple[list[Ballot], list[Ballot]]:
        """Ballots due to open (scheduled, ``opens_at`` passed) and due to close."""
        ...

    async def to_announce(self) -> list[Ballot]:
        """Ballots whose opening was never posted, and closed ballots whose results were not."""
        ...

    async def closed_of_forum(self, forum_id: int) -> list[Ballot]:
        """A forum's closed (counted) ballots, oldest first."""
        ...

    async def set_status(
        self, ballot_id: int, before: str, after: str, closes_at: datetime | None = None
    ) -> bool:
        """Move a ballot from one status to the next; False if it was not in ``before``."""
        ...

    async def mark_posted(self, ballot_id: int) -> None:
        """Remember that the opening announcement is in the chat."""
        ...

    async def mark_announced(self, ballot_id: int) -> None:
        """Remember that the results are in the chat."""
        ...

    async def store_result(self, ballot_id: int, result: dict[str, Any]) -> None:
        """Keep the count of a closed ballot."""
        ...

    async def freeze_roll(self, ballot_id: int, forum_id: int) -> int:
        """Copy the forum's members onto the roll; how many are on it."""
        ...

    async def on_roll(self, ballot_id: int, participant_id: int) -> bool | None:
        """None if the participant is not on the roll, else whether they have voted."""
        ...

    async def add_to_roll(self, ballot_id: int, participant_id: int) -> None:
        """Put a participant on the roll; ConcurrentChange if they already are."""
        ...

    async def roll_of(self, participant_id: int) -> list[tuple[Ballot, bool]]:
        """The ballots a participant is on the roll of, and whether they are marked as voted."""
        ...

    async def roll_counts(self, ballot_id: int) -> tuple[int, int]:
        """How many are on the roll, and how many of them are marked as voted."""
        ...

    async def add_codes(self, ballot_id: int, code_hashes: list[str]) -> None:
        """Store the one-way hashes of a ballot's invite codes."""
        ...

    async def count_codes(self, ballot_id: int) -> int:
        """How many invite codes a ballot has."""
        ...

    async def code(self, code_hash: str) -> tuple[int, bool] | None:
        """The ballot an invite code is for, and whether it was used."""
        ...

    async def use_code(self, code_hash: str) -> bool:
        """Mark an unused code as used; False if it was used already."""
        ...

    async def draft(self, ballot_id: int, participant_id: int) -> BallotDraft | None:
        """What the participant has picked so far."""
        ...

    async def add_draft(self, draft: BallotDraft) -> None:
        """Start a draft; ConcurrentChange if one was started at the same moment."""
        ...

    async def save_draft(self, draft: BallotDraft) -> None:
        """Store a changed draft if nobody changed it since it was read; else ConcurrentChange."""
        ...

    async def delete_draft(self, ballot_id: int, participant_id: int) -> None:
        """Drop a draft."""
        ...

    async def mark_voted(self, ballot_id: int, participant_id: int) -> bool:
        """Mark the roll entry as voted; False if it was already (or is not on the roll)."""
        ...

    async def put_in_box(self, ballot_id: int, vote_id: str, choice: list[int]) -> None:
        """Put a vote in the box under a random id, with no time and no voter."""
        ...

    async def add_receipt(self, ballot_id: int, receipt: str) -> None:
        """Keep a receipt code, unlinked to any vote; ConcurrentChange if it is taken."""
        ...

    async def box(
        self, ballot_id: int, *, first_only: bool = False
    ) -> list[tuple[list[int] | None, int]]:
        """Each distinct choice in the box (None once discarded) and how many times it was cast.

        The pairs come in no particular order. With ``first_only``, choices are grouped by
        their first option and given as that option alone: all a plurality ballot holds.
        """
        ...

    async def receipts(self, ballot_id: int) -> list[str]:
        """The receipt codes of a ballot, sorted."""
        ...

    async def seal(self, ballot_id: int) -> None:
        """After close: drop drafts; store the box, receipts, roll and codes again, shuffled.

        So nothing of the order or the moment of voting is left in them.
        """
        ...

    async def discard_choices(self, ballot_id: int) -> None:
        """Blank every choice in the box (the turnout was too low to show anything)."""
        ...


class Links(Protocol):
    """One-time codes that put a second platform's identity onto an existing participant."""

    async def add(self, participant_id: int, code_hash: str, expires_at: datetime) -> None:
        """Keep a code's hash, replacing the participant's earlier code."""
        ...

    async def taken(self, code_hash: str, now: datetime) -> bool:
        """Whether a live code already has this hash (expired ones are dropped)."""
        ...

    async def find(self, code_hash: str, now: datetime, most_failures: int) -> int | None:
        """The participant behind a live code with fewer than ``most_failures`` failures."""
        ...

    async def delete(self, code_hash: str) -> None:
        """Use up a code."""
        ...

    async def miss(self, now: datetime) -> None:
        """Count a wrong guess against every live code, so guessing cannot win."""
        ...

    async def attach(
        self,
        platform: Platform,
        user_id: str,
        participant_id: int,
        replaced: int | None,
        now: datetime,
    ) -> None:
        """Make a platform identity reach ``participant_id``.

        ``replaced`` (the participant the identity reached before, never onboarded) is deleted.
        """
        ...


class Alerts(Protocol):
    """Safeguarding alerts; kept under the safeguarding lead's rules, not deleted by /forgetme."""

    async def add(self, alert: Alert) -> Alert:
        """Store a new alert (its ``id`` is ignored) and return it with its number."""
        ...

    async def get(self, alert_id: int) -> Alert | None:
        """One alert by number."""
        ...

    async def list_alerts(self, include_acknowledged: bool = False) -> list[Alert]:
        """Alerts not yet acknowledged (or all), oldest first."""
        ...

    async def due(self, sent_before: datetime) -> list[Alert]:
        """Unacknowledged alerts last sent before ``sent_before``, oldest first."""
        ...

    async def mark_sent(
        self, alert_id: int, rounds_before: int, escalated: bool, now: datetime
    ) -> bool:
        """Count one more sending; False if it was acknowledged or sent again meanwhile."""
        ...

    async def acknowledge(self, alert_id: int, by: str, now: datetime) -> bool:
        """Mark an alert as seen; False if it was already."""
        ...

    async def count_unacknowledged(self) -> int:
        """How many alerts nobody has acknowledged yet."""
        ...

    async def delete_seen_before(self, cutoff: datetime) -> int:
        """Delete acknowledged alerts raised before ``cutoff``; how many.

        The messages that carried them go too: to the leads, to organisers, the help after a post.
        """
        ...


class PersonalData(Protocol):
    """Erasing people and old free text, keeping only anonymous counts."""

    async def poll_ids(self) -> list[int]:
        """Every quick poll's id (votes are keyed per poll, so erasing one needs them all)."""
        ...

    async def erase(
        self, participant_id: int, poll_votes: list[tuple[int, str]], actors: list[str]
    ) -> None:
        """Erase a participant everywhere; anonymous counts stay.

        Their answers become counts in the tallies, their quick-poll votes (``(poll, voter
        key)``) get random keys, their voter roll entries become counts, their audit rows
        (``actors``: their pseudonyms) go, and then the participant and everything linked.
        """
        ...

    async def expire_text(
        self,
        consultation_id: int,
        text_questions: list[str],
        reason_questions: list[str],
        before: datetime,
    ) -> int:
        """Answers given before ``before``: typed answers become counts, score reasons go.

        Returns how many answers lost their typed words.
        """
        ...

    async def answer_totals(self, consultation_id: int) -> dict[str, tuple[int, int]]:
        """How many answered and skipped each question, kept and counted ones together."""
        ...


class InviteCodes(Protocol):
    """Invite codes for children under 13: an organiser's record that a parent or carer agreed."""

    async def add(
        self, forum_id: int, code_hashes: list[str], expires_at: datetime, now: datetime
    ) -> None:
        """Keep the hashes of new codes for a forum."""
        ...

    async def find(self, code_hash: str) -> InviteCode | None:
        """The code with this hash, if there is one."""
        ...

    async def use(self, code_hash: str, participant_id: int, now: datetime) -> bool:
        """Use up a code and record the agreement for the participant; False if used already."""
        ...

    async def agreement(self, participant_id: int) -> tuple[Forum | None, datetime] | None:
        """The forum whose code showed a parent or carer agreed for this participant, and when."""
        ...


class Audit(Protocol):
    """A small log of refused actions: a pseudonym, the action and the time."""

    async def refused(self, actor: str, action: str, now: datetime) -> None:
        """Record that someone without the role tried an action."""
        ...

    async def of(self, actors: list[str]) -> list[tuple[str, datetime]]:
        """The refused actions recorded for these pseudonyms, oldest first."""
        ...


class Moderation(Protocol):
    """Forums that screen the posts in their groups, and the organisers who get the reports."""

    async def settings(self, platform: Platform, group_id: str) -> ForumModeration | None:
        """The group's forum, if it screens posts."""
        ...

    async def turn_on(self, forum_id: int, hide: bool, now: datetime) -> None:
        """Screen the forum's posts (and hide flagged ones if ``hide``)."""
        ...

    async def turn_off(self, forum_id: int) -> None:
        """Stop screening; the list of organisers who got reports goes too."""
        ...

    async def add_moderator(self, forum_id: int, participant_id: int) -> None:
        """Send this organiser the forum's reports."""
        ...

    async def moderators(self, forum_id: int) -> list[int]:
        """The participants who get the forum's reports."""
        ...

    async def moderated_by(self, participant_id: int) -> list[Forum]:
        """The forums whose reports this participant gets."""
        ...


class RedCards(Protocol):
    """Adults' messages that can be red-carded, the cards on them, and who raised each card.

    A card is one word of one message; everyone who raises that word on that message adds to
    it. Who raised it is kept only as a one-way key (to count each person once), the group it
    was raised in, or, for a message sent to them privately, their participant number (to send
    them the explanation): never anything the adult sees.
    """

    async def add_message(self, message: AdultMessage) -> AdultMessage:
        """Record a message (its ``id`` is ignored); ConcurrentChange if it is recorded already."""
        ...

    async def message(self, message_id: int) -> AdultMessage | None:
        """One recorded message by its number."""
        ...

    async def message_at(
        self, platform: str, chat_id: str, platform_message_id: str
    ) -> AdultMessage | None:
        """The recorded message with this platform id in this chat."""
        ...

    async def message_for(self, subject: str) -> AdultMessage | None:
        """The newest recorded message about a subject, such as ``poll:12``."""
        ...

    async def set_platform_message_id(self, message_id: int, platform_message_id: str) -> None:
        """Remember the platform's id of a message the bot posted, if not known yet."""
        ...

    async def card_for(
        self, message: AdultMessage, word: str, now: datetime
    ) -> tuple[RedCard, bool]:
        """The card on this word of the message, added if new; and whether it was added."""
        ...

    async def add_raise(
        self,
        card_id: int,
        raiser: str,
        chat_id: str | None,
        participant_id: int | None,
        now: datetime,
    ) -> bool:
        """Count one more person raising the card; False if this one raised it before."""
        ...

    async def card(self, card_id: int) -> RedCard | None:
        """One card by its number."""
        ...

    async def waiting_for(self, author_id: int) -> list[RedCard]:
        """Cards on an author's messages not explained yet, oldest first."""
        ...

    async def explain(self, card_id: int, explanation: str, now: datetime) -> bool:
        """Keep the explanation; False if the card was explained meanwhile."""
        ...

    async def raised_where(self, card_id: int) -> tuple[list[str], list[int]]:
        """The group chats a card was raised in, and the participants who raised it privately."""
        ...

    async def due(self, reminded_before: datetime) -> list[RedCard]:
        """Cards not explained whose author was last asked before ``reminded_before``."""
        ...

    async def count_waiting(self) -> int:
        """How many cards are waiting for their explanation, in every forum."""
        ...

    async def mark_reminded(self, card_id: int, chases_before: int, now: datetime) -> bool:
        """Count one more reminder; False if the card was explained or chased meanwhile."""
        ...

    async def authors_in(self, forum_id: int) -> list[int]:
        """The organisers whose messages were recorded in a forum, first-recorded first."""
        ...

    async def report(self, forum_id: int | None = None) -> list[CardReport]:
        """Every card (of one forum, or all), oldest first, for the statistics."""
        ...

    async def kept_for(self, participant_id: int) -> tuple[int, int]:
        """What ``/mydata`` shows of red cards: cards raised privately, own messages recorded."""
        ...


class ForumTerms(Protocol):
    """A forum's own glossary: terms and their explanations, which win over the built-in ones."""

    async def terms(self, forum_id: int) -> dict[str, str]:
        """Each term of the forum with its explanation."""
        ...

    async def add(self, forum_id: int, term: str, explanation: str, now: datetime) -> None:
        """Add a term, or give a term the forum has (in any case) a new explanation."""
        ...


class Drafts(Protocol):
    """Adults' texts held back by the plain-words check; one per author and forum."""

    async def put(self, draft: Draft) -> Draft:
        """Keep a new draft (its ``id`` is ignored) in place of the author's draft in the forum."""
        ...

    async def get(self, draft_id: int) -> Draft | None:
        """One draft by its number."""
        ...

    async def by_token(self, token: str) -> Draft | None:
        """One draft by its random token."""
        ...

    async def waiting_words(self, author_id: int) -> Draft | None:
        """The author's draft waiting for typed explanations, if any."""
        ...

    async def ask_words(self, draft_id: int, author_id: int) -> None:
        """Make this the author's one draft waiting for typed explanations (0: none of them)."""
        ...

    async def delete(self, draft_id: int) -> bool:
        """Drop a draft (it was sent); False if it was gone already."""
        ...

    async def discard(self, author_id: int, forum_id: int) -> None:
        """Drop the author's draft in the forum, if any (they posted something new)."""
        ...


class PauseReminders(Protocol):
    """Reminders people asked for when they paused a dialog: at most one per session."""

    async def set(
        self, session_id: int, participant_id: int, remind_at: datetime, now: datetime
    ) -> None:
        """Remind at ``remind_at``; a new choice replaces the old one."""
        ...

    async def due(self, now: datetime, limit: int = 500) -> list[tuple[int, int]]:
        """(session id, participant id) of reminders due by ``now``."""
        ...

    async def remove(self, session_id: int) -> None:
        """Forget a reminder: sent, or no longer needed."""
        ...


class Outcomes(Protocol):
    """Outcomes of consultations ("you said, we did"), and young people's feedback on them."""

    async def add(self, outcome: Outcome) -> Outcome:
        """Store a new outcome (its ``id`` is ignored) and return it with its id."""
        ...

    async def get(self, outcome_id: int) -> Outcome | None:
        """One outcome by its number."""
        ...

    async def by_token(self, token: str) -> Outcome | None:
        """One outcome by the random token its buttons carry."""
        ...

    async def save(self, outcome: Outcome) -> None:
        """Store an outcome's changed words, status and progress."""
        ...

    async def of_consultation(self, consultation_id: int) -> list[Outcome]:
        """A consultation's outcomes, oldest first."""
        ...

    async def changed_since(self, since: datetime) -> list[Outcome]:
        """Outcomes written or changed since ``since``, oldest first."""
        ...

    async def contributors(self, consultation_id: int, question_ids: list[str]) -> list[int]:
        """Who answered the consultation (one of ``question_ids``, if any) and still hears from us.

        People who stopped messages, can't be reached or chose to hear nothing are left out.
        """
        ...

    async def add_feedback(
        self, outcome_id: int, participant_id: int, value: str, now: datetime
    ) -> bool:
        """Count one person's feedback; False if they gave it before (the first one counts)."""
        ...

    async def feedback_counts(self, outcome_id: int) -> dict[str, int]:
        """How many gave each kind of feedback."""
        ...

    async def feedback_of(self, participant_id: int) -> list[tuple[int, str]]:
        """The feedback one person gave: each outcome's number and their answer."""
        ...


class Certificates(Protocol):
    """Certificates of contribution that organisers give for a consultation."""

    async def award(self, consultation_id: int, forum_id: int | None, now: datetime) -> list[int]:
        """Give one to everyone who answered the consultation and has none for it yet.

        Returns the participants given one now.
        """
        ...

    async def count(self, consultation_id: int) -> int:
        """How many people have a certificate for the consultation."""
        ...

    async def of_participant(self, participant_id: int) -> list[Certificate]:
        """A person's certificates, oldest first."""
        ...


class ForumHoursStore(Protocol):
    """Forums' own quiet and school hours."""

    async def get(self, forum_id: int) -> ForumHours:
        """A forum's hours; the usual ones (both None) if it set none."""
        ...

    async def of(self, forum_ids: list[int]) -> dict[int, ForumHours]:
        """The hours of those of these forums that set their own."""
        ...

    async def set(self, hours: ForumHours, now: datetime) -> None:
        """Store a forum's hours, replacing what it had."""
        ...


class ProgressUpdates(Protocol):
    """When a commissioner wants the next progress update on an outcome sent: one per outcome."""

    async def set(self, outcome_id: int, send_at: datetime, now: datetime) -> None:
        """Send the outcome's next progress update at ``send_at``; a new time replaces the old."""
        ...

    async def at(self, outcome_id: int) -> datetime | None:
        """When the outcome's next progress update goes out, if one is set."""
        ...

    async def take_due(self, now: datetime, limit: int = 100) -> list[tuple[int, datetime]]:
        """Remove and return (outcome id, time) of the updates due by ``now``, oldest first."""
        ...


class UnitOfWork(Protocol):
    """One transaction over all repositories: committed whole or not at all."""

    participants: Participants
    consultations: Consultations
    sessions: DialogSessions
    answers: Answers
    forums: Forums
    polls: Polls
    handled: HandledEvents
    deliveries: Deliveries
    members: ForumMembers
    ballots: Ballots
    links: Links
    alerts: Alerts
    red_cards: RedCards
    forum_terms: ForumTerms
    drafts: Drafts
    personal_data: PersonalData
    invites: InviteCodes
    audit: Audit
    moderation: Moderation
    outcomes: Outcomes
    reminders: PauseReminders
    certificates: Certificates
    forum_hours: ForumHoursStore
    progress_updates: ProgressUpdates

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None:
        """Make every change of this unit of work permanent."""
        ...

    async def ping(self) -> None:
        """One round trip to the database; raises if it cannot be reached."""
        ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
