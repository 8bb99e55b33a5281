"""Bad input: fuzzed commands, free text, button data and dialog scripts never break the bot.

Each kind of input has a default test with a modest number of examples and a bigger variant
behind the ``soak`` marker (``-m soak``).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bots.cli import app
from core import texts
from core.commands import COMMISSIONER, ORGANISER, PRIVATE
from dialogs.loader import ScriptError, load_script, parse_script
from dialogs.schema import Script
from tests.dialogs.sample import SAMPLE
from tests.dialogs.validity import valid_answer
from tests.discord.conftest import RunningDiscordBot
from tests.discord.fake_discord import CHANNEL_ID, FakeDiscord
from tests.storage_scan import all_rows_at
from tests.telegram.conftest import RunningBot
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_ballots import VOTERS, open_ballot

DEFAULT = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SOAK = settings(DEFAULT, max_examples=600)
LIVE = settings(DEFAULT, max_examples=25, phases=[Phase.explicit, Phase.reuse, Phase.generate])
"""For examples that go through a running bot: no shrinking, which would take minutes."""
LIVE_SOAK = settings(LIVE, max_examples=400)
PROBLEM = re.compile(r"^.+:\d+: [^:\s]+: \S.*$")

# ---- dialog scripts ------------------------------------------------------------------------

SAMPLE_LINES = SAMPLE.splitlines(keepends=True)
awkward = st.sampled_from(
    [
        "\x00",
        "\x07",
        "\ufeff",
        "\u202e",
        "\t",
        "\r",
        ":",
        "- ",
        "{",
        "[",
        "]",
        "&a ",
        "*a",
        "!!python/object:os.system ",
        "'",
        '"',
        "|",
        ">",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "? ",
        "#",
        "é",
        "🙂",
        "\\u0000",
        "  ",
        "\n",
        "goto: end",
        "type: slider",
        "id: X",
        "max_length: 5",
        "max_choices: 0",
        "questions: []",
        "null",
        "~",
        "1e999",
        "-1",
    ]
)


@st.composite
def mutated_scripts(draw: st.DrawFn) -> bytes:
    """The sample script with lines dropped, repeated or cut, and awkward text put in."""
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(lines) - 1))
        match draw(st.sampled_from(["drop", "repeat", "cut", "insert", "swap"])):
            case "drop" if len(lines) > 1:
                del lines[at]
            case "repeat":
                lines.insert(at, lines[at])
            case "cut":
                lines[at] = lines[at][: draw(st.integers(0, len(lines[at])))]
            case "insert":
                column = draw(st.integers(0, len(lines[at])))
                piece = draw(st.one_of(awkward, st.text(max_size=12)))
                lines[at] = lines[at][:column] + piece + lines[at][column:]
            case _:
                other = draw(st.integers(0, len(lines) - 1))
                lines[at], lines[other] = lines[other], lines[at]
    text = "".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        return text
    return text[: draw(st.integers(0, len(text)))] + draw(st.binary(max_size=4))


script_files = st.one_of(
    mutated_scripts(),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.integers(1, 200).map(lambda depth: b"[" * depth + b"]" * depth),
    st.integers(1, 200).map(
        lambda depth: b"a:\n" + b"".join(b" " * n + b"b:\n" for n in range(1, depth))
    ),
)


def check_script_file(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.yaml"
        path.write_bytes(content)
        try:
            script = load_script(path)
        except ScriptError as error:
            assert error.problems
            for problem in error.problems:
                assert str(problem).startswith(f"{path}:"), str(problem)
                assert PROBLEM.match(str(problem)), str(problem)
                assert 1 <= problem.line <= content.count(b"\n") + 1
        else:
            assert isinstance(script, Script)
        done = CliRunner().invoke(app, ["dialogs", "check", str(path)])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    assert "Traceback" not in done.output
    lines = done.output.splitlines()
    if done.exit_code == 0:
        assert lines == [f"{path}: ok ({len(script.questions)} questions)"]
    else:
        assert done.exit_code == 1 and lines
        assert all(PROBLEM.match(line) for line in lines), done.output


@DEFAULT
@given(script_files)
def test_fuzzed_dialog_scripts_are_valid_or_named_by_file_line_and_field(content):
    check_script_file(content)


@pytest.mark.soak
@SOAK
@given(script_files)
def test_fuzzed_dialog_scripts_soak(content):
    check_script_file(content)


def test_a_script_nested_too_deeply_is_named_not_a_traceback():
    check_script_file(b"[" * 700 + b"]" * 700)


# ---- the stored state ----------------------------------------------------------------------


def nothing_stored_wrongly(rows) -> None:
    """Answers valid for their step, dialogs whole, and at most one vote per voter."""
    scripts = {c["id"]: parse_script(c["script_yaml"]) for c in rows["consultations"]}
    sessions = {s["id"]: s for s in rows["dialog_sessions"]}
    answered: dict[int, list[str]] = {}
    for answer in rows["answers"]:
        session = sessions[answer["session_id"]]
        question = scripts[session["consultation_id"]].question(answer["question_id"])
        assert question is not None
        assert valid_answer(question, answer["value"], bool(answer["skipped"])), answer
        answered.setdefault(answer["session_id"], []).append(answer["question_id"])
    for session in sessions.values():
        if session["consultation_id"] is not None:
            path = session["path"]
            assert sorted(answered.get(session["id"], [])) == sorted(path)
    by_ballot: dict[int, int] = {}
    for entry in rows["ballot_roll"]:
        by_ballot[entry["ballot_id"]] = by_ballot.get(entry["ballot_id"], 0) + bool(entry["voted"])
    for ballot, voted in by_ballot.items():
        box = [v for v in rows["ballot_box"] if v["ballot_id"] == ballot]
        assert len(box) == voted, "one vote in the box per voter who voted, never two"


# ---- Telegram: commands, free text and button data ---------------------------------------

GROUP = -100900
ADMIN = 950
COMMAND_NAMES = sorted(
    {c.name for c in (*PRIVATE, *ORGANISER, *COMMISSIONER)} | {"dance", "START", "x" * 40}
)
free_text = st.one_of(
    st.sampled_from(
        [
            "x" * 4096,
            "y" * 9000,
            " ",
            "\u200b",
            "\x00\x01\x02\x1b[31m\x7f",
            "\u202eevil\u202c مرحبا بكم שלום",
            "🙂👍🏽👨‍👩‍👧‍👦🏳️‍🌈" * 50,
            "'; DROP TABLE answers; --",
            "1 OR 1=1",
            "Robert'); DELETE FROM participants WHERE ('a'='a",
            "%s %d {0} {text} $1 \\N",
            "<b>bold</b> &amp; <script>alert(1)</script>",
            "/",
            "//start",
            "\n\n\n",
        ]
    ),
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=3000, max_size=5000),
)
arguments = st.one_of(st.just(""), free_text, st.sampled_from(["ward_time", "tender_panel"]))


class TelegramWorld:
    """The real Application polling the fake Bot API, on its own event loop for all examples."""

    def __init__(self, folder: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.api = FakeBotApi()
        self.errors: list[str] = []
        self.buttons: list[str] = []
        """Button data the bot has sent anyone: pressed later, it is stale or someone else's."""
        self.people = itertools.count(20_000)
        self._handler = _Errors(self.errors)
        self.loop.run_until_complete(self.api.start())
        self.bot = RunningBot(self.api, f"sqlite+aiosqlite:///{folder}/fuzz.db")
        self.loop.run_until_complete(self.bot.start())
        logging.getLogger().addHandler(self._handler)

    def close(self) -> None:
        logging.getLogger().removeHandler(self._handler)
        self.loop.run_until_complete(self.bot.stop())
        self.loop.run_until_complete(self.api.stop())
        self.loop.close()

    def run(self, work):
        return self.loop.run_until_complete(work)

    def seen(self, chat_id: int) -> tuple[int, int]:
        messages = self.api.messages[chat_id]
        return len(messages), sum(m.edits for m in messages)

    def collect(self, chat_id: int) -> None:
        for message in self.api.messages[chat_id]:
            self.buttons += [b["callback_data"] for b in message.buttons() if "callback_data" in b]


class _Errors(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@pytest.fixture(scope="module")
def telegram(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND", "50")  # a test server
        world = TelegramWorld(tmp_path_factory.mktemp("fuzz-telegram"))
    api = world.api
    api.members[(GROUP, ADMIN)] = "administrator"
    world.run(api.wait_until_fetched(api.bot_added(GROUP, ADMIN)))
    world.run(api.wait_until_fetched(api.message(GROUP, ADMIN, "/poll Best day? | Mon | Fri")))
    world.collect(GROUP)
    yield world
    world.close()
    assert world.errors == []


async def act(world: TelegramWorld, person: int, data) -> None:
    """One fuzzed thing a person does; they (or the group) must get an answer."""
    api = world.api
    kind = data.draw(st.sampled_from(["command", "group", "text", "forged", "stale"]))
    chat = GROUP if kind == "group" else person
    before, answers = world.seen(chat), len(api.callback_answers)
    if kind in ("command", "group"):
        name, argument = data.draw(st.sampled_from(COMMAND_NAMES)), data.draw(arguments)
        sender = data.draw(st.sampled_from([person, ADMIN])) if kind == "group" else person
        update = api.message(chat, sender, f"/{name} {argument}"[:4096])
    elif kind == "text":
        update = api.message(chat, person, data.draw(free_text)[:4096] or ".")
    else:
        pool = world.buttons or ["a:1:where:ward"]
        stale = pool[data.draw(st.integers(0, 10**6), label="button") % len(pool)]
        middle = len(stale) // 2
        forged = st.one_of(
            st.text(max_size=64).filter(lambda t: len(t.encode()) <= 64),
            st.just(stale[:middle] + "9" + stale[middle + 1 :]),
            st.sampled_from(["a:1:where:ward", "b:x:y:1", "y:1", "g:1", "f:1", "c:99", ":::"]),
        )
        button = stale if kind == "stale" else data.draw(forged)
        shown = api.messages[person][-1] if api.messages[person] else None
        if shown is None:
            await api.wait_until_fetched(api.message(person, person, "/help"))
            shown = api.messages[person][-1]
        before = world.seen(chat)
        update = api.press(shown, person, data=button)
    await api.wait_until_fetched(update)
    if kind in ("forged", "stale"):
        assert len(api.callback_answers) > answers, "every press is answered"
    else:
        assert world.seen(chat) != before, f"no reply to {kind}"
    assert not any(text.startswith("Traceback") for text in api.texts(chat))


async def drive(world: TelegramWorld, data) -> None:
    person = next(world.people)
    member = world.bot.member(person)
    if data.draw(st.booleans(), label="onboarded"):
        await member.onboard(data.draw(st.sampled_from(["", "ward_time"])))
        for _ in range(data.draw(st.integers(0, 3), label="answered")):
            if "Question " in member.last.text:
                await member.answer_current()
    for _ in range(data.draw(st.integers(1, 6), label="actions")):
        await act(world, person, data)
    world.collect(person)


def check_telegram(world: TelegramWorld, data) -> None:
    world.run(drive(world, data))
    assert world.errors == [], world.errors
    nothing_stored_wrongly(world.run(all_rows_at(world.bot.database_url)))


@LIVE
@given(data=st.data())
def test_fuzzed_commands_text_and_buttons_on_telegram_get_kind_replies(telegram, data):
    check_telegram(telegram, data)


@pytest.mark.soak
@LIVE_SOAK
@given(data=st.data())
def test_fuzzed_commands_text_and_buttons_on_telegram_soak(telegram, data):
    check_telegram(telegram, data)


@pytest.fixture
async def bot(tmp_path, monkeypatch):
    monkeypatch.setenv("YOUSAID_TELEGRAM_CHAT_MESSAGES_PER_SECOND", "50")  # a test server
    api = FakeBotApi()
    await api.start()
    running = await RunningBot(api, f"sqlite+aiosqlite:///{tmp_path}/forged.db").start()
    yield running
    await running.stop()
    await api.stop()


async def test_a_forged_press_cannot_answer_for_someone_else(bot):
    api = bot.api
    jo, kim = bot.member(31), bot.member(32)
    jo_question = await jo.onboard("ward_time")
    await kim.onboard("ward_time")
    for label in ("On a ward", "In a waiting room"):
        forged = api.press(kim.last, kim.id, data=jo_question.button(label)["callback_data"])
        await api.wait_until_fetched(forged)
        assert kim.last.text.startswith(texts.OLD_BUTTON)
    rows = await all_rows_at(bot.database_url)
    assert rows["answers"] == [], "nobody's answer was stored by someone else's press"
    nothing_stored_wrongly(rows)
    await jo.press("On a ward")
    assert [a["question_id"] for a in (await all_rows_at(bot.database_url))["answers"]] == ["where"]


async def test_a_forged_or_repeated_cast_never_votes_twice(bot):
    start = await open_ballot(bot)
    api, first, second = bot.api, bot.member(VOTERS[0]), bot.member(VOTERS[1])
    await first.say(f"/start {start}")
    for label in ("Friday", "Monday", "Sunday"):
        await first.press(label)
    cast = first.last.button(texts.BUTTON_CAST)["callback_data"]
    await first.press(texts.BUTTON_CAST)
    assert first.last.text.startswith("Your vote is counted.")
    await second.say(f"/start {start}")
    for presser, on in ((first, first.last), (second, second.last), (first, first.last)):
        update = api.press(on, presser.id, data=cast)
        await api.wait_until_fetched(update)
    rows = await all_rows_at(bot.database_url)
    assert len(rows["ballot_box"]) == 1, "the first vote only"
    assert sorted(r["voted"] for r in rows["ballot_roll"]) == [False, True]
    nothing_stored_wrongly(rows)
    assert texts.BALLOT_SECRET in second.last.text, "the second voter still sees their own screen"


# ---- Discord: slash command options, component ids and text boxes --------------------------


class DiscordWorld:
    """The real discord.py client on the fake Discord server, on its own loop for all examples."""

    def __init__(self, folder: Path, patch: pytest.MonkeyPatch) -> None:
        self.loop = asyncio.new_event_loop()
        self.fake = FakeDiscord()
        self.errors: list[str] = []
        self.people = itertools.count(30_000)
        self.ids: list[str] = []
        """Component ids the bot has sent anyone: pressed later, they are stale or not yours."""
        self._handler = _Errors(self.errors)
        self.loop.run_until_complete(self.fake.start())
        patch.setenv("YOUSAID_DISCORD_API_BASE", self.fake.rest_base)
        patch.setenv("YOUSAID_DISCORD_GATEWAY_URL", self.fake.gateway_url)
        self.bot = RunningDiscordBot(self.fake, f"sqlite+aiosqlite:///{folder}/fuzz.db")
        self.loop.run_until_complete(self.bot.start())
        logging.getLogger().addHandler(self._handler)

    def close(self) -> None:
        logging.getLogger().removeHandler(self._handler)
        self.loop.run_until_complete(self.bot.stop())
        self.loop.run_until_complete(self.fake.stop())
        self.loop.close()

    def run(self, work):
        return self.loop.run_until_complete(work)

    def collect(self) -> None:
        for messages in list(self.fake.messages.values()):
            for message in messages:
                self.ids += [item["custom_id"] for item in message.items() if "custom_id" in item]


@pytest.fixture(scope="module")
def discord_world(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        world = DiscordWorld(tmp_path_factory.mktemp("fuzz-discord"), patch)
        poll = world.fake.slash(
            "29999", "poll", in_guild=True, organiser=True, question="Best day?", options="Mon|Fri"
        )
        world.run(answered(world.fake, world.run(poll)))
        world.collect()
        assert world.ids, "the poll has buttons"
        yield world
        world.close()
    assert world.errors == []


async def answered(fake: FakeDiscord, pending) -> None:
    await fake.wait_for(lambda: bool(pending.callbacks), 10)


async def act_on_discord(world: DiscordWorld, user: str, data) -> None:
    """One fuzzed interaction; Discord must get an answer to it."""
    fake = world.fake
    kind = data.draw(st.sampled_from(["slash", "press", "stale", "submit"]))
    if kind == "slash":
        commands = [c for c in fake.synced["global"] if c.get("type", 1) == 1]  # not menus
        command = commands[data.draw(st.integers(0, 10**6)) % len(commands)]
        options = {
            option["name"]: data.draw(free_text)[:1000] or "."
            for option in command.get("options", [])
        }
        in_guild = data.draw(st.booleans())
        pending = await fake.slash(user, command["name"], in_guild=in_guild, **options)
        await answered(fake, pending)
        return
    on = world.bot.member(user).dm[-1] if world.bot.member(user).dm else None
    if on is None:
        on = next(m for m in fake.messages[CHANNEL_ID] if m.items())
    pool = world.ids or ["a:1:where:ward"]
    stale = pool[data.draw(st.integers(0, 10**6)) % len(pool)]
    forged = st.one_of(
        st.text(min_size=1, max_size=100),
        st.sampled_from(["a:1:where:ward", "b:x:y:1", "y:1", "g:1", "q:1", "v:1:0", ":::"]),
    )
    custom_id = stale if kind == "stale" else data.draw(forged)
    if kind == "submit":
        modal = {
            "custom_id": custom_id,
            "components": [{"components": [{"custom_id": "answer"}]}],
        }
        text = data.draw(free_text)[:4000]
        pending = await fake.submit(user, modal, text, in_guild=False, message=on)
    else:
        pending = await fake.press(user, on, custom_id)
    await answered(fake, pending)


async def drive_discord(world: DiscordWorld, data) -> None:
    user = str(next(world.people))
    if data.draw(st.booleans(), label="onboarded"):
        await world.bot.member(user).onboard()
    for _ in range(data.draw(st.integers(1, 5), label="actions")):
        await act_on_discord(world, user, data)
    world.collect()


def check_discord(world: DiscordWorld, data) -> None:
    world.run(drive_discord(world, data))
    assert world.errors == [], world.errors
    nothing_stored_wrongly(world.run(all_rows_at(world.bot.database_url)))


@settings(LIVE, max_examples=12)
@given(data=st.data())
def test_fuzzed_slash_options_component_ids_and_text_boxes_on_discord(discord_world, data):
    check_discord(discord_world, data)


@pytest.mark.soak
@LIVE_SOAK
@given(data=st.data())
def test_fuzzed_slash_options_component_ids_and_text_boxes_on_discord_soak(discord_world, data):
    check_discord(discord_world, data)
