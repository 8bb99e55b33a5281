"""Bad input: fuzzed commands, free text, button data and dialog scripts never break the bot.

Each kind of input has a default test with a modest number of examples and a bigger variant
behind the ``soak`` marker (``-m soak``).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from bots.cli import app
from dialogs.loader import ScriptError, load_script
from dialogs.schema import Script
from tests.dialogs.sample import SAMPLE

DEFAULT = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
SOAK = settings(DEFAULT, max_examples=600)
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
