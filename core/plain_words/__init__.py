"""Plain words: find jargon, unexplained acronyms and hard reading in what adults (and the bot) say.

``check(text)`` reports everything; ``explain(text)`` gives the glossary's plain explanation of
each term used, for attaching to a message; ``lookup(term)`` answers "what does this word mean?".
"""

from core.plain_words.checker import (
    EVERYDAY_CAPITALS,
    LONG_SENTENCE_WORDS,
    MAX_READING_AGE,
    MIN_WORDS_FOR_READING_AGE,
    Findings,
    KnownTerm,
    LongSentence,
    Span,
    UnknownAcronym,
    check,
    explain,
    lookup,
    reading_age,
)
from core.plain_words.glossary import Entry, Kind, Source, builtin, find_entry, kind_of, tidy

__all__ = [
    "EVERYDAY_CAPITALS",
    "LONG_SENTENCE_WORDS",
    "MAX_READING_AGE",
    "MIN_WORDS_FOR_READING_AGE",
    "Entry",
    "Findings",
    "Kind",
    "KnownTerm",
    "LongSentence",
    "Source",
    "Span",
    "UnknownAcronym",
    "builtin",
    "check",
    "explain",
    "find_entry",
    "kind_of",
    "lookup",
    "reading_age",
    "tidy",
]
