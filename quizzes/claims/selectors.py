"""Reads of learners' phrasings: the editors' queue, grouped by fact and phrasing."""

from typing import NamedTuple

from django.db.models import Count, Max, Q

from quizzes.enums import ClaimStatus
from quizzes.models import AnswerClaim

QUEUE_LENGTH = 200


class PhrasingGroup(NamedTuple):
    """One phrasing of one fact in the queue: how many learners gave it, how many said "I was
    right", and one way it was written."""

    fact_id: int
    fact_slug: str
    fact_answer: str
    normalised: str
    response: str
    learners: int
    given: int
    claimed: int


def phrasings_pending(*, limit: int = QUEUE_LENGTH) -> list[PhrasingGroup]:
    """Pending phrasings grouped by fact and normalised phrasing, the most learners first (one
    query)."""
    rows = (
        AnswerClaim.objects.filter(status=ClaimStatus.PENDING)
        .values("fact_id", "normalised")
        .annotate(
            fact_slug=Max("fact__slug"),
            fact_answer=Max("fact__answer"),
            response=Max("response"),
            learners=Count("user", distinct=True),
            given=Count("id"),
            claimed=Count("id", filter=Q(claimed=True)),
        )
        .order_by("-learners", "-given", "fact_slug", "normalised")[:limit]
    )
    return [PhrasingGroup(**{name: row[name] for name in PhrasingGroup._fields}) for row in rows]
