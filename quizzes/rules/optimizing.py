"""Fit a learner's own FSRS parameters to their review history, and reschedule under them. Pure.

The fitting is fsrs-rs's (Anki's optimizer, through `fsrs_rs_python`); this module converts our
review log into its items, applies its own minimum, compares the fit with the defaults on the
learner's own history, and replays a card's history under new parameters with our scheduler.

Elapsed time: fsrs-rs is given, as each review's `delta_t`, Anki's count of the learner's days
(`quizzes.rules.days.elapsed_days`), every review counted back from the start of the learner's
next day after `now`, as Anki's optimizer does (rslib fsrs/params.rs, `reviews_for_fsrs`). Our
scheduler counts days the same way, so the parameters are fitted to the history they are used on.
The items go in the order of the review each ends on, as Anki sorts them: fsrs-rs weights items
by their position.
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
from quizzes.rules.days import DayClock, elapsed_days, next_day_start
from quizzes.rules.scheduling import NEW_CARD, CardValues, Schedule

# fsrs-rs's own thresholds (training.rs, compute_parameters), counted in training items after its
# filter (see `usable_items`). Below MIN_ITEMS it returns the default parameters unchanged; from
# MIN_ITEMS to MIN_FULL_FIT_ITEMS - 1 it fits only the four initial stabilities (w0–w3) and keeps
# the other defaults; from MIN_FULL_FIT_ITEMS on it fits all 21 parameters.
MIN_ITEMS = 8
MIN_FULL_FIT_ITEMS = 64
# fsrs-rs's outlier filter (`filter_outlier`): for each first rating, it sets aside the cards of
# its least common first intervals, at least this many cards' worth (or one in twenty if more),
# each with all its later reviews; a first rating given to fewer cards is set aside whole.
FIRST_RATING_MIN_CARDS = 20
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
    """The history is below the optimizer's minimum: nothing was fitted.

    `candidates` are the training items before fsrs-rs's outlier filter, `items` those it keeps
    (the count its minimum applies to): the filter drops the items of a first rating given to too
    few cards (`FIRST_RATING_MIN_CARDS`), and with it every item of those cards' first interval.
    """

    items: int
    needed: int = MIN_ITEMS
    candidates: int = 0
    reviews: int = 0

    @property
    def filtered_out(self) -> int:
        return self.candidates - self.items


@dataclass(frozen=True)
class Fit:
    """Fitted parameters with their evaluation beside the defaults' and the current ones'."""

    parameters: Parameters
    items: int
    reviews: int
    # The items the evaluations cover: all of them, before the outlier filter.
    candidates: int
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


def history_since_forget(
    history: Mapping[int, list[Review]], forgotten: Mapping[int, datetime]
) -> dict[int, list[Review]]:
    """Each card's reviews after its latest Forget (`forgotten`, by card): Forget puts a card
    back to new, so the memory its later ratings describe starts there, and a replay or a fit
    reads that part of its history alone, as Anki reads a card reset with Forget. A card with no
    review since is left out."""
    kept: dict[int, list[Review]] = {}
    for card, reviews in history.items():
        at = forgotten.get(card)
        since = reviews if at is None else [r for r in reviews if r.reviewed_at > at]
        if since:
            kept[card] = since
    return kept


def review_deltas(reviews: Sequence[Review], day: DayClock, *, now: datetime) -> list[int]:
    """Each review's elapsed days since the one before (first: 0), in the learner's days counted
    back from the start of their next day after `now`, as Anki counts a history."""
    reference = next_day_start(now, day)
    ordered = sorted(reviews)
    previous = [None, *(r.reviewed_at for r in ordered[:-1])]
    return [
        elapsed_days(last, r.reviewed_at, day, reference=reference)
        for last, r in zip(previous, ordered, strict=True)
    ]


def _timed_items(
    reviews: Sequence[Review], day: DayClock, *, now: datetime
) -> list[tuple[datetime, fsrs_rs.FSRSItem]]:
    """One card's training items, each with the time of the review it ends on."""
    ordered = sorted(reviews)
    for review in ordered:
        if review.rating not in Rating.values:
            raise ValueError(f"rating must be one of {Rating.values}, not {review.rating!r}")
    deltas = review_deltas(ordered, day, now=now)
    steps = [
        fsrs_rs.FSRSReview(review.rating, delta)
        for review, delta in zip(ordered, deltas, strict=True)
    ]
    return [
        (ordered[n].reviewed_at, fsrs_rs.FSRSItem(steps[: n + 1]))
        for n in range(1, len(steps))
        if deltas[n] > 0
    ]


def card_items(
    reviews: Sequence[Review], day: DayClock, *, now: datetime
) -> list[fsrs_rs.FSRSItem]:
    """One card's history as fsrs-rs training items, in Anki's shape.

    An item is the history up to a review on a later day than the one before it (delta_t > 0): the
    review whose outcome the model must predict. Same-day reviews only shape the memory state.
    """
    return [item for _at, item in _timed_items(reviews, day, now=now)]


def training_items(history: History, day: DayClock, *, now: datetime) -> list[fsrs_rs.FSRSItem]:
    """Every card's training items in the order of the review each ends on (then card id, so
    the fit is reproducible), as Anki orders them by revlog id: fsrs-rs weights by position."""
    timed = [
        (at, card, n, item)
        for card in sorted(history)
        for n, (at, item) in enumerate(_timed_items(history[card], day, now=now))
    ]
    return [item for _at, _card, _n, item in sorted(timed, key=lambda entry: entry[:3])]


def usable_items(items: Sequence[fsrs_rs.FSRSItem]) -> int:
    """How many items fsrs-rs trains on after its own filter, the count its minimums apply to."""
    first: list[fsrs_rs.FSRSItem] = []
    later: list[fsrs_rs.FSRSItem] = []
    for item in items:
        (first if item.long_term_review_cnt() == 1 else later).append(item)
    kept_first, kept_later = fsrs_rs.filter_outlier(first, later)
    return len(kept_first) + len(kept_later)


def history_usable(history: History, day: DayClock, *, now: datetime) -> int:
    """How many of the learner's reviews the optimizer could learn from now: the items `fit`
    compares with MIN_ITEMS, so a history below it is known before anything is queued."""
    return usable_items(training_items(history, day, now=now))


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


def fit(
    history: History, *, current: Parameters, day: DayClock, now: datetime
) -> Fit | NotEnoughReviews:
    """Fit parameters to the learner's history, or say it is below the optimizer's minimum.

    `current` is the parameters the learner uses now: the fit is better only if it beats them
    on the same history.
    """
    items = training_items(history, day, now=now)
    usable = usable_items(items)
    reviews = sum(len(card) for card in history.values())
    if usable < MIN_ITEMS:
        return NotEnoughReviews(items=usable, candidates=len(items), reviews=reviews)
    try:
        fitted = scheduler_parameters(fsrs_rs.FSRS([]).compute_parameters(items))
    except ValueError as error:
        # fsrs-rs raises NotEnoughData when no item is a card's first interval (its pretraining
        # set is empty). Our items always include that prefix, so `usable` is 0 first: a guard.
        if "NotEnoughData" not in str(error):
            raise
        return NotEnoughReviews(items=usable, candidates=len(items), reviews=reviews)
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
        reviews=reviews,
        candidates=len(items),
        default=evaluations[scheduling.DEFAULT_PARAMETERS],
        current=evaluations[current],
        fitted=evaluations[fitted],
    )


class DueSet(NamedTuple):
    """A "Set due date" the learner made on a card's page (a CardEdit): when, the due set, and
    its edit (its id, and the card before it as Undo puts it back)."""

    made_at: datetime
    due: datetime
    edit_id: int
    previous: Mapping[str, object]


class Moved(NamedTuple):
    """A Set due date made again by a replay: its edit, and what the edit now holds, the due on
    the clock replayed and the card just before it (what Undo puts back)."""

    edit_id: int
    due: datetime
    previous: dict[str, object]


def move_made(card: CardValues, move: DueSet, day: DayClock) -> tuple[CardValues, Moved]:
    """A Set due date made again in a replay of its card (reschedule_card, a regrade), on the
    learner's clock `day` (scheduling.due_set_again): the card moved, and what its edit now holds
    (the card's values as they are before the move; its leech mark and first review as the edit
    kept them)."""
    due = scheduling.due_set_again(move.made_at, move.due, day)
    return scheduling.due_set(card, due), Moved(
        move.edit_id, due, {**move.previous, **card.as_dict()}
    )


def reschedule_card(
    reviews: Sequence[Review],
    *,
    schedule: Schedule,
    seed: str,
    now: datetime,
    dues_set: Sequence[DueSet] = (),
    moved: list[Moved] | None = None,
    before_last: list[CardValues] | None = None,
) -> CardValues:
    """Replay one card's history under a new schedule (parameters, desired retention, day).

    Every review's day is counted back from the start of the learner's next day after `now`, as
    Anki computes a card's memory state from its history. `seed` must be the one the app reviews
    this card with (services: "<user id>:<question id>"), so the fuzz is drawn as a review would
    draw it. `dues_set`: the card's "Set due date"s, each made again in its place among the
    reviews (as ts-fsrs replays a manual entry), on the schedule's clock (due_set_again): one
    after the last review keeps its day, where a replay of the reviews alone put the card back as
    its last rating left it. `moved`, if given, gets what each edit now holds (Moved);
    `before_last`, the card as it now was just before its last review (what Undo of that rating
    puts back). Nothing is written: the caller saves the returned values for all cards in one
    transaction.
    """
    reference = next_day_start(now, schedule.day)
    card = NEW_CARD
    moves = sorted(dues_set, key=lambda move: (move.made_at, move.edit_id))

    def move(card: CardValues, due_set: DueSet) -> CardValues:
        card, made = move_made(card, due_set, schedule.day)
        if moved is not None:
            moved.append(made)
        return card

    before: CardValues | None = None
    for review in sorted(reviews):
        while moves and moves[0].made_at < review.reviewed_at:
            card = move(card, moves.pop(0))
        before = card
        card = scheduling.review(
            card,
            review.rating,
            now=review.reviewed_at,
            schedule=schedule,
            seed=seed,
            reference=reference,
        )
    for due_set in moves:
        card = move(card, due_set)
    if before_last is not None and before is not None:
        before_last.append(before)
    return card
