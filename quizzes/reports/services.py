"""Writes of learners' reports: a learner reports a question, an editor closes the report."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from learnfrl.accounts.users import User
from quizzes.bank.cache import QuestionData
from quizzes.enums import ReportStatus, ReviewOrigin
from quizzes.limits import MAX_RESPONSE_LENGTH
from quizzes.models import QuestionReport
from quizzes.rules.grading import response_grade


class ReportAlreadyOpen(Exception):
    """The learner already has an open report on this question."""


def report_answer_text(*, question: QuestionData, response: str) -> str:
    """What the learner answered, as an editor reads it: a choice's text, or what they typed."""
    chosen = response_grade(question, response).chosen
    if question.has_choices:
        return chosen.text if chosen else ""
    return response


def report_create(
    *,
    user: User,
    question_id: int,
    origin: ReviewOrigin,
    response: str,
    comment: str,
    now: datetime,
) -> QuestionReport:
    """Record the learner's report; raise ReportAlreadyOpen if one of theirs is still open."""
    try:
        # A savepoint of its own: the constraint that refuses a second open report must not
        # spoil a surrounding transaction (PostgreSQL aborts it on an error).
        with transaction.atomic():
            return QuestionReport.objects.create(
                user=user,
                question_id=question_id,
                origin=origin,
                response=response[:MAX_RESPONSE_LENGTH],
                comment=comment,
                status=ReportStatus.OPEN,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        raise ReportAlreadyOpen from None


def reports_close(*, reports: QuerySet[QuestionReport], status: ReportStatus, now: datetime) -> int:
    """Mark the given reports fixed or rejected; return how many changed."""
    if status == ReportStatus.OPEN:
        raise ValueError("Closing a report marks it fixed or rejected, not open.")
    return reports.exclude(status=status).update(status=status, updated_at=now)
