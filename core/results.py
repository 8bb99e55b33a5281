"""Consultation results as plain rows: answers with age bands, never platform ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.ports import UnitOfWorkFactory
from dialogs import wording
from dialogs.loader import cached_script
from dialogs.schema import Question

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
        case "score":
            return f"{value['score']}: {value['reason']}"
        case _:
            return str(value)
