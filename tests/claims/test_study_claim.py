"""The back of a typed card: the comparison, "I was right", refused phrasings for the editors."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from quizzes.enums import ClaimStatus, QuestionKind, Rating, ReviewOrigin
from quizzes.models import AnswerClaim, CardState, ReviewLog
from tests.factories import QuestionFactory, ponomarev_question
from tests.helpers import HX, queue_plan_statements, token_of
from tests.html import elements, find, form_data

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def typed(db):
    return ponomarev_question(slug="p-legion")


def back(client, response, htmx=True):
    front = client.get(reverse("quizzes:study")).content.decode()
    return client.post(
        reverse("quizzes:study_answer"),
        {"token": token_of(front), "response": response},
        headers=HX if htmx else {},
    )


def suggested(html):
    return [
        Rating(int(b.attrs["value"]))
        for b in elements(html)
        if b.tag == "button" and b.attrs.get("name") == "rating" and b.has_class("suggested")
    ]


def claim(client, html, htmx=True):
    return client.post(
        reverse("quizzes:study_claim"),
        form_data(html, action=reverse("quizzes:study_claim")),
        headers=HX if htmx else {},
    )


def test_a_wrong_typed_answer_shows_the_letters_that_differ_in_words_not_only_colour(
    learner_client, typed
):
    html = back(learner_client, "Ilya Ponomarenko").content.decode()
    comparison = find(html, cls="comparison")
    assert "You typed:" in comparison.text
    assert "Expected:" in comparison.text
    struck = [e for e in elements(html) if e.tag == "del"]
    underlined = [e for e in elements(html) if e.tag == "ins"]
    assert struck
    assert underlined
    assert any("extra letters" in e.text or "wrong letters" in e.text for e in struck)
    assert any("expected instead" in e.text or "missing letters" in e.text for e in underlined)


def test_the_comparison_spells_what_was_typed_and_what_was_expected(learner_client, typed):
    html = back(learner_client, "Ilya Ponomrev").content.decode()
    missing = find(html, "ins", cls="diff-missing")
    assert "missing letters" in missing.text
    assert missing.text.replace("[missing letters:", "").replace("]", "").strip() == "a"


def test_an_answer_accepted_by_a_rule_names_the_rule(learner_client, typed):
    typed.fact.answer = "27 February 2022"
    typed.fact.save()
    typed.answer = "27 February 2022"
    typed.save()
    html = back(learner_client, "February 27, 2022").content.decode()
    assert "✓ Right" in html
    assert find(html, cls="compared-rule").text.startswith("Accepted:")


def test_the_same_words_name_no_rule_and_show_no_comparison(learner_client, typed):
    html = back(learner_client, "ilya ponomarev").content.decode()
    assert "✓ Right" in html
    assert not [e for e in elements(html) if e.has_class("compared-rule")]
    assert not [e for e in elements(html) if e.tag in ("del", "ins")]


def test_i_was_right_turns_the_suggestion_from_again_to_good_and_records_the_claim(
    learner_client, user, typed
):
    html = back(learner_client, "Ilya Ponomarjov").content.decode()
    assert suggested(html) == [Rating.AGAIN]
    button = find(html, "button", **{"data-shortcut": "claim"})
    assert "I was right" in button.text
    after = claim(learner_client, html)
    assert after.status_code == 200
    page = after.content.decode()
    assert suggested(page) == [Rating.GOOD]
    assert not [e for e in elements(page) if e.attrs.get("data-shortcut") == "claim"]
    stored = AnswerClaim.objects.get()
    assert (stored.user, stored.question, stored.fact) == (user, typed, typed.fact)
    assert stored.claimed
    assert stored.status == ClaimStatus.PENDING
    assert stored.origin == ReviewOrigin.STUDY
    assert stored.normalised == "ilya ponomarjov"


# The claim rates nothing by itself (an outside tester feared one click rescheduled the card):
# the page says so, and that Undo covers the rating the learner then chooses.
CLAIM_SENT = (
    "You said you were right: Good is suggested, and your answer goes to the editors to check. "
    "Nothing is rated until you choose a rating, and Undo takes a rating back."
)


def announced(html):
    """What the page's live region is told when this card arrives (None: nothing)."""
    return find(html, "section", id="card").attrs.get("data-announce")


def test_i_was_right_announces_the_claim_not_the_answer_again(learner_client, typed):
    html = back(learner_client, "Ilya Ponomarjov").content.decode()
    assert announced(html) == "Answer shown: Ilya Ponomarev."
    page = claim(learner_client, html).content.decode()
    assert announced(page) == CLAIM_SENT
    assert find(page, "p", cls="claimed").text == CLAIM_SENT
    # Rated Good, the next card is announced as usual: this one again, in learning within the
    # learn-ahead limit, so a card to review, not a new one.
    data = form_data(page, action=reverse("quizzes:study_review"))
    QuestionFactory.create(category=typed.category)
    rated = learner_client.post(
        reverse("quizzes:study_review"), {**data, "rating": Rating.GOOD}, headers=HX
    ).content.decode()
    assert find(rated, "h2", id="card-heading").text == typed.prompt
    assert announced(rated) == f"Card to review: Typed answer, {typed.category.name}."


def test_i_was_right_rates_nothing_and_leaves_the_card_as_it_was(learner_client, user, typed):
    html = back(learner_client, "Ilya Ponomarjov").content.decode()
    before = list(CardState.objects.filter(user=user).values())
    claim(learner_client, html)
    assert not ReviewLog.objects.filter(user=user).exists()
    assert list(CardState.objects.filter(user=user).values()) == before


def test_a_claim_that_changes_nothing_announces_nothing(learner_client, typed):
    html = back(learner_client, "Ilya Ponomarev").content.decode()
    forged = learner_client.post(
        reverse("quizzes:study_claim"),
        {"token": token_of(html), "response": "Ilya Ponomarev"},
        headers=HX,
    )
    assert announced(forged.content.decode()) is None


def test_i_was_right_works_as_a_plain_form_post(learner_client, typed):
    html = back(learner_client, "Ilya Ponomarjov", htmx=False).content.decode()
    page = claim(learner_client, html, htmx=False).content.decode()
    assert "<html" in page  # the whole page, the back again
    assert suggested(page) == [Rating.GOOD]


def test_rating_after_i_was_right_records_good_and_one_claim(learner_client, user, typed):
    html = claim(learner_client, back(learner_client, "Ilya Ponomarjov").content.decode())
    page = html.content.decode()
    data = form_data(page, action=reverse("quizzes:study_review"))
    assert data["claimed"] == "1"
    learner_client.post(
        reverse("quizzes:study_review"), {**data, "rating": Rating.GOOD}, headers=HX
    )
    assert ReviewLog.objects.get(user=user).rating == Rating.GOOD
    assert AnswerClaim.objects.filter(claimed=True).count() == 1


def test_claiming_twice_keeps_one_claim(learner_client, typed):
    html = back(learner_client, "Ilya Ponomarjov").content.decode()
    claim(learner_client, html)
    claim(learner_client, html)
    assert AnswerClaim.objects.count() == 1


def test_a_right_answer_or_a_choice_cannot_be_claimed(learner_client, typed):
    html = back(learner_client, "Ilya Ponomarev").content.decode()
    assert not [e for e in elements(html) if e.attrs.get("data-shortcut") == "claim"]
    forged = learner_client.post(
        reverse("quizzes:study_claim"), {"token": token_of(html), "response": "Ilya Ponomarev"}
    )
    assert forged.status_code == 200
    assert suggested(forged.content.decode()) == [Rating.GOOD]
    assert not AnswerClaim.objects.exists()


def test_a_forged_card_is_refused(learner_client, typed):
    response = learner_client.post(
        reverse("quizzes:study_claim"), {"token": "forged", "response": "x"}
    )
    assert response.status_code == 400
    assert not AnswerClaim.objects.exists()


def test_a_refused_answer_goes_to_the_editors_when_the_card_is_rated(learner_client, typed):
    html = back(learner_client, "Ilya Ponomarenko").content.decode()
    data = form_data(html, action=reverse("quizzes:study_review"))
    learner_client.post(reverse("quizzes:study_review"), {**data, "rating": Rating.AGAIN})
    stored = AnswerClaim.objects.get()
    assert not stored.claimed
    assert stored.response == "Ilya Ponomarenko"


def test_a_right_answer_and_a_choice_are_not_sent_to_the_editors(learner_client, typed):
    html = back(learner_client, "Ilya Ponomarev").content.decode()
    data = form_data(html, action=reverse("quizzes:study_review"))
    learner_client.post(reverse("quizzes:study_review"), {**data, "rating": Rating.GOOD})
    assert not AnswerClaim.objects.exists()


def test_the_keyboard_help_names_the_r_key(learner_client, typed):
    html = learner_client.get(reverse("quizzes:study")).content.decode()
    assert "“I was right”" in find(html, "aside", cls="help").text


def test_the_back_of_a_card_with_its_comparison_keeps_its_query_budget(
    learner_client, typed, django_assert_max_num_queries
):
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    # 7: the learner's profile is read before the queue, whose day boundaries are the learner's
    # (the queue's statement also says whether a quiz of theirs is taking answers).
    with django_assert_max_num_queries(7 + queue_plan_statements()):
        learner_client.post(
            reverse("quizzes:study_answer"),
            {"token": token_of(front), "response": "Ilya Ponomrev"},
            headers=HX,
        )


def test_a_cloze_card_is_compared_and_claimed_too(learner_client, db):
    QuestionFactory.create(cloze=True)
    html = back(learner_client, "March 2021").content.decode()
    assert find(html, cls="comparison")
    page = claim(learner_client, html).content.decode()
    assert suggested(page) == [Rating.GOOD]
    assert AnswerClaim.objects.get().question.kind == QuestionKind.CLOZE


def test_i_was_right_keeps_a_query_budget(learner_client, typed, django_assert_max_num_queries):
    html = back(learner_client, "Ilya Ponomarjov").content.decode()
    # 13 with the read of whether a quiz of theirs is still waiting for this card's answer.
    with django_assert_max_num_queries(13 + queue_plan_statements()):
        claim(learner_client, html)


def test_a_report_without_javascript_after_i_was_right_keeps_the_claim_on_the_back(
    learner_client, typed
):
    """The report comes back to the card's back by a 307 (the browser posts the report form's
    card again): the back said "I was right" before it, and says so after it, with no second
    claim button (a review found the button back)."""
    html = back(learner_client, "Ilya Ponomarjov", htmx=False).content.decode()
    claimed = claim(learner_client, html, htmx=False).content.decode()
    report = form_data(claimed, action=reverse("quizzes:study_report"))
    assert report["claimed"] == "1"
    response = learner_client.post(
        reverse("quizzes:study_report"), {**report, "comment": "Unclear."}, follow=True
    )
    assert response.redirect_chain[-1][1] == 307
    page = response.content.decode()
    assert response.context_data["report"].reported
    assert find(page, "p", cls="claimed").text == CLAIM_SENT
    claim_url = reverse("quizzes:study_claim")
    claim_forms = [
        e for e in elements(page) if e.tag == "form" and e.attrs.get("action") == claim_url
    ]
    assert claim_forms == []
    assert suggested(page) == [Rating.GOOD]
    assert AnswerClaim.objects.count() == 1


@pytest.mark.parametrize("response", ["Ilya Ponomarev", ""])
def test_claimed_posted_to_the_back_of_a_right_or_empty_answer_changes_nothing(
    learner_client, typed, response
):
    """`claimed` is page state carried by the report form: posted by hand with a right answer
    (or none) it neither says "I was right" nor moves the suggestion, and records no claim."""
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    page = learner_client.post(
        reverse("quizzes:study_answer"),
        {"token": token_of(front), "response": response, "claimed": "1"},
    ).content.decode()
    assert not [e for e in elements(page) if e.tag == "p" and e.has_class("claimed")]
    assert suggested(page) == ([Rating.GOOD] if response else [])
    assert AnswerClaim.objects.count() == 0


def test_claimed_posted_to_the_back_records_nothing(learner_client, typed):
    """A wrong answer posted with `claimed` by hand shows the claim as the page state, but no
    claim is written: only the claim POST writes one."""
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    learner_client.post(
        reverse("quizzes:study_answer"),
        {"token": token_of(front), "response": "Ilya Ponomarenko", "claimed": "1"},
    )
    assert AnswerClaim.objects.count() == 0
