"""/healthz and /metrics of a running bot, and logs that keep tokens and people's words out."""

import asyncio
import json
import os
import signal

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import make_url

from bots.telegram.app import run_telegram
from bots.web_server import WebServer
from bots.wiring import open_core
from core.config import Settings
from tests.telegram.fake_bot_api import TOKEN, Fault
from tests.telegram.people import Member
from tests.telegram.test_process import YOUSAID, free_port, start_process

OWN_WORDS = "My nan's flat on Kestrel Road 4471 is too cold"
WORRYING = "sometimes I want to kill myself"


async def get(url):
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, response.headers.get("Content-Type", ""), await response.text()


async def health_command(port):
    """`yousaid health` as the container's health check runs it: exit code and what it said."""
    process = await asyncio.create_subprocess_exec(
        YOUSAID,
        "health",
        env={**os.environ, "YOUSAID_HTTP_LISTEN": f"0.0.0.0:{port}"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, (out + err).decode().strip()


def samples(text):
    """Every sample in a Prometheus text exposition: {(name, labels): value}."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def answer_with_own_words(member):
    """Take the consultation, typing OWN_WORDS wherever words are asked for."""
    for _ in range(30):
        if "Question " not in member.last.text:
            return
        if member.last.buttons() and any(
            b["text"] not in ("⏸ Pause", "Skip") for b in member.last.buttons()
        ):
            await member.answer_current()
        else:
            await member.say(OWN_WORDS)
    raise AssertionError(member.last.text)


async def test_a_running_bot_reports_health_and_metrics_and_logs_json_without_secrets(
    api, tmp_path, database_url
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = await start_process(
        api,
        tmp_path,
        database_url,
        YOUSAID_HTTP_LISTEN=f"127.0.0.1:{port}",
        YOUSAID_LOG_FORMAT="json",
        YOUSAID_TELEGRAM_MESSAGES_PER_SECOND="500",
    )
    try:
        await api.wait_for(lambda: "getUpdates" in [c for c, _ in api.calls], 60)
        status, kind, body = await get(f"{base}/healthz")
        assert (status, json.loads(body)) == (
            200,
            {"status": "ok", "database": "ok", "adapters": {"telegram": "connected"}},
        )
        assert kind.startswith("application/json")
        code, said = await health_command(port)
        assert code == 0 and json.loads(said)["status"] == "ok"

        ada = Member(api, 901)
        await ada.onboard("ward_time")
        await answer_with_own_words(ada)
        await ada.say(WORRYING)
        status, kind, text = await get(f"{base}/metrics")
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, stderr.decode()[-2000:]
    code, said = await health_command(port)
    assert code == 1 and said.startswith(f"No answer from http://127.0.0.1:{port}/healthz")
    assert status == 200 and kind.startswith("text/plain; version=0.0.4")
    pushed = len(api.pushed)
    metric = samples(text)
    answered = metric[
        ("yousaid_updates_total", (("outcome", "answered"), ("platform", "telegram")))
    ]
    assert answered == pushed
    assert metric[("yousaid_handling_seconds_count", (("platform", "telegram"),))] == pushed
    assert metric[("yousaid_replies_sent_total", (("platform", "telegram"),))] >= pushed
    assert metric[("yousaid_safeguarding_alerts_unacknowledged", ())] == 1
    assert metric[("yousaid_deliveries", (("state", "pending"),))] == 0
    assert ("yousaid_deliveries", (("state", "failed"),)) in metric

    log = stderr.decode()
    lines = log.strip().splitlines()
    entries = [json.loads(line) for line in lines]
    assert {"time", "level", "logger", "message"} <= set(entries[0])
    assert f"web server listening on 127.0.0.1:{port}" in [e["message"] for e in entries]
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    for words in (OWN_WORDS, "Kestrel", WORRYING, "kill myself"):
        assert words not in log
    password = make_url(database_url).password
    assert not password or password not in log


async def test_healthz_is_503_while_an_adapter_is_not_connected_and_the_database_is_gone(
    database_url,
):
    port = free_port()
    async with open_core(database_url) as core:
        server = WebServer(core)
        await server.listen("127.0.0.1", port)
        try:
            server.expect("telegram")
            status, _, body = await get(f"http://127.0.0.1:{port}/healthz")
            assert status == 503
            assert json.loads(body)["adapters"] == {"telegram": "not connected"}
            server.report("telegram", True)
            assert (await get(f"http://127.0.0.1:{port}/healthz"))[0] == 200
            if make_url(database_url).get_backend_name() != "postgresql":
                return
            await _drop_connections(database_url)
            await _block_connections(database_url)
            status, _, body = await get(f"http://127.0.0.1:{port}/healthz")
            assert (status, json.loads(body)["database"]) == (503, "unreachable")
            assert (await get(f"http://127.0.0.1:{port}/metrics"))[0] == 503
            await _block_connections(database_url, allow=True)
            assert (await get(f"http://127.0.0.1:{port}/healthz"))[0] == 200
        finally:
            await server.close()


async def _admin(database_url):
    import asyncpg

    url = make_url(database_url).set(drivername="postgresql", database="postgres")
    return await asyncpg.connect(url.render_as_string(hide_password=False))


async def _drop_connections(database_url):
    admin = await _admin(database_url)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            make_url(database_url).database,
        )
    finally:
        await admin.close()


async def _block_connections(database_url, allow=False):
    admin = await _admin(database_url)
    try:
        name = make_url(database_url).database
        await admin.execute(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS {str(allow).lower()}")
    finally:
        await admin.close()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_healthz_says_telegram_is_not_connected_while_getupdates_fails(api, database_url):
    port = free_port()
    async with open_core(database_url) as core:
        server = WebServer(core)
        await server.listen("127.0.0.1", port)
        settings = Settings(database_url=database_url, telegram_token=SecretStr(TOKEN))
        task = asyncio.create_task(run_telegram(core, settings, base_url=api.url, server=server))
        try:
            await api.wait_for(lambda: "getUpdates" in [c for c, _ in api.calls], 30)
            assert (await get(f"http://127.0.0.1:{port}/healthz"))[0] == 200
            api.faults.append(Fault({"getUpdates"}, 502, times=1000, description="Bad Gateway"))
            api.message(902, 902, "/help")  # ends the long poll in progress
            await _until_status(f"http://127.0.0.1:{port}/healthz", 503)
            api.faults.clear()
            await _until_status(f"http://127.0.0.1:{port}/healthz", 200, within=30)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await server.close()


async def _until_status(url, wanted, within=20.0):
    async def poll():
        while (await get(url))[0] != wanted:  # noqa: ASYNC110 - polls a server
            await asyncio.sleep(0.2)

    await asyncio.wait_for(poll(), within)


async def test_database_errors_leave_out_the_values_people_typed(engine):
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    insert = text(
        "INSERT INTO consultations (slug, title, summary, stage, script_yaml, created_at) "
        "VALUES (:slug, :title, '', 'plan', '', CURRENT_TIMESTAMP)"
    )
    async with engine.begin() as connection:
        await connection.execute(insert, {"slug": "same", "title": "first"})
    with pytest.raises(IntegrityError) as raised:
        async with engine.begin() as connection:
            await connection.execute(insert, {"slug": "same", "title": OWN_WORDS})
    assert OWN_WORDS not in str(raised.value)
    assert "hidden due to hide_parameters" in str(raised.value)
