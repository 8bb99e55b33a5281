"""Counting secret ballots: plurality, approval, instant-runoff (IRV) and STV.

Pure Python, standard library only, no I/O. Everything goes through `tally`.

Ballots
    Each ballot is a sequence of option indexes ``0 .. options-1``:

    - plurality: exactly one index;
    - approval: any number of distinct indexes (an empty ballot approves nothing, and is counted);
    - irv and stv: a ranking, most preferred first, distinct indexes, at least one, and it may stop
      early (a partial ranking).

    Anything else (an index out of range or not an ``int``, a repeated index, an empty plurality,
    IRV or STV ballot) raises ``ValueError`` and nothing is counted. Identical ballots are grouped
    first, so the cost of each round depends on the number of *different* ballots, not on the
    number of ballots, and the order the ballots come in never changes the result.

    ``tally_grouped`` takes ballots already grouped, as ``(ballot, times)`` pairs: ``times``
    identical ballots, a whole number of at least 1. It gives exactly what ``tally`` gives for
    the same ballots one by one, and checks each pair's ballot the same way.

Plurality and approval
    One round. Options are ordered by votes (approvals), most first, and the first ``seats`` are
    elected; if there are fewer options than seats, all are elected.

IRV (one seat)
    Each round, every ballot counts for its highest-ranked option still in the count. A ballot
    with no such option is exhausted. An option holding more than half of the ballots still in
    play (not exhausted) wins. Otherwise the option with the fewest votes is eliminated and its
    ballots pass on to their next choice. An option that is the only one left wins. ``quota`` in
    the result is the majority needed in the last round: floor(ballots in play / 2) + 1.

STV (several seats): the Weighted Inclusive Gregory Method
    This follows the counting rules for Scottish local government elections (the Scottish Local
    Government Elections Order 2007, SSI 2007/42, schedule 1; transfer values as in rule 48),
    except that where those rules draw lots, the tie rule below decides:

    - The quota is the Droop quota: floor(ballots / (seats + 1)) + 1.
    - Each round, every ballot counts at its current value (1 to begin with) for the option that
      holds it; a ballot moves on to its next choice still in the count (neither elected nor
      eliminated) when the option holding it is eliminated or passes on its surplus.
    - Each round, every option that reaches the quota is elected, most votes first.
    - After each round, one waiting surplus is passed on: the largest. Surpluses go on before
      anything is eliminated. Inclusive: *all* ballots the elected option holds are passed on,
      each to its next choice still in the count, at a new value of ``surplus * value / total``
      (``value`` is what the ballot was worth when the option received it, ``total`` the option's
      votes), cut (not rounded) to five decimal places as rule 48(3) says. Ballots with no next
      choice are exhausted at that new value. The elected option keeps exactly the quota. A
      surplus of zero is not passed on: those ballots stay with the option.
    - A round in which nobody reaches the quota and no surplus is waiting eliminates the
      option with the fewest votes; its ballots move on at their current value.
    - As soon as the options still in the count are no more than the seats left, they are all
      elected, most votes first, in the round that brings this about (before any elimination).

    So each round counts, then elects or else eliminates (or neither, when a surplus from an
    earlier round is still waiting), then passes on at most one surplus; ``Round.transferred``
    names the option whose surplus was passed on after that round, and ``Round.exhausted`` is
    the value of exhausted ballots when the round was counted. Values are kept as exact
    fractions, so ties are exact; ``Round.counts`` shows them as floats. The transfer values
    cut to five decimals can lose a little: the counts plus ``exhausted`` may fall short of the
    number of ballots by at most 0.00001 a ballot for each transfer.

Protected options
    Options in ``protected`` (such as "RON: re-open nominations") are never eliminated in IRV or
    STV: the option with the fewest votes *among the others* goes instead. They can still win or
    be elected. If only protected options are left and none has won, the one with the most votes
    wins (IRV) or is elected (STV), with the tie rule below if needed.

Ties
    Whenever options are tied on votes and the count must choose between them (which one is
    eliminated, which one takes the last seat in plurality and approval, whose equal surplus is
    passed on first, which one is elected when more reach the quota than there are seats left),
    the same two steps decide:

    1. Look back: go back through the earlier rounds, the most recent first, to the first round
       in which the tied options had different votes. There the option with fewer votes loses
       (is eliminated, does not get the seat, has its surplus passed on later). If several still
       share the fewest votes there, keep looking back among just those.
    2. If they had equal votes in every earlier round (always the case for plurality, approval
       and the first round), each option is given the SHA-256 hash of ``"<seed>:<index>"`` (for
       example ``"election-42:3"``) written in lowercase hexadecimal, and the option whose hash
       comes first in alphabetical order loses.

    The count is therefore reproducible: the same ballots and seed always give the same result,
    and a different seed can change the outcome of a tie that step 1 cannot settle. The round in
    which a tie decided something has ``tie_broken=True``. Ordering options elected in the same
    round among themselves also uses the rule, but does not set the flag.
"""

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import chain
from typing import Literal

Method = Literal["plurality", "approval", "irv", "stv"]

METHODS: tuple[Method, ...] = ("plurality", "approval", "irv", "stv")

_PLACES = 100_000  # STV transfer values are cut to five decimal places (Scottish rule 48(3))

_Counts = Mapping[int, Fraction]
_Groups = list[tuple[tuple[int, ...], int]]


@dataclass(frozen=True, slots=True)
class Round:
    """One round of a count: the votes each option held, and what the round decided."""

    counts: dict[int, float]  # option index -> votes held in this round (STV may be fractional)
    elected: tuple[int, ...]  # elected in this round
    eliminated: tuple[int, ...]  # eliminated in this round
    exhausted: float  # ballots with no continuing preference so far
    tie_broken: bool = False  # a tie-break decided something in this round
    transferred: int | None = None  # STV: option whose surplus was passed on after this round


@dataclass(frozen=True, slots=True)
class TallyResult:
    """The outcome of a count, with every round for showing the working."""

    method: Method
    seats: int
    ballots: int  # ballots counted
    winners: tuple[int, ...]  # in order of election
    totals: dict[int, float]  # first preferences, or approvals (approval); every option present
    rounds: tuple[Round, ...]  # one round for plurality/approval
    quota: float | None = None  # STV: Droop quota; IRV: majority needed in the last round


def tally(
    method: Method,
    ballots: Iterable[Sequence[int]],
    options: int,
    seats: int = 1,
    protected: frozenset[int] = frozenset(),
    seed: str = "",
) -> TallyResult:
    """Count `ballots` over `options` options by `method` and return the winners and the rounds.

    See the module docstring for the exact rules, including ties (decided with `seed`) and
    `protected` options, which IRV and STV never eliminate. Raises ValueError for an invalid
    ballot or argument; then nothing is counted.
    """
    _check_arguments(method, options, seats, protected)
    return _count(method, _group(method, ballots, options), options, seats, protected, seed)


def tally_grouped(
    method: Method,
    groups: Iterable[tuple[Sequence[int], int]],
    options: int,
    seats: int = 1,
    protected: frozenset[int] = frozenset(),
    seed: str = "",
) -> TallyResult:
    """Count ballots given as ``(ballot, times)`` pairs; otherwise exactly as `tally`.

    Raises ValueError for an invalid ballot, a `times` that is not a whole number of at least
    1, or an invalid argument; then nothing is counted.
    """
    _check_arguments(method, options, seats, protected)
    grouped: Counter[tuple[int, ...]] = Counter()
    for ballot, times in groups:
        if type(times) is not int or times < 1:
            raise ValueError(f"a ballot must be cast a whole number of times, at least 1: {times}")
        row = tuple(ballot)
        if not all(type(option) is int for option in row):
            raise ValueError("a ballot holds something that is not an option index")
        grouped[row] += times
    return _count(method, _checked(method, grouped, options), options, seats, protected, seed)


def _check_arguments(method: Method, options: int, seats: int, protected: frozenset[int]) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown counting method {method!r}")
    if type(options) is not int or options < 1:
        raise ValueError("options must be a whole number of at least 1")
    if type(seats) is not int or seats < 1:
        raise ValueError("seats must be a whole number of at least 1")
    if method == "irv" and seats != 1:
        raise ValueError("IRV fills exactly one seat; use STV for more")
    if any(type(p) is not int or not 0 <= p < options for p in protected):
        raise ValueError("protected options must be option indexes")


def _count(
    method: Method,
    groups: _Groups,
    options: int,
    seats: int,
    protected: frozenset[int],
    seed: str,
) -> TallyResult:
    count = sum(n for _, n in groups)
    if method in ("plurality", "approval"):
        return _single_round(method, groups, count, options, seats, seed)
    if method == "irv":
        return _irv(groups, count, options, protected, seed)
    return _stv(groups, count, options, seats, protected, seed)


def _group(method: Method, ballots: Iterable[Sequence[int]], options: int) -> _Groups:
    """Check every ballot and group identical ones, in a fixed order whatever the input order."""
    rows = list(map(tuple, ballots))
    # Checked on every ballot, not only on one of each group: 1.0 == 1 would otherwise hide.
    if not set(map(type, chain.from_iterable(rows))) <= {int}:
        raise ValueError("a ballot holds something that is not an option index")
    return _checked(method, Counter(rows), options)


def _checked(method: Method, grouped: Counter[tuple[int, ...]], options: int) -> _Groups:
    """Check each distinct ballot; the groups in a fixed order whatever the input order."""
    for ballot in grouped:
        if not ballot and method != "approval":
            raise ValueError("an empty ballot")
        if method == "plurality" and len(ballot) != 1:
            raise ValueError(f"a plurality ballot must hold exactly one option, not {ballot}")
        if len(set(ballot)) != len(ballot):
            raise ValueError(f"a ballot names an option twice: {ballot}")
        if not all(0 <= i < options for i in ballot):
            raise ValueError(f"a ballot names an option out of range 0..{options - 1}: {ballot}")
    return sorted(grouped.items())


def _hash(seed: str, option: int) -> str:
    return hashlib.sha256(f"{seed}:{option}".encode()).hexdigest()


def _strength(
    option: int, counts: _Counts, history: Sequence[_Counts], seed: str
) -> tuple[tuple[Fraction, ...], str]:
    """Sort key: votes now, then in each earlier round going back, then the hash.

    Comparing these keys lexicographically is exactly the tie rule: the smaller key loses.
    """
    votes = (counts[option], *(past[option] for past in reversed(history)))
    return votes, _hash(seed, option)


def _weakest(
    candidates: Collection[int], counts: _Counts, history: Sequence[_Counts], seed: str
) -> tuple[int, bool]:
    """The option that loses among `candidates`, and whether a tie had to decide it."""
    loser = min(candidates, key=lambda o: _strength(o, counts, history, seed))
    return loser, sum(counts[o] == counts[loser] for o in candidates) > 1


def _strongest(
    candidates: Collection[int], counts: _Counts, history: Sequence[_Counts], seed: str
) -> tuple[int, bool]:
    """The option that wins among `candidates`, and whether a tie had to decide it."""
    best = max(candidates, key=lambda o: _strength(o, counts, history, seed))
    return best, sum(counts[o] == counts[best] for o in candidates) > 1


def _ordered(
    candidates: Iterable[int], counts: _Counts, history: Sequence[_Counts], seed: str
) -> list[int]:
    """`candidates` from the most votes to the fewest, ties settled by the tie rule."""
    return sorted(candidates, key=lambda o: _strength(o, counts, history, seed), reverse=True)


def _take(
    candidates: Iterable[int], k: int, counts: _Counts, history: Sequence[_Counts], seed: str
) -> tuple[list[int], bool]:
    """The `k` strongest of `candidates`, and whether a tie decided who is in and who is out."""
    order = _ordered(candidates, counts, history, seed)
    cut = 0 < k < len(order) and counts[order[k - 1]] == counts[order[k]]
    return order[:k], cut


def _floats(counts: _Counts) -> dict[int, float]:
    return {o: float(v) for o, v in sorted(counts.items())}


def _first_preferences(groups: _Groups, options: int) -> dict[int, float]:
    firsts = dict.fromkeys(range(options), 0)
    for ballot, n in groups:
        if ballot:
            firsts[ballot[0]] += n
    return {o: float(v) for o, v in firsts.items()}


def _single_round(
    method: Method, groups: _Groups, count: int, options: int, seats: int, seed: str
) -> TallyResult:
    votes = dict.fromkeys(range(options), 0)
    blank = 0
    for ballot, n in groups:
        if not ballot:
            blank += n
        for option in ballot:
            votes[option] += n
    counts = {o: Fraction(v) for o, v in votes.items()}
    winners, tie = _take(range(options), seats, counts, [], seed)
    totals = {o: float(v) for o, v in votes.items()}
    only = Round(totals, tuple(winners), (), float(blank), tie)
    return TallyResult(method, seats, count, tuple(winners), dict(totals), (only,))


def _next_choice(ballot: tuple[int, ...], continuing: Collection[int]) -> int | None:
    """The ballot's highest-ranked option still in the count, if any.

    Options ranked above the one that held the ballot have all left the count for good, so
    scanning from the top finds the next choice after the current holder.
    """
    for option in ballot:
        if option in continuing:
            return option
    return None


def _irv(
    groups: _Groups, count: int, options: int, protected: frozenset[int], seed: str
) -> TallyResult:
    continuing = set(range(options))
    holders: list[int | None] = [ballot[0] for ballot, _ in groups]
    history: list[dict[int, Fraction]] = []
    rounds: list[Round] = []
    while True:
        votes = dict.fromkeys(range(options), 0)
        for (_, n), holder in zip(groups, holders, strict=True):
            if holder is not None:
                votes[holder] += n
        in_play = sum(votes.values())
        counts = {o: Fraction(v) for o, v in votes.items()}
        leader = max(continuing, key=votes.__getitem__)
        eliminated: tuple[int, ...] = ()
        tie = False
        if len(continuing) == 1 or 2 * votes[leader] > in_play:
            winner: int | None = leader  # a majority is unique; so is the last one left
        elif eliminable := continuing - protected:
            winner = None
            loser, tie = _weakest(eliminable, counts, history, seed)
            continuing.discard(loser)
            eliminated = (loser,)
            for i, (ballot, _) in enumerate(groups):
                if holders[i] == loser:
                    holders[i] = _next_choice(ballot, continuing)
        else:
            winner, tie = _strongest(continuing, counts, history, seed)
        elected = () if winner is None else (winner,)
        rounds.append(Round(_floats(counts), elected, eliminated, float(count - in_play), tie))
        history.append(counts)
        if winner is not None:
            return TallyResult(
                "irv",
                1,
                count,
                (winner,),
                _first_preferences(groups, options),
                tuple(rounds),
                float(in_play // 2 + 1),
            )


def _stv(
    groups: _Groups,
    count: int,
    options: int,
    seats: int,
    protected: frozenset[int],
    seed: str,
) -> TallyResult:
    quota = Fraction(count // (seats + 1) + 1)
    continuing = set(range(options))
    elected: list[int] = []
    waiting: list[int] = []  # elected, surplus not passed on yet
    settled: dict[int, Fraction] = {}  # elected whose surplus was passed on: they keep the quota
    holders: list[int | None] = [ballot[0] for ballot, _ in groups]
    values = [Fraction(1)] * len(groups)
    exhausted = Fraction(0)
    history: list[dict[int, Fraction]] = []
    rounds: list[Round] = []

    def pass_on(source: int, scale: Fraction | None) -> None:
        """Move the ballots `source` holds to their next choices, at a new value if scaled."""
        nonlocal exhausted
        for i, (ballot, n) in enumerate(groups):
            if holders[i] != source:
                continue
            if scale is not None:
                values[i] = Fraction((values[i] * scale * _PLACES) // 1, _PLACES)
            holders[i] = _next_choice(ballot, continuing)
            if holders[i] is None:
                exhausted += values[i] * n

    while len(elected) < seats:
        counts = dict.fromkeys(range(options), Fraction(0))
        for (_, n), holder, value in zip(groups, holders, values, strict=True):
            if holder is not None:
                counts[holder] += value * n
        counts.update(settled)
        exhausted_now = float(exhausted)
        newly: list[int] = []
        eliminated: list[int] = []
        transferred: int | None = None
        tie = False

        reached = [o for o in continuing if counts[o] >= quota]
        if reached:
            newly, tie = _take(reached, seats - len(elected), counts, history, seed)
        elif waiting or len(continuing) <= seats - len(elected):
            pass  # a surplus goes on first, or everyone left is elected below
        elif eliminable := continuing - protected:
            loser, tie = _weakest(eliminable, counts, history, seed)
            continuing.discard(loser)
            eliminated.append(loser)
            pass_on(loser, None)
        else:
            best, tie = _strongest(continuing, counts, history, seed)
            newly = [best]
        continuing.difference_update(newly)
        elected.extend(newly)
        waiting.extend(o for o in newly if counts[o] > quota)

        left = seats - len(elected)
        if 0 < len(continuing) <= left:
            last = _ordered(continuing, counts, history, seed)
            continuing.clear()
            newly.extend(last)
            elected.extend(last)
        elif left > 0 and waiting:
            # Largest surplus first; equal surpluses mean equal votes, so the tie rule applies.
            source, surplus_tie = _strongest(waiting, counts, history, seed)
            tie = tie or surplus_tie
            waiting.remove(source)
            pass_on(source, (counts[source] - quota) / counts[source])
            settled[source] = quota
            transferred = source

        rounds.append(
            Round(
                _floats(counts),
                tuple(newly),
                tuple(eliminated),
                exhausted_now,
                tie,
                transferred,
            )
        )
        history.append(counts)
        if not continuing and len(elected) < seats:
            break  # more seats than options: everyone is elected
    return TallyResult(
        "stv",
        seats,
        count,
        tuple(elected),
        _first_preferences(groups, options),
        tuple(rounds),
        float(quota),
    )
