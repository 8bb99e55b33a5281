"""yousaid outcome add, update and list."""

import sqlite3

from core import texts
from tests.cli.command_line import yousaid
from tests.cli.test_privacy_commands import demo

BOSS = {"YOUSAID_COMMISSIONERS": "telegram:77"}
WORDS = [
    "--you-said", "You want a quiet room on the ward.",
    "--we-did", "We made a quiet room next to the lift.",
    "--next-steps", "We will ask you how it works in the spring.",
]  # fmt: skip


def answered_and_thanked(tmp_path):
    with sqlite3.connect(tmp_path / "yousaid.db") as db:
        [(slug,)] = db.execute(
            "SELECT DISTINCT c.slug FROM answers a JOIN consultations c ON c.id = a.consultation_id"
        ).fetchall()
        thanked = db.execute(
            "SELECT broadcast FROM deliveries WHERE broadcast LIKE 'outcome:%' ORDER BY id"
        ).fetchall()
    return slug, [broadcast for (broadcast,) in thanked]


def test_a_commissioner_publishes_an_outcome_changes_it_and_lists_it(tmp_path):
    demo(tmp_path, "1\n2\n2\n1\n1\n/quit\n")
    slug, _ = answered_and_thanked(tmp_path)
    added = yousaid("outcome", "add", slug, "--as", "telegram:77", *WORDS, cwd=tmp_path, **BOSS)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Outcome 1 published; the thank-yous are queued."
    assert answered_and_thanked(tmp_path)[1] == ["outcome:1:planned"]

    updated = yousaid(
        "outcome", "update", "1", "--as", "telegram:77", "--status", "done", "--progress", "100",
        cwd=tmp_path, **BOSS,
    )  # fmt: skip
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.strip() == "Outcome 1 is now done at 100%."
    assert answered_and_thanked(tmp_path)[1] == ["outcome:1:planned", "outcome:1:done"]

    listed = yousaid("outcome", "list", slug, cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == "1. done, 100%: 👍 0 😐 0 👎 0"
    assert lines[2] == "   We did: We made a quiet room next to the lift."


def test_outcomes_that_can_t_be_written_are_refused_in_plain_words(tmp_path):
    demo(tmp_path, "1\n2\n2\n1\n1\n/quit\n")
    slug, _ = answered_and_thanked(tmp_path)
    someone = yousaid("outcome", "add", slug, "--as", "telegram:31", *WORDS, cwd=tmp_path, **BOSS)
    assert someone.returncode == 1 and someone.stderr.strip() == texts.ORGANISERS_ONLY
    jargon = yousaid(
        "outcome", "add", slug, "--as", "telegram:77", "--you-said", "You want more say.",
        "--we-did", "We will leverage stakeholder synergies.", "--next-steps", "A KPI review.",
        cwd=tmp_path, **BOSS,
    )  # fmt: skip
    assert jargon.returncode == 1 and jargon.stderr.startswith(texts.OUTCOME_NOT_PLAIN)
    unknown = yousaid("outcome", "add", "nope", "--as", "telegram:77", *WORDS, cwd=tmp_path, **BOSS)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == texts.OUTCOME_NO_CONSULTATION.format(slug="nope")
    bad = yousaid("outcome", "add", slug, "--as", "77", *WORDS, cwd=tmp_path, **BOSS)
    assert bad.returncode == 2 and "Give --as like telegram:12345" in bad.stderr
    assert answered_and_thanked(tmp_path)[1] == []
    empty = yousaid("outcome", "list", slug, cwd=tmp_path)
    assert empty.stdout.strip() == f"{slug} has no outcomes yet."
