"""The YAML dialog script format, validated with pydantic."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,15}$")]
"""Short lower-case ids keep button ids within chat platforms' limits."""

END = "end"
"""The target that ends a dialog."""

QuestionType = Literal["choice", "multi_choice", "scale", "text", "ranking", "score"]
AgeBandName = Literal["under_13", "13_15", "16_17", "18_25"]
ProfileField = Literal["consent", "age_band", "contact_preference", "invite_code"]
StageName = Literal["analyse", "plan", "do", "review"]
STAGE_ORDER: tuple[StageName | None, ...] = ("analyse", "plan", "do", "review", None)

SCALE_FACES = ("😞", "🙁", "😐", "🙂", "😄")
SCORE_RANGE = range(0, 6)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer a person can pick."""

    id: Id
    label: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    goto: Id | None = None


class Question(_Strict):
    """One question in a dialog."""

    id: Id
    type: QuestionType
    text: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    text_by_age: dict[AgeBandName, Annotated[str, StringConstraints(min_length=1)]] = Field(
        default_factory=dict
    )
    options: tuple[Option, ...] = ()
    labels: tuple[str, ...] = ()
    optional: bool = False
    next: Id | None = None
    max_length: int = Field(default=500, ge=10, le=4000)
    min_choices: int = Field(default=1, ge=0)
    max_choices: int | None = Field(default=None, ge=1)
    profile: ProfileField | None = None

    def wording(self, age_band: str | None) -> str:
        """The question's text for a person in the given age band."""
        if age_band is not None:
            return self.text_by_age.get(age_band, self.text)  # type: ignore[call-overload, no-any-return]
        return self.text

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if the question has it."""
        return next((option for option in self.options if option.id == option_id), None)


class Script(_Strict):
    """A whole dialog: onboarding or a consultation."""

    id: Id
    kind: Literal["onboarding", "consultation"] = "consultation"
    title: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    summary: Annotated[str, StringConstraints(min_length=1, max_length=600)]
    stage: StageName | None = None
    intro: Annotated[str, StringConstraints(min_length=1, max_length=1200)]
    closing: Annotated[str, StringConstraints(min_length=1, max_length=1200)]
    questions: tuple[Question, ...] = Field(min_length=1)
    retention_months: int = Field(default=12, ge=1, le=120)
    """How long typed answers (and the reasons given with scores) are kept."""

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if the script has it."""
        return next((q for q in self.questions if q.id == question_id), None)

    def index_of(self, question_id: str) -> int:
        """Where a question stands in the script (0-based)."""
        return next(i for i, q in enumerate(self.questions) if q.id == question_id)


Location = tuple[str | int, ...]


def structural_problems(script: Script) -> list[tuple[Location, str]]:
    """Checks that need the whole script: ids, options, branches that go forward only."""
    problems: list[tuple[Location, str]] = []
    if script.kind == "consultation" and script.stage is None:
        problems.append((("stage",), "a consultation needs a stage: analyse, plan, do or review"))
    seen: dict[str, int] = {}
    for index, question in enumerate(script.questions):
        where: Location = ("questions", index)
        if question.id in seen:
            problems.append(((*where, "id"), f"the id '{question.id}' is used twice"))
        seen[question.id] = index
        problems.extend(_question_problems(script, index, question, where))
    return problems


_NEEDS_OPTIONS = {"choice": (2, 12), "multi_choice": (2, 12), "ranking": (2, 6)}


def _question_problems(
    script: Script, index: int, question: Question, where: Location
) -> list[tuple[Location, str]]:
    problems: list[tuple[Location, str]] = []
    limits = _NEEDS_OPTIONS.get(question.type)
    if limits is None and question.options:
        problems.append(((*where, "options"), f"a {question.type} question has no options"))
    if limits is not None:
        low, high = limits
        if not low <= len(question.options) <= high:
            problems.append(
                ((*where, "options"), f"a {question.type} question needs {low} to {high} options")
            )
        option_ids = [option.id for option in question.options]
        if len(set(option_ids)) != len(option_ids):
            problems.append(((*where, "options"), "two options share an id"))
    if question.labels and (question.type != "scale" or len(question.labels) != 5):
        problems.append(((*where, "labels"), "labels are for scale questions and need 5 words"))
    if question.max_choices is not None and question.type != "multi_choice":
        problems.append(((*where, "max_choices"), "max_choices is for multi_choice questions"))
    if question.type == "multi_choice":
        top = question.max_choices or len(question.options)
        if not question.min_choices <= top <= len(question.options):
            problems.append(((*where, "max_choices"), "min_choices and max_choices do not fit"))
    for number, option in enumerate(question.options):
        if option.goto is not None and question.type != "choice":
            problems.append(
                ((*where, "options", number, "goto"), "only choice questions can branch")
            )
        goto_at = (*where, "options", number, "goto")
        problems.extend(_target_problems(script, index, option.goto, goto_at))
    problems.extend(_target_problems(script, index, question.next, (*where, "next")))
    if script.kind == "consultation" and question.profile is not None:
        problems.append(((*where, "profile"), "profile is only for onboarding questions"))
    if question.profile is not None:
        problems.extend(_profile_problems(question, where))
    return problems


PROFILE_OPTIONS: dict[str, frozenset[str]] = {
    "consent": frozenset({"yes", "no"}),
    "age_band": frozenset({"under_13", "age_13_15", "age_16_17", "age_18_25"}),
    "contact_preference": frozenset({"every_update", "big_news", "never"}),
}
"""The option ids an onboarding question may use for each profile field it sets."""


def _profile_problems(question: Question, where: Location) -> list[tuple[Location, str]]:
    assert question.profile is not None
    if question.profile == "invite_code":
        if question.type != "text":
            return [((*where, "profile"), "an invite_code question must be a text question")]
        return []
    if question.type != "choice":
        return [((*where, "profile"), "a profile question must be a choice question")]
    allowed = PROFILE_OPTIONS[question.profile]
    wrong = [option.id for option in question.options if option.id not in allowed]
    if wrong:
        names = ", ".join(sorted(allowed))
        return [((*where, "options"), f"options for {question.profile} must be from: {names}")]
    return []


def _target_problems(
    script: Script, index: int, target: str | None, where: Location
) -> list[tuple[Location, str]]:
    if target is None or target == END:
        return []
    target_index = next((i for i, q in enumerate(script.questions) if q.id == target), None)
    if target_index is None:
        return [(where, f"there is no question '{target}'")]
    if target_index <= index:
        return [(where, f"'{target}' comes earlier: branches can only go forward")]
    return []
