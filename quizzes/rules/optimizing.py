"""Fit a learner's own FSRS parameters to their review history, and reschedule under them. Pure.

The fitting is fsrs-rs's (Anki's optimizer, through `fsrs_rs_python`); this module converts our
review log into its items, applies its own minimum, compares the fit with the defaults on the
learner's own history, and replays a card's history under new parameters with our scheduler.

Elapsed time: fsrs-rs is given, as each review's `delta_t`, the day count our scheduler (py-fsrs)
uses — whole 24-hour periods since the previous review (`quizzes.rules.days`) — not Anki's
calendar-day gaps. Anki can use calendar days because its scheduler counts days that way too; ours
does not: a review at 22:00 and the next at 07:00 are on two calendar days but 0 elapsed days for
py-fsrs, which treats the second as a same-day (short-term) review. Fitting on calendar days would
fit a model of a different history from the one the parameters are then used on.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import fsrs
import fsrs.scheduler
import fsrs_rs_python as fsrs_rs

from quizzes.enums import Rating
from quizzes.rules import scheduling
from quizzes.rules.days import elapsed_days
from quizzes.rules.scheduling import NEW_CARD, CardValues, Schedule

# fsrs-rs's own thresholds (training.rs, compute_parameters), counted in training items after its
# filter (see `usable_items`). Below MIN_ITEMS it returns the default parameters unchanged; from
# MIN_ITEMS to MIN_FULL_FIT_ITEMS - 1 it fits only the four initial stabilities (w0–w3) and keeps
# the other defaults; from MIN_FULL_FIT_ITEMS on it fits all 21 parameters.
MIN_ITEMS = 8
MIN_FULL_FIT_ITEMS = 64
PARAMETER_COUNT = len(fsrs.scheduler.DEFAULT_PARAMETERS)  # FSRS-6: 21, in both libraries

Parameters = tuple[float, ...]


class Review(NamedTuple):
    """One row of the review log, as the optimizer needs it."""

    reviewed_at: datetime
    rating: int


class ReviewRow(NamedTuple):
    """A review log row with its card: `ReviewLog.objects.values_list(*ReviewRow._fields)`."""

    question_id: int
    reviewed_at: datetime
    rating: int


History = Mapping[int, Sequence[Review]]


@dataclass(frozen=True)
class Evaluation:
    """How well parameters predict the learner's recalls: lower is better for both."""

    log_loss: float
    rmse: float


@dataclass(frozen=True)
class NotEnoughReviews:
    """The history is below the optimizer's minimum: nothing was fitted."""

    items: int
    needed: int = MIN_ITEMS


@dataclass(frozen=True)
class Fit:
    """Fitted parameters with their evaluation beside the defaults' and the current ones'."""

    parameters: Parameters
    items: int
    reviews: int
    default: Evaluation
    current: Evaluation
    fitted: Evaluation

    @property
    def full(self) -> bool:
        """Whether all 21 parameters were fitted (else only the initial stabilities)."""
        return self.items >= MIN_FULL_FIT_ITEMS

    @property
    def is_better(self) -> bool:
        """Apply the fit only if it predicts this history better than the parameters in use."""
        return self.fitted.log_loss < self.current.log_loss


def group_history(rows: Iterable[ReviewRow]) -> dict[int, list[Review]]:
    """Group review log rows by card, each card's reviews in time order."""
    history: dict[int, list[Review]] = defaultdict(list)
    for row in rows:
        history[row.question_id].append(Review(row.reviewed_at, row.rating))
    return {card: sorted(reviews) for card, reviews in history.items()}


def review_deltas(reviews: Sequence[Review]) -> list[int]:
    """Each review's elapsed days since the one before, as py-fsrs counts them (first: 0)."""
    ordered = sorted(reviews)
    previous = [None, *(r.reviewed_at for r in ordered[:-1])]
    return [elapsed_days(last, r.reviewed_at) for last, r in zip(previous, ordered, strict=True)]


def card_items(reviews: Sequence[Review]) -> list[fsrs_rs.FSRSItem]:
    """One card's history as fsrs-rs training items, in Anki's shape.

    An item is the history up to a review on a later day than the one before it (delta_t > 0): the
    review whose outcome the model must predict. Same-day reviews only shape the memory state.
    """
    ordered = sorted(reviews)
    for review in ordered:
        if review.rating not in Rating.values:
            raise ValueError(f"rating must be one of {Rating.values}, not {review.rating!r}")
    deltas = review_deltas(ordered)
    steps = [
        fsrs_rs.FSRSReview(review.rating, delta)
        for review, delta in zip(ordered, deltas, strict=True)
    ]
    return [fsrs_rs.FSRSItem(steps[: n + 1]) for n in range(1, len(steps)) if deltas[n] > 0]


def training_items(history: History) -> list[fsrs_rs.FSRSItem]:
    """Every card's training items, cards in id order so the fit is reproducible."""
    return [item for card in sorted(history) for item in card_items(history[card])]


def usable_items(items: Sequence[fsrs_rs.FSRSItem]) -> int:
    """How many items fsrs-rs trains on after its own filter, the count its minimums apply to."""
    first: list[fsrs_rs.FSRSItem] = []
    later: list[fsrs_rs.FSRSItem] = []
    for item in items:
        (first if item.long_term_review_cnt() == 1 else later).append(item)
    kept_first, kept_later = fsrs_rs.filter_outlier(first, later)
    return len(kept_first) + len(kept_later)


def scheduler_parameters(values: Sequence[float]) -> Parameters:
    """fsrs-rs's parameters (32-bit floats) as the 21 values py-fsrs accepts.

    Rounded to the precision a 32-bit float carries, so 0.8 read back as 0.80000001 is 0.8 again,
    and clamped into py-fsrs's bounds, which fsrs-rs's clipper already keeps up to that rounding.
    """
    if len(values) != PARAMETER_COUNT:
        values = fsrs_rs.check_and_fill_parameters(list(values))  # FSRS-4/5 vectors to FSRS-6
    lower = fsrs.scheduler.LOWER_BOUNDS_PARAMETERS
    upper = fsrs.scheduler.UPPER_BOUNDS_PARAMETERS
    return tuple(
        min(max(float(f"{value:.6g}"), low), high)
        for value, low, high in zip(values, lower, upper, strict=True)
    )


def evaluate(items: Sequence[fsrs_rs.FSRSItem], parameters: Sequence[float]) -> Evaluation:
    """Log loss and RMSE (fsrs-rs's binned RMSE) of `parameters` on the items."""
    result = fsrs_rs.FSRS(list(parameters)).evaluate(list(items))
    return Evaluation(log_loss=result.log_loss, rmse=result.rmse_bins)


def fit(history: History, *, current: Parameters) -> Fit | NotEnoughReviews:
    """Fit parameters to the learner's history, or say it is below the optimizer's minimum.

    `current` is the parameters the learner uses now: the fit is better only if it beats them
    on the same history.
    """
    items = training_items(history)
    usable = usable_items(items)
    if usable < MIN_ITEMS:
        return NotEnoughReviews(items=usable)
    try:
        fitted = scheduler_parameters(fsrs_rs.FSRS([]).compute_parameters(items))
    except ValueError as error:
        # fsrs-rs raises NotEnoughData when no item is a card's first interval (its pretraining
        # set is empty). Our items always include that prefix, so `usable` is 0 first: a guard.
        if "NotEnoughData" not in str(error):
            raise
        return NotEnoughReviews(items=usable)
    # fsrs-rs's evaluation sums in parallel, so it can differ in the last bits between calls:
    # each distinct parameter set is evaluated once, and a fit equal to the one in use is not
    # reported as better by noise.
    evaluations: dict[Parameters, Evaluation] = {}
    for parameters in (scheduling.DEFAULT_PARAMETERS, current, fitted):
        if parameters not in evaluations:
            evaluations[parameters] = evaluate(items, parameters)
    return Fit(
        parameters=fitted,
        items=usable,
        reviews=sum(len(reviews) for reviews in history.values()),
        default=evaluations[scheduling.DEFAULT_PARAMETERS],
        current=evaluations[current],
        fitted=evaluations[fitted],
    )


def reschedule_card(
    reviews: Sequence[Review],
    *,
    schedule: Schedule,
    seed: str,
) -> CardValues:
    """Replay one card's history under a new schedule (parameters and desired retention).

    `seed` must be the one the app reviews this card with (services: "<user id>:<question id>"),
    so the fuzz is drawn as a review would draw it. Nothing is written: the caller saves the
    returned values for all cards in one transaction.
    """
    card = NEW_CARD
    for review in sorted(reviews):
        card = scheduling.review(
            card,
            review.rating,
            now=review.reviewed_at,
            schedule=schedule,
            seed=seed,
        )
    return card
