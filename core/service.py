"""The one entry point adapters call: an event in, replies out, in one transaction."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from core import texts
from core.admission import MAX_INVITE_CODES, invite_code_hash, new_invite_codes
from core.ballot_admin import BallotAdmin
from core.ballots import OPENING, RESULTS, Announcement, BallotSpec, opening_reply
from core.conversation import Conversation
from core.delivery import (
    DIRECT,
    FORUM,
    LEASE,
    NORMAL,
    REMINDER,
    DeliveryWorker,
    Sender,
    reply_to_payload,
)
from core.dialog_flow import DialogFlow
from core.digest import queue_weekly_digests
from core.domain import (
    Ballot,
    BallotStatus,
    CardReport,
    Consultation,
    Electorate,
    Forum,
    ForumHours,
    Outcome,
    OutcomeStatus,
    SessionStatus,
    Stage,
)
from core.erasure import erase
from core.forum_flow import ForumFlow
from core.forum_hours import changed
from core.hours import QuietHours, SendHours
from core.measures import Reading, read_gauges
from core.messages import Address, Event, Platform, Reply, Text
from core.my_data import MyData
from core.outcomes import OutcomeBook, OutcomeChange, OutcomeError, OutcomeWords
from core.ports import (
    ChatPoster,
    Clock,
    ConcurrentChange,
    DatabaseUnavailable,
    Handled,
    Observer,
    SystemClock,
    UnitOfWork,
    UnitOfWorkFactory,
)
from core.privacy import PrivacyPolicy
from core.red_card_flow import RedCardFlow
from core.results import UnknownConsultation
from core.retention import expire_typed_answers
from core.roles import Authority, RoleSettings
from core.safeguarding import Alert, SafeguardingPolicy
from core.safeguarding_flow import Acknowledged, SafeguardingFlow
from core.tally import Method
from dialogs.loader import ScriptFile, parse_script
from dialogs.schema import Script

log = logging.getLogger(__name__)

ATTEMPTS = 3
UNAVAILABLE_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0)
"""Seconds to wait before each new try of an event while the database cannot be reached."""
"""How often an event is tried again when another event changed the same records first."""

KEEP_DELIVERY_KEYS = timedelta(days=2)
"""How long a delivery key is kept; platforms redeliver within a day at most."""

RESEND_ALERTS = timedelta(minutes=10)
"""A safeguarding alert nobody has acknowledged is sent again after this long."""
RESEND_CHECK_EVERY = timedelta(minutes=2)
"""How often the scheduler should call ``resend_unacknowledged_alerts``."""
RETENTION_CHECK_EVERY = timedelta(hours=1)
"""How often the scheduler should call ``forget_old_answers``."""

BALLOT_CHECK_EVERY = timedelta(minutes=1)
"""How often the scheduler should call ``announce_ballots``."""

CHASE_RED_CARDS_AFTER = timedelta(hours=24)
"""A red card not answered this long is chased (YOUSAID_RED_CARD_CHASE_AFTER)."""
CHASE_CHECK_EVERY = timedelta(minutes=10)
"""How often the scheduler should call ``chase_red_cards``."""
REMINDER_CHECK_EVERY = timedelta(minutes=5)
"""How often the scheduler should call ``send_pause_reminders``."""
PROGRESS_CHECK_EVERY = timedelta(minutes=1)
"""How often the scheduler should call ``send_progress_updates``."""
DIGEST_CHECK_EVERY = timedelta(hours=1)
"""How often the scheduler should call ``send_weekly_digests``."""


class YouSaid:
    """The platform-neutral core of the bot."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        onboarding: Script,
        clock: Clock | None = None,
        zone: tzinfo | None = None,
        safeguarding: SafeguardingPolicy | None = None,
        observer: Observer | None = None,
        red_card_chase_after: timedelta = CHASE_RED_CARDS_AFTER,
        privacy: PrivacyPolicy | None = None,
        roles: RoleSettings | None = None,
        quiet: QuietHours | None = None,
        school: QuietHours | None = None,
        delivery_lease: timedelta = LEASE,
    ) -> None:
        self._uow_factory = uow_factory
        self._lease = delivery_lease
        """How long a delivery worker holds what it took (YOUSAID_DELIVERY_LEASE_SECONDS)."""
        self._hours = SendHours(quiet, school)
        """When news and updates wait (YOUSAID_QUIET_HOURS, YOUSAID_SCHOOL_HOURS on weekdays)."""
        self._observer = observer
        """Told about every event handled (the running service's metrics)."""
        self._chase_after = red_card_chase_after
        self._safeguarding = safeguarding or SafeguardingPolicy()
        """Concern terms, the help message and the safeguarding leads (YOUSAID_SAFEGUARDING_*)."""
        self._privacy = privacy or PrivacyPolicy()
        """Lawful basis, platform minimum ages, the other way to take part (YOUSAID_*)."""
        self._roles = roles or RoleSettings(leads=self._safeguarding.leads)
        """Commissioners, admins and leads (YOUSAID_COMMISSIONERS, YOUSAID_ADMINS)."""
        self._onboarding = self._privacy.onboarding(onboarding)
        """The onboarding script, in the words of the lawful basis."""
        self._clock = clock or SystemClock()
        self._zone = zone or ZoneInfo("Europe/London")
        """The time zone in which times are shown to people (YOUSAID_TIMEZONE)."""

    async def handle(self, event: Event, key: str | None = None) -> list[Reply]:
        """Handle one event in one transaction: all of its changes are kept, or none.

        ``key`` identifies the platform's delivery (such as a Telegram update id). It is stored
        with the event's changes, so a delivery that comes again has no second effect and gets
        no replies. The observer, if any, is told how it went and how long it took.
        """
        started = time.perf_counter()
        outcome, replies = await self._handle(event, key)
        if self._observer is not None:
            elapsed = time.perf_counter() - started
            self._observer.handled(str(event.address.platform), outcome, elapsed)
        return replies

    async def _handle(self, event: Event, key: str | None) -> tuple[Handled, list[Reply]]:
        """Try again while the database is away (a restart takes seconds), then give up kindly."""
        for wait in UNAVAILABLE_WAITS:
            try:
                return await self._handle_once(event, key)
            except DatabaseUnavailable:
                log.warning("database unavailable; trying the event again in %.1f s", wait)
                await asyncio.sleep(wait)
        try:
            return await self._handle_once(event, key)
        except DatabaseUnavailable:
            log.exception("event failed: the database stayed unavailable")
            return "failed", [*await self._screen_on_its_own(event), Reply(texts.SOMETHING_WRONG)]

    async def _handle_once(self, event: Event, key: str | None) -> tuple[Handled, list[Reply]]:
        for _ in range(ATTEMPTS):
            try:
                async with self._uow_factory() as uow:
                    now = self._clock.now()
                    if key is not None and not await uow.handled.claim(key, now):
                        log.info("delivery handled before: %s", key.split(":", 1)[0])
                        return "repeated", []
                    conversation = Conversation(
                        uow,
                        now,
                        self._onboarding,
                        self._zone,
                        self._safeguarding,
                        self._privacy,
                        self._roles,
                        self._hours,
                    )
                    replies = await conversation.handle(event)
                    await uow.commit()
                return "answered", replies
            except ConcurrentChange:
                continue
            except DatabaseUnavailable:
                raise
            except Exception:
                log.exception(
                    "event failed: %s on %s", type(event).__name__, event.address.platform
                )
                return "failed", [
                    *await self._screen_on_its_own(event),
                    Reply(texts.SOMETHING_WRONG),
                ]
        return "busy", [*await self._screen_on_its_own(event), Reply(texts.BUSY)]

    async def _screen_on_its_own(self, event: Event) -> list[Reply]:
        """When an event fails, still screen its words: the alert and help must not be lost."""
        if not isinstance(event, Text) or not event.address.private:
            return []
        if not self._safeguarding.terms.find(event.text):
            return []
        try:
            async with self._uow_factory() as uow:
                address = event.address
                participant = await uow.participants.find_by_identity(
                    address.platform, address.user_id
                )
                flow = SafeguardingFlow(uow, self._clock.now(), self._safeguarding)
                await flow.screen(address, participant, event.text)
                await uow.commit()
        except Exception:
            log.exception("safeguarding alert could not be stored for a failed event")
        return [self._safeguarding.help_message()]

    async def check_database(self) -> None:
        """Make one round trip to the database; raises if it cannot be reached."""
        async with self._uow_factory() as uow:
            await uow.ping()

    async def gauges(self) -> list[Reading]:
        """What monitoring reads from storage (``core.measures.GAUGES``), in one snapshot."""
        return await read_gauges(self._uow_factory)

    async def mark_unreachable(self, platform: Platform, user_id: str) -> None:
        """Remember that a person blocked the bot, so nothing more is sent to them."""
        async with self._uow_factory() as uow:
            await uow.participants.mark_unreachable(platform, user_id)
            await uow.commit()

    async def forget_old_deliveries(self, keep: timedelta = KEEP_DELIVERY_KEYS) -> int:
        """Drop delivery keys older than ``keep``; how many were dropped."""
        async with self._uow_factory() as uow:
            dropped = await uow.handled.forget_before(self._clock.now() - keep)
            await uow.commit()
        return dropped

    async def queue_broadcast(
        self,
        broadcast: str,
        participant_ids: list[int],
        reply: Reply,
        priority: int = NORMAL,
        kind: str = DIRECT,
    ) -> int:
        """Queue one message per participant in the outbox; how many were newly queued.

        ``kind`` (``UPDATE``, ``BIG_NEWS``) is checked against each person's choice of what to
        hear about when the message is sent, so a changed choice counts at once.
        """
        payload = reply_to_payload(reply) | {"kind": kind}
        async with self._uow_factory() as uow:
            added = await uow.deliveries.queue(
                broadcast, participant_ids, payload, priority, self._clock.now()
            )
            await uow.commit()
        return added

    async def send_pause_reminders(self) -> int:
        """Queue the reminders people asked for when they paused; how many were queued.

        Each is sent at most once, and only if the dialog is still paused. They wait out the
        quiet hours and are not sent to someone who has stopped messages.
        """
        now = self._clock.now()
        queued = 0
        async with self._uow_factory() as uow:
            flow = DialogFlow(uow, now, self._onboarding, privacy=self._privacy)
            for session_id, participant_id in await uow.reminders.due(now):
                session = await uow.sessions.get(session_id)
                await uow.reminders.remove(session_id)
                if session is None or session.status != SessionStatus.PAUSED:
                    continue
                reply = await flow.paused_reminder(session)
                consultation = None
                if session.consultation_id is not None:
                    consultation = await uow.consultations.get(session.consultation_id)
                forum = consultation.forum_id if consultation is not None else None
                payload = reply_to_payload(reply) | {"kind": REMINDER, FORUM: forum}
                queued += await uow.deliveries.queue(
                    f"reminder:{session_id}", [participant_id], payload, NORMAL, now
                )
            await uow.commit()
        return queued

    async def send_progress_updates(self) -> int:
        """Queue the progress updates commissioners timed for now or earlier; how many queued.

        Each timed update is taken from storage as it is queued, in one transaction, so it goes
        once, also when it fell due while the bot was down. The scheduler calls it every
        ``PROGRESS_CHECK_EVERY``.
        """
        now = self._clock.now()
        queued = 0
        async with self._uow_factory() as uow:
            book = OutcomeBook(uow, now)
            for outcome_id, due in await uow.progress_updates.take_due(now):
                queued += await book.send_progress_update(outcome_id, due)
            await uow.commit()
        return queued

    async def send_weekly_digests(self) -> int:
        """Queue this week's round-ups (from Saturday on, once a week); how many were queued.

        The scheduler calls it every ``DIGEST_CHECK_EVERY``; running it again is harmless.
        """
        async with self._uow_factory() as uow:
            queued = await queue_weekly_digests(uow, self._clock.now(), self._zone)
            await uow.commit()
        return queued

    async def resend_unacknowledged_alerts(self, older_than: timedelta = RESEND_ALERTS) -> int:
        """Queue again every unacknowledged safeguarding alert last sent ``older_than`` ago.

        The lead gets it again, and from the second round on the deputies too. Alerts are
        stored, so this also re-sends alerts from before a restart. The scheduler calls it every
        ``RESEND_CHECK_EVERY``. Returns how many alerts were sent again.
        """
        for _ in range(ATTEMPTS):
            try:
                async with self._uow_factory() as uow:
                    flow = SafeguardingFlow(uow, self._clock.now(), self._safeguarding)
                    sent = await flow.resend(older_than)
                    await uow.commit()
                return sent
            except ConcurrentChange:
                continue
        return 0

    async def forget_old_answers(self) -> int:
        """Remove typed answers older than their consultation's retention period, keeping counts.

        The scheduler calls it every ``RETENTION_CHECK_EVERY``. Returns how many were removed.
        """
        async with self._uow_factory() as uow:
            removed = await expire_typed_answers(uow, self._clock.now())
            await uow.commit()
        return removed

    async def answer_totals(self, slug: str) -> dict[str, tuple[int, int]]:
        """How many answered and skipped each question of a consultation, erased ones too."""
        async with self._uow_factory() as uow:
            consultation = await uow.consultations.get_by_slug(slug)
            if consultation is None:
                raise UnknownConsultation(slug)
            return await uow.personal_data.answer_totals(consultation.id)

    async def person_data(self, platform: Platform, user_id: str) -> dict[str, Any] | None:
        """Everything held about the person behind a chat account (as ``/mydata``), or None.

        For organisers handling a request made outside the bot (``yousaid person export``).
        """
        async with self._uow_factory() as uow:
            participant = await uow.participants.find_by_identity(platform, user_id)
            if participant is None:
                return None
            return await MyData(uow, self._clock.now()).record(participant)

    async def forget_person(self, platform: Platform, user_id: str) -> bool:
        """Erase the person behind a chat account, as ``/forgetme`` does; False if unknown."""
        async with self._uow_factory() as uow:
            participant = await uow.participants.find_by_identity(platform, user_id)
            if participant is None:
                return False
            await erase(uow, participant.id)
            await uow.commit()
        log.info("a person was erased on request from the command line")
        return True

    async def make_invite_codes(
        self, platform: Platform, group_id: str, count: int, expires_at: datetime
    ) -> list[str]:
        """Invite codes for children under 13 to join a forum (only their hashes are kept).

        Give each one out once a parent or carer has agreed. ValueError for a bad count or date.
        """
        now = self._clock.now()
        if not 1 <= count <= MAX_INVITE_CODES:
            raise ValueError(f"make between 1 and {MAX_INVITE_CODES} codes at a time")
        if expires_at <= now:
            raise ValueError("the codes must run out in the future")
        codes = new_invite_codes(count)
        async with self._uow_factory() as uow:
            forum = await uow.forums.register(platform, group_id, "", now)
            hashes = [invite_code_hash(code) for code in codes]
            await uow.invites.add(forum.id, hashes, expires_at, now)
            await uow.commit()
        return codes

    async def alerts(self, include_acknowledged: bool = False) -> list[Alert]:
        """Safeguarding alerts nobody has acknowledged yet (or all), oldest first."""
        async with self._uow_factory() as uow:
            return await uow.alerts.list_alerts(include_acknowledged)

    async def acknowledge_alert(self, alert_id: int, by: str) -> tuple[Acknowledged, Alert | None]:
        """Mark an alert as seen (from the command line, say): no more re-sending."""
        for _ in range(ATTEMPTS):
            try:
                async with self._uow_factory() as uow:
                    flow = SafeguardingFlow(uow, self._clock.now(), self._safeguarding)
                    outcome = await flow.acknowledge(alert_id, by)
                    await uow.commit()
                return outcome
            except ConcurrentChange:
                continue
        raise ConcurrentChange(f"safeguarding alert {alert_id} kept changing")

    async def chase_red_cards(self, older_than: timedelta | None = None) -> int:
        """Chase red cards waiting for an answer too long (by default the configured time).

        Each such card's author is asked again and the forum's other organisers are told, once
        per period. Cards are stored, so this also chases cards from before a restart. The
        scheduler calls it every ``CHASE_CHECK_EVERY``. Returns how many cards were chased.
        """
        for _ in range(ATTEMPTS):
            try:
                async with self._uow_factory() as uow:
                    flow = RedCardFlow(uow, self._clock.now())
                    chased = await flow.chase(older_than or self._chase_after)
                    await uow.commit()
                return chased
            except ConcurrentChange:
                continue
        return 0

    async def red_card_report(self, forum_id: int | None = None) -> list[CardReport]:
        """Every red card (of one forum, or all) with its forum, author and message kind."""
        async with self._uow_factory() as uow:
            return await uow.red_cards.report(forum_id)

    async def find_forum(self, reference: str) -> Forum | None:
        """A forum by its number, or by ``platform:group`` (``telegram:-100123``)."""
        async with self._uow_factory() as uow:
            return await _forum_by_reference(uow, reference)

    async def forum_hours(
        self, reference: str, changes: Mapping[str, str] | None = None
    ) -> ForumHours | None:
        """A forum's own hours, after ``changes`` (``{"school": "off"}``); None if no forum.

        Each change is hours like ``21:00-08:00``, ``off`` or ``usual``; ValueError if bad.
        """
        async with self._uow_factory() as uow:
            forum = await _forum_by_reference(uow, reference)
            if forum is None:
                return None
            hours = await uow.forum_hours.get(forum.id)
            for kind, value in (changes or {}).items():
                hours = changed(hours, kind, value)
            if changes:
                await uow.forum_hours.set(hours, self._clock.now())
                await uow.commit()
        return hours

    @property
    def usual_hours(self) -> SendHours:
        """The deployment's quiet and school hours."""
        return self._hours

    async def forum_terms(self, forum_id: int) -> dict[str, str]:
        """A forum's own glossary."""
        async with self._uow_factory() as uow:
            return await uow.forum_terms.terms(forum_id)

    async def add_forum_terms(self, forum_id: int, terms: Mapping[str, str]) -> int:
        """Add terms to a forum's glossary (replacing ones it has) in one transaction."""
        async with self._uow_factory() as uow:
            for term, explanation in terms.items():
                await uow.forum_terms.add(forum_id, term, explanation, self._clock.now())
            await uow.commit()
        return len(terms)

    async def add_outcome(
        self,
        by: Address,
        slug: str,
        words: OutcomeWords,
        status: OutcomeStatus = OutcomeStatus.PLANNED,
        progress: int = 0,
        question_ids: Sequence[str] = (),
    ) -> Outcome:
        """Publish what was done about a consultation, as ``by`` (a commissioner or admin).

        Everyone who answered (the linked questions) gets a thank-you. OutcomeError, with a
        plain message, for a refusal or words that are not plain.
        """
        async with self._uow_factory() as uow:
            book = await self._outcome_writer(uow, by)
            outcome = await book.add(slug, words, status, progress, list(question_ids))
            await uow.commit()
        return outcome

    async def update_outcome(self, by: Address, outcome_id: int, change: OutcomeChange) -> Outcome:
        """Change an outcome, as ``by``; a new stage thanks the contributors again."""
        async with self._uow_factory() as uow:
            book = await self._outcome_writer(uow, by)
            outcome = await book.update(outcome_id, change)
            await uow.commit()
        return outcome

    async def outcomes(self, slug: str) -> list[tuple[Outcome, dict[str, int]]]:
        """A consultation's outcomes, each with its feedback counts (OutcomeError if unknown)."""
        async with self._uow_factory() as uow:
            return await OutcomeBook(uow, self._clock.now()).of_consultation(slug)

    async def _outcome_writer(self, uow: UnitOfWork, by: Address) -> OutcomeBook:
        now = self._clock.now()
        refused = await Authority(uow, now, self._roles).check(by, "outcome")
        if refused is not None:
            await uow.commit()
            raise OutcomeError(refused.text)
        return OutcomeBook(uow, now)

    async def delete_seen_alerts(self, before: datetime) -> int:
        """Delete acknowledged alerts raised before ``before``, under the lead's retention rules.

        Their copies in the outbox go too. Unacknowledged alerts are never deleted.
        """
        async with self._uow_factory() as uow:
            deleted = await uow.alerts.delete_seen_before(before)
            await uow.commit()
        log.info("%d acknowledged safeguarding alerts deleted", deleted)
        return deleted

    def delivery_worker(self, senders: Mapping[Platform, Sender]) -> DeliveryWorker:
        """A worker that sends queued messages through the given adapters' senders."""
        return DeliveryWorker(
            self._uow_factory,
            senders,
            self._clock,
            quiet=self._hours.quiet,
            zone=self._zone,
            school=self._hours.school,
            lease=self._lease,
        )

    async def open_ballot(
        self,
        platform: Platform,
        group_id: str,
        chat_id: str,
        question: str,
        options: list[str],
        method: Method = "plurality",
        seats: int = 1,
        ron: bool = False,
        opens_at: datetime | None = None,
        closes_at: datetime | None = None,
        min_turnout: int = 5,
        electorate: Electorate = Electorate.MEMBERS,
        codes: int = 0,
        posted: bool = False,
    ) -> tuple[Ballot, Reply, list[str]]:
        """Open a secret ballot for a forum's group (from the command line, say).

        Returns the ballot, its announcement and, for an electorate of code holders, the
        invite codes (shown only here: only their hashes are kept). Unless ``posted``, the
        announcement is also handed out by ``close_due_ballots`` for the running bot to post.
        Raises ``BallotError`` (with a plain message) for a ballot that can't be opened.
        """
        now = self._clock.now()
        spec = BallotSpec(
            question=question,
            options=options,
            method=method,
            seats=seats,
            ron=ron,
            min_turnout=min_turnout,
            codes=codes,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        async with self._uow_factory() as uow:
            forum = await uow.forums.register(platform, group_id, "", now)
            admin = BallotAdmin(uow, now, self._zone)
            opened = await admin.open(forum, chat_id, spec, posted, electorate)
            await uow.commit()
        return opened

    async def close_due_ballots(self) -> list[Announcement]:
        """Open and close ballots whose time has come; the announcements now due.

        Each ballot is opened or closed (sealed and counted) in its own transaction. The
        announcements are every opening not posted yet and every result not announced yet,
        whenever the ballot closed (also before a restart). Send each to its chat, then call
        ``mark_announced(ballot_id, kind)``: until then it is handed out again.
        """
        now = self._clock.now()
        async with self._uow_factory() as uow:
            opening, closing = await uow.ballots.due(now)
        for ballot in opening:
            await self._in_one_transaction(ballot, lambda admin, b: admin.start_voting(b))
        for ballot in closing:
            await self._in_one_transaction(ballot, lambda admin, b: admin.close(b))
        announcements = []
        async with self._uow_factory() as uow:
            admin = BallotAdmin(uow, now, self._zone)
            for ballot in await uow.ballots.to_announce():
                platform = Platform(ballot.platform)
                if ballot.status == BallotStatus.CLOSED:
                    reply = await admin.results(ballot)
                    kind = RESULTS
                else:
                    reply, kind = opening_reply(ballot, self._zone), OPENING
                announcements.append(Announcement(platform, ballot.chat_id, reply, ballot.id, kind))
        return announcements

    async def announce_ballots(self, posters: Mapping[Platform, ChatPoster]) -> int:
        """Open and close ballots that are due, and post their announcements in their chats.

        Each announcement goes through the poster for its platform and is marked as announced
        once it is in the chat; one that could not be posted (or has no poster in this process)
        is tried again next time. The scheduler calls it every ``BALLOT_CHECK_EVERY``. Returns
        how many were posted.
        """
        posted = 0
        for announcement in await self.close_due_ballots():
            poster = posters.get(announcement.platform)
            if poster is None or not await poster.post(announcement.chat_id, announcement.reply):
                continue
            await self.mark_announced(announcement.ballot_id, announcement.kind)
            posted += 1
        return posted

    async def announce_polls(self, posters: Mapping[Platform, ChatPoster]) -> int:
        """Close quick polls whose time has come, and post their final results in their chats.

        Closing is one transaction; each result is marked as posted once it is in the chat, so
        one that could not be posted is tried again next time. Returns how many were posted.
        """
        async with self._uow_factory() as uow:
            await ForumFlow(uow, self._clock.now(), self._zone).close_due_polls()
            await uow.commit()
        async with self._uow_factory() as uow:
            flow = ForumFlow(uow, self._clock.now(), self._zone)
            ready = []
            for poll in await uow.polls.to_announce():
                forum = await uow.forums.get(poll.forum_id)
                if forum is not None:
                    ready.append((forum.platform, poll, await flow.final_results(poll)))
        posted = 0
        for platform, poll, reply in ready:
            poster = posters.get(Platform(platform))
            if poster is None or not await poster.post(poll.chat_id, reply):
                continue
            async with self._uow_factory() as uow:
                await uow.polls.mark_announced(poll.id)
                await uow.commit()
            posted += 1
        return posted

    async def _in_one_transaction(self, ballot: Ballot, step: _BallotStep) -> None:
        try:
            async with self._uow_factory() as uow:
                await step(BallotAdmin(uow, self._clock.now(), self._zone), ballot)
                await uow.commit()
        except ConcurrentChange:
            log.info("ballot %d: changed by another worker; left to it", ballot.id)
        except Exception:
            log.exception("ballot %d: could not open or close it; will try again", ballot.id)

    async def mark_announced(self, ballot_id: int, kind: str = RESULTS) -> None:
        """Remember that a ballot's opening (``kind="opening"``) or results are in the chat."""
        async with self._uow_factory() as uow:
            if kind == OPENING:
                await uow.ballots.mark_posted(ballot_id)
            else:
                await uow.ballots.mark_announced(ballot_id)
            await uow.commit()

    async def add_consultation(self, script_yaml: str, source: str = "<script>") -> Consultation:
        """Publish a consultation from a validated script; the script's id is its short name."""
        script = _consultation_script(script_yaml, source)
        async with self._uow_factory() as uow:
            consultation = await self._publish(uow, script, script_yaml)
            await uow.commit()
        return consultation

    async def add_missing_consultations(self, files: list[ScriptFile]) -> list[Consultation]:
        """Publish each validated consultation script whose consultation does not exist yet.

        Instances starting together may race to publish the same ones: the loser looks again.
        """
        for _ in range(ATTEMPTS):
            try:
                added = []
                async with self._uow_factory() as uow:
                    for file in files:
                        if await uow.consultations.get_by_slug(file.script.id) is None:
                            added.append(await self._publish(uow, file.script, file.text))
                    await uow.commit()
                return added
            except ConcurrentChange:
                continue
        raise ConcurrentChange("the shipped consultations kept changing")

    async def _publish(self, uow: UnitOfWork, script: Script, script_yaml: str) -> Consultation:
        assert script.stage is not None
        return await uow.consultations.add(
            script.id,
            script.title,
            script.summary,
            Stage(script.stage),
            script_yaml,
            self._clock.now(),
        )


_BallotStep = Callable[[BallotAdmin, Ballot], Awaitable[object]]


async def _forum_by_reference(uow: UnitOfWork, reference: str) -> Forum | None:
    platform, _, group = reference.strip().partition(":")
    if not group:
        return await uow.forums.get(int(platform)) if platform.isdigit() else None
    if platform not in set(Platform):
        return None
    return await uow.forums.find(Platform(platform), group)


def _consultation_script(script_yaml: str, source: str) -> Script:
    script = parse_script(script_yaml, source)
    if script.kind != "consultation":
        raise ValueError(f"{source}: this script is not a consultation")
    return script
