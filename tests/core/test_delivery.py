import asyncio
import contextlib
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.config import QuietHours
from core.delivery import (
    BIG_NEWS,
    MAX_ATTEMPTS,
    SAFEGUARDING_FIRST,
    DeliveryWorker,
    Rejected,
    RetryAfter,
    Sent,
    Transient,
    Unreachable,
    reply_to_payload,
)
from core.messages import Button, Platform, Reply


class Clock:
    def __init__(self):
        self.moment = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def now(self):
        return self.moment

    def advance(self, seconds):
        self.moment += timedelta(seconds=seconds)


class Phone:
    """Our own Sender port, as an adapter would implement it: records what it was given."""

    def __init__(self, script=None):
        self.received = []
        self.script = script or {}

    async def send(self, user_id, reply):
        planned = self.script.get(user_id)
        outcome = planned.pop(0) if planned else Sent()
        if isinstance(outcome, Sent):
            self.received.append((user_id, reply.text))
        await asyncio.sleep(0)
        return outcome


async def people(uow, count, platform=Platform.TELEGRAM, prefix="u"):
    ids = []
    async with uow() as unit:
        for n in range(count):
            ids.append((await unit.participants.add(platform, f"{prefix}{n}", Clock().now())).id)
        await unit.commit()
    return ids


async def queue(uow, clock, broadcast, ids, text="News!", priority=5):
    async with uow() as unit:
        added = await unit.deliveries.queue(
            broadcast, ids, reply_to_payload(Reply(text)), priority, clock.now()
        )
        await unit.commit()
    return added


async def drain(worker):
    while await worker.run_once():
        pass


async def counts(uow, broadcast=None):
    async with uow() as unit:
        return await unit.deliveries.status_counts(broadcast)


async def test_each_recipient_gets_one_message_and_requeueing_is_harmless(uow):
    clock, phone = Clock(), Phone()
    ids = await people(uow, 60)
    assert await queue(uow, clock, "outcome:1", ids) == 60
    assert await queue(uow, clock, "outcome:1", ids) == 0
    await drain(DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock, batch=25))
    assert Counter(user for user, _ in phone.received) == {f"u{n}": 1 for n in range(60)}
    assert await counts(uow) == {"sent": 60}


async def test_buttons_survive_the_outbox():
    reply = Reply("Hi", ((Button("v:1:0", "Yes"), Button("", "Open", private_start="ward")),))
    from core.delivery import payload_to_reply

    assert payload_to_reply(reply_to_payload(reply)) == reply


async def test_waits_retries_and_gives_up_by_kind_of_error(uow):
    clock = Clock()
    ids = await people(uow, 4)
    phone = Phone(
        {
            "u0": [RetryAfter(30)] * (MAX_ATTEMPTS + 2),
            "u1": [Transient("502 Bad Gateway")] * MAX_ATTEMPTS,
            "u2": [Unreachable("bot was blocked by the user")],
            "u3": [Rejected("400 chat not found")],
        }
    )
    worker = DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock)
    await queue(uow, clock, "b", ids)
    for _ in range(MAX_ATTEMPTS + 3):
        await drain(worker)
        clock.advance(400)
    await drain(worker)
    assert phone.received == [("u0", "News!")], "a 429 never uses up attempts"
    assert await counts(uow) == {"sent": 1, "failed": 3}
    async with uow() as unit:
        blocked = await unit.participants.find_by_identity(Platform.TELEGRAM, "u2")
    assert blocked.unreachable
    await queue(uow, clock, "later", [ids[2]])
    await drain(worker)
    assert await counts(uow, "later") == {"failed": 1}, "nothing more is tried for a blocker"


async def test_a_worker_that_dies_mid_batch_causes_at_most_one_duplicate(uow):
    clock, phone = Clock(), Phone()
    ids = await people(uow, 10)
    await queue(uow, clock, "b", ids)
    async with uow() as unit:
        leased = await unit.deliveries.claim(4, clock.now(), timedelta(seconds=60), ["telegram"])
        await unit.commit()
    for delivery in leased[:2]:
        phone.received.append((delivery.user_id, "News!"))  # sent, then the worker died
    worker = DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock)
    await drain(worker)
    assert len(phone.received) == 2 + 6, "leased rows wait for their lease to run out"
    clock.advance(61)
    await drain(worker)
    sent = Counter(user for user, _ in phone.received)
    assert set(sent) == {f"u{n}" for n in range(10)}
    assert max(sent.values()) == 2 and sum(sent.values()) == 12


class DyingPhone(Phone):
    """Takes a few messages, then the process dies: the rest of its batch stays claimed."""

    def __init__(self, lives):
        super().__init__()
        self.lives = lives

    async def send(self, user_id, reply):
        if len(self.received) == self.lives:
            raise SystemExit("killed")
        return await super().send(user_id, reply)


async def test_a_shorter_lease_sends_again_sooner_after_a_crash(uow):
    clock, phone = Clock(), Phone()
    ids = await people(uow, 6)
    await queue(uow, clock, "b", ids)
    dying = DyingPhone(lives=2)
    short = DeliveryWorker(uow, {Platform.TELEGRAM: dying}, clock, lease=timedelta(seconds=5))
    with contextlib.suppress(SystemExit):
        await short.run_once()
    worker = DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock)
    clock.advance(4)
    await drain(worker)
    assert phone.received == [], "claimed rows wait for the dead worker's lease"
    clock.advance(2)
    await drain(worker)
    sent = Counter(user for user, _ in dying.received + phone.received)
    assert set(sent) == {f"u{n}" for n in range(6)}
    assert set(sent.values()) == {1}, "the rest go once the lease is over, nothing twice"


async def test_two_workers_share_one_outbox_without_double_sends(uow):
    clock, phone = Clock(), Phone()
    ids = await people(uow, 120)
    await queue(uow, clock, "b", ids)
    workers = [DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock, batch=10) for _ in range(2)]
    await asyncio.gather(*(drain(worker) for worker in workers))
    assert Counter(Counter(user for user, _ in phone.received).values()) == {1: 120}


async def test_safeguarding_alerts_go_first(uow):
    clock, phone = Clock(), Phone()
    ids = await people(uow, 5)
    await queue(uow, clock, "news", ids[:4], "News")
    await queue(uow, clock, "alert:1", ids[4:], "Alert", priority=SAFEGUARDING_FIRST)
    await DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock, batch=1).run_once()
    assert phone.received == [("u4", "Alert")]


async def test_forgetting_a_person_removes_their_queued_messages(uow):
    clock = Clock()
    ids = await people(uow, 2)
    await queue(uow, clock, "b", ids)
    async with uow() as unit:
        await unit.participants.delete(ids[0])
        await unit.commit()
    assert await counts(uow) == {"pending": 1}


async def test_a_worker_takes_only_deliveries_for_its_own_platforms(uow):
    clock, phone = Clock(), Phone()
    on_telegram = await people(uow, 3)
    on_discord = await people(uow, 2, Platform.DISCORD, prefix="d")
    await queue(uow, clock, "b", on_discord + on_telegram)
    await drain(DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock))
    assert sorted(user for user, _ in phone.received) == ["u0", "u1", "u2"]
    assert await counts(uow) == {"sent": 3, "pending": 2}, "nothing left leased or lost"


async def test_news_waits_out_the_quiet_hours_and_what_people_are_owed_does_not(uow):
    clock, phone = Clock(), Phone()
    clock.moment = datetime(2026, 11, 23, 21, 30, tzinfo=UTC)  # 21:30 in London in winter
    ids = await people(uow, 3)
    async with uow() as unit:
        news = reply_to_payload(Reply("News!")) | {"kind": BIG_NEWS}
        await unit.deliveries.queue("news:1", ids, news, 5, clock.now())
        await unit.commit()
    await queue(uow, clock, "answer:1", ids[:1], text="Your answer is saved.")
    await queue(uow, clock, "alert:1", ids[1:2], text="Alert", priority=SAFEGUARDING_FIRST)
    quiet = QuietHours(time(21, 0), time(8, 0))
    worker = DeliveryWorker(uow, {Platform.TELEGRAM: phone}, clock, quiet=quiet)
    await drain(worker)
    assert sorted(phone.received) == [("u0", "Your answer is saved."), ("u1", "Alert")]
    assert await counts(uow, "news:1") == {"pending": 3}, "deferred, never dropped"
    clock.moment = datetime(2026, 11, 24, 7, 59, tzinfo=UTC)
    await drain(worker)
    assert await counts(uow, "news:1") == {"pending": 3}
    clock.moment = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    await drain(worker)
    assert await counts(uow, "news:1") == {"sent": 3}
    assert [text for _, text in phone.received].count("News!") == 3


def test_quiet_hours_end_the_next_morning_or_the_same_day():
    quiet = QuietHours(time(21, 0), time(8, 0))
    london = ZoneInfo("Europe/London")
    evening = datetime(2026, 6, 1, 22, 15, tzinfo=london)
    assert quiet.over_at(evening) == datetime(2026, 6, 2, 8, 0, tzinfo=london)
    early = datetime(2026, 6, 2, 6, 0, tzinfo=london)
    assert quiet.over_at(early) == datetime(2026, 6, 2, 8, 0, tzinfo=london)
    assert quiet.over_at(datetime(2026, 6, 2, 12, 0, tzinfo=london)) is None
    school = QuietHours(time(9, 0), time(15, 0))
    assert school.over_at(datetime(2026, 6, 2, 10, 0, tzinfo=london)).hour == 15
