"""Facts arrive in an existing database: every question gets a fact of its own, learners' cards
and reviews stay on their questions, and the question's accepted forms move to its fact."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("quizzes", "0016_choice_columns_hold_known_values")]
AFTER = [("quizzes", "0020_editors_edit_facts")]
WHEN = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)
PASSAGE = "It was formed in March 2022"


@pytest.fixture
def latest_schema_after():
    """Leave the database at the latest migrations, as the tests after this one expect."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_bank(apps):
    category = apps.get_model("quizzes", "Category").objects.create(slug="dates", name="Dates")
    question = apps.get_model("quizzes", "Question")
    common = {"category": category, "source_passage": PASSAGE, "passage_offset": 379}
    typed = question.objects.create(
        slug="dates-legion-formed-typed",
        kind="typed",
        prompt="When was the Legion formed?",
        answer="March 2022",
        accepted_answers=["Mar 2022", "03/2022"],
        explanation="The article dates the Legion's formation to March 2022.",
        position=0,
        **common,
    )
    mc = question.objects.create(
        slug="dates-legion-formed-mc",
        kind="multiple_choice",
        prompt="When was the Legion formed?",
        answer="March 2022",
        # A stray list on a choice question must not become the fact's forms.
        accepted_answers=["stray"],
        explanation="It was formed in March 2022.",
        position=1,
        **common,
    )
    return typed, mc


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_every_question_gets_its_own_fact_and_keeps_its_cards():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    typed, mc = _old_bank(old)
    user = old.get_model("auth", "User").objects.create(username="studied-before")
    old.get_model("quizzes", "CardState").objects.create(
        user=user, question=typed, due=WHEN, created_at=WHEN
    )
    old.get_model("quizzes", "ReviewLog").objects.create(
        user=user, question=mc, rating=3, reviewed_at=WHEN
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    facts = {f.slug: f for f in new.get_model("quizzes", "Fact").objects.all()}
    assert set(facts) == {typed.slug, mc.slug}
    fact = facts[typed.slug]
    assert (fact.claim, fact.answer, fact.accepted_answers) == (
        typed.explanation,
        "March 2022",
        ["Mar 2022", "03/2022"],
    )
    assert (fact.source_passage, fact.passage_offset, fact.position) == (PASSAGE, 379, 0)
    assert facts[mc.slug].accepted_answers == []
    questions = new.get_model("quizzes", "Question").objects.select_related("fact")
    assert {q.slug: q.fact.slug for q in questions} == {typed.slug: typed.slug, mc.slug: mc.slug}
    assert not hasattr(questions.get(slug=typed.slug), "accepted_answers")
    card = new.get_model("quizzes", "CardState").objects.get()
    assert (card.user_id, card.question_id) == (user.pk, typed.pk)
    assert new.get_model("quizzes", "ReviewLog").objects.get().question_id == mc.pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_going_back_gives_typed_questions_their_fact_forms_again():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    typed, _ = _old_bank(executor.loader.project_state(BEFORE).apps)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    question = old.get_model("quizzes", "Question").objects.get(slug=typed.slug)
    assert question.accepted_answers == ["Mar 2022", "03/2022"]


@pytest.mark.django_db
def test_editors_may_edit_facts():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    assert {"view_fact", "add_fact", "change_fact"} <= codenames
