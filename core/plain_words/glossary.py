"""The glossary: jargon terms and acronyms with plain explanations, and how to spot them.

The built-in glossary is ``glossary.csv`` next to this module (columns ``term``, ``kind``,
``explanation``). A forum can add its own terms; they are checked the same way.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources


class Kind(StrEnum):
    """How a term is matched in running text."""

    ACRONYM = "acronym"
    """Case-sensitive, whole token, with an optional plural ``s`` ("GP", "GPs")."""
    WORD = "word"
    """A word or phrase: case-insensitive, whole words, the last word may be inflected."""


class Source(StrEnum):
    """Where a term comes from."""

    GLOSSARY = "glossary"
    FORUM = "forum"


@dataclass(frozen=True, slots=True)
class Entry:
    """One term with its plain explanation."""

    term: str
    explanation: str
    kind: Kind
    source: Source = Source.GLOSSARY


_ACRONYM_SHAPE = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})(?!.*[a-z]{2})[A-Za-z0-9&]+$")
"""One token with at least two capitals and never two lower-case letters in a row (DfE, A&E)."""

_IRREGULAR = {
    "child": "children",
    "person": "people",
    "criterion": "criteria",
    "diagnosis": "diagnoses",
    "analysis": "analyses",
}
"""Plurals that adding -s or -es does not make."""

BEFORE = r"(?<![\w&])"
"""Nothing word-like just before a match."""
AFTER = r"(?![\w&])"
"""Nothing word-like just after a match."""


def kind_of(term: str) -> Kind:
    """Acronym when the term looks like one (two or more capitals in one token), else word."""
    return Kind.ACRONYM if _ACRONYM_SHAPE.match(term) else Kind.WORD


def parse_glossary(text: str, source: str = "glossary.csv") -> tuple[Entry, ...]:
    """Read glossary CSV text; raise ValueError naming the line of a bad or repeated row."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or list(reader.fieldnames)[:3] != ["term", "kind", "explanation"]:
        raise ValueError(f"{source}:1: the columns must be term,kind,explanation")
    entries: list[Entry] = []
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        term = (row.get("term") or "").strip()
        explanation = (row.get("explanation") or "").strip()
        kind = (row.get("kind") or "").strip()
        if not term or not explanation or kind not in set(Kind) or None in row:
            raise ValueError(f"{source}:{line}: each row needs a term, a kind and an explanation")
        if term.casefold() in seen:
            raise ValueError(f"{source}:{line}: '{term}' is in the glossary twice")
        seen.add(term.casefold())
        entries.append(Entry(term, explanation, Kind(kind)))
    return tuple(entries)


@functools.cache
def builtin() -> tuple[Entry, ...]:
    """The glossary shipped with YouSaid, read once."""
    text = resources.files("core.plain_words").joinpath("glossary.csv").read_text(encoding="utf-8")
    return parse_glossary(text)


def entries(extra_terms: Mapping[str, str] | None = None) -> tuple[Entry, ...]:
    """The built-in glossary plus a forum's own terms; a forum's term replaces a built-in one."""
    if not extra_terms:
        return builtin()
    extra = [
        Entry(term.strip(), explanation.strip(), kind_of(term.strip()), Source.FORUM)
        for term, explanation in extra_terms.items()
        if term.strip() and explanation.strip()
    ]
    replaced = {entry.term.casefold() for entry in extra}
    return (*(e for e in builtin() if e.term.casefold() not in replaced), *extra)


def pattern(entry: Entry) -> re.Pattern[str]:
    """The regular expression that finds a term in running text."""
    return _compiled(entry.term, entry.kind)


@functools.lru_cache(maxsize=2048)
def _compiled(term: str, kind: Kind) -> re.Pattern[str]:
    if kind == Kind.ACRONYM:
        return re.compile(f"{BEFORE}{re.escape(term)}s?{AFTER}")
    words = term.lower().split()
    pieces = [_word(word, last=index == len(words) - 1) for index, word in enumerate(words)]
    return re.compile(BEFORE + r"[\s-]+".join(pieces) + AFTER, re.IGNORECASE)


def _word(word: str, last: bool) -> str:
    """One word of a phrase: hyphens optional ("co-production", "coproduction"), ise or ize."""
    parts = word.split("-")
    body = r"[\s-]?".join(re.escape(part) for part in parts[:-1])
    joiner = r"[\s-]?" if body else ""
    tail = parts[-1]
    forms = [_inflected(tail) if last else re.escape(tail)]
    if tail in _IRREGULAR:
        forms.append(re.escape(_IRREGULAR[tail]))
    return f"{body}{joiner}(?:{'|'.join(forms)})"


def _inflected(word: str) -> str:
    """A word with the endings that do not change its meaning: -s, -es, -ies, -ed, -ing."""
    british = re.fullmatch(r"(.*)is(e|ation)", word)
    if british is not None:
        stem = f"{re.escape(british[1])}i[sz]"
        return f"{stem}(?:e|es|ed|ing)" if british[2] == "e" else f"{stem}ations?"
    if len(word) > 2 and word.endswith("y") and word[-2] not in "aeiou":
        return f"{re.escape(word[:-1])}(?:y|ies|ied|ying)"
    if word.endswith("e"):
        return f"{re.escape(word[:-1])}(?:e|es|ed|ing)"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return f"{re.escape(word)}(?:es|ed|ing)?"
    last = word[-1]
    doubled = f"|{last}ed|{last}ing" if last not in "aeiouwy" else ""
    return f"{re.escape(word)}(?:s|es|ed|ing{doubled})?"


def tidy(term: str) -> str:
    """A term as someone typed it, with outer quotes and punctuation off and spaces tidied."""
    return " ".join(term.strip().strip("\"'“”‘’.,!?:;()[]").split())


def find_entry(term: str, extra_terms: Mapping[str, str] | None = None) -> Entry | None:
    """The entry for a term someone asked about: forgiving about case, plurals and spacing."""
    wanted = tidy(term)
    if not wanted:
        return None
    known = _by_priority(entries(extra_terms))
    exact = next((entry for entry in known if entry.term == wanted), None)
    exact = exact or next((e for e in known if e.term.casefold() == wanted.casefold()), None)
    if exact is not None:
        return exact
    for entry in known:
        if pattern(entry).fullmatch(wanted):
            return entry
    singular = re.sub(r"(?<=[a-z])s$", "", wanted.casefold())
    return next((entry for entry in known if entry.term.casefold() == singular), None)


def _by_priority(known: Iterable[Entry]) -> list[Entry]:
    """A forum's own terms first, then the built-in ones."""
    return sorted(known, key=lambda entry: entry.source != Source.FORUM)
