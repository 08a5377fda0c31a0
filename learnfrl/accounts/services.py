"""Writes of a learner's account beyond Django's own: deleting it with everything it holds."""

from django.db import transaction

from learnfrl.accounts.users import User


def account_delete(*, user: User) -> None:
    """Delete the learner and all that is theirs, in one transaction.

    The database's foreign keys say what goes with the user: their cards, reviews, holds, quiz
    attempts and answers, study profile and schedule fits cascade; their reports on questions
    stay for the Editors with the learner left out (the report's learner is set to NULL), since
    a question's fault outlives its reporter. What the learner had answered, quoted in a report,
    is theirs and goes (quizzes.models.reports_forget_learner_answers, which an Editor's deletion
    in the admin runs too); the comment on the question stays for the Editors. Sessions elsewhere
    end with the user: Django finds no user for them and treats them as logged out.
    """
    with transaction.atomic():
        user.delete()
