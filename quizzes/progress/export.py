"""Everything the site holds of a learner beside their cards and their review log (each a
download of its own): the account, study settings, quizzes and their answers, buries and
suspensions, edits on cards' pages, phrasings sent to the editors, reports, extra new cards
and optimizer runs. For "Download your data": a learner's own rows only, none of another's
(an editor who decided a phrasing is not named)."""

from collections import defaultdict
from typing import Any

from learnfrl.accounts.users import User
from learnfrl.accounts.verification import email_verified
from quizzes.models import (
    AnswerClaim,
    AttemptAnswer,
    CardEdit,
    CardHold,
    Choice,
    NewCardsExtra,
    QuestionReport,
    QuizAttempt,
    ScheduleFit,
    StudyProfile,
)


def _listed(queryset: Any, *fields: str) -> list[dict[str, Any]]:
    """The rows' fields, with the question each is about by its slug ("question")."""
    listed = []
    for row in queryset.values(*fields, "question__slug"):
        row = dict(row)
        row["question"] = row.pop("question__slug")
        listed.append(row)
    return listed


def account_data(*, user: User) -> dict[str, Any]:
    """The learner's rows as plain values (times as datetimes, for a JSON encoder that writes
    them in ISO 8601), each list in the order they happened."""
    settings = (
        StudyProfile.objects.filter(user=user)
        .values(*(f.attname for f in StudyProfile._meta.concrete_fields if f.attname != "id"))
        .first()
    )
    if settings is not None:
        del settings["user_id"]
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "email_verified": email_verified(user=user),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "study_settings": settings,
        "quizzes": _quizzes(user),
        "buried_and_suspended": _listed(
            CardHold.objects.filter(user=user).order_by("placed_at", "id"),
            *("kind", "origin", "placed_at", "until"),
        ),
        "card_edits": _listed(
            CardEdit.objects.filter(user=user).order_by("made_at", "id"),
            *("kind", "made_at", "due", "previous_card"),
        ),
        "phrasings_sent": _listed(
            AnswerClaim.objects.filter(user=user).order_by("created_at", "id"),
            *("response", "origin", "claimed", "status", "reason", "decided_at", "created_at"),
        ),
        "reports": _listed(
            QuestionReport.objects.filter(user=user).order_by("created_at", "id"),
            *("origin", "response", "comment", "status", "created_at", "updated_at"),
        ),
        "extra_new_cards": list(
            NewCardsExtra.objects.filter(user=user)
            .order_by("day", "id")
            .values("day", "scope", "count")
        ),
        "optimizer_runs": list(
            ScheduleFit.objects.filter(user=user)
            .order_by("requested_at", "id")
            .values(
                *(
                    f.attname
                    for f in ScheduleFit._meta.concrete_fields
                    if f.attname not in ("id", "user_id", "task_id")
                )
            )
        ),
    }


def _quizzes(user: User) -> list[dict[str, Any]]:
    answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for answer in (
        AttemptAnswer.objects.filter(attempt__user=user)
        .order_by("attempt_id", "position")
        .values(
            "attempt_id",
            "position",
            "answered_at",
            "response",
            "is_correct",
            "marked_right_by",
            "chosen_choice_id",
            "question__slug",
        )
    ):
        row: dict[str, Any] = dict(answer)
        row["question"] = row.pop("question__slug")
        answers[row.pop("attempt_id")].append(row)
    # A choice picked, by its text (the answer holds its id; the choice may be gone since).
    rows = [row for listed in answers.values() for row in listed]
    picked = {row["chosen_choice_id"] for row in rows if row["chosen_choice_id"] is not None}
    texts = dict(Choice.objects.filter(pk__in=picked).values_list("id", "text"))
    for row in rows:
        row["chosen"] = texts.get(row.pop("chosen_choice_id"))
    attempts = (
        QuizAttempt.objects.filter(user=user)
        .order_by("started_at", "id")
        .values(
            "id",
            "length",
            "requested_length",
            "seconds_per_question",
            "started_at",
            "deadline",
            "state",
            "finished_at",
            "ending",
            "score",
            "category__slug",
        )
    )
    # Each quiz by its number, as its results page's address has it.
    listed = []
    for attempt in attempts:
        quiz: dict[str, Any] = dict(attempt)
        quiz["category"] = quiz.pop("category__slug")  # none: every category
        listed.append({**quiz, "answers": answers[quiz["id"]]})
    return listed
