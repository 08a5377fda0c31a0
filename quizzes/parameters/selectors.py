"""Reads of a learner's schedule: their review history, their fits, and the workload simulator."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max

from learnfrl.accounts.limits import Verdict, limit_peek, limit_release, limit_reserve
from learnfrl.accounts.users import User
from quizzes.bank.cache import Bank, bank_current
from quizzes.cards.selectors import holds_in_effect
from quizzes.enums import CardEditKind, FitOutcome, HoldKind
from quizzes.limits import RETENTION_MAX, RETENTION_MIN
from quizzes.models import CardEdit, CardState, ReviewLog, ScheduleFit, StudyProfile
from quizzes.parameters.offload import OffloadBusy, OffloadFailed, offloaded
from quizzes.progress.figures import workload_lookup_key
from quizzes.progress.statistics import history_marker
from quizzes.rules import charts, days, optimizing, simulating
from quizzes.rules.optimizing import History, ReviewRow

# A simulation depends only on its inputs, which are its cache key: keep it a day.
WORKLOAD_CACHE_SECONDS = 60 * 60 * 24
# How long one learner's running simulation holds their single-flight slot at most (a process
# that dies mid-run frees it then).
WORKLOAD_RUNNING_SECONDS = 120
# How long a request waits for its simulation (queued behind others in its web process, then run):
# well under the proxy's 60 s read timeout (docs/deploy/nginx.conf), so the learner gets the app's
# notice, not the proxy's 504, and the proxy does not take the app server for a failed one.
WORKLOAD_SIMULATION_SECONDS = 45


class WorkloadRefused(Exception):
    """No simulation was run for the learner: the message says why and when to try again."""


def review_history(
    *, user: User, whole: bool = False, forgotten: Mapping[int, datetime] | None = None
) -> History:
    """The learner's review log grouped by card in time order, each card's from its latest
    Forget on (optimizing.history_since_forget: what replays and fits read); `whole`, all of
    it. Its own query, and one for the Forgets unless given (`forgotten`: card_edits_read's)."""
    rows = (
        ReviewLog.objects.filter(user=user)
        .order_by("reviewed_at", "id")
        .values_list(*ReviewRow._fields)
    )
    history = optimizing.group_history(ReviewRow(*row) for row in rows.iterator(chunk_size=5000))
    if whole:
        return history
    if forgotten is None:
        forgotten = card_edits_read(user=user).forgotten
    return optimizing.history_since_forget(history, forgotten)


class CardEdits(NamedTuple):
    """What a replay of the learner's cards takes from their card pages' edits (CardEdit): each
    card's "Set due date"s in the order made, since its latest Forget (one made before it moved
    a card Forget has since put back to new), and when that Forget was; by question. An undone
    edit is gone from both."""

    dues_set: dict[int, list[optimizing.DueSet]]
    forgotten: dict[int, datetime]


def card_edits_read(*, user: User, question_id: int | None = None) -> CardEdits:
    """The learner's CardEdits (of one card's question, if given), as a replay takes them: one
    query."""
    edits = CardEdit.objects.filter(user=user, kind__in=(CardEditKind.SET_DUE, CardEditKind.FORGET))
    if question_id is not None:
        edits = edits.filter(question_id=question_id)
    rows = edits.order_by("made_at", "id").values_list(
        "question_id", "kind", "made_at", "due", "id", "previous_card"
    )
    read = CardEdits({}, {})
    for question, kind, made_at, due, edit_id, previous in rows:
        if kind == CardEditKind.FORGET:
            read.forgotten[question] = made_at
            read.dues_set.pop(question, None)
        elif due is not None:  # always: a Set due date has one (card_edit_set_due_has_due)
            move = optimizing.DueSet(made_at, due, edit_id, previous)
            read.dues_set.setdefault(question, []).append(move)
    return read


def fit_latest(*, user: User) -> ScheduleFit | None:
    """The learner's latest "Optimize my schedule" run, finished or not."""
    return ScheduleFit.objects.filter(user=user).order_by("-requested_at", "-id").first()


@dataclass(frozen=True)
class OptimizePanel:
    """What the settings page says about the learner's parameters and optimizing them."""

    profile: StudyProfile
    reviews: int
    fit: ScheduleFit | None
    # The latest run lost its worker (ScheduleFit.is_abandoned): the page says it did not
    # finish and offers another, instead of polling for it for ever.
    abandoned: bool = False
    # The reviews the optimizer could learn from (`optimizing.history_usable`): its minimum
    # applies to these, not to `reviews`.
    usable: int = 0
    minimum: int = optimizing.MIN_ITEMS
    full_fit_minimum: int = optimizing.MIN_FULL_FIT_ITEMS
    first_rating_minimum: int = optimizing.FIRST_RATING_MIN_CARDS

    @property
    def running(self) -> bool:
        return self.fit is not None and not self.fit.is_finished and not self.abandoned

    @property
    def left_fitted(self) -> bool:
        """Whether the latest run put its parameters in use and the learner has since switched
        to others (the defaults, or their previous ones): the panel says so beside the run."""
        fit = self.fit
        return (
            fit is not None
            and fit.outcome == FitOutcome.APPLIED
            and self.profile.parameters != fit.parameters
        )

    @property
    def enough(self) -> bool:
        """Whether the history can be fitted: enough reviews the optimizer learns from."""
        return self.usable >= self.minimum

    @property
    def can_optimize(self) -> bool:
        return self.enough and not self.running

    @property
    def shortfall(self) -> str:
        """Why the button is off, beside it ("" when the history can be fitted)."""
        return "" if self.enough else optimize_shortfall(usable=self.usable, reviews=self.reviews)


def optimize_shortfall(*, usable: int, reviews: int) -> str:
    """What the page and a refused post say to a learner whose history cannot be fitted yet."""
    return (
        f"Optimizing needs at least {optimizing.MIN_ITEMS} reviews it can learn from, and you "
        f"have {usable} (of {reviews} review{'' if reviews == 1 else 's'} in all): keep studying, "
        "and your schedule can be fitted to you then."
    )


def review_count(*, user: User) -> int:
    return ReviewLog.objects.filter(user=user).count()


class UsableReviews(NamedTuple):
    reviews: int
    usable: int


def usable_reviews(*, user: User, profile: StudyProfile, now: datetime) -> UsableReviews:
    """The learner's reviews in all, and how many the optimizer could learn from now.

    The log is read (and its items filtered as fsrs-rs filters them) only when it has changed
    since the last count, or its Forgets (a fit reads each card from its latest), or the
    learner's day did: two queries otherwise. Items count days back from the start of the
    learner's next day, so the key also holds today's date in their zone.
    """
    stamp = ReviewLog.objects.filter(user=user).aggregate(count=Count("id"), last=Max("id"))
    reviews: int = stamp["count"]
    if not reviews:
        return UsableReviews(reviews=0, usable=0)
    forgets = CardEdit.objects.filter(user=user, kind=CardEditKind.FORGET).aggregate(
        count=Count("id"), last=Max("id")
    )
    # A regrade rewrites ratings in place, leaving the count and the latest id: its marker too.
    key = (
        f"learnfrl:usable-reviews:v1:{user.pk}:{reviews}:{stamp['last']}"
        f":{history_marker(user_id=user.pk)}:{forgets['count']}:{forgets['last']}"
        f":{profile.time_zone}:{profile.day_starts_at}:{days.day_of(now, profile.day).isoformat()}"
    )
    usable: int | None = cache.get(key)
    if usable is None:
        usable = optimizing.history_usable(review_history(user=user), profile.day, now=now)
        cache.set(key, usable, WORKLOAD_CACHE_SECONDS)
    return UsableReviews(reviews=reviews, usable=usable)


def optimize_panel(*, user: User, profile: StudyProfile, now: datetime) -> OptimizePanel:
    """The learner's parameters, how many reviews they have (and can be fitted), and their
    latest fit (3 queries, two more when the review log changed since it was last counted)."""
    counted = usable_reviews(user=user, profile=profile, now=now)
    fit = fit_latest(user=user)
    return OptimizePanel(
        profile=profile,
        reviews=counted.reviews,
        usable=counted.usable,
        fit=fit,
        abandoned=fit is not None and fit.is_abandoned(now),
    )


def _rating_odds(user: User, profile: StudyProfile, now: datetime) -> simulating.RatingOdds:
    """The learner's rating habits, read from their whole review log (a Forget aside: how they
    rate is theirs either side of it) once per change of it.

    Reviews are added, and Undo removes the latest, so the count and the latest id say whether
    the log changed, and a regrade's marker whether a rating was rewritten in place: the odds are
    kept under them and the log is not read again until one does.
    """
    stamp = ReviewLog.objects.filter(user=user).aggregate(count=Count("id"), last=Max("id"))
    # The value is pickled: the key's version changes whenever its class moves or changes shape,
    # or a cached entry from before could not be read back.
    key = (
        f"learnfrl:rating-odds:v3:{user.pk}:{stamp['count']}:{stamp['last']}"
        f":{history_marker(user_id=user.pk)}:{profile.time_zone}:{profile.day_starts_at}"
    )
    odds: simulating.RatingOdds | None = cache.get(key)
    if odds is None:
        odds = simulating.rating_odds(review_history(user=user, whole=True), profile.day, now=now)
        cache.set(key, odds, WORKLOAD_CACHE_SECONDS)
    return odds


def workload_inputs(
    *, user: User, profile: StudyProfile, now: datetime, bank: Bank
) -> simulating.Inputs:
    """What the simulator needs: the learner's cards as they stand, how many cards they have not
    started, their parameters, daily limits and rating habits. Suspended cards are left out:
    they are not studied until the learner unsuspends them (a buried one is back tomorrow)."""
    holds = holds_in_effect(user=user, now=now)
    suspended = {qid for qid, hold in holds.items() if hold.kind == HoldKind.SUSPEND}
    states = CardState.objects.filter(user=user, question__is_active=True)
    cards = [state.values() for state in states if state.question_id not in suspended]
    active = sum(
        1
        for question in bank.questions.values()
        if question.is_active and question.id not in suspended
    )
    return simulating.Inputs(
        cards=simulating.sim_cards(cards, now=now, day=profile.day),
        new_cards=max(0, active - len(cards)),
        parameters=profile.scheduler_parameters,
        limits=simulating.Limits(
            new_per_day=profile.new_per_day, max_reviews_per_day=profile.max_reviews_per_day
        ),
        odds=_rating_odds(user, profile, now),
        suggest_within=(RETENTION_MIN, RETENTION_MAX),
    )


@dataclass(frozen=True)
class WorkloadView:
    """A simulated workload, its chart, and the learner's current desired retention."""

    workload: simulating.Workload
    chart: charts.WorkloadChart
    desired_retention: float
    cards: int
    new_cards: int

    @property
    def current_x(self) -> float | None:
        """Where the learner's own retention falls on the chart's x axis."""
        return self.chart.current_x


class _Found(NamedTuple):
    """Where a learner's workload is cached, and the counts its page shows."""

    inputs_key: str
    cards: int
    new_cards: int


def _workload_chart(result: simulating.Workload, *, current: float) -> charts.WorkloadChart:
    """The workload's chart for a desktop, and narrower for a phone, where it is shown whole
    with its text at a readable size."""
    phone = charts.workload_chart(
        result, width=charts.PHONE_WIDTH, current=current, margin=charts.WORKLOAD_PHONE_MARGIN
    )
    return replace(charts.workload_chart(result, current=current), phone=phone)


def workload(*, user: User, profile: StudyProfile, now: datetime) -> WorkloadView:
    """Simulate every desired retention for the learner, or take it from the cache: the result
    is kept under a key made of everything it depends on, so it is recomputed only when one of
    them changes.

    Building that key reads the learner's cards and rating habits, so a cheaper key is looked at
    first: the learner's data as the dashboard's cached figures see it (one query, which changes
    whenever their cards, reviews, holds or schedule do), their day and daily limits. While none
    of those change, the result is found without reading any of it.
    """
    bank = bank_current()
    lookup = workload_lookup_key(
        user=user,
        now=now,
        bank=bank,
        day=days.day_of(now, profile.day),
        limits=(profile.new_per_day, profile.max_reviews_per_day),
    )
    found: _Found | None = cache.get(lookup)
    result: simulating.Workload | None = None if found is None else cache.get(found.inputs_key)
    if found is None or result is None:
        found, result = _workload_computed(user=user, profile=profile, now=now, bank=bank)
        cache.set(lookup, found, WORKLOAD_CACHE_SECONDS)
    return WorkloadView(
        workload=result,
        chart=_workload_chart(result, current=profile.desired_retention),
        desired_retention=profile.desired_retention,
        cards=found.cards,
        new_cards=found.new_cards,
    )


def _workload_computed(
    *, user: User, profile: StudyProfile, now: datetime, bank: Bank
) -> tuple[_Found, simulating.Workload]:
    """Build the simulator's inputs and take the result cached under them, or simulate it.

    A simulation costs up to seconds of CPU, so each learner runs one at a time (a slot in the
    shared cache) and at most WORKLOAD_RATE of them: beyond either it raises WorkloadRefused,
    and one learner cannot slow the site for the others. Both are consulted before the inputs
    are built, so a refusal costs a cache round trip, not a read of the learner's cards and
    review log; the price is that once the hour's simulations are spent, a change that turns out
    not to change the inputs (a new desired retention) is refused too until the hour ends.
    """
    running = f"learnfrl:workload-running:{user.pk}"
    if not cache.add(running, True, WORKLOAD_RUNNING_SECONDS):
        raise WorkloadRefused(
            "A simulation of your workload is already running. Its result will be here in a "
            "moment: try again in a few seconds."
        )
    try:
        # A look, not a count: only a simulation counts (below).
        verdict = limit_peek(scope="workload", ident=str(user.pk), rate=settings.WORKLOAD_RATE)
        if not verdict.allowed:
            raise WorkloadRefused(_rate_spent(verdict))
        inputs = workload_inputs(user=user, profile=profile, now=now, bank=bank)
        result: simulating.Workload | None = cache.get(inputs.cache_key)
        if result is None:
            counted = limit_reserve(
                scope="workload", ident=str(user.pk), rate=settings.WORKLOAD_RATE
            )
            if not counted.verdict.allowed:
                raise WorkloadRefused(_rate_spent(counted.verdict))
            try:
                simulate = offloaded(
                    simulating.simulate,
                    timeout=WORKLOAD_SIMULATION_SECONDS,
                    waiting_most=settings.WORKLOAD_WAITING,
                )
                result = simulate(inputs)
            except OffloadBusy as busy:
                limit_release(counted)  # nothing was run: the learner's hour is not spent
                raise WorkloadRefused(
                    "The simulator is busy with other learners' simulations on this server. "
                    "Try again in a minute."
                ) from busy
            except OffloadFailed as failed:
                raise WorkloadRefused(
                    "The simulation of your workload did not finish in time. Try again in a minute."
                ) from failed
            cache.set(inputs.cache_key, result, WORKLOAD_CACHE_SECONDS)
        return _Found(inputs.cache_key, len(inputs.cards), inputs.new_cards), result
    finally:
        cache.delete(running)


def _rate_spent(verdict: Verdict) -> str:
    return (
        "You have run the simulator many times this hour, and each run takes a while to "
        f"compute. Try again after {verdict.retry_at:%H:%M} UTC."
    )
