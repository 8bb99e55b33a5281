"""yousaid alerts list / ack on a SQLite database."""

from tests.cli.command_line import yousaid


def test_alerts_can_be_listed_and_acknowledged_from_the_command_line(tmp_path):
    chat = "1\n2\n2\nI want to die\n/quit\n"
    demo = yousaid("demo", cwd=tmp_path, input=chat)
    assert demo.returncode == 0, demo.stderr
    assert "Childline" in demo.stdout and "A trained adult may read what you wrote" in demo.stdout

    listed = yousaid("alerts", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    first, quoted = listed.stdout.splitlines()
    assert first.startswith("#1  ") and "terminal:demo" in first and "NOT SEEN, sent 1x" in first
    assert quoted.strip() == "I want to die"

    acked = yousaid("alerts", "ack", "1", "--by", "Sam", cwd=tmp_path)
    assert acked.returncode == 0, acked.stderr
    assert acked.stdout.strip() == "Alert 1 is marked as seen. It won't be sent again."
    assert yousaid("alerts", "ack", "1", cwd=tmp_path).stdout.startswith("Alert 1 was already")
    missing = yousaid("alerts", "ack", "7", cwd=tmp_path)
    assert missing.returncode == 1 and "There is no alert 7." in missing.stderr

    assert yousaid("alerts", "list", cwd=tmp_path).stdout.strip() == "No alerts waiting to be seen."
    everything = yousaid("alerts", "list", "--all", cwd=tmp_path).stdout
    assert "seen 20" in everything and "by command line Sam" in everything


def test_a_bad_lead_setting_stops_the_alerts_command_with_one_line(tmp_path):
    done = yousaid("alerts", "list", cwd=tmp_path, YOUSAID_SAFEGUARDING_LEADS="sms:0800")
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "Setting YOUSAID_SAFEGUARDING_LEADS is not valid: "
        "'sms:0800' should look like telegram:12345 or discord:12345"
    )
