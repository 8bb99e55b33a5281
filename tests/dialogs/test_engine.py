import pytest

from dialogs import engine, wording
from dialogs.loader import parse_script
from tests.dialogs.sample import SAMPLE

SCRIPT = parse_script(SAMPLE)


def q(question_id):
    question = SCRIPT.question(question_id)
    assert question is not None
    return question


def respond(question_id, given, draft=None):
    return engine.respond(SCRIPT, q(question_id), draft or {}, given)


def test_choice_by_button_number_or_label():
    assert respond("where", engine.Pick("ward")) == engine.Answered("ward", False, "likes")
    assert respond("where", engine.Typed(" 1 ")) == engine.Answered("ward", False, "likes")
    assert respond("where", engine.Typed("in a WAITING room")).value == "wait"


def test_choice_branches_past_questions():
    assert respond("where", engine.Pick("wait")).next_question == "mood"


@pytest.mark.parametrize("given", [engine.Pick("nope"), engine.Typed("7"), engine.Done()])
def test_choice_that_does_not_fit_is_asked_again(given):
    assert respond("where", given) == engine.Retry(wording.PICK_ONE)


def test_multi_choice_ticks_untick_and_done():
    step = respond("likes", engine.Pick("wifi"))
    assert step == engine.Drafted({"ticked": ["wifi"]})
    step = respond("likes", engine.Pick("staff"), step.draft)
    assert step == engine.Drafted({"ticked": ["staff", "wifi"]})
    assert isinstance(respond("likes", engine.Pick("food"), step.draft), engine.Retry)
    step = respond("likes", engine.Pick("wifi"), step.draft)
    assert step == engine.Drafted({"ticked": ["staff"]})
    assert respond("likes", engine.Done(), step.draft) == engine.Answered(["staff"], False, "mood")


def test_multi_choice_needs_one_and_accepts_typed_numbers():
    assert respond("likes", engine.Done()) == engine.Retry(wording.too_few(1))
    assert respond("likes", engine.Typed("3, 1")).value == ["staff", "wifi"]
    assert isinstance(respond("likes", engine.Typed("1,2,3")), engine.Retry)
    assert isinstance(respond("likes", engine.Typed("9")), engine.Retry)


def test_scale_by_button_number_or_word():
    assert respond("mood", engine.Pick("4")).value == 4
    assert respond("mood", engine.Typed("really bad")).value == 1
    assert isinstance(respond("mood", engine.Typed("6")), engine.Retry)


def test_ranking_by_taps_with_review_and_start_again():
    step = respond("order", engine.Pick("b"))
    assert step == engine.Drafted({"order": ["b"]})
    step = respond("order", engine.Pick("c"), step.draft)
    assert step == engine.Drafted({"order": ["b", "c", "a"]}), "the last one is placed for you"
    assert respond("order", engine.StartAgain(), step.draft) == engine.Drafted({})
    assert respond("order", engine.Done(), step.draft) == engine.Answered(
        ["b", "c", "a"], False, "score"
    )


def test_ranking_done_too_early_or_typed():
    assert isinstance(respond("order", engine.Done(), {"order": ["a"]}), engine.Retry)
    assert respond("order", engine.Typed("3 1 2")).value == ["c", "a", "b"]
    assert isinstance(respond("order", engine.Typed("1 1 2")), engine.Retry)


def test_score_then_required_reason():
    step = respond("score", engine.Pick("0"))
    assert step == engine.Drafted({"score": 0})
    assert respond("score", engine.Typed("ok"), step.draft) == engine.Retry(wording.GIVE_REASON)
    assert respond("score", engine.Pick("5"), step.draft) == engine.Drafted({"score": 5})
    answered = respond("score", engine.Typed("They never call back"), step.draft)
    assert answered == engine.Answered(
        {"score": 0, "reason": "They never call back"}, False, "story"
    )


def test_score_out_of_range_and_reason_too_long():
    assert isinstance(respond("score", engine.Typed("6")), engine.Retry)
    assert isinstance(respond("score", engine.Typed("x" * 50), {"score": 3}), engine.Retry)


def test_text_limits_and_skip():
    assert respond("story", engine.Typed("  fine  ")) == engine.Answered("fine", False, None)
    assert respond("story", engine.Typed("   ")) == engine.Retry(wording.PLEASE_TYPE)
    assert respond("story", engine.Typed("x" * 21)) == engine.Retry(wording.too_long(21, 20))
    assert respond("story", engine.Skip()) == engine.Answered(None, True, None)


def test_required_question_cannot_be_skipped():
    assert respond("mood", engine.Skip()) == engine.Retry(wording.CANNOT_SKIP)


def test_progress_counts_the_longest_way_left():
    assert engine.progress(SCRIPT, [], "where") == (1, 6)
    assert engine.progress(SCRIPT, ["where"], "mood") == (2, 5)
    assert engine.progress(SCRIPT, ["where", "likes"], "mood") == (3, 6)


def test_age_band_wording():
    assert q("where").wording("under_13") == "Where were you, little one?"
    assert q("where").wording("16_17") == "Where were you?"
    assert q("where").wording(None) == "Where were you?"
