"""What test modules share: paths, the htmx header, a study card's token and rating, a heavy
review log, a failing database, a browser log-in."""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.db import connection
from django.urls import reverse

from quizzes.enums import MemoryState, Rating
from quizzes.models import Question, ReviewLog
from quizzes.rules.bankfile import bank_questions
from tests.factories import PASSWORD, StudyProfileFactory
from tests.html import find, input_value

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "fixtures" / "questions.json"
ARTIFACTS = ROOT / "test-artifacts"


def queue_plan_statements() -> int:
    """Statements the study queue (or a quiz start's read of the questions seen today) sends
    besides its one: on PostgreSQL with prepared statements, the SET and RESET of plan_cache_mode
    around it, which have it planned once per connection (statements.execute_planned_once).
    Query budgets that include either add these."""
    from django.conf import settings

    prepared = connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS
    return 2 if prepared else 0


@contextmanager
def pipelines_sent() -> Iterator[list[list[str]]]:
    """PostgreSQL: the statements each of psycopg's pipelines sent while the block ran (one
    round trip each), a list a pipeline; statements sent outside a pipeline are not listed."""
    from unittest import mock

    connection.ensure_connection()
    psycopg_connection = type(connection.connection)
    pipeline = psycopg_connection.pipeline
    sent: list[list[str]] = []

    @contextmanager
    def counted(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        sent.append([])
        with pipeline(self, *args, **kwargs) as opened:
            yield opened

    def recorded(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if connection.connection.pgconn.pipeline_status:
            sent[-1].append(sql)
        return execute(sql, params, many, context)

    with (
        mock.patch.object(psycopg_connection, "pipeline", counted),
        connection.execute_wrapper(recorded),
    ):
        yield sent


def rating_write_statements() -> int:
    """Statements a rating of a card seen before writes: the card's update and its log entry, in
    one statement on PostgreSQL (quizzes/study/services.py)."""
    return 1 if connection.vendor == "postgresql" else 2


def rating_recorded(
    user: Any,
    question_id: int,
    *,
    shown_reps: int | None,
    now: datetime,
    rating: int = 3,
    origin: str = "study",
) -> Any:
    """A rating of the learner's card (Good unless said) through the service
    (services.review_record) with the default schedule: `shown_reps` as a study rating passes
    it, None as a quiz answer does."""
    from quizzes.study.services import review_record
    from tests.support.schedules import DEFAULT_SCHEDULE

    return review_record(
        user=user,
        question_id=question_id,
        rating=rating,
        now=now,
        schedule=DEFAULT_SCHEDULE,
        shown_reps=shown_reps,
        origin=origin,
    )


def bank_flat(data: dict[str, Any]) -> dict[str, Any]:
    """A bank file read flat, {"categories", "questions"}: each question names its "fact" and
    carries the forms it is graded by (what tests that pick or change questions work on)."""
    return {"categories": data["categories"], "questions": bank_questions(data)}


def bank_regroup(flat: dict[str, Any], facts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Group flat questions back under their facts (by default the bundled file's), as a bank
    file holds them: the inverse of bank_flat, for the questions a test kept or changed."""
    if facts is None:
        facts = json.loads(BUNDLED.read_text(encoding="utf-8"))["facts"]
    by_slug = {fact["slug"]: fact for fact in facts}
    grouped: dict[str, dict[str, Any]] = {}
    for question in flat["questions"]:
        fact = by_slug[question["fact"]]
        entry = {k: v for k, v in question.items() if k not in ("fact", "accepted_answers")}
        if entry["kind"] == "typed" and entry.get("answer") == fact["answer"]:
            del entry["answer"]
        holder = grouped.setdefault(
            fact["slug"], {**{k: v for k, v in fact.items() if k != "questions"}, "questions": []}
        )
        holder["questions"].append(entry)
    return {"categories": flat["categories"], "facts": list(grouped.values())}


def bank_of_own_facts(categories: list[Any], questions: list[dict[str, Any]]) -> dict[str, Any]:
    """A bank file giving each question (in the flat shape, with its "accepted_answers") a fact
    of its own, with the question's slug, answer, forms and passage, its explanation the claim."""
    facts = []
    for question in questions:
        entry = {k: v for k, v in question.items() if k not in ("fact", "accepted_answers")}
        facts.append(
            {
                "slug": question["slug"],
                "claim": question.get("explanation", "A claim."),
                "answer": question.get("answer", ""),
                "accepted_answers": list(question.get("accepted_answers", [])),
                "passage": question.get("passage", ""),
                "questions": [entry],
            }
        )
    return {"categories": categories, "facts": facts}


# The header htmx sends with every request it makes: views answer it with a partial.
HX = {"HX-Request": "true"}


def token_of(html: str) -> str:
    """The token of the study card a page shows."""
    return input_value(html, "token")


def shown_slug(html: str) -> str:
    """The slug of the question whose prompt a study page shows."""
    return Question.objects.get(prompt=find(html, cls="prompt").text).slug


def rate(client, html, rating, htmx=True):
    """Rate the card a study page shows, as its rating buttons do."""
    return client.post(
        reverse("quizzes:study_review"),
        {"token": token_of(html), "rating": rating},
        headers=HX if htmx else {},
    )


def utc_day_profile(user: Any, **settings: Any) -> Any:
    """The learner's study settings in UTC, their day starting at 4 a.m. (the day the study
    tests' NOW and NEXT_DAY assume), with `settings` over the defaults."""
    return StudyProfileFactory.create(user=user, time_zone="UTC", day_starts_at=4, **settings)


def studied_in_order(client: Any, count: int) -> tuple[list[str], str]:
    """Study `count` cards from the study page, rating each Good: the slugs shown, and the page
    after the last."""
    shown = []
    html = client.get(reverse("quizzes:study")).content.decode()
    for _ in range(count):
        shown.append(shown_slug(html))
        rate(client, html, Rating.GOOD, htmx=False)
        html = client.get(reverse("quizzes:study")).content.decode()
    return shown, html


def offered_alone(user: Any, question: Question, now: datetime) -> bool:
    """Whether the study queue would offer `question` now, in a session of it alone."""
    from quizzes.study.queue import study_queue

    queue = study_queue(
        user=user, now=now, question_ids=frozenset({question.pk}), ignore_limits=True
    )
    return queue.next_question is not None and queue.next_question.id == question.pk


def reviews_store(user, questions: Sequence[Question], *, before: datetime, count: int) -> None:
    """Give the learner `count` reviews of `questions`, every 37 minutes back from `before`, in
    one bulk insert: the heavy learner of the query-budget tests."""
    ReviewLog.objects.bulk_create(
        ReviewLog(
            user=user,
            question=questions[i % len(questions)],
            rating=list(Rating)[i % len(Rating)],
            reviewed_at=before - timedelta(minutes=37 * i),
            state_before=MemoryState.REVIEW,
        )
        for i in range(count)
    )


def log_in(page, username) -> None:
    """Log a learner in through the log-in form and wait for the study page's scripts."""
    from playwright.sync_api import expect  # only the browser journeys need Playwright

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url("/study/")
    page.wait_for_load_state("load")  # the keyboard shortcuts are attached by a deferred script


@contextmanager
def queries_fail(error: Exception, *, on: str = "") -> Iterator[None]:
    """Every query whose SQL contains `on` raises `error`, as a database gone away would.

    Django's documented execute wrapper: no view, selector or driver internals are patched.
    """

    def refuse(execute, sql, params, many, context):
        if on in sql:
            raise error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def show_answer_by_keyboard(page) -> None:
    """Show the study card's answer from the keyboard: Enter in the answer box, which has focus
    on a typed or cloze card (Space there types a space), and Space on any other card."""
    from playwright.sync_api import expect

    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"

    def settled() -> None:
        # htmx has settled and the page has put the focus in the card: a test must not race it.
        expect(page.locator(busy)).to_have_count(0)
        expect(page.locator("#card :focus")).to_have_count(1)

    expect(page.locator("#card")).to_have_attribute("data-side", "front")
    settled()
    typing = page.evaluate("document.activeElement && document.activeElement.id === 'response'")
    page.keyboard.press("Enter" if typing else "Space")
    expect(page.locator("#card")).to_have_attribute("data-side", "back")
    settled()
