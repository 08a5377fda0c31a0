"""Learners report a wrong or unclear question; Editors read the reports and close them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from learnfrl.accounts.users import User
from quizzes.enums import AttemptEnding, ReportStatus, ReviewOrigin
from quizzes.limits import MAX_REPORT_COMMENT_LENGTH
from quizzes.models import Question, QuestionReport
from quizzes.quiz import services as quiz_services
from quizzes.reports.forms import SAY_WHAT_IS_WRONG
from quizzes.reports.views import (
    ALREADY_OPEN,
    LIMITED,
    NOT_IN_QUIZ,
    QUIZ_RUNNING,
    REPORT_CARD_AFRESH,
    REPORT_CARD_WITHDRAWN,
    SENT,
)
from tests.factories import (
    CategoryFactory,
    QuestionFactory,
    QuestionReportFactory,
)
from tests.helpers import HX

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
COMMENT = "The article says the raid was in 2023, not 2022."


@pytest.fixture
def bank(db):
    dates = CategoryFactory(slug="dates", name="Dates")
    return [
        QuestionFactory(category=dates, slug="r-mc", kind="multiple_choice", answer="22 May 2023"),
        QuestionFactory(category=dates, slug="r-typed", answer="1 June 2023"),
        QuestionFactory(category=dates, slug="r-tf", kind="true_false", answer="True"),
    ]


# --- the back of a study card ---------------------------------------------------------------


def card_back(client, response: str = "", htmx: bool = False):
    """Show the next card's answer, as "Show answer" does, and return the page."""
    front = client.get(reverse("quizzes:study"))
    token = front.context_data["token"]
    return client.post(
        reverse("quizzes:study_answer"),
        {"token": token, "response": response},
        headers=HX if htmx else {},
    )


def report_from_back(client, back, comment: str = COMMENT, htmx: bool = True, follow=False):
    box = back.context_data["report"]
    data = {**box.hidden, "comment": comment}
    return client.post(box.action, data, headers=HX if htmx else {}, follow=follow)


def test_the_back_of_a_card_offers_a_labelled_report_form(learner_client, bank):
    back = card_back(learner_client)
    box = back.context_data["report"]
    assert box.question_id == bank[0].pk
    assert not box.reported
    assert box.action == reverse("quizzes:study_report")
    html = back.content.decode()
    assert "<summary>This question is wrong or unclear</summary>" in html
    assert f'<label for="report-comment-{bank[0].pk}">What is wrong or unclear?</label>' in html
    assert f'maxlength="{MAX_REPORT_COMMENT_LENGTH}"' in html


def test_a_learner_reports_a_card_and_the_box_says_so_in_place(learner_client, user, bank):
    wrong_choice = bank[0].choices.exclude(text=bank[0].answer).first()
    back = card_back(learner_client, response=str(wrong_choice.pk), htmx=True)
    response = report_from_back(learner_client, back)
    assert response.status_code == 200
    assert response.template_name == "quizzes/question_report.html#report_body"
    box = response.context_data["report"]
    assert box.reported
    assert box.notice == SENT
    report = QuestionReport.objects.get()
    assert (report.user, report.question, report.status) == (user, bank[0], ReportStatus.OPEN)
    assert report.origin == ReviewOrigin.STUDY
    assert report.response == wrong_choice.text  # the choice as the learner saw it, not its id
    assert report.comment == COMMENT
    assert report.created_at == report.updated_at == NOW


def test_without_javascript_the_report_comes_back_to_the_same_card(learner_client, bank):
    back = card_back(learner_client, response="2022")
    response = report_from_back(learner_client, back, htmx=False, follow=True)
    # The browser posts the same form to the card's back (307 keeps the method and the body), so
    # the typed answer stays out of the address, as "Show answer" keeps it.
    assert response.redirect_chain == [
        (f"{reverse('quizzes:study_answer')}#report-{bank[0].pk}", 307)
    ]
    assert response.wsgi_request.method == "POST"
    assert response.context_data["question"].id == bank[0].pk
    assert response.context_data["side"] == "back"
    assert response.context_data["response"] == "2022"
    assert response.context_data["report"].reported
    assert [str(m) for m in get_messages(response.wsgi_request)] == [SENT]


def test_a_typed_answer_is_kept_as_typed_and_no_answer_as_blank(learner_client, user, bank):
    report_from_back(learner_client, card_back(learner_client))
    assert QuestionReport.objects.get(question=bank[0]).response == ""
    # A typed question: answer it on the front, as the learner would.
    bank[0].is_active = False
    bank[0].save()
    back = card_back(learner_client, response="1 June 2022")
    assert back.context_data["question"].id == bank[1].pk
    report_from_back(learner_client, back)
    assert QuestionReport.objects.get(question=bank[1]).response == "1 June 2022"


def test_a_second_report_while_the_first_is_open_says_it_is_already_reported(learner_client, bank):
    back = card_back(learner_client)
    report_from_back(learner_client, back, comment="First.")
    response = report_from_back(learner_client, back, comment="Second.")
    assert response.context_data["report"].reported
    assert response.context_data["report"].notice == ALREADY_OPEN
    assert list(QuestionReport.objects.values_list("comment", flat=True)) == ["First."]


def test_once_an_editor_closes_a_report_the_learner_may_report_again(learner_client, user, bank):
    QuestionReportFactory(user=user, question=bank[0], fixed=True)
    back = card_back(learner_client)
    assert not back.context_data["report"].reported
    assert report_from_back(learner_client, back).context_data["report"].notice == SENT
    assert QuestionReport.objects.filter(user=user, status=ReportStatus.OPEN).count() == 1


def test_another_learners_report_is_neither_counted_nor_shown(learner_client, other_user, bank):
    QuestionReportFactory(user=other_user, question=bank[0], comment="Someone else's words.")
    back = card_back(learner_client)
    assert not back.context_data["report"].reported
    assert "Someone else" not in back.content.decode()
    assert report_from_back(learner_client, back).context_data["report"].notice == SENT


def test_a_card_token_of_another_learner_is_a_bad_request(client, user, other_user, bank):
    client.force_login(other_user)
    back = card_back(client)
    client.force_login(user)
    response = report_from_back(client, back)
    assert response.status_code == 400
    assert "This card was not shown to you" in response.content.decode()
    assert not QuestionReport.objects.exists()


@pytest.mark.parametrize("comment", ["", "   ", "\n\t"])
def test_an_empty_comment_shows_the_box_again_saying_what_to_write(learner_client, bank, comment):
    """A comment of spaces passes the page's `required`: it was a 400 page, which without
    JavaScript offered only a link to the start, the learner's card lost (an outside tester)."""
    back = card_back(learner_client, response="2022")
    response = report_from_back(learner_client, back, comment=comment, htmx=True)
    assert response.status_code == 200
    box = response.context_data["report"]
    assert (box.reported, box.notice) == (False, SAY_WHAT_IS_WRONG)
    assert SAY_WHAT_IS_WRONG in response.content.decode()
    # Without JavaScript: back to the same card's back, saying so.
    response = report_from_back(learner_client, back, comment=comment, htmx=False, follow=True)
    assert response.status_code == 200
    assert response.context_data["side"] == "back"
    assert response.context_data["response"] == "2022"
    assert not response.context_data["report"].reported
    assert [str(m) for m in get_messages(response.wsgi_request)] == [SAY_WHAT_IS_WRONG]
    assert not QuestionReport.objects.exists()


def test_an_empty_comment_on_a_quiz_report_returns_to_the_results_saying_so(
    learner_client, finished
):
    question_id = finished.answers.get(position=1).question_id
    response = report_from_results(learner_client, finished, question_id, comment=" ")
    assert response.context_data["report"].notice == SAY_WHAT_IS_WRONG
    response = report_from_results(learner_client, finished, question_id, comment=" ", htmx=False)
    assert response.url.endswith(f"#report-{question_id}")
    page = learner_client.get(response.url)
    assert [str(m) for m in get_messages(page.wsgi_request)] == [SAY_WHAT_IS_WRONG]
    assert not QuestionReport.objects.exists()


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("x" * (MAX_REPORT_COMMENT_LENGTH + 1), "at most 500 characters"),
        ("wrong\x00date", "NUL character"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_an_over_long_or_nul_comment_is_a_bad_request(learner_client, bank, comment, message, htmx):
    back = card_back(learner_client)
    response = report_from_back(learner_client, back, comment=comment, htmx=htmx)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not QuestionReport.objects.exists()


def test_reporting_refuses_get(learner_client, bank):
    assert learner_client.get(reverse("quizzes:study_report")).status_code == 405


# --- quiz results -----------------------------------------------------------------------------


@pytest.fixture
def finished(user, bank):
    """A finished quiz of three questions: the first answered wrong, the second right."""
    attempt = quiz_services.attempt_start(
        user=user, category_slug=None, length=3, seconds_per_question=30, now=NOW
    )
    answers = list(attempt.answers.order_by("position"))
    by_id = {q.pk: q for q in bank}
    first, second = by_id[answers[0].question_id], by_id[answers[1].question_id]
    wrong = "1 January 1999" if first.kind == "typed" else str(wrong_choice(first).pk)
    quiz_services.attempt_answer(
        attempt=attempt, question_id=first.pk, response=wrong, now=NOW + timedelta(seconds=5)
    )
    right = second.answer if second.kind == "typed" else str(second.choices.get(is_correct=True).pk)
    quiz_services.attempt_answer(
        attempt=attempt, question_id=second.pk, response=right, now=NOW + timedelta(seconds=9)
    )
    quiz_services.attempt_finish(
        attempt=attempt, now=NOW + timedelta(seconds=10), ending=AttemptEnding.FINISHED_EARLY
    )
    return attempt


def wrong_choice(question):
    return question.choices.exclude(text=question.answer).first()


def results(client, attempt):
    return client.get(reverse("quizzes:quiz_results", args=[attempt.pk]))


def report_from_results(client, attempt, question_id, comment=COMMENT, htmx=True, **extra):
    return client.post(
        reverse("quizzes:quiz_report", args=[attempt.pk]),
        {"question": question_id, "comment": comment, **extra},
        headers=HX if htmx else {},
    )


def test_results_offer_a_report_box_under_every_question(learner_client, finished):
    rows = results(learner_client, finished).context_data["rows"]
    assert len(rows) == 3
    for row in rows:
        assert row.report.question_id == row.question.id
        assert not row.report.reported
        assert row.report.action == reverse("quizzes:quiz_report", args=[finished.pk])
        assert row.report.hidden == {"question": str(row.question.id)}


def test_a_quiz_report_keeps_the_answer_the_server_recorded(learner_client, user, finished):
    first = finished.answers.get(position=0)
    # Whatever the request claims the answer was, the attempt's own record is what is kept.
    response = report_from_results(learner_client, finished, first.question_id, response="Right")
    box = response.context_data["report"]
    assert box.reported
    assert box.notice == SENT
    report = QuestionReport.objects.get()
    assert (report.user_id, report.question_id) == (user.pk, first.question_id)
    assert report.origin == ReviewOrigin.QUIZ
    assert report.response == first.response
    assert first.response
    unanswered = finished.answers.get(position=2)
    report_from_results(learner_client, finished, unanswered.question_id)
    assert QuestionReport.objects.get(question_id=unanswered.question_id).response == ""


def test_without_javascript_a_quiz_report_returns_to_the_results(learner_client, finished):
    question_id = finished.answers.get(position=1).question_id
    response = report_from_results(learner_client, finished, question_id, htmx=False)
    assert (
        response.url
        == reverse("quizzes:quiz_results", args=[finished.pk]) + f"#report-{question_id}"
    )
    page = learner_client.get(response.url)
    reported = {row.question.id for row in page.context_data["rows"] if row.report.reported}
    assert reported == {question_id}
    assert [str(m) for m in get_messages(page.wsgi_request)] == [SENT]


def test_results_mark_only_the_learners_own_open_reports(
    learner_client, user, other_user, finished
):
    ids = [a.question_id for a in finished.answers.order_by("position")]
    QuestionReportFactory(user=user, question_id=ids[0])
    QuestionReportFactory(user=user, question_id=ids[1], rejected=True)
    QuestionReportFactory(user=other_user, question_id=ids[2], comment="Not yours to read.")
    response = results(learner_client, finished)
    assert [row.report.reported for row in response.context_data["rows"]] == [True, False, False]
    assert "Not yours to read." not in response.content.decode()


def test_a_quiz_report_needs_a_finished_quiz_and_one_of_its_questions(
    learner_client, user, bank, finished
):
    other_question = QuestionFactory.create(slug="r-elsewhere")
    response = report_from_results(learner_client, finished, other_question.pk)
    assert response.status_code == 400
    assert NOT_IN_QUIZ in response.content.decode()
    running = quiz_services.attempt_start(
        user=user, category_slug=None, length=3, seconds_per_question=30, now=NOW
    )
    first_answer = running.answers.first()
    assert first_answer is not None  # the quiz has three questions
    question_id = first_answer.question_id
    response = report_from_results(learner_client, running, question_id)
    assert response.status_code == 400
    assert QUIZ_RUNNING in response.content.decode()
    response = report_from_results(learner_client, finished, "one")
    assert response.status_code == 400
    assert "Say which question you are reporting." in response.content.decode()
    assert not QuestionReport.objects.exists()


def test_another_learners_quiz_cannot_be_reported_on(client, other_user, finished):
    client.force_login(other_user)
    question_id = finished.answers.first().question_id
    assert report_from_results(client, finished, question_id).status_code == 404
    assert not QuestionReport.objects.exists()


def test_the_results_page_costs_the_same_queries_with_reports(
    learner_client, user, django_assert_max_num_queries
):
    QuestionFactory.create_batch(25)
    counts = []
    for length in (5, 20):
        attempt = quiz_services.attempt_start(
            user=user, category_slug=None, length=length, seconds_per_question=30, now=NOW
        )
        quiz_services.attempt_finish(attempt=attempt, now=NOW, ending=AttemptEnding.FINISHED_EARLY)
        for answer in attempt.answers.all()[:3]:
            QuestionReportFactory(user=user, question_id=answer.question_id)
        results(learner_client, attempt)  # the bank is built once per process
        with CaptureQueriesContext(connection) as queries:
            rows = results(learner_client, attempt).context_data["rows"]
        assert sum(row.report.reported for row in rows) == 3
        counts.append(len(queries))
        QuestionReport.objects.update(status=ReportStatus.FIXED)  # reports are never deleted
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(8):
        results(learner_client, attempt)


# --- the rate limit ----------------------------------------------------------------------------


def test_reports_are_limited_per_learner_across_study_and_quizzes(
    learner_client, user, other_user, bank, finished, settings, frozen, client
):
    settings.REPORT_RATE = "3/h"
    ids = [a.question_id for a in finished.answers.order_by("position")]
    for question_id in ids:
        response = report_from_results(learner_client, finished, question_id)
        assert response.context_data["report"].notice == SENT
    QuestionReport.objects.update(status=ReportStatus.FIXED)  # reports are never deleted
    back = card_back(learner_client)
    response = report_from_back(learner_client, back)
    box = response.context_data["report"]
    assert not box.reported
    assert box.notice == LIMITED
    assert not QuestionReport.objects.filter(status=ReportStatus.OPEN).exists()
    plain = report_from_back(learner_client, back, htmx=False)
    assert [str(m) for m in get_messages(plain.wsgi_request)] == [LIMITED]
    # Another learner has a limit of their own.
    other = client.__class__()
    other.force_login(other_user)
    assert report_from_back(other, card_back(other)).context_data["report"].notice == SENT
    # An hour later the learner may report again.
    frozen.shift(timedelta(hours=1))
    assert report_from_back(learner_client, card_back(learner_client)).status_code == 200
    assert QuestionReport.objects.filter(user=user, status=ReportStatus.OPEN).count() == 1


# --- the table -----------------------------------------------------------------------------------


def test_the_database_keeps_one_open_report_per_learner_and_question(db):
    report = QuestionReportFactory()
    with pytest.raises(IntegrityError):
        QuestionReportFactory(user=report.user, question=report.question)


def test_closed_reports_do_not_count_against_a_new_one(db):
    report = QuestionReportFactory.create(fixed=True)
    QuestionReportFactory(user=report.user, question=report.question, rejected=True)
    QuestionReportFactory(user=report.user, question=report.question)
    assert QuestionReport.objects.filter(user=report.user).count() == 3


# --- Editors in the admin ---------------------------------------------------------------------


def test_editors_may_read_and_close_reports_but_not_add_or_delete_them():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"view_questionreport", "change_questionreport"} <= codenames
    assert not {"add_questionreport", "delete_questionreport"} & codenames


def test_the_report_list_shows_question_learner_answer_and_time_filtered_by_status(
    editor_client, django_assert_max_num_queries
):
    open_reports = QuestionReportFactory.create_batch(12)
    QuestionReportFactory(fixed=True)
    QuestionReportFactory(rejected=True)
    url = reverse("admin:quizzes_questionreport_changelist")
    with django_assert_max_num_queries(12):
        response = editor_client.get(url, {"status__exact": "open"})
    assert response.status_code == 200
    assert set(response.context_data["cl"].result_list) == set(open_reports)
    # The list costs the same with three times as many reports: no query per row.
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url, {"status__exact": "open"})
    QuestionReportFactory.create_batch(24)
    with CaptureQueriesContext(connection) as many:
        editor_client.get(url, {"status__exact": "open"})
    assert len(many) == len(few)
    html = response.content.decode()
    first = open_reports[0]
    assert reverse("admin:quizzes_question_change", args=[first.question_id]) in html
    assert first.response in html
    fixed = editor_client.get(url, {"status__exact": "fixed"}).context_data["cl"].result_list
    assert [r.status for r in fixed] == [ReportStatus.FIXED]


def test_editors_mark_reports_fixed_or_rejected_with_an_action(editor_client, frozen):
    fixed, rejected, untouched = QuestionReportFactory.create_batch(3)
    url = reverse("admin:quizzes_questionreport_changelist")
    frozen.shift(timedelta(hours=2))
    for action, report in (("mark_fixed", fixed), ("mark_rejected", rejected)):
        response = editor_client.post(
            url, {"action": action, "_selected_action": [report.pk]}, follow=True
        )
        assert "1 report(s) marked" in response.content.decode()
    statuses = dict(QuestionReport.objects.values_list("pk", "status"))
    assert statuses == {
        fixed.pk: ReportStatus.FIXED,
        rejected.pk: ReportStatus.REJECTED,
        untouched.pk: ReportStatus.OPEN,
    }
    fixed.refresh_from_db()
    assert fixed.updated_at == NOW + timedelta(hours=2)
    assert fixed.created_at == NOW


def test_a_report_shows_the_question_and_lets_editors_change_only_its_status(editor_client):
    report = QuestionReportFactory.create()
    url = reverse("admin:quizzes_questionreport_change", args=[report.pk])
    response = editor_client.get(url)
    assert list(response.context["adminform"].form.fields) == ["status"]
    html = response.content.decode()
    for shown in (report.question.prompt, report.question.answer, report.response, report.comment):
        assert shown in html
    assert report.user is not None
    assert report.user.username in html
    assert reverse("admin:auth_user_change", args=[report.user.pk]) not in html
    response = editor_client.post(url, {"status": "rejected", "comment": "Edited by an editor."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    assert report.comment == "The article gives another date for this raid."


def test_editors_cannot_add_reports(editor_client):
    assert editor_client.get(reverse("admin:quizzes_questionreport_add")).status_code == 403


def test_an_editor_cannot_reopen_a_report_beside_an_open_one(editor_client):
    closed = QuestionReportFactory.create(fixed=True)
    QuestionReportFactory(user=closed.user, question=closed.question)
    url = reverse("admin:quizzes_questionreport_change", args=[closed.pk])
    response = editor_client.post(url, {"status": "open"})
    assert response.status_code == 200
    assert "already has an open report on this question" in response.content.decode()
    closed.refresh_from_db()
    assert closed.status == ReportStatus.FIXED


def test_the_question_page_shows_its_open_reports_read_only(
    editor_client, django_assert_max_num_queries
):
    question = QuestionFactory.create()
    shown = QuestionReportFactory.create_batch(2, question=question)
    QuestionReportFactory(question=question, fixed=True)
    QuestionReportFactory()  # another question's
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    with django_assert_max_num_queries(16):
        response = editor_client.get(url)
    inline = next(
        f for f in response.context_data["inline_admin_formsets"] if f.opts.model is QuestionReport
    )
    assert {form.original for form in inline} == set(shown)
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert shown[0].comment in response.content.decode()


def test_saving_a_question_with_open_reports_leaves_them_as_they_are(editor_client):
    from tests.bank.test_admin import change_form_data

    question = QuestionFactory.create()
    report = QuestionReportFactory(question=question)
    url = reverse("admin:quizzes_question_change", args=[question.pk])
    response = editor_client.post(url, change_form_data(question, explanation="Clearer now."))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.explanation == "Clearer now."
    assert QuestionReport.objects.get() == report
    assert report.status == ReportStatus.OPEN


def test_learners_cannot_reach_the_report_list(learner_client):
    response = learner_client.get(reverse("admin:quizzes_questionreport_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_reports_are_ordered_newest_first(db, frozen):
    older = QuestionReportFactory()
    frozen.shift(timedelta(minutes=5))
    newer = QuestionReportFactory()
    assert list(QuestionReport.objects.all()) == [newer, older]


def test_a_report_whose_learner_deleted_their_account_shows_them_as_deleted(editor_client):
    report = QuestionReportFactory.create()
    learner = User.objects.get(question_reports=report)
    learner.delete()
    report = QuestionReport.objects.get(pk=report.pk)
    assert report.user is None
    listing = editor_client.get(reverse("admin:quizzes_questionreport_changelist"))
    assert "a deleted account" in listing.content.decode()
    page = editor_client.get(reverse("admin:quizzes_questionreport_change", args=[report.pk]))
    assert page.status_code == 200
    assert report.comment in page.content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_report_from_a_back_left_open_for_a_day_sends_nothing_and_says_so(
    learner_client, bank, frozen, htmx
):
    """A card's token older than a day made the report a 500 (an outside review of the change
    that shows such a card afresh): the study page is shown afresh, whole, saying why."""
    back = card_back(learner_client)
    frozen.shift(timedelta(days=1, minutes=1))
    response = report_from_back(learner_client, back, htmx=htmx)
    assert_not_sent_study_page_says(learner_client, response, htmx, REPORT_CARD_AFRESH)


def assert_not_sent_study_page_says(client, response, htmx: bool, notice: str) -> None:
    """No report was recorded, and the answer led to the study page, whole, which says why."""
    if htmx:
        assert response.status_code == 200
        assert response["HX-Redirect"] == reverse("quizzes:study")
    else:
        assert (response.status_code, response.url) == (302, reverse("quizzes:study"))
    assert not QuestionReport.objects.exists()
    assert escape(notice) in client.get(reverse("quizzes:study")).content.decode()


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("withdrawn", ["deactivated", "deleted"])
def test_a_report_on_a_card_withdrawn_since_it_was_shown_sends_nothing_and_says_so(
    learner_client, bank, htmx, withdrawn
):
    """A review: without JavaScript the report was sent, then the card's back, asked again, said
    nothing was recorded; for a deleted question it was a 404. As the card's own buttons do now:
    the study page, whole, saying why."""
    back = card_back(learner_client)
    question = Question.objects.get(pk=back.context_data["report"].question_id)
    if withdrawn == "deleted":
        question.choices.all().delete()
        question.delete()
    else:
        Question.objects.filter(pk=question.pk).update(is_active=False)
    response = report_from_back(learner_client, back, htmx=htmx)
    assert_not_sent_study_page_says(learner_client, response, htmx, REPORT_CARD_WITHDRAWN)
