"""A quiz never asks a question after one that showed its answer, so it never holds two that show
each other's (rules.giveaways)."""

import random
import re
from datetime import UTC, datetime
from itertools import combinations

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from quizzes.bank.cache import bank_current
from quizzes.limits import QUIZ_LENGTHS
from quizzes.models import QuizAttempt
from quizzes.quiz.selectors import quiz_questions_pick
from quizzes.quiz.views import SHORTER_QUIZ
from tests.factories import QuestionFactory, StudyProfileFactory
from tests.helpers import BUNDLED
from tests.support.schedules import DEFAULT_SCHEDULE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def telling(db):
    """A typed question, a question of another fact whose prompt says its answer, and two
    questions that show nothing of the others."""
    return {
        "asked": QuestionFactory.create(slug="asked", answer="27 February 2022"),
        "telling": QuestionFactory.create(
            slug="telling",
            prompt="Which unit crossed to Ukraine on 27 February 2022?",
            answer="a company",
        ),
        "x": QuestionFactory.create(slug="x", answer="1 May 2023"),
        "y": QuestionFactory.create(slug="y", answer="2 May 2023"),
    }


@pytest.fixture
def each_other(telling):
    """As `telling`, but the typed question's prompt says the other's answer too."""
    asked = telling["asked"]
    asked.prompt = "When did a company of Russian soldiers cross to Ukraine?"
    asked.save()
    return telling


def said(form, text):
    """Whether `text` says `form` as whole words (case aside); a day and month without a year
    ("1 June") not where a year follows it ("1 June 2022" is another year's day)."""
    yearless = re.search(r"\d{4}", form) is None and re.search(_MONTH_DAY, form, re.I) is not None
    after = r"(?!,?\s+\d{4})" if yearless else ""
    return re.search(rf"\b{re.escape(form)}(?!\w){after}", text, re.IGNORECASE) is not None


_MONTH_DAY = (
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.?\s+\d{1,2}\b"
)


_NUMBER = (
    r"(?:\d+|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand)"
)


def gives_away(form):
    """Whether `form` gives its question away where said: not numbers alone ("two", "23",
    "2022-03"), which say what they answer only beside what they count ("two battalions")."""
    return re.fullmatch(rf"{_NUMBER}(?:[\s\-/.]+{_NUMBER})*", form.strip(), re.IGNORECASE) is None


def pick(user, length, seed, pool=None):
    return quiz_questions_pick(
        user=user,
        pool=pool if pool is not None else bank_current().active,
        length=length,
        now=NOW,
        schedule=DEFAULT_SCHEDULE,
        rng=random.Random(seed),
    )


def test_a_quiz_asks_a_question_before_the_one_that_shows_its_answer(user, telling):
    StudyProfileFactory.create(user=user)
    places = set()
    for seed in range(30):
        slugs = [q.slug for q in pick(user, 4, seed)]
        assert sorted(slugs) == ["asked", "telling", "x", "y"]
        assert slugs.index("asked") < slugs.index("telling")
        places.add(slugs.index("asked"))
    # Otherwise in a random order.
    assert places == {0, 1, 2}


def test_a_quiz_never_holds_two_questions_that_show_each_others_answer(user, each_other):
    StudyProfileFactory.create(user=user)
    both = {each_other["asked"].pk, each_other["telling"].pk}
    taken = set()
    for seed in range(30):
        chosen = {q.id for q in pick(user, 4, seed)}
        assert len(chosen) == 3
        assert len(chosen & both) == 1
        taken |= chosen & both
    # Either may be the one taken.
    assert taken == both


def test_a_start_that_draws_fewer_questions_than_asked_says_so(learner_client, user, each_other):
    StudyProfileFactory.create(user=user)
    response = learner_client.post(
        reverse("quizzes:quiz_start"), {"category": "", "length": 5, "seconds_per_question": 30}
    )
    attempt = QuizAttempt.objects.get(user=user)
    assert (attempt.length, attempt.requested_length) == (3, 5)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == [SHORTER_QUIZ.format(got=3, asked=5)]
    page = learner_client.get(response.url).content.decode()
    assert "This quiz has 3 questions, not 5" in page


def test_a_start_that_draws_what_was_asked_says_nothing(learner_client, user, each_other):
    StudyProfileFactory.create(user=user)
    QuestionFactory.create(answer="3 May 2023")
    QuestionFactory.create(answer="4 May 2023")
    response = learner_client.post(
        reverse("quizzes:quiz_start"), {"category": "", "length": 5, "seconds_per_question": 30}
    )
    assert QuizAttempt.objects.get(user=user).length == 5
    assert list(get_messages(response.wsgi_request)) == []


def test_no_quiz_of_the_bundled_bank_asks_a_question_after_one_that_showed_its_answer(user):
    call_command("load_questions", str(BUNDLED), stdout=None, stderr=None)
    StudyProfileFactory.create(user=user)
    bank = bank_current()
    # Two clozes of one sentence, each hiding what the other shows.
    since = bank.questions[next(q.id for q in bank.active if q.slug.endswith("raids-since-cloze"))]
    region = next(q for q in bank.active if q.slug == "events-belgorod-region-raids-cloze")
    assert "22 May 2023" in region.display_prompt
    assert since.id in bank.quiz_order.shows[region.id]
    # A date question's prompt names the bank a multiple-choice question asks for.
    by_slug = {q.slug: q for q in bank.active}
    when, which_bank = by_slug["dates-volobuyev-joined-mc"], by_slug["people-volobuyev-bank-mc"]
    assert "Gazprombank" in when.display_prompt
    assert which_bank.id in bank.quiz_order.shows[when.id]
    for category in (None, *(c.slug for c in bank.categories)):
        pool = bank.active_in(category)
        for seed in range(10):
            chosen = pick(user, 20, seed, pool)
            assert len({q.fact_id for q in chosen}) == len(chosen)
            for earlier, later in combinations(chosen, 2):
                front = " ".join([earlier.display_prompt, *(c.text for c in earlier.choices)])
                assert not any(
                    said(form, front) for form in filter(gives_away, later.accepted_answers)
                ), f"{earlier.slug}, asked first, shows the answer of {later.slug}"


def test_every_pair_of_the_bundled_bank_whose_front_says_the_others_answer_clashes(db):
    """Every pair, not those a few seeds happen to draw: a pair missed is drawn together rarely."""
    call_command("load_questions", str(BUNDLED), stdout=None, stderr=None)
    bank = bank_current()
    missed = []
    for showing in bank.active:
        front = " ".join([showing.display_prompt, *(c.text for c in showing.choices)])
        for asked in bank.active:
            if asked.fact_id == showing.fact_id or asked.id in bank.quiz_order.shows[showing.id]:
                continue
            if any(said(form, front) for form in filter(gives_away, asked.accepted_answers)):
                missed.append(f"{showing.slug} shows the answer of {asked.slug}")
    assert missed == []


def test_a_number_of_the_bundled_bank_is_shown_only_beside_what_it_counts(db):
    """ "How many battalions?" is answered "two": a front saying "two battalions" shows it, a
    "two-word phrase" or "two villages" does not; nor does a "three-letter abbreviation" show
    "how many men?"."""
    call_command("load_questions", str(BUNDLED), stdout=None, stderr=None)
    bank = bank_current()
    by_slug = {q.slug: q for q in bank.active}
    battalions = by_slug["organizations-two-battalions-typed"]
    men = by_slug["events-press-conference-how-many-men-typed"]
    assert {"two", "three"} <= {
        form.lower() for form in battalions.accepted_answers + men.accepted_answers
    }
    stating = [
        q
        for q in bank.active
        if q.fact_id != battalions.fact_id
        and re.search(r"\btwo battalions\b", q.display_prompt, re.IGNORECASE)
    ]
    assert stating
    assert all(battalions.id in bank.quiz_order.shows[q.id] for q in stating)
    letters = by_slug["organizations-frl-abbreviation-typed"]
    assert "three-letter" in letters.display_prompt
    assert men.id not in bank.quiz_order.shows[letters.id]
    counting_else = [
        q
        for q in bank.active
        if re.search(r"\btwo[- ](?:word|groups|villages|months|words)", q.display_prompt, re.I)
    ]
    assert len(counting_else) >= 5
    assert not any(battalions.id in bank.quiz_order.shows[q.id] for q in counting_else)
    # A multiple-choice question answered by a number alone is shown where its prompt's count
    # is said with it: "two villages", "raising two more", "three men".
    for asked, showing in [
        ("events-march-2024-villages-claimed-mc", "events-march-2024-kursk-cloze"),
        ("people-caesar-battalions-raising-mc", "dates-two-battalions-claim-mc"),
        ("symbols-press-conference-three-men-mc", "dates-press-conference-typed"),
    ]:
        assert by_slug[asked].id in bank.quiz_order.shows[by_slug[showing].id], (asked, showing)
    assert (
        by_slug["events-march-2024-villages-claimed-mc"].id
        not in bank.quiz_order.shows[by_slug["organizations-two-battalions-typed"].id]
    )


def test_a_quiz_is_short_only_when_no_order_draws_more(user):
    """The bundled bank's Legal consequences hold a quiz of 10, and one of 13 of their 15 facts;
    one draw in a random order, each question barring those that showed each other's answer
    with it, often barred its way to 6."""
    call_command("load_questions", str(BUNDLED), stdout=None, stderr=None)
    StudyProfileFactory.create(user=user)
    pool = bank_current().active_in("legal")
    assert {len(pick(user, 10, seed, pool)) for seed in range(30)} == {10}
    assert {len(pick(user, 20, seed, pool)) for seed in range(10)} == {13}


def test_every_category_of_the_bundled_bank_comes_out_full_but_the_two_small_ones_at_20(user):
    """What the README promises a new learner: every category and length full, but Symbols (11
    facts) and Legal consequences (15) at 20."""
    call_command("load_questions", str(BUNDLED), stdout=None, stderr=None)
    StudyProfileFactory.create(user=user)
    bank = bank_current()
    short: dict[tuple[str | None, int], int] = {("symbols", 20): 11, ("legal", 20): 13}
    for category in (None, *(c.slug for c in bank.categories)):
        pool = bank.active_in(category)
        for length in QUIZ_LENGTHS:
            drawn = {len(pick(user, length, seed, pool)) for seed in range(10)}
            assert drawn == {short.get((category, length), length)}, (category, length)
