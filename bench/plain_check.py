"""Time the plain-words work an organiser's post and a red card now do, in memory.

Run from the repository root: ``.venv/bin/python bench/plain_check.py``. Prints one line per
case and a final line saying whether the targets were met (exit status 1 if not).

Cases: ``check`` of a 1,500-character announcement (the longest ``/announce`` takes) full of
council and NHS wording, with the built-in glossary alone and with 200 of a forum's own terms
(new patterns each run, as a forum that just grew); ``explain`` of the same text (what is
attached for young readers); and ``find_entry`` (``/whatis``, and naming a red card's word) for
a word the glossary does not know, the slowest case, with 200 forum terms. Each figure is the
median of 20 calls, timed with ``time.perf_counter``.
"""

import statistics
import sys
import time
from collections.abc import Callable

from core.plain_words import check, explain, find_entry

SENTENCES = (
    "The ICB will undertake a procurement exercise to commission CAMHS provision in line with "
    "the outcomes framework. Stakeholder engagement will inform the service specification. "
    "Mobilisation of the new contract will commence on 1 April, subject to governance approval. "
    "The BCF plan was agreed by the CYPSP in March and the KPIs are reviewed each quarter. "
)
TEXT = (SENTENCES * 6)[:1500]
RUNS = 20
TARGETS = {"check": 0.25, "check+forum": 0.25, "explain+forum": 0.25, "find_entry+forum": 0.05}
"""Seconds, per call: well inside the time an interaction has (Discord allows 3 s)."""


def forum_terms(run: int) -> dict[str, str]:
    """200 forum terms, new for each run, so their patterns are not compiled yet."""
    return {f"term{run}x{n}": "A word our forum explained." for n in range(200)}


def median_seconds(call: Callable[[int], object]) -> float:
    """The median time of RUNS calls."""
    times = []
    for run in range(RUNS):
        started = time.perf_counter()
        call(run)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    """Run each case and report; 1 if a target was missed."""
    measured = {
        "check": median_seconds(lambda run: check(TEXT)),
        "check+forum": median_seconds(lambda run: check(TEXT, forum_terms(run))),
        "explain+forum": median_seconds(lambda run: explain(TEXT, forum_terms(run))),
        "find_entry+forum": median_seconds(
            lambda run: find_entry("flibbertigibbet", forum_terms(run))
        ),
    }
    for name, seconds in measured.items():
        print(f"plain_words {name} chars={len(TEXT)} seconds={seconds:.4f}")
    missed = [name for name, seconds in measured.items() if seconds >= TARGETS[name]]
    targets = " ".join(f"{name}<{limit}s" for name, limit in TARGETS.items())
    outcome = f"missed {', '.join(missed)}" if missed else "all met"
    print(f"plain_words targets {targets}: {outcome}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
