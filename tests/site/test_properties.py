"""Property-based checks: random answers never break grading; random payloads never give a 500
and, when refused, change nothing."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.enums import AttemptState
from quizzes.models import AttemptAnswer, CardState, QuizAttempt, ReviewLog
from quizzes.rules.grading import answer_is_correct, normalise
from tests.factories import QuestionFactory, QuizAttemptFactory
from tests.helpers import HX

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.one_of(
    st.text(max_size=700),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["", "0", "-1", "3", "1e9", "null", "\x00", "ﬀ", "../../etc", "%00"]),
)


@given(
    given_answer=st.text(max_size=600),
    answer=st.text(min_size=1, max_size=60),
    accepted=st.lists(st.text(max_size=40), max_size=3),
)
@settings(max_examples=300, deadline=None)
def test_grading_any_text_returns_a_verdict(given_answer, answer, accepted):
    result = answer_is_correct(given_answer, answer=answer, accepted=accepted)
    assert result in (True, False)
    # Text with words in it that normalises to the answer's words is right. (Punctuation alone,
    # which normalises to nothing, is no answer at all: ":" is not right for a form "\r".)
    if normalise(given_answer) and normalise(given_answer) == normalise(answer):
        assert result is True


@given(day=st.dates(min_value=date(1000, 1, 1), max_value=date(2999, 12, 31)))
@settings(max_examples=200, deadline=None)
def test_every_written_form_of_a_date_matches_every_other(day):
    forms = [f"{day.day} {day:%B %Y}", f"{day:%B} {day.day}, {day.year}", day.isoformat()]
    for given_form in forms:
        for answer in forms:
            assert answer_is_correct(given_form, answer=answer), (given_form, answer)


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(token=junk, rating=junk)
def test_random_rating_payloads_never_500_and_change_nothing_when_refused(
    learner_client, token, rating
):
    before = (ReviewLog.objects.count(), CardState.objects.count())
    response = learner_client.post(
        reverse("quizzes:study_review"), {"token": token, "rating": rating}
    )
    assert response.status_code < 500
    if response.status_code >= 400:
        assert (ReviewLog.objects.count(), CardState.objects.count()) == before


@pytest.mark.django_db
@PROPERTY_SETTINGS
@given(question=junk, answer_text=junk, htmx=st.booleans())
def test_random_answer_payloads_never_500_and_change_nothing_when_refused(
    learner_client, user, question, answer_text, htmx
):
    attempt = QuizAttempt.objects.filter(user=user, state=AttemptState.RUNNING).first()
    if attempt is None:
        now = timezone.now()
        attempt = QuizAttemptFactory.create(
            user=user,
            length=1,
            started_at=now,
            deadline=now + timedelta(hours=1),
            with_answers=[QuestionFactory.create()],
        )
    before = AttemptAnswer.objects.filter(answered_at__isnull=False).count()
    headers = HX if htmx else {}
    response = learner_client.post(
        reverse("quizzes:quiz_answer", args=[attempt.pk]),
        {"question": question, "response": answer_text},
        headers=headers,
    )
    assert response.status_code < 500
    if response.status_code >= 400:
        assert AttemptAnswer.objects.filter(answered_at__isnull=False).count() == before
