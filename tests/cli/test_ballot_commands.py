"""The ballot and tender commands of the yousaid command line."""

import re

from dialogs.loader import bundled_consultations
from tests.cli.command_line import yousaid

TENDER_KEY = str([file.script.id for file in bundled_consultations()].index("tender_panel") + 1)


def test_ballot_open_shows_invite_codes_once_and_export_waits_for_the_close(tmp_path):
    opened = yousaid(
        "ballot",
        "open",
        "Who should chair?",
        "Sam",
        "Alex",
        "--group=-100",
        "--method",
        "irv",
        "--codes",
        "3",
        "--hours",
        "2",
        cwd=tmp_path,
    )
    assert opened.returncode == 0, opened.stderr
    assert "Ballot 1 is open" in opened.stdout and "Who should chair?" in opened.stdout
    assert len(re.findall(r"^[A-Z2-9]{5}-[A-Z2-9]{5}$", opened.stdout, re.M)) == 3
    export = yousaid("ballot", "export", "1", cwd=tmp_path)
    assert export.returncode == 1 and "still open" in export.stderr
    missing = yousaid("ballot", "export", "7", cwd=tmp_path)
    assert missing.returncode == 1 and "no ballot 7" in missing.stderr
    bad = yousaid("ballot", "open", "Q?", "Only one", "--group=-100", cwd=tmp_path)
    assert bad.returncode == 1 and "2 to 10 options" in bad.stderr


def test_tender_ranking_lists_bids_with_weights_and_reasons(tmp_path):
    answers = ["1", "2", "2", TENDER_KEY, "2"]  # onboarding, then scoring Plan B
    for n in range(8):
        answers += ["4", f"Reason {n}"]
    demo = yousaid("demo", cwd=tmp_path, input="\n".join(answers) + "\n")
    assert demo.returncode == 0, demo.stderr
    ranking = yousaid("tender", "ranking", "tender_panel", "--weights", "listen=2", cwd=tmp_path)
    assert ranking.returncode == 0, ranking.stderr
    assert "1. Plan B: 4.00 out of 5 (1 on the panel)" in ranking.stdout
    assert "listen (weight 2): 4.00" in ranking.stdout and "- Reason 0" in ranking.stdout
    wrong = yousaid("tender", "ranking", "tender_panel", "--weights", "nope=2", cwd=tmp_path)
    assert wrong.returncode == 2 and "nope" in wrong.stderr
