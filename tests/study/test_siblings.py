"""Siblings wait (Anki's "bury siblings"): once a learner has seen a card of a fact, in study or
in a quiz, the fact's other cards wait for the learner's next day; new cards come one fact at a
time, interleaved across facts; a quiz never holds two cards of one fact."""

import random
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from quizzes.bank.cache import bank_current
from quizzes.enums import Rating
from quizzes.limits import QUIZ_LENGTHS, SECONDS_PER_QUESTION_MAX
from quizzes.models import AttemptAnswer, QuizAttempt, ReviewLog, StudyProfile
from quizzes.quiz.selectors import quiz_questions_pick
from quizzes.quiz.services import (
    NotEnoughQuestions,
    attempt_answer,
    attempt_start,
    attempts_finish_overdue,
)
from quizzes.rules.days import DayClock, start_of
from quizzes.study.queue import study_queue
from quizzes.study.services import review_record
from quizzes.study.siblings import seen_bounds
from tests.factories import CategoryFactory, FactFactory, QuestionFactory
from tests.helpers import (
    offered_alone,
    queue_plan_statements,
    shown_slug,
    studied_in_order,
    token_of,
    utc_day_profile,
)
from tests.support.schedules import DEFAULT_SCHEDULE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# 3 p.m. UTC: the learner's day (UTC, from 4 a.m.) started at 4 a.m.; the next starts tomorrow.
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)


MARCH = "It was formed in March 2022"


@pytest.fixture
def twins(db):
    """A fact asked three ways (multiple choice first, then typed, then cloze), and two facts
    of one question each, in the bank's order: march-mc, march-typed, march-cloze, x, y. The
    twins quote their own sentence (the factory's, "on 27 February 2022", gives x's answer)."""
    passage = {"source_passage": MARCH}
    march = FactFactory.create(slug="march-2022", answer="March 2022", **passage)
    made = {
        "march-mc": QuestionFactory.create(
            slug="march-mc",
            fact=march,
            multiple_choice=True,
            with_choices=True,
            position=0,
            **passage,
        ),
        "march-typed": QuestionFactory.create(
            slug="march-typed", fact=march, answer="March 2022", position=1, **passage
        ),
        "march-cloze": QuestionFactory.create(
            slug="march-cloze", fact=march, answer="March 2022", position=2, **passage
        ),
        "x": QuestionFactory.create(slug="x", position=3),
        "y": QuestionFactory.create(slug="y", position=4),
    }
    return made


def test_study_shows_the_multiple_choice_then_not_its_typed_twin_the_same_day(
    learner_client, user, twins
):
    utc_day_profile(user)
    shown, _ = studied_in_order(learner_client, 3)
    # The first card of each fact, in the bank's order; the twins wait.
    assert shown == ["march-mc", "x", "y"]
    queue = study_queue(user=user, now=NOW)
    # Only march-mc itself may come again (its learning step, ahead of time).
    assert queue.next_question is not None
    assert queue.next_question.id == twins["march-mc"].pk
    assert queue.unseen == 0  # the twins are not counted as new cards for today
    assert not offered_alone(user, twins["march-typed"], NOW)
    assert not offered_alone(user, twins["march-cloze"], NOW)


def test_the_twins_come_back_after_the_learners_day_rolls_over(learner_client, user, twins, frozen):
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    frozen.move_to(NEXT_DAY - timedelta(minutes=1))
    assert not offered_alone(user, twins["march-typed"], NEXT_DAY - timedelta(minutes=1))
    frozen.move_to(NEXT_DAY)
    assert offered_alone(user, twins["march-typed"], NEXT_DAY)
    assert offered_alone(user, twins["march-cloze"], NEXT_DAY)


def test_the_card_seen_itself_keeps_coming_through_its_steps(learner_client, user, twins, frozen):
    utc_day_profile(user, new_per_day=1)
    studied_in_order(learner_client, 1)
    later = NOW + timedelta(hours=1)
    frozen.move_to(later)
    queue = study_queue(user=user, now=later)
    assert queue.next_question is not None
    assert queue.next_question.id == twins["march-mc"].pk


def test_undo_of_the_only_review_of_a_fact_frees_its_twins(learner_client, user, twins):
    utc_day_profile(user)
    studied_in_order(learner_client, 1)
    assert not offered_alone(user, twins["march-typed"], NOW)
    learner_client.post(reverse("quizzes:study_undo"), {"scope": ""})
    assert offered_alone(user, twins["march-typed"], NOW)


def test_with_the_setting_off_twins_come_the_same_day(learner_client, user, twins):
    utc_day_profile(user, bury_siblings=False)
    shown, _ = studied_in_order(learner_client, 5)
    # Still interleaved: the first card of every fact, then the second ones.
    assert shown == ["march-mc", "x", "y", "march-typed", "march-cloze"]
    assert offered_alone(user, twins["march-typed"], NOW)


def test_new_cards_are_interleaved_across_facts(db, user):
    """Two facts of three cards, created fact by fact: consecutive new cards differ in fact."""
    utc_day_profile(user, bury_siblings=False, new_per_day=50)
    questions = []
    for f in range(2):
        fact = FactFactory.create()
        questions += [QuestionFactory.create(fact=fact, position=3 * f + n) for n in range(3)]
    shown, _ = new_cards_studied(user, len(questions))
    facts = [q.fact_id for q in shown]
    assert all(a != b for a, b in pairwise(facts))


def new_cards_studied(user, count):
    """Study `count` new cards one after another (rated Easy, a second apart), as the queue
    offers them; return them and the moment after the last."""
    shown = []
    now = NOW
    for _ in range(count):
        queue = study_queue(user=user, now=now)
        assert queue.next_question is not None
        assert queue.next_is_new
        shown.append(queue.next_question)
        review_record(
            user=user,
            question_id=queue.next_question.id,
            rating=Rating.EASY,
            now=now,
            schedule=StudyProfile.objects.get(user=user).schedule,
            shown_reps=0,
        )
        now += timedelta(seconds=1)
    return shown, now


def test_a_questions_rank_in_its_fact_counts_only_active_questions_before_it(db, user):
    """The new-card order is rank within the fact, then the bank's order: a fact whose first
    question was withdrawn starts with its second one, ahead of other facts' second ones."""
    utc_day_profile(user, bury_siblings=False, new_per_day=50)
    first, second = FactFactory.create(), FactFactory.create()
    withdrawn = QuestionFactory.create(fact=first, position=0, is_active=False)
    first_now = QuestionFactory.create(fact=first, position=5)
    second_a = QuestionFactory.create(fact=second, position=1)
    second_b = QuestionFactory.create(fact=second, position=2)
    order = bank_current().new_card_order
    assert withdrawn.pk not in order
    shown, now = new_cards_studied(user, 3)
    assert [q.id for q in shown] == [second_a.pk, first_now.pk, second_b.pk]
    assert study_queue(user=user, now=now).unseen == 0


def test_a_question_the_bank_does_not_hold_yet_waits_for_the_bank(db, user):
    """The bank is rebuilt within seconds of an edit: until then a new question, even one placed
    first, is neither offered ahead of the questions the bank holds nor counted (the queue draws
    its new cards from the bank); once the bank holds it, it comes first."""
    utc_day_profile(user, bury_siblings=False, new_per_day=50)
    held = QuestionFactory.create(position=5)
    bank = bank_current()
    added = QuestionFactory.create(position=0)  # not in `bank`
    queue = study_queue(user=user, now=NOW, bank=bank)
    assert queue.next_question is not None
    assert queue.next_question.id == held.pk
    assert queue.unseen == 1
    queue = study_queue(user=user, now=NOW, bank=bank_current())
    assert queue.next_question is not None
    assert queue.next_question.id == added.pk
    assert queue.unseen == 2


@pytest.mark.parametrize(
    ("aggregated", "ids"),
    [(None, []), ("7", [7]), ("7,3,12", [7, 3, 12]), ([7, 3], [7, 3])],
)
def test_the_unseen_ids_are_read_from_either_databases_aggregate(aggregated, ids):
    from quizzes.statements import ids_read

    assert ids_read(aggregated) == ids


# --- quizzes ----------------------------------------------------------------------------------


def test_a_quiz_never_holds_two_cards_of_one_fact(user, twins):
    utc_day_profile(user)
    pool = tuple(bank_current().questions.values())
    for seed in range(20):
        chosen = quiz_questions_pick(
            user=user,
            pool=pool,
            length=5,
            now=NOW,
            schedule=DEFAULT_SCHEDULE,
            rng=random.Random(seed),
        )
        facts = [q.fact_id for q in chosen]
        assert len(facts) == len(set(facts)) == 3


def quiz_of(user, category, now=NOW):
    return attempt_start(
        user=user,
        category_slug=category,
        length=5,
        seconds_per_question=30,
        now=now,
        rng=random.Random(1),
    )


def test_a_fact_answered_in_a_quiz_keeps_its_twins_out_of_study_until_tomorrow(
    learner_client, user, twins, frozen
):
    utc_day_profile(user)
    quizzed = CategoryFactory.create(slug="quizzed")
    twins["march-mc"].category = quizzed
    twins["march-mc"].save()
    attempt = quiz_of(user, "quizzed")
    assert list(attempt.answers.values_list("question_id", flat=True)) == [twins["march-mc"].pk]
    correct = twins["march-mc"].choices.get(is_correct=True)
    attempt_answer(
        attempt=attempt, question_id=twins["march-mc"].pk, response=str(correct.pk), now=NOW
    )
    assert QuizAttempt.objects.get(pk=attempt.pk).score == 1
    # Study after the quiz: the typed and cloze twins wait; the other facts come.
    shown, _ = studied_in_order(learner_client, 2)
    assert shown == ["x", "y"]
    assert not offered_alone(user, twins["march-typed"], NOW)
    assert not offered_alone(user, twins["march-cloze"], NOW)
    frozen.move_to(NEXT_DAY)
    assert offered_alone(user, twins["march-typed"], NEXT_DAY)


def test_a_quiz_question_left_unanswered_keeps_its_twins_out_of_study_too(
    learner_client, user, twins
):
    """A running quiz will show the question; a finished one shows its answer on the results."""
    utc_day_profile(user)
    quizzed = CategoryFactory.create(slug="quizzed")
    twins["march-mc"].category = quizzed
    twins["march-mc"].save()
    twins["march-typed"].category = CategoryFactory.create(slug="typed")
    twins["march-typed"].save()
    attempt = quiz_of(user, "quizzed")
    assert not offered_alone(user, twins["march-typed"], NOW)
    learner_client.post(reverse("quizzes:quiz_finish", args=[attempt.pk]))
    assert not ReviewLog.objects.exists()  # nothing was answered
    assert not offered_alone(user, twins["march-typed"], NOW)
    assert offered_alone(user, twins["march-mc"], NOW)  # the question itself may be studied
    # Nor does a second quiz today ask its twins.
    with pytest.raises(NotEnoughQuestions):
        quiz_of(user, "typed")


@pytest.mark.parametrize("action", ["bury", "suspend"])
def test_a_card_held_from_its_back_keeps_its_twins_out_of_study(
    learner_client, user, twins, action
):
    """Its answer was shown: its twins wait as if it had been rated (an outside audit buried the
    multiple-choice card and was asked its typed twin next)."""
    utc_day_profile(user)
    front = learner_client.get(reverse("quizzes:study")).content.decode()
    assert shown_slug(front) == "march-mc"
    back = learner_client.post(reverse("quizzes:study_answer"), {"token": token_of(front)})
    held = learner_client.post(
        reverse("quizzes:study_hold"), {"token": back.context_data["token"], "action": action}
    )
    assert held.status_code == 302
    assert not offered_alone(user, twins["march-typed"], NOW)
    assert not offered_alone(user, twins["march-cloze"], NOW)
    learner_client.post(reverse("quizzes:study_undo"), {"scope": ""})
    # The hold undone frees them, as a rating's Undo does.
    assert offered_alone(user, twins["march-typed"], NOW)


def test_a_quiz_running_across_the_learners_day_start_keeps_its_twins_waiting(
    learner_client, user, twins, frozen
):
    """Started before the day began, still running (or finished) after: it shows its questions
    today (an outside audit found its twins let through once the day had turned)."""
    utc_day_profile(user)
    quizzed = CategoryFactory.create(slug="quizzed")
    twins["march-mc"].category = quizzed
    twins["march-mc"].save()
    before = NEXT_DAY - timedelta(minutes=1)
    frozen.move_to(before)
    attempt = attempt_start(
        user=user, category_slug="quizzed", length=5, seconds_per_question=300, now=before
    )
    frozen.move_to(NEXT_DAY + timedelta(minutes=1))
    later = NEXT_DAY + timedelta(minutes=1)
    assert not offered_alone(user, twins["march-typed"], later)
    learner_client.post(reverse("quizzes:quiz_finish", args=[attempt.pk]))
    assert not offered_alone(user, twins["march-typed"], later)


@pytest.mark.parametrize("closed", [True, False], ids=["finished", "left-past-its-deadline"])
def test_a_quiz_that_ended_before_the_day_began_holds_nothing_back(user, twins, frozen, closed):
    """Its time ran out ten minutes before the day began: whether or not anything has finished
    it since (a visit, or cron), it counts by its deadline (a review found one left open held
    its fact's cards back all day)."""
    utc_day_profile(user)
    quizzed = CategoryFactory.create(slug="quizzed")
    twins["march-mc"].category = quizzed
    twins["march-mc"].save()
    started = NEXT_DAY - timedelta(minutes=10, seconds=30)
    frozen.move_to(started)
    attempt = quiz_of(user, "quizzed", now=started)  # one question of 30 seconds
    assert attempt.deadline < NEXT_DAY - timedelta(minutes=9)
    frozen.move_to(NEXT_DAY + timedelta(hours=3))
    if closed:
        attempts_finish_overdue(now=NEXT_DAY + timedelta(hours=3))
    assert QuizAttempt.objects.get(pk=attempt.pk).is_running is not closed
    assert offered_alone(user, twins["march-typed"], NEXT_DAY + timedelta(hours=3))


def test_a_quiz_after_study_leaves_out_the_twins_of_a_fact_studied_today(
    learner_client, user, twins
):
    utc_day_profile(user)
    studied_in_order(learner_client, 1)  # march-mc
    attempt = quiz_of(user, "dates")
    asked = set(AttemptAnswer.objects.filter(attempt=attempt).values_list("question", flat=True))
    assert twins["march-typed"].pk not in asked
    assert twins["march-cloze"].pk not in asked
    assert {twins["x"].pk, twins["y"].pk} <= asked


def test_a_quiz_of_only_waiting_twins_is_refused(learner_client, user, twins):
    utc_day_profile(user)
    waiting = CategoryFactory.create(slug="waiting")
    for slug in ("march-typed", "march-cloze"):
        twins[slug].category = waiting
        twins[slug].save()
    studied_in_order(learner_client, 1)  # march-mc
    assert quiz_of(user, "dates").length == 3  # march-mc, x and y
    QuizAttempt.objects.all().delete()
    with pytest.raises(NotEnoughQuestions):
        quiz_of(user, "waiting")


def test_a_quiz_with_the_setting_off_may_ask_a_twin_studied_today(learner_client, user, twins):
    utc_day_profile(user, bury_siblings=False)
    waiting = CategoryFactory.create(slug="waiting")
    twins["march-typed"].category = waiting
    twins["march-typed"].save()
    studied_in_order(learner_client, 1)  # march-mc
    attempt = quiz_of(user, "waiting")
    assert attempt.length == 1


# --- the setting ------------------------------------------------------------------------------


def test_the_settings_page_turns_siblings_waiting_off_and_on(learner_client, user):
    utc_day_profile(user)
    page = learner_client.get(reverse("quizzes:study_settings"))
    assert page.context["sibling_form"]["bury_siblings"].value() == "wait"
    base = {"desired_retention": "0.9", "new_per_day": "20", "max_reviews_per_day": "200"}
    learner_client.post(reverse("quizzes:study_settings"), {**base, "bury_siblings": "same_day"})
    assert not StudyProfile.objects.get(user=user).bury_siblings
    # A post without the field keeps the choice.
    learner_client.post(reverse("quizzes:study_settings"), base)
    assert not StudyProfile.objects.get(user=user).bury_siblings
    learner_client.post(reverse("quizzes:study_settings"), {**base, "bury_siblings": "wait"})
    assert StudyProfile.objects.get(user=user).bury_siblings


def test_an_unknown_sibling_choice_is_an_error_on_the_form(learner_client, user):
    utc_day_profile(user)
    base = {"desired_retention": "0.9", "new_per_day": "20", "max_reviews_per_day": "200"}
    page = learner_client.post(reverse("quizzes:study_settings"), {**base, "bury_siblings": "x"})
    assert page.status_code == 200
    assert page.context["sibling_form"].errors["bury_siblings"]
    assert StudyProfile.objects.get(user=user).bury_siblings


def test_a_new_learner_has_siblings_wait(user):
    assert StudyProfile.objects.create(user=user).bury_siblings


# --- query budget -----------------------------------------------------------------------------


def test_the_study_page_stays_within_eight_queries_with_siblings_waiting(
    learner_client, user, twins, django_assert_max_num_queries
):
    """Siblings are read inside the queue statement: no query more, however long today's log."""
    utc_day_profile(user)
    studied_in_order(learner_client, 1)  # march-mc: its twins wait
    ReviewLog.objects.bulk_create(
        ReviewLog(
            user=user,
            question=twins["x"],
            rating=Rating.GOOD,
            reviewed_at=NOW - timedelta(seconds=i + 1),
        )
        for i in range(2000)
    )
    with django_assert_max_num_queries(8 + queue_plan_statements()):
        page = learner_client.get(reverse("quizzes:study"))
    assert page.context["question"] is None or page.context["question"].slug != "march-typed"
    with django_assert_max_num_queries(8 + queue_plan_statements()):
        # Review ahead resolves its cards (their cards, today's log) within the same budget.
        learner_client.get(reverse("quizzes:study_ahead", args=[7]))


def test_a_quiz_that_may_still_run_is_looked_for_back_from_the_days_start_in_real_time():
    """Berlin skips 2:00-3:00 on 29 March 2026: a day starting at 2 starts at 3:00 summer time
    (1:00 UTC). The quizzes that may still run began up to the longest quiz before that instant;
    subtracting on the local clock had put the bound an hour late."""
    clock = DayClock(zone=ZoneInfo("Europe/Berlin"), starts_at=2)
    day_start = start_of(date(2026, 3, 29), clock)
    longest = timedelta(
        seconds=max(QUIZ_LENGTHS) * SECONDS_PER_QUESTION_MAX + settings.QUIZ_GRACE_SECONDS
    )
    adapt = connection.ops.adapt_datetimefield_value
    expected = datetime(2026, 3, 29, 1, 0, tzinfo=UTC) - longest
    assert seen_bounds(day_start)["quiz_from"] == adapt(expected)
