"""yousaid forum hours and yousaid outcome update --at, run in this process."""

import sqlite3

from typer.testing import CliRunner

from bots.cli import app
from tests.cli.test_outcome_commands import WORDS

FORUM = "telegram:-100123"


def run(tmp_path, *args, chat=None):
    env = {
        "YOUSAID_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'yousaid.db'}",
        "YOUSAID_COMMISSIONERS": "telegram:77",
    }
    return CliRunner().invoke(app, list(args), input=chat, env=env)


def test_a_forum_s_own_hours_and_a_timed_progress_update(tmp_path):
    assert run(tmp_path, "invite-codes", "make", "--forum", FORUM, "--count", "1").exit_code == 0
    done = run(tmp_path, "forum", "hours", FORUM, "--school", "off", "--night", "22:00-07:00")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [
        "Night: 22:00-07:00",
        "School hours, Monday to Friday: none",
    ]
    bad = run(tmp_path, "forum", "hours", FORUM, "--school", "9 to 3")
    assert bad.exit_code == 2 and "should look like 21:00-08:00" in bad.output
    assert run(tmp_path, "forum", "hours", "telegram:-5").exit_code == 1

    assert run(tmp_path, "demo", chat="1\n2\n2\n1\n1\n/quit\n").exit_code == 0
    with sqlite3.connect(tmp_path / "yousaid.db") as db:
        [(slug,)] = db.execute("SELECT DISTINCT c.slug FROM answers a JOIN consultations c "
                               "ON c.id = a.consultation_id").fetchall()  # fmt: skip
    assert run(tmp_path, "outcome", "add", slug, "--as", "telegram:77", *WORDS).exit_code == 0
    when = "2099-01-15 16:30"
    timed = run(tmp_path, "outcome", "update", "1", "--as", "telegram:77", "--at", when)
    assert timed.exit_code == 0, timed.output
    assert timed.output.strip() == f"The next progress update on outcome 1 goes out at {when}."
    with sqlite3.connect(tmp_path / "yousaid.db") as db:
        assert db.execute("SELECT outcome_id, send_at FROM progress_updates").fetchall() == [
            (1, "2099-01-15 16:30:00.000000")
        ]
    assert (
        run(tmp_path, "outcome", "update", "1", "--as", "telegram:77", "--at", "soon").exit_code
        == 2
    )
