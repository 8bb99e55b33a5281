"""The yousaid command line: its commands in process, start-up as the real console script."""

import sqlite3
from pathlib import Path

import pytest

from storage.models import Base
from tests.cli.command_line import yousaid, yousaid_process


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("YOUSAID_TIMEZONE", "Mars/Olympus"),
        ("YOUSAID_QUIET_HOURS", "late-early"),
        ("YOUSAID_DATABASE_URL", "mysql://somewhere/db"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_line_naming_it(tmp_path, variable, value):
    done = yousaid("demo", cwd=tmp_path, **{variable: value})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"Setting {variable} is not valid: ")
    assert not (tmp_path / "yousaid.db").exists()


def test_run_without_tokens_says_what_to_set(tmp_path):
    done = yousaid_process("run", cwd=tmp_path)
    assert done.returncode != 0
    assert "YOUSAID_TELEGRAM_TOKEN" in done.stderr and "YOUSAID_DISCORD_TOKEN" in done.stderr


def test_run_never_prints_a_token(tmp_path):
    done = yousaid_process("run", cwd=tmp_path, YOUSAID_TELEGRAM_TOKEN="123:very-secret-token")
    assert "very-secret-token" not in done.stdout + done.stderr


def test_db_upgrade_creates_the_default_sqlite_database(tmp_path):
    done = yousaid_process("db", "upgrade", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(tmp_path / "yousaid.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(Base.metadata.tables) <= tables


def test_dialogs_check_accepts_good_and_names_file_line_field_of_bad(tmp_path):
    good = Path("dialogs/scripts/ward_time.yaml").resolve()
    broken = tmp_path / "broken.yaml"
    broken.write_text(good.read_text().replace("type: ranking", "type: rank"))
    done = yousaid("dialogs", "check", str(good), str(broken), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{good}: ok (8 questions)" in done.stdout
    lines = broken.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "type: rank" in text)
    assert done.stderr.startswith(f"{broken}:{line}: questions[5].type: ")


def test_dialogs_check_on_a_missing_file(tmp_path):
    done = yousaid("dialogs", "check", "nowhere.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "nowhere.yaml: cannot read" in done.stderr


def test_results_export_of_an_unknown_consultation(tmp_path):
    done = yousaid("results", "export", "nothing", "--format", "csv", cwd=tmp_path)
    assert done.returncode == 1
    assert "No consultation is called 'nothing'" in done.stderr


def test_deliveries_status_shows_counts_and_a_bar(tmp_path):
    done = yousaid("deliveries", "status", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        "[" + "#" * 30 + "] 0/0 done: pending 0, sending 0, sent 0, failed 0"
    )


def test_delivery_progress_bar():
    from bots.cli import delivery_progress

    line = delivery_progress({"pending": 5, "sent": 4, "failed": 1}, width=10)
    assert line == "[#####.....] 5/10 done: pending 5, sending 0, sent 4, failed 1"
