from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs import engine
from dialogs.loader import bundled_script, parse_script
from tests.dialogs.sample import SAMPLE
from tests.dialogs.validity import valid_answer

SCRIPTS = [parse_script(SAMPLE), bundled_script("ward_time"), bundled_script("tender_panel")]

inputs = st.one_of(
    st.builds(
        engine.Pick,
        st.sampled_from(["a", "b", "c", "ward", "wait", "staff", "0", "3", "5", "9", "zz"]),
    ),
    st.builds(
        engine.Typed,
        st.one_of(st.text(max_size=60), st.sampled_from(["1", "2 1 3", "1,2", "4", "Good reason"])),
    ),
    st.just(engine.Skip()),
    st.just(engine.Done()),
    st.just(engine.StartAgain()),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCRIPTS), st.lists(inputs, max_size=40))
def test_random_inputs_only_ever_give_whole_valid_answers(script, given_inputs):
    question_id = engine.first_question(script)
    draft: dict = {}
    path: list[str] = []
    for given_input in given_inputs:
        if question_id is None:
            break
        question = script.question(question_id)
        step = engine.respond(script, question, draft, given_input)
        if isinstance(step, engine.Retry):
            assert step.message
        elif isinstance(step, engine.Drafted):
            draft = step.draft
        else:
            assert valid_answer(question, step.value, step.skipped)
            assert step.next_question is None or script.index_of(
                step.next_question
            ) > script.index_of(question_id)
            path.append(question_id)
            question_id, draft = step.next_question, {}
        if question_id is not None:
            number, total = engine.progress(script, path, question_id)
            assert 1 <= number <= total <= len(script.questions)
    assert len(set(path)) == len(path)
