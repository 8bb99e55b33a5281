"""What a stored answer to each question type must look like."""

from dialogs.schema import SCORE_RANGE, Question


def valid_answer(question: Question, value, skipped: bool) -> bool:
    if skipped:
        return question.optional and value is None
    ids = [option.id for option in question.options]
    match question.type:
        case "choice":
            return value in ids
        case "multi_choice":
            most = question.max_choices or len(ids)
            return (
                isinstance(value, list)
                and question.min_choices <= len(value) <= most
                and len(set(value)) == len(value)
                and all(v in ids for v in value)
            )
        case "scale":
            return isinstance(value, int) and 1 <= value <= 5
        case "text":
            return (
                isinstance(value, str)
                and 0 < len(value) <= question.max_length
                and value == value.strip()
            )
        case "ranking":
            return isinstance(value, list) and sorted(value) == sorted(ids)
        case "score":
            return (
                isinstance(value, dict)
                and set(value) == {"score", "reason"}
                and value["score"] in SCORE_RANGE
                and 3 <= len(value["reason"]) <= question.max_length
            )
    return False
