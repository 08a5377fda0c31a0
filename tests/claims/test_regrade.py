"""The editors' queue: phrasings grouped by fact, accepted (a regrade for every learner) or
rejected (with a reason, learners' own marks staying theirs)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from quizzes.bank.cache import bank_current
from quizzes.enums import ClaimStatus, MarkedRightBy, QuestionKind, Rating
from quizzes.models import AnswerClaim, CardState, Fact, ReviewLog
from quizzes.rules.grading import response_grade
from tests.claims.test_quiz_mark_right import mark, quiz, results, typed_answer
from tests.factories import CategoryFactory, QuestionFactory, UserFactory
from tests.html import elements, find

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")
QUEUE = "admin:quizzes_answerclaim_phrasings"


@pytest.fixture
def questions(db):
    people = CategoryFactory.create(slug="people", name="People")
    typed = QuestionFactory.create(category=people, slug="typed", answer="Ilya Ponomarev")
    return [
        typed,
        QuestionFactory.create(category=people, slug="choice", kind=QuestionKind.MULTIPLE_CHOICE),
    ]


@pytest.fixture
def learner_browser():
    """A learner's own browser, beside the editor's."""
    return Client()


@pytest.fixture
def learners(questions):
    """Three learners who typed "Ilya Ponomaryov" (written three ways) in a quiz, and one who
    typed something else."""
    made = []
    for written in ("Ilya Ponomaryov", "ilya ponomaryov.", "ILYA PONOMARYOV"):
        learner = UserFactory.create()
        made.append((learner, quiz(learner, {"typed": written})))
    other = UserFactory.create()
    quiz(other, {"typed": "Ilya Ponomarenko"})
    return made


def decide(client, fact, normalised, decision, reason=""):
    return client.post(
        reverse(QUEUE),
        {"fact": fact.pk, "normalised": normalised, "decision": decision, "reason": reason},
    )


def test_editors_may_read_and_decide_phrasings_but_not_add_or_delete_them(db):
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"view_answerclaim", "change_answerclaim"} <= codenames
    assert not {"add_answerclaim", "delete_answerclaim"} & codenames


def test_the_queue_groups_phrasings_by_fact_most_learners_first(
    editor_client, learners, django_assert_max_num_queries
):
    # One more than before: the queue shows each phrasing's fact with its questions (two reads)
    # and how many wait under each filter (one), whatever their number (test_phrasings_queue).
    with django_assert_max_num_queries(9):
        response = editor_client.get(reverse(QUEUE))
    groups = response.context_data["groups"]
    assert [(g.normalised, g.learners, g.given) for g in groups] == [
        ("ilya ponomaryov", 3, 3),
        ("ilya ponomarenko", 1, 1),
    ]
    assert groups[0].fact_slug == Fact.objects.get(questions__slug="typed").slug
    assert "ilya ponomaryov" in find(response.content.decode(), "table", id="phrasings").text


def test_the_queue_is_for_staff_only(learner_client, learners):
    response = learner_client.get(reverse(QUEUE))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_accepting_a_phrasing_adds_it_to_the_fact_and_regrades_every_learners_answer(
    editor_client, learners, questions, frozen
):
    fact = Fact.objects.get(questions__slug="typed")
    frozen.shift(timedelta(minutes=5))  # the fact's change is later than the bank each process read
    decide(editor_client, fact, "ilya ponomaryov", "accept")
    fact.refresh_from_db()
    assert len(fact.accepted_answers) == 1
    assert fact.accepted_answers[0].casefold().rstrip(".") == "ilya ponomaryov"
    for learner, attempt in learners:
        attempt.refresh_from_db()
        answer = typed_answer(attempt)
        assert answer.is_correct
        assert answer.marked_right_by == MarkedRightBy.EDITOR
        assert attempt.score == 1
        assert ReviewLog.objects.get(user=learner, question=questions[0]).rating == Rating.GOOD
        assert CardState.objects.get(user=learner, question=questions[0]).lapses == 0
    assert set(AnswerClaim.objects.values_list("normalised", "status")) == {
        ("ilya ponomaryov", ClaimStatus.ACCEPTED),
        ("ilya ponomarenko", ClaimStatus.PENDING),
    }
    # The bank grades the phrasing right from now on.
    assert response_grade(bank_current().questions[questions[0].pk], "Ilya Ponomaryov").correct


def test_the_learner_is_told_on_their_results_page(editor_client, learner_browser, learners):
    decide(editor_client, Fact.objects.get(questions__slug="typed"), "ilya ponomaryov", "accept")
    learner, attempt = learners[0]
    learner_browser.force_login(learner)
    html = results(learner_browser, attempt)
    item = find(html, "li", id=f"answer-{typed_answer(attempt).pk}")
    assert "An editor accepted your answer “Ilya Ponomaryov”" in item.text
    assert item.has_class("right")


def test_accepting_twice_changes_nothing_more(editor_client, learners):
    fact = Fact.objects.get(questions__slug="typed")
    decide(editor_client, fact, "ilya ponomaryov", "accept")
    decide(editor_client, fact, "ilya ponomaryov", "accept")
    fact.refresh_from_db()
    assert len(fact.accepted_answers) == 1
    for _, attempt in learners:
        attempt.refresh_from_db()
        assert attempt.score == 1


def test_an_answer_the_learner_marked_right_stays_theirs_and_counts_once(
    editor_client, learner_browser, learners
):
    learner, attempt = learners[0]
    learner_browser.force_login(learner)
    mark(learner_browser, attempt, typed_answer(attempt).pk)
    decide(editor_client, Fact.objects.get(questions__slug="typed"), "ilya ponomaryov", "accept")
    attempt.refresh_from_db()
    assert attempt.score == 1
    assert typed_answer(attempt).marked_right_by == MarkedRightBy.LEARNER


def test_rejecting_records_why_and_leaves_the_learners_own_mark(
    editor_client, learner_browser, learners
):
    learner, attempt = learners[0]
    learner_browser.force_login(learner)
    mark(learner_browser, attempt, typed_answer(attempt).pk)
    fact = Fact.objects.get(questions__slug="typed")
    refused = decide(editor_client, fact, "ilya ponomaryov", "reject")
    assert AnswerClaim.objects.filter(status=ClaimStatus.REJECTED).count() == 0  # no reason
    assert refused.status_code == 200
    decide(editor_client, fact, "ilya ponomaryov", "reject", reason="Another spelling of a name.")
    claims = AnswerClaim.objects.filter(normalised="ilya ponomaryov")
    assert {c.status for c in claims} == {ClaimStatus.REJECTED}
    assert {c.reason for c in claims} == {"Another spelling of a name."}
    fact.refresh_from_db()
    assert fact.accepted_answers == []
    attempt.refresh_from_db()
    assert attempt.score == 1
    html = results(learner_browser, attempt)
    text = find(html, "li", id=f"answer-{typed_answer(attempt).pk}").text
    assert "Marked right by you" in text
    assert "your mark stands" in text
    others = [a for _, a in learners[1:]]
    for other in others:
        other.refresh_from_db()
        assert other.score == 0


def test_an_unknown_phrasing_changes_nothing(editor_client, learners):
    response = decide(
        editor_client, Fact.objects.get(questions__slug="typed"), "someone else", "accept"
    )
    assert response.status_code == 302
    assert not AnswerClaim.objects.exclude(status=ClaimStatus.PENDING).exists()
    assert Fact.objects.get(questions__slug="typed").accepted_answers == []


def test_the_claim_changelist_links_to_the_queue(editor_client, learners):
    html = editor_client.get(reverse("admin:quizzes_answerclaim_changelist")).content.decode()
    assert any(e.attrs.get("href") == reverse(QUEUE) for e in elements(html))


def test_a_phrasing_longer_than_a_form_may_be_is_not_accepted(editor_client, questions):
    """A learner's 250-character answer, accepted, made a form the fact's page and the loader
    refuse (an outside audit): refused with a message, nothing changed."""
    long = "Ilya Ponomarev " + "and his many colleagues " * 10
    quiz(UserFactory.create(), {"typed": long})
    claim = AnswerClaim.objects.get()
    fact = Fact.objects.get(pk=claim.fact_id)
    before = list(fact.accepted_answers)
    response = decide(editor_client, fact, claim.normalised, "accept")
    said = [str(m) for m in response.wsgi_request._messages]
    assert said == [
        f'Not accepted: The accepted answer "{long[:40]}…" is longer than 200 characters. '
        "Nothing was changed."
    ]
    fact.refresh_from_db()
    assert fact.accepted_answers == before
    assert AnswerClaim.objects.get().status == ClaimStatus.PENDING


@pytest.mark.parametrize("typed", ["Ilya Ponomaryov\u200e", "\u2068Ilya Ponomaryov\u2069"])
def test_a_phrasing_typed_with_direction_marks_is_accepted_without_them(
    editor_client, questions, typed
):
    """A mark pasted in with an answer made Accept refuse the phrasing, once forms refused such
    characters (a review): the form is the phrasing without them, and the answer is regraded."""
    learner = UserFactory.create()
    attempt = quiz(learner, {"typed": typed})
    claim = AnswerClaim.objects.get()
    fact = Fact.objects.get(pk=claim.fact_id)
    response = decide(editor_client, fact, claim.normalised, "accept")
    said = [str(m) for m in response.wsgi_request._messages]
    assert said[0].startswith("Accepted “ilya ponomaryov”: “Ilya Ponomaryov” added")
    fact.refresh_from_db()
    assert fact.accepted_answers == ["Ilya Ponomaryov"]
    assert typed_answer(attempt).is_correct


def test_a_refused_phrasing_quotes_the_learners_text_without_an_override(editor_client, questions):
    long = "\u202eIlya Ponomarev " + "and his many colleagues " * 10
    quiz(UserFactory.create(), {"typed": long})
    claim = AnswerClaim.objects.get()
    response = decide(editor_client, Fact.objects.get(pk=claim.fact_id), claim.normalised, "accept")
    said = [str(m) for m in response.wsgi_request._messages]
    assert said[0].startswith('Not accepted: The accepted answer "Ilya Ponomarev and his')
    assert "\u202e" not in said[0]


def test_enter_in_the_reason_box_rejects_never_accepts(editor_client, learners):
    """Each phrasing's reason box is in a form of its own with one button, Reject: Enter there
    had sent the form's first button, Accept (an outside audit), which cannot be undone. Accept
    is now a form of its own that only asks first (the accept page), with no reason box."""
    html = editor_client.get(reverse(QUEUE)).content.decode()
    forms = re.findall(r"<form method=\"post\">.*?</form>", html, re.S)
    with_reason = [f for f in forms if 'name="reason"' in f]
    assert with_reason
    for form in with_reason:
        buttons = re.findall(r'<button type="submit"[^>]*value="(\w+)"', form)
        assert buttons == ["reject"]
    assert all('value="accept"' not in f for f in forms)
    asking = re.findall(r'<form method="get" action="[^"]*/accept/">.*?</form>', html, re.S)
    assert asking
    assert all('name="reason"' not in f for f in asking)


def test_a_phrasing_is_judged_alone_not_by_the_facts_older_forms(editor_client, questions):
    """A fact holding forms from before the bounds (two alike) still takes a new phrasing: only
    the new form and the count are checked (a review of the change)."""
    quiz(UserFactory.create(), {"typed": "Ilya Ponomaryov"})
    claim = AnswerClaim.objects.get()
    fact = Fact.objects.get(pk=claim.fact_id)
    Fact.objects.filter(pk=fact.pk).update(accepted_answers=["I. Ponomarev", "I. Ponomarev"])
    response = decide(editor_client, fact, claim.normalised, "accept")
    said = [str(m) for m in response.wsgi_request._messages]
    assert said[0].startswith("Accepted “ilya ponomaryov”"), said
    fact.refresh_from_db()
    assert fact.accepted_answers[-1] == "Ilya Ponomaryov"


def test_a_decision_on_a_phrasing_decided_already_says_so_and_changes_nothing(
    editor_client, learners
):
    """A Reject from a tab read before an Accept said "Rejected … (0 claim(s))" while the
    phrasing stayed accepted, and a second Accept said "Accepted" again (an outside test)."""
    claim = AnswerClaim.objects.first()
    assert claim is not None
    fact = Fact.objects.get(pk=claim.fact_id)
    accepted = decide(editor_client, fact, claim.normalised, "accept")
    [said_first] = [str(m) for m in accepted.wsgi_request._messages]
    assert re.search(r"; 1 quiz answer of 1 learner regraded\.$", said_first), said_first
    forms = Fact.objects.get(pk=fact.pk).accepted_answers
    decided = set(AnswerClaim.objects.values_list("pk", "status", "decided_at"))
    editor = editor_client.get(reverse(QUEUE)).wsgi_request.user.get_username()
    for decision, reason in (("reject", "Not what the article says."), ("accept", "")):
        response = decide(editor_client, fact, claim.normalised, decision, reason)
        # The last message: the ones before it were queued by the decisions before, unread.
        said = [str(m) for m in response.wsgi_request._messages][-1]
        assert said == (
            f"“{claim.normalised}” was decided already (accepted by {editor}): nothing was "
            "changed. To take back an accepted phrasing, remove it from the fact's accepted "
            "answers."
        )
    assert Fact.objects.get(pk=fact.pk).accepted_answers == forms
    assert set(AnswerClaim.objects.values_list("pk", "status", "decided_at")) == decided
