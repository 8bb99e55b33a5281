from hypothesis import given
from hypothesis import strategies as st

from core.buttons import Action, ButtonId, parse_button

ids = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


@given(st.integers(1, 999_999_999), ids, st.from_regex(r"[a-z0-9_]{1,16}", fullmatch=True))
def test_answer_buttons_round_trip_within_telegram_limit(session_id, question_id, value):
    button = ButtonId(Action.ANSWER, session_id, question_id, value)
    encoded = button.encode()
    assert len(encoded.encode()) <= 64
    assert parse_button(encoded) == button


def test_each_action_has_its_own_shape():
    assert parse_button("p:12") == ButtonId(Action.PAUSE, 12)
    assert parse_button("d:12:likes") == ButtonId(Action.DONE, 12, "likes")
    assert parse_button("c:3") == ButtonId(Action.CONSULT, 3)
    for wrong in ["p:12:likes", "d:12", "a:12:likes", "c:3:x:y", "z:1", "a:1:Q:v", "a:-1:q:v"]:
        assert parse_button(wrong) is None, wrong


@given(st.text(max_size=80))
def test_anything_else_is_refused_not_crashed_on(text):
    parsed = parse_button(text)
    assert parsed is None or parsed.encode() == text
