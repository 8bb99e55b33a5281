"""The bot's own words pass the same plain-words check it puts adults' messages through.

Every text young people can get is walked: each text constant in core/texts.py (placeholders
filled with short, likely values), each command description, the dialog engine's words in
dialogs/wording.py, and every title, summary, intro, closing, question, age-band wording,
option and scale label in every shipped dialog script. A text fails on a glossary term, an
unexplained acronym, a sentence of more than 25 words, or a reading age above 11 (texts under
8 words get no reading age: the formula means nothing there).
"""

import inspect
import string
from collections.abc import Iterator

import pytest

from core import commands, texts
from core.plain_words import check, lookup
from dialogs import wording
from dialogs.loader import SCRIPTS_DIR, load_script
from dialogs.schema import Option, Question, Script
from tests.dialogs.sample import SAMPLE

NOT_SAID = frozenset({"CONSENT_VERSION"})
"""Constants in core/texts.py that are never shown to anyone."""

# Organiser-facing texts. Organisers run the forum and need some words young people should not
# meet, so these are checked for jargon with ORGANISER_WORDS allowed. They are not held to the
# reading-age and sentence-length rule: they are mostly command syntax and lists of settings
# ("/poll Your question | option | option"), which reading formulas cannot measure.
ORGANISER_TEXTS = frozenset({"ORGANISER_HELP", "POLL_HOW", "INVITE_HOW", "BALLOT_HOW"})
ORGANISER_WORDS = frozenset({"consultation", "consult"})

SAMPLE_VALUES = {
    "title": "Your time on the ward",
    "summary": "Tell us what it's like to wait to see a doctor.",
    "question": "Which day suits you best?",
    "option": "Friday after school",
    "score": "3",
    "count": "12",
    "most": "10",
    "names": "ward_time\ntaking_part",
    # /whatis: any word, and one of the glossary's explanations (all checked in test_plain_words).
    "term": "panel",
    "explanation": lookup("GP"),
    "seats": "2",
    "how": "Pick one option.",
    "when": "Voting closes on Friday at 5pm.",
    "options": "1. Sam\n2. Alex",
    "order": "1. Sam\n2. Alex",
    "opens": "on Monday at 9am",
    "closes": "on Friday at 5pm",
    "platform": "Telegram",
    "picked": "Sam",
    "choice": "Sam",
    "receipt": "K7QM-2XPD",
    "code": "K7QM-2XPD",
    # Red cards and the check before sending: a plain word, so the wording itself is judged.
    "word": "drop-in",
    "forum": "Riverside Youth Forum",
    "quote": "Come to the drop-in on Friday.",
    "where": 'It was in your message in "Riverside Youth Forum".',
    "ago": "26 hours",
    "time": "3 hours",
    "raised": "5",
    "cards": "3",
    "explained": "2",
    "waiting": "1",
    "chases": "1",
    "words": '"drop-in" (3), "rota" (1)',
    "example": "drop-in = what it means",
    "command": "/announce",
    "sentence": "We will meet at the club and then go to the park.",
    "age": "14",
    "text": "Pizza night is on Friday at six.",
    "red_card": texts.RED_CARD_HELP["discord"],
}


class _Values(dict):
    """Likely values for placeholders; a short number for any this test has not met yet."""

    def __missing__(self, key: str) -> str:
        return "2"


def fill(text: str) -> str:
    return string.Formatter().vformat(text, (), _Values(SAMPLE_VALUES))


def constant_texts() -> Iterator[tuple[str, str]]:
    for name, value in vars(texts).items():
        if not name.isupper() or name in NOT_SAID:
            continue
        if isinstance(value, str):
            yield name, value
        elif isinstance(value, dict):
            for key, text in value.items():
                if isinstance(text, str):
                    yield f"{name}[{key}]", text
        elif isinstance(value, tuple | list):
            for index, text in enumerate(value):
                if isinstance(text, str):
                    yield f"{name}[{index}]", text


def command_texts() -> Iterator[tuple[str, str, bool]]:
    """(where, text, organiser-facing): descriptions, and the usage lines (command syntax)."""
    for menu in ("PRIVATE", "GROUP", "ORGANISER"):
        for info in getattr(commands, menu):
            yield f"commands.{menu}.{info.name}", info.description, False
            if info.usage:
                yield f"commands.{menu}.{info.name}.usage", info.usage, True


_SAMPLE_QUESTION = Question(
    id="q",
    type="multi_choice",
    text="?",
    max_choices=2,
    options=tuple(Option(id=f"o{n}", label=str(n)) for n in range(3)),
)
WORDING_CALLS = {
    "how_multi": [wording.how_multi(_SAMPLE_QUESTION)],
    "too_many": [wording.too_many(3)],
    "too_few": [wording.too_few(1), wording.too_few(2)],
    "too_long": [wording.too_long(612, 500)],
    "rank_all": [wording.rank_all(4)],
    "how_to_type": [wording.how_to_type(500)],
    "scale_labels": list(wording.SCALE_WORDS),
    "scale_choices": [label for _, label in wording.scale_choices(_SAMPLE_QUESTION)],
    "ranked_so_far": [wording.ranked_so_far(["Being told what's going on", "Having my own space"])],
}
"""Each function in dialogs/wording.py that makes words, with its words for likely arguments."""


def wording_texts() -> Iterator[tuple[str, str]]:
    for name, value in vars(wording).items():
        if name.isupper() and isinstance(value, str):
            yield f"wording.{name}", value
        elif name.isupper() and isinstance(value, tuple):
            for index, text in enumerate(value):
                yield f"wording.{name}[{index}]", text
    for name, said in WORDING_CALLS.items():
        for index, text in enumerate(said):
            yield f"wording.{name}()[{index}]", text


TEXT_FIELDS = {
    Script: {"title", "summary", "intro", "closing"},
    Question: {"text", "text_by_age", "labels"},
    Option: {"label"},
}
NOT_TEXT_FIELDS = {
    Script: {"id", "kind", "stage", "questions", "retention_months"},
    Question: {
        "id",
        "type",
        "options",
        "optional",
        "next",
        "max_length",
        "min_choices",
        "max_choices",
        "profile",
    },
    Option: {"id", "goto"},
}


def _model_texts(model, where: str) -> Iterator[tuple[str, str]]:
    for field in type(model).model_fields:
        value = getattr(model, field)
        if field in TEXT_FIELDS[type(model)]:
            if isinstance(value, str):
                yield f"{where}.{field}", value
            elif isinstance(value, dict):
                for key, text in value.items():
                    yield f"{where}.{field}.{key}", text
            else:
                for index, text in enumerate(value):
                    yield f"{where}.{field}[{index}]", text
        elif field in ("questions", "options"):
            for item in value:
                yield from _model_texts(item, f"{where}.{item.id}")


def script_texts() -> Iterator[tuple[str, str]]:
    paths = sorted(SCRIPTS_DIR.glob("*.yaml"))
    assert paths, "the shipped scripts are there"
    for path in paths:
        script = load_script(path)
        yield from _model_texts(script, path.stem)


def young_people_texts() -> list[tuple[str, str]]:
    found = [(f"texts.{n}", fill(t)) for n, t in constant_texts() if n not in ORGANISER_TEXTS]
    found += [(where, text) for where, text, organiser in command_texts() if not organiser]
    found += list(wording_texts())
    found += list(script_texts())
    return found


def organiser_texts() -> list[tuple[str, str]]:
    found = [(f"texts.{n}", fill(t)) for n, t in constant_texts() if n in ORGANISER_TEXTS]
    found += [(where, text) for where, text, organiser in command_texts() if organiser]
    return found


@pytest.mark.parametrize(("where", "text"), young_people_texts(), ids=lambda v: v[:60])
def test_texts_young_people_see_are_plain(where, text):
    findings = check(text)
    assert findings.plain, f"{where}: {text!r}\n" + "\n".join(findings.problems())


@pytest.mark.parametrize(("where", "text"), organiser_texts(), ids=lambda v: v[:60])
def test_texts_for_organisers_have_no_jargon_beyond_their_own(where, text):
    findings = check(text)
    terms = [term.term for term in findings.terms if term.term not in ORGANISER_WORDS]
    assert not terms and not findings.unknown_acronyms, f"{where}: {findings.problems()}"


def test_the_walk_covers_every_kind_of_text():
    said = dict(young_people_texts())
    assert len(said) > 150
    assert said["texts.HELP"] == texts.HELP
    assert "texts.WHATIS_UNKNOWN" in said
    assert "commands.PRIVATE.whatis" in said
    assert "wording.PICK_ONE" in said
    assert "ward_time.where.text_by_age.under_13" in said
    assert "ward_time.where.ward.label" in said
    assert "tender_panel.intro" in said
    assert "onboarding.consent.text" in said
    assert texts.ORGANISERS_ONLY in said.values(), "young people are told they can't"
    red_cards = [name for name in vars(texts) if name.startswith(("REDCARD", "DRAFT_"))]
    assert len(red_cards) > 40 and all(f"texts.{name}" in said for name in red_cards)
    assert said["texts.REDCARD_ASK"].startswith("A young person red-carded 'drop-in'.")
    assert "texts.DURATION_ONE[hours]" in said
    assert "commands.GROUP.redcard" in said and "commands.ORGANISER.announce" in said
    assert "texts.ORGANISER_HELP" in dict(organiser_texts())
    assert ORGANISER_TEXTS.issubset(name for name, _ in constant_texts())


def test_placeholders_are_filled():
    assert fill(texts.YOU_PAUSED) == 'You paused "Your time on the ward". Your answers are saved.'
    for where, text in young_people_texts():
        assert "{" not in text, where


def test_every_script_field_is_known_as_text_or_not():
    """A new field in dialogs/schema.py must be added to TEXT_FIELDS or NOT_TEXT_FIELDS."""
    for model in (Script, Question, Option):
        fields = set(model.model_fields)
        assert fields == TEXT_FIELDS[model] | NOT_TEXT_FIELDS[model], model.__name__


def test_every_wording_function_is_walked():
    functions = {
        name
        for name, value in vars(wording).items()
        if inspect.isfunction(value) and value.__module__ == wording.__name__
    }
    assert functions == set(WORDING_CALLS)


def test_the_sample_script_used_by_other_tests_is_not_walked():
    assert "Where were you, little one?" in SAMPLE
    assert "Where were you, little one?" not in dict(young_people_texts()).values()
