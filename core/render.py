"""Turning the current question of a dialog into a reply with buttons."""

from __future__ import annotations

from core import texts
from core.buttons import Action, ButtonId
from core.domain import DialogSession
from core.messages import Button, Menu, Reply
from dialogs import engine, wording
from dialogs.schema import SCORE_RANGE, Question, Script

Rows = list[tuple[Button, ...]]


def question_reply(
    script: Script, session: DialogSession, age_band: str | None, lead: str = ""
) -> Reply:
    """The reply that asks the session's current question, showing what is drafted so far."""
    assert session.question_id is not None
    question = script.question(session.question_id)
    assert question is not None
    number, total = engine.progress(script, session.path, question.id)
    body, rows = _BODIES[question.type](session, question)
    parts = [lead, f"Question {number} of {total}", question.wording(age_band), body]
    rows.append(_controls(session, question))
    return Reply(
        "\n\n".join(part for part in parts if part),
        tuple(row for row in rows if row),
        menu=_menu(session, question),
        text_entry=_text_entry(session, question),
    )


def _menu(session: DialogSession, question: Question) -> Menu | None:
    """For multi-choice: one menu standing in for the tick buttons and the Done button."""
    if question.type != "multi_choice":
        return None
    options = tuple(Button(option.id, option.label) for option in question.options)
    menu_id = ButtonId(Action.MENU, session.id, question.id).encode()
    most = question.max_choices or len(question.options)
    chosen = tuple(session.draft.get("ticked", []))
    return Menu(menu_id, options, question.min_choices, most, len(question.options) + 1, chosen)


def _text_entry(session: DialogSession, question: Question) -> str | None:
    """A title for a text box when the question waits for typed words."""
    if question.type == "text":
        return texts.TEXT_BOX_ANSWER
    if question.type == "score" and session.draft.get("score") is not None:
        return texts.TEXT_BOX_REASON
    return None


def _button(
    session: DialogSession, question: Question, action: Action, value: str | None = None
) -> str:
    return ButtonId(action, session.id, question.id, value).encode()


def _controls(session: DialogSession, question: Question) -> tuple[Button, ...]:
    buttons = []
    if question.optional:
        buttons.append(Button(_button(session, question, Action.SKIP), texts.BUTTON_SKIP, "skip"))
    pause = ButtonId(Action.PAUSE, session.id).encode()
    buttons.append(Button(pause, texts.BUTTON_PAUSE, "pause"))
    return tuple(buttons)


def _choice(session: DialogSession, question: Question) -> tuple[str, Rows]:
    rows: Rows = [
        (Button(_button(session, question, Action.ANSWER, option.id), option.label, str(n)),)
        for n, option in enumerate(question.options, start=1)
    ]
    return "", rows


def _multi_choice(session: DialogSession, question: Question) -> tuple[str, Rows]:
    ticked = set(session.draft.get("ticked", []))
    rows: Rows = []
    for n, option in enumerate(question.options, start=1):
        mark = "✅" if option.id in ticked else "▫️"
        button_id = _button(session, question, Action.ANSWER, option.id)
        rows.append((Button(button_id, f"{mark} {option.label}", str(n)),))
    rows.append((Button(_button(session, question, Action.DONE), texts.BUTTON_DONE, "done"),))
    return wording.how_multi(question), rows


def _scale(session: DialogSession, question: Question) -> tuple[str, Rows]:
    rows: Rows = [
        (Button(_button(session, question, Action.ANSWER, str(value)), label, str(value)),)
        for value, label in wording.scale_choices(question)
    ]
    return "", rows


def _text(session: DialogSession, question: Question) -> tuple[str, Rows]:
    return wording.how_to_type(question.max_length), []


def _ranking(session: DialogSession, question: Question) -> tuple[str, Rows]:
    order: list[str] = session.draft.get("order", [])
    labels = {option.id: option.label for option in question.options}
    again = Button(_button(session, question, Action.AGAIN), texts.BUTTON_AGAIN, "again")
    if len(order) == len(question.options):
        done = Button(_button(session, question, Action.DONE), texts.BUTTON_DONE, "done")
        summary = wording.ranked_so_far([labels[i] for i in order])
        return f"Your order:\n{summary}\n\nTap Done to save it, or Start again.", [(done, again)]
    rows: Rows = [
        (Button(_button(session, question, Action.ANSWER, option.id), option.label, str(n)),)
        for n, option in enumerate(question.options, start=1)
        if option.id not in order
    ]
    if not order:
        return wording.HOW_RANK, rows
    summary = wording.ranked_so_far([labels[i] for i in order])
    return f"{wording.HOW_RANK}\n\nSo far:\n{summary}", [*rows, (again,)]


def _score(session: DialogSession, question: Question) -> tuple[str, Rows]:
    score = session.draft.get("score")
    if score is not None:
        change = Button(
            _button(session, question, Action.AGAIN), texts.BUTTON_CHANGE_SCORE, "again"
        )
        return texts.YOU_GAVE.format(score=score), [(change,)]
    row = tuple(
        Button(_button(session, question, Action.ANSWER, str(value)), str(value), str(value))
        for value in SCORE_RANGE
    )
    return wording.HOW_SCORE, [row]


_BODIES = {
    "choice": _choice,
    "multi_choice": _multi_choice,
    "scale": _scale,
    "text": _text,
    "ranking": _ranking,
    "score": _score,
}
