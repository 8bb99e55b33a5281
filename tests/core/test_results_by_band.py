"""Consultation results by age band: any group smaller than 5 is "fewer than 5"."""

from datetime import UTC, datetime

from core.domain import AgeBand, AnswerRow
from core.results import FEWER_THAN_5, shown_count, summarise_by_age_band, summary_by_age_band
from dialogs.loader import parse_script
from tests.core.chat import Person

SCRIPT = parse_script(
    """
id: park
title: Park
summary: The park.
stage: plan
intro: Hi.
closing: Bye.
questions:
  - id: like
    type: choice
    text: Do you like the park?
    options:
      - {id: lots, label: A lot}
      - {id: little, label: Not much}
  - id: why
    type: text
    text: Why?
"""
)
AT = datetime(2026, 3, 2, tzinfo=UTC)


def row(respondent: int, value: str, band: AgeBand | None) -> AnswerRow:
    return AnswerRow(respondent, "like", value, False, band, AT)


def test_small_groups_are_shown_as_fewer_than_5():
    assert [shown_count(n) for n in (0, 1, 4, 5, 12)] == [FEWER_THAN_5] * 3 + [5, 12]
    rows = [row(n, "lots", AgeBand.AGE_13_15) for n in range(6)]
    rows += [row(10 + n, "little", AgeBand.AGE_13_15) for n in range(2)]
    rows += [row(20 + n, "lots", AgeBand.UNDER_13) for n in range(3)]
    rows += [row(30 + n, "little", None) for n in range(5)]
    rows.append(AnswerRow(40, "why", "Because", False, AgeBand.AGE_13_15, AT))
    summaries = summarise_by_age_band(rows, SCRIPT)
    assert [(s.age_band, s.people, s.answers) for s in summaries] == [
        ("under_13", FEWER_THAN_5, {"A lot": FEWER_THAN_5, "Not much": FEWER_THAN_5}),
        ("13_15", 8, {"A lot": 6, "Not much": FEWER_THAN_5}),
        ("", 5, {"A lot": FEWER_THAN_5, "Not much": 5}),
    ]
    assert {s.question_id for s in summaries} == {"like"}, "free text is not counted"


async def test_summary_of_a_stored_consultation(core, uow):
    people = [Person(core, f"p{n}") for n in range(6)]
    for person in people:
        await person.onboard()
        await person.command("consult", "sample")
        await person.press("1")
    summaries = await summary_by_age_band(uow, "sample")
    [first] = [s for s in summaries if s.question_id == summaries[0].question_id]
    assert first.age_band == "13_15" and first.people == 6
    assert 6 in first.answers.values()
    assert all(v == 6 or v == FEWER_THAN_5 for v in first.answers.values())
