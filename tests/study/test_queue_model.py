"""The study queue against a model of its rules written out plainly: for many learners made at
random (cards in every state and due time, buries and suspensions, siblings seen today in study
and in quizzes, every kind of scope), the counts, the unseen cards and the card chosen agree.

The model is the queue's rules as its docstrings and the README state them, one card at a time;
the queue works them out in one statement and one pass. Written when the queue moved the scope,
the holds and the siblings rule from SQL to Python with the bank: it passes on both."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from quizzes.bank.cache import bank_current
from quizzes.enums import HoldKind, HoldOrigin, MemoryState
from quizzes.models import AttemptAnswer, CardState, Question
from quizzes.study.queue import study_queue
from tests.factories import (
    CardHoldFactory,
    CardStateFactory,
    CategoryFactory,
    FactFactory,
    QuestionFactory,
    QuizAttemptFactory,
    ReviewLogFactory,
    StudyProfileFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# 3 p.m. UTC: the learner's day (UTC, from 4 a.m.) started eleven hours ago.
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
LEARNERS = 200


@pytest.fixture
def questions(db) -> list[Question]:
    """Eleven questions of six facts (some alone, some twins or triplets) in two categories, one
    of them withdrawn."""
    dates, people = CategoryFactory.create(slug="dates"), CategoryFactory.create(slug="people")
    made: list[Question] = []
    for n, size in enumerate((1, 2, 3, 1, 2, 2)):
        fact = FactFactory.create()
        for _ in range(size):
            made.append(
                QuestionFactory.create(
                    fact=fact, category=dates if n % 2 else people, position=len(made) * 7 % 11
                )
            )
    made[4].is_active = False
    made[4].save()
    return made


def _learner(rng: random.Random, questions: list[Question]) -> dict:
    """A learner's cards, holds and today's sightings, made at random; the model's view of it."""
    user = UserFactory.create()
    siblings = rng.random() < 0.7
    ahead_minutes = rng.choice((0, 20, 120))
    StudyProfileFactory.create(
        user=user,
        bury_siblings=siblings,
        learn_ahead_minutes=ahead_minutes,
        new_per_day=100,
        max_reviews_per_day=1000,
    )
    cards, held, seen = {}, set(), set()
    # A learner through today's cards, with every question studied and the next ones coming
    # within hours: the learn-ahead card is chosen, when there is one.
    through = rng.random() < 0.3
    for question in questions:
        if rng.random() < (0.95 if through else 0.6):
            minutes = rng.randint(1, 200) if through else rng.choice((0, rng.randint(-3000, 3000)))
            # Fractions of a second as the databases write them: none, trimmed (PostgreSQL's
            # .12 and .5) and whole; the same minute often, so that the fractions decide.
            fraction = rng.choice((0, 0, 120_000, 500_000, 123_456, 999_999))
            due = NOW + timedelta(minutes=minutes, microseconds=fraction)
            never = rng.random() < (0.4 if through else 0.15)
            last = None if never else NOW - timedelta(minutes=rng.randint(1, 9000))
            cards[question.pk] = CardStateFactory.create(
                user=user,
                question=question,
                state=rng.choice(list(MemoryState)),
                due=due,
                last_review=last,
                reps=rng.randint(0, 5),
                now=NOW,
            )
        if rng.random() < 0.2:
            # A bury that ends exactly now is over (it holds while `until` is later than now).
            until = rng.choice((None, NOW - timedelta(hours=1), NOW, NOW + timedelta(hours=1)))
            CardHoldFactory.create(
                user=user,
                question=question,
                kind=HoldKind.SUSPEND if until is None else HoldKind.BURY,
                until=until,
                placed_at=NOW - timedelta(days=2),
                origin=HoldOrigin.STUDY,
            )
            if until is None or until > NOW:
                held.add(question.pk)
        if rng.random() < 0.15:
            today = rng.random() < 0.7
            at = NOW - timedelta(minutes=rng.randint(0, 600) if today else rng.randint(700, 2000))
            ReviewLogFactory.create(user=user, question=question, reviewed_at=at)
            if today:
                seen.add(question.pk)
    if rng.random() < 0.3:
        quizzed = rng.sample(questions, rng.randint(1, 2))
        today = rng.random() < 0.7
        attempt = QuizAttemptFactory.create(
            user=user, started_at=NOW - timedelta(hours=1 if today else 20), length=len(quizzed)
        )
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(attempt=attempt, question=q, position=n) for n, q in enumerate(quizzed)
        )
        if today:
            seen.update(q.pk for q in quizzed)
    return {
        "user": user,
        "cards": cards,
        "held": held,
        "seen": seen,
        "siblings": siblings,
        "ahead": NOW + timedelta(minutes=ahead_minutes),
    }


def _scope(rng: random.Random, questions: list[Question]) -> dict:
    kind = rng.choice(("all", "category", "chosen"))
    scope: dict = {"category_slug": None, "question_ids": None, "offer_reviewed_before": None}
    if kind == "category":
        scope["category_slug"] = rng.choice(("dates", "people", "no-such-category"))
    if kind == "chosen":
        # Now and then none at all: a quiz's misses once all were studied again.
        share = rng.choice((0.0, 0.5, 0.5, 0.5))
        scope["question_ids"] = frozenset(q.pk for q in questions if rng.random() < share)
    if (kind == "chosen" or rng.random() < 0.2) and rng.random() < 0.6:
        scope["offer_reviewed_before"] = NOW - timedelta(minutes=rng.randint(0, 6000))
    return scope


def _expected(learner: dict, scope: dict, questions: list[Question]) -> dict:
    """The queue's rules, one question at a time."""
    fact = {q.pk: q.fact_id for q in questions}

    def in_scope(q: Question) -> bool:
        return (
            q.is_active
            and scope["category_slug"] in (None, q.category.slug)
            and (scope["question_ids"] is None or q.pk in scope["question_ids"])
        )

    def free(q: Question) -> bool:
        # A question waits while another of its fact was seen today (with "bury siblings").
        waits = learner["siblings"] and any(
            s != q.pk and fact[s] == q.fact_id for s in learner["seen"]
        )
        return q.pk not in learner["held"] and not waits

    def offered(card: CardState) -> bool | None:
        """Due now, or (chosen cards) last reviewed before the session began; None where SQL
        says NULL: a card never reviewed, not yet due, in a session that offers cards early."""
        if card.due <= NOW:
            return True
        before = scope["offer_reviewed_before"]
        if before is None:
            return False
        if card.last_review is None:
            return None
        return card.last_review <= before

    studied = [
        (card, offered(card))
        for q in questions
        if (card := learner["cards"].get(q.pk)) is not None and in_scope(q) and free(q)
    ]

    def first(cards: list[CardState]) -> CardState | None:
        return min(cards, key=lambda c: (c.due, c.pk), default=None)

    review = MemoryState.REVIEW
    due = first([c for c, o in studied if o])
    waiting = [c for c, o in studied if o is False]
    ahead = first([c for c in waiting if c.state != review and c.due <= learner["ahead"]])
    fresh = [q for q in questions if in_scope(q) and free(q) and q.pk not in learner["cards"]]
    # New cards one fact at a time: the first question of each fact, then the second ones …
    rank: dict[int, int] = {}
    for q in sorted(questions, key=lambda q: (q.position, q.pk)):
        if q.is_active:
            rank[q.pk] = len([r for r in rank if fact[r] == q.fact_id])
    new = min(fresh, key=lambda q: (rank[q.pk], q.position, q.pk), default=None)
    if due is not None:
        chosen, reps, early = due.question_id, due.reps, False
    elif new is not None:
        chosen, reps, early = new.pk, 0, False
    elif ahead is not None:
        chosen, reps, early = ahead.question_id, ahead.reps, True
    else:
        chosen, reps, early = None, 0, False
    later = first(waiting)
    return {
        "learning": sum(
            1 for c, o in studied if c.state != review and (o or c.due <= learner["ahead"])
        ),
        "review": sum(1 for c, o in studied if c.state == review and o),
        "unseen": len(fresh),
        "next": chosen,
        "reps": reps,
        "ahead": early,
        "next_due_at": later.due if later else None,
    }


def test_the_queue_agrees_with_its_rules_for_learners_made_at_random(questions):
    rng = random.Random(20261205)
    bank = bank_current()
    kinds = {"due": 0, "new": 0, "ahead": 0, "none": 0}
    for _ in range(LEARNERS):
        with transaction.atomic():
            learner = _learner(rng, questions)
            scope = _scope(rng, questions)
            queue = study_queue(user=learner["user"], now=NOW, bank=bank, **scope)
            expected = _expected(learner, scope, questions)
            got = {
                "learning": queue.learning_count,
                "review": queue.review_count,
                "unseen": queue.unseen,
                "next": queue.next_question.id if queue.next_question else None,
                "reps": queue.next_reps,
                "ahead": queue.ahead,
                "next_due_at": queue.next_due_at,
            }
            assert got == expected, (learner, scope)
            transaction.set_rollback(True)
        if expected["next"] is None:
            kinds["none"] += 1
        elif expected["ahead"]:
            kinds["ahead"] += 1
        else:
            kinds["due" if expected["next"] in learner["cards"] else "new"] += 1
    # Every way of choosing was tried, each more than a few times.
    assert min(kinds.values()) >= 5, kinds


def test_a_chosen_card_never_reviewed_and_not_yet_due_is_neither_offered_nor_ahead(questions):
    """A session on chosen cards offers a card early once it was last reviewed before the session
    began; a card with no review on record (none is made so today, but the column allows it) is
    not offered early, nor chosen as a learn-ahead card, nor the next one due: counted only, as a
    learning card due within the learn-ahead limit."""
    user = UserFactory.create()
    StudyProfileFactory.create(user=user, learn_ahead_minutes=20, new_per_day=0)
    question = questions[0]
    card = CardStateFactory.create(
        user=user,
        question=question,
        learning=True,
        due=NOW + timedelta(minutes=10),
        last_review=None,
        reps=1,
        now=NOW,
    )
    scope: dict = {
        "category_slug": None,
        "question_ids": frozenset({question.pk}),
        "offer_reviewed_before": NOW - timedelta(hours=1),
    }
    queue = study_queue(user=user, now=NOW, bank=bank_current(), **scope)
    learner = {
        "cards": {question.pk: card},
        "held": set(),
        "seen": set(),
        "siblings": True,
        "ahead": NOW + timedelta(minutes=20),
    }
    expected = _expected(learner, scope, questions)
    assert expected["learning"] == queue.learning_count == 1
    assert expected["next"] is queue.next_question is None
    assert expected["next_due_at"] is queue.next_due_at is None


def test_the_queue_statement_reads_the_learners_rows_and_not_the_bank(questions):
    """The scope, the holds and the siblings rule are applied with the bank each process keeps:
    joining the questions' table for every card and every unseen question was most of
    PostgreSQL's work for the statement (docs/benchmarks.md, ninth pass)."""
    user = UserFactory.create()
    bank = bank_current()
    with CaptureQueriesContext(connection) as captured:
        queue = study_queue(user=user, now=NOW, bank=bank, category_slug="dates")
    assert queue.unseen == sum(1 for q in questions if q.is_active and q.category.slug == "dates")
    statements = [q["sql"] for q in captured.captured_queries if "reviewed_today" in q["sql"]]
    assert len(statements) == 1
    assert Question._meta.db_table not in statements[0]


def test_due_order_holds_in_the_hour_a_zone_repeats(questions):
    """The cards' due order is compared as text: on PostgreSQL each due time is written at UTC,
    not at the connection's zone, which USE_TZ=False makes the site's: in New York's repeated
    hour "01:15-05:00" (06:15 UTC) sorts before "01:30-04:00" (05:30 UTC) as text."""
    user = UserFactory.create()
    StudyProfileFactory.create(user=user)
    first, later = questions[0], questions[1]
    CardStateFactory.create(
        user=user, question=later, in_review=True, due=datetime(2025, 11, 2, 6, 15, tzinfo=UTC)
    )
    CardStateFactory.create(
        user=user, question=first, in_review=True, due=datetime(2025, 11, 2, 5, 30, tzinfo=UTC)
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET TIME ZONE 'America/New_York'")
        try:
            queue = study_queue(user=user, now=NOW, bank=bank_current())
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET TIME ZONE 'UTC'")
    assert queue.next_question is not None
    assert queue.next_question.id == first.pk
