"""Loading dialog scripts from YAML, with errors that name the file, line and field."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from dialogs.schema import STAGE_ORDER, Location, Script, structural_problems

SCRIPTS_DIR = Path(__file__).parent / "scripts"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a script."""

    source: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.field}: {self.message}"


class ScriptError(ValueError):
    """A script that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


def parse_script(text: str, source: str = "<script>") -> Script:
    """Parse and validate a script; raise ScriptError naming file, line and field."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise ScriptError([Problem(source, line, "yaml", str(error.problem))]) from error
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        message = f"character {code:#06x} is not allowed in a script"
        raise ScriptError([Problem(source, line, "yaml", message)]) from error
    except RecursionError as error:
        raise ScriptError([Problem(source, 1, "yaml", "nested too deeply")]) from error
    lines = _line_numbers(node) if node is not None else {}
    if not isinstance(data, dict):
        raise ScriptError([Problem(source, 1, "script", "a script must be a YAML mapping")])
    try:
        script = Script.model_validate(data)
    except ValidationError as error:
        problems = [
            _problem(source, lines, tuple(detail["loc"]), detail["msg"])
            for detail in error.errors()
        ]
        raise ScriptError(problems) from error
    found = structural_problems(script)
    if found:
        raise ScriptError([_problem(source, lines, loc, message) for loc, message in found])
    return script


@functools.lru_cache(maxsize=256)
def cached_script(text: str) -> Script:
    """Parse a script once per distinct text: scripts stored with consultations are reused."""
    return parse_script(text)


def load_script(path: Path) -> Script:
    """Read and validate a script file; a file that is not UTF-8 text is a ScriptError."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ScriptError([Problem(str(path), line, "file", "not UTF-8 text")]) from error
    return parse_script(text, str(path))


def bundled_script(script_id: str) -> Script:
    """A script shipped with YouSaid, by id."""
    return load_script(SCRIPTS_DIR / f"{script_id}.yaml")


@dataclass(frozen=True, slots=True)
class ScriptFile:
    """A validated script together with the YAML it came from."""

    script: Script
    text: str


def bundled_consultations() -> list[ScriptFile]:
    """The shipped consultation scripts, read and validated once, Analyse stage first."""
    found = []
    for path in sorted(SCRIPTS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        script = parse_script(text, str(path))
        if script.kind == "consultation":
            found.append(ScriptFile(script, text))
    return sorted(found, key=lambda file: STAGE_ORDER.index(file.script.stage))


def _problem(source: str, lines: dict[Location, int], loc: Location, message: str) -> Problem:
    known = loc
    while known and known not in lines:
        known = known[:-1]
    return Problem(source, lines.get(known, 1), _field_name(loc), message)


def _field_name(loc: Location) -> str:
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else part
    return name or "script"


def _line_numbers(node: yaml.Node, prefix: Location = ()) -> dict[Location, int]:
    """Map each path in the document to the line where it starts."""
    lines: dict[Location, int] = {prefix: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            path = (*prefix, str(key.value))
            lines.update(_line_numbers(value, path))
            lines[path] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_numbers(item, (*prefix, index)))
    return lines
