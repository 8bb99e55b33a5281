"""Time `core.tally` on 1,000,000 ballots over 5 options, in memory.

Run from the repository root: ``.venv/bin/python bench/tally.py``. Prints one line per counting
method and a final line saying whether the targets were met (exit status 1 if not).

The ballots are drawn with a fixed seed. Each one ranks 1 to 5 options (every length equally
likely) in an order drawn from a Plackett-Luce model with popularities 30/25/20/15/10 %, so no
option starts with a majority and IRV and STV need several rounds. Every ballot is its own
list, as if read from storage. Plurality counts each ballot's first choice, approval counts the
options each ballot names, IRV and STV (3 seats) count the rankings.
"""

import random
import sys
import time
from itertools import permutations

from core.tally import Method, tally

BALLOTS = 1_000_000
OPTIONS = 5
POPULARITY = (0.30, 0.25, 0.20, 0.15, 0.10)
SEED = 20240601
TARGETS: dict[Method, float] = {"plurality": 1.0, "approval": 1.0, "irv": 3.0, "stv": 3.0}


def ranking_weights() -> tuple[list[tuple[int, ...]], list[float]]:
    """Every ranking of 1..5 options with its probability."""
    rankings: list[tuple[int, ...]] = []
    weights: list[float] = []
    for length in range(1, OPTIONS + 1):
        for ranking in permutations(range(OPTIONS), length):
            p = 1.0 / OPTIONS  # the length
            left = 1.0
            for option in ranking:
                p *= POPULARITY[option] / left
                left -= POPULARITY[option]
            rankings.append(ranking)
            weights.append(p)
    return rankings, weights


def main() -> int:
    """Generate the ballots, time each method and report."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    rankings, weights = ranking_weights()
    drawn = rng.choices(rankings, weights, k=BALLOTS)
    ranked = [list(r) for r in drawn]
    firsts = [[r[0]] for r in drawn]
    del drawn
    print(f"generated {BALLOTS} ballots in {time.perf_counter() - started:.2f} s", file=sys.stderr)

    runs: list[tuple[Method, list[list[int]], int]] = [
        ("plurality", firsts, 1),
        ("approval", ranked, 1),
        ("irv", ranked, 1),
        ("stv", ranked, 3),
    ]
    missed = []
    for method, ballots, seats in runs:
        start = time.perf_counter()
        result = tally(method, ballots, OPTIONS, seats=seats, seed="bench")
        seconds = time.perf_counter() - start
        winners = ",".join(map(str, result.winners))
        print(
            f"tally {method} ballots={result.ballots} options={OPTIONS} seconds={seconds:.2f}"
            f" rounds={len(result.rounds)} seats={seats} winners={winners}"
        )
        if seconds >= TARGETS[method]:
            missed.append(method)
    targets = " ".join(f"{m}<{t:g}s" for m, t in TARGETS.items())
    verdict = "missed: " + ",".join(missed) if missed else "all met"
    print(f"tally targets {targets}: {verdict}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
