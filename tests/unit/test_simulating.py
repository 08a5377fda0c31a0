"""The workload simulator and its chart, without a database."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from statistics import fmean

import fsrs_rs_python as fsrs_rs
import pytest

from quizzes.enums import MemoryState, Rating
from quizzes.rules import charts, simulating
from quizzes.rules.optimizing import Review
from quizzes.rules.scheduling import DEFAULT_PARAMETERS, NEW_CARD, CardValues
from quizzes.rules.simulating import SHORT, Inputs, Limits, SimCard, Workload
from tests.support.schedules import UTC_DAY
from tests.support.synthetic import FORGETFUL

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


# When the histories are replayed: after all of them.
LATER = datetime(2031, 1, 1, tzinfo=UTC)


def review_card(stability, *, days_ago, due_in, difficulty=5.0):
    return SimCard(MemoryState.REVIEW, None, stability, difficulty, days_ago, due_in)


# A learner a month in: 60 cards in review at various strengths, 120 not started.
CARDS = tuple(
    review_card(1.0 + (n % 20) * 1.5, days_ago=n % 7, due_in=n % 11, difficulty=3 + n % 6)
    for n in range(60)
)
INPUTS = Inputs(cards=CARDS, new_cards=120, parameters=DEFAULT_PARAMETERS)


@pytest.fixture(scope="module")
def workload():
    return simulating.simulate(INPUTS)


def outcome(workload, retention):
    return next(o for o in workload.outcomes if o.desired_retention == retention)


def test_started_cards_are_counted_in_the_learners_days():
    cards = [
        NEW_CARD,
        CardValues(
            state=MemoryState.REVIEW,
            step=None,
            stability=12.3456,
            difficulty=4.4444,
            last_review=NOW - timedelta(days=2, hours=23),  # the 7th at 10:00: 3 days ago
            due=NOW + timedelta(days=3, hours=1),  # due on the learner's third day from today
            reps=3,
        ),
        CardValues(
            state=MemoryState.LEARNING,
            step=1,
            stability=2.3,
            difficulty=6.0,
            last_review=NOW - timedelta(minutes=30),
            due=NOW - timedelta(minutes=20),  # overdue: today
            reps=1,
        ),
    ]
    assert simulating.sim_cards(cards, now=NOW, day=UTC_DAY) == (
        SimCard(MemoryState.LEARNING, 1, 2.3, 6.0, 0, 0),
        SimCard(MemoryState.REVIEW, None, 12.3, 4.44, 3, 3),
    )


def test_the_grid_runs_from_70_to_97_percent():
    assert simulating.RETENTIONS[0] == 0.70
    assert simulating.RETENTIONS[-1] == 0.97
    assert len(simulating.RETENTIONS) == 28


def test_the_simulation_is_reproducible(workload):
    assert simulating.simulate(INPUTS) == workload


def test_a_higher_retention_costs_more_reviews_and_keeps_more_cards(workload):
    low, middle, high = (outcome(workload, r) for r in (0.70, 0.85, 0.97))
    assert low.reviews_per_day_long < middle.reviews_per_day_long < high.reviews_per_day_long
    assert low.reviews_per_day_short < high.reviews_per_day_short
    assert low.remembered_long < middle.remembered_long < high.remembered_long
    # No more cards can be remembered than the learner has.
    assert high.remembered_long <= len(CARDS) + INPUTS.new_cards


def test_the_suggestion_is_the_most_remembered_cards_per_review(workload):
    best = max(workload.outcomes, key=lambda o: o.remembered_per_review)
    assert workload.suggestion == best.desired_retention


def test_the_suggestion_stays_within_the_range_the_settings_allow():
    workload = simulating.simulate(replace(INPUTS, suggest_within=(0.80, 0.97)))
    eligible = [o for o in workload.outcomes if o.desired_retention >= 0.80]
    assert (
        workload.suggestion
        == max(eligible, key=lambda o: o.remembered_per_review).desired_retention
    )


def test_nothing_to_study_costs_nothing_and_suggests_nothing():
    workload = simulating.simulate(Inputs(cards=(), new_cards=0, parameters=DEFAULT_PARAMETERS))
    assert all(o.reviews_per_day_long == 0 and o.remembered_long == 0 for o in workload.outcomes)
    assert workload.suggestion is None


def test_daily_limits_hold():
    inputs = replace(INPUTS, limits=Limits(new_per_day=2, max_reviews_per_day=8))
    result = simulating.simulate_retention(0.97, inputs)
    # A card started before the maximum is reached finishes its same-day steps (two at most).
    assert result.reviews_per_day_short <= 8 + 2
    # Two new cards a day for a year start at most 120 cards, and no more than there are.
    unlimited = simulating.simulate_retention(0.97, replace(INPUTS, new_cards=0))
    assert result.remembered_long > unlimited.remembered_long


@pytest.mark.parametrize("retention", [0.80, 0.90, 0.95])
def test_on_an_empty_deck_it_agrees_with_fsrs_rs_own_simulator(retention):
    config = fsrs_rs.default_simulator_config()
    config.deck_size, config.learn_limit, config.learn_span = 300, 10, 365
    config.review_limit, config.max_cost_perday = 10_000, 1e9
    runs = [fsrs_rs.simulate(list(DEFAULT_PARAMETERS), retention, config, s) for s in range(10)]
    their_reviews = sum(sum(r.review_cnt_per_day) + sum(r.learn_cnt_per_day) for r in runs) / 10
    their_remembered = sum(r.memorized_cnt_per_day[-1] for r in runs) / 10

    ours = simulating.simulate_retention(
        retention,
        Inputs(
            cards=(),
            new_cards=300,
            parameters=DEFAULT_PARAMETERS,
            limits=Limits(10, 10_000),
            samples=5,
        ),
    )
    # Both count a card once a day and draw its steps' ratings alike: over a year the reviews
    # differ by a few percent (the draws differ), the memory hardly at all.
    assert ours.reviews_per_day_long * 365 == pytest.approx(their_reviews, rel=0.07)
    assert ours.remembered_long == pytest.approx(their_remembered, rel=0.01)


def test_the_cache_key_follows_the_inputs():
    key = INPUTS.cache_key
    assert key == replace(INPUTS, cards=tuple(reversed(CARDS))).cache_key  # order is not an input
    assert key == replace(INPUTS).cache_key
    stronger = (CARDS[0]._replace(stability=CARDS[0].stability + 1), *CARDS[1:])
    changed = [
        replace(INPUTS, cards=stronger),
        replace(INPUTS, new_cards=119),
        replace(INPUTS, limits=Limits(new_per_day=10)),
        replace(INPUTS, parameters=(0.3, *DEFAULT_PARAMETERS[1:])),
        replace(INPUTS, retentions=simulating.RETENTIONS[::2]),
        replace(INPUTS, seed=1),
    ]
    assert len({key} | {inputs.cache_key for inputs in changed}) == 1 + len(changed)


def test_a_review_now_changes_the_key():
    card = CardValues(
        state=MemoryState.REVIEW, stability=10.0, difficulty=5.0, last_review=NOW, due=NOW, reps=2
    )
    before = simulating.sim_cards([card], now=NOW, day=UTC_DAY)
    after = simulating.sim_cards(
        [replace(card, stability=14.0, due=NOW + timedelta(days=14), reps=3)],
        now=NOW,
        day=UTC_DAY,
    )
    assert (
        Inputs(before, 0, DEFAULT_PARAMETERS).cache_key
        != Inputs(after, 0, DEFAULT_PARAMETERS).cache_key
    )


def test_the_chart_spans_the_box_and_marks_the_suggestion(workload):
    chart = charts.workload_chart(workload, width=600, height=180)
    points = chart.reviews_long.points
    assert [p.x for p in (points[0], points[-1])] == [0, 600]
    for series in (chart.reviews_short, chart.reviews_long, chart.remembered):
        assert len(series.points) == 28
        assert all(0 <= p.y <= 180 for p in series.points)
        assert series.path.startswith("M0.0,")
        assert series.path.count("L") == 27
    # Both review lines share a scale whose top is a round value at or above the busiest of them.
    busiest = min(p.y for p in chart.reviews_short.points + points)
    step = chart.reviews_ticks[1].y - chart.reviews_ticks[0].y  # negative: y grows downwards
    assert chart.reviews_ticks[-1].y == 0
    assert 0 <= busiest < -step
    assert [t.label for t in chart.ticks] == ["70%", "75%", "80%", "85%", "90%", "95%"]
    suggested = workload.outcomes.index(outcome(workload, workload.suggestion))
    assert chart.suggestion_x == points[suggested].x
    assert points[suggested].label.startswith(f"{round(workload.suggestion * 100)}%: ")


def test_an_empty_workload_draws_nothing():
    chart = charts.workload_chart(Workload(outcomes=(), suggestion=None))
    assert chart.reviews_long.path == ""
    assert chart.suggestion_x is None


def test_the_simulator_plays_as_many_steps_as_the_scheduler_has():
    # py-fsrs's steps: 1 and 10 minutes to learn, 10 minutes to relearn (as Anki's defaults).
    assert (simulating._steps().learning, simulating._steps().relearning) == (2, 1)


def test_a_new_card_counts_once_on_its_first_day_however_many_steps_it_takes():
    inputs = Inputs(cards=(), new_cards=10, parameters=DEFAULT_PARAMETERS, limits=Limits(10, 100))
    run = simulating._Run(inputs.parameters, 0.9, inputs.odds, "0:0")
    assert run.play_day(0, 10, inputs.limits).ratings == 10


@pytest.mark.parametrize("retention", [0.80, 0.90, 0.95])
def test_the_first_months_reviews_are_fsrs_rs_own_count(retention):
    # fsrs-rs (Anki's simulator) counts a card once a day, learning steps and all, and draws the
    # steps' ratings from Anki users' odds. Counting every step, and assuming Good until a card
    # left them, put us 10-51 % above it over 30 days.
    config = fsrs_rs.default_simulator_config()
    config.deck_size, config.learn_limit, config.learn_span = 300, 10, SHORT
    config.review_limit, config.max_cost_perday = 10_000, 1e9
    runs = [fsrs_rs.simulate(list(DEFAULT_PARAMETERS), retention, config, s) for s in range(20)]
    theirs = fmean(sum(r.review_cnt_per_day) + sum(r.learn_cnt_per_day) for r in runs)
    inputs = Inputs(
        cards=(), new_cards=300, parameters=DEFAULT_PARAMETERS, limits=Limits(10, 10_000)
    )
    ours = simulating.simulate_retention(retention, replace(inputs, samples=5))
    assert ours.reviews_per_day_short * SHORT == pytest.approx(theirs, rel=0.06)


def test_the_suggestion_agrees_with_fsrs_rs_optimal_retention():
    # fsrs-rs minimises seconds spent per card remembered; we count ratings: close, not equal.
    config = fsrs_rs.default_simulator_config()
    config.deck_size, config.learn_limit, config.review_limit = 182, 20, 200
    theirs = fsrs_rs.optimal_retention(config, list(FORGETFUL))
    ours = simulating.simulate(Inputs(cards=(), new_cards=182, parameters=FORGETFUL)).suggestion
    assert ours == pytest.approx(theirs, abs=0.03)


def day(n, hour=9):
    return datetime(2026, 3, n, hour, tzinfo=UTC)


def test_rating_odds_come_from_the_learners_own_log_when_there_is_enough_of_it():
    # 90 cards: first rated Good (60) or Again (30); one review 3 days later: Easy, Hard or Again.
    history = {
        n: [
            Review(day(1), Rating.GOOD if n % 3 else Rating.AGAIN),
            Review(day(1, 10), Rating.GOOD),  # a same-day step: not a habit
            Review(day(4), (Rating.EASY, Rating.HARD, Rating.AGAIN)[n % 3]),
        ]
        for n in range(90)
    }
    odds = simulating.rating_odds(history, UTC_DAY, now=LATER)
    assert odds.first == (0.333, 0.0, 0.667, 0.0)
    assert odds.recalled == (0.5, 0.0, 0.5)  # Hard, Good, Easy


def test_too_short_a_log_keeps_the_default_rating_odds():
    history = {n: [Review(day(1), Rating.AGAIN), Review(day(4), Rating.GOOD)] for n in range(49)}
    assert simulating.rating_odds(history, UTC_DAY, now=LATER) == simulating.RatingOdds()


def test_samples_average_independent_runs():
    one = simulating.simulate_retention(0.9, INPUTS)
    two = simulating.simulate_retention(0.9, replace(INPUTS, samples=2))
    assert two != one
    assert two.reviews_per_day_long > 0
    assert replace(INPUTS, samples=2).cache_key != INPUTS.cache_key
