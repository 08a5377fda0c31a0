"""factory-boy factories for the tests."""

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


class QuestionReportFactory(factory.django.DjangoModelFactory):
    """An open report from study; traits `from_quiz`, `fixed` and `rejected`."""

    class Meta:
        model = "quizzes.QuestionReport"

    question = factory.SubFactory(QuestionFactory)
    user = factory.SubFactory(UserFactory)
    origin = "study"
    response = "1 June 2022"
    comment = "The article gives another date for this raid."
    status = "open"

    class Params:
        from_quiz = factory.Trait(origin="quiz")
        fixed = factory.Trait(status="fixed")
        rejected = factory.Trait(status="rejected")
