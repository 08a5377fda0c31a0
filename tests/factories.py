"""factory-boy factories for the tests."""

from datetime import timedelta

import factory
from django.contrib.auth.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "quizzes.Category"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    display_order = factory.Sequence(int)


class QuestionFactory(factory.django.DjangoModelFactory):
    """A typed-answer question; `with_choices=True` on kind multiple_choice adds four choices."""

    class Meta:
        model = "quizzes.Question"
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"question-{n}")
    category = factory.SubFactory(CategoryFactory, slug="dates")
    kind = "typed"
    prompt = factory.Sequence(lambda n: f"Question number {n}?")
    answer = "27 February 2022"
    accepted_answers = factory.LazyFunction(list)
    explanation = "The company commander said they crossed on that day."
    source_passage = "on 27 February 2022"
    passage_offset = 0
    position = factory.Sequence(int)

    @factory.post_generation
    def with_choices(obj, create, extracted, **kwargs):  # noqa: N805
        if not create or obj.kind == "typed":
            return
        from quizzes.models import Choice

        if obj.kind == "true_false":
            texts = ["True", "False"]
        else:
            pool = ["10 March 2022", "5 April", "22 May 2023", "14 July 2022"]
            texts = [obj.answer, *[t for t in pool if t != obj.answer][:3]]
        Choice.objects.bulk_create(
            Choice(question=obj, text=text, is_correct=(text == obj.answer), order=i)
            for i, text in enumerate(texts)
        )


class CardStateFactory(factory.django.DjangoModelFactory):
    """A card in review, due tomorrow; traits: `overdue` (by a day), `lapsed`, `leech`."""

    class Meta:
        model = "quizzes.CardState"

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    state = 2  # MemoryState.REVIEW
    step = None
    stability = 10.0
    difficulty = 5.0
    due = factory.LazyFunction(lambda: _now() + timedelta(days=1))
    last_review = factory.LazyFunction(lambda: _now() - timedelta(days=9))
    reps = 5
    lapses = 0
    created_at = factory.LazyFunction(lambda: _now() - timedelta(days=30))

    class Params:
        overdue = factory.Trait(due=factory.LazyFunction(lambda: _now() - timedelta(days=1)))
        lapsed = factory.Trait(lapses=3, state=3, step=0)
        leech = factory.Trait(lapses=8, is_leech=True)


class CardHoldFactory(factory.django.DjangoModelFactory):
    """A card suspended from the cards page; trait `buried` buries it until the next day instead."""

    class Meta:
        model = "quizzes.CardHold"

    user = factory.SubFactory(UserFactory)
    question = factory.SubFactory(QuestionFactory)
    kind = "suspend"
    until = None
    placed_at = factory.LazyFunction(lambda: _now())
    origin = "cards"

    class Params:
        buried = factory.Trait(kind="bury", until=factory.LazyFunction(lambda: _tomorrow()))


def _now():
    from django.utils import timezone

    return timezone.now()


def _tomorrow():
    from quizzes.holds import bury_until

    return bury_until(_now())
