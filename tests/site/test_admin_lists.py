"""The admin's change lists refuse a search of too many words with a message, not a 500 (an
outside audit: 1,500 words nested past what SQLite evaluates)."""

import pytest
from django.urls import reverse

from quizzes.admin_lists import SEARCH_WORDS_MOST
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "admin:quizzes_question_changelist",
    "admin:quizzes_fact_changelist",
    "admin:quizzes_questionreport_changelist",
    "admin:quizzes_answerclaim_changelist",
]


@pytest.mark.parametrize("changelist", LISTS)
def test_a_search_of_too_many_words_shows_nothing_and_says_why(editor_client, changelist):
    QuestionFactory.create(prompt="Who leads the Legion?")
    words = " ".join(f"w{n}" for n in range(1500))
    response = editor_client.get(reverse(changelist), {"q": words})
    assert response.status_code == 200
    assert response.context_data["cl"].result_count == 0
    said = [str(m) for m in response.context["messages"]]
    assert said == [f"Search for at most {SEARCH_WORDS_MOST} words at a time; nothing shown."]


def test_a_search_within_the_bound_still_finds(editor_client):
    question = QuestionFactory.create(prompt="Who leads the Legion?")
    words = " ".join(["Legion"] * SEARCH_WORDS_MOST)
    response = editor_client.get(reverse("admin:quizzes_question_changelist"), {"q": words})
    assert list(response.context_data["cl"].result_list) == [question]
