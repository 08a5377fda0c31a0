"""Reads of learners' reports of wrong or unclear questions."""

from collections.abc import Iterable

from learnfrl.accounts.users import User
from quizzes.enums import ReportStatus
from quizzes.models import QuestionReport


def reports_open_question_ids(*, user: User, question_ids: Iterable[int]) -> frozenset[int]:
    """Return which of the given questions the learner has an open report on (one query)."""
    wanted = list(question_ids)
    if not wanted:
        return frozenset()
    return frozenset(
        QuestionReport.objects.filter(
            user=user, question_id__in=wanted, status=ReportStatus.OPEN
        ).values_list("question_id", flat=True)
    )
