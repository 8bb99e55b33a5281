"""Two `yousaid run` instances behind a load balancer, on one PostgreSQL database.

Telegram (the fake Bot API) posts updates to the instances in turn and now and then posts one
again to the other instance, as Telegram does when an answer is late. Both instances run a
delivery worker on the shared outbox; one of them runs the scheduler.
"""

import asyncio
import itertools
import signal

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bots.wiring import open_core
from core.messages import Platform, Reply
from core.results import export_results
from tests.telegram.people import Member
from tests.telegram.test_process import free_port, start_process

SECRET = "scale-out-secret"
PUBLIC_URL = "https://yousaid.example.org/telegram"
NEWS = "The council said yes to the new youth space. Thank you for your ideas!"
PEOPLE = 6
RECIPIENTS = 300
WARD_TIME = ["where", "ward_days", "feel", "helps", "matters", "change", "more"]


async def get(url):
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def until(predicate, within):
    async def wait():
        while not await predicate():  # noqa: ASYNC110 - polls servers and the database
            await asyncio.sleep(0.2)

    await asyncio.wait_for(wait(), within)


def updates_by_outcome(text):
    totals = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "yousaid_updates_total":
                outcome = sample.labels["outcome"]
                totals[outcome] = totals.get(outcome, 0) + sample.value
    return totals


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_instances_share_updates_outbox_and_scheduler_with_no_double_sends(
    api, tmp_path, database_url
):
    ports = [free_port(), free_port()]
    api.redeliver_every = 5
    api.balance([f"http://127.0.0.1:{port}/telegram" for port in ports])
    processes = await asyncio.gather(
        *(
            start_process(
                api,
                tmp_path,
                database_url,
                YOUSAID_TELEGRAM_API_BASE=f"{api.url}/{name}",
                YOUSAID_TELEGRAM_WEBHOOK_URL=PUBLIC_URL,
                YOUSAID_TELEGRAM_WEBHOOK_SECRET=SECRET,
                YOUSAID_TELEGRAM_LISTEN=f"127.0.0.1:{port}",
                YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND="20",
            )
            for name, port in zip("ab", ports, strict=True)
        )
    )
    stderr = []
    try:

        async def both_healthy():
            statuses = [(await get(f"http://127.0.0.1:{port}/healthz"))[0] for port in ports]
            return statuses == [200, 200]

        await until(both_healthy_or_fail(both_healthy, processes), 90)
        assert api.webhook["url"] == PUBLIC_URL and api.webhook["secret_token"] == SECRET

        people = [Member(api, 3001 + number) for number in range(PEOPLE)]

        async def take_part(person):
            await person.onboard("ward_time")
            await person.answer_all()

        await asyncio.gather(*(take_part(person) for person in people))
        assert all("Question " not in person.last.text for person in people)
        await api.posted()
        pushed = len(api.pushed)
        assert {backend for backends in api.delivered.values() for backend in backends} == {0, 1}
        repeated = sum(len(backends) - 1 for backends in api.delivered.values())
        assert repeated == pushed // 5

        async with open_core(database_url, with_bundled=False) as core:
            rows = await export_results(core._uow_factory, "ward_time")
            async with core._uow_factory() as uow:
                ids = [
                    (await uow.participants.add(Platform.TELEGRAM, str(5000 + n), _now())).id
                    for n in range(RECIPIENTS - PEOPLE)
                ]
                for person in people:
                    found = await uow.participants.find_by_identity(
                        Platform.TELEGRAM, str(person.id)
                    )
                    ids.append(found.id)
                await uow.commit()
            assert await core.queue_broadcast("news:1", ids, Reply(NEWS)) == RECIPIENTS

            async def all_sent():
                async with core._uow_factory() as uow:
                    return await uow.deliveries.status_counts("news:1") == {"sent": RECIPIENTS}

            await until(all_sent, 90)

        metrics = [(await get(f"http://127.0.0.1:{port}/metrics"))[1] for port in ports]
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            _, err = await asyncio.wait_for(process.communicate(), 60)
            stderr.append(err.decode())
    assert [process.returncode for process in processes] == [0, 0], stderr

    assert sorted({row.respondent for row in rows}) == list(range(1, PEOPLE + 1))
    for respondent in range(1, PEOPLE + 1):
        answered = [row.question_id for row in rows if row.respondent == respondent]
        assert answered == WARD_TIME

    for person in people:
        texts = api.texts(person.id)
        assert all(a != b for a, b in itertools.pairwise(texts)), texts
        questions = [text.split("\n")[0] for text in texts if text.startswith("Question ")]
        assert len(questions) == len(set(questions)), questions

    news = {
        chat: [message for message in sent if message.text == NEWS]
        for chat, sent in api.messages.items()
    }
    assert sum(len(sent) for sent in news.values()) == RECIPIENTS
    assert all(len(sent) <= 1 for sent in news.values())
    senders = {message.instance for sent in news.values() for message in sent}
    assert senders == {"a", "b"}, "both instances' workers sent part of the broadcast"

    totals = [updates_by_outcome(text) for text in metrics]
    assert sum(total.get("answered", 0) for total in totals) == pushed
    assert sum(total.get("repeated", 0) for total in totals) == repeated
    assert all(total.get("answered", 0) > 0 for total in totals)

    leaders = [log.count("this process now runs the scheduler") for log in stderr]
    assert sorted(leaders) == [0, 1], "one scheduler leader by advisory lock"
    assert all("Traceback" not in log for log in stderr), stderr


def both_healthy_or_fail(check, processes):
    async def predicate():
        for process in processes:
            if process.returncode is not None:
                _, err = await process.communicate()
                raise AssertionError(err.decode()[-3000:])
        try:
            return await check()
        except aiohttp.ClientError:
            return False

    return predicate


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
