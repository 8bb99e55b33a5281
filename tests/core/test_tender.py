"""Tender panel scoring: weighted averages of the panel's scores, and a ranking of the bids."""

from datetime import UTC, datetime

import pytest

from core.domain import AnswerRow
from core.tender import NOT_NAMED, parse_weights, ranking_for, tender_ranking
from dialogs.loader import bundled_script
from tests.core.chat import Person

SCRIPT = bundled_script("tender_panel")
AT = datetime(2026, 3, 2, tzinfo=UTC)


def panel_member(respondent: int, bid: str | None, scores: dict[str, int]) -> list[AnswerRow]:
    rows = [] if bid is None else [AnswerRow(respondent, "bid", bid, False, None, AT)]
    rows += [
        AnswerRow(respondent, q, {"score": s, "reason": f"{q} {s}"}, False, None, AT)
        for q, s in scores.items()
    ]
    return rows


def test_bids_are_ranked_by_weighted_average_with_reasons():
    rows = [
        *panel_member(1, "plan_a", {"listen": 5, "reach": 1}),
        *panel_member(2, "plan_a", {"listen": 3, "reach": 1}),
        *panel_member(3, "plan_b", {"listen": 2, "reach": 4}),
        *panel_member(4, None, {"listen": 0}),
    ]
    plain = tender_ranking(rows, SCRIPT)
    assert [(b.rank, b.bid, b.panel, b.score) for b in plain] == [
        (1, "Plan B", 1, 3.0),
        (2, "Plan A", 2, 2.5),
        (3, NOT_NAMED, 1, 0.0),
    ]
    listen = plain[1].questions[0]
    assert (listen.question_id, listen.average, listen.reasons) == (
        "listen",
        4.0,
        ("listen 5", "listen 3"),
    )
    weighted = tender_ranking(rows, SCRIPT, parse_weights("listen=3, reach=1"))
    assert [(b.bid, b.score) for b in weighted][:2] == [("Plan A", 3.25), ("Plan B", 2.5)]
    tied = tender_ranking(rows[:6] + panel_member(5, "plan_c", {"listen": 4, "reach": 1}), SCRIPT)
    assert [(b.rank, b.bid) for b in tied] == [(1, "Plan A"), (1, "Plan C")]


def test_weights_must_name_score_questions():
    with pytest.raises(ValueError, match="nope"):
        tender_ranking([], SCRIPT, {"nope": 2})
    with pytest.raises(ValueError):
        tender_ranking([], SCRIPT, {"listen": -1})
    with pytest.raises(ValueError):
        parse_weights("listen")


async def test_ranking_from_stored_answers(database_url):
    from bots.wiring import open_core

    async with open_core(database_url) as core:
        for user, plan, score in (("a", "1", "5"), ("b", "2", "2")):
            person = Person(core, user)
            await person.onboard()
            await person.command("consult", "tender_panel")
            await person.press(plan)
            await person.press(score)
            await person.say("Because")
        ranking = await ranking_for(core._uow_factory, "tender_panel")
    assert [(b.bid, b.score) for b in ranking] == [("Plan A", 5.0), ("Plan B", 2.0)]
