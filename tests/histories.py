"""A learner's review history written as the app would have written it, for tests."""

from django.utils import timezone

from quizzes.enums import ReviewOrigin
from quizzes.models import CardState, ReviewLog
from quizzes.rules import optimizing
from quizzes.rules.optimizing import Review
from quizzes.rules.scheduling import Schedule
from tests.factories import QuestionFactory
from tests.support.schedules import DEFAULT_SCHEDULE


def replay(user, question_id, reviews, *, schedule: Schedule, now=None):
    """A card as the app schedules it after `reviews` (seeded as review_record seeds it),
    its days counted as a reschedule at `now` (the present by default) counts them."""
    return optimizing.reschedule_card(
        reviews, schedule=schedule, seed=f"{user.pk}:{question_id}", now=now or timezone.now()
    )


def history_store(user, history: dict[int, list[Review]], *, questions=None) -> dict[int, int]:
    """Write review log rows and each card as replayed; return synthetic card id → question id."""
    questions = questions or QuestionFactory.create_batch(len(history))
    ids = dict(zip(sorted(history), (q.pk for q in questions), strict=False))
    ReviewLog.objects.bulk_create(
        ReviewLog(
            user=user,
            question_id=ids[card],
            rating=review.rating,
            reviewed_at=review.reviewed_at,
            origin=ReviewOrigin.STUDY,
        )
        for card, reviews in history.items()
        for review in reviews
    )
    for card, reviews in history.items():
        # A learner who never saved settings: StudyProfile's defaults, the site's.
        values = replay(user, ids[card], reviews, schedule=DEFAULT_SCHEDULE)
        CardState.objects.create(
            user=user,
            question_id=ids[card],
            created_at=reviews[0].reviewed_at,
            **values.columns(),
        )
    return ids
