"""The editors' queue as an editor judges it (an outside test): each phrasing beside its fact,
"I was right" claims first and a filter for them, and Accept asking first, saying what it will
change."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from quizzes.enums import ClaimStatus, PhrasingsShown, QuestionKind
from quizzes.models import AnswerClaim, Fact, QuizAttempt
from tests.claims.test_quiz_mark_right import quiz, typed_answer
from tests.factories import (
    AnswerClaimFactory,
    CategoryFactory,
    FactFactory,
    QuestionFactory,
    UserFactory,
)
from tests.html import elements, find, form_data

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")
QUEUE = "admin:quizzes_answerclaim_phrasings"
ACCEPT = "admin:quizzes_answerclaim_accept"

PROMPT = "Who founded the political wing of the Legion?"
PASSAGE = "Ilya Ponomarev"


@pytest.fixture
def fact(db):
    """A fact of a man's name with one accepted form, asked by a typed and a cloze question."""
    people = CategoryFactory.create(slug="people", name="People")
    fact = FactFactory.create(
        claim="Ilya Ponomarev founded the political wing of the Legion.",
        answer="Ilya Ponomarev",
        accepted_answers=["Ponomarev"],
        source_passage=PASSAGE,
    )
    QuestionFactory.create(
        fact=fact,
        category=people,
        slug="typed",
        prompt=PROMPT,
        answer="Ilya Ponomarev",
        source_passage=PASSAGE,
    )
    # In a category of its own: a quiz asks one question of a fact, and people's is the typed one.
    QuestionFactory.create(fact=fact, slug="cloze", cloze=True)
    return fact


@pytest.fixture
def queued(fact):
    """Three learners who typed "Ilya Ponomaryov" in a quiz and did not say they were right, and
    one who typed "Ponomarenko" and said so (twice: in two studies of the same card, one claim)."""
    for _ in range(3):
        quiz(UserFactory.create(), {"typed": "Ilya Ponomaryov"})
    typed = fact.questions.get(slug="typed")
    AnswerClaimFactory.create(question=typed, response="Ponomarenko", claimed=True)


def accept_page(client, fact, normalised, **extra):
    return client.get(reverse(ACCEPT), {"fact": fact.pk, "normalised": normalised, **extra})


def test_each_phrasing_shows_its_facts_questions_answer_forms_and_passage(editor_client, queued):
    """A fact was shown by its slug only: an editor could not judge a phrasing without the
    question asked, the fact's answer and the forms it accepts already."""
    response = editor_client.get(reverse(QUEUE))
    shown = response.context_data["groups"][0].fact
    assert shown.claim == "Ilya Ponomarev founded the political wing of the Legion."
    assert shown.answer == "Ilya Ponomarev"
    assert shown.accepted == ["Ponomarev"]
    assert shown.passage == PASSAGE
    # The cloze with its blank, not its marker.
    assert [(q.kind, q.text) for q in shown.questions] == [
        ("Typed answer", PROMPT),
        (
            "Fill in the blank",
            "It was formed in [month and year] and is reportedly part of Ukraine's "
            "International Legion.",
        ),
    ]
    row = find(response.content.decode(), "table", id="phrasings").text
    for text in (PROMPT, "formed in [month and year]", "Ilya Ponomarev", "“Ponomarev”", PASSAGE):
        assert text in row


def test_claims_come_first_with_how_many_learners_gave_and_claimed_each(editor_client, queued):
    """Every refused answer lands in the queue: a learner's "I was right" was buried under the
    plain wrong answers more learners gave."""
    groups = editor_client.get(reverse(QUEUE)).context_data["groups"]
    assert [(g.normalised, g.learners, g.claimers, g.given) for g in groups] == [
        ("ponomarenko", 1, 1, 1),
        ("ilya ponomaryov", 3, 0, 3),
    ]


@pytest.mark.parametrize(
    ("shown", "listed"),
    [
        (PhrasingsShown.CLAIMED, ["ponomarenko"]),
        (PhrasingsShown.REFUSED, ["ilya ponomaryov"]),
        (PhrasingsShown.ALL, ["ponomarenko", "ilya ponomaryov"]),
    ],
)
def test_the_filter_lists_claimed_or_refused_only_and_counts_each(
    editor_client, queued, shown, listed
):
    response = editor_client.get(reverse(QUEUE), {"shown": shown})
    assert [g.normalised for g in response.context_data["groups"]] == listed
    links = {label: count for _, label, count, _ in response.context_data["filters"]}
    assert links == {
        "All, claimed first": 2,
        "Claimed right by a learner": 1,
        "Refused only": 1,
    }
    url = reverse(QUEUE) + ("" if shown == PhrasingsShown.ALL else f"?shown={shown}")
    current = find(response.content.decode(), "a", href=url, aria_current="page")
    assert current.text.startswith(shown.label)


def test_an_unknown_filter_is_a_bad_request(editor_client, queued):
    assert editor_client.get(reverse(QUEUE), {"shown": "everything"}).status_code == 400


def test_a_decision_goes_back_to_the_filter_it_was_made_under(editor_client, queued, fact):
    response = editor_client.post(
        reverse(QUEUE),
        {
            "fact": fact.pk,
            "normalised": "ponomarenko",
            "decision": "reject",
            "reason": "Another man's name.",
            "shown": "claimed",
        },
    )
    assert response["Location"] == reverse(QUEUE) + "?shown=claimed"


def test_the_queue_reads_a_bounded_number_of_times_however_many_phrasings_wait(
    editor_client, db, django_assert_max_num_queries
):
    """Sixty phrasings of twenty facts, each fact with two questions, some claimed: as many reads
    as one phrasing."""
    for number in range(20):
        typed = QuestionFactory.create(fact__accepted_answers=[f"form {number}"])
        QuestionFactory.create(fact=typed.fact, kind=QuestionKind.CLOZE, cloze=True)
        for phrasing in range(3):
            AnswerClaimFactory.create(
                question=typed, response=f"guess {phrasing}", claimed=phrasing == 0
            )
    with django_assert_max_num_queries(9):
        response = editor_client.get(reverse(QUEUE))
    assert len(response.context_data["groups"]) == 60
    assert all(len(g.fact.questions) == 2 for g in response.context_data["groups"])


def test_accept_asks_first_saying_what_it_will_change_and_changes_nothing(
    editor_client, queued, fact, django_assert_max_num_queries
):
    """Accept regraded every learner's stored answers at one click, with no confirmation."""
    with django_assert_max_num_queries(10):
        response = accept_page(editor_client, fact, "ilya ponomaryov")
    preview = response.context_data["preview"]
    assert (preview.form, preview.answers, preview.learners) == ("Ilya Ponomaryov", 3, 3)
    assert (preview.claims, preview.claim_learners, preview.refused) == (3, 3, "")
    effects = find(response.content.decode(), "ul", id="accept-effects").text
    assert f"add “Ilya Ponomaryov” to the accepted answers of fact {fact.slug}" in effects
    assert "regrade 3 quiz answers of 3 learners" in effects
    assert "close 3 waiting claims of 3 learners" in effects
    fact.refresh_from_db()
    assert fact.accepted_answers == ["Ponomarev"]
    assert not AnswerClaim.objects.exclude(status=ClaimStatus.PENDING).exists()


def test_the_confirmation_accepts_as_it_said(editor_client, queued, fact):
    html = accept_page(editor_client, fact, "ilya ponomaryov").content.decode()
    fields = form_data(html, action=reverse(QUEUE))
    button = find(html, "button", type="submit", name="decision")
    assert (button.attrs["value"], button.text) == ("accept", "Yes, accept and regrade")
    fields["decision"] = "accept"
    response = editor_client.post(reverse(QUEUE), fields)
    said = [str(m) for m in response.wsgi_request._messages]
    assert said == [
        "Accepted “ilya ponomaryov”: “Ilya Ponomaryov” added to the fact's forms; "
        "3 quiz answers of 3 learners regraded."
    ]
    assert all(typed_answer(a).is_correct for a in QuizAttempt.objects.all())


def test_a_phrasing_the_fact_takes_already_adds_no_form(editor_client, queued, fact):
    Fact.objects.filter(pk=fact.pk).update(accepted_answers=["Ponomarev", "Ponomarenko"])
    response = accept_page(editor_client, fact, "ponomarenko")
    assert response.context_data["preview"].form == ""
    effects = find(response.content.decode(), "ul", id="accept-effects").text
    assert "add no form" in effects
    assert "regrade no quiz answer" in effects


def test_a_form_that_would_be_refused_is_said_before_and_offers_no_accept(editor_client, fact):
    long = "Ilya Ponomarev " + "and his many colleagues " * 10
    quiz(UserFactory.create(), {"typed": long})
    claim = AnswerClaim.objects.get()
    response = accept_page(editor_client, fact, claim.normalised)
    assert "longer than 200 characters" in response.context_data["preview"].refused
    html = response.content.decode()
    assert "It cannot be accepted" in find(html, "p", cls="errornote").text
    assert not [e for e in elements(html) if e.attrs.get("value") == "accept"]


def test_a_phrasing_that_is_a_wrong_choice_of_the_fact_is_refused_as_a_form(
    editor_client, queued, fact
):
    """The fact's page refuses an accepted form that a multiple-choice card of the fact lists as
    wrong; Accept on the queue added it all the same (the review of the change)."""
    mc = QuestionFactory.create(
        fact=fact,
        slug="mc",
        multiple_choice=True,
        with_choices=True,
        answer="22 May 2023",
        category=CategoryFactory.create(slug="picked", name="Picked"),
    )
    mc.choices.filter(is_correct=False).filter(text="5 April").update(text="Ilya Ponomaryov")
    preview = accept_page(editor_client, fact, "ilya ponomaryov").context_data["preview"]
    wrong = 'The right answer "Ilya Ponomaryov" is a wrong choice of a multiple-choice card of'
    assert preview.refused.startswith(wrong), preview.refused
    fields = {"fact": fact.pk, "normalised": "ilya ponomaryov", "decision": "accept"}
    response = editor_client.post(reverse(QUEUE), fields)
    said = [str(m) for m in response.wsgi_request._messages]
    assert "is a wrong choice of a multiple-choice card" in said[-1], said
    fact.refresh_from_db()
    assert fact.accepted_answers == ["Ponomarev"]


def test_accepting_a_phrasing_decided_already_goes_back_saying_so(editor_client, queued, fact):
    AnswerClaim.objects.filter(normalised="ponomarenko").update(
        status=ClaimStatus.REJECTED, reason="Another man's name.", decided_at=NOW
    )
    response = accept_page(editor_client, fact, "ponomarenko", shown="claimed")
    assert response.status_code == 302
    assert response["Location"] == reverse(QUEUE) + "?shown=claimed"
    response = accept_page(editor_client, fact, "nobody typed this")
    assert response["Location"] == reverse(QUEUE)
    said = [str(m) for m in response.wsgi_request._messages]
    assert said[-1] == "No learner gave that phrasing for that fact."


def test_a_confirmation_posted_after_another_editor_rejected_changes_nothing(
    editor_client, queued, fact
):
    """The accept page read while the phrasing waited; another editor rejected it before the
    "Yes": the form was added all the same, the rejection turned to an acceptance and its reason
    wiped (a fresh-eyes review)."""
    html = accept_page(editor_client, fact, "ilya ponomaryov").content.decode()
    fields = {**form_data(html, action=reverse(QUEUE)), "decision": "accept"}
    AnswerClaim.objects.filter(normalised="ilya ponomaryov").update(
        status=ClaimStatus.REJECTED, reason="Another spelling of his name.", decided_at=NOW
    )
    response = editor_client.post(reverse(QUEUE), fields)
    said = [str(m) for m in response.wsgi_request._messages]
    assert "was decided already" in said[-1], said
    fact.refresh_from_db()
    assert fact.accepted_answers == ["Ponomarev"]
    assert set(
        AnswerClaim.objects.filter(normalised="ilya ponomaryov").values_list("status", "reason")
    ) == {(ClaimStatus.REJECTED, "Another spelling of his name.")}
    assert not any(typed_answer(a).is_correct for a in QuizAttempt.objects.all())


def test_the_accept_page_counts_the_rejections_it_would_overturn(editor_client, queued, fact):
    """Rejected once, then given again by another learner: accepting closes every claim of it,
    and the page said only the one waiting."""
    rejected = AnswerClaim.objects.filter(normalised="ilya ponomaryov")[:2]
    AnswerClaim.objects.filter(pk__in=[c.pk for c in rejected]).update(
        status=ClaimStatus.REJECTED, reason="Another spelling of his name.", decided_at=NOW
    )
    response = accept_page(editor_client, fact, "ilya ponomaryov")
    effects = find(response.content.decode(), "ul", id="accept-effects").text
    assert "close 3 claims of 3 learners as accepted (2 of them rejected before" in effects


def test_the_accept_page_is_for_editors_who_may_decide_only(client, learner_client, queued, fact):
    response = accept_page(learner_client, fact, "ponomarenko")
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    reader = UserFactory.create(is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_answerclaim"))
    client.force_login(reader)
    assert client.get(reverse(QUEUE)).status_code == 200
    assert accept_page(client, fact, "ponomarenko").status_code == 403
    assert "Accept" not in find(client.get(reverse(QUEUE)).content.decode(), "table").text
