"""Random event sequences never corrupt a dialog session or store a partial answer."""

import asyncio
import itertools
import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bots.wiring import open_core
from core.messages import Address, ButtonPress, Command, Platform, Text
from dialogs import engine
from dialogs.loader import bundled_script, parse_script
from tests.dialogs.sample import SAMPLE
from tests.dialogs.validity import valid_answer

SCRIPT = parse_script(SAMPLE)
ONBOARDING = bundled_script("onboarding")
_people = itertools.count()

commands = st.sampled_from(["start", "consult", "pause", "resume", "skip", "help", "stop", "dance"])
typed = st.one_of(
    st.sampled_from(["1", "2", "3", "1, 3", "3 1 2", "5", "0", "Because it was fine", "", "yes"]),
    st.text(max_size=80),
)
forged = st.sampled_from(["a:1:where:ward", "p:1", "r:2", "c:999", "x", "d:1:likes", ""])


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """One core on one SQLite file and one event loop, shared by every example."""
    path = tmp_path_factory.mktemp("props") / "props.db"
    loop = asyncio.new_event_loop()
    opened = open_core(f"sqlite+aiosqlite:///{path}", with_bundled=False)
    core = loop.run_until_complete(opened.__aenter__())
    loop.run_until_complete(core.add_consultation(SAMPLE, "sample.yaml"))
    yield path, core, loop
    loop.run_until_complete(opened.__aexit__(None, None, None))
    loop.close()
    with sqlite3.connect(path) as db:
        reached = {row[0] for row in db.execute("SELECT DISTINCT question_id FROM answers")}
    assert len(reached) >= 4, f"the random walks reached too few questions: {reached}"


async def drive(core, user: str, data) -> None:
    address = Address(Platform.TERMINAL, user, user)
    replies = await core.handle(Command(address, "start"))
    for _ in range(data.draw(st.integers(0, 40), label="steps")):
        buttons = [b.id for reply in replies for b in reply.all_buttons()]
        kind = data.draw(st.sampled_from(["press", "press", "press", "type", "command", "forge"]))
        if kind == "press" and buttons:
            event = ButtonPress(address, data.draw(st.sampled_from(buttons)))
        elif kind == "type":
            event = Text(address, data.draw(typed))
        elif kind == "command":
            name = data.draw(commands)
            event = Command(address, name, "sample" if name == "consult" else "")
        else:
            event = ButtonPress(address, data.draw(forged))
        replies = await core.handle(event)
        assert replies and all(reply.text.strip() for reply in replies)


def check_invariants(path, user: str) -> None:
    db = sqlite3.connect(path)
    try:
        row = db.execute(
            "SELECT p.id, p.age_band FROM participants p JOIN platform_identities i "
            "ON i.participant_id = p.id WHERE i.platform = 'terminal' AND i.platform_user_id = ?",
            (user,),
        ).fetchone()
        if row is None:
            return
        participant_id, age_band = row
        sessions = db.execute(
            "SELECT id, consultation_id, status, question_id, path, draft FROM dialog_sessions "
            "WHERE participant_id = ?",
            (participant_id,),
        ).fetchall()
        assert sum(session[2] == "active" for session in sessions) <= 1
        for session_id, consultation_id, status, question_id, raw_path, raw_draft in sessions:
            script = ONBOARDING if consultation_id is None else SCRIPT
            walked = json.loads(raw_path)
            draft = json.loads(raw_draft)
            assert (status == "completed") == (question_id is None)
            if question_id is not None:
                assert script.question(question_id) is not None
            answers = {
                qid: (json.loads(value) if isinstance(value, str) else value, bool(skipped), band)
                for qid, value, skipped, band in db.execute(
                    "SELECT question_id, value, skipped, age_band FROM answers "
                    "WHERE session_id = ?",
                    (session_id,),
                )
            }
            expected_next = {engine.first_question(script)}
            for qid in walked:
                assert qid in expected_next, "the path follows the script's branches"
                question = script.question(qid)
                if consultation_id is not None:
                    value, skipped, band = answers[qid]
                    assert valid_answer(question, value, skipped)
                    assert band == age_band
                    expected_next = {engine.following(script, question, value)}
                else:  # onboarding answers are not kept: any of the question's branches
                    values = [None, *(option.id for option in question.options)]
                    expected_next = {engine.following(script, question, v) for v in values}
            assert question_id in expected_next
            if consultation_id is not None:
                assert set(answers) == set(walked), "an answer for every step and nothing more"
            assert isinstance(draft, dict)
    finally:
        db.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_event_sequences_never_corrupt_a_session(running, data):
    path, core, loop = running
    user = f"p{next(_people)}"
    loop.run_until_complete(drive(core, user, data))
    check_invariants(path, user)
