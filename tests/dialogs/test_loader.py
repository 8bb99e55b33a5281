import pytest

from dialogs.loader import ScriptError, parse_script
from tests.dialogs.sample import SAMPLE


def problems(text):
    with pytest.raises(ScriptError) as caught:
        parse_script(text, "broken.yaml")
    return [str(problem) for problem in caught.value.problems]


def line_of(text, needle):
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_sample_is_valid():
    assert parse_script(SAMPLE).id == "sample"


def test_wrong_type_names_file_line_and_field():
    broken = SAMPLE.replace("type: scale", "type: slider")
    [found] = problems(broken)
    assert found.startswith(f"broken.yaml:{line_of(broken, 'type: slider')}: questions[2].type: ")


def test_missing_field_points_at_its_question():
    broken = SAMPLE.replace("    text: How did it feel?\n", "")
    [found] = problems(broken)
    assert found.startswith(f"broken.yaml:{line_of(broken, 'id: mood')}: questions[2].text: ")


def test_unknown_field_is_rejected():
    broken = SAMPLE.replace("optional: true", "optinal: true")
    assert any(
        f"broken.yaml:{line_of(broken, 'optinal')}: questions[5].optinal" in p
        for p in problems(broken)
    )


def test_branch_to_a_missing_question():
    broken = SAMPLE.replace("goto: mood", "goto: moon")
    [found] = problems(broken)
    assert found == (
        f"broken.yaml:{line_of(broken, 'goto: moon')}: questions[0].options[1].goto: "
        "there is no question 'moon'"
    )


def test_branch_backwards_is_rejected():
    broken = SAMPLE.replace(
        "    text: How did it feel?\n", "    text: How did it feel?\n    next: where\n"
    )
    [found] = problems(broken)
    assert "questions[2].next: 'where' comes earlier" in found


def test_too_few_options_and_duplicate_ids():
    broken = SAMPLE.replace("      - {id: c, label: Gamma}\n", "").replace(
        "      - {id: b, label: Beta}\n", ""
    )
    assert any(
        "questions[3].options: a ranking question needs 2 to 6 options" in p
        for p in problems(broken)
    )
    duplicate = SAMPLE.replace("id: story", "id: mood")
    assert any("questions[5].id: the id 'mood' is used twice" in p for p in problems(duplicate))


def test_consultation_needs_a_stage():
    broken = SAMPLE.replace("stage: analyse\n", "")
    assert problems(broken) == [
        "broken.yaml:1: stage: a consultation needs a stage: analyse, plan, do or review"
    ]


def test_yaml_syntax_error_has_a_line():
    broken = SAMPLE.replace("    text: Anything else?", "    text: [Anything else?")
    [found] = problems(broken)
    assert found.startswith("broken.yaml:")
    assert ": yaml: " in found


def test_not_a_mapping():
    assert problems("- just\n- a list\n") == [
        "broken.yaml:1: script: a script must be a YAML mapping"
    ]
