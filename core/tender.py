"""Tender panel scoring: the young people's panel's 0 to 5 scores, weighted, into a ranking.

The ``tender_panel`` consultation asks first which plan (bid) the person is scoring, then a
score from 0 to 5 with a reason for each question. Each bid's score is the weighted average of
its questions' average scores, with weights the organiser agreed (1 each unless set). Answers
given before the script asked which plan was scored count under "Plan not named".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from core.domain import AnswerRow
from core.ports import UnitOfWorkFactory
from core.results import UnknownConsultation
from dialogs.loader import cached_script
from dialogs.schema import Script

BID_QUESTION = "bid"
NOT_NAMED = "Plan not named"


@dataclass(frozen=True, slots=True)
class QuestionScore:
    """How one bid did on one question."""

    question_id: str
    question: str
    weight: float
    average: float | None
    """The average score, or None if nobody scored it."""
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BidScore:
    """One bid's place in the ranking."""

    rank: int
    """1 for the best; bids with the same score share a rank."""
    bid: str
    panel: int
    """How many panel members scored this bid."""
    score: float | None
    """The weighted average, 0 to 5; None if no question was scored."""
    questions: tuple[QuestionScore, ...]


def parse_weights(text: str) -> dict[str, float]:
    """Read ``listen=2,reach=1``; ValueError if it can't be read."""
    weights = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, equals, value = part.partition("=")
        if not equals or not name.strip():
            raise ValueError(f"'{part}' is not question=weight")
        weights[name.strip()] = float(value)
    return weights


def tender_ranking(
    rows: list[AnswerRow], script: Script, weights: Mapping[str, float] | None = None
) -> list[BidScore]:
    """Rank the bids by their weighted average score; best first.

    Raises ValueError for a weight on a question that is not scored, or a negative weight.
    """
    scored = [question for question in script.questions if question.type == "score"]
    known = {question.id for question in scored}
    weights = dict(weights or {})
    if unknown := sorted(set(weights) - known):
        raise ValueError(f"no score question called {', '.join(unknown)}")
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("weights can't be below 0")
    bid_question = script.question(BID_QUESTION)
    bid_labels = (
        {option.id: option.label for option in bid_question.options} if bid_question else {}
    )
    bids: dict[int, str] = {}
    for row in rows:
        if row.question_id == BID_QUESTION and not row.skipped:
            bids[row.respondent] = bid_labels.get(row.value, str(row.value))
    scores: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    reasons: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    panel: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.question_id not in known or row.skipped:
            continue
        bid = bids.get(row.respondent, NOT_NAMED)
        panel[bid].add(row.respondent)
        scores[bid][row.question_id].append(int(row.value["score"]))
        if row.value["reason"]:  # cleared once past the consultation's retention period
            reasons[bid][row.question_id].append(str(row.value["reason"]))
    unranked = []
    for bid in panel:
        questions = tuple(
            QuestionScore(
                question.id,
                question.text,
                weights.get(question.id, 1.0),
                _mean(scores[bid][question.id]),
                tuple(reasons[bid][question.id]),
            )
            for question in scored
        )
        unranked.append((bid, len(panel[bid]), _weighted(questions), questions))
    unranked.sort(key=lambda item: (item[2] is None, -(item[2] or 0.0), item[0]))
    ranking: list[BidScore] = []
    for position, (bid, members, score, questions) in enumerate(unranked, start=1):
        tied = bool(ranking) and ranking[-1].score == score
        rank = ranking[-1].rank if tied else position
        ranking.append(BidScore(rank, bid, members, score, questions))
    return ranking


async def ranking_for(
    uow_factory: UnitOfWorkFactory, slug: str, weights: Mapping[str, float] | None = None
) -> list[BidScore]:
    """The ranking of one tender panel consultation's bids."""
    async with uow_factory() as uow:
        consultation = await uow.consultations.get_by_slug(slug)
        if consultation is None:
            raise UnknownConsultation(slug)
        rows = await uow.answers.export(consultation.id)
    return tender_ranking(rows, cached_script(consultation.script_yaml), weights)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _weighted(questions: tuple[QuestionScore, ...]) -> float | None:
    counted = [q for q in questions if q.average is not None and q.weight > 0]
    total = sum(q.weight for q in counted)
    if not total:
        return None
    return sum(q.weight * (q.average or 0.0) for q in counted) / total
