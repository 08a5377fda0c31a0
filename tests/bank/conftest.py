"""Fixtures of the editors' admin tests: the bundled bank loaded, and a question of it to edit."""

from io import StringIO

import pytest
from django.core.management import call_command

from quizzes.enums import QuestionKind
from quizzes.models import Question
from tests.helpers import BUNDLED


@pytest.fixture
def bank(db):
    call_command("load_questions", str(BUNDLED), stdout=StringIO())


@pytest.fixture
def question(bank) -> Question:
    """A multiple-choice question of four choices or more, the second one right."""
    return next(
        q
        for q in Question.objects.filter(kind=QuestionKind.MULTIPLE_CHOICE).order_by("position")
        if len(q.choices.all()) >= 4
    )
