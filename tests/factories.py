"""factory-boy factories for every model, with traits for the states tests need."""

from datetime import UTC, datetime, timedelta
from typing import Any

import factory
from django.utils import timezone

from learnfrl.accounts.users import User
from learnfrl.accounts.verification import EmailVerification
from quizzes.claims.services import phrasing_key
from quizzes.enums import (
    AttemptEnding,
    AttemptState,
    FitOutcome,
    FitStatus,
    HoldKind,
    HoldOrigin,
    MemoryState,
    QuestionKind,
    Rating,
    ReportStatus,
    ReviewOrigin,
)
from quizzes.models import (
    AnswerClaim,
    AttemptAnswer,
    CardHold,
    CardState,
    Category,
    Choice,
    Fact,
    Question,
    QuestionReport,
    QuizAttempt,
    ReviewLog,
    ScheduleFit,
    StudyProfile,
)
from quizzes.rules.article import passage_offset
from quizzes.rules.days import next_day_start
from quizzes.study.selectors import study_profile

PASSWORD = "correct horse battery staple"
# Factories' times are relative to this unless a test passes its own (most freeze time at NOW).
EPOCH = datetime(2026, 4, 1, 12, 0, tzinfo=UTC)


def _save_user(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    if create:
        user.save()


def address_verified(user: User) -> User:
    """The account's current address verified, as following the link mailed to it makes it
    (learnfrl/accounts/verification.py): only then is a password reset sent to it."""
    EmailVerification.objects.update_or_create(
        user_id=user.pk, defaults={"email": user.email, "verified_at": timezone.now()}
    )
    return user


def _verify_address(user: User, create: bool, extracted: object, **kwargs: object) -> None:
    if create and extracted:
        address_verified(user)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """An account with an address that is not verified; `email_verified=True` verifies it."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    _save = factory.post_generation(_save_user)
    email_verified = factory.post_generation(_verify_address)


class StudyProfileFactory(factory.django.DjangoModelFactory[StudyProfile]):
    class Meta:
        model = StudyProfile

    user = factory.SubFactory(UserFactory)


class CategoryFactory(factory.django.DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    display_order = factory.Sequence(int)


# A sentence of the article with one blank, as the `cloze` trait of QuestionFactory writes it.
CLOZE_TEXT = "It was formed in March 2022 and is reportedly part of Ukraine's International Legion."
CLOZE_PROMPT = (
    "It was formed in {{c1::March 2022::month and year}} and is reportedly part of Ukraine's "
    "International Legion."
)


def _add_choices(question: Question, create: bool, extracted: object, **kwargs: object) -> None:
    """Give a choice question its choices: True and False, or the answer and three others."""
    if not create or not QuestionKind(question.kind).has_choices:
        return
    if question.kind == QuestionKind.TRUE_FALSE:
        texts = ["True", "False"]
    else:
        pool = ["10 March 2022", "5 April", "22 May 2023", "14 July 2022"]
        texts = [question.answer, *[t for t in pool if t != question.answer][:3]]
    Choice.objects.bulk_create(
        Choice(question=question, text=text, is_correct=(text == question.answer), order=i)
        for i, text in enumerate(texts)
    )


def _offset(passage: str) -> int:
    """Where `passage` stands in the article, as the bank's loader works it out (0 for a test's
    passage the article lacks)."""
    found = passage_offset(passage)
    return 0 if found is None else found


class FactFactory(factory.django.DjangoModelFactory[Fact]):
    """A fact with a date for its answer; QuestionFactory gives each question one of its own."""

    class Meta:
        model = Fact

    slug = factory.Sequence(lambda n: f"fact-{n}")
    claim = "The company commander said they crossed to the Ukrainian side on 27 February 2022."
    answer = "27 February 2022"
    accepted_answers = factory.LazyFunction(list)
    source_passage = "on 27 February 2022"
    passage_offset = factory.LazyAttribute(lambda fact: _offset(fact.source_passage))
    position = factory.Sequence(int)


class QuestionFactory(factory.django.DjangoModelFactory[Question]):
    """A typed-answer question; multiple-choice and true/false ones get their choices.

    `cloze=True` makes it a cloze of the article's second sentence, blanking "March 2022".
    Each question gets a fact of its own, with the question's answer and passage; pass `fact=` to
    make twins, or `fact__accepted_answers=[...]` for the forms its typed answer accepts.
    """

    class Meta:
        model = Question
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"question-{n}")
    fact = factory.SubFactory(
        FactFactory,
        answer=factory.SelfAttribute("..answer"),
        source_passage=factory.SelfAttribute("..source_passage"),
        passage_offset=factory.SelfAttribute("..passage_offset"),
    )
    category = factory.SubFactory(CategoryFactory, slug="dates")
    kind = QuestionKind.TYPED
    prompt = factory.Sequence(lambda n: f"Question number {n}?")
    answer = "27 February 2022"
    explanation = "The company commander said they crossed on that day."
    source_passage = "on 27 February 2022"
    passage_offset = factory.LazyAttribute(lambda q: _offset(q.source_passage))
    position = factory.Sequence(int)

    class Params:
        multiple_choice = factory.Trait(kind=QuestionKind.MULTIPLE_CHOICE, answer="22 May 2023")
        true_false = factory.Trait(kind=QuestionKind.TRUE_FALSE, answer="True")
        cloze = factory.Trait(
            kind=QuestionKind.CLOZE,
            prompt=CLOZE_PROMPT,
            answer="March 2022",
            fact__accepted_answers=["Mar 2022"],
            explanation="The article dates the Legion's formation to March 2022.",
            source_passage=CLOZE_TEXT,
        )

    with_choices = factory.post_generation(_add_choices)


def ponomarev_question(**fields: Any) -> Question:
    """A typed question of the People category whose answer is a man's name (Ilya Ponomarev):
    the one the journeys of typed answers, "I was right" and posted answers type near-misses of."""
    return QuestionFactory.create(
        category=CategoryFactory.create(slug="people", name="People"),
        prompt="Who founded the political wing of the Legion?",
        answer="Ilya Ponomarev",
        **fields,
    )


class ChoiceFactory(factory.django.DjangoModelFactory[Choice]):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, kind=QuestionKind.MULTIPLE_CHOICE)
    text = factory.Sequence(lambda n: f"Choice {n}")
    order = factory.Sequence(int)


class CardStateFactory(factory.django.DjangoModelFactory[CardState]):
    """A studied card, in review and due in five days (traits: due_now, overdue, learning, lapsed,
    leech)."""

    class Meta:
        model = CardState

    class Params:
        now = EPOCH
        learning = factory.Trait(state=MemoryState.LEARNING, step=0, stability=0.5)
        in_review = factory.Trait(state=MemoryState.REVIEW, step=None)
        due_now = factory.Trait(due=factory.LazyAttribute(lambda c: c.now))
        lapsed = factory.Trait(
            state=MemoryState.RELEARNING, step=0, stability=0.5, difficulty=9, lapses=2
        )
        overdue = factory.Trait(due=factory.LazyAttribute(lambda c: c.now - timedelta(days=1)))
        leech = factory.Trait(lapses=8, is_leech=True)

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    state = MemoryState.REVIEW
    step = None
    stability = 30.0
    difficulty = 5.0
    due = factory.LazyAttribute(lambda c: c.now + timedelta(days=5))
    last_review = factory.LazyAttribute(lambda c: c.now - timedelta(days=2))
    reps = 3
    lapses = 0
    created_at = factory.LazyAttribute(lambda c: c.now - timedelta(days=40))


class ReviewLogFactory(factory.django.DjangoModelFactory[ReviewLog]):
    """A rating of a learned card, Good by default."""

    class Meta:
        model = ReviewLog

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    rating = Rating.GOOD
    reviewed_at = EPOCH
    state_before = MemoryState.REVIEW


def _add_answers(
    attempt: QuizAttempt, create: bool, extracted: list[Question] | None, **kwargs: object
) -> None:
    """Give the attempt one unanswered question per question passed, in that order."""
    if create and extracted:
        AttemptAnswer.objects.bulk_create(
            AttemptAnswer(attempt=attempt, question=question, position=position)
            for position, question in enumerate(extracted)
        )


class QuizAttemptFactory(factory.django.DjangoModelFactory[QuizAttempt]):
    """A running quiz started at EPOCH; `finished=True` ends it, `with_answers=[...]` fills it."""

    class Meta:
        model = QuizAttempt
        skip_postgeneration_save = True

    class Params:
        finished = factory.Trait(
            state=AttemptState.FINISHED,
            finished_at=factory.LazyAttribute(lambda a: a.deadline),
            ending=AttemptEnding.TIME_UP,
        )

    user = factory.SubFactory(UserFactory)
    length = 5
    requested_length = factory.LazyAttribute(lambda a: a.length)
    seconds_per_question = 30
    started_at = EPOCH
    deadline = factory.LazyAttribute(
        lambda a: a.started_at + timedelta(seconds=a.length * a.seconds_per_question)
    )
    state = AttemptState.RUNNING

    with_answers = factory.post_generation(_add_answers)


class AttemptAnswerFactory(factory.django.DjangoModelFactory[AttemptAnswer]):
    """An unanswered question of a quiz; `answered=True` answers it (right by default)."""

    class Meta:
        model = AttemptAnswer

    class Params:
        answered = factory.Trait(
            answered_at=factory.LazyAttribute(lambda a: a.attempt.started_at),
            response="27 February 2022",
            is_correct=True,
        )

    attempt = factory.SubFactory(QuizAttemptFactory)
    question = factory.SubFactory(QuestionFactory)
    position = factory.Sequence(int)


class QuestionReportFactory(factory.django.DjangoModelFactory[QuestionReport]):
    """An open report from study; traits `from_quiz`, `fixed` and `rejected`."""

    class Meta:
        model = QuestionReport

    question = factory.SubFactory(QuestionFactory)
    user = factory.SubFactory(UserFactory)
    origin = ReviewOrigin.STUDY
    response = "1 June 2022"
    comment = "The article gives another date for this raid."
    status = ReportStatus.OPEN

    class Params:
        from_quiz = factory.Trait(origin=ReviewOrigin.QUIZ)
        fixed = factory.Trait(status=ReportStatus.FIXED)
        rejected = factory.Trait(status=ReportStatus.REJECTED)


class AnswerClaimFactory(factory.django.DjangoModelFactory[AnswerClaim]):
    """A typed answer the grader refused in study, waiting for the editors (`claimed=True` for one
    the learner said was right)."""

    class Meta:
        model = AnswerClaim

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    fact = factory.SelfAttribute("question.fact")
    response = "27 Febuary 2022"
    normalised = factory.LazyAttribute(lambda claim: phrasing_key(claim.response))
    origin = ReviewOrigin.STUDY
    created_at = EPOCH


class CardHoldFactory(factory.django.DjangoModelFactory[CardHold]):
    """A card suspended from the cards page; trait `buried` buries it until the next day instead."""

    class Meta:
        model = CardHold

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    kind = HoldKind.SUSPEND
    until = None
    placed_at = factory.LazyFunction(timezone.now)
    origin = HoldOrigin.CARDS

    class Params:
        buried = factory.Trait(
            kind=HoldKind.BURY,
            until=factory.LazyAttribute(
                lambda hold: next_day_start(timezone.now(), study_profile(user=hold.user).day)
            ),
        )


class ScheduleFitFactory(factory.django.DjangoModelFactory[ScheduleFit]):
    """A run of "Optimize my schedule"; queued unless a trait says how far it got."""

    class Meta:
        model = ScheduleFit

    class Params:
        queued = factory.Trait(status=FitStatus.QUEUED, finished_at=None)
        fitting = factory.Trait(status=FitStatus.FITTING, finished_at=None)
        done = factory.Trait(
            status=FitStatus.DONE,
            outcome=FitOutcome.NOT_BETTER,
            finished_at=factory.LazyAttribute(lambda f: f.requested_at + timedelta(seconds=2)),
            reviews=500,
            items=200,
            default_log_loss=0.40,
            default_rmse=0.06,
            previous_log_loss=0.40,
            previous_rmse=0.06,
            fitted_log_loss=0.41,
            fitted_rmse=0.07,
        )

    user = factory.SubFactory(UserFactory)
    requested_at = EPOCH
