"""yousaid invite-codes make, person export and person forget."""

import json
import re

from tests.cli.command_line import yousaid

CODE = re.compile(r"^[A-Z2-9]{5}-[A-Z2-9]{5}$")


def demo(tmp_path, chat, user="demo"):
    done = yousaid("demo", "--user", user, cwd=tmp_path, input=chat)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_organiser_makes_invite_codes_and_a_child_under_13_joins_with_one(tmp_path):
    made = yousaid(
        "invite-codes", "make", "--forum", "telegram:-1001234", "--count", "3",
        "--expires", "2099-12-31", cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    heading, *codes = made.stdout.strip().splitlines()
    assert heading == "3 invite codes for telegram:-1001234, working once each until 2099-12-31:"
    assert len(set(codes)) == 3 and all(CODE.match(code) for code in codes)
    assert codes[0] not in (tmp_path / "yousaid.db").read_bytes().decode("latin-1")

    seen = demo(tmp_path, f"1\n1\nnot a code\n{codes[0]}\n2\n/quit\n", user="kid")
    assert "Sorry, that code doesn't work." in seen
    assert "You're all set." in seen
    again = demo(tmp_path, f"1\n1\n{codes[0]}\n/quit\n", user="kid2")
    assert "Sorry, that code has already been used." in again


def test_bad_invite_code_requests_are_refused_in_one_line(tmp_path):
    bad = yousaid("invite-codes", "make", "--forum", "-1001234", cwd=tmp_path)
    assert bad.returncode == 2 and "Give --forum like telegram:-1001234567" in bad.stderr
    past = yousaid(
        "invite-codes", "make", "--forum", "discord:42", "--expires", "2020-01-01", cwd=tmp_path
    )
    assert past.returncode == 1
    assert past.stderr.strip() == "Can't make the codes: the codes must run out in the future."


def test_a_person_s_data_is_exported_and_erased_from_the_command_line(tmp_path):
    demo(tmp_path, "1\n2\n2\n1\n1\n/quit\n")
    exported = yousaid("person", "export", "--platform", "terminal", "--user", "demo", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    record = json.loads(exported.stdout)
    assert record["chat_accounts"] == [{"platform": "terminal", "user_id": "demo"}]
    assert record["age_band"] == "13_15" and record["dialogs"][0]["answers"]

    output = tmp_path / "demo.json"
    to_file = yousaid(
        "person", "export", "--platform", "terminal", "--user", "demo", "--output", str(output),
        cwd=tmp_path,
    )  # fmt: skip
    written = json.loads(output.read_text())
    assert to_file.returncode == 0 and written | {"made_at": ""} == record | {"made_at": ""}

    kept = yousaid(
        "person", "forget", "--platform", "terminal", "--user", "demo", cwd=tmp_path, input="n\n"
    )
    assert kept.returncode == 1, "not confirmed: aborted"
    assert (
        yousaid(
            "person", "export", "--platform", "terminal", "--user", "demo", cwd=tmp_path
        ).returncode
        == 0
    )

    forgot = yousaid(
        "person", "forget", "--platform", "terminal", "--user", "demo", "--yes", cwd=tmp_path
    )
    assert forgot.returncode == 0, forgot.stderr
    assert forgot.stdout.startswith("Erased terminal user demo.")
    gone = yousaid("person", "export", "--platform", "terminal", "--user", "demo", cwd=tmp_path)
    assert gone.returncode == 1 and "Nobody is known as terminal user demo." in gone.stderr
    again = yousaid(
        "person", "forget", "--platform", "terminal", "--user", "demo", "--yes", cwd=tmp_path
    )
    assert again.returncode == 1
    wrong = yousaid("person", "export", "--platform", "myspace", "--user", "x", cwd=tmp_path)
    assert wrong.returncode == 2


def test_seen_alerts_are_deleted_from_the_command_line(tmp_path):
    demo(tmp_path, "1\n2\n2\nI want to die\n/quit\n")
    assert yousaid("alerts", "ack", "1", cwd=tmp_path).returncode == 0
    deleted = yousaid("alerts", "delete", "--seen-before", "2099-01-01", cwd=tmp_path)
    assert deleted.returncode == 0, deleted.stderr
    assert deleted.stdout.strip() == (
        "Deleted 1 seen alerts raised before 2099-01-01. Alerts nobody has seen stay."
    )
    assert (
        yousaid("alerts", "list", "--all", cwd=tmp_path).stdout.strip() == "No safeguarding alerts."
    )
    bad = yousaid("alerts", "delete", "--seen-before", "soon", cwd=tmp_path)
    assert bad.returncode == 2 and "Give --seen-before like 2026-01-31." in bad.stderr
