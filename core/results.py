"""Consultation results as plain rows: answers with age bands, never platform ids."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from core.domain import AgeBand, AnswerRow
from core.ports import UnitOfWorkFactory
from dialogs import wording
from dialogs.loader import cached_script
from dialogs.schema import SCORE_RANGE, Question, Script

COLUMNS = ("respondent", "age_band", "question_id", "question", "answer", "answered_on")


class UnknownConsultation(LookupError):
    """No consultation has that short name."""


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One answer, ready for a spreadsheet."""

    respondent: int
    age_band: str
    question_id: str
    question: str
    answer: str
    answered_on: str

    def as_tuple(self) -> tuple[str | int, ...]:
        """The row's values in the order of COLUMNS."""
        return (
            self.respondent,
            self.age_band,
            self.question_id,
            self.question,
            self.answer,
            self.answered_on,
        )


async def export_results(uow_factory: UnitOfWorkFactory, slug: str) -> list[ResultRow]:
    """Every answer to one consultation, readable, with the respondent's age band."""
    async with uow_factory() as uow:
        consultation = await uow.consultations.get_by_slug(slug)
        if consultation is None:
            raise UnknownConsultation(slug)
        rows = await uow.answers.export(consultation.id)
    script = cached_script(consultation.script_yaml)
    result = []
    for row in rows:
        question = script.question(row.question_id)
        result.append(
            ResultRow(
                respondent=row.respondent,
                age_band=row.age_band.value if row.age_band is not None else "",
                question_id=row.question_id,
                question=question.text if question is not None else "",
                answer="(skipped)" if row.skipped else readable(question, row.value),
                answered_on=row.answered_at.date().isoformat(),
            )
        )
    return result


def readable(question: Question | None, value: Any) -> str:
    """An answer in words: option labels instead of ids, faces as words."""
    if question is None:
        return str(value)
    labels = {option.id: option.label for option in question.options}
    match question.type:
        case "choice":
            return labels.get(value, str(value))
        case "multi_choice":
            return "; ".join(labels.get(v, str(v)) for v in value)
        case "ranking":
            return " > ".join(labels.get(v, str(v)) for v in value)
        case "scale":
            return f"{value} ({wording.scale_labels(question)[int(value) - 1]})"
        case "score" if value["reason"]:
            return f"{value['score']}: {value['reason']}"
        case "score":  # the reason was cleared after the retention period
            return str(value["score"])
        case _:
            return str(value)


SMALL_GROUP = 5
"""Groups of fewer people than this are never shown with their number."""
FEWER_THAN_5 = "fewer than 5"


def shown_count(count: int) -> int | str:
    """A number of people as it may be shown: "fewer than 5" for any group smaller than 5."""
    return count if count >= SMALL_GROUP else FEWER_THAN_5


@dataclass(frozen=True, slots=True)
class BandSummary:
    """How people in one age band answered one question, with small groups hidden."""

    question_id: str
    question: str
    age_band: str
    """The band's id, or "" for people who gave none."""
    people: int | str
    answers: dict[str, int | str]
    """Each answer's label and how many gave it ("fewer than 5" when under 5, also for 0)."""


_COUNTED_TYPES = ("choice", "multi_choice", "scale", "ranking", "score")


def summarise_by_age_band(rows: list[AnswerRow], script: Script) -> list[BandSummary]:
    """Answers counted per question and age band; any group under 5 is "fewer than 5".

    Both the number of people in a band and each answer's count follow the rule. A ranking
    counts first choices; a score counts each score 0 to 5. Free text is not counted. A count
    can still sometimes be worked out by taking shown numbers from each other (with one
    hidden answer in a band): share these summaries, never the raw export, outside the team.
    """
    summaries = []
    for question in script.questions:
        if question.type not in _COUNTED_TYPES:
            continue
        labels = _answer_labels(question)
        by_band: dict[str, Counter[str]] = {}
        people: Counter[str] = Counter()
        for row in rows:
            if row.question_id != question.id or row.skipped:
                continue
            band = row.age_band.value if row.age_band is not None else ""
            people[band] += 1
            counts = by_band.setdefault(band, Counter())
            for label in _labels_given(question, row.value):
                counts[label] += 1
        for band in sorted(by_band, key=_band_order):
            counts = by_band[band]
            summaries.append(
                BandSummary(
                    question_id=question.id,
                    question=question.text,
                    age_band=band,
                    people=shown_count(people[band]),
                    answers={label: shown_count(counts[label]) for label in labels},
                )
            )
    return summaries


async def summary_by_age_band(uow_factory: UnitOfWorkFactory, slug: str) -> list[BandSummary]:
    """One consultation's answers counted per question and age band, small groups hidden."""
    async with uow_factory() as uow:
        consultation = await uow.consultations.get_by_slug(slug)
        if consultation is None:
            raise UnknownConsultation(slug)
        rows = await uow.answers.export(consultation.id)
    return summarise_by_age_band(rows, cached_script(consultation.script_yaml))


def _answer_labels(question: Question) -> list[str]:
    if question.type == "scale":
        return [label for _, label in wording.scale_choices(question)]
    if question.type == "score":
        return [str(score) for score in SCORE_RANGE]
    return [option.label for option in question.options]


def _labels_given(question: Question, value: Any) -> list[str]:
    labels = {option.id: option.label for option in question.options}
    match question.type:
        case "choice":
            return [labels.get(value, str(value))]
        case "multi_choice":
            return [labels.get(item, str(item)) for item in value]
        case "ranking":
            return [labels.get(value[0], str(value[0]))] if value else []
        case "scale":
            return [dict(wording.scale_choices(question))[int(value)]]
        case _:
            return [str(value["score"])]


def _band_order(band: str) -> int:
    order = [band.value for band in AgeBand]
    return order.index(band) if band in order else len(order)
