"""Counting secret ballots: worked examples with published answers, ties, RON, bad ballots."""

import hashlib
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tally import METHODS, Round, TallyResult, tally, tally_grouped


def _hash(seed: str, option: int) -> str:
    return hashlib.sha256(f"{seed}:{option}".encode()).hexdigest()


# --- plurality and approval -----------------------------------------------------------------


def test_plurality_counts_one_mark_per_ballot():
    result = tally("plurality", [[0], [1], [1], [2], (1,)], options=4)

    assert result == TallyResult(
        method="plurality",
        seats=1,
        ballots=5,
        winners=(1,),
        totals={0: 1.0, 1: 3.0, 2: 1.0, 3: 0.0},
        rounds=(Round({0: 1.0, 1: 3.0, 2: 1.0, 3: 0.0}, (1,), (), 0.0),),
    )


def test_plurality_with_seats_elects_the_top_in_order():
    ballots = [[2]] * 5 + [[0]] * 3 + [[1]] * 2 + [[3]]
    result = tally("plurality", ballots, options=4, seats=3)
    assert result.winners == (2, 0, 1)
    assert not result.rounds[0].tie_broken


def test_plurality_with_more_seats_than_options_elects_every_option():
    result = tally("plurality", [[1], [1], [0]], options=2, seats=5)
    assert result.winners == (1, 0)


def test_approval_counts_every_approved_option():
    ballots = [[0, 1], [1], [1, 2], [2], [2, 1, 0], []]
    result = tally("approval", ballots, options=4)

    assert result.totals == {0: 2.0, 1: 4.0, 2: 3.0, 3: 0.0}
    assert result.winners == (1,)
    assert result.ballots == 6
    assert result.rounds[0].exhausted == 1.0  # the blank ballot approves nothing
    assert tally("approval", ballots, options=4, seats=2).winners == (1, 2)


# --- IRV: the Tennessee capital example -------------------------------------------------------

# Wikipedia, "Instant-runoff voting" (the Tennessee capital example, also used in the
# "Condorcet method" article): voters live in four cities and rank them by distance from home.
MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE = range(4)
TENNESSEE = (
    [(MEMPHIS, NASHVILLE, CHATTANOOGA, KNOXVILLE)] * 42
    + [(NASHVILLE, CHATTANOOGA, KNOXVILLE, MEMPHIS)] * 26
    + [(CHATTANOOGA, KNOXVILLE, NASHVILLE, MEMPHIS)] * 15
    + [(KNOXVILLE, CHATTANOOGA, NASHVILLE, MEMPHIS)] * 17
)


def test_tennessee_plurality_elects_memphis():
    result = tally("plurality", [ballot[:1] for ballot in TENNESSEE], options=4)
    assert result.winners == (MEMPHIS,)


def test_tennessee_irv_elects_knoxville():
    result = tally("irv", TENNESSEE, options=4)

    assert result.winners == (KNOXVILLE,)
    assert result.totals == {MEMPHIS: 42.0, NASHVILLE: 26.0, CHATTANOOGA: 15.0, KNOXVILLE: 17.0}
    assert result.rounds == (
        # Chattanooga has the fewest first preferences; its voters prefer Knoxville next.
        Round({MEMPHIS: 42, NASHVILLE: 26, CHATTANOOGA: 15, KNOXVILLE: 17}, (), (CHATTANOOGA,), 0),
        # Nashville is now lowest; its voters' next choice still in the count is Knoxville.
        Round({MEMPHIS: 42, NASHVILLE: 26, CHATTANOOGA: 0, KNOXVILLE: 32}, (), (NASHVILLE,), 0),
        Round({MEMPHIS: 42, NASHVILLE: 0, CHATTANOOGA: 0, KNOXVILLE: 58}, (KNOXVILLE,), (), 0),
    )
    assert result.quota == 51.0


def test_irv_majority_is_of_ballots_still_in_play():
    # Round 1: A 4, B 3, C 2 (C's two voters ranked nobody else). Round 2: A 4 of 7 wins.
    ballots = [[0]] * 4 + [[1]] * 3 + [[2]] * 2
    result = tally("irv", ballots, options=3)
    assert result.winners == (0,)
    assert result.rounds[1].exhausted == 2.0
    assert result.quota == 4.0


# --- STV: Wikipedia's food election -----------------------------------------------------------

# Wikipedia, "Single transferable vote", section "Example" (the food election, also shipped as
# the `food_election` data set of the R package `vote`): 20 guests, 5 foods, 3 to be chosen,
# Droop quota floor(20 / 4) + 1 = 6.
ORANGES, PEARS, CHOCOLATE, STRAWBERRIES, SWEETS = range(5)
FOOD = (
    [(ORANGES,)] * 4
    + [(PEARS, ORANGES)] * 2
    + [(CHOCOLATE, STRAWBERRIES)] * 8
    + [(CHOCOLATE, SWEETS)] * 4
    + [(STRAWBERRIES,)] * 1
    + [(SWEETS,)] * 1
)


def test_food_election_stv_matches_the_published_count():
    result = tally("stv", FOOD, options=5, seats=3)

    assert result.quota == 6.0
    assert result.winners == (CHOCOLATE, ORANGES, STRAWBERRIES)
    assert result.rounds == (
        # Round 1: Chocolate (12) passes the quota and is elected; its surplus of 6 goes on at
        # 6/12 = 0.5 a ballot: 8 x 0.5 = 4 to Strawberries and 4 x 0.5 = 2 to Sweets.
        Round({0: 4, 1: 2, 2: 12, 3: 1, 4: 1}, (CHOCOLATE,), (), 0, transferred=CHOCOLATE),
        # Round 2: nobody reaches 6; Pears (2) is eliminated and its ballots go to Oranges.
        Round({0: 4, 1: 2, 2: 6, 3: 5, 4: 3}, (), (PEARS,), 0),
        # Round 3: Oranges reaches the quota exactly and is elected; no surplus.
        Round({0: 6, 1: 0, 2: 6, 3: 5, 4: 3}, (ORANGES,), (), 0),
        # Round 4: Sweets (3) is eliminated, leaving Strawberries for the last seat.
        Round({0: 6, 1: 0, 2: 6, 3: 5, 4: 3}, (STRAWBERRIES,), (SWEETS,), 0),
    )


def test_stv_transfer_values_are_cut_to_five_decimal_places():
    # 12 ballots, 2 seats, quota 5. A has 9: surplus 4, so each ballot goes on at
    # 4/9 = 0.444444..., cut to 0.44444; B receives 9 x 0.44444 = 3.99996.
    ballots = [(0, 1)] * 9 + [(2,)] * 3
    result = tally("stv", ballots, options=3, seats=2)

    assert result.quota == 5.0
    assert result.rounds[0].transferred == 0
    assert result.rounds[1].counts == {0: 5.0, 1: float(Fraction(399_996, 100_000)), 2: 3.0}
    assert result.winners == (0, 1)  # C (3) is eliminated, leaving B for the second seat


def test_stv_elects_several_in_one_round_and_stops_when_the_seats_are_filled():
    # 30 ballots, 2 seats, quota 11. A 14 and B 12 both pass the quota in round 1.
    ballots = [(0, 2)] * 14 + [(1, 2)] * 12 + [(2,)] * 4
    result = tally("stv", ballots, options=3, seats=2)
    assert result.winners == (0, 1)
    assert result.rounds[0].elected == (0, 1)
    assert len(result.rounds) == 1


def test_stv_passes_on_the_larger_surplus_first_one_per_round():
    # 40 ballots, 3 seats, quota 11. Round 1: A 15 and B 13 are elected.
    ballots = [(0, 2)] * 15 + [(1, 3)] * 13 + [(2,)] * 6 + [(3,)] * 6
    result = tally("stv", ballots, options=4, seats=3)

    # After round 1, A's surplus 4 goes on first at 4/15 = 0.26666 (cut): C gets 3.9999.
    assert result.rounds[0].elected == (0, 1)
    assert result.rounds[0].transferred == 0
    # Round 2 elects nobody and eliminates nobody: B's surplus 2 goes on at 2/13 = 0.15384.
    assert result.rounds[1].counts == {0: 11.0, 1: 13.0, 2: 9.9999, 3: 6.0}
    assert (result.rounds[1].eliminated, result.rounds[1].transferred) == ((), 1)
    # Round 3: C 9.9999, D 7.99992; D is eliminated, leaving C for the last seat.
    assert result.rounds[2].counts == {0: 11.0, 1: 11.0, 2: 9.9999, 3: 7.99992}
    assert (result.rounds[2].eliminated, result.rounds[2].elected) == ((3,), (2,))
    assert result.winners == (0, 1, 2)


def test_stv_passes_on_surpluses_before_eliminating():
    # 40 ballots, 3 seats, quota 11. Round 1: A 20 elected. A's surplus 9 goes on at 9/20:
    # 10 ballots to B (4.5) and 10 to C (4.5).
    ballots = [(0, 1)] * 10 + [(0, 2)] * 10 + [(1,)] * 8 + [(2,)] * 6 + [(3, 1)] * 6
    result = tally("stv", ballots, options=4, seats=3)

    assert result.rounds[0].transferred == 0
    assert result.rounds[1].counts == {0: 11.0, 1: 12.5, 2: 10.5, 3: 6.0}
    assert result.rounds[1].elected == (1,)
    # B's surplus of 1.5 goes nowhere (its ballots rank nobody else still in the count).
    assert result.rounds[1].transferred == 1
    assert result.rounds[2].eliminated == (3,)
    assert result.winners == (0, 1, 2)


def test_stv_with_seats_equal_to_options_elects_everyone_in_round_one():
    # 6 ballots, quota 2: A 2 and B 3 reach it, and C is the only option left for the last seat.
    ballots = [(0, 1), (0,), (1,), (1, 0), (1,), (2,)]
    result = tally("stv", ballots, options=3, seats=3)
    assert result.winners == (1, 0, 2)
    assert len(result.rounds) == 1


# --- RON: re-open nominations ----------------------------------------------------------------

A, B, C, RON = range(4)


def test_irv_never_eliminates_a_protected_option():
    ballots = [(A,)] * 40 + [(B,)] * 35 + [(C, A)] * 20 + [(RON, B)] * 5

    unprotected = tally("irv", ballots, options=4)
    assert unprotected.rounds[0].eliminated == (RON,)

    result = tally("irv", ballots, options=4, protected=frozenset({RON}))
    assert result.rounds[0].eliminated == (C,)  # RON has fewer votes but stays in
    assert RON not in {o for r in result.rounds for o in r.eliminated}
    assert result.winners == (A,)


def test_irv_protected_option_can_win():
    # Round 1: RON 5, A 4, B 3, C 1 of 13; C goes, to RON. Round 2: RON 6, A 4, B 3; B goes,
    # to RON. Round 3: RON 9 of 13 wins: the voters asked to re-open nominations.
    ballots = [(RON,)] * 5 + [(A,)] * 4 + [(B, RON)] * 3 + [(C, RON)] * 1
    result = tally("irv", ballots, options=4, protected=frozenset({RON}))
    assert [r.eliminated for r in result.rounds] == [(C,), (B,), ()]
    assert result.winners == (RON,)


def test_irv_protected_option_tied_with_the_last_other_option_stays_in():
    # Rounds 1 and 2 eliminate C (0) and B (3; those ballots exhaust). Round 3: A 4, RON 4 of 8,
    # no majority: A is the only option that may be eliminated, so RON wins.
    ballots = [(A,)] * 4 + [(RON,)] * 4 + [(B,)] * 3
    result = tally("irv", ballots, options=4, protected=frozenset({RON}))
    assert [r.eliminated for r in result.rounds] == [(C,), (B,), (A,), ()]
    assert result.winners == (RON,)


def test_stv_never_eliminates_a_protected_option():
    # 19 ballots, 2 seats, quota 7. Round 1: A 7 is elected (no surplus). Round 2: C 5 is
    # eliminated, not RON 1; C's ballots go to B. Round 3: B 11 is elected.
    ballots = [(A,)] * 7 + [(B,)] * 6 + [(C, B)] * 5 + [(RON,)] * 1
    result = tally("stv", ballots, options=4, seats=2, protected=frozenset({RON}))
    eliminated = [o for r in result.rounds for o in r.eliminated]
    assert RON not in eliminated
    assert eliminated == [C]
    assert result.winners == (A, B)


def test_when_only_protected_options_are_left_the_strongest_is_chosen():
    # Two protected options, tied on 1 vote each with nobody else: IRV must still choose.
    result = tally("irv", [(0,), (1,)], options=2, protected=frozenset({0, 1}), seed="s")
    assert result.winners == (max((0, 1), key=lambda o: _hash("s", o)),)
    assert result.rounds[0].tie_broken


# --- ties ------------------------------------------------------------------------------------

# Round 1: A 10, B 7, C 6, D 3 -> D is eliminated; one D ballot goes on to C, two exhaust.
# Round 2: A 10, B 7, C 7 -> B and C are tied; in round 1 C had fewer (6 < 7), so C goes.
# Round 3: C's ballots go to B: A 10, B 14 of 24 -> B wins, whatever the seed.
BACKWARDS = [(A,)] * 10 + [(B,)] * 7 + [(C, B)] * 6 + [(3, C, B)] + [(3,)] * 2


@pytest.mark.parametrize("seed", ["", "a", "b", "election-42", "zzz"])
def test_backwards_rule_decides_before_the_hash(seed):
    result = tally("irv", BACKWARDS, options=4, seed=seed)

    assert [r.eliminated for r in result.rounds] == [(3,), (C,), ()]
    assert [r.tie_broken for r in result.rounds] == [False, True, False]
    assert result.rounds[1].counts == {A: 10, B: 7, C: 7, 3: 0}
    assert result.winners == (B,)


def test_backwards_rule_goes_back_past_rounds_that_are_tied_too():
    ballots = [(0,)] * 10 + [(1,)] * 6 + [(2,)] * 5 + [(3, 2)] + [(3,)] + [(4, 3)] * 3
    # Round 1: A 10, B 6, C 5, D 2, E 3 of 26 -> D goes: one ballot to C, one exhausts.
    # Round 2: A 10, B 6, C 6, E 3 of 25 -> E goes; its ballots exhaust (D is out already).
    # Round 3: A 10, B 6, C 6 of 22 -> B and C tied, and tied in round 2 too; in round 1
    # C had 5 and B 6, so C goes. Round 4: A 10 of 16 wins.
    result = tally("irv", ballots, options=5, seed="x")
    assert [r.eliminated for r in result.rounds] == [(3,), (4,), (2,), ()]
    assert result.rounds[2].tie_broken
    assert result.winners == (0,)


def test_hash_rule_settles_a_pure_tie_and_the_lowest_hash_loses():
    ballots = [(0,), (1,), (2,)]  # three options, one vote each, nothing to look back at
    for seed in ("", "one", "two", "three"):
        result = tally("irv", ballots, options=3, seed=seed)
        first_out = min(range(3), key=lambda o: _hash(seed, o))
        assert result.rounds[0].eliminated == (first_out,)
        assert result.rounds[0].tie_broken


def test_plurality_last_seat_tie_is_settled_by_the_hash():
    ballots = [(0,)] * 3 + [(1,)] * 2 + [(2,)] * 2
    result = tally("plurality", ballots, options=3, seats=2, seed="poll-7")
    expected = max((1, 2), key=lambda o: _hash("poll-7", o))
    assert result.winners == (0, expected)
    assert result.rounds[0].tie_broken


def test_same_ballots_and_seed_give_the_same_result_and_another_seed_can_differ():
    ballots = [(0,), (1,)]
    results = {seed: tally("plurality", ballots, options=2, seed=seed) for seed in "abcdefgh"}
    for seed, result in results.items():
        assert tally("plurality", list(reversed(ballots)), options=2, seed=seed) == result
    assert {r.winners for r in results.values()} == {(0,), (1,)}


def test_equal_surpluses_are_passed_on_in_tie_rule_order():
    # 27 ballots, 3 seats, quota 7. A 11 and B 11 are both elected in round 1 with equal
    # surpluses of 4; with nothing to look back at, the hash decides whose goes first.
    ballots = [(0, 2)] * 11 + [(1, 2)] * 11 + [(2,)] * 3 + [(3,)] * 2
    strong, weak = sorted((0, 1), key=lambda o: _hash("q", o), reverse=True)

    result = tally("stv", ballots, options=4, seats=3, seed="q")
    assert result.rounds[0].elected == (strong, weak)
    assert result.rounds[0].transferred == strong
    assert result.rounds[0].tie_broken
    assert result.rounds[1].transferred == weak
    assert result.winners == (strong, weak, 2)


def test_ordering_options_elected_together_does_not_count_as_a_tie_break():
    ballots = [(0, 2)] * 11 + [(1, 2)] * 11 + [(2,)] * 3 + [(3,)] * 2
    result = tally("stv", ballots, options=4, seats=2, seed="q")  # quota 10, A and B elected
    assert set(result.winners) == {0, 1}
    assert not result.rounds[0].tie_broken


# --- invalid ballots and arguments -----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "ballot"),
    [
        ("plurality", []),
        ("plurality", [0, 1]),
        ("plurality", [3]),
        ("plurality", [-1]),
        ("approval", [0, 0]),
        ("approval", [5]),
        ("irv", []),
        ("irv", [0, 1, 0]),
        ("irv", [0, 3]),
        ("stv", []),
        ("stv", [2, 2]),
        ("stv", [1.0]),
        ("irv", [True]),
        ("approval", ["1"]),
    ],
)
def test_invalid_ballots_raise_value_error(method, ballot):
    with pytest.raises(ValueError):
        tally(method, [[0], ballot, [1]], options=3)


def test_a_float_ballot_is_refused_even_after_an_equal_int_ballot():
    with pytest.raises(ValueError):
        tally("plurality", [[1], [1.0]], options=3)  # type: ignore[list-item]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"method": "borda"},
        {"options": 0},
        {"seats": 0},
        {"method": "irv", "seats": 2},
        {"protected": frozenset({3})},
    ],
)
def test_invalid_arguments_raise_value_error(kwargs):
    arguments = {"method": "stv", "ballots": [[0]], "options": 3} | kwargs
    with pytest.raises(ValueError):
        tally(**arguments)


@pytest.mark.parametrize("times", [0, -2, 1.0, True, "3"])
def test_grouped_ballots_need_a_whole_number_of_at_least_one(times):
    with pytest.raises(ValueError):
        tally_grouped("plurality", [([0], 2), ([1], times)], options=2)


@pytest.mark.parametrize(("method", "ballot"), [("plurality", [0, 1]), ("irv", [1, 1])])
def test_grouped_ballots_are_checked_like_single_ones(method, ballot):
    with pytest.raises(ValueError):
        tally_grouped(method, [([0], 5), (ballot, 1)], options=3)


def test_a_grouped_float_ballot_is_refused_even_beside_an_equal_int_group():
    with pytest.raises(ValueError):
        tally_grouped("plurality", [([1], 3), ([1.0], 2)], options=3)  # type: ignore[list-item]


def test_no_ballots_still_gives_an_answer():
    for method in METHODS:
        seats = 1 if method == "irv" else 2
        result = tally(method, [], options=3, seats=seats, seed="empty")
        assert result.ballots == 0
        assert len(result.winners) == seats


# --- properties ------------------------------------------------------------------------------


@st.composite
def elections(draw):
    method = draw(st.sampled_from(METHODS))
    options = draw(st.integers(2, 6))
    seats = 1 if method == "irv" else draw(st.integers(1, options + 1))
    if method == "plurality":
        ballot = st.integers(0, options - 1).map(lambda o: [o])
    elif method == "approval":
        ballot = st.lists(st.integers(0, options - 1), unique=True, max_size=options)
    else:
        ballot = st.lists(st.integers(0, options - 1), unique=True, min_size=1, max_size=options)
    ballots = draw(st.lists(ballot, max_size=60))
    protected = draw(st.frozensets(st.integers(0, options - 1), max_size=1))
    seed = draw(st.text(max_size=5))
    return method, ballots, options, seats, protected, seed


@settings(max_examples=300, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_ballot_order(election, rng):
    method, ballots, options, seats, protected, seed = election
    result = tally(method, ballots, options, seats, protected, seed)

    shuffled = list(ballots)
    rng.shuffle(shuffled)
    assert tally(method, shuffled, options, seats, protected, seed) == result

    assert len(set(result.winners)) == len(result.winners) == min(seats, options)
    assert set(result.totals) == set(range(options))
    assert result.ballots == len(ballots)
    eliminated = [o for r in result.rounds for o in r.eliminated]
    assert not protected & set(eliminated)
    assert not set(eliminated) & set(result.winners)
    if method in ("irv", "stv"):
        for r in result.rounds:
            held = sum(r.counts.values()) + r.exhausted
            # STV cuts transfer values to five decimals, so a little may be lost.
            assert len(ballots) - len(ballots) * 1e-4 - 1e-9 <= held <= len(ballots) + 1e-9


@settings(max_examples=100, deadline=None)
@given(elections(), st.lists(st.integers(1, 4), min_size=60, max_size=60))
def test_grouped_ballots_count_as_the_same_ballots_one_by_one(election, times):
    method, ballots, options, seats, protected, seed = election
    groups = list(zip(ballots, times, strict=False))  # the same ballot may come in two groups
    one_by_one = [ballot for ballot, n in groups for _ in range(n)]
    assert tally_grouped(method, groups, options, seats, protected, seed) == tally(
        method, one_by_one, options, seats, protected, seed
    )
