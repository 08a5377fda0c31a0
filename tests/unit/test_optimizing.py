"""Fitting a learner's own FSRS parameters, without a database."""

import itertools
from datetime import UTC, datetime, timedelta

import fsrs
import fsrs_rs_python as fsrs_rs
import pytest

from quizzes.enums import Rating
from quizzes.rules import optimizing, scheduling
from quizzes.rules.optimizing import (
    MIN_FULL_FIT_ITEMS,
    MIN_ITEMS,
    Fit,
    NotEnoughReviews,
    Review,
    ReviewRow,
)
from quizzes.rules.scheduling import DEFAULT_PARAMETERS, NEW_CARD, Schedule
from tests.support.schedules import DEFAULT_SCHEDULE, UTC_DAY
from tests.support.synthetic import FORGETFUL, synthetic_history

# When the histories are replayed: after all of them.
LATER = datetime(2031, 1, 1, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# Evening and morning reviews: 22:00 then 07:00 next day, 23:00 then 00:30, a lapse at night.
EVENING_AND_MORNING = [
    Review(at(1, 22), Rating.GOOD),
    Review(at(2, 7), Rating.GOOD),
    Review(at(4, 23), Rating.GOOD),
    Review(at(5, 0, 30), Rating.AGAIN),
    Review(at(5, 0, 40), Rating.GOOD),
    Review(at(9, 22), Rating.HARD),
    Review(at(20, 7), Rating.GOOD),
]


FORGETFUL_SCHEDULE = Schedule(desired_retention=0.9, parameters=FORGETFUL, day=UTC_DAY)


def replay(reviews, schedule=DEFAULT_SCHEDULE):
    card = NEW_CARD
    for review in reviews:
        card = scheduling.review(
            card, review.rating, now=review.reviewed_at, schedule=schedule, seed="1:1"
        )
    return card


def whole_item(deltas):
    return fsrs_rs.FSRSItem(
        [fsrs_rs.FSRSReview(r.rating, d) for r, d in zip(EVENING_AND_MORNING, deltas, strict=True)]
    )


def test_elapsed_days_are_the_learners_days_as_anki_counts_them():
    # The learner's day starts at 4 a.m.: 22:00 → 07:00 is a day; 23:00 → 00:30 is not.
    assert optimizing.review_deltas(EVENING_AND_MORNING, UTC_DAY, now=LATER) == [
        0, 1, 2, 0, 0, 5, 11
    ]  # fmt: skip


def test_optimizer_input_and_the_scheduler_agree_on_evening_and_morning_reviews():
    card = replay(EVENING_AND_MORNING)
    model = fsrs_rs.FSRS(list(DEFAULT_PARAMETERS))
    ours = model.memory_state(
        whole_item(optimizing.review_deltas(EVENING_AND_MORNING, UTC_DAY, now=LATER))
    )
    # fsrs-rs computes in 32-bit floats.
    assert ours.stability == pytest.approx(card.stability, rel=1e-6)
    assert ours.difficulty == pytest.approx(card.difficulty, rel=1e-6)
    # 24-hour periods (what fsrs counts from the clock) would describe another history.
    periods = [0] + [
        (b.reviewed_at - a.reviewed_at).days for a, b in itertools.pairwise(EVENING_AND_MORNING)
    ]
    assert periods == [0, 0, 2, 0, 0, 4, 10]
    theirs = model.memory_state(whole_item(periods))
    assert theirs.stability != pytest.approx(card.stability, rel=1e-3)


def test_each_review_on_a_later_day_is_an_item_that_same_day_reviews_lead_up_to():
    items = optimizing.card_items(EVENING_AND_MORNING, UTC_DAY, now=LATER)
    # Reviews 2, 3, 6 and 7 come on a later day of the learner's than the one before.
    assert [len(item.reviews) for item in items] == [2, 3, 6, 7]
    assert [item.long_term_review_cnt() for item in items] == [1, 2, 3, 4]


def test_review_log_rows_group_by_card_in_time_order():
    rows = [
        ReviewRow(7, at(3, 9), Rating.GOOD),
        ReviewRow(5, at(2, 9), Rating.AGAIN),
        ReviewRow(7, at(1, 9), Rating.GOOD),
    ]
    assert optimizing.group_history(rows) == {
        7: [Review(at(1, 9), Rating.GOOD), Review(at(3, 9), Rating.GOOD)],
        5: [Review(at(2, 9), Rating.AGAIN)],
    }


def test_a_rating_outside_the_four_is_refused():
    with pytest.raises(ValueError, match="rating"):
        optimizing.card_items(
            [Review(at(1, 9), Rating.GOOD), Review(at(3, 9), 0)], UTC_DAY, now=LATER
        )


def test_below_the_optimizers_minimum_nothing_is_fitted():
    history = synthetic_history(reviews=60, seed=1)
    items = optimizing.training_items(history, UTC_DAY, now=LATER)
    assert optimizing.usable_items(items) < MIN_ITEMS
    # fsrs-rs itself would only hand back its defaults for this history.
    assert optimizing.scheduler_parameters(
        fsrs_rs.FSRS([]).compute_parameters(items)
    ) == pytest.approx(DEFAULT_PARAMETERS)
    result = optimizing.fit(history, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER)
    assert isinstance(result, NotEnoughReviews)
    assert result.needed == MIN_ITEMS


def test_an_empty_history_is_not_enough():
    assert optimizing.fit(
        {}, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER
    ) == NotEnoughReviews(items=0)


def test_a_short_history_fits_only_the_initial_stabilities():
    result = optimizing.fit(
        synthetic_history(reviews=300, seed=0), current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER
    )
    assert isinstance(result, Fit)
    assert MIN_ITEMS <= result.items < MIN_FULL_FIT_ITEMS
    assert not result.full
    assert result.parameters[4:] == pytest.approx(DEFAULT_PARAMETERS[4:])
    assert result.parameters[:4] != pytest.approx(DEFAULT_PARAMETERS[:4])


def test_fit_of_a_learner_with_known_parameters_beats_the_defaults():
    history = synthetic_history(reviews=2000, parameters=FORGETFUL, seed=4)
    result = optimizing.fit(history, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER)
    assert isinstance(result, Fit)
    assert result.full
    assert result.reviews == 2000
    assert result.fitted.log_loss < result.default.log_loss
    assert result.fitted.rmse < result.default.rmse
    assert result.is_better
    # It predicts the history at least as well as the parameters that generated it (a little
    # better: it is evaluated on the history it was fitted to), and the defaults do not.
    truth = optimizing.evaluate(optimizing.training_items(history, UTC_DAY, now=LATER), FORGETFUL)
    assert result.fitted.log_loss <= truth.log_loss * 1.01
    assert result.default.log_loss > truth.log_loss * 1.01


def test_fitting_is_reproducible():
    history = synthetic_history(reviews=1000, seed=2)
    first = optimizing.fit(history, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER)
    second = optimizing.fit(history, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER)
    # 1000 reviews are above the optimizer's minimum: both are fits.
    assert isinstance(first, Fit)
    assert isinstance(second, Fit)
    assert first.parameters == second.parameters
    # fsrs-rs sums its evaluation in parallel: equal up to the last bits.
    assert first.fitted.log_loss == pytest.approx(second.fitted.log_loss, rel=1e-6)
    assert first.fitted.rmse == pytest.approx(second.fitted.rmse, rel=1e-6)


def test_refitting_with_the_fit_in_use_is_not_an_improvement():
    history = synthetic_history(reviews=1000, seed=2)
    first = optimizing.fit(history, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER)
    assert isinstance(first, Fit)  # 1000 reviews are above the optimizer's minimum
    again = optimizing.fit(history, current=first.parameters, day=UTC_DAY, now=LATER)
    assert isinstance(again, Fit)
    assert again.parameters == first.parameters
    assert again.current == again.fitted
    assert not again.is_better


def test_fitted_parameters_are_accepted_by_the_scheduler():
    fitted = fsrs_rs.FSRS([]).compute_parameters(
        optimizing.training_items(synthetic_history(reviews=1500, seed=5), UTC_DAY, now=LATER)
    )
    parameters = optimizing.scheduler_parameters(fitted)
    assert len(parameters) == 21
    fsrs.Scheduler(parameters=parameters)  # validates count and bounds
    assert parameters == pytest.approx(fitted, rel=1e-5)


def test_32_bit_noise_at_a_bound_is_rounded_back_inside_it():
    noisy = list(DEFAULT_PARAMETERS)
    noisy[20] = 0.800000011920929  # 0.8 as a 32-bit float, the upper bound of the decay
    noisy[7] = -1e-9
    parameters = optimizing.scheduler_parameters(noisy)
    assert parameters[20] == 0.8
    assert parameters[7] == 0.001
    fsrs.Scheduler(parameters=parameters)


def test_an_fsrs_5_vector_is_filled_to_fsrs_6():
    parameters = optimizing.scheduler_parameters(list(DEFAULT_PARAMETERS[:19]))
    assert len(parameters) == 21
    fsrs.Scheduler(parameters=parameters)


def test_rescheduling_under_the_same_settings_gives_back_the_stored_card():
    assert optimizing.reschedule_card(
        EVENING_AND_MORNING, schedule=DEFAULT_SCHEDULE, seed="1:1", now=LATER
    ) == replay(EVENING_AND_MORNING)


def test_a_higher_desired_retention_brings_the_due_date_forward_and_keeps_the_memory():
    stored = replay(EVENING_AND_MORNING)
    card = optimizing.reschedule_card(
        EVENING_AND_MORNING, schedule=DEFAULT_SCHEDULE.with_retention(0.97), seed="1:1", now=LATER
    )
    assert card.due < stored.due
    assert (card.stability, card.difficulty) == (stored.stability, stored.difficulty)
    assert (card.reps, card.lapses, card.last_review) == (7, 1, stored.last_review)


def test_new_parameters_recompute_the_memory_from_the_history():
    card = optimizing.reschedule_card(
        EVENING_AND_MORNING, schedule=FORGETFUL_SCHEDULE, seed="1:1", now=LATER
    )
    assert card == replay(EVENING_AND_MORNING, schedule=FORGETFUL_SCHEDULE)
    assert card.stability < replay(EVENING_AND_MORNING).stability
    # The history has reviews: the card has been reviewed and is due again.
    assert card.due is not None
    assert card.last_review is not None
    assert card.due - card.last_review < timedelta(days=22)


def test_a_fit_is_compared_with_the_learners_own_parameters_when_they_have_some():
    history = synthetic_history(reviews=1000, seed=2)
    result = optimizing.fit(history, current=FORGETFUL, day=UTC_DAY, now=LATER)
    assert isinstance(result, Fit)  # 1000 reviews are above the optimizer's minimum
    items = optimizing.training_items(history, UTC_DAY, now=LATER)
    assert result.current.log_loss == pytest.approx(
        optimizing.evaluate(items, FORGETFUL).log_loss, rel=1e-6
    )
    assert result.default.log_loss == pytest.approx(
        optimizing.evaluate(items, DEFAULT_PARAMETERS).log_loss, rel=1e-6
    )
    assert result.is_better == (result.fitted.log_loss < result.current.log_loss)


def first_interval_items(cards: int, first: int = Rating.GOOD) -> list[fsrs_rs.FSRSItem]:
    return [
        fsrs_rs.FSRSItem([fsrs_rs.FSRSReview(first, 0), fsrs_rs.FSRSReview(Rating.GOOD, 1)])
        for _ in range(cards)
    ]


def test_the_outlier_filter_sets_aside_a_first_rating_given_to_fewer_than_20_cards():
    # fsrs-rs's own filter, the threshold the settings page names.
    below = first_interval_items(optimizing.FIRST_RATING_MIN_CARDS - 1)
    at_it = first_interval_items(optimizing.FIRST_RATING_MIN_CARDS)
    assert fsrs_rs.filter_outlier(below, []) == ([], [])
    assert len(fsrs_rs.filter_outlier(at_it, [])[0]) == optimizing.FIRST_RATING_MIN_CARDS


def test_a_history_the_filter_empties_says_how_many_items_it_had():
    # 15 cards, each rated Good and again the next day: 15 items, all set aside by the filter.
    history = {
        card: [Review(at(1, 9), Rating.GOOD), Review(at(2, 9), Rating.GOOD)] for card in range(15)
    }
    result = optimizing.fit(history, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER)
    assert result == NotEnoughReviews(items=0, candidates=15, reviews=30)
    assert isinstance(result, NotEnoughReviews)
    assert result.filtered_out == 15


def test_training_items_go_in_the_order_of_their_reviews_not_of_card_ids():
    # Card 9 was studied first, card 1 a week later: Anki orders items by revlog id (time).
    history = {
        1: [Review(at(8, 9), Rating.GOOD), Review(at(9, 9), Rating.AGAIN)],
        9: [Review(at(1, 9), Rating.GOOD), Review(at(2, 9), Rating.EASY)],
    }
    items = optimizing.training_items(history, UTC_DAY, now=LATER)
    # The bindings show a review only in its repr: "FSRSReview { rating: 4, delta_t: 1 }".
    assert ["rating: 4" in repr(items[0]), "rating: 1" in repr(items[1])] == [True, True]


def test_a_fit_counts_the_items_its_figures_cover():
    history = synthetic_history(reviews=600, seed=2)
    result = optimizing.fit(history, current=DEFAULT_PARAMETERS, day=UTC_DAY, now=LATER)
    assert isinstance(result, Fit)
    assert result.candidates == len(optimizing.training_items(history, UTC_DAY, now=LATER))
    assert result.items <= result.candidates
