from hypothesis import given
from hypothesis import strategies as st

from core.ballots import normalise_code, parse_start_payload
from core.buttons import Action, TokenButton, parse_token_button

tokens = st.from_regex(r"[A-Za-z0-9_-]{22}", fullmatch=True)
drafts = st.from_regex(r"[A-Za-z0-9_-]{11}", fullmatch=True)
values = st.one_of(st.integers(0, 99).map(str), st.sampled_from(list("dckur")))


@given(tokens, drafts, values)
def test_voting_buttons_round_trip_within_telegram_limit(token, draft, value):
    button = TokenButton(Action.BALLOT, token, draft, value)
    encoded = button.encode()
    assert len(encoded.encode()) <= 64
    assert parse_token_button(encoded) == button


@given(st.text(max_size=80))
def test_anything_else_is_refused_not_crashed_on(text):
    parsed = parse_token_button(text)
    assert parsed is None or parsed.encode() == text


def test_start_payloads_never_mix_up_ballots_forums_codes_and_short_names():
    token = "A" * 22
    assert parse_start_payload(f"b{token}").kind == "ballot"
    assert parse_start_payload(f"j{token}").kind == "join"
    assert parse_start_payload("kABCDE-FGHJK").kind == "code"
    for slug in ("ballot_ideas", "b" * 16, "j1", "k2345678923"):
        assert parse_start_payload(slug).kind == "slug"
    assert normalise_code(" abcde fghjk ") == "ABCDE-FGHJK"
    assert normalise_code("ABCDE-FGHJ0") is None
