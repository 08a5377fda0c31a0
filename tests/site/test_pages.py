"""What pages say and how they are built: linked errors, current navigation, the article's
disclosures, citations, and the 400 page's reason."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse

from learnfrl import context_processors
from learnfrl.context_processors import navigation
from learnfrl.views import bad_request
from quizzes.enums import AttemptState
from quizzes.models import QuizAttempt
from tests.factories import CardStateFactory, QuestionFactory, QuizAttemptFactory, UserFactory
from tests.helpers import HX
from tests.html import elements, find, input_value

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def one_question(db):
    return QuestionFactory.create()


def nav_link(html: str, url: str):
    return next(e for e in elements(html) if e.tag == "a" and e.attrs.get("href") == url)


@pytest.mark.parametrize(
    ("page", "section", "current"),
    [
        ("quizzes:study", "quizzes:study", "page"),
        ("quizzes:study_settings", "quizzes:study", "true"),
        ("quizzes:quiz_list", "quizzes:quiz_list", "page"),
        ("quizzes:progress_export", "quizzes:progress", "true"),
        ("quizzes:article", "quizzes:article", "page"),
    ],
)
def test_navigation_marks_the_page_and_its_section(
    learner_client, one_question, page, section, current
):
    html = learner_client.get(reverse(page)).content.decode()
    assert nav_link(html, reverse(section)).attrs.get("aria-current") == current


def test_a_quiz_page_marks_quizzes_as_the_current_section(learner_client, user, one_question):
    attempt = QuizAttemptFactory.create(user=user, with_answers=[one_question], finished=True)
    html = learner_client.get(reverse("quizzes:quiz_results", args=[attempt.pk])).content.decode()
    assert nav_link(html, reverse("quizzes:quiz_list")).attrs.get("aria-current") == "true"
    assert "aria-current" not in nav_link(html, reverse("quizzes:study")).attrs


def test_the_navigation_comes_from_the_request_not_the_template():
    request = RequestFactory().get(reverse("quizzes:card_detail", args=[7]))
    request.user = UserFactory.create()
    items = navigation(request)["nav_items"]
    assert [(item.label, item.current) for item in items] == [
        ("Study", "true"),
        ("Quizzes", ""),
        ("Progress", ""),
        ("Article", ""),
    ]


def test_a_visitor_gets_no_section_links():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert navigation(request) == {"nav_items": (), "account_item": None}


def test_the_quiz_length_radios_are_a_group_whose_error_is_linked(learner_client, one_question):
    response = learner_client.post(
        reverse("quizzes:quiz_start"), {"category": "", "length": "7", "seconds_per_question": "30"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    group = find(html, "fieldset", aria_describedby="id_length_error")
    assert group.text.startswith("Length")
    error = find(html, "ul", id="id_length_error")
    assert "A quiz is 5, 10 or 20 questions long" in error.text
    assert not QuizAttempt.objects.exists()


def test_a_passage_on_the_article_is_a_disclosure_holding_its_study_link(
    learner_client, one_question
):
    html = learner_client.get(reverse("quizzes:article")).content.decode()
    assert not any(e.attrs.get("role") == "tooltip" for e in elements(html))
    disclosure = find(html, "details", cls="passage-mark")
    assert "Study this passage" in disclosure.text
    link = find(
        html, "a", href=reverse("quizzes:study_passage", args=[int(disclosure.attrs["id"][2:])])
    )
    assert link.text == "Study this passage"


def test_the_weak_legend_uses_the_weak_marks_class(learner_client, one_question):
    html = learner_client.get(reverse("quizzes:article")).content.decode()
    assert find(html, "span", cls="mark-weak").has_class("mark")


def test_the_passage_on_a_cards_back_cites_the_article(learner_client, one_question):
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    back = learner_client.post(
        reverse("quizzes:study_answer"), {"token": input_value(front, "token")}
    )
    question = back.context["question"]
    quote = find(back.content.decode(), "blockquote", cls="passage")
    assert quote.attrs["cite"] == f"{reverse('quizzes:article')}#s-{question.sentence_index}"


def test_a_bad_request_says_why_on_the_400_page(learner_client, one_question):
    response = learner_client.post(
        reverse("quizzes:study_review"), {"token": "forged", "rating": "3"}
    )
    assert response.status_code == 400
    assert "This card was not shown to you." in find(response.content.decode(), "main").text


def test_other_400s_keep_their_reasons_to_themselves(rf: RequestFactory, user):
    request = rf.get("/")
    request.user = user
    response = bad_request(request, SuspiciousOperation("Invalid HTTP_HOST header: 'evil'"))
    assert response.status_code == 400
    assert "evil" not in response.content.decode()


def test_a_card_state_factory_trait_makes_a_due_lapsed_card(user, one_question):
    card = CardStateFactory.create(
        user=user, question=one_question, lapsed=True, due_now=True, now=NOW
    )
    assert (card.lapses, card.due) == (2, NOW)
    assert QuizAttemptFactory.create(user=user, finished=True).state == AttemptState.FINISHED


def test_a_fragment_does_not_make_the_navigation(learner_client, one_question, monkeypatch):
    # An htmx card has no layout: the links are made only when a page shows them.
    made: list[str] = []

    def items(request: object) -> tuple[()]:
        made.append("links")
        return ()

    monkeypatch.setattr(context_processors, "_items", items)
    learner_client.get(reverse("quizzes:study"), headers=HX)
    assert made == []
    learner_client.get(reverse("quizzes:study"))
    assert made == ["links"]
