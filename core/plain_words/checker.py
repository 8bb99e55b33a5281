"""Checking a text for jargon, unexplained acronyms and hard reading, before anyone sends it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import textstat  # type: ignore[import-untyped]

from core.plain_words.glossary import AFTER, BEFORE, Entry, Source, entries, find_entry, pattern

MAX_READING_AGE = 11.0
"""The highest reading age a text for young people may have (the NHS aims at 9 to 11)."""

MIN_WORDS_FOR_READING_AGE = 8
"""Texts with fewer words get no reading age: the formula means nothing on a few words."""

LONG_SENTENCE_WORDS = 25
"""A sentence with more words than this is too long."""

EVERYDAY_CAPITALS = frozenset({"OK", "TV", "UK", "PE", "ID", "DJ", "Q&A", "COVID"})
"""Words in capitals that young people know and that are not flagged as unknown acronyms."""

_MASKED = re.compile(
    r"\{[^{}]*\}"  # format placeholders: {title}
    r"|https?://\S+"  # web addresses
    r"|(?<![\w/])/[a-z][a-z0-9_]*"  # commands: /whatis
    r"|(?<!\w)@\w+"  # mentions: @someone
    r"|\b[A-Z0-9]{4,}(?:-[A-Z0-9]{4,})+\b"  # codes to type in: ABCDE-FGHJK
)
_PLACEHOLDER_OR_ADDRESS = re.compile(r"\{[^{}]*\}|https?://\S+")
_TOKEN = re.compile(f"{BEFORE}[A-Za-z0-9&]+{AFTER}")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+|\n+")


@dataclass(frozen=True, slots=True)
class Span:
    """Where something was found: ``text[start:end]`` of the checked text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class KnownTerm:
    """A glossary or forum term used in the text and not explained there."""

    term: str
    """The term as the glossary spells it ("outcomes framework"), whatever form was used."""
    explanation: str
    source: Source
    spans: tuple[Span, ...]
    """Every place it is used, in order."""


@dataclass(frozen=True, slots=True)
class UnknownAcronym:
    """Capital letters the glossary does not know and the text does not explain."""

    acronym: str
    """Without a plural ``s``: "ABC" for "ABCs"."""
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class LongSentence:
    """A sentence of more than LONG_SENTENCE_WORDS words."""

    text: str
    words: int


@dataclass(frozen=True, slots=True)
class Findings:
    """Everything the checker found in one text; ``plain`` when there is nothing to fix."""

    terms: tuple[KnownTerm, ...]
    unknown_acronyms: tuple[UnknownAcronym, ...]
    long_sentences: tuple[LongSentence, ...]
    words: int
    sentences: int
    reading_age: float | None
    """Flesch-Kincaid grade + 5, or None when the text has too few words to measure."""

    @property
    def too_hard(self) -> bool:
        """The reading age is above MAX_READING_AGE."""
        return self.reading_age is not None and self.reading_age > MAX_READING_AGE

    @property
    def jargon(self) -> bool:
        """Known terms or unknown acronyms were found."""
        return bool(self.terms or self.unknown_acronyms)

    @property
    def plain(self) -> bool:
        """No jargon, no long sentences, and not too hard to read."""
        return not (self.jargon or self.long_sentences or self.too_hard)

    def problems(self) -> list[str]:
        """One short line per problem, for people fixing the text."""
        lines = [f'jargon: "{span.text}" ({t.term})' for t in self.terms for span in t.spans[:1]]
        lines += [f'unexplained acronym: "{a.acronym}"' for a in self.unknown_acronyms]
        lines += [f'long sentence ({s.words} words): "{s.text}"' for s in self.long_sentences]
        if self.too_hard:
            lines.append(f"reading age {self.reading_age} is above {MAX_READING_AGE:g}")
        return lines


def check(text: str, extra_terms: Mapping[str, str] | None = None) -> Findings:
    """Check a text for jargon, unexplained acronyms, long sentences and its reading age.

    ``extra_terms`` are a forum's own terms with their explanations; they count as jargon
    like the built-in glossary's. Placeholders (``{title}``), commands (``/help``), web
    addresses, @mentions and codes (``ABCDE-FGHJK``) are not checked for jargon. A term or
    acronym that the text explains itself, straight after it in brackets ("CAMHS (mental
    health services for young people)") or with it in brackets after the words ("...
    services (CAMHS)"), is not reported.
    """
    masked = _mask(text)
    terms, taken = _known_terms(masked, text, entries(extra_terms))
    sentences = _sentences(_PLACEHOLDER_OR_ADDRESS.sub(" ", text))
    counts = [(sentence, _words(sentence)) for sentence in sentences]
    words = sum(count for _, count in counts)
    long = [LongSentence(s, count) for s, count in counts if count > LONG_SENTENCE_WORDS]
    return Findings(
        terms=terms,
        unknown_acronyms=_unknown_acronyms(masked, text, taken),
        long_sentences=tuple(long),
        words=words,
        sentences=sum(1 for _, count in counts if count),
        reading_age=_reading_age([s for s, count in counts if count], words),
    )


def explain(text: str, extra_terms: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """The glossary's explanation of each term the text uses without explaining it, in order.

    This is what gets attached to a message for young readers: ``[(term, explanation)]``.
    """
    terms, _ = _known_terms(_mask(text), text, entries(extra_terms))
    return [(term.term, term.explanation) for term in terms]


def lookup(term: str, extra_terms: Mapping[str, str] | None = None) -> str | None:
    """The plain explanation of one term, or None when the glossary does not know it.

    Forgiving: "camhs", "GPs", "co production" and "Tenders" all find their entries.
    """
    entry = find_entry(term, extra_terms)
    return entry.explanation if entry is not None else None


def reading_age(text: str) -> float | None:
    """The text's reading age (Flesch-Kincaid grade + 5), or None for under 8 words."""
    return check(text).reading_age


def _mask(text: str) -> str:
    """The text with placeholders, commands, addresses and mentions blanked, same length."""
    return _MASKED.sub(lambda match: " " * len(match[0]), text)


def _known_terms(
    masked: str, text: str, known: tuple[Entry, ...]
) -> tuple[tuple[KnownTerm, ...], list[tuple[int, int]]]:
    """Known terms, longest match first, in order of first use; and every span they took."""
    candidates = [
        (entry, match.start(), match.end())
        for entry in known
        for match in pattern(entry).finditer(masked)
    ]
    # Longest first; at the same length the term spelt exactly so ("commissioning", not
    # "commission" + "ing"), then a forum's own term.
    candidates.sort(
        key=lambda c: (
            c[1] - c[2],
            c[1],
            c[0].term.casefold() != masked[c[1] : c[2]].casefold(),
            c[0].source != Source.FORUM,
        )
    )
    taken: list[tuple[int, int]] = []
    found: dict[Entry, list[Span]] = {}
    for entry, start, end in candidates:
        if any(start < other_end and other_start < end for other_start, other_end in taken):
            continue
        taken.append((start, end))
        found.setdefault(entry, []).append(Span(start, end, text[start:end]))
    terms = [
        KnownTerm(entry.term, entry.explanation, entry.source, tuple(sorted(spans, key=_start)))
        for entry, spans in found.items()
        if not any(_explained_here(masked, span) for span in spans)
    ]
    return tuple(sorted(terms, key=lambda term: term.spans[0].start)), taken


def _unknown_acronyms(
    masked: str, text: str, taken: list[tuple[int, int]]
) -> tuple[UnknownAcronym, ...]:
    found: dict[str, list[Span]] = {}
    for match in _TOKEN.finditer(masked):
        token = match[0]
        acronym = token[:-1] if token.endswith("s") else token
        if (
            sum(1 for char in acronym if char.isupper()) < 2
            or any(char.islower() for char in acronym)
            or acronym in EVERYDAY_CAPITALS
            or any(match.start() < end and start < match.end() for start, end in taken)
        ):
            continue
        start, end = match.span()
        found.setdefault(acronym, []).append(Span(start, end, text[start:end]))
    return tuple(
        UnknownAcronym(acronym, tuple(spans))
        for acronym, spans in found.items()
        if not any(_explained_here(masked, span) for span in spans)
    )


def _explained_here(text: str, span: Span) -> bool:
    """Followed by words in brackets, or itself in brackets after the words it stands for."""
    after = text[span.end :]
    if re.match(r"\s*\(\s*[^\s)]", after):
        return True
    return bool(re.search(r"\(\s*$", text[: span.start]) and re.match(r"\s*\)", after))


def _start(span: Span) -> int:
    return span.start


def _sentences(text: str) -> list[str]:
    """Sentences: split after . ! ? and at line breaks (each line of a list reads on its own)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def _words(sentence: str) -> int:
    return int(textstat.lexicon_count(sentence))


def _reading_age(sentences: list[str], words: int) -> float | None:
    """Flesch-Kincaid grade + 5, with textstat's word and syllable counts over our sentences.

    The US grade is the school year a reader is in; a grade 1 reader is about 6, so the age is
    the grade + 5. textstat's own ``flesch_kincaid_grade`` is not used as it stands because it
    neither splits at line breaks (chat texts are often lists) nor counts sentences of one or
    two words, and it rounds syllables per word to one decimal.
    """
    if words < MIN_WORDS_FOR_READING_AGE or not sentences:
        return None
    syllables = sum(int(textstat.syllable_count(sentence)) for sentence in sentences)
    grade = 0.39 * words / len(sentences) + 11.8 * syllables / words - 15.59
    return round(grade + 5, 1)


__all__ = [
    "EVERYDAY_CAPITALS",
    "LONG_SENTENCE_WORDS",
    "MAX_READING_AGE",
    "MIN_WORDS_FOR_READING_AGE",
    "Findings",
    "KnownTerm",
    "LongSentence",
    "Span",
    "UnknownAcronym",
    "check",
    "explain",
    "lookup",
    "reading_age",
]
